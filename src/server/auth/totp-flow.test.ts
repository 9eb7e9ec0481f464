// The TOTP second factor through the API (SPEC: "A second factor (TOTP) for city roles is supported").
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { adminClient, createTestEnv, loginAs, makeUser, testEngine, type TestEnv } from '../testing/harness.js';
import { resetClock, setClock } from '../clock.js';
import { hotp, totpStep } from './totp.js';

describe(`TOTP second factor (${testEngine()})`, () => {
  let env: TestEnv;
  beforeAll(async () => {
    env = await createTestEnv();
  });
  afterAll(async () => env?.close());
  afterEach(() => resetClock());

  const login = (username: string, password: string, totp?: string) =>
    env.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username, password, ...(totp ? { totp } : {}) } });

  it('an assessor enrols (after re-entering the password), then needs the code at login; a used code does not work twice', async () => {
    const t0 = new Date('2026-03-01T02:00:00Z');
    setClock(() => t0);
    const u = await makeUser(env.ctx, { username: 'assessor_totp', role: 'city_assessor', orgCode: '320400-SSB' });
    const c = await loginAs(env.app, u.username, u.password);
    expect((await c.request('POST', '/api/auth/totp/setup', {})).json().error.code).toBe('REAUTH_REQUIRED');
    await c.reauth();
    const setup = await c.request('POST', '/api/auth/totp/setup', {});
    expect(setup.statusCode).toBe(200);
    const { secret, otpauthUrl } = setup.json() as { secret: string; otpauthUrl: string };
    expect(otpauthUrl).toContain(`secret=${secret}`);
    expect((await c.request('POST', '/api/auth/totp/enable', { code: '000000' })).statusCode).toBe(400);
    const step = totpStep(t0);
    expect((await c.request('POST', '/api/auth/totp/enable', { code: hotp(secret, step) })).statusCode).toBe(200);
    expect((await c.request('GET', '/api/auth/me')).json().user.totpEnabled).toBe(true);

    const t1 = new Date(t0.getTime() + 60_000);
    setClock(() => t1);
    const noCode = await login(u.username, u.password);
    expect([noCode.statusCode, noCode.json().error.code]).toEqual([401, 'TOTP_REQUIRED']);
    const wrong = await login(u.username, u.password, '123456' === hotp(secret, totpStep(t1)) ? '654321' : '123456');
    expect([wrong.statusCode, wrong.json().error.code]).toEqual([401, 'TOTP_REQUIRED']);
    const code = hotp(secret, totpStep(t1));
    expect((await login(u.username, u.password, code)).statusCode).toBe(200);
    const replay = await login(u.username, u.password, code);
    expect(replay.statusCode).toBe(401);
    // the secret is never in the audit log
    const audit = await env.ctx.db.selectFrom('audit_log').select(['before_json', 'after_json']).execute();
    expect(JSON.stringify(audit)).not.toContain(secret);
  });

  it('a password reset by an administrator removes the second factor (lost phone)', async () => {
    const u = await makeUser(env.ctx, { username: 'assessor_lost', role: 'city_assessor', orgCode: '320400-SSB' });
    await env.ctx.db.updateTable('app_user').set({ totp_secret: 'JBSWY3DPEHPK3PXP' }).where('id', '=', u.id).execute();
    const admin = await adminClient(env.app);
    await admin.reauth();
    const r = await admin.request('POST', `/api/users/${u.id}/reset-password`, {});
    expect(r.statusCode).toBe(200);
    const row = await env.ctx.db.selectFrom('app_user').select(['totp_secret', 'must_change_password']).where('id', '=', u.id).executeTakeFirstOrThrow();
    expect(row.totp_secret).toBeNull();
    expect(Number(row.must_change_password)).toBe(1);
    expect((await login(u.username, r.json().temporaryPassword)).statusCode).toBe(200);
  });
});
