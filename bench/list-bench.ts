// List and lookup benchmark: a database of millions of registrations (two generated CSVs imported
// into communities of two districts), the list API measured over real HTTP (fetch against the app
// listening on 127.0.0.1), each against the bare better-sqlite3 SELECT the server runs for it.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import type { AddressInfo } from 'node:net';
import { listQuery } from '../src/server/registration/store.js';
import { createRng } from '../src/domain/sampling.js';
import { spawnSync } from 'node:child_process';
import { STAT_DIMENSIONS } from '../src/shared/api-statistics.js';
import ExcelJS from 'exceljs';
import type SQLite from 'better-sqlite3';
import { BENCH_PASSWORD, generateCsv, importFile, msSince, orgUnitId, seededSqlite, withPeakRss, type BenchResult } from './import-bench.js';

// The app runs from the build too (as the import does): the detail-table worker is then plain
// JavaScript as in production, not sources compiled by tsx inside the thread.
type BuildApp = typeof import('../src/server/app.js').buildApp;
const { buildApp } = (await import(new URL('../dist/server/app.js', import.meta.url).href)) as { buildApp: BuildApp };

const SAMPLES = 300;
const WARM_UP = 20;
const LIST_TARGET_MS = 50;
const LOOKUP_TARGET_MS = 5;

type Timing = { p50: number; p95: number };

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}

/** fn(i) run WARM_UP times, then SAMPLES times sequentially, timed one by one. */
async function sample(fn: (i: number) => unknown | Promise<unknown>): Promise<Timing> {
  for (let i = 0; i < WARM_UP; i++) await fn(i);
  const samples: number[] = [];
  for (let i = 0; i < SAMPLES; i++) {
    const t = process.hrtime.bigint();
    await fn(WARM_UP + i);
    samples.push(msSince(t));
  }
  samples.sort((a, b) => a - b);
  return { p50: percentile(samples, 50), p95: percentile(samples, 95) };
}

/** ID numbers of about `want` rows spread over the file (second column; cells that are not 18 characters skipped). */
async function idsFrom(csv: string, rowsInFile: number, want: number): Promise<string[]> {
  const every = Math.max(1, Math.floor(rowsInFile / want));
  const out: string[] = [];
  const lines = readline.createInterface({ input: fs.createReadStream(csv, 'utf8'), crlfDelay: Infinity });
  let n = -1; // the header is line -1
  for await (const line of lines) {
    if (n++ < 0 || n % every !== 0) continue;
    const cell = line.split(',')[1];
    if (cell && cell.length === 18) out.push(cell);
  }
  return out;
}

export async function listBench(records = 2_000_000): Promise<BenchResult[]> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'canbao-bench-list-'));
  try {
    // Two files of records/2 rows, distinct regions (so ID numbers never collide), no invalid rows
    // (so the database holds `records` registrations), each spread over 30 communities of its
    // district (a district-level import with a 社区 column), unevenly.
    const half = Math.floor(records / 2);
    const { ctx, handle, auth } = await seededSqlite(path.join(dir, 'canbao'));
    const communitiesOf = async (district: string) =>
      (await ctx.db.selectFrom('org_unit').select('code').where('level', '=', 'community').where('code', 'like', `${district}%`).orderBy('code').limit(30).execute()).map((u) => u.code);
    const files = [
      { csv: path.join(dir, 'a.csv'), seed: 'list-a', region: '320411', district: '320411', communities: await communitiesOf('320411') },
      { csv: path.join(dir, 'b.csv'), seed: 'list-b', region: '320402', district: '320402', communities: await communitiesOf('320402') },
    ];
    const tb = process.hrtime.bigint();
    for (const f of files) generateCsv(half, f.csv, { seed: f.seed, region: f.region, invalid: 0, communities: f.communities });
    const generateMs = msSince(tb);

    const sqlite = handle.sqlite!;
    let closeApp: (() => Promise<void>) | undefined;
    try {
      const ti = process.hrtime.bigint();
      for (const f of files) {
        const report = await importFile(ctx, auth, { path: f.csv, fileName: path.basename(f.csv), orgUnitId: await orgUnitId(ctx, f.district), mode: 'valid' });
        if (report.rejected > 0) console.error(`list bench: ${f.csv}: ${report.rejected} rows rejected`);
      }
      const importMs = msSince(ti);
      const buildMs = msSince(tb);
      const { n: registrations, lo, hi } = sqlite.prepare('select count(*) as n, min(id) as lo, max(id) as hi from registration').get() as { n: number; lo: number; hi: number };

      // IDs to look up, read back from the files.
      const ids = [...(await idsFrom(files[0]!.csv, half, 2000)), ...(await idsFrom(files[1]!.csv, half, 2000))];
      if (!ids.length) throw new Error('no ID numbers read from the generated files');
      const rnd = createRng('list-lookup');
      const lookups = Array.from({ length: WARM_UP + SAMPLES }, () => ids[Math.floor(rnd() * ids.length)]!);

      // The app, listening, with the admin's session.
      await ctx.db.updateTable('app_user').set({ must_change_password: 0 }).execute();
      const { app } = await buildApp({ ctx, webRoot: null });
      closeApp = () => app.close();
      const login = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'admin', password: BENCH_PASSWORD } });
      const sid = login.cookies.find((c) => c.name === 'canbao_sid');
      if (!sid) throw new Error(`login failed: ${login.statusCode} ${login.body}`);
      await app.listen({ host: '127.0.0.1', port: 0 });
      const base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
      const headers = { cookie: `canbao_sid=${sid.value}` };
      const get = async (url: string): Promise<string> => {
        const res = await fetch(base + url, { headers });
        const body = await res.text();
        if (res.status !== 200) throw new Error(`GET ${url}: ${res.status} ${body.slice(0, 300)}`);
        return body;
      };
      const itemsOf = async (url: string) => (JSON.parse(await get(url)) as { items: Array<{ id: number }>; nextCursor: number | null }).items;

      const district = await ctx.db.selectFrom('org_unit').select(['id', 'path']).where('code', '=', '320411').executeTakeFirstOrThrow();
      const middle = Math.floor((Number(lo) + Number(hi)) / 2);

      // The SQL the server runs for each page (listQuery, compiled), executed bare on the same connection.
      const bareOf = async (f: Parameters<typeof listQuery>[1]) => {
        const compiled = (await listQuery(ctx.db, f)).compile();
        return { stmt: sqlite.prepare(compiled.sql), args: compiled.parameters as unknown[] };
      };
      const cases = [
        { name: 'GET /api/registrations first page (city admin, all records)', url: '/api/registrations?limit=50', ...(await bareOf({ unitPath: '/', limit: 50 })), expect: 50 },
        {
          name: 'GET /api/registrations district first page (新北区, records older than 天宁区’s)',
          url: `/api/registrations?orgUnitId=${district.id}&limit=50`,
          ...(await bareOf({ unitPath: district.path, districtId: Number(district.id), limit: 50 })),
          expect: 50,
        },
        { name: `GET /api/registrations deep page (before=${middle})`, url: `/api/registrations?before=${middle}&limit=50`, ...(await bareOf({ unitPath: '/', before: middle, limit: 50 })), expect: 50 },
      ];

      const results: BenchResult[] = [];
      for (const c of cases) {
        const items = await itemsOf(c.url);
        if (items.length !== Math.min(c.expect, registrations)) throw new Error(`${c.url}: ${items.length} items`);
        if ((c.stmt.all(...c.args) as unknown[]).length !== Math.min(c.expect + 1, registrations)) throw new Error(`baseline for ${c.url}: wrong row count`);
        const api = await sample(() => get(c.url));
        const bare = await sample(() => c.stmt.all(...c.args));
        results.push({ name: `${c.name} p95`, unit: 'ms', value: api.p95, baseline: 'the same SELECT run bare on better-sqlite3, p95', baselineValue: bare.p95, ratio: api.p95 / bare.p95, extra: { p50: round(api.p50), baselineP50: round(bare.p50), targetP95: LIST_TARGET_MS } });
      }

      // Lookup by ID number.
      const first = await itemsOf(`/api/registrations?q=${lookups[0]}&limit=50`);
      if (first.length < 1) throw new Error(`lookup of ${lookups[0]} found nothing`);
      const bodies: string[] = [];
      const api = await sample(async (i) => {
        bodies[i] = await get(`/api/registrations?q=${encodeURIComponent(lookups[i]!)}&limit=50`);
      });
      const found = bodies.slice(WARM_UP).filter((b) => (JSON.parse(b) as { items: unknown[] }).items.length > 0).length;
      const byId = sqlite.prepare('select * from registration where id_number = ?');
      const bare = await sample((i) => byId.all(lookups[i]!));
      results.push({
        name: 'GET /api/registrations?q=<ID number> lookup p95',
        unit: 'ms',
        value: api.p95,
        baseline: 'bare SELECT * by id_number p95',
        baselineValue: bare.p95,
        ratio: api.p95 / bare.p95,
        extra: { p50: round(api.p50), baselineP50: round(bare.p50), targetP95: LOOKUP_TARGET_MS, found, of: SAMPLES },
      });

      results.push(await statisticsCase(get, ctx.config.sqlitePath));
      results.push(...(await detailTableCases(base, headers, sqlite, Number(district.id), district.path, dir)));

      results[0]!.extra = { ...results[0]!.extra, registrations, buildDbS: round(buildMs / 1000), generateS: round(generateMs / 1000), importS: round(importMs / 1000) };
      return results;
    } finally {
      await closeApp?.();
      await handle.destroy();
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

const round = (x: number): number => Math.round(x * 100) / 100;

const STATS_TARGET_RATIO = 0.25;
const STATS_SAMPLES = 15;

/**
 * The city-wide statistics of today as the statistics page loads them — the overview and a pivot
 * per dimension — over HTTP, against the sqlite3 command line computing the same figures by plain
 * GROUP BY over the records table of the same database file (one process, all statements).
 */
async function statisticsCase(get: (url: string) => Promise<string>, dbFile: string): Promise<BenchResult> {
  const urls = ['/api/statistics', ...STAT_DIMENSIONS.map((d) => `/api/statistics/pivot?dim=${d}&measure=counted`)];
  const first = JSON.parse(await get(urls[0]!)) as { total: { registered: number } };
  const live = 'deleted_at is null';
  const counted = `${live} and is_valid = 1 and is_counted = 1`;
  const column: Record<string, string> = { sex: 'sex', category: 'person_category', hukou: 'hukou_type', age: 'substr(birth_date, 1, 4)', reason: 'uninsured_reason', willing: 'willingness' };
  const statements = [
    `select district_id, is_valid, is_counted, count(*) from registration where ${live} group by 1, 2, 3;`,
    ...STAT_DIMENSIONS.map((d) =>
      d === 'error'
        ? `select district_id, json_extract(j.value, '$.field'), count(distinct r.id) from registration r, json_each(coalesce(r.errors_json, '[]')) j where r.${live} and r.is_valid = 0 group by 1, 2;`
        : `select district_id, ${column[d] ?? `ins_${d.slice(3)}_status`}, count(*) from registration where ${counted} group by 1, 2;`,
    ),
  ];
  const cli = () => {
    const t = process.hrtime.bigint();
    const r = spawnSync('sqlite3', ['-readonly', dbFile, ...statements], { encoding: 'utf8', maxBuffer: 64 << 20 });
    if (r.status !== 0) throw new Error(`sqlite3 failed: ${r.stderr}`);
    return msSince(t);
  };
  const cliTimes = [cli(), cli(), cli()].sort((a, b) => a - b);
  const apiTimes: number[] = [];
  for (let i = 0; i < STATS_SAMPLES + 3; i++) {
    const t = process.hrtime.bigint();
    for (const u of urls) await get(u);
    if (i >= 3) apiTimes.push(msSince(t));
  }
  apiTimes.sort((a, b) => a - b);
  const api = percentile(apiTimes, 50);
  const base = cliTimes[1]!;
  return {
    name: `city-wide statistics of today over HTTP (overview + ${STAT_DIMENSIONS.length} pivots), median`,
    unit: 'ms',
    value: api,
    baseline: 'sqlite3 CLI: the same figures by plain GROUP BY over the records table, median of 3',
    baselineValue: base,
    ratio: api / base,
    extra: { p95: round(percentile(apiTimes, 95)), targetRatio: STATS_TARGET_RATIO, registrations: first.total.registered },
  };
}

const DETAIL_TARGET_RATIO = 1.5;
const DETAIL_TARGET_MB = 300;
const REPORT_TARGET_MS = 10_000;

/**
 * A district's person detail table (all its records) generated through the API (background job,
 * polled to the end) against a bare exceljs streaming write of the same rows read with
 * better-sqlite3 (raw values: no labels, masking or neutralising); the district's analysis report.
 */
async function detailTableCases(base: string, headers: Record<string, string>, sqlite: SQLite.Database, districtId: number, districtPath: string, dir: string): Promise<BenchResult[]> {
  const rssBefore = process.memoryUsage().rss;
  const t = process.hrtime.bigint();
  const { result: table, peak } = await withPeakRss(async () => {
    const res = await fetch(`${base}/api/statistics/detail-tables`, { method: 'POST', headers: { ...headers, 'content-type': 'application/json' }, body: JSON.stringify({ orgUnitId: districtId, kind: 'all', perStreet: false }) });
    const job = (await res.json()) as { id: number };
    for (;;) {
      await new Promise((r) => setTimeout(r, 200));
      const s = (await (await fetch(`${base}/api/statistics/detail-tables/${job.id}`, { headers })).json()) as { status: string; rowsWritten: number; error: string | null; sizeBytes: number | null };
      if (s.status === 'done') return s;
      if (s.status === 'failed') throw new Error(`detail table failed: ${s.error}`);
    }
  });
  const apiMs = msSince(t);

  const bareFile = path.join(dir, 'bare.xlsx');
  const tb = process.hrtime.bigint();
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: bareFile, useSharedStrings: false, useStyles: true });
  const ws = wb.addWorksheet('bare');
  const stmt = sqlite.prepare('select * from registration where district_id = ? and deleted_at is null order by id');
  let bareRows = 0;
  for (const row of stmt.iterate(districtId) as Iterable<Record<string, unknown>>) {
    ws.addRow(Object.values(row)).commit();
    // let the zip stream drain to the file, as a streaming write must (else it all piles up in memory)
    if (++bareRows % 2000 === 0) await new Promise((r) => setImmediate(r));
  }
  ws.commit();
  await wb.commit();
  const bareMs = msSince(tb);

  const tr = process.hrtime.bigint();
  const report = await fetch(`${base}/api/statistics/report.docx?orgUnitId=${districtId}`, { headers });
  const reportBytes = (await report.arrayBuffer()).byteLength;
  if (report.status !== 200) throw new Error(`report: ${report.status}`);
  const reportMs = msSince(tr);
  void districtPath;
  return [
    {
      name: `detail table .xlsx of a district (${table.rowsWritten} rows, background job over HTTP)`,
      unit: 'ms',
      value: apiMs,
      baseline: 'bare exceljs streaming write of the same rows read by better-sqlite3',
      baselineValue: bareMs,
      ratio: apiMs / bareMs,
      extra: { targetRatio: DETAIL_TARGET_RATIO, peakRssMB: Math.round(peak / 1048576), rssBeforeMB: Math.round(rssBefore / 1048576), targetMB: DETAIL_TARGET_MB, bareRows, sizeMB: round((table.sizeBytes ?? 0) / 1048576) },
    },
    { name: 'analysis report .docx of a district (figures, tables, 4 charts)', unit: 'ms', value: reportMs, baseline: 'target', baselineValue: REPORT_TARGET_MS, ratio: reportMs / REPORT_TARGET_MS, extra: { bytes: reportBytes } },
  ];
}
