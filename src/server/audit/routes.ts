// HTTP: browse and verify the audit log (city admin). There is no route that changes it.
import type { FastifyInstance } from 'fastify';
import { auditPage, auditQuery, auditVerify } from '../../shared/api.js';
import type { AppCtx } from '../context.js';
import { zapp, stdErrors } from '../http.js';
import { listAudit, verifyAuditChain } from './store.js';

export async function auditRoutes(app: FastifyInstance, { ctx }: { ctx: AppCtx }) {
  const r = zapp(app);

  r.get('/api/audit', {
    config: { access: { roles: ['city_admin'] } },
    schema: { tags: ['audit'], summary: '审计日志（按时间倒序，键集分页）', querystring: auditQuery, response: { 200: auditPage, ...stdErrors } },
    handler: async (req) => {
      const q = req.query;
      return listAudit(ctx.db, { ...q, success: q.success === undefined ? undefined : q.success === 'true' });
    },
  });

  r.get('/api/audit/verify', {
    config: { access: { roles: ['city_admin'] } },
    schema: { tags: ['audit'], summary: '校验审计日志哈希链', response: { 200: auditVerify, ...stdErrors } },
    handler: async () => verifyAuditChain(ctx.db),
  });
}
