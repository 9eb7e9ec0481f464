import type { FastifyInstance } from 'fastify';
import { errorBody, health } from '../../shared/api.js';
import type { AppCtx } from '../context.js';
import { zapp } from '../http.js';
import { ping } from '../db/index.js';
import { APP_VERSION } from '../version.js';
import { auditStatus } from '../audit/guard.js';
import { PUBLIC_REASONS } from '../audit/verify.js';

export async function healthRoutes(app: FastifyInstance, { ctx }: { ctx: AppCtx }) {
  zapp(app).get('/api/health', {
    config: { access: { public: true } },
    schema: { tags: ['system'], summary: '健康检查（含审计日志最近一次校验结果）', response: { 200: health, 500: errorBody } },
    handler: async () => {
      await ping(ctx.db);
      // Public: whether the audit log is intact and when it was checked, never which entries.
      const check = auditStatus(ctx);
      const audit = check
        ? { ok: check.ok, reason: PUBLIC_REASONS[check.code], checkedAt: check.checkedAt }
        : { ok: true, reason: null, checkedAt: null };
      return { status: 'ok' as const, database: ctx.dialect, version: APP_VERSION, audit };
    },
  });
}
