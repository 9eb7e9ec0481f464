// Issue 13 item 7 (sweep): ID numbers are masked in logs too. A search by ID number puts the number
// in the URL, which the request log writes, and in the export's filter, which the audit log keeps.
import { PassThrough } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../app.js';
import { createTestEnv, loginAs, makeUser, testEngine, type Client, type TestEnv } from '../testing/harness.js';
import { fakeIdNumber, makeRegistration } from '../testing/registration-factory.js';

const ID = fakeIdNumber('320402', '19810101', 321);

describe(`searching by ID number leaves it masked in the request and audit logs (${testEngine()})`, () => {
  let env: TestEnv;
  let app: FastifyInstance;
  let clerk: Client;
  let log = '';

  beforeAll(async () => {
    env = await createTestEnv();
    const stream = new PassThrough();
    stream.on('data', (chunk: Buffer) => (log += chunk.toString('utf8')));
    ({ app } = await buildApp({ ctx: env.ctx, webRoot: null, logStream: stream }));
    const u = await makeUser(env.ctx, { username: 'log_clerk', role: 'clerk', orgCode: '320402' });
    clerk = await loginAs(app, u.username, u.password);
    await makeRegistration(env.ctx, { orgCode: '320402001001', idNumber: ID, name: '张三', columns: { birth_date: '1981-01-01' } });
  });
  afterAll(async () => {
    await app?.close();
    await env?.close();
  });

  it('the request log writes the searched number masked, however it was typed', async () => {
    const spaced = `${ID.slice(0, 6)} ${ID.slice(6, 14)} ${ID.slice(14)}`;
    const fullWidth = ID.replace(/\d/g, (d) => String.fromCharCode(d.charCodeAt(0) + 0xfee0));
    for (const q of [ID, spaced, fullWidth]) {
      const res = await clerk.request('GET', `/api/registrations?q=${encodeURIComponent(q)}`);
      expect(res.statusCode).toBe(200);
      expect(res.json().items).toHaveLength(1);
    }
    expect(log).toContain('/api/registrations?q=');
    expect(log).toContain(`320402********${ID.slice(14)}`);
    expect(log).not.toContain(ID.slice(6, 14));
  });

  it('the audit entry of an export keeps the filter with the number masked', async () => {
    const res = await clerk.request('GET', `/api/registrations/export?format=csv&q=${ID}`);
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain(ID); // a clerk exports in full …
    const entry = await env.ctx.db.selectFrom('audit_log').select('after_json').where('event', '=', 'registration.export').executeTakeFirstOrThrow();
    expect(entry.after_json).toContain(`320402********${ID.slice(14)}`); // … and the log says what was asked, masked
    expect(entry.after_json).not.toContain(ID.slice(6, 14));
    expect(log).not.toContain(ID.slice(6, 14));
  });
});
