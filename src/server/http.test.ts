// Bad input and the error contract: every error is { error: { code, message } } with a Chinese
// message and never a stack trace; unknown routes are JSON 404s; the OpenAPI document is complete.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LightMyRequestResponse } from 'fastify';
import { sql } from 'kysely';
import { adminClient, createTestEnv, testEngine, type Client, type TestEnv } from './testing/harness.js';

/** Asserts the error shape: status, code, a Chinese message, nothing that reveals internals. */
function expectCleanError(res: LightMyRequestResponse, status: number | number[], code: string) {
  expect(Array.isArray(status) ? status : [status], res.body).toContain(res.statusCode);
  expect(res.headers['content-type']).toMatch(/application\/json/);
  const body = res.json() as { error: { code: string; message: string } };
  expect(Object.keys(body)).toEqual(['error']);
  expect(body.error.code).toBe(code);
  expect(body.error.message).toMatch(/[\u4e00-\u9fff]/);
  expect(res.body).not.toMatch(/"stack"|\bat .+\.(ts|js):\d+|node_modules|\/work\/|SqliteError|syntax error at|relation "/i);
}

describe(`HTTP errors and contracts (${testEngine()})`, () => {
  let env: TestEnv;
  let admin: Client & { password: string };
  let campaignId: number;
  let version: number;

  beforeAll(async () => {
    env = await createTestEnv();
    admin = (await adminClient(env.app)).alwaysReauth();
    const c = (await admin.request('GET', '/api/campaigns')).json().items[0] as { id: number };
    campaignId = c.id;
    version = (await admin.request('GET', `/api/campaigns/${campaignId}`)).json().version as number;
  });
  afterAll(async () => env?.close());

  const post = (url: string, payload: string, contentType = 'application/json', cookie?: string) =>
    env.app.inject({ method: 'POST', url, payload, headers: { 'content-type': contentType, ...(cookie ? { cookie } : {}) } });

  it('malformed JSON → 400 INVALID_INPUT with a Chinese message and no stack trace', async () => {
    const res = await post('/api/auth/login', '{"username": "admin", "password":');
    expectCleanError(res, 400, 'INVALID_INPUT');
    expect(res.json().error.message).toContain('JSON');
    expectCleanError(await post('/api/auth/reauth', '{not json', 'application/json', admin.cookie), 400, 'INVALID_INPUT');
  });

  it('an unknown field in a body is refused (strict objects) → 400', async () => {
    const res = await env.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'admin', password: 'x', role: 'city_admin' } });
    expectCleanError(res, 400, 'INVALID_INPUT');
    const put = await admin.request('PUT', `/api/campaigns/${campaignId}`, { status: 'closed', version });
    expectCleanError(put, 400, 'INVALID_INPUT');
    expect((await admin.request('GET', `/api/campaigns/${campaignId}`)).json()).toMatchObject({ status: 'active', version });
  });

  it('a body over 1 MB → 413 PAYLOAD_TOO_LARGE', async () => {
    const big = JSON.stringify({ username: 'admin', password: 'x'.repeat(1024 * 1024 + 10) });
    expectCleanError(await post('/api/auth/login', big), 413, 'PAYLOAD_TOO_LARGE');
  });

  it('out-of-range values (quota −1, maxScore 0, year 1800, limit 0) → 400 and nothing changes', async () => {
    const before = (await admin.request('GET', `/api/campaigns/${campaignId}`)).body;
    const quota = await admin.request('PUT', `/api/campaigns/${campaignId}`, { quotas: [{ orgUnitId: 1, quota: -1 }], version });
    expectCleanError(quota, 400, 'INVALID_INPUT');
    expect(quota.json().error.message).toContain('quotas');
    const maxScore = await admin.request('PUT', `/api/campaigns/${campaignId}`, {
      categories: [{ name: '组织领导', maxScore: 0, criteria: [{ text: '制订方案。', maxScore: 0 }] }],
      version,
    });
    expectCleanError(maxScore, 400, 'INVALID_INPUT');
    const year = await admin.request('POST', '/api/campaigns', { sourceId: campaignId, code: '1800', name: '远古', year: 1800 });
    expectCleanError(year, 400, 'INVALID_INPUT');
    expectCleanError(await admin.request('GET', '/api/audit?limit=0'), 400, 'INVALID_INPUT');
    expectCleanError(await admin.request('GET', '/api/users/abc'), 400, 'INVALID_INPUT');
    expect((await admin.request('GET', `/api/campaigns/${campaignId}`)).body).toBe(before);
    expect((await admin.request('GET', '/api/campaigns')).json().items).toHaveLength(1);
  });

  it('ids beyond a 32-bit integer and unreadable dates → 400 on both engines (never a database error)', async () => {
    const big = 9_999_999_999;
    const calls: Array<[string, string, unknown?]> = [
      ['GET', `/api/users/${big}`],
      ['GET', `/api/orgs/${big}`],
      ['GET', `/api/campaigns/${big}`],
      ['DELETE', `/api/auth/sessions/${big}`],
      ['GET', `/api/users?orgUnitId=${big}`],
      ['GET', `/api/audit?before=${big}`],
      ['POST', '/api/campaigns', { sourceId: big, code: 'x2017', name: '复制', year: 2017 }],
      ['POST', '/api/orgs', { parentId: big, code: '999999999', name: '新街道', level: 'street' }],
      ['GET', '/api/audit?from=garbage'],
      ['GET', '/api/audit?to=2021-13-45'],
    ];
    for (const [method, url, body] of calls) expectCleanError(await admin.request(method, url, body), 400, 'INVALID_INPUT');
    // the largest possible id is simply not found
    expectCleanError(await admin.request('GET', '/api/users/2147483647'), 404, 'NOT_FOUND');
  });

  it('a wrong content type → 400/415 INVALID_INPUT', async () => {
    const xml = await post('/api/auth/login', '<login><username>admin</username></login>', 'application/xml');
    expectCleanError(xml, 415, 'INVALID_INPUT');
    expectCleanError(await post('/api/auth/login', 'username=admin&password=x', 'application/x-www-form-urlencoded'), [400, 415], 'INVALID_INPUT');
    expectCleanError(await post('/api/auth/login', 'username=admin', 'text/plain'), [400, 415], 'INVALID_INPUT');
  });

  it('a cross-site write (Origin of another host) is refused with 403 even with a valid cookie; same-site passes', async () => {
    await admin.reauth(); // the write below is a high-value one (a campaign)
    const write = (origin: string) =>
      env.app.inject({
        method: 'PUT',
        url: `/api/campaigns/${campaignId}`,
        headers: { cookie: admin.cookie, host: 'canbao.example.gov.cn', origin },
        payload: { name: '跨站修改', version },
      });
    expectCleanError(await write('https://evil.example.com'), 403, 'FORBIDDEN');
    expect((await admin.request('GET', `/api/campaigns/${campaignId}`)).json()).toMatchObject({ version });
    const same = await write('https://canbao.example.gov.cn');
    expect(same.statusCode).toBe(200);
    version = same.json().version as number;
  });

  it('an unknown /api route → 404 NOT_FOUND as JSON, with or without a session', async () => {
    expectCleanError(await env.app.inject({ method: 'GET', url: '/api/no-such-thing' }), 404, 'NOT_FOUND');
    expectCleanError(await admin.request('GET', '/api/no-such-thing'), 404, 'NOT_FOUND');
    expectCleanError(await admin.request('DELETE', `/api/campaigns/${campaignId}`), 404, 'NOT_FOUND');
  });

  it('/api/health is public and reports the engine', async () => {
    const res = await env.app.inject({ method: 'GET', url: '/api/health' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ status: 'ok', database: testEngine() });
    expect(res.headers['x-content-type-options']).toBe('nosniff');
  });

  it('/api/openapi.json documents every non-hidden route', async () => {
    const res = await env.app.inject({ method: 'GET', url: '/api/openapi.json' });
    expect(res.statusCode).toBe(200);
    const paths = res.json().paths as Record<string, Record<string, unknown>>;
    const documented = env.routes.filter((r) => r.url.startsWith('/api/') && !r.url.startsWith('/api/docs') && r.url !== '/api/openapi.json');
    expect(documented.length).toBeGreaterThan(20);
    const missing = documented.filter((r) => !paths[r.url.replace(/:(\w+)/g, '{$1}')]?.[r.method.toLowerCase()]);
    expect(missing.map((r) => `${r.method} ${r.url}`)).toEqual([]);
    expect(paths['/api/openapi.json']).toBeUndefined();
  });

  // Last: breaks the database for a moment to provoke an unexpected error.
  it('an unexpected server error → 500 INTERNAL with a Chinese message and nothing internal', async () => {
    const db = env.ctx.db;
    await sql`ALTER TABLE award_quota RENAME TO award_quota_gone`.execute(db);
    try {
      const res = await admin.request('GET', `/api/campaigns/${campaignId}`);
      expectCleanError(res, 500, 'INTERNAL');
      expect(res.body).not.toContain('award_quota');
    } finally {
      await sql`ALTER TABLE award_quota_gone RENAME TO award_quota`.execute(db);
    }
    expect((await admin.request('GET', `/api/campaigns/${campaignId}`)).statusCode).toBe(200);
  });
});
