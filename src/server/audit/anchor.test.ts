// Issue 13 item 6 and the archive control: the audit chain is anchored outside the database (keyed
// MACs, recorded heads), checked at start-up, re-arms its triggers at start-up, reports failures in
// /api/health and to the city admin, and exports to .xlsx and a signed JSON archive.
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import ExcelJS from 'exceljs';
import { adminClient, auditCount, createTestEnv, newUserClient, orgId, testEngine, type Client, type TestEnv } from '../testing/harness.js';
import { writeCsv } from '../testing/import-files.js';
import { multipart } from '../testing/multipart.js';
import { fakeIdNumber } from '../testing/registration-factory.js';
import { openDatabase } from '../db/index.js';
import { buildApp } from '../app.js';
import type { AppCtx } from '../context.js';
import { auditHeadsPath } from './heads.js';
import { latestAuditHead } from './guard.js';
import { loadAuditKey } from './key.js';
import { verifyAuditArchive } from './archive.js';

async function dropTrigger(ctx: AppCtx, name: string): Promise<void> {
  if (ctx.dialect === 'postgres') await sql`DROP TRIGGER ${sql.id(name)} ON audit_log`.execute(ctx.db);
  else await sql`DROP TRIGGER ${sql.id(name)}`.execute(ctx.db);
}

async function triggerNames(ctx: AppCtx): Promise<string[]> {
  const r =
    ctx.dialect === 'postgres'
      ? await sql<{ name: string }>`select tgname as name from pg_trigger where tgrelid = 'audit_log'::regclass and not tgisinternal and tgenabled <> 'D'`.execute(ctx.db)
      : await sql<{ name: string }>`select name from sqlite_master where type = 'trigger' and tbl_name = 'audit_log'`.execute(ctx.db);
  return r.rows.map((x) => x.name).sort();
}

/** A second server process on the same database and data dir: what a restart does. */
async function restart(env: TestEnv) {
  const handle = openDatabase({ databaseUrl: env.config.databaseUrl, sqlitePath: env.config.sqlitePath, pgSchema: env.config.pgSchema });
  const ctx: AppCtx = { db: handle.db, dialect: handle.dialect, config: env.config, sqlite: handle.sqlite };
  const { app } = await buildApp({ ctx, webRoot: null });
  return {
    app,
    ctx,
    async close() {
      await app.close();
      await handle.destroy();
    },
  };
}

describe(`audit anchoring and archive (${testEngine()})`, () => {
  let env: TestEnv;
  let admin: Client & { password: string };

  beforeAll(async () => {
    env = await createTestEnv();
    admin = await adminClient(env.app);
    for (let i = 0; i < 5; i++) await env.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'nobody', password: 'Wrong#pass99' } });
  });
  afterAll(async () => env?.close());

  it('every new entry carries a MAC of its hash; the key is in DATA_DIR/audit.key (0600), never in the database', async () => {
    const rows = await env.ctx.db.selectFrom('audit_log').select(['hash', 'mac']).execute();
    expect(rows.length).toBeGreaterThan(5);
    expect(rows.every((r) => typeof r.mac === 'string' && /^[0-9a-f]{64}$/.test(r.mac))).toBe(true);
    const keyFile = `${env.config.dataDir}/audit.key`;
    expect(fs.statSync(keyFile).mode & 0o777).toBe(0o600);
    const keyHex = loadAuditKey(env.config).toString('hex');
    const dump = JSON.stringify(await env.ctx.db.selectFrom('audit_log').selectAll().execute());
    expect(dump).not.toContain(keyHex);
  });

  it('a head (count + last hash, MAC) is recorded in DATA_DIR/audit-heads.log at start-up and by a verification', async () => {
    const before = fs.readFileSync(auditHeadsPath(env.config), 'utf8').trim().split('\n');
    expect(JSON.parse(before[0]!)).toMatchObject({ reason: 'start', count: expect.any(Number), hash: expect.stringMatching(/^[0-9a-f]{64}$/) });
    const res = await admin.request('GET', '/api/audit/verify');
    expect(res.json()).toMatchObject({ ok: true, code: 'ok', total: await auditCount(env.ctx) });
    const head = latestAuditHead(env.ctx)!;
    const last = await env.ctx.db.selectFrom('audit_log').select(['id', 'hash']).orderBy('id', 'desc').limit(1).executeTakeFirstOrThrow();
    expect(head).toMatchObject({ reason: 'verify', count: await auditCount(env.ctx), lastId: Number(last.id), hash: last.hash });
  });

  it('the JSON archive of a range verifies offline with the key, and a changed entry in it fails', async () => {
    const today = new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);
    const n = await auditCount(env.ctx);
    const res = await admin.request('GET', `/api/audit/export?format=json&from=2000-01-01&to=${today}`);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['content-disposition']).toMatch(/attachment/);
    const key = loadAuditKey(env.config);
    const check = verifyAuditArchive(res.body, key);
    expect(check).toEqual({ ok: true, entries: n, problems: [] });
    // the export itself is logged (after the range was fixed, so it is the next entry)
    const logged = await env.ctx.db.selectFrom('audit_log').selectAll().orderBy('id', 'desc').limit(1).executeTakeFirstOrThrow();
    expect(logged).toMatchObject({ event: 'audit.export', username: 'admin' });
    expect(JSON.parse(logged.after_json!)).toMatchObject({ format: 'json', entries: n });

    const changed = res.body.replace(/"event":"auth\.login"/, '"event":"auth.logout"');
    expect(changed).not.toBe(res.body);
    const bad = verifyAuditArchive(changed, key);
    expect(bad.ok).toBe(false);
    expect(bad.problems.join('\n')).toMatch(/签名不符/);
    expect(bad.problems.join('\n')).toMatch(/内容与其哈希不符/);
    // the same file with another key: the signature and the MACs do not match
    expect(verifyAuditArchive(res.body, Buffer.alloc(32, 7)).ok).toBe(false);
  });

  it('the .xlsx export has one row per entry of the range, formulas neutralised', async () => {
    await env.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: '=hyperlink("x")', password: 'Wrong#pass99' } });
    const today = new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);
    const n = await auditCount(env.ctx);
    const res = await admin.request('GET', `/api/audit/export?format=xlsx&from=2000-01-01&to=${today}`);
    expect(res.statusCode).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
    const ws = wb.worksheets[0]!;
    expect(ws.rowCount).toBe(n + 1);
    const ids = await env.ctx.db.selectFrom('audit_log').select(['id', 'hash']).orderBy('id').execute();
    expect(ws.getRow(2).getCell(1).value).toBe(Number(ids[0]!.id));
    expect(ws.getRow(n + 1).getCell(14).value).toBe(ids[n - 1]!.hash);
    const names = [];
    for (let i = 2; i <= n + 1; i++) names.push(ws.getRow(i).getCell(4).value);
    expect(names).toContain(`'=hyperlink("x")`);
    // The ledger columns: the person, the action in Chinese, the object by name.
    expect(ws.getRow(1).getCell(16).value).toBe('姓名');
    const ledger = [];
    for (let i = 2; i <= n + 1; i++) ledger.push([ws.getRow(i).getCell(6).value, ws.getRow(i).getCell(17).value, ws.getRow(i).getCell(18).value]);
    expect(ledger.filter(([event]) => event === 'auth.login').map(([, label]) => label)).toContain('登录');
    for (const [event, label] of ledger) expect(label, String(event)).not.toBe(event);
  });

  it('only the city admin may export or read the verification status (403 for other roles)', async () => {
    const assessor = await newUserClient(env, 'audit_assessor', 'city_assessor', '320400');
    const district = await newUserClient(env, 'audit_district', 'district_admin', '320411');
    for (const c of [assessor, district]) {
      expect((await c.request('GET', '/api/audit/export?format=json&from=2000-01-01&to=2099-01-01')).statusCode).toBe(403);
      expect((await c.request('GET', '/api/audit/export?format=xlsx&from=2000-01-01&to=2099-01-01')).statusCode).toBe(403);
      expect((await c.request('GET', '/api/audit/status')).statusCode).toBe(403);
    }
  });

  it('an import’s entry written by the write worker thread (SQLite) carries a valid MAC of the same key', async () => {
    const clerk = await newUserClient(env, 'audit_clerk', 'clerk', '320411');
    const file = writeCsv([
      ['姓名', '公民身份号码', '户口性质', '常住地址', '手机号码', '人员类别', '采集日期', '企业养老', '企业养老参保地'],
      ['张三', fakeIdNumber('320411', '19800101', 7), '21', '地址1号', '13912345678', '24', '2016-05-03', '1', '常州'],
    ]);
    const body = multipart(file, 'a.csv', { orgUnitId: String(await orgId(env.ctx, '320411002001')), mode: 'all' });
    const res = await env.app.inject({ method: 'POST', url: '/api/registrations/imports', headers: { cookie: clerk.cookie, ...body.headers }, payload: body.payload });
    expect(res.statusCode, res.body).toBe(202);
    let job: { status: string } = { status: 'queued' };
    for (let i = 0; i < 600 && !['done', 'failed'].includes(job.status); i++) {
      await new Promise((r) => setTimeout(r, 50));
      job = (await clerk.request('GET', `/api/registrations/import-jobs/${res.json().jobId}`)).json();
    }
    expect(job.status, JSON.stringify(job)).toBe('done');
    const entry = await env.ctx.db.selectFrom('audit_log').selectAll().where('event', '=', 'registration.import').orderBy('id', 'desc').executeTakeFirstOrThrow();
    expect(entry.mac).toMatch(/^[0-9a-f]{64}$/);
    expect((await admin.request('GET', '/api/audit/verify')).json()).toMatchObject({ ok: true });
  });

  it('a dropped append-only trigger is re-created at start-up, and that is recorded in the audit log', async () => {
    const expected = await triggerNames(env.ctx);
    const dropped = env.ctx.dialect === 'postgres' ? 'audit_log_no_update' : 'audit_log_no_delete';
    await dropTrigger(env.ctx, dropped);
    expect(await triggerNames(env.ctx)).not.toContain(dropped);
    const second = await restart(env);
    try {
      expect(await triggerNames(env.ctx)).toEqual(expected);
      const last = await env.ctx.db.selectFrom('audit_log').selectAll().where('event', '=', 'audit.triggers_restored').orderBy('id', 'desc').executeTakeFirstOrThrow();
      expect(JSON.parse(last.after_json!)).toEqual({ triggers: [dropped] });
      await expect(env.ctx.db.deleteFrom('audit_log').execute()).rejects.toThrow(/append-only/);
      // PostgreSQL: TRUNCATE skips row triggers, a statement trigger refuses it (migration 011)
      if (env.ctx.dialect === 'postgres') await expect(sql`TRUNCATE audit_log`.execute(env.ctx.db)).rejects.toThrow(/append-only/);
    } finally {
      await second.close();
    }
  });

  // Last: it damages this file's log on purpose.
  it('a tail deletion (trigger dropped as an attacker with database access would) is detected at start-up, by verify, in /api/health and on the city admin’s home page', async () => {
    await admin.request('GET', '/api/audit/verify'); // records a head at the current end
    const n = await auditCount(env.ctx);
    await dropTrigger(env.ctx, env.ctx.dialect === 'postgres' ? 'audit_log_no_update' : 'audit_log_no_delete');
    const cut = await env.ctx.db.selectFrom('audit_log').select('id').orderBy('id', 'desc').limit(3).execute();
    await env.ctx.db.deleteFrom('audit_log').where('id', '>=', Number(cut[2]!.id)).execute();
    expect(await auditCount(env.ctx)).toBe(n - 3);
    // the chain that is left is intact: only the recorded head shows what is missing

    const second = await restart(env);
    try {
      const health = (await second.app.inject({ method: 'GET', url: '/api/health' })).json();
      expect(health.audit).toMatchObject({ ok: false, checkedAt: expect.any(String) });
      expect(health.audit.reason).toMatch(/末尾的记录缺失/);
      expect(health.audit.reason).not.toMatch(/\d/); // public: no ids, no counts
    } finally {
      await second.close();
    }

    const verify = (await admin.request('GET', '/api/audit/verify')).json();
    expect(verify).toMatchObject({ ok: false, code: 'tail_missing' });
    expect(verify.reason).toContain(String(n));
    const health = (await env.app.inject({ method: 'GET', url: '/api/health' })).json();
    expect(health.audit).toMatchObject({ ok: false, reason: expect.stringMatching(/末尾的记录缺失/) });
    const status = (await admin.request('GET', '/api/audit/status')).json();
    expect(status.check).toMatchObject({ ok: false, code: 'tail_missing', checkedAt: expect.any(String) });
    expect(status.lastHead).toMatchObject({ count: n });
  });
});
