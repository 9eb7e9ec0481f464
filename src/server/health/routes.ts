import type { FastifyInstance } from 'fastify';
import { errorBody, health } from '../../shared/api.js';
import type { AppCtx } from '../context.js';
import { zapp } from '../http.js';
import { ping } from '../db/index.js';
import { APP_VERSION } from '../version.js';

export async function healthRoutes(app: FastifyInstance, { ctx }: { ctx: AppCtx }) {
  zapp(app).get('/api/health', {
    config: { access: { public: true } },
    schema: { tags: ['system'], summary: '健康检查', response: { 200: health, 500: errorBody } },
    handler: async () => {
      await ping(ctx.db);
      return { status: 'ok' as const, database: ctx.dialect, version: APP_VERSION };
    },
  });
}
