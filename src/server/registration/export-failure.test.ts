// A detail-table export that fails part-way (issue 13 item 10) must not look complete: the CSV ends
// with a visible error line and the HTTP response is cut (no terminating chunk), the .xlsx download
// is cut too; the failure is logged and recorded in the audit log as a failed export. The failure is
// forced (setExportFaultForTests) when the second page of 2,000 rows is about to be read.
import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestEnv, newUserClient, orgId, testEngine, type Client, type TestEnv } from '../testing/harness.js';
import { fakeIdNumber } from '../testing/registration-factory.js';
import type { NewRegistration } from '../db/schema.js';
import { CSV_FAILURE_LINE, setExportFaultForTests } from './export.js';

type Outcome = { status: number; body: string; bytes: number; complete: boolean; aborted: boolean };

/** GET over a real socket: whether the chunked body ended properly or was cut. */
function fetchRaw(port: number, url: string, cookie: string): Promise<Outcome> {
  return new Promise((resolve, reject) => {
    const req = http.get({ host: '127.0.0.1', port, path: url, headers: { cookie } }, (res) => {
      const chunks: Buffer[] = [];
      let aborted = false;
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('aborted', () => (aborted = true));
      res.on('error', () => (aborted = true));
      res.on('close', () => {
        const body = Buffer.concat(chunks);
        resolve({ status: res.statusCode ?? 0, body: body.toString('utf8'), bytes: body.length, complete: res.complete, aborted });
      });
    });
    req.on('error', reject);
  });
}

describe(`failed export (${testEngine()})`, () => {
  let env: TestEnv;
  let clerk: Client;
  let port: number;
  let community: number;

  beforeAll(async () => {
    env = await createTestEnv();
    clerk = await newUserClient(env, 'fail_clerk', 'clerk', '320404');
    community = await orgId(env.ctx, '320404001001');
    const district = await orgId(env.ctx, '320404');
    const unit = await env.ctx.db.selectFrom('org_unit').select('path').where('id', '=', community).executeTakeFirstOrThrow();
    const at = '2016-05-01T02:00:00.000Z';
    const rows: NewRegistration[] = [];
    for (let i = 0; i < 2100; i++) {
      rows.push({
        org_unit_id: community, org_path: unit.path, district_id: district, id_type: '01',
        id_number: fakeIdNumber('320404', `1970${String(1 + (i % 12)).padStart(2, '0')}${String(1 + Math.floor(i / 12) % 28).padStart(2, '0')}`, i % 1000),
        name: `导出${i}`, is_valid: 0, is_counted: 0, counted_by_city: 0,
        errors_json: JSON.stringify([{ field: 'phone', code: 'REQUIRED', message: '联系电话：必填' }]),
        entered_by: 1, entered_at: at, entry_source: 'form', updated_at: at, deleted_at: null, version: 0,
      });
    }
    for (let i = 0; i < rows.length; i += 300) await env.ctx.db.insertInto('registration').values(rows.slice(i, i + 300)).execute();
    await env.app.listen({ port: 0, host: '127.0.0.1' });
    const addr = env.app.server.address();
    port = typeof addr === 'object' && addr ? addr.port : 0;
    setExportFaultForTests((page) => {
      if (page === 1) throw new Error('forced failure: the database connection was lost');
    });
  });
  afterAll(async () => {
    setExportFaultForTests(null);
    await env?.close();
  });

  const failedExports = async () =>
    env.ctx.db.selectFrom('audit_log').select(['success', 'after_json']).where('event', '=', 'registration.export').where('success', '=', 0).execute();

  it('CSV: the rows sent so far, then the error line, and the response is cut — never a clean end', async () => {
    const r = await fetchRaw(port, `/api/registrations/export?format=csv&orgUnitId=${community}`, clerk.cookie);
    expect(r.status).toBe(200);
    expect(r.complete).toBe(false);
    const lines = r.body.replace(/^\ufeff/, '').split('\r\n').filter(Boolean);
    expect(lines.length).toBeGreaterThan(2000); // the header and the first page
    expect(lines[lines.length - 1]).toBe(CSV_FAILURE_LINE);
  });

  it('.xlsx: the response is cut as well', async () => {
    const r = await fetchRaw(port, `/api/registrations/export?format=xlsx&orgUnitId=${community}`, clerk.cookie);
    expect(r.status).toBe(200);
    expect(r.complete).toBe(false);
  });

  it('each failure is recorded in the audit log as a failed export, with the rows written', async () => {
    const failed = await failedExports();
    expect(failed.map((f) => (JSON.parse(f.after_json ?? '{}') as { format: string }).format).sort()).toEqual(['csv', 'xlsx']);
    for (const f of failed) expect((JSON.parse(f.after_json ?? '{}') as { rowsWritten: number }).rowsWritten).toBe(2000);
  });

  it('the same export without the fault ends cleanly, with every row and no error line', async () => {
    setExportFaultForTests(null);
    const r = await fetchRaw(port, `/api/registrations/export?format=csv&orgUnitId=${community}`, clerk.cookie);
    expect(r.status).toBe(200);
    expect(r.complete).toBe(true);
    expect(r.body.replace(/^\ufeff/, '').split('\r\n').filter(Boolean)).toHaveLength(2101);
    expect(r.body).not.toContain(CSV_FAILURE_LINE);
  });
});
