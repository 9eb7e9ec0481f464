// The one mechanism every request passes (deny by default): each API route declares
// `config.access`; a route without it is refused. Sets request.auth for handlers.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import type { Role } from '../../shared/roles.js';
import { isCityRole } from '../../shared/roles.js';
import type { AppCtx } from '../context.js';
import { AppError, forbidden, unauthenticated } from '../errors.js';
import { now } from '../clock.js';
import { resolveSession, SESSION_COOKIE, type LiveSession } from './sessions.js';
import { mustChangePassword } from './service.js';
import type { Actor } from '../audit/store.js';
import type { Scope } from '../orgs/store.js';

export type AccessRule =
  | { public: true }
  | {
      roles: readonly Role[] | 'any';
      /** Reachable while the password must still be changed (me, password, logout). */
      allowPasswordChange?: boolean;
      /** A high-value action: the password must have been re-entered in the last minutes. */
      reauth?: boolean;
    };

export type AuthInfo = LiveSession & { role: Role; scope: Scope; actor: Actor };

declare module 'fastify' {
  interface FastifyContextConfig {
    access?: AccessRule;
    /** The 413 message of a route with a body limit of its own (app.ts error handler). */
    tooLarge?: string;
  }
  interface FastifyRequest {
    auth: AuthInfo | null;
  }
}

/** Prefixes outside the deny-by-default rule: the API's own documentation. */
const PUBLIC_PREFIXES = ['/api/docs', '/api/openapi.json'];

export function requireAuth(request: FastifyRequest): AuthInfo {
  if (!request.auth) throw unauthenticated();
  return request.auth;
}

export function actorOf(request: FastifyRequest): Actor {
  return request.auth?.actor ?? { userId: null, username: null, orgUnitId: null, ip: request.ip };
}

export function scopeFor(role: Role, unitPath: string): Scope {
  return isCityRole(role) ? { rootPath: '/', isCity: true } : { rootPath: unitPath, isCity: false };
}

async function accessHook(ctx: AppCtx, request: FastifyRequest, _reply: FastifyReply): Promise<void> {
  request.auth = null;
  if (request.is404) return;
  // Decide by the route that matched, never by the raw URL: the router decodes the path, so
  // '/%61pi/audit' reaches the '/api/audit' route while the raw URL does not start with '/api/'.
  const url = request.routeOptions.url ?? '';
  if (!url.startsWith('/api/') && url !== '/api') return; // the web app's static files carry no data
  if (PUBLIC_PREFIXES.some((p) => url === p || url.startsWith(p + '/'))) return;
  const rule = request.routeOptions.config.access;
  if (!rule) throw forbidden('此接口未声明访问规则，已拒绝');
  if ('public' in rule) return;

  const token = request.cookies[SESSION_COOKIE];
  const at = now();
  const live = token ? await resolveSession(ctx.db, token, ctx.config.passwordPolicy, at) : null;
  if (!live) throw unauthenticated(token ? '会话已过期，请重新登录' : '请先登录');
  const role = live.user.role as Role;
  request.auth = {
    ...live,
    role,
    scope: scopeFor(role, live.orgUnit.path),
    actor: { userId: Number(live.user.id), username: live.user.username, orgUnitId: Number(live.user.org_unit_id), ip: request.ip },
  };
  if (!rule.allowPasswordChange && mustChangePassword(ctx, live.user, at)) {
    throw new AppError(403, 'PASSWORD_CHANGE_REQUIRED', '首次登录或密码已过期，请先修改密码');
  }
  if (rule.roles !== 'any' && !rule.roles.includes(role)) throw forbidden();
  if (rule.reauth) {
    const until = live.session.elevated_until;
    if (!until || Date.parse(until) <= at.getTime()) {
      throw new AppError(403, 'REAUTH_REQUIRED', '此操作需要再次输入密码确认');
    }
  }
}

/** The origins a browser page of this application may have: the configured public address, and
 *  this request's own host with https (and http too, unless the deployment is known to be https). */
function sameOrigin(ctx: AppCtx, request: FastifyRequest, origin: string): boolean {
  let o: URL;
  try {
    o = new URL(origin); // 'null', garbage and 'http://' throw: refused like any other origin
  } catch {
    return false;
  }
  if (o.origin === 'null') return false;
  const publicUrl = ctx.config.publicUrl;
  if (publicUrl && new URL(publicUrl).origin === o.origin) return true;
  const host = request.host;
  if (!host) return false;
  let own: URL;
  try {
    own = new URL(`${o.protocol}//${host}`); // normalises default ports and IPv6 literals alike
  } catch {
    return false;
  }
  if (own.host !== o.host) return false;
  const httpsKnown = request.protocol === 'https' || ctx.config.cookieSecure || (publicUrl?.startsWith('https:') ?? false);
  return o.protocol === 'https:' || (o.protocol === 'http:' && !httpsKnown);
}

export const accessPlugin = fp(async (app: FastifyInstance, opts: { ctx: AppCtx }) => {
  app.decorateRequest('auth', null);
  // Cross-site writes are refused even if a browser sent the cookie; checked first, before any
  // session lookup. Any Origin that is not ours, well-formed or not ('null', garbage), is a 403.
  app.addHook('onRequest', async (request) => {
    if (request.method === 'GET' || request.method === 'HEAD' || request.method === 'OPTIONS') return;
    const origin = request.headers.origin;
    if (origin !== undefined && !sameOrigin(opts.ctx, request, origin)) throw forbidden('跨站请求已拒绝');
  });
  app.addHook('onRequest', (request, reply) => accessHook(opts.ctx, request, reply));
});
