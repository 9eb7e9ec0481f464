// HTTP: field capture (入户调查, issue 15). District admins (their district) and the city assign
// surveyors to communities; a surveyor reads the task list its phone caches; the roles that write
// registration records upload what they saved offline.
import type { FastifyInstance } from 'fastify';
import { idParam } from '../../shared/api.js';
import { fieldAssignmentSet, fieldAssignments, fieldAssignmentsQuery, fieldSurveyor, fieldTasks, fieldUpload, fieldUploadResponse } from '../../shared/api-field.js';
import type { AppCtx } from '../context.js';
import { zapp, stdErrors } from '../http.js';
import { requireAuth } from '../auth/access.js';
import { fieldTasks as tasksOf, listAssignments, setAssignments, uploadRecords } from './service.js';

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
}
