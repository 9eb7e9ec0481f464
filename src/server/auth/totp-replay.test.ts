// A TOTP code is good once, also when the same code arrives many times at the same moment
// (issue 13 item 3): marking it used is one conditional UPDATE, so exactly one request wins.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createTestEnv, loginAs, makeUser, testEngine, type TestEnv } from '../testing/harness.js';
import { resetClock, setClock } from '../clock.js';
import { generateTotpSecret, hotp, totpStep } from './totp.js';

const PARALLEL = 10;

describe(`TOTP codes under parallel use (${testEngine()})`, () => {
  let env: TestEnv;
  beforeAll(async () => {
    env = await createTestEnv();
  });
  afterAll(async () => env?.close());
  afterEach(() => resetClock());

  const t0 = new Date('2026-04-01T01:00:10Z');

  it(`${PARALLEL} simultaneous logins with the same valid code: exactly one succeeds`, async () => {
    setClock(() => t0);
    const u = await makeUser(env.ctx, { username: 'replay_login', role: 'city_admin', orgCode: '320400' });
    const secret = generateTotpSecret();
    await env.ctx.db.updateTable('app_user').set({ totp_secret: secret }).where('id', '=', u.id).execute();
    const code = hotp(secret, totpStep(t0));
    const results = await Promise.all(
      Array.from({ length: PARALLEL }, () =>
        env.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: u.username, password: u.password, totp: code } }),
      ),
    );
    const codes = results.map((r) => r.statusCode).sort();
    expect(codes.filter((c) => c === 200)).toHaveLength(1);
    expect(codes.filter((c) => c === 401)).toHaveLength(PARALLEL - 1);
    for (const r of results.filter((x) => x.statusCode === 401)) expect(r.json().error.code).toBe('TOTP_REQUIRED');
    const sessions = await env.ctx.db.selectFrom('session').select('id').where('user_id', '=', u.id).execute();
    expect(sessions).toHaveLength(1);
    const row = await env.ctx.db.selectFrom('app_user').select('totp_last_step').where('id', '=', u.id).executeTakeFirstOrThrow();
    expect(Number(row.totp_last_step)).toBe(totpStep(t0));
  });

  it(`${PARALLEL} simultaneous enrolment confirmations with the same code: exactly one succeeds, and that code cannot then log in`, async () => {
    setClock(() => t0);
    const u = await makeUser(env.ctx, { username: 'replay_enrol', role: 'city_assessor', orgCode: '320400' });
    const c = await loginAs(env.app, u.username, u.password);
    await c.reauth();
    const setup = await c.request('POST', '/api/auth/totp/setup', {});
    const { secret } = setup.json() as { secret: string };
    const code = hotp(secret, totpStep(t0));
    const results = await Promise.all(Array.from({ length: PARALLEL }, () => c.request('POST', '/api/auth/totp/enable', { code })));
    expect(results.filter((r) => r.statusCode === 200)).toHaveLength(1);
    for (const r of results.filter((x) => x.statusCode !== 200)) expect([409, 'CONFLICT']).toEqual([r.statusCode, r.json().error.code]);
    const audit = await env.ctx.db.selectFrom('audit_log').select('id').where('event', '=', 'auth.totp.enable').where('success', '=', 1).execute();
    expect(audit).toHaveLength(1);
    const replay = await env.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: u.username, password: u.password, totp: code } });
    expect([replay.statusCode, replay.json().error.code]).toEqual([401, 'TOTP_REQUIRED']);
  });
});
