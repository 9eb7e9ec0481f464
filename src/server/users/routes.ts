// HTTP: user management. City admin: everyone; district admin: their own district's users.
import type { FastifyInstance } from 'fastify';
import type { z } from 'zod';
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
import type { AuthInfo } from '../auth/access.js';
import type { User } from '../../shared/api.js';
import { ROLE_LABELS } from '../../shared/roles.js';
import { shanghaiTimeText } from '../../domain/shanghai-day.js';
import { tableWorkbook } from '../export/table-workbook.js';
import { sendDownload } from '../export/send.js';
import { todayShanghai } from '../clock.js';

const MANAGERS = ['city_admin', 'district_admin'] as const;

export async function userRoutes(app: FastifyInstance, { ctx }: { ctx: AppCtx }) {
  const r = zapp(app);

  /** The users of the list's filters, in the caller's scope (the list and its .xlsx). */
  const usersOf = async (auth: AuthInfo, q: z.infer<typeof userListQuery>) => {
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
    return rows.map(toUser);
  };

  r.get('/api/users', {
    config: { access: { roles: MANAGERS } },
    schema: { tags: ['users'], summary: '用户列表', querystring: userListQuery, response: { 200: userList, ...stdErrors } },
    handler: async (req) => ({ items: await usersOf(requireAuth(req), req.query) }),
  });

  r.get('/api/users.xlsx', {
    config: { access: { roles: MANAGERS } },
    schema: { tags: ['users'], summary: '用户列表 .xlsx（与列表相同的筛选，电话脱敏）', querystring: userListQuery },
    handler: async (req, reply) => {
      const users = await usersOf(requireAuth(req), req.query);
      const status = (u: User) => (u.disabled ? '已停用' : u.locked ? '已锁定' : u.mustChangePassword ? '待首次登录改密' : '正常');
      const file = await tableWorkbook(`用户列表-${todayShanghai()}`, [
        {
          name: '用户',
          columns: [{ header: '用户名' }, { header: '姓名' }, { header: '角色' }, { header: '所属单位', width: 24 }, { header: '联系电话' }, { header: '状态' }, { header: '最近登录', width: 20 }, { header: '创建时间', width: 20 }],
          rows: users.map((u) => [u.username, u.displayName, ROLE_LABELS[u.role], u.orgUnitName, u.phone, status(u), u.lastLoginAt ? shanghaiTimeText(u.lastLoginAt) : '', shanghaiTimeText(u.createdAt)]),
        },
      ]);
      return sendDownload(reply, 'xlsx', file, 'users');
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
