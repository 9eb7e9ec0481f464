// The audit log (SPEC "Audit"): who, when, unit, event, object, success, before → after; filters and
// keyset paging; append-only in the database itself; a hash chain that reveals tampering.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { adminClient, auditCount, createTestEnv, loginAs, makeUser, orgId, testEngine, type Client, type TestEnv } from '../testing/harness.js';
import { resetClock, setClock } from '../clock.js';
import type { AuditEntry } from '../../shared/api.js';

describe(`audit log (${testEngine()})`, () => {
  let env: TestEnv;
  let admin: Client & { password: string };
  let cityId: number;

  beforeAll(async () => {
    env = await createTestEnv();
    admin = await adminClient(env.app);
    await admin.reauth();
    cityId = await orgId(env.ctx, '320400');
  });
  afterAll(async () => env?.close());
  afterEach(() => resetClock());

  const page = async (query: string) => {
    const res = await admin.request('GET', `/api/audit?${query}`);
    expect(res.statusCode, res.body).toBe(200);
    return res.json() as { items: AuditEntry[]; nextCursor: number | null };
  };
  const login = (username: string, password: string) =>
    env.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username, password } });

  it('a write appends one entry with time, user, org unit, event, object and before → after', async () => {
    const u = await makeUser(env.ctx, { username: 'audited_clerk', role: 'clerk', orgCode: '320411' });
    const n = await auditCount(env.ctx);
    const res = await admin.request('PATCH', `/api/users/${u.id}`, { displayName: '改过的名字', version: 0 });
    expect(res.statusCode).toBe(200);
    expect(await auditCount(env.ctx)).toBe(n + 1);
    const [entry] = (await page('limit=1')).items;
    expect(entry).toMatchObject({
      event: 'user.update',
      username: 'admin',
      orgUnitId: cityId,
      objectType: 'user',
      objectId: String(u.id),
      success: true,
    });
    expect(entry!.userId).toEqual(expect.any(Number));
    expect(Math.abs(Date.parse(entry!.at) - Date.now())).toBeLessThan(60_000);
    expect(entry!.before).toMatchObject({ displayName: 'audited_clerk', version: 0 });
    expect(entry!.after).toMatchObject({ displayName: '改过的名字', version: 1 });
    expect(entry!.hash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('reads like a ledger: the person beside the user name, objects by their names', async () => {
    const xinbei = await orgId(env.ctx, '320411');
    const created = await admin.request('POST', '/api/users', { username: 'ledger_clerk', displayName: '王小明', role: 'clerk', orgUnitId: xinbei });
    expect(created.statusCode, created.body).toBe(200);
    const items = (await page('limit=5')).items;
    const userEntry = items.find((e) => e.event === 'user.create')!;
    const admin0 = await env.ctx.db.selectFrom('app_user').select('display_name').where('username', '=', 'admin').executeTakeFirstOrThrow();
    expect(userEntry).toMatchObject({ username: 'admin', displayName: admin0.display_name, objectType: 'user', objectName: '王小明' });
  });

  it('a refused write and a failed login are recorded with success = false', async () => {
    const n = await auditCount(env.ctx);
    const dup = await admin.request('POST', '/api/users', { username: 'audited_clerk', displayName: '重复', role: 'clerk', orgUnitId: cityId });
    expect(dup.statusCode).toBeGreaterThanOrEqual(400);
    expect((await login('audited_clerk', 'Wrong#pass99')).statusCode).toBe(401);
    expect(await auditCount(env.ctx)).toBe(n + 2);
    const failures = (await page('success=false&limit=2')).items;
    expect(failures.map((e) => [e.event, e.success])).toEqual([
      ['auth.login', false],
      ['user.create', false],
    ]);
    expect(failures[0]!.username).toBe('audited_clerk');
    expect(failures[1]!.after).toMatchObject({ code: expect.stringMatching(/INVALID_INPUT|CONFLICT/) });
  });

  it('filters by event, username, success and date range (a date is a whole Shanghai day)', async () => {
    const u = await makeUser(env.ctx, { username: 'dated_user', role: 'viewer', orgCode: '320402' });
    // 2021-03-01 10:00 and 23:30 in Shanghai, then 2021-03-02 01:00 Shanghai (still 03-01 in UTC)
    for (const [iso, ok] of [
      ['2021-03-01T02:00:00Z', true],
      ['2021-03-01T15:30:00Z', false],
      ['2021-03-01T17:00:00Z', true],
    ] as const) {
      const t = new Date(iso);
      setClock(() => t);
      expect((await login('dated_user', ok ? u.password : 'Wrong#pass99')).statusCode).toBe(ok ? 200 : 401);
    }
    resetClock();
    const day1 = (await page('from=2021-03-01&to=2021-03-01')).items;
    expect(day1.map((e) => [e.at, e.success])).toEqual([
      ['2021-03-01T15:30:00.000Z', false],
      ['2021-03-01T02:00:00.000Z', true],
    ]);
    const day2 = (await page('from=2021-03-02&to=2021-03-02')).items;
    expect(day2.map((e) => e.at)).toEqual(['2021-03-01T17:00:00.000Z']);
    const byUser = (await page('username=dated_user&event=auth.login&limit=200')).items;
    expect(byUser).toHaveLength(3);
    expect(byUser.every((e) => e.username === 'dated_user' && e.event === 'auth.login')).toBe(true);
    expect((await page('username=dated_user&success=false')).items.map((e) => e.at)).toEqual(['2021-03-01T15:30:00.000Z']);
    expect((await page('event=no.such.event')).items).toEqual([]);
    const updates = (await page('event=user.update&limit=200')).items;
    expect(updates.length).toBeGreaterThan(0);
    expect(updates.every((e) => e.event === 'user.update')).toBe(true);
  });

  it('keyset paging with the before cursor walks every entry once, newest first, no overlaps or gaps', async () => {
    for (let i = 0; i < 12; i++) await login('nobody', 'Wrong#pass99'); // fill the log
    const all = await env.ctx.db.selectFrom('audit_log').select('id').orderBy('id', 'desc').execute();
    const seen: number[] = [];
    let cursor: number | null = null;
    let pages = 0;
    do {
      const p: { items: AuditEntry[]; nextCursor: number | null } = await page(`limit=7${cursor ? `&before=${cursor}` : ''}`);
      expect(p.items.length).toBeLessThanOrEqual(7);
      seen.push(...p.items.map((e) => e.id));
      cursor = p.nextCursor;
      pages++;
      expect(pages).toBeLessThan(100);
    } while (cursor !== null);
    // the listing itself adds no entries, so the walk must equal the table
    expect(seen).toEqual(all.map((r) => Number(r.id)));
    expect(new Set(seen).size).toBe(seen.length);
    expect(pages).toBe(Math.ceil(all.length / 7));
  });

  it('order=asc walks the entries oldest first with the after cursor, the same filters applying', async () => {
    for (let i = 0; i < 5; i++) await login('nobody', 'Wrong#pass99');
    const all = await env.ctx.db.selectFrom('audit_log').select('id').where('success', '=', 0).orderBy('id', 'asc').execute();
    const seen: number[] = [];
    let cursor: number | null = null;
    let pages = 0;
    do {
      const p: { items: AuditEntry[]; nextCursor: number | null } = await page(`order=asc&success=false&limit=4${cursor ? `&after=${cursor}` : ''}`);
      seen.push(...p.items.map((e) => e.id));
      cursor = p.nextCursor;
      pages++;
      expect(pages).toBeLessThan(100);
    } while (cursor !== null);
    expect(seen).toEqual(all.map((r) => Number(r.id)));
    // Unfiltered, oldest first is the order of appending (ids ascending): earlier tests here wrote
    // entries under a fixed clock, so the times alone are not monotonic in this log.
    const ids = (await page('order=asc&limit=50')).items.map((e) => e.id);
    expect(ids.length).toBeGreaterThan(5);
    expect(ids).toEqual([...ids].sort((a, b) => a - b));
    expect((await admin.request('GET', '/api/audit?order=sideways')).statusCode).toBe(400);
  });

  it('GET /api/audit/verify checks the whole chain: ok', async () => {
    const res = (await admin.request('GET', '/api/audit/verify')).json();
    expect(res).toMatchObject({ ok: true, code: 'ok', mode: 'full', checked: await auditCount(env.ctx), total: await auditCount(env.ctx), firstBadId: null });
  });

  it('only the city admin may read the audit log', async () => {
    const u = await makeUser(env.ctx, { username: 'assessor_reader', role: 'city_assessor', orgCode: '320400' });
    const c = await loginAs(env.app, u.username, u.password);
    expect((await c.request('GET', '/api/audit')).statusCode).toBe(403);
    expect((await c.request('GET', '/api/audit/verify')).statusCode).toBe(403);
  });

  it('the database itself refuses UPDATE and DELETE on audit_log', async () => {
    const n = await auditCount(env.ctx);
    const first = await env.ctx.db.selectFrom('audit_log').selectAll().orderBy('id').executeTakeFirstOrThrow();
    await expect(env.ctx.db.updateTable('audit_log').set({ event: 'forged' }).where('id', '=', first.id).execute()).rejects.toThrow(/append-only/);
    await expect(env.ctx.db.deleteFrom('audit_log').where('id', '=', first.id).execute()).rejects.toThrow(/append-only/);
    await expect(env.ctx.db.deleteFrom('audit_log').execute()).rejects.toThrow(/append-only/);
    expect(await auditCount(env.ctx)).toBe(n);
    const again = await env.ctx.db.selectFrom('audit_log').selectAll().where('id', '=', first.id).executeTakeFirstOrThrow();
    expect(again).toEqual(first);
  });

  // Last: it breaks the chain of this file's database on purpose.
  it('tampering behind the application’s back (trigger dropped, one entry changed) is reported by verify', async () => {
    const db = env.ctx.db;
    if (env.ctx.dialect === 'postgres') await sql`DROP TRIGGER audit_log_no_update ON audit_log`.execute(db);
    else await sql`DROP TRIGGER audit_log_no_update`.execute(db);
    const target = (await page('event=user.update&limit=1')).items[0]!;
    await db
      .updateTable('audit_log')
      .set({ after_json: JSON.stringify({ ...(target.after as object), displayName: '篡改' }) })
      .where('id', '=', target.id)
      .execute();
    const res = (await admin.request('GET', '/api/audit/verify')).json();
    expect(res).toMatchObject({ ok: false, firstBadId: target.id });
    const earlier = await db.selectFrom('audit_log').select('id').where('id', '<', target.id).execute();
    expect(res.checked).toBe(earlier.length);
  });
});
