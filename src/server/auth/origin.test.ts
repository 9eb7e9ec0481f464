// Cross-site write refusal (issue 13 item 8): any Origin that is not the application's own, including
// 'null' and malformed values, is a clean 403 FORBIDDEN with a Chinese message, never a 500.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LightMyRequestResponse } from 'fastify';
import { createTestEnv, newUserClient, testEngine, type Client, type TestEnv } from '../testing/harness.js';

const HOST = 'canbao.example.gov.cn:8080';

describe(`Origin check on writes (${testEngine()})`, () => {
  let env: TestEnv;
  let user: Client;
  beforeAll(async () => {
    env = await createTestEnv();
    user = await newUserClient(env, 'origin_clerk', 'clerk', '320411');
  });
  afterAll(async () => env?.close());

  // A write every logged-in user may make: logout (the refused ones must leave the session alive).
  const write = (origin: string | undefined, host = HOST): Promise<LightMyRequestResponse> =>
    env.app.inject({
      method: 'POST',
      url: '/api/auth/logout',
      headers: { cookie: user.cookie, host, ...(origin === undefined ? {} : { origin }) },
    });
  const expectRefused = (res: LightMyRequestResponse, origin: string) => {
    expect([origin, res.statusCode]).toEqual([origin, 403]);
    const { error } = res.json() as { error: { code: string; message: string } };
    expect(error.code).toBe('FORBIDDEN');
    expect(error.message).toMatch(/[\u4e00-\u9fff]/);
    expect(res.body).not.toMatch(/at .*\.ts|TypeError|Invalid URL/);
  };

  it('null, malformed, IPv6, other-port, other-host and other-scheme Origins answer 403 FORBIDDEN, never 500', async () => {
    const bad = [
      'null',
      'garbage',
      'http://',
      'https://',
      '://canbao.example.gov.cn:8080',
      'http://[::1]:8080',
      'http://[::1',
      'http://canbao.example.gov.cn', // another port (80)
      'http://canbao.example.gov.cn:8081',
      'http://canbao.example.gov.cn:8080.evil.example.com',
      'https://evil.example.com',
      'ftp://canbao.example.gov.cn:8080', // another scheme
      'ws://canbao.example.gov.cn:8080',
      'file://',
      'http://%zz',
      '\u0000',
    ];
    for (const origin of bad) expectRefused(await write(origin), origin);
    // the session survived all of that
    expect((await user.request('GET', '/api/auth/me')).statusCode).toBe(200);
  });

  it('an IPv6 Host accepts its own Origin and refuses another', async () => {
    expectRefused(await write('http://[::2]:8080', '[::1]:8080'), 'http://[::2]:8080');
    const ipv6User = await newUserClient(env, 'origin_v6', 'clerk', '320411');
    const ok = await env.app.inject({ method: 'POST', url: '/api/auth/logout', headers: { cookie: ipv6User.cookie, host: '[::1]:8080', origin: 'http://[::1]:8080' } });
    expect(ok.statusCode).toBe(200);
  });

  it('once the deployment is https (secure cookie), an http Origin of the same host is another scheme: 403', async () => {
    const saved = env.ctx.config.cookieSecure;
    env.ctx.config.cookieSecure = true;
    try {
      expectRefused(await write(`http://${HOST}`), `http://${HOST}`);
    } finally {
      env.ctx.config.cookieSecure = saved;
    }
  });

  it('the correct Origin and a request without Origin still write', async () => {
    const a = await newUserClient(env, 'origin_ok1', 'clerk', '320411');
    const b = await newUserClient(env, 'origin_ok2', 'clerk', '320411');
    const withOrigin = await env.app.inject({ method: 'POST', url: '/api/auth/logout', headers: { cookie: a.cookie, host: HOST, origin: `http://${HOST}` } });
    expect(withOrigin.statusCode).toBe(200);
    expect((await a.request('GET', '/api/auth/me')).statusCode).toBe(401); // the logout really happened
    const noOrigin = await env.app.inject({ method: 'POST', url: '/api/auth/logout', headers: { cookie: b.cookie, host: HOST } });
    expect(noOrigin.statusCode).toBe(200);
    const https = await newUserClient(env, 'origin_ok3', 'clerk', '320411');
    const viaTlsProxy = await env.app.inject({ method: 'POST', url: '/api/auth/logout', headers: { cookie: https.cookie, host: HOST, origin: `https://${HOST}` } });
    expect(viaTlsProxy.statusCode).toBe(200);
  });
});
