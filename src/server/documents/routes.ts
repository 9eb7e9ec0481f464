// HTTP: the public verification page of printed documents (文书核验). No login: whoever holds the
// paper scans its QR code; the answer shows only what the paper itself shows, personal data masked.
import type { FastifyInstance } from 'fastify';
import { docNumberParam, documentVerification } from '../../shared/api-documents.js';
import type { AppCtx } from '../context.js';
import { zapp, stdErrors } from '../http.js';
import { verifyDocument } from './service.js';

export async function documentRoutes(app: FastifyInstance, { ctx }: { ctx: AppCtx }) {
  const r = zapp(app);
  r.get('/api/verify/:docNumber', {
    config: { access: { public: true } },
    schema: { tags: ['documents'], summary: '文书核验：按文书编号查询纸质文书是否为系统出具的现行版本', params: docNumberParam, response: { 200: documentVerification, ...stdErrors } },
    handler: async (req) => verifyDocument(ctx.db, req.params.docNumber),
  });
}
