// HTTP: login, logout, me, password change, re-authentication, own sessions.
import type { FastifyInstance, FastifyReply } from 'fastify';
import {
  changePasswordBody,
  errorBody,
  idParam,
  loginBody,
  meResponse,
  okBody,
  reauthBody,
  reauthResponse,
  sessionList,
  totpCodeBody,
  totpSetupResponse,
} from '../../shared/api.js';
import type { AppCtx } from '../context.js';
import { zapp, stdErrors } from '../http.js';
import { now } from '../clock.js';
import { notFound } from '../errors.js';
import { recordAudit } from '../audit/store.js';
import { changePassword, login, mustChangePassword, normalizeUsername, passwordExpiresAt, reauthenticate } from './service.js';
import { createAuthThrottle } from './throttle.js';
import { endSession, listLiveSessions, SESSION_COOKIE, type LiveSession } from './sessions.js';
import { requireAuth } from './access.js';
import { disableTotp, enableTotp, startTotpSetup } from './totp-service.js';
import { toOrgUnit } from '../orgs/store.js';
import type { Role } from '../../shared/roles.js';

export function toSessionUser(ctx: AppCtx, live: LiveSession) {
  return {
    id: Number(live.user.id),
    username: live.user.username,
    displayName: live.user.display_name,
    role: live.user.role as Role,
    orgUnit: toOrgUnit(live.orgUnit),
    mustChangePassword: mustChangePassword(ctx, live.user, now()),
    passwordExpiresAt: passwordExpiresAt(ctx, live.user),
    totpEnabled: live.user.totp_secret !== null,
  };
}

function setSessionCookie(ctx: AppCtx, reply: FastifyReply, token: string) {
  reply.setCookie(SESSION_COOKIE, token, {
    httpOnly: true,
    sameSite: 'strict',
    secure: ctx.config.cookieSecure,
    path: '/',
    maxAge: ctx.config.passwordPolicy.absoluteHours * 3600,
  });
}

export async function authRoutes(app: FastifyInstance, { ctx }: { ctx: AppCtx }) {
  const r = zapp(app);
  const throttle = createAuthThrottle(app, ctx);

  r.post('/api/auth/login', {
    config: { access: { public: true } },
    schema: { tags: ['auth'], summary: '登录', body: loginBody, response: { 200: meResponse, 400: errorBody, 401: errorBody, 423: errorBody, 429: errorBody } },
    handler: async (req, reply) => {
      const { token, live } = await throttle.guard(req, reply, normalizeUsername(req.body.username), () =>
        login(ctx, req.body, { ip: req.ip, userAgent: req.headers['user-agent'] ?? null }),
      );
      setSessionCookie(ctx, reply, token);
      return { user: toSessionUser(ctx, live) };
    },
  });

  r.post('/api/auth/logout', {
    config: { access: { roles: 'any', allowPasswordChange: true } },
    schema: { tags: ['auth'], summary: '退出登录', response: { 200: okBody, ...stdErrors } },
    handler: async (req, reply) => {
      const auth = requireAuth(req);
      await endSession(ctx.db, Number(auth.session.id), now());
      await recordAudit(ctx.db, ctx.dialect, auth.actor, { event: 'auth.logout', objectType: 'session', objectId: Number(auth.session.id) });
      reply.clearCookie(SESSION_COOKIE, { path: '/' });
      return { ok: true as const };
    },
  });

  r.get('/api/auth/me', {
    config: { access: { roles: 'any', allowPasswordChange: true } },
    schema: { tags: ['auth'], summary: '当前用户', response: { 200: meResponse, ...stdErrors } },
    handler: async (req) => ({ user: toSessionUser(ctx, requireAuth(req)) }),
  });

  r.post('/api/auth/password', {
    config: { access: { roles: 'any', allowPasswordChange: true } },
    schema: { tags: ['auth'], summary: '修改密码', body: changePasswordBody, response: { 200: okBody, ...stdErrors } },
    handler: async (req, reply) => {
      const auth = requireAuth(req);
      await throttle.guard(req, reply, auth.user.username, () => changePassword(ctx, auth, auth.actor, req.body.oldPassword, req.body.newPassword));
      return { ok: true as const };
    },
  });

  r.post('/api/auth/reauth', {
    config: { access: { roles: 'any' } },
    schema: { tags: ['auth'], summary: '再次输入密码以确认高风险操作', body: reauthBody, response: { 200: reauthResponse, ...stdErrors } },
    handler: async (req, reply) => {
      const auth = requireAuth(req);
      return { elevatedUntil: await throttle.guard(req, reply, auth.user.username, () => reauthenticate(ctx, auth, auth.actor, req.body.password)) };
    },
  });

  r.get('/api/auth/sessions', {
    config: { access: { roles: 'any', allowPasswordChange: true } },
    schema: { tags: ['auth'], summary: '我的登录会话', response: { 200: sessionList, ...stdErrors } },
    handler: async (req) => {
      const auth = requireAuth(req);
      const rows = await listLiveSessions(ctx.db, Number(auth.user.id), ctx.config.passwordPolicy, now());
      return {
        items: rows.map((s) => ({
          id: Number(s.id),
          createdAt: s.created_at,
          lastSeenAt: s.last_seen_at,
          ip: s.ip,
          userAgent: s.user_agent,
          current: Number(s.id) === Number(auth.session.id),
        })),
      };
    },
  });

  r.delete('/api/auth/sessions/:id', {
    config: { access: { roles: 'any', allowPasswordChange: true } },
    schema: { tags: ['auth'], summary: '结束我的一个会话', params: idParam, response: { 200: okBody, ...stdErrors } },
    handler: async (req) => {
      const auth = requireAuth(req);
      const s = await ctx.db.selectFrom('session').select(['id', 'user_id']).where('id', '=', req.params.id).executeTakeFirst();
      if (!s || Number(s.user_id) !== Number(auth.user.id)) throw notFound('会话不存在');
      await endSession(ctx.db, Number(s.id), now());
      await recordAudit(ctx.db, ctx.dialect, auth.actor, { event: 'auth.session.end', objectType: 'session', objectId: Number(s.id) });
      return { ok: true as const };
    },
  });

  r.post('/api/auth/totp/setup', {
    config: { access: { roles: 'any', reauth: true } },
    schema: { tags: ['auth'], summary: '生成动态验证码密钥（第二因素）', response: { 200: totpSetupResponse, ...stdErrors } },
    handler: async (req) => startTotpSetup(ctx, requireAuth(req)),
  });

  r.post('/api/auth/totp/enable', {
    config: { access: { roles: 'any' } },
    schema: { tags: ['auth'], summary: '输入验证码以启用动态验证码', body: totpCodeBody, response: { 200: okBody, ...stdErrors } },
    handler: async (req, reply) => {
      const auth = requireAuth(req);
      await throttle.guard(req, reply, auth.user.username, () => enableTotp(ctx, auth, req.body.code));
      return { ok: true as const };
    },
  });

  r.post('/api/auth/totp/disable', {
    config: { access: { roles: 'any', reauth: true } },
    schema: { tags: ['auth'], summary: '停用动态验证码', response: { 200: okBody, ...stdErrors } },
    handler: async (req) => {
      await disableTotp(ctx, requireAuth(req));
      return { ok: true as const };
    },
  });
}
