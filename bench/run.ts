// npm run bench [-- --json] [--only api,import,xlsx,xlsx-long,list,pg,web,field] [--rows N] [--xlsx-rows N] [--xlsx-long-rows N] [--list-records N]:
// backbone benchmarks. Each figure is printed with the ratio to a baseline measured in the same run
// on the same machine.
//  - api: session-checked API read: GET /api/orgs (session lookup, scope, 400+ units, zod
//    serialisation) through Fastify inject, against the bare better-sqlite3 SELECT of the same rows;
//    login (scrypt N=16384), against one bare scrypt call with the same parameters;
//  - import: a generated CSV (--rows, default 1,000,000) imported, against sqlite3's .import;
//  - xlsx: a generated .xlsx (--xlsx-rows, default 100,000) imported, against a bare exceljs read;
//  - xlsx-long: a .xlsx of long Chinese text (--xlsx-long-rows, default 200,000) imported, against a
//    bare exceljs read and canbao's own reader alone, with peak RSS;
//  - list: list pages and ID-number lookups over HTTP on a database of --list-records registrations
//    (default 2,000,000), against the bare SELECTs;
//  - pg: the CSV import on PostgreSQL (--rows), against psql's \copy (skipped without PostgreSQL);
//  - web: the built web app in headless Chromium: bytes of the login page, the list, a repeat visit;
//    time to a usable login form on localhost and on a throttled phone link (web-bench.ts);
//  - field: the phone app's outbox upload of 500 records on a 4 Mbps / 150 ms link, and the app's
//    size cached on the phone (field-bench.ts).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { scryptSync, randomBytes } from 'node:crypto';
import { loadConfig } from '../src/server/config.js';
import { useAuditKey } from '../src/server/audit/key.js';
import { migrateToLatest, openDatabase } from '../src/server/db/index.js';
import { seed } from '../src/server/seed/seed.js';
import { buildApp } from '../src/server/app.js';
import type { AppCtx } from '../src/server/context.js';
import { importBench, type BenchResult } from './import-bench.js';
import { xlsxBench, xlsxLongTextBench } from './xlsx-bench.js';
import { listBench } from './list-bench.js';
import { pgImportBench } from './pg-import-bench.js';
import { webBench } from './web-bench.js';
import { fieldBench } from './field-bench.js';

const BENCHES = ['api', 'import', 'xlsx', 'xlsx-long', 'list', 'pg', 'web', 'field'] as const;
type Bench = (typeof BENCHES)[number];

const { values: args } = parseArgs({
  options: {
    json: { type: 'boolean', default: false },
    only: { type: 'string' },
    rows: { type: 'string', default: '1000000' },
    'xlsx-rows': { type: 'string', default: '100000' },
    'xlsx-long-rows': { type: 'string', default: '200000' },
    'list-records': { type: 'string', default: '2000000' },
  },
});

function count(name: string, value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new Error(`--${name} must be a positive whole number, got ${value}`);
  return n;
}

const json = args.json!;
const importRows = count('rows', args.rows!);
const xlsxRows = count('xlsx-rows', args['xlsx-rows']!);
const xlsxLongRows = count('xlsx-long-rows', args['xlsx-long-rows']!);
const listRecords = count('list-records', args['list-records']!);
const only = new Set<Bench>(
  args.only === undefined
    ? BENCHES
    : args.only.split(',').map((s) => {
        const b = s.trim() as Bench;
        if (!BENCHES.includes(b)) throw new Error(`--only: unknown bench "${s}" (choose among ${BENCHES.join(', ')})`);
        return b;
      }),
);
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

async function apiBench(): Promise<BenchResult[]> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'canbao-bench-'));
  const config = loadConfig({ CANBAO_DATA_DIR: dir });
  useAuditKey(config); // the audit entries of seeding and imports carry the keyed MAC
  const handle = openDatabase({ sqlitePath: config.sqlitePath });
  const ctx: AppCtx = { db: handle.db, dialect: handle.dialect, config, sqlite: handle.sqlite };
  try {
    await migrateToLatest(ctx.db);
    await seed(ctx, { adminPassword: PASSWORD });
    await ctx.db.updateTable('app_user').set({ must_change_password: 0 }).execute();
    const { app } = await buildApp({ ctx, webRoot: null });
    try {
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
      return results;
    } finally {
      await app.close();
    }
  } finally {
    await handle.destroy();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

const results: BenchResult[] = [];
if (only.has('api')) results.push(...(await apiBench()));
if (only.has('import')) results.push(...(await importBench(importRows)));
if (only.has('xlsx')) results.push(...(await xlsxBench(xlsxRows)));
if (only.has('xlsx-long')) results.push(...(await xlsxLongTextBench(xlsxLongRows)));
// The list bench last: the 2 M-record database it builds leaves this process's memory high, and
// the imports report the process's peak RSS.
if (only.has('pg')) results.push(...(await pgImportBench(importRows)));
if (only.has('list')) results.push(...(await listBench(listRecords)));
if (only.has('web')) results.push(...(await webBench()));
if (only.has('field')) results.push(...(await fieldBench()));

if (json) {
  console.log(JSON.stringify({ machine: { cpus: os.cpus().length, model: os.cpus()[0]?.model, node: process.version }, results }, null, 2));
} else {
  console.log(`machine: ${os.cpus().length} × ${os.cpus()[0]?.model}, node ${process.version}`);
  for (const r of results) {
    const extra = r.extra ? '  | ' + Object.entries(r.extra).map(([k, v]) => `${k} ${v}`).join(', ') : '';
    console.log(`${r.name}: ${r.value.toFixed(2)} ${r.unit}  | baseline (${r.baseline}): ${r.baselineValue.toFixed(2)} ${r.unit}  | ratio ${r.ratio.toFixed(2)}${extra}`);
  }
}
