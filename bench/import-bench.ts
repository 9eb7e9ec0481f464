// Import benchmark (issue 3 item 9): the same generated CSV imported by canbao (full validation,
// duplicate detection, one transaction) and by the sqlite3 command line (.import into a plain
// table plus a unique index on the ID number), measured in the same run.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { loadConfig } from '../src/server/config.js';
import { migrateToLatest, openDatabase } from '../src/server/db/index.js';
import { seed } from '../src/server/seed/seed.js';
import type { AppCtx } from '../src/server/context.js';
import { scopeFor, type AuthInfo } from '../src/server/auth/access.js';

// The import runs from the build (dist/, `npm run build:server` first, as `npm run bench` does):
// its worker threads then run plain JavaScript, as in production, not sources through tsx.
type ImportFile = typeof import('../src/server/registration/import/service.js').importFile;
const built = new URL('../dist/server/registration/import/service.js', import.meta.url);
if (!fs.existsSync(built)) throw new Error('run `npm run build:server` first (npm run bench does)');
const { importFile } = (await import(built.href)) as { importFile: ImportFile };

export type BenchResult = { name: string; unit: string; value: number; baseline: string; baselineValue: number; ratio: number; extra?: Record<string, number> };

export async function importBench(rows: number): Promise<BenchResult[]> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'canbao-bench-import-'));
  const csv = path.join(dir, 'registrations.csv');
  // Generated in a child process, so that the generator's memory is not counted in this one's peak.
  const gen = spawnSync(process.execPath, ['--import', 'tsx', new URL('./generate.ts', import.meta.url).pathname, String(rows), csv, '--seed', 'bench', '--invalid', '0.03', '--region', '320411'], { encoding: 'utf8' });
  if (gen.status !== 0) throw new Error(`generate failed: ${gen.stderr}`);

  // Baseline: sqlite3 CLI .import + unique index.
  const baseDb = path.join(dir, 'baseline.db');
  const t0 = process.hrtime.bigint();
  const cli = spawnSync('sqlite3', [baseDb, '.mode csv', `.import ${csv} reg`, 'CREATE UNIQUE INDEX reg_id ON reg("公民身份号码");'], { encoding: 'utf8' });
  const cliMs = Number(process.hrtime.bigint() - t0) / 1e6;
  if (cli.status !== 0) throw new Error(`sqlite3 failed: ${cli.stderr}`);

  // canbao: fresh database, seeded, import as a district clerk into one community.
  const config = loadConfig({ CANBAO_DATA_DIR: path.join(dir, 'canbao') });
  const handle = openDatabase({ sqlitePath: config.sqlitePath });
  const ctx: AppCtx = { db: handle.db, dialect: handle.dialect, config, sqlite: handle.sqlite };
  await migrateToLatest(ctx.db);
  await seed(ctx, { adminPassword: 'Bench#2016pass' });
  const user = await ctx.db.selectFrom('app_user').selectAll().where('username', '=', 'admin').executeTakeFirstOrThrow();
  const unit = await ctx.db.selectFrom('org_unit').selectAll().where('code', '=', '320411002001').executeTakeFirstOrThrow();
  const auth = { user, orgUnit: unit, session: null, role: 'city_admin', scope: scopeFor('city_admin', '/'), actor: { userId: Number(user.id), username: 'bench', orgUnitId: null, ip: null } } as unknown as AuthInfo;
  const rssBefore = process.memoryUsage().rss;
  let peak = rssBefore;
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 50);
  const t1 = process.hrtime.bigint();
  const report = await importFile(ctx, auth, { path: csv, fileName: 'bench.csv', orgUnitId: Number(unit.id), mode: 'valid' });
  const importMs = Number(process.hrtime.bigint() - t1) / 1e6;
  clearInterval(timer);
  peak = Math.max(peak, process.memoryUsage().rss);
  await handle.destroy();
  fs.rmSync(dir, { recursive: true, force: true });
  return [
    {
      name: `import ${rows.toLocaleString('en')}-row CSV (validation, duplicates, one transaction)`,
      unit: 'ms',
      value: importMs,
      baseline: 'sqlite3 CLI .import + unique index',
      baselineValue: cliMs,
      ratio: importMs / cliMs,
      extra: { imported: report.imported, rejected: report.rejected, peakRssMB: Math.round(peak / 1024 / 1024) },
    },
  ];
}
