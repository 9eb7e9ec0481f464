// PostgreSQL import benchmark: the same generated CSV imported by canbao into a fresh schema
// (full validation, duplicate detection, one transaction), against psql's \copy of the file into
// a plain all-text table plus a unique index on the ID number, measured in the same run.
// Skipped (no result) when PostgreSQL does not answer. CANBAO_BENCH_PG_URL overrides the URL.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { loadConfig } from '../src/server/config.js';
import { useAuditKey } from '../src/server/audit/key.js';
import { createPgSchema, dropPgSchema, migrateToLatest, openDatabase } from '../src/server/db/index.js';
import { seed } from '../src/server/seed/seed.js';
import type { AppCtx } from '../src/server/context.js';
import { BENCH_HEADER } from './generate.js';
import { adminAuth, bareLoadInsert, bareLoadTarget, BENCH_PASSWORD, generateCsv, importFile, msSince, orgUnitId, withPeakRss, type BenchResult } from './import-bench.js';

export const PG_URL = process.env.CANBAO_BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

async function pgAnswers(url: string): Promise<string | null> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    await client.query('select 1');
  } catch (e) {
    return e instanceof Error ? e.message : String(e);
  } finally {
    await client.end().catch(() => undefined);
  }
  const psql = spawnSync('psql', ['--version'], { encoding: 'utf8' });
  return psql.status === 0 ? null : `psql not runnable: ${psql.error?.message ?? psql.stderr}`;
}

const ident = (name: string) => `"${name.replace(/"/g, '""')}"`;

export async function pgImportBench(rows = 1_000_000): Promise<BenchResult[]> {
  const down = await pgAnswers(PG_URL);
  if (down) {
    console.error(`pg import bench skipped: PostgreSQL at ${PG_URL} does not answer (${down})`);
    return [];
  }
  const tag = `${process.pid}_${randomBytes(4).toString('hex')}`;
  const copySchema = `bench_copy_${tag}`;
  const appSchema = `bench_app_${tag}`;
  const floorSchema = `bench_floor_${tag}`;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'canbao-bench-pg-'));
  try {
    const csv = path.join(dir, 'registrations.csv');
    generateCsv(rows, csv, { seed: 'bench', region: '320411', invalid: 0.03 });

    // Baseline: psql \copy into a plain table (all columns text, named by the header), then a
    // unique index on the ID number; the table is created in the same psql run, as sqlite3's
    // .import creates its table.
    await createPgSchema(PG_URL, copySchema);
    const table = `${copySchema}.reg`;
    const t0 = process.hrtime.bigint();
    const cli = spawnSync(
      'psql',
      [
        PG_URL,
        '-X',
        '-q',
        '-v',
        'ON_ERROR_STOP=1',
        '-c',
        `CREATE TABLE ${table} (${BENCH_HEADER.map((h) => `${ident(h)} text`).join(', ')})`,
        '-c',
        `\\copy ${table} FROM '${csv.replace(/'/g, "''")}' WITH (FORMAT csv, HEADER true)`,
        '-c',
        `CREATE UNIQUE INDEX reg_id ON ${table} (${ident('公民身份号码')})`,
      ],
      { encoding: 'utf8' },
    );
    const copyMs = msSince(t0);
    if (cli.status !== 0) throw new Error(`psql failed: ${cli.stderr || cli.error?.message}`);

    const bareMs = await pgBareLoad(floorSchema, csv, dir);

    // canbao: a fresh schema, migrated and seeded, import into one community.
    await createPgSchema(PG_URL, appSchema);
    const config = loadConfig({ DATABASE_URL: PG_URL, CANBAO_PG_SCHEMA: appSchema, CANBAO_DATA_DIR: dir });
    useAuditKey(config); // the audit entries of seeding and imports carry the keyed MAC
    const handle = openDatabase({ databaseUrl: config.databaseUrl, sqlitePath: config.sqlitePath, pgSchema: config.pgSchema });
    try {
      const ctx: AppCtx = { db: handle.db, dialect: handle.dialect, config, sqlite: handle.sqlite };
      await migrateToLatest(ctx.db, config.pgSchema);
      await seed(ctx, { adminPassword: BENCH_PASSWORD });
      const auth = await adminAuth(ctx);
      const unitId = await orgUnitId(ctx, '320411002001');
      const t1 = process.hrtime.bigint();
      const { result: report, peak } = await withPeakRss(() => importFile(ctx, auth, { path: csv, fileName: 'bench.csv', orgUnitId: unitId, mode: 'valid' }));
      const importMs = msSince(t1);
      return [
        {
          name: `PostgreSQL: import ${rows.toLocaleString('en')}-row CSV (validation, duplicates, one transaction)`,
          unit: 'ms',
          value: importMs,
          baseline: 'psql \\copy + unique index',
          baselineValue: copyMs,
          ratio: importMs / copyMs,
          extra: { imported: report.imported, rejected: report.rejected, peakRssMB: Math.round(peak / 1024 / 1024), bareLoadMs: Math.round(bareMs), ratioToBareLoad: Number((importMs / bareMs).toFixed(2)) },
        },
      ];
    } finally {
      await handle.destroy();
    }
  } finally {
    await dropPgSchema(PG_URL, copySchema).catch((e: unknown) => console.error(`could not drop schema ${copySchema}: ${String(e)}`));
    await dropPgSchema(PG_URL, floorSchema).catch((e: unknown) => console.error(`could not drop schema ${floorSchema}: ${String(e)}`));
    await dropPgSchema(PG_URL, appSchema).catch((e: unknown) => console.error(`could not drop schema ${appSchema}: ${String(e)}`));
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * The PostgreSQL floor (second baseline, see bareLoadInsert): psql \copy of the file into a temporary
 * all-text table, then one INSERT … SELECT into canbao's registration table in ID-number order in
 * one transaction, the statistics trigger skipping the batch's rows as it does for an import.
 */
async function pgBareLoad(schema: string, csv: string, dir: string): Promise<number> {
  await createPgSchema(PG_URL, schema);
  const config = loadConfig({ DATABASE_URL: PG_URL, CANBAO_PG_SCHEMA: schema, CANBAO_DATA_DIR: path.join(dir, 'floor') });
  useAuditKey(config);
  const handle = openDatabase({ databaseUrl: config.databaseUrl, sqlitePath: config.sqlitePath, pgSchema: config.pgSchema });
  let insert: string;
  let batchId: number;
  try {
    const ctx: AppCtx = { db: handle.db, dialect: handle.dialect, config, sqlite: handle.sqlite };
    await migrateToLatest(ctx.db, config.pgSchema);
    await seed(ctx, { adminPassword: BENCH_PASSWORD });
    const target = await bareLoadTarget(ctx, await adminAuth(ctx), '320411002001');
    batchId = target.batchId;
    insert = bareLoadInsert('bare_source', target);
  } finally {
    await handle.destroy();
  }
  const t0 = process.hrtime.bigint();
  const cli = spawnSync(
    'psql',
    [
      PG_URL, '-X', '-q', '-v', 'ON_ERROR_STOP=1',
      '-c', `SET search_path TO ${ident(schema)}`,
      '-c', `CREATE TEMP TABLE bare_source (${BENCH_HEADER.map((h) => `${ident(h)} text`).join(', ')})`,
      '-c', `\\copy bare_source FROM '${csv.replace(/'/g, "''")}' WITH (FORMAT csv, HEADER true)`,
      '-c', 'BEGIN',
      '-c', `SELECT set_config('canbao.bulk_batch', '${batchId}', true)`,
      '-c', insert,
      '-c', 'COMMIT',
    ],
    { encoding: 'utf8' },
  );
  const ms = msSince(t0);
  if (cli.status !== 0) throw new Error(`psql bare load failed: ${cli.stderr || cli.error?.message}`);
  return ms;
}
