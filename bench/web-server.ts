// The setting of the browser benchmarks (web-bench.ts, field-bench.ts): the built web app served by
// canbao on a fresh seeded SQLite database in a temporary folder, and headless Chromium; both
// closed and the folder removed afterwards.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import type { FastifyInstance } from 'fastify';
import { loadConfig } from '../src/server/config.js';
import { useAuditKey } from '../src/server/audit/key.js';
import { migrateToLatest, openDatabase } from '../src/server/db/index.js';
import { seed } from '../src/server/seed/seed.js';
import { buildApp } from '../src/server/app.js';
import type { AppCtx } from '../src/server/context.js';
import { BENCH_PASSWORD } from './import-bench.js';

const CHROMIUM = process.env.CANBAO_CHROMIUM ?? '/usr/bin/chromium';

export type WebServer = { ctx: AppCtx; app: FastifyInstance; url: string; browser: Browser; webRoot: string };

/** Runs `fn` with the server and the browser; `needs` is a file of the build the bench requires. */
export async function withWebServer<T>(name: string, needs: string, fn: (s: WebServer) => Promise<T>): Promise<T> {
  const webRoot = path.resolve('dist/web');
  if (!fs.existsSync(path.join(webRoot, needs))) throw new Error(`dist/web/${needs} is missing: run npm run build:web first (npm run bench does)`);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `canbao-bench-${name}-`));
  const config = loadConfig({ CANBAO_DATA_DIR: dir });
  useAuditKey(config);
  const handle = openDatabase({ sqlitePath: config.sqlitePath });
  const ctx: AppCtx = { db: handle.db, dialect: handle.dialect, config, sqlite: handle.sqlite };
  let browser: Browser | null = null;
  try {
    await migrateToLatest(ctx.db);
    await seed(ctx, { adminPassword: BENCH_PASSWORD });
    await ctx.db.updateTable('app_user').set({ must_change_password: 0 }).execute();
    const { app } = await buildApp({ ctx, webRoot });
    try {
      await app.listen({ port: 0, host: '127.0.0.1' });
      const addr = app.server.address();
      const url = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`;
      browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync'] });
      return await fn({ ctx, app, url, browser, webRoot });
    } finally {
      await app.close();
    }
  } finally {
    await browser?.close();
    await handle.destroy();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
