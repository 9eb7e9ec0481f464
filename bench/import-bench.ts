// Import benchmark (issue 3 item 9): the same generated CSV imported by canbao (full validation,
// duplicate detection, one transaction) and by the sqlite3 command line (.import into a plain
// table plus a unique index on the ID number), measured in the same run.
// Also the shared pieces of the other benches: the generator in a child process, a fresh seeded
// database with the admin's auth, and the built importFile.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { loadConfig } from '../src/server/config.js';
import { useAuditKey } from '../src/server/audit/key.js';
import { migrateToLatest, openDatabase, type Db } from '../src/server/db/index.js';
import { seed } from '../src/server/seed/seed.js';
import type { AppCtx } from '../src/server/context.js';
import { scopeFor, type AuthInfo } from '../src/server/auth/access.js';
import { mapHeader } from '../src/domain/import-headers.js';
import { columnOf } from '../src/server/registration/columns.js';
import type { RegistrationKey } from '../src/shared/registration.js';
import { BENCH_HEADER } from './generate.js';

// The import runs from the build (dist/, `npm run build:server` first, as `npm run bench` does):
// its worker threads then run plain JavaScript, as in production, not sources through tsx.
type ImportFile = typeof import('../src/server/registration/import/service.js').importFile;
const built = new URL('../dist/server/registration/import/service.js', import.meta.url);
if (!fs.existsSync(built)) throw new Error('run `npm run build:server` first (npm run bench does)');
export const { importFile } = (await import(built.href)) as { importFile: ImportFile };

export type BenchResult = { name: string; unit: string; value: number; baseline: string; baselineValue: number; ratio: number; extra?: Record<string, number> };

export const BENCH_PASSWORD = 'Bench#2016pass';

export const msSince = (t: bigint): number => Number(process.hrtime.bigint() - t) / 1e6;

/** Writes a generated CSV in a child process, so that the generator's memory is not counted in this one's. */
export function generateCsv(rows: number, file: string, opts: { seed: string; region: string; invalid?: number; communities?: string[] }): void {
  const args = ['--import', 'tsx', new URL('./generate.ts', import.meta.url).pathname, String(rows), file, '--seed', opts.seed, '--invalid', String(opts.invalid ?? 0.03), '--region', opts.region, ...(opts.communities?.length ? ['--communities', opts.communities.join(',')] : [])];
  const gen = spawnSync(process.execPath, args, { encoding: 'utf8' });
  if (gen.status !== 0) throw new Error(`generate failed: ${gen.stderr}`);
}

/** The seeded admin (a city administrator) as importFile expects its caller. */
export async function adminAuth(ctx: AppCtx): Promise<AuthInfo> {
  const user = await ctx.db.selectFrom('app_user').selectAll().where('username', '=', 'admin').executeTakeFirstOrThrow();
  const unit = await ctx.db.selectFrom('org_unit').selectAll().where('id', '=', user.org_unit_id).executeTakeFirst();
  return { user, orgUnit: unit, session: null, role: 'city_admin', scope: scopeFor('city_admin', '/'), actor: { userId: Number(user.id), username: 'bench', orgUnitId: null, ip: null } } as unknown as AuthInfo;
}

export async function orgUnitId(ctx: AppCtx, code: string): Promise<number> {
  const unit = await ctx.db.selectFrom('org_unit').select('id').where('code', '=', code).executeTakeFirstOrThrow();
  return Number(unit.id);
}

/** A fresh SQLite database in dataDir, migrated and seeded, with the admin's auth. */
export async function seededSqlite(dataDir: string): Promise<{ ctx: AppCtx; handle: Db; auth: AuthInfo }> {
  const config = loadConfig({ CANBAO_DATA_DIR: dataDir });
  useAuditKey(config); // the audit entries of seeding and imports carry the keyed MAC
  const handle = openDatabase({ sqlitePath: config.sqlitePath });
  const ctx: AppCtx = { db: handle.db, dialect: handle.dialect, config, sqlite: handle.sqlite };
  try {
    await migrateToLatest(ctx.db);
    await seed(ctx, { adminPassword: BENCH_PASSWORD });
    return { ctx, handle, auth: await adminAuth(ctx) };
  } catch (e) {
    await handle.destroy();
    throw e;
  }
}

/** Runs fn while sampling this process's RSS every 50 ms; returns fn's result and the peak. */
export async function withPeakRss<T>(fn: () => Promise<T>): Promise<{ result: T; peak: number }> {
  let peak = process.memoryUsage().rss;
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 50);
  try {
    const result = await fn();
    return { result, peak: Math.max(peak, process.memoryUsage().rss) };
  } finally {
    clearInterval(timer);
  }
}

/**
 * Other users' reads while a file is imported (SQLite: the write worker holds the write lock, the
 * server's connection reads through WAL): 8 clients loop on the first list page of 320411002001
 * (which the import is writing to) over the app, before and during the import of `rows` more rows.
 */
async function listDuringImport(ctx: AppCtx, auth: AuthInfo, dir: string, rows: number): Promise<BenchResult> {
  type BuildApp = typeof import('../src/server/app.js').buildApp;
  const { buildApp } = (await import(new URL('../dist/server/app.js', import.meta.url).href)) as { buildApp: BuildApp };
  const { app } = await buildApp({ ctx, webRoot: null });
  try {
    await ctx.db.updateTable('app_user').set({ must_change_password: 0 }).execute(); // as list-bench: no first-login change
    const login = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'admin', password: BENCH_PASSWORD } });
    const sid = login.cookies.find((c) => c.name === 'canbao_sid');
    if (!sid) throw new Error(`login failed: ${login.statusCode} ${login.body}`);
    const unitId = await orgUnitId(ctx, '320411002001');
    const url = `/api/registrations?orgUnitId=${unitId}`;
    const headers = { cookie: `canbao_sid=${sid.value}` };
    const p95 = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length * 0.95)] ?? NaN;
    const readers = async (until: () => boolean, min = 0) => {
      const times: number[] = [];
      let errors = 0;
      await Promise.all(
        Array.from({ length: 8 }, async () => {
          while (!until() || times.length < min) {
            const t = process.hrtime.bigint();
            const res = await app.inject({ method: 'GET', url, headers });
            times.push(msSince(t));
            if (res.statusCode !== 200) errors++;
            // inject() can resolve without the event loop turning: let the import's messages in.
            await new Promise((r) => setImmediate(r));
          }
        }),
      );
      return { times, errors };
    };
    const probe = await app.inject({ method: 'GET', url, headers });
    if (probe.statusCode !== 200) throw new Error(`list answered ${probe.statusCode}: ${probe.body.slice(0, 200)}`);
    const quiet = await readers(() => true, 400);
    const csv = path.join(dir, 'during.csv');
    generateCsv(rows, csv, { seed: 'during', region: '320404', invalid: 0.03 });
    let done = false;
    const t0 = process.hrtime.bigint();
    const importing = importFile(ctx, auth, { path: csv, fileName: 'during.csv', orgUnitId: unitId, mode: 'valid' }).finally(() => (done = true));
    const busy = await readers(() => done);
    await importing;
    const importMs = msSince(t0);
    return {
      name: `list GET p95 during a ${rows.toLocaleString('en')}-row import (8 concurrent readers, the community being written)`,
      unit: 'ms',
      value: p95(busy.times),
      baseline: 'the same readers with no import',
      baselineValue: p95(quiet.times),
      ratio: p95(busy.times) / p95(quiet.times),
      extra: { requests: busy.times.length, errors: busy.errors, maxMs: Math.round(Math.max(...busy.times)), importMs: Math.round(importMs) },
    };
  } finally {
    await app.close();
  }
}

/** What a bare load writes besides the file's columns: where, by whom, under which batch. */
export type BareLoadTarget = { unitId: number; path: string; districtId: number | null; userId: number; batchId: number };

/**
 * The floor under any import (second baseline): the generated file's rows put into canbao's own
 * registration table by the database's command line, with no validation — from `source` (the file
 * loaded as it is into a plain table), the columns mapped by their header as the import maps them,
 * sex and birth date cut from the ID number, everything else constant, in ID-number order (as the
 * import inserts). The table keeps its indexes and foreign keys.
 */
export function bareLoadInsert(source: string, t: BareLoadTarget): string {
  const q = (name: string) => `"${name.replace(/"/g, '""')}"`;
  const cols: string[] = [];
  const values: string[] = [];
  let idColumn = '';
  for (const c of mapHeader(BENCH_HEADER).columns) {
    if (!c.field) continue;
    cols.push(columnOf(c.field as RegistrationKey));
    values.push(q(c.header));
    if (c.field === 'idNumber') idColumn = q(c.header);
  }
  const at = "'2016-12-01T00:00:00.000Z'";
  const fixed: Array<[string, string]> = [
    ['sex', `substr(${idColumn}, 17, 1)`],
    ['birth_date', `substr(${idColumn}, 7, 4) || '-' || substr(${idColumn}, 11, 2) || '-' || substr(${idColumn}, 13, 2)`],
    ['id_type', "'01'"],
    ['org_unit_id', String(t.unitId)],
    ['org_path', `'${t.path}'`],
    ['district_id', String(t.districtId ?? 'NULL')],
    ['is_valid', '1'],
    ['is_counted', '1'],
    ['counted_by_city', '0'],
    ['entered_by', String(t.userId)],
    ['entered_at', at],
    ['entry_source', "'import'"],
    ['import_batch_id', String(t.batchId)],
    ['updated_at', at],
    ['version', '0'],
  ];
  for (const [c, v] of fixed) {
    cols.push(c);
    values.push(v);
  }
  return `insert into registration (${cols.map(q).join(', ')}) select ${values.join(', ')} from ${source} order by ${idColumn}`;
}

/** A batch row for the bare load (its foreign key), and where the rows go. */
export async function bareLoadTarget(ctx: AppCtx, auth: AuthInfo, unitCode: string): Promise<BareLoadTarget> {
  const unit = await ctx.db.selectFrom('org_unit').select(['id', 'path']).where('code', '=', unitCode).executeTakeFirstOrThrow();
  const district = await ctx.db.selectFrom('org_unit').select('id').where('code', '=', unitCode.slice(0, 6)).executeTakeFirst();
  const batch = await ctx.db
    .insertInto('import_batch')
    .values({ org_unit_id: Number(unit.id), user_id: Number(auth.user.id), file_name: 'bare.csv', file_sha256: '', mode: 'valid', status: 'running', created_at: new Date().toISOString(), finished_at: null, rows_total: 0, rows_imported: 0, rows_rejected: 0, rows_unchanged: 0, rejects_json: null, job_id: null, error_code: null, error_message: null })
    .returning('id')
    .executeTakeFirstOrThrow();
  return { unitId: Number(unit.id), path: unit.path, districtId: district ? Number(district.id) : null, userId: Number(auth.user.id), batchId: Number(batch.id) };
}

/** The SQLite floor: sqlite3 CLI .import of the file into a plain table, then bareLoadInsert in one transaction (the import's pragmas, its statistics trigger set aside as the import sets it aside). */
async function sqliteBareLoad(dir: string, csv: string): Promise<number> {
  const { ctx, handle, auth } = await seededSqlite(path.join(dir, 'floor'));
  const dbFile = ctx.config.sqlitePath;
  let target: BareLoadTarget;
  try {
    target = await bareLoadTarget(ctx, auth, '320411002001');
  } finally {
    await handle.destroy();
  }
  const script = [
    'PRAGMA journal_mode = WAL;',
    'PRAGMA synchronous = NORMAL;',
    'PRAGMA foreign_keys = ON;',
    'PRAGMA cache_size = -32768;',
    '.mode csv',
    `.import ${csv} bare_source`,
    'BEGIN;',
    'DROP TRIGGER stat_registration_insert;',
    `${bareLoadInsert('bare_source', target)};`,
    'COMMIT;',
  ].join('\n');
  const t0 = process.hrtime.bigint();
  const cli = spawnSync('sqlite3', [dbFile], { input: script, encoding: 'utf8' });
  const ms = msSince(t0);
  if (cli.status !== 0 || cli.stderr) throw new Error(`sqlite3 bare load failed: ${cli.stderr}`);
  return ms;
}

export async function importBench(rows: number): Promise<BenchResult[]> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'canbao-bench-import-'));
  try {
    const csv = path.join(dir, 'registrations.csv');
    generateCsv(rows, csv, { seed: 'bench', region: '320411', invalid: 0.03 });

    // Baseline: sqlite3 CLI .import + unique index.
    const baseDb = path.join(dir, 'baseline.db');
    const t0 = process.hrtime.bigint();
    const cli = spawnSync('sqlite3', [baseDb, '.mode csv', `.import ${csv} reg`, 'CREATE UNIQUE INDEX reg_id ON reg("公民身份号码");'], { encoding: 'utf8' });
    const cliMs = msSince(t0);
    if (cli.status !== 0) throw new Error(`sqlite3 failed: ${cli.stderr}`);
    const bareMs = await sqliteBareLoad(dir, csv);

    // canbao: fresh database, seeded, import as a district clerk into one community.
    const { ctx, handle, auth } = await seededSqlite(path.join(dir, 'canbao'));
    try {
      const unitId = await orgUnitId(ctx, '320411002001');
      const t1 = process.hrtime.bigint();
      const { result: report, peak } = await withPeakRss(() => importFile(ctx, auth, { path: csv, fileName: 'bench.csv', orgUnitId: unitId, mode: 'valid' }));
      const importMs = msSince(t1);
      const during = await listDuringImport(ctx, auth, dir, Math.min(rows, 200_000));
      return [
        during,
        {
          name: `import ${rows.toLocaleString('en')}-row CSV (validation, duplicates, one transaction)`,
          unit: 'ms',
          value: importMs,
          baseline: 'sqlite3 CLI .import + unique index',
          baselineValue: cliMs,
          ratio: importMs / cliMs,
          extra: { imported: report.imported, rejected: report.rejected, peakRssMB: Math.round(peak / 1024 / 1024), bareLoadMs: Math.round(bareMs), ratioToBareLoad: Number((importMs / bareMs).toFixed(2)) },
        },
      ];
    } finally {
      await handle.destroy();
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
