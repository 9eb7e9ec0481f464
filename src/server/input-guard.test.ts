// No NUL character in any text input (issue 13 item 10): every route of the route table, with a NUL
// in a route parameter, in the query string and in the JSON body, answers 400 INVALID_INPUT with a
// Chinese message — never 500 (PostgreSQL refuses U+0000 in text) and never a silent success.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LightMyRequestResponse } from 'fastify';
import { createTestEnv, newUserClient, orgId, testEngine, type Client, type TestEnv } from './testing/harness.js';
import { nulPath } from './input-guard.js';
import { multipart } from './testing/multipart.js';

import fs from 'node:fs';

describe(`NUL in text input (${testEngine()})`, () => {
  let env: TestEnv;
  let clients: Client[];

  beforeAll(async () => {
    env = await createTestEnv();
    // Tried in turn until one passes the access check (each route has some role that may call it).
    clients = [
      await newUserClient(env, 'nul_city', 'city_admin', '320400-SSB'),
      await newUserClient(env, 'nul_assessor', 'city_assessor', '320400-SSB'),
      await newUserClient(env, 'nul_district', 'district_admin', '320411'),
      await newUserClient(env, 'nul_clerk', 'clerk', '320411002'),
      await newUserClient(env, 'nul_surveyor', 'surveyor', '320411002'),
    ];
    for (const c of clients) await c.reauth();
  });
  afterAll(async () => env?.close());

  const send = async (method: string, url: string, body: unknown): Promise<LightMyRequestResponse> => {
    let last: LightMyRequestResponse | undefined;
    for (const c of clients) {
      last = await env.app.inject({ method: method as 'GET', url, headers: { cookie: c.cookie, ...(body === undefined ? {} : { 'content-type': 'application/json' }) }, ...(body === undefined ? {} : { payload: JSON.stringify(body) }) });
      if (last.statusCode !== 401 && last.statusCode !== 403) return last;
    }
    return last!;
  };

  it('nulPath finds U+0000 in strings and keys at any depth, and nothing else', () => {
    expect(nulPath({ a: [{ b: 'x\u0000' }] }, 'body')).toBe('body.a[0].b');
    expect(nulPath({ ['k\u0000']: 1 }, 'query')).toBe('query.k\\0');
    expect(nulPath({ a: 'x', b: [1, null, true, 'y'] }, 'body')).toBeNull();
    expect(nulPath('ok\u0001', 'body')).toBeNull();
  });

  it('every route: NUL in a parameter, the query or the body → 400 INVALID_INPUT (Chinese message), never 500', async () => {
    const routes = env.routes.filter((r) => r.url.startsWith('/api/') && !r.url.startsWith('/api/docs') && r.url !== '/api/openapi.json');
    expect(routes.length).toBeGreaterThan(80);
    const wrong: string[] = [];
    let checked = 0;
    const refused: string[] = [];
    for (const r of routes) {
      const hasBody = !['GET', 'DELETE', 'OPTIONS'].includes(r.method);
      const plain = r.url.replace(/:(\w+)/g, '1');
      const tries: Array<[string, string, unknown]> = [['query', `${plain}?q=${encodeURIComponent('张\u0000三')}`, hasBody ? {} : undefined]];
      if (r.url.includes(':')) tries.push(['params', r.url.replace(/:(\w+)/g, encodeURIComponent('1\u0000')), hasBody ? {} : undefined]);
      if (hasBody) tries.push(['body', plain, { name: '张\u0000三', reason: 'x\u0000', items: [{ note: '\u0000' }] }]);
      for (const [place, url, body] of tries) {
        const res = await send(r.method, url, body);
        checked++;
        if (res.statusCode === 401 || res.statusCode === 403) {
          refused.push(`${r.method} ${r.url} (${place}) ${res.statusCode}`);
          continue; // refused before reading any input
        }
        const code = res.statusCode === 400 ? (res.json() as { error?: { code?: string; message?: string } }).error : undefined;
        if (res.statusCode !== 400 || code?.code !== 'INVALID_INPUT' || !/空字符/.test(code.message ?? '')) wrong.push(`${r.method} ${r.url} (${place}) → ${res.statusCode} ${res.body.slice(0, 120)}`);
      }
    }
    expect(checked).toBeGreaterThan(150);
    expect(wrong).toEqual([]);
    expect(refused).toEqual([]); // every route was reached by some role
  });

  it('the registration list filtered by a name with NUL answers 400, the same filter without it 200', async () => {
    const [city] = clients;
    const bad = await city!.request('GET', `/api/registrations?q=${encodeURIComponent('张\u0000')}`);
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error).toMatchObject({ code: 'INVALID_INPUT', details: { field: 'q' } });
    expect((await city!.request('GET', `/api/registrations?q=${encodeURIComponent('张')}`)).statusCode).toBe(200);
  });

  it('a multipart upload whose file name or field holds NUL → 400, nothing kept', async () => {
    const district = clients[2]!;
    const c = await env.ctx.db.selectFrom('campaign').select('id').where('code', '=', '2016').executeTakeFirstOrThrow();
    const url = `/api/campaigns/${Number(c.id)}/analysis-reports/${await orgId(env.ctx, '320411')}/file`;
    const pdf = Buffer.concat([Buffer.from('%PDF-1.4\n'), Buffer.alloc(60)]);
    const upload = (name: string, fields: Record<string, string>) => {
      const body = multipart(pdf, name, fields);
      return env.app.inject({ method: 'POST', url, headers: { cookie: district.cookie, ...body.headers }, payload: body.payload });
    };
    for (const res of [await upload('报告\u0000.pdf', {}), await upload('报告.pdf', { note: 'x\u0000' })]) {
      expect(res.statusCode, res.body).toBe(400);
      expect(res.json().error.message).toContain('空字符');
    }
    expect(fs.readdirSync(`${env.config.dataDir}/uploads`)).toEqual([]);
    const fine = await upload('报告.pdf', {});
    expect(fine.statusCode, fine.body).toBe(200);
  });
});
