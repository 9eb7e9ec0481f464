// Authentication (SPEC "Security defaults"): login, lock-out, session time-outs, logout, forced
// password changes, password policy and history, own sessions, re-authentication.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { LightMyRequestResponse } from 'fastify';
import { adminClient, createTestEnv, loginAs, makeUser, TEST_PASSWORD, testEngine, type TestEnv } from '../testing/harness.js';
import { resetClock, setClock } from '../clock.js';
import type { Role } from '../../shared/roles.js';

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;
const LOGIN_FAILED = '用户名或密码错误';

describe(`auth (${testEngine()})`, () => {
  let env: TestEnv;
  let seq = 0;
  let base = 0;

  beforeAll(async () => {
    env = await createTestEnv();
  });
  afterAll(async () => env?.close());
  afterEach(() => resetClock());

  /** Freezes "now" at `offsetMs` after the test's start. */
  const at = (offsetMs: number) => {
    const t = new Date(base + offsetMs);
    setClock(() => t);
  };
  const startClock = () => {
    base = Date.now();
    at(0);
  };
  const newUser = (role: Role = 'clerk', orgCode = '320411') =>
    makeUser(env.ctx, { username: `auth${++seq}_${role}`, role, orgCode });
  const login = (username: string, password: string) =>
    env.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username, password } });
  const get = (cookie: string, url: string) => env.app.inject({ method: 'GET', url, headers: { cookie } });
  const errorOf = (res: LightMyRequestResponse) => (res.json() as { error: { code: string; message: string } }).error;

  it('a successful login sets an httpOnly, SameSite=Strict session cookie and returns no secret', async () => {
    const u = await newUser();
    const res = await login(u.username, u.password);
    expect(res.statusCode).toBe(200);
    const cookie = res.cookies.find((c) => c.name === 'canbao_sid');
    expect(cookie).toBeDefined();
    expect(cookie!.httpOnly).toBe(true);
    expect(cookie!.sameSite).toBe('Strict');
    expect(cookie!.path).toBe('/');
    expect(cookie!.value.length).toBeGreaterThanOrEqual(32);
    expect(res.json().user).toMatchObject({ username: u.username, role: 'clerk', mustChangePassword: false });
    expect(res.body).not.toMatch(/password_hash|scrypt\$/);
    // the database keeps only a hash of the token
    const stored = await env.ctx.db.selectFrom('session').select('token_hash').where('user_id', '=', u.id).execute();
    expect(stored.map((s) => s.token_hash)).not.toContain(cookie!.value);
  });

  it('a wrong password and an unknown user get the same 401 and message', async () => {
    const u = await newUser();
    const wrong = await login(u.username, 'Wrong#pass99');
    const unknown = await login('nobody_here', 'Wrong#pass99');
    expect(wrong.statusCode).toBe(401);
    expect(unknown.statusCode).toBe(401);
    expect(errorOf(wrong)).toEqual({ code: 'UNAUTHENTICATED', message: LOGIN_FAILED });
    expect(unknown.body).toBe(wrong.body);
  });

  it('5 failures lock the account for 30 minutes (423), even with the right password; afterwards login works', async () => {
    startClock();
    const u = await newUser();
    for (let i = 0; i < 4; i++) expect((await login(u.username, 'Wrong#pass99')).statusCode).toBe(401);
    const fifth = await login(u.username, 'Wrong#pass99');
    expect(fifth.statusCode).toBe(423);
    expect(errorOf(fifth).code).toBe('ACCOUNT_LOCKED');
    expect(errorOf(fifth).message).toContain('30 分钟');
    expect((await login(u.username, u.password)).statusCode).toBe(423);
    at(29 * MINUTE);
    expect((await login(u.username, u.password)).statusCode).toBe(423);
    at(31 * MINUTE);
    expect((await login(u.username, u.password)).statusCode).toBe(200);
  });

  it('failures sent in parallel are all counted: 10 at once lock the account, none fails with 500', async () => {
    const u = await newUser();
    const burst = await Promise.all(Array.from({ length: 10 }, () => login(u.username, 'Wrong#pass99')));
    const codes = burst.map((r) => r.statusCode);
    expect(codes.every((c) => c === 401 || c === 423), codes.join(',')).toBe(true);
    expect(codes.filter((c) => c === 401)).toHaveLength(4);
    expect((await login(u.username, u.password)).statusCode).toBe(423);
  });

  it('an unknown username is locked the same way after 5 failures (no way to tell who exists)', async () => {
    startClock();
    const real = await newUser();
    const realRes: LightMyRequestResponse[] = [];
    const ghostRes: LightMyRequestResponse[] = [];
    for (let i = 0; i < 6; i++) {
      realRes.push(await login(real.username, 'Wrong#pass99'));
      ghostRes.push(await login('ghost_user', 'Wrong#pass99'));
    }
    expect(ghostRes.map((r) => r.statusCode)).toEqual([401, 401, 401, 401, 423, 423]);
    expect(ghostRes.map((r) => r.statusCode)).toEqual(realRes.map((r) => r.statusCode));
    expect(ghostRes.map((r) => r.body)).toEqual(realRes.map((r) => r.body));
    at(31 * MINUTE);
    expect(errorOf(await login('ghost_user', 'Wrong#pass99')).code).toBe('UNAUTHENTICATED');
  });

  it('a disabled user cannot log in and gets the same 401 message', async () => {
    const u = await newUser();
    await env.ctx.db.updateTable('app_user').set({ disabled: 1 }).where('id', '=', u.id).execute();
    const res = await login(u.username, u.password);
    expect(res.statusCode).toBe(401);
    expect(errorOf(res)).toEqual({ code: 'UNAUTHENTICATED', message: LOGIN_FAILED });
  });

  it('a session idle for 30 minutes ends (401); activity within 30 minutes keeps it alive', async () => {
    startClock();
    const u = await newUser();
    const c = await loginAs(env.app, u.username, u.password);
    at(20 * MINUTE);
    expect((await c.request('GET', '/api/auth/me')).statusCode).toBe(200);
    at(45 * MINUTE); // 45 minutes after login, 25 after the last request
    expect((await c.request('GET', '/api/auth/me')).statusCode).toBe(200);
    at(75 * MINUTE); // exactly 30 idle minutes
    const res = await c.request('GET', '/api/auth/me');
    expect(res.statusCode).toBe(401);
    expect(errorOf(res).code).toBe('UNAUTHENTICATED');
    at(76 * MINUTE); // an ended session stays ended
    expect((await c.request('GET', '/api/auth/me')).statusCode).toBe(401);
  });

  it('any session ends 12 hours after login, however active', async () => {
    startClock();
    const u = await newUser();
    const c = await loginAs(env.app, u.username, u.password);
    for (let t = 25; t < 12 * 60; t += 25) {
      at(t * MINUTE);
      expect((await c.request('GET', '/api/auth/me')).statusCode, `at ${t} min`).toBe(200);
    }
    at(12 * 60 * MINUTE);
    expect((await c.request('GET', '/api/auth/me')).statusCode).toBe(401);
  });

  it('logout really ends the session: the old cookie answers 401 afterwards', async () => {
    const u = await newUser();
    const c = await loginAs(env.app, u.username, u.password);
    const out = await c.request('POST', '/api/auth/logout');
    expect(out.statusCode).toBe(200);
    const cleared = out.cookies.find((x) => x.name === 'canbao_sid');
    expect(cleared?.value).toBe('');
    const again = await c.request('GET', '/api/auth/me');
    expect(again.statusCode).toBe(401);
    const rows = await env.ctx.db.selectFrom('session').select('ended_at').where('user_id', '=', u.id).execute();
    expect(rows.every((r) => r.ended_at !== null)).toBe(true);
  });

  it('a user who must change the password gets 403 PASSWORD_CHANGE_REQUIRED on every other route until they do', async () => {
    const u = await newUser('district_admin');
    await env.ctx.db.updateTable('app_user').set({ must_change_password: 1 }).where('id', '=', u.id).execute();
    const res = await login(u.username, u.password);
    expect(res.json().user.mustChangePassword).toBe(true);
    const c = await loginAs(env.app, u.username, u.password);
    const guarded = env.routes.filter(
      (r) => r.access && !('public' in r.access) && !r.access.allowPasswordChange && !r.url.includes('*'),
    );
    expect(guarded.length).toBeGreaterThan(10);
    for (const r of guarded) {
      const out = await c.request(r.method, r.url.replace(/:id\b/g, '1'), r.method === 'GET' ? undefined : {});
      expect([out.statusCode, errorOf(out).code], `${r.method} ${r.url}`).toEqual([403, 'PASSWORD_CHANGE_REQUIRED']);
    }
    expect((await c.request('GET', '/api/auth/me')).statusCode).toBe(200);
    const changed = await c.request('POST', '/api/auth/password', { oldPassword: u.password, newPassword: 'Fresh#pass2016' });
    expect(changed.statusCode).toBe(200);
    expect((await c.request('GET', '/api/orgs')).statusCode).toBe(200);
    expect((await c.request('GET', '/api/auth/me')).json().user.mustChangePassword).toBe(false);
  });

  it('the password policy refuses short, 2-class and username-containing passwords with 400 and a Chinese message', async () => {
    const u = await newUser();
    const c = await loginAs(env.app, u.username, u.password);
    for (const newPassword of ['Ab#1234', 'abcdefgh12345', `X#1${u.username}`]) {
      const res = await c.request('POST', '/api/auth/password', { oldPassword: u.password, newPassword });
      expect(res.statusCode, newPassword).toBe(400);
      expect(errorOf(res).code).toBe('INVALID_INPUT');
      expect(errorOf(res).message).toMatch(/[\u4e00-\u9fff]/);
    }
    expect(errorOf(await c.request('POST', '/api/auth/password', { oldPassword: u.password, newPassword: `X#1${u.username}` })).message).toContain('用户名');
    // nothing changed: the old password still logs in
    expect((await login(u.username, u.password)).statusCode).toBe(200);
  });

  it('the last 5 passwords cannot be reused; an older one can', async () => {
    const u = await newUser();
    const c = await loginAs(env.app, u.username, u.password);
    const pw = [u.password, 'One#pass2016', 'Two#pass2016', 'Three#pass2016', 'Four#pass2016', 'Five#pass2016'];
    for (let i = 1; i < pw.length; i++) {
      const res = await c.request('POST', '/api/auth/password', { oldPassword: pw[i - 1], newPassword: pw[i] });
      expect(res.statusCode, pw[i]).toBe(200);
    }
    for (const reused of pw.slice(1)) {
      const res = await c.request('POST', '/api/auth/password', { oldPassword: pw[5], newPassword: reused });
      expect(res.statusCode, reused).toBe(400);
      expect(errorOf(res).message).toContain('5');
    }
    // the sixth-newest (the very first) is allowed again
    expect((await c.request('POST', '/api/auth/password', { oldPassword: pw[5], newPassword: pw[0] })).statusCode).toBe(200);
  });

  it('changing the password ends the user’s other sessions but keeps the current one', async () => {
    const u = await newUser();
    const here = await loginAs(env.app, u.username, u.password);
    const elsewhere = await loginAs(env.app, u.username, u.password);
    expect((await here.request('POST', '/api/auth/password', { oldPassword: u.password, newPassword: 'Moved#pass2016' })).statusCode).toBe(200);
    expect((await elsewhere.request('GET', '/api/auth/me')).statusCode).toBe(401);
    expect((await here.request('GET', '/api/auth/me')).statusCode).toBe(200);
    expect((await login(u.username, u.password)).statusCode).toBe(401);
    expect((await login(u.username, 'Moved#pass2016')).statusCode).toBe(200);
  });

  it('a wrong old password → 400 and the password stays', async () => {
    const u = await newUser();
    const c = await loginAs(env.app, u.username, u.password);
    const res = await c.request('POST', '/api/auth/password', { oldPassword: 'Wrong#pass99', newPassword: 'Other#pass2016' });
    expect([res.statusCode, errorOf(res).code]).toEqual([400, 'INVALID_INPUT']);
    expect((await login(u.username, 'Other#pass2016')).statusCode).toBe(401);
  });

  it('a password older than 90 days forces a change', async () => {
    startClock();
    const u = await newUser();
    at(89 * DAY);
    const fresh = await loginAs(env.app, u.username, u.password);
    expect((await fresh.request('GET', '/api/orgs')).statusCode).toBe(200);
    at(90 * DAY);
    const res = await login(u.username, u.password);
    expect(res.json().user.mustChangePassword).toBe(true);
    const c = await loginAs(env.app, u.username, u.password);
    expect(errorOf(await c.request('GET', '/api/orgs')).code).toBe('PASSWORD_CHANGE_REQUIRED');
    expect((await c.request('POST', '/api/auth/password', { oldPassword: u.password, newPassword: 'Later#pass2016' })).statusCode).toBe(200);
    expect((await c.request('GET', '/api/orgs')).statusCode).toBe(200);
  });

  it('a user lists their live sessions and can end another one (but not somebody else’s)', async () => {
    const u = await newUser();
    const other = await newUser();
    const a = await loginAs(env.app, u.username, u.password);
    const b = await loginAs(env.app, u.username, u.password);
    const o = await loginAs(env.app, other.username, other.password);
    const list = (await a.request('GET', '/api/auth/sessions')).json().items as Array<{ id: number; current: boolean }>;
    expect(list).toHaveLength(2);
    expect(list.filter((s) => s.current)).toHaveLength(1);
    const bId = list.find((s) => !s.current)!.id;
    const otherId = ((await o.request('GET', '/api/auth/sessions')).json().items as Array<{ id: number }>)[0]!.id;
    expect((await a.request('DELETE', `/api/auth/sessions/${otherId}`)).statusCode).toBe(404);
    expect((await o.request('GET', '/api/auth/me')).statusCode).toBe(200);
    expect((await a.request('DELETE', `/api/auth/sessions/${bId}`)).statusCode).toBe(200);
    expect((await b.request('GET', '/api/auth/me')).statusCode).toBe(401);
    expect((await a.request('GET', '/api/auth/sessions')).json().items).toHaveLength(1);
  });

  it('API responses, errors included, are sent with Cache-Control: no-store', async () => {
    const u = await newUser();
    const c = await loginAs(env.app, u.username, u.password);
    const responses = [
      await c.request('GET', '/api/auth/me'),
      await c.request('GET', '/api/orgs'),
      await get('', '/api/auth/me'),
      await login(u.username, u.password),
      await login(u.username, 'Wrong#pass99'),
    ];
    for (const r of responses) expect(r.headers['cache-control']).toBe('no-store');
  });

  describe('re-authentication before high-value actions', () => {
    const body = (n: number) => ({ username: `reauth_new${n}`, displayName: '新用户', role: 'clerk', orgUnitId: 0 });

    it('POST /api/users needs a recent reauth; it lasts 5 minutes; a wrong password gives 400 and no elevation', async () => {
      startClock();
      const admin = await adminClient(env.app);
      const unit = await env.ctx.db.selectFrom('org_unit').select('id').where('code', '=', '320411').executeTakeFirstOrThrow();
      const create = (n: number) => admin.request('POST', '/api/users', { ...body(n), orgUnitId: Number(unit.id) });

      const refused = await create(1);
      expect([refused.statusCode, errorOf(refused).code]).toEqual([403, 'REAUTH_REQUIRED']);
      const wrong = await admin.request('POST', '/api/auth/reauth', { password: 'Wrong#pass99' });
      expect([wrong.statusCode, errorOf(wrong).code]).toEqual([400, 'INVALID_INPUT']);
      expect(errorOf(await create(1)).code).toBe('REAUTH_REQUIRED');

      const ok = await admin.request('POST', '/api/auth/reauth', { password: admin.password });
      expect(ok.statusCode).toBe(200);
      expect(Date.parse(ok.json().elevatedUntil)).toBe(base + 5 * MINUTE);
      expect((await create(1)).statusCode).toBe(200);
      at(4 * MINUTE);
      expect((await create(2)).statusCode).toBe(200);
      at(5 * MINUTE);
      expect(errorOf(await create(3)).code).toBe('REAUTH_REQUIRED');
      const made = await env.ctx.db.selectFrom('app_user').select('username').where('username', 'like', 'reauth_new%').execute();
      expect(made.map((m) => m.username).sort()).toEqual(['reauth_new1', 'reauth_new2']);
    });

    it('wrong passwords on reauth count like failed logins: the 5th locks the name and ends every session of the user', async () => {
      startClock();
      const u = await newUser('district_admin');
      const c = await loginAs(env.app, u.username, u.password);
      const other = await loginAs(env.app, u.username, u.password);
      for (let i = 0; i < 4; i++) {
        const r = await c.request('POST', '/api/auth/reauth', { password: 'Wrong#pass99' });
        expect([r.statusCode, errorOf(r).code]).toEqual([400, 'INVALID_INPUT']);
      }
      const fifth = await c.request('POST', '/api/auth/reauth', { password: 'Wrong#pass99' });
      expect([fifth.statusCode, errorOf(fifth).code]).toEqual([423, 'ACCOUNT_LOCKED']);
      expect((await get(c.cookie, '/api/auth/me')).statusCode).toBe(401);
      expect((await get(other.cookie, '/api/auth/me')).statusCode).toBe(401);
      expect((await login(u.username, u.password)).statusCode).toBe(423);
    });

    it('wrong old passwords on a password change count too', async () => {
      startClock();
      const u = await newUser('clerk');
      const c = await loginAs(env.app, u.username, u.password);
      for (let i = 0; i < 4; i++) {
        const r = await c.request('POST', '/api/auth/password', { oldPassword: 'Wrong#pass99', newPassword: 'Brand#new2016' });
        expect(r.statusCode).toBe(400);
      }
      const fifth = await c.request('POST', '/api/auth/password', { oldPassword: 'Wrong#pass99', newPassword: 'Brand#new2016' });
      expect(errorOf(fifth).code).toBe('ACCOUNT_LOCKED');
      expect((await get(c.cookie, '/api/auth/me')).statusCode).toBe(401);
    });
  });

  it('the clear-text password is never stored: app_user holds an scrypt hash', async () => {
    const u = await newUser();
    const row = await env.ctx.db.selectFrom('app_user').select('password_hash').where('id', '=', u.id).executeTakeFirstOrThrow();
    expect(row.password_hash.startsWith('scrypt$')).toBe(true);
    expect(row.password_hash).not.toContain(TEST_PASSWORD);
  });
});
