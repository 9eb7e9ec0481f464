// canbao backup / restore end to end, on the engine of CANBAO_TEST_DB (issue 13 items 4 and 5):
// the backup completes while a writer keeps writing, holds the database and every stored file,
// restores into a fresh data dir (and, on PostgreSQL, a fresh database) whose downloads answer
// with the same bytes; a damaged or truncated backup is refused with nothing changed; a failed
// backup leaves no file behind.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import type { FastifyInstance } from 'fastify';
import { loadConfig, type Config } from '../server/config.js';
import { createPgSchema, dropPgSchema, migrateToLatest, openDatabase } from '../server/db/index.js';
import type { AppCtx } from '../server/context.js';
import { seed } from '../server/seed/seed.js';
import { buildApp } from '../server/app.js';
import { ADMIN_PASSWORD, PG_URL, TEST_PASSWORD, loginAs, makeUser, orgId, testEngine, type Client } from '../server/testing/harness.js';
import { fakeIdNumber, makeRegistration } from '../server/testing/registration-factory.js';
import { multipart } from '../server/testing/multipart.js';
import { appendAudit, recordAudit, SYSTEM_ACTOR } from '../server/audit/store.js';
import { useAuditKey } from '../server/audit/key.js';
import { detailTablesIdle } from '../server/statistics/detail-tables.js';
import { readTar, TarWriter } from '../server/backup/tar.js';
import type { Manifest } from '../server/backup/manifest.js';

const MAIN = path.resolve('src/cli/main.ts');
const engine = testEngine();
const tag = `bk_${process.pid}_${randomBytes(3).toString('hex')}`;
// The audit key travels apart from the backups (an operator brings it or sets it): source and targets share it.
const AUDIT_KEY = randomBytes(32).toString('hex');

type Instance = { config: Config; ctx: AppCtx; app: FastifyInstance; close(): Promise<void> };

/** An instance on a data dir (and, on PostgreSQL, a database and schema), migrated and seeded when asked. */
async function openInstance(env: Record<string, string>, init: boolean): Promise<Instance> {
  const config = loadConfig(env);
  useAuditKey(config); // seeding writes audit entries before buildApp loads the key
  const handle = openDatabase({ databaseUrl: config.databaseUrl, sqlitePath: config.sqlitePath, pgSchema: config.pgSchema });
  const ctx: AppCtx = { db: handle.db, dialect: handle.dialect, config, sqlite: handle.sqlite };
  if (init) {
    await migrateToLatest(ctx.db, config.pgSchema);
    await seed(ctx, { adminPassword: ADMIN_PASSWORD });
  }
  const { app } = await buildApp({ ctx, webRoot: null });
  return { config, ctx, app, close: async () => (await app.close(), await handle.destroy()) };
}

function pgUrlOf(database: string): string {
  const u = new URL(PG_URL);
  u.pathname = `/${database}`;
  return u.toString();
}

async function adminQuery(q: string): Promise<void> {
  const c = new pg.Client({ connectionString: pgUrlOf('postgres') });
  await c.connect();
  try {
    await c.query(q);
  } finally {
    await c.end();
  }
}

const dirs: string[] = [];
const databases: string[] = [];
const closers: Array<() => Promise<void>> = [];

/** The environment of a new, empty target: a fresh data dir (and a fresh database on PostgreSQL). */
async function freshTarget(): Promise<Record<string, string>> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'canbao-restore-'));
  dirs.push(dir);
  if (engine === 'sqlite') return { CANBAO_DATA_DIR: dir, CANBAO_AUDIT_KEY: AUDIT_KEY };
  const db = `${tag}_${databases.length}`;
  await adminQuery(`CREATE DATABASE ${db}`);
  databases.push(db);
  return { CANBAO_DATA_DIR: dir, DATABASE_URL: pgUrlOf(db), CANBAO_PG_SCHEMA: tag, CANBAO_AUDIT_KEY: AUDIT_KEY };
}

function runCli(env: Record<string, string>, ...args: string[]): Promise<{ status: number | null; stdout: string; stderr: string }> {
  const childEnv: NodeJS.ProcessEnv = { ...process.env, DATABASE_URL: '', ...env };
  if (!env.CANBAO_PG_SCHEMA) delete childEnv.CANBAO_PG_SCHEMA;
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', MAIN, ...args], { env: childEnv });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}

async function counts(ctx: AppCtx) {
  const n = async (t: 'registration' | 'app_user' | 'audit_log') => Number((await ctx.db.selectFrom(t).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
  return { registrations: await n('registration'), users: await n('app_user'), auditEntries: await n('audit_log') };
}

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

/** Every file under a dir with its SHA-256: "nothing changed" is this staying equal. */
function tree(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const e of fs.readdirSync(dir, { recursive: true, withFileTypes: true })) {
    const p = path.join(e.parentPath, e.name);
    out[path.relative(dir, p)] = e.isFile() ? sha(fs.readFileSync(p)) : 'dir';
  }
  return out;
}

async function entries(file: string) {
  const out: { name: string; size: number; offset: number }[] = [];
  for await (const e of readTar(file)) out.push({ name: e.name, size: e.size, offset: e.offset });
  return out;
}

describe(`canbao backup / restore (${engine})`, () => {
  let source: Instance;
  let sourceEnv: Record<string, string>;
  let xbAdmin: Client;
  let report: { id: number; bytes: Buffer };
  let table: { id: number; bytes: Buffer };
  let work: string;
  let good: string;
  let target: Record<string, string>;
  let targetBefore: Awaited<ReturnType<typeof targetState>>;

  beforeAll(async () => {
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'canbao-backup-'));
    dirs.push(work);
    const dataDir = path.join(work, 'data');
    if (engine === 'postgres') {
      await createPgSchema(PG_URL, tag);
      sourceEnv = { CANBAO_DATA_DIR: dataDir, DATABASE_URL: PG_URL, CANBAO_PG_SCHEMA: tag, CANBAO_AUDIT_KEY: AUDIT_KEY };
    } else sourceEnv = { CANBAO_DATA_DIR: dataDir, CANBAO_AUDIT_KEY: AUDIT_KEY };
    source = await openInstance(sourceEnv, true);
    const u = await makeUser(source.ctx, { username: 'bk_xb', role: 'district_admin', orgCode: '320411' });
    xbAdmin = await loginAs(source.app, u.username, u.password);
    for (let i = 0; i < 5; i++) await makeRegistration(source.ctx, { orgCode: '320411002001', idNumber: fakeIdNumber('320411', '19700101', 300 + i) });
    // A stored file (the district's analysis report, in the content-addressed evidence store)…
    const campaignId = Number((await source.ctx.db.selectFrom('campaign').select('id').where('code', '=', '2016').executeTakeFirstOrThrow()).id);
    const xb = await orgId(source.ctx, '320411');
    const pdf = Buffer.concat([Buffer.from('%PDF-1.4\n'), randomBytes(64 * 1024)]);
    const m = multipart(pdf, '分析报告.pdf', {});
    const up = await source.app.inject({ method: 'POST', url: `/api/campaigns/${campaignId}/analysis-reports/${xb}/file`, headers: { cookie: xbAdmin.cookie, ...m.headers }, payload: m.payload });
    expect(up.statusCode, up.body).toBe(200);
    report = { id: Number(up.json().id), bytes: pdf };
    // …and a finished person detail table.
    const t = await xbAdmin.request('POST', '/api/statistics/detail-tables', { orgUnitId: xb, kind: 'all', perStreet: false });
    expect(t.statusCode, t.body).toBe(202);
    await detailTablesIdle();
    const dl = await xbAdmin.request('GET', `/api/statistics/detail-tables/${t.json().id}/file`);
    expect(dl.statusCode).toBe(200);
    table = { id: Number(t.json().id), bytes: dl.rawPayload };
    // Some bulk, so that copying the database takes many steps (the old online backup restarted
    // at every write and never finished).
    await source.ctx.db.transaction().execute(async (trx) => {
      for (let i = 0; i < 1500; i++) await appendAudit(trx, source.ctx.dialect, SYSTEM_ACTOR, { event: 'test.bulk', after: { pad: randomBytes(16 * 1024).toString('hex') } });
    });
  }, 120_000);

  afterAll(async () => {
    for (const c of closers) await c().catch(() => undefined);
    await source?.close();
    if (engine === 'postgres') {
      await dropPgSchema(PG_URL, tag);
      for (const d of databases) await adminQuery(`DROP DATABASE IF EXISTS ${d}`);
    }
    for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
  }, 60_000);

  it('backup completes while a writer keeps writing, and restores with at least the counts from before it started', async () => {
    good = path.join(work, 'good.canbao');
    const before = await counts(source.ctx);
    let stop = false;
    let writes = 0;
    const writer = (async () => {
      while (!stop) {
        const i = writes++;
        await makeRegistration(source.ctx, { orgCode: '320411002001', idNumber: fakeIdNumber('320411', `1980${String(1 + Math.floor(i / 28_000) % 12).padStart(2, '0')}${String(1 + Math.floor(i / 1000) % 28).padStart(2, '0')}`, i % 1000) });
        await recordAudit(source.ctx.db, source.ctx.dialect, SYSTEM_ACTOR, { event: 'test.write', after: { i } });
        // SQLite queries resolve without I/O: let the event loop see the backup process end.
        await new Promise((r) => setImmediate(r));
      }
    })();
    const r = await runCli(sourceEnv, 'backup', good);
    stop = true;
    await writer;
    expect(r.status, r.stderr).toBe(0);
    expect(writes).toBeGreaterThan(0);
    expect(fs.readdirSync(work).filter((f) => f.includes('.partial'))).toEqual([]);
    const after = await counts(source.ctx);

    target = await freshTarget();
    const res = await runCli(target, 'restore', good);
    expect(res.status, res.stderr).toBe(0);
    expect(res.stdout).toContain('审计链校验通过');
    const restored = await openInstance(target, false);
    closers.push(restored.close);
    const got = await counts(restored.ctx);
    for (const k of ['registrations', 'users', 'auditEntries'] as const) {
      expect(got[k]).toBeGreaterThanOrEqual(before[k]);
      expect(got[k]).toBeLessThanOrEqual(after[k]);
    }
  }, 180_000);

  it('one backup holds the database and the stored files; the restored instance serves the downloads with the same bytes', async () => {
    const names = (await entries(good)).map((e) => e.name);
    // A plain ustar archive: any tar lists the same entries.
    expect(spawnSync('tar', ['-tf', good], { encoding: 'utf8' }).stdout.trim().split('\n')).toEqual(names);
    expect(names).toEqual(expect.arrayContaining([`files/evidence/${sha(report.bytes).slice(0, 2)}/${sha(report.bytes)}`, `files/detail-tables/detail-${table.id}.xlsx`, 'manifest.json']));
    const restored = await openInstance(target, false);
    closers.push(restored.close);
    const client = await loginAs(restored.app, 'bk_xb', TEST_PASSWORD);
    const rep = await client.request('GET', `/api/analysis-reports/${report.id}/file`);
    expect(rep.statusCode).toBe(200);
    expect(rep.rawPayload.equals(report.bytes)).toBe(true);
    const tbl = await client.request('GET', `/api/statistics/detail-tables/${table.id}/file`);
    expect(tbl.statusCode).toBe(200);
    expect(tbl.rawPayload.equals(table.bytes)).toBe(true);
  });

  /** What a refused restore must leave as it was: the target's files, and its database schemas. */
  async function targetState() {
    const files = tree(target.CANBAO_DATA_DIR!);
    if (engine === 'sqlite') return { files };
    const c = new pg.Client({ connectionString: target.DATABASE_URL });
    await c.connect();
    try {
      const schemas = (await c.query('select nspname from pg_namespace order by nspname')).rows.map((r) => r.nspname as string);
      const regs = Number((await c.query(`select count(*) n from ${tag}.registration`)).rows[0].n);
      return { files, schemas, regs };
    } finally {
      await c.end();
    }
  }

  it('a damaged or truncated backup is refused (exit 2) and nothing of the target changes', async () => {
    for (const c of closers.splice(0)) await c();
    const before = await targetState();
    targetBefore = before;
    const list = await entries(good);
    const dbPart = list.find((e) => e.name.startsWith('database/'))!;
    const filePart = list.find((e) => e.name.startsWith('files/evidence/'))!;
    const damaged = (name: string, change: (b: Buffer) => Buffer) => {
      const f = path.join(work, name);
      fs.writeFileSync(f, change(Buffer.from(fs.readFileSync(good))));
      return f;
    };
    const flip = (at: number) => (b: Buffer) => ((b[at] = b[at]! ^ 0xff), b);
    const cases = [
      damaged('file-flipped.canbao', flip(filePart.offset + Math.floor(filePart.size / 2))),
      damaged('db-flipped.canbao', flip(dbPart.offset + Math.floor(dbPart.size / 2))),
      damaged('truncated.canbao', (b) => b.subarray(0, Math.floor(b.length * 0.6))),
      damaged('no-end.canbao', (b) => b.subarray(0, b.length - 1024)),
    ];
    for (const f of cases) {
      const r = await runCli(target, 'restore', f);
      expect(r.status, `${path.basename(f)}: ${r.stdout} ${r.stderr}`).toBe(2);
      expect(r.stderr).toContain('未作任何改动');
      expect(await targetState()).toEqual(before);
    }
  }, 120_000);

  it('a restore into a target without the audit key is refused (exit 2) and nothing is written', async () => {
    const bare = await freshTarget();
    delete bare.CANBAO_AUDIT_KEY;
    const r = await runCli(bare, 'restore', good);
    expect(r.status, r.stdout + r.stderr).toBe(2);
    expect(r.stderr).toContain('审计密钥');
    expect(r.stderr).toContain('未作任何改动');
    expect(tree(bare.CANBAO_DATA_DIR!)).toEqual({});
  }, 120_000);

  it('a database part damaged before it was checksummed is refused by the engine check (integrity_check, pg_restore --list)', async () => {
    // Rebuild the archive with a damaged database part and a manifest that matches it.
    const rebuilt = path.join(work, 'bad-db-good-manifest.canbao');
    const w = await TarWriter.create(rebuilt);
    let dbSha = '';
    const dbCopy = path.join(work, 'db-part');
    for await (const e of readTar(good)) {
      const parts: Buffer[] = [];
      for await (const c of e.chunks()) parts.push(Buffer.from(c));
      const data = Buffer.concat(parts);
      if (e.name.startsWith('database/')) {
        // SQLite: page 1's b-tree page type; PostgreSQL: the custom format's magic.
        data[engine === 'sqlite' ? 100 : 0] = 0xee;
        fs.writeFileSync(dbCopy, data);
        dbSha = (await w.addFile(e.name, dbCopy)).sha256;
      } else if (e.name === 'manifest.json') {
        const m = JSON.parse(data.toString()) as Manifest;
        m.database.sha256 = dbSha;
        await w.addBuffer(e.name, Buffer.from(JSON.stringify(m)));
      } else await w.addBuffer(e.name, data);
    }
    await w.finish();
    const r = await runCli(target, 'restore', rebuilt);
    expect(r.status, r.stderr).toBe(2);
    expect(r.stderr).toContain(engine === 'sqlite' ? 'integrity_check' : 'pg_restore --list');
    expect(await targetState()).toEqual(targetBefore);
  }, 60_000);

  it('a backup that fails part-way leaves no file behind and exits non-zero', async () => {
    // The stored report made unreadable (a directory where the file was): the database part is
    // already written when the copy of the files fails.
    const blob = path.join(source.config.dataDir, 'evidence', sha(report.bytes).slice(0, 2), sha(report.bytes));
    fs.renameSync(blob, `${blob}.aside`);
    fs.mkdirSync(blob);
    try {
      const out = path.join(work, 'failed.canbao');
      const r = await runCli(sourceEnv, 'backup', out);
      expect(r.status).toBe(1);
      expect(fs.readdirSync(work).filter((f) => f.startsWith('failed.canbao'))).toEqual([]);
    } finally {
      fs.rmdirSync(blob);
      fs.renameSync(`${blob}.aside`, blob);
    }
    const missingDir = path.join(work, 'no-such-dir', 'x.canbao');
    const r2 = await runCli(sourceEnv, 'backup', missingDir);
    expect(r2.status).toBe(1);
    expect(fs.existsSync(path.dirname(missingDir))).toBe(false);
  }, 60_000);
});
