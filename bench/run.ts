// npm run bench [-- --json]: backbone benchmarks. Each figure is printed with the ratio to a
// baseline measured in the same run on the same machine.
//  - session-checked API read: GET /api/orgs (session lookup, scope, 400+ units, zod
//    serialisation) through Fastify inject, against the bare better-sqlite3 SELECT of the same rows;
//  - login (scrypt N=16384), against one bare scrypt call with the same parameters.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { scryptSync, randomBytes } from 'node:crypto';
import { loadConfig } from '../src/server/config.js';
import { migrateToLatest, openDatabase } from '../src/server/db/index.js';
import { seed } from '../src/server/seed/seed.js';
import { buildApp } from '../src/server/app.js';
import type { AppCtx } from '../src/server/context.js';
import { importBench, type BenchResult } from './import-bench.js';

const json = process.argv.includes('--json');
const rowsArg = process.argv.indexOf('--rows');
const importRows = rowsArg > 0 ? Number(process.argv[rowsArg + 1]) : 1_000_000;
const PASSWORD = 'Bench#2016pass';

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}

async function time(n: number, fn: () => unknown | Promise<unknown>): Promise<{ p50: number; p95: number; mean: number }> {
  for (let i = 0; i < Math.min(20, n); i++) await fn(); // warm-up
  const samples: number[] = [];
  for (let i = 0; i < n; i++) {
    const t = process.hrtime.bigint();
    await fn();
    samples.push(Number(process.hrtime.bigint() - t) / 1e6);
  }
  samples.sort((a, b) => a - b);
  return { p50: percentile(samples, 50), p95: percentile(samples, 95), mean: samples.reduce((s, x) => s + x, 0) / n };
}

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'canbao-bench-'));
const config = loadConfig({ CANBAO_DATA_DIR: dir });
const handle = openDatabase({ sqlitePath: config.sqlitePath });
const ctx: AppCtx = { db: handle.db, dialect: handle.dialect, config, sqlite: handle.sqlite };
await migrateToLatest(ctx.db);
await seed(ctx, { adminPassword: PASSWORD });
await ctx.db.updateTable('app_user').set({ must_change_password: 0 }).execute();
const { app } = await buildApp({ ctx, webRoot: null });

const login = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'admin', password: PASSWORD } });
const cookie = `canbao_sid=${login.cookies.find((c) => c.name === 'canbao_sid')!.value}`;

const results: BenchResult[] = [];

const api = await time(500, () => app.inject({ method: 'GET', url: '/api/orgs', headers: { cookie } }));
const raw = handle.sqlite!.prepare('select id, code, name, level, parent_id from org_unit order by code');
const base = await time(500, () => raw.all());
results.push({ name: 'GET /api/orgs p95 (session + scope + 407 units)', unit: 'ms', value: api.p95, baseline: 'bare SELECT of the same rows p95', baselineValue: base.p95, ratio: api.p95 / base.p95 });

const salt = randomBytes(16);
const loginT = await time(30, () => app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'admin', password: PASSWORD } }));
const scryptT = await time(30, () => scryptSync(PASSWORD, salt, 32, { N: 16384, r: 8, p: 1 }));
results.push({ name: 'POST /api/auth/login mean', unit: 'ms', value: loginT.mean, baseline: 'one scrypt hash mean', baselineValue: scryptT.mean, ratio: loginT.mean / scryptT.mean });

await app.close();
await handle.destroy();
fs.rmSync(dir, { recursive: true, force: true });

results.push(...(await importBench(importRows)));

if (json) {
  console.log(JSON.stringify({ machine: { cpus: os.cpus().length, model: os.cpus()[0]?.model, node: process.version }, results }, null, 2));
} else {
  console.log(`machine: ${os.cpus().length} × ${os.cpus()[0]?.model}, node ${process.version}`);
  for (const r of results) {
    const extra = r.extra ? '  | ' + Object.entries(r.extra).map(([k, v]) => `${k} ${v}`).join(', ') : '';
    console.log(`${r.name}: ${r.value.toFixed(2)} ${r.unit}  | baseline (${r.baseline}): ${r.baselineValue.toFixed(2)} ${r.unit}  | ratio ${r.ratio.toFixed(2)}${extra}`);
  }
}
