// Per-source throttling and the TOTP unlock (issue 13 item 13): five wrong passwords from anyone
// used to lock `admin` out; now a source is slowed (429) before the account's lock, and a locked
// user with a second factor gets in with password + a fresh code (audited). Runs with the shipped
// throttle defaults, not the raised ones the other test files use.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { LightMyRequestResponse } from 'fastify';
import { createTestEnv, loginAs, makeUser, testEngine, type TestEnv } from '../testing/harness.js';
import { loadConfig } from '../config.js';
import { buildApp } from '../app.js';
import { resetClock, setClock } from '../clock.js';
import { generateTotpSecret, hotp, totpStep } from './totp.js';

const WRONG = 'Wrong#pass99';
const errorOf = (res: LightMyRequestResponse) => (res.json() as { error: { code: string; message: string } }).error;

describe(`per-source throttle and TOTP unlock (${testEngine()})`, () => {
  let env: TestEnv;
  beforeAll(async () => {
    env = await createTestEnv({ realThrottle: true });
  });
  afterAll(async () => env?.close());
  afterEach(() => resetClock());

  const login = (ip: string, username: string, password: string, totp?: string) =>
    env.app.inject({ method: 'POST', url: '/api/auth/login', remoteAddress: ip, payload: { username, password, ...(totp ? { totp } : {}) } });
  const throttleRow = (username: string) => env.ctx.db.selectFrom('login_throttle').selectAll().where('username', '=', username).executeTakeFirst();
  const expectThrottled = (res: LightMyRequestResponse) => {
    expect(res.statusCode).toBe(429);
    expect(errorOf(res).code).toBe('TOO_MANY_ATTEMPTS');
    expect(errorOf(res).message).toMatch(/尝试次数过多，请 \d+ 分钟后再试/);
    const retry = Number(res.headers['retry-after']);
    expect(retry).toBeGreaterThan(0);
    expect(retry).toBeLessThanOrEqual(env.config.authThrottle.windowMinutes * 60);
  };

  it('the shipped defaults are in force here, and a source is slowed before the account lock', () => {
    expect(env.config.authThrottle).toEqual(loadConfig({}).authThrottle);
    expect(env.config.authThrottle.perAccount).toBeLessThan(env.config.passwordPolicy.lockThreshold);
    expect(env.config.trustProxy).toBe(false);
  });

  it('a source failing on admin gets 429 with Retry-After before the 5-failure lock; admin is not locked and logs in from elsewhere', async () => {
    const n = env.config.authThrottle.perAccount;
    for (let i = 0; i < n; i++) expect((await login('10.1.0.1', 'admin', WRONG)).statusCode).toBe(401);
    expectThrottled(await login('10.1.0.1', 'admin', WRONG));
    expectThrottled(await login('10.1.0.1', 'ADMIN ', WRONG)); // the same name however it is typed
    expectThrottled(await login('10.1.0.1', 'admin', 'Seed#2016pass')); // not even the right password is checked
    const row = await throttleRow('admin');
    expect(Number(row?.failures)).toBe(n);
    expect(row?.locked_until ?? null).toBeNull();
    // the office next door (another address) is not slowed, and the right password works there
    expect((await login('10.2.0.1', 'admin', 'Seed#2016pass')).statusCode).toBe(200);
    // the throttled source may still try other names
    expect((await login('10.1.0.1', 'nobody_else', WRONG)).statusCode).toBe(401);
  });

  it('successful logins never count: many colleagues behind one NAT address log in, again and again', async () => {
    const users = await Promise.all([1, 2, 3].map((i) => makeUser(env.ctx, { username: `nat_${i}`, role: 'clerk', orgCode: '320411' })));
    for (let round = 0; round < 2 * env.config.authThrottle.perAccount; round++) {
      for (const u of users) expect((await login('10.3.0.1', u.username, u.password)).statusCode).toBe(200);
    }
  });

  it('one source failing over many names is slowed after the per-source limit', async () => {
    const limit = env.config.authThrottle.perSource;
    for (let i = 0; i < limit; i++) expect((await login('10.4.0.1', `spray_${i}`, WRONG)).statusCode).toBe(401);
    expectThrottled(await login('10.4.0.1', 'spray_new', WRONG));
    expect((await login('10.4.0.2', 'spray_new', WRONG)).statusCode).toBe(401);
  });

  it('re-auth and password change failures count too: the source gets 429 before the lock ends the session', async () => {
    const u = await makeUser(env.ctx, { username: 'reauth_thr', role: 'city_admin', orgCode: '320400' });
    const c = await loginAs(env.app, u.username, u.password);
    const reauth = (password: string) =>
      env.app.inject({ method: 'POST', url: '/api/auth/reauth', remoteAddress: '127.0.0.1', headers: { cookie: c.cookie }, payload: { password } });
    for (let i = 0; i < env.config.authThrottle.perAccount; i++) expect((await reauth(WRONG)).statusCode).toBe(400);
    expectThrottled(await reauth(WRONG));
    expectThrottled(await c.request('POST', '/api/auth/password', { oldPassword: WRONG, newPassword: 'New#pass2016x' }));
    expect((await c.request('GET', '/api/auth/me')).statusCode).toBe(200); // not locked, session alive
  });

  it('X-Forwarded-For is ignored unless CANBAO_TRUST_PROXY names the proxy', async () => {
    const viaProxy = (app: typeof env.app, xff: string, username = 'xff_user') =>
      app.inject({ method: 'POST', url: '/api/auth/login', remoteAddress: '10.5.0.1', headers: { 'x-forwarded-for': xff }, payload: { username, password: WRONG } });
    const n = env.config.authThrottle.perAccount;
    for (let i = 0; i < n; i++) expect((await viaProxy(env.app, `192.0.2.${i + 1}`)).statusCode).toBe(401);
    expectThrottled(await viaProxy(env.app, '192.0.2.99')); // a made-up header does not make a new source
    expect(loadConfig({ CANBAO_TRUST_PROXY: '10.5.0.1' }).trustProxy).toEqual(['10.5.0.1']);
    expect(() => loadConfig({ CANBAO_TRUST_PROXY: 'true' })).toThrow(/CANBAO_TRUST_PROXY/);
    const proxied = await buildApp({ ctx: { ...env.ctx, config: { ...env.config, trustProxy: ['10.5.0.1'] } }, webRoot: null });
    try {
      for (let i = 0; i < n; i++) expect((await viaProxy(proxied.app, '198.51.100.7', 'xff_user2')).statusCode).toBe(401);
      expectThrottled(await viaProxy(proxied.app, '198.51.100.7', 'xff_user2'));
      expect((await viaProxy(proxied.app, '198.51.100.8', 'xff_user2')).statusCode).toBe(401); // another client behind the proxy
    } finally {
      await proxied.app.close();
    }
  });

  describe('unlock with the second factor', () => {
    const t0 = new Date('2026-05-04T01:00:05Z');
    const lockOut = async (username: string) => {
      // five failures from different places (each source stays under its own limit)
      for (let i = 0; i < env.config.passwordPolicy.lockThreshold; i++) await login(`10.9.${i}.1`, username, WRONG);
      const row = await throttleRow(username);
      expect(Date.parse(row!.locked_until!)).toBeGreaterThan(t0.getTime());
    };

    it('a locked city admin with TOTP logs in with password + a fresh code; recorded as auth.unlock; a wrong code does not unlock', async () => {
      setClock(() => t0);
      const u = await makeUser(env.ctx, { username: 'city_unlock', role: 'city_admin', orgCode: '320400' });
      const secret = generateTotpSecret();
      await env.ctx.db.updateTable('app_user').set({ totp_secret: secret }).where('id', '=', u.id).execute();
      await lockOut(u.username);
      const plain = await login('10.8.0.1', u.username, u.password);
      expect([plain.statusCode, errorOf(plain).code]).toEqual([423, 'ACCOUNT_LOCKED']);
      expect(errorOf(plain).message).toContain('动态验证码');
      const code = hotp(secret, totpStep(t0));
      const wrongCode = code === '123456' ? '654321' : '123456';
      expect((await login('10.8.0.1', u.username, u.password, wrongCode)).statusCode).toBe(423);
      expect((await login('10.8.0.2', u.username, WRONG, code)).statusCode).toBe(423); // the code alone is not enough
      const ok = await login('10.8.0.3', u.username, u.password, code);
      expect(ok.statusCode).toBe(200);
      expect(await throttleRow(u.username)).toBeUndefined();
      const audit = await env.ctx.db.selectFrom('audit_log').selectAll().where('event', '=', 'auth.unlock').where('user_id', '=', u.id).execute();
      expect(audit).toHaveLength(1);
      expect(Number(audit[0]!.success)).toBe(1);
      expect(JSON.parse(audit[0]!.after_json!)).toMatchObject({ lockedUntil: null, by: 'password+totp' });
      expect(JSON.stringify(audit)).not.toContain(secret);
      // the code is used up
      expect((await login('10.8.0.4', u.username, u.password, code)).statusCode).toBe(401);
    });

    it('without a second factor the lock stands, whatever code is sent', async () => {
      setClock(() => t0);
      const u = await makeUser(env.ctx, { username: 'clerk_locked', role: 'clerk', orgCode: '320411' });
      await lockOut(u.username);
      const res = await login('10.8.1.1', u.username, u.password, '123456');
      expect([res.statusCode, errorOf(res).code]).toEqual([423, 'ACCOUNT_LOCKED']);
      expect((await login('10.8.1.2', u.username, u.password)).statusCode).toBe(423);
    });

    it('ten simultaneous unlocks with the same code: exactly one gets in', async () => {
      setClock(() => t0);
      const u = await makeUser(env.ctx, { username: 'city_unlock_race', role: 'city_admin', orgCode: '320400' });
      const secret = generateTotpSecret();
      await env.ctx.db.updateTable('app_user').set({ totp_secret: secret }).where('id', '=', u.id).execute();
      await lockOut(u.username);
      const code = hotp(secret, totpStep(t0));
      const results = await Promise.all(Array.from({ length: 10 }, (_, i) => login(`10.7.0.${i + 1}`, u.username, u.password, code)));
      expect(results.filter((r) => r.statusCode === 200)).toHaveLength(1);
      const sessions = await env.ctx.db.selectFrom('session').select('id').where('user_id', '=', u.id).execute();
      expect(sessions).toHaveLength(1);
    });
  });
});
