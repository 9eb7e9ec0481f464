// HTTP: user management. City admin: everyone; district admin: their own district's users.
import type { FastifyInstance } from 'fastify';
import {
  idParam,
  okBody,
  resetPasswordResponse,
  user,
  userCreate,
  userCreateResponse,
  userList,
  userListQuery,
  userUpdate,
} from '../../shared/api.js';
import type { AppCtx } from '../context.js';
import { zapp, stdErrors } from '../http.js';
import { requireAuth } from '../auth/access.js';
import { notFound } from '../errors.js';
import { getOrgUnit, inScope } from '../orgs/store.js';
import { findUserInScope, listUsers, toUser } from './store.js';
import { createUser, resetPassword, unlockUser, updateUser } from './service.js';

const MANAGERS = ['city_admin', 'district_admin'] as const;

export async function userRoutes(app: FastifyInstance, { ctx }: { ctx: AppCtx }) {
  const r = zapp(app);

  r.get('/api/users', {
    config: { access: { roles: MANAGERS } },
    schema: { tags: ['users'], summary: '用户列表', querystring: userListQuery, response: { 200: userList, ...stdErrors } },
    handler: async (req) => {
      const auth = requireAuth(req);
      const q = req.query;
      let unitPath: string | undefined;
      if (q.orgUnitId) {
        const unit = await getOrgUnit(ctx.db, q.orgUnitId);
        if (!unit || !inScope(auth.scope, unit.path)) throw notFound('单位不存在');
        unitPath = unit.path;
      }
      const rows = await listUsers(ctx.db, auth.scope, {
        unitPath,
        unitId: q.orgUnitId,
        includeDescendants: q.includeDescendants !== 'false',
        role: q.role,
        q: q.q,
      });
      return { items: rows.map(toUser) };
    },
  });

  r.get('/api/users/:id', {
    config: { access: { roles: MANAGERS } },
    schema: { tags: ['users'], summary: '用户详情', params: idParam, response: { 200: user, ...stdErrors } },
    handler: async (req) => {
      const auth = requireAuth(req);
      const row = await findUserInScope(ctx.db, auth.scope, req.params.id);
      if (!row) throw notFound('用户不存在');
      return toUser(row);
    },
  });

  r.post('/api/users', {
    config: { access: { roles: MANAGERS, reauth: true } },
    schema: { tags: ['users'], summary: '新建用户（返回一次性初始密码）', body: userCreate, response: { 200: userCreateResponse, ...stdErrors } },
    handler: async (req) => createUser(ctx, requireAuth(req), req.body),
  });

  r.patch('/api/users/:id', {
    config: { access: { roles: MANAGERS, reauth: true } },
    schema: { tags: ['users'], summary: '修改用户', params: idParam, body: userUpdate, response: { 200: user, ...stdErrors } },
    handler: async (req) => updateUser(ctx, requireAuth(req), req.params.id, req.body),
  });

  r.post('/api/users/:id/reset-password', {
    config: { access: { roles: MANAGERS, reauth: true } },
    schema: { tags: ['users'], summary: '重置密码（返回一次性临时密码）', params: idParam, response: { 200: resetPasswordResponse, ...stdErrors } },
    handler: async (req) => resetPassword(ctx, requireAuth(req), req.params.id),
  });

  r.post('/api/users/:id/unlock', {
    config: { access: { roles: MANAGERS, reauth: true } },
    schema: { tags: ['users'], summary: '解除登录锁定', params: idParam, response: { 200: okBody, ...stdErrors } },
    handler: async (req) => {
      await unlockUser(ctx, requireAuth(req), req.params.id);
      return { ok: true as const };
    },
  });
}
