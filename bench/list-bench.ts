// List and lookup benchmark: a database of millions of registrations (two generated CSVs imported
// into communities of two districts), the list API measured over real HTTP (fetch against the app
// listening on 127.0.0.1), each against the bare better-sqlite3 SELECT the server runs for it.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import type { AddressInfo } from 'node:net';
import { buildApp } from '../src/server/app.js';
import { listQuery } from '../src/server/registration/store.js';
import { createRng } from '../src/domain/sampling.js';
import { BENCH_PASSWORD, generateCsv, importFile, msSince, orgUnitId, seededSqlite, type BenchResult } from './import-bench.js';

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
    // (so the database holds `records` registrations).
    const half = Math.floor(records / 2);
    const files = [
      { csv: path.join(dir, 'a.csv'), seed: 'list-a', region: '320411', community: '320411002001' },
      { csv: path.join(dir, 'b.csv'), seed: 'list-b', region: '320402', community: '320402001001' },
    ];
    const tb = process.hrtime.bigint();
    for (const f of files) generateCsv(half, f.csv, { seed: f.seed, region: f.region, invalid: 0 });
    const generateMs = msSince(tb);

    const { ctx, handle, auth } = await seededSqlite(path.join(dir, 'canbao'));
    const sqlite = handle.sqlite!;
    let closeApp: (() => Promise<void>) | undefined;
    try {
      const ti = process.hrtime.bigint();
      for (const f of files) {
        const report = await importFile(ctx, auth, { path: f.csv, fileName: path.basename(f.csv), orgUnitId: await orgUnitId(ctx, f.community), mode: 'valid' });
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
