// The progress of a registration export (issue 14): the page sends a token with the download and
// asks for the rows written of the rows in all; only the user who started the export may ask.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createTestEnv, loginAs, makeUser, newUserClient, testEngine, type Client, type TestEnv } from '../testing/harness.js';
import { fakeIdNumber, makeRegistration } from '../testing/registration-factory.js';
import { exportProgressFor } from '../export/progress.js';
import { EXPORT_PAGE_ROWS, setExportFaultForTests } from './export.js';

const ROWS = 4500; // more than two pages of the export (2,000 rows each)

describe(`registration export progress (${testEngine()})`, () => {
  let env: TestEnv;
  let clerk: Client;
  let clerkId: number;
  let colleague: Client;
  beforeAll(async () => {
    env = await createTestEnv();
    const u = await makeUser(env.ctx, { username: 'xp_clerk', role: 'clerk', orgCode: '320411' });
    clerkId = Number(u.id);
    clerk = await loginAs(env.app, u.username, u.password);
    colleague = await newUserClient(env, 'xp_colleague', 'clerk', '320411');
    for (let i = 0; i < ROWS; i++) {
      const birth = `1970${String(1 + Math.floor(i / 1000 / 28)).padStart(2, '0')}${String(1 + (Math.floor(i / 1000) % 28)).padStart(2, '0')}`;
      await makeRegistration(env.ctx, { orgCode: '320411002001', idNumber: fakeIdNumber('320411', birth, i % 1000) });
    }
  });
  afterEach(() => setExportFaultForTests(null));
  afterAll(async () => env?.close());

  const progressOf = (c: Client, token: string) => c.request('GET', `/api/registrations/export-progress/${token}`);
  const rowsIn = async (query: string) => Number((await clerk.request('GET', `/api/registrations/count?${query}`)).json().total);

  it.each(['csv', 'xlsx'] as const)('%s: the progress ends done with every row written of the exact total; another user gets 404', async (format) => {
    const token = `tok-${format}-0123456789abcdef`;
    // Before each page is read: the progress as a poll would read it then.
    const seen: Array<{ page: number; rowsWritten: number; rowsTotal: number | null; done: boolean }> = [];
    setExportFaultForTests((page) => {
      const p = exportProgressFor(clerkId, token)!;
      seen.push({ page, rowsWritten: p.rowsWritten, rowsTotal: p.rowsTotal, done: p.done });
    });
    const res = await clerk.request('GET', `/api/registrations/export?format=${format}&progress=${token}`);
    expect(res.statusCode).toBe(200);
    const total = await rowsIn('');
    expect(total).toBeGreaterThanOrEqual(ROWS);
    const p = await progressOf(clerk, token);
    expect(p.statusCode).toBe(200);
    expect(p.json()).toMatchObject({ rowsWritten: total, rowsTotal: total, rowsTotalEstimated: false, done: true, failed: false, startedAt: expect.any(String), elapsedMs: expect.any(Number) });
    // Part-way: the exact total known from the start, the rows written growing page by page.
    expect(seen.length).toBe(Math.ceil(total / EXPORT_PAGE_ROWS) + 1); // the last page read is the empty one
    for (const s of seen) expect(s).toEqual({ page: s.page, rowsWritten: Math.min(total, s.page * EXPORT_PAGE_ROWS), rowsTotal: total, done: false });
    // Only the user who started it may read it.
    expect((await progressOf(colleague, token)).statusCode).toBe(404);
  });

  it('a filtered export counts the filtered rows; an unknown token is 404, a malformed one 400, and the token is not logged', async () => {
    const token = 'filtered-0123456789abcdef';
    const res = await clerk.request('GET', `/api/registrations/export?format=csv&valid=true&progress=${token}`);
    expect(res.statusCode).toBe(200);
    const lines = res.body.replace(/^\ufeff/, '').split('\r\n').filter(Boolean);
    expect((await progressOf(clerk, token)).json()).toMatchObject({ rowsWritten: lines.length - 1, rowsTotal: await rowsIn('valid=true'), done: true });
    expect((await progressOf(clerk, 'unknown-0123456789abcdef')).statusCode).toBe(404);
    expect((await progressOf(clerk, 'short')).statusCode).toBe(400);
    const audit = await env.ctx.db.selectFrom('audit_log').select('after_json').where('event', '=', 'registration.export').orderBy('id', 'desc').limit(1).executeTakeFirstOrThrow();
    expect(audit.after_json).not.toContain(token);
  });

  it('an export that fails part-way ends its progress as failed', async () => {
    const token = 'failing-0123456789abcdef';
    setExportFaultForTests((page) => {
      if (page === 1) throw new Error('disk on fire');
    });
    // The response is cut (export-failure.test.ts).
    await expect(clerk.request('GET', `/api/registrations/export?format=csv&progress=${token}`)).rejects.toThrow();
    expect((await progressOf(clerk, token)).json()).toMatchObject({ done: true, failed: true, rowsWritten: EXPORT_PAGE_ROWS });
  });

  it('the progress needs a login', async () => {
    const res = await env.app.inject({ method: 'GET', url: '/api/registrations/export-progress/anything-0123456789abcdef' });
    expect(res.statusCode).toBe(401);
  });
});
