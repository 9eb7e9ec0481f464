// HTTP: field capture (入户调查, issue 15). District admins (their district) and the city assign
// surveyors to communities; a surveyor reads the task list its phone caches; the roles that write
// registration records upload what they saved offline, and then the photo of each paper form,
// which the roles that open records unmasked can view from the record's detail.
import type { FastifyInstance } from 'fastify';
import { idParam } from '../../shared/api.js';
import {
  MAX_FIELD_PHOTO_BYTES,
  fieldAssignmentSet,
  fieldAssignments,
  fieldAssignmentsQuery,
  fieldPhotoParams,
  fieldPhotoResponse,
  fieldSurveyor,
  fieldTasks,
  fieldUpload,
  fieldUploadResponse,
} from '../../shared/api-field.js';
import type { AppCtx } from '../context.js';
import { zapp, stdErrors } from '../http.js';
import { requireAuth } from '../auth/access.js';
import { sendStoredFile } from '../export/send.js';
import { evidenceStream } from '../assessments/evidence.js';
import { fieldTasks as tasksOf, listAssignments, putFieldPhoto, readFieldPhoto, setAssignments, uploadRecords } from './service.js';

const ASSIGNERS = ['city_admin', 'district_admin'] as const;
/** The roles that write registration records (the entry form's). */
const WRITERS = ['city_admin', 'district_admin', 'clerk', 'surveyor'] as const;

export async function fieldRoutes(app: FastifyInstance, { ctx }: { ctx: AppCtx }) {
  const r = zapp(app);

  r.get('/api/field/assignments', {
    config: { access: { roles: ASSIGNERS } },
    schema: { tags: ['field'], summary: '调查员及其负责的社区/村（本单位范围内）', querystring: fieldAssignmentsQuery, response: { 200: fieldAssignments, ...stdErrors } },
    handler: async (req) => ({ items: await listAssignments(ctx, requireAuth(req), req.query.orgUnitId) }),
  });

  r.put('/api/field/assignments/:id', {
    config: { access: { roles: ASSIGNERS } },
    schema: {
      tags: ['field'],
      summary: '设定调查员负责的社区/村（整体替换；须在本区且在调查员所属单位范围内）',
      params: idParam,
      body: fieldAssignmentSet,
      response: { 200: fieldSurveyor, ...stdErrors },
    },
    handler: async (req) => setAssignments(ctx, requireAuth(req), req.params.id, req.body.orgUnitIds),
  });

  r.get('/api/field/tasks', {
    config: { access: { roles: ['surveyor'] } },
    schema: { tags: ['field'], summary: '调查员的任务：负责的社区/村及已登记人员（证件号码脱敏，供离线缓存）', response: { 200: fieldTasks, ...stdErrors } },
    handler: async (req) => ({ items: await tasksOf(ctx, requireAuth(req)) }),
  });

  r.post('/api/field/uploads', {
    config: { access: { roles: WRITERS } },
    schema: {
      tags: ['field'],
      summary: '上传离线保存的登记记录（按客户端编号幂等；逐条处理，冲突或不合格的不保存）',
      body: fieldUpload,
      response: { 200: fieldUploadResponse, ...stdErrors },
    },
    handler: async (req) => ({ results: await uploadRecords(ctx, requireAuth(req), req.body.items) }),
  });

  // The photo arrives as the raw body (image/jpeg, image/png or image/webp, at most 2 MB): a scope
  // of its own receives any type but JSON and text as bytes (the type is checked by content in the
  // service) under that limit, over which the answer is 413 before anything is read further or stored.
  await app.register(async (raw) => {
    raw.addContentTypeParser('*', { parseAs: 'buffer' }, (_req, body, done) => done(null, body));
    zapp(raw).put('/api/field/uploads/:clientId/photo', {
      config: { access: { roles: WRITERS }, tooLarge: `照片不能超过 ${MAX_FIELD_PHOTO_BYTES / 1024 / 1024} MB，请压缩后重新上传` },
      bodyLimit: MAX_FIELD_PHOTO_BYTES,
      schema: {
        tags: ['field'],
        summary: '上传已上传记录的纸质登记表照片（请求体为图片本身：image/jpeg、image/png 或 image/webp，不超过 2 MB；同一照片重发不变，另一张替换）',
        consumes: ['image/jpeg', 'image/png', 'image/webp'],
        params: fieldPhotoParams,
        response: { 200: fieldPhotoResponse, 413: stdErrors[400], 415: stdErrors[400], ...stdErrors },
      },
      handler: async (req) => putFieldPhoto(ctx, requireAuth(req), req.params.clientId, req.headers['content-type'], req.body),
    });
  });

  r.get('/api/registrations/:id/photo', {
    config: { access: { roles: 'any' } },
    schema: { tags: ['field'], summary: '查看登记记录的纸质登记表照片（含完整个人信息：仅可查看完整信息的角色；每次查看记入审计日志）', params: idParam },
    handler: async (req, reply) => {
      const photo = await readFieldPhoto(ctx, requireAuth(req), req.params.id); // logged
      reply.header('Cache-Control', 'private, no-store');
      return sendStoredFile(reply, evidenceStream(ctx.config.dataDir, photo.sha256), {
        mime: photo.mime,
        sizeBytes: photo.sizeBytes,
        fileName: `纸质登记表-${req.params.id}`,
        fallback: `paper-form-${req.params.id}`,
      });
    },
  });
}
