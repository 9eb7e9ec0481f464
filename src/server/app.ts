// Builds the Fastify app from its plugins. No side effects at import: main.ts / tests call buildApp.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Fastify, { type FastifyError, type FastifyInstance } from 'fastify';
import cookie from '@fastify/cookie';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import fastifyStatic from '@fastify/static';
import compress from '@fastify/compress';
import { jsonSchemaTransform, serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { importsIdle } from './registration/import/jobs.js';
import { detailTablesIdle } from './statistics/detail-tables.js';
import type { AppCtx } from './context.js';
import { trustProxyOption } from './config.js';
import { AppError } from './errors.js';
import { accessPlugin, type AccessRule } from './auth/access.js';
import { authRoutes } from './auth/routes.js';
import { orgRoutes } from './orgs/routes.js';
import { userRoutes } from './users/routes.js';
import { campaignRoutes } from './campaigns/routes.js';
import { auditRoutes } from './audit/routes.js';
import { startAuditGuard } from './audit/guard.js';
import { healthRoutes } from './health/routes.js';
import { registrationRoutes } from './registration/routes.js';
import { importRoutes } from './registration/import/routes.js';
import { assessmentRoutes } from './assessments/routes.js';
import { feeRoutes } from './fees/routes.js';
import { awardRoutes } from './awards/routes.js';
import { documentRoutes } from './documents/routes.js';
import { statisticsRoutes } from './statistics/routes.js';
import { fieldRoutes } from './field/routes.js';
import multipart from '@fastify/multipart';
import rateLimit from '@fastify/rate-limit';
import { APP_VERSION } from './version.js';
import { registerSecurityHeaders, swaggerUiCsp } from './security-headers.js';
import { registerInputGuard } from './input-guard.js';
import { requestLogFields } from './request-log.js';

z.config(z.locales.zhCN());

export type RouteInfo = { method: string; url: string; access: AccessRule | undefined };

export type BuildOptions = { ctx: AppCtx; logger?: boolean; webRoot?: string | null; /** Tests: log here (implies logger). */ logStream?: NodeJS.WritableStream };

function defaultWebRoot(): string | null {
  const here = path.dirname(fileURLToPath(import.meta.url));
  // From dist/server/app.js and from src/server/app.ts alike (src/web holds Vite's sources).
  const candidate = path.resolve(here, '../../dist/web');
  return fs.existsSync(path.join(candidate, 'index.html')) ? candidate : null;
}

/** Cache-Control of a file of the built web app: hashed bundles under assets/ for a year, the rest revalidated. */
export function webCacheControl(file: string): string {
  return /[\\/]assets[\\/][^\\/]+-[A-Za-z0-9_-]{8,}\.[a-z0-9]+(?:\.br|\.gz)?$/.test(file) ? 'public, max-age=31536000, immutable' : 'no-cache';
}

function validationMessage(err: FastifyError): string {
  const issues = (err.validation ?? []) as Array<{ message?: string; instancePath?: string; params?: { issue?: { path?: unknown[] } } }>;
  const parts = issues.slice(0, 5).map((i) => {
    const where = (i.instancePath ?? '').replace(/^\//, '').replace(/\//g, '.');
    return where ? `${where}：${i.message ?? '无效'}` : (i.message ?? '无效');
  });
  return parts.length ? `输入有误：${parts.join('；')}` : '输入有误';
}

export async function buildApp(opts: BuildOptions): Promise<{ app: FastifyInstance; routes: RouteInfo[] }> {
  const { ctx } = opts;
  const app = Fastify({
    logger:
      opts.logger || opts.logStream
        ? { level: ctx.config.logLevel, redact: ['req.headers.cookie', 'req.headers.authorization'], serializers: { req: requestLogFields }, ...(opts.logStream ? { stream: opts.logStream } : {}) }
        : false,
    bodyLimit: ctx.config.bodyLimit,
    trustProxy: trustProxyOption(ctx.config.trustProxy), // false unless CANBAO_TRUST_PROXY names the proxies
    ajv: { customOptions: { removeAdditional: false } },
  });
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);

  const routes: RouteInfo[] = [];
  app.addHook('onRoute', (r) => {
    const methods = Array.isArray(r.method) ? r.method : [r.method];
    for (const m of methods) if (m !== 'HEAD') routes.push({ method: m, url: r.url, access: r.config?.access });
  });

  app.setErrorHandler((err: FastifyError | AppError, request, reply) => {
    if (err instanceof AppError) {
      return reply.status(err.status).send({ error: { code: err.code, message: err.message, ...(err.details !== undefined ? { details: err.details } : {}) } });
    }
    const fe = err as FastifyError;
    if (fe.validation) {
      return reply.status(400).send({ error: { code: 'INVALID_INPUT', message: validationMessage(fe), details: fe.validation } });
    }
    if (fe.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
      // A route with a limit of its own (a raw photo upload) names it in its own words.
      const limit = request.routeOptions.bodyLimit ?? ctx.config.bodyLimit;
      const message = request.routeOptions.config?.tooLarge ?? `请求内容过大（上限 ${Math.round(limit / 1024)} KB）`;
      return reply.status(413).send({ error: { code: 'PAYLOAD_TOO_LARGE', message } });
    }
    if (fe.statusCode && fe.statusCode >= 400 && fe.statusCode < 500) {
      const message =
        fe.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE'
          ? '不支持的请求内容类型，请使用 application/json'
          : fe.code === 'FST_ERR_CTP_EMPTY_JSON_BODY'
            ? '请求内容为空'
            : '请求格式不正确（JSON 无法解析）';
      return reply.status(fe.statusCode === 415 ? 415 : 400).send({ error: { code: 'INVALID_INPUT', message } });
    }
    // SQLite: another connection (a large import, a backup) held the write lock beyond the busy timeout.
    if ((err as { code?: string }).code === 'SQLITE_BUSY' || (err as { code?: string }).code?.startsWith('SQLITE_BUSY_')) {
      return reply.status(503).header('Retry-After', '10').send({ error: { code: 'BUSY', message: '数据库正忙（可能正在导入大文件），本次操作未执行，请稍后重试' } });
    }
    request.log.error({ err }, 'unhandled error');
    return reply.status(500).send({ error: { code: 'INTERNAL', message: '服务器内部错误，请稍后重试或联系管理员' } });
  });

  app.setNotFoundHandler((request, reply) => {
    if (request.url.startsWith('/api/')) {
      return reply.status(404).send({ error: { code: 'NOT_FOUND', message: '接口不存在' } });
    }
    if (request.url.startsWith('/assets/')) {
      return reply.status(404).type('text/plain; charset=utf-8').send('文件不存在');
    }
    // The web apps route on the client: a path of the phone app (/m/…) gets its page, any other index.html.
    if (webRoot) return reply.type('text/html').header('Cache-Control', 'no-cache').sendFile(/^\/m(\/|$|\?)/.test(request.url) ? 'm/index.html' : 'index.html');
    return reply.status(404).type('text/plain; charset=utf-8').send('Web 前端尚未构建：请运行 npm run build');
  });

  // Imports run in the background: the server ends after them, never in the middle of one.
  app.addHook('onClose', async () => {
    await importsIdle();
    await detailTablesIdle();
  });

  // Security headers (helmet, CSP) and no caching of API answers: security-headers.ts.
  await registerSecurityHeaders(app, ctx.config);
  // No NUL character in any text input (query, params, JSON body): 400 before validation.
  registerInputGuard(app);

  // Compressed answers (brotli or gzip, as the browser accepts) above 1 KB: API JSON, CSV exports.
  // Registered before the static files, whose hashed bundles are compressed once at build time
  // (vite.config.ts) and sent as they are (preCompressed below).
  await app.register(compress, { global: true, threshold: 1024, encodings: ['br', 'gzip'] });
  await app.register(cookie);
  await app.register(multipart);
  await app.register(swagger, {
    openapi: {
      info: { title: 'canbao 全民参保登记考核系统 API', version: APP_VERSION },
      components: { securitySchemes: { session: { type: 'apiKey', in: 'cookie', name: 'canbao_sid' } } },
    },
    transform: jsonSchemaTransform,
  });
  await app.register(swaggerUi, { routePrefix: '/api/docs', ...swaggerUiCsp });
  await app.register(accessPlugin, { ctx });
  // Per-source throttling of failed logins and re-auths; applied per route by auth/throttle.ts only.
  await app.register(rateLimit, { global: false });

  for (const plugin of [healthRoutes, authRoutes, orgRoutes, userRoutes, campaignRoutes, auditRoutes, registrationRoutes, importRoutes, assessmentRoutes, feeRoutes, awardRoutes, documentRoutes, statisticsRoutes, fieldRoutes]) {
    await app.register(plugin, { ctx });
  }

  app.get('/api/openapi.json', { config: { access: { public: true } }, schema: { hide: true } }, async () => app.swagger());

  const webRoot = opts.webRoot === undefined ? defaultWebRoot() : opts.webRoot;
  if (webRoot) {
    await app.register(fastifyStatic, {
      root: webRoot,
      prefix: '/',
      wildcard: false,
      index: ['index.html'],
      preCompressed: true,
      cacheControl: false,
      // Bundles carry their content's hash in the name: cached for a year and never revalidated;
      // everything else (index.html, which names the current bundles) is checked on every visit.
      setHeaders: (reply, file) => reply.header('Cache-Control', webCacheControl(file)),
    });
  }

  // Audit log: triggers re-created, the chain verified from the latest recorded head, a head recorded; the full walk and the timers go on in the background.
  const stopAuditGuard = await startAuditGuard(ctx, app.log);
  app.addHook('onClose', stopAuditGuard);

  await app.ready();
  return { app, routes };
}
