// Export of the detail table (issue 3 item 7): filters, masking by role, formula neutralisation,
// every export logged, scope.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import ExcelJS from 'exceljs';
import { createTestEnv, loginAs, makeUser, orgId, testEngine, type Client, type TestEnv } from '../testing/harness.js';
import { fakeIdNumber } from '../testing/registration-factory.js';

describe(`detail table export (${testEngine()})`, () => {
  let env: TestEnv;
  let clerk: Client;
  let viewer: Client;
  const idNumber = fakeIdNumber('320411', '19790101', 21);
  beforeAll(async () => {
    env = await createTestEnv();
    const a = await makeUser(env.ctx, { username: 'ex_clerk', role: 'clerk', orgCode: '320411' });
    const b = await makeUser(env.ctx, { username: 'ex_viewer', role: 'viewer', orgCode: '320411' });
    clerk = await loginAs(env.app, a.username, a.password);
    viewer = await loginAs(env.app, b.username, b.password);
    const community = await orgId(env.ctx, '320411002001');
    const base = { hukouType: '21', residenceAddress: '地址1号', phone: '13912345678', personCategory: '24', surveyDate: '2016-05-03', ins110Status: '1', ins110Place: '常州' };
    await clerk.request('POST', '/api/registrations', { orgUnitId: community, record: { ...base, idNumber, name: '张三' } });
    await clerk.request('POST', '/api/registrations', { orgUnitId: community, record: { ...base, idNumber: fakeIdNumber('320411', '19790101', 22), name: '=HYPERLINK("http://x")', residenceAddress: '+1 路' } });
  });
  afterAll(async () => env?.close());

  const csv = async (c: Client, query = '') => {
    const res = await c.request('GET', `/api/registrations/export?format=csv${query}`);
    expect(res.statusCode).toBe(200);
    return res.body.replace(/^\ufeff/, '').split('\r\n').filter(Boolean);
  };

  it('CSV: a header row of the field labels, code labels, full values for a clerk, formulas neutralised', async () => {
    const lines = await csv(clerk);
    expect(lines[0]).toContain('公民身份号码');
    expect(lines).toHaveLength(3);
    const zhang = lines.find((l) => l.includes('张三'))!;
    expect(zhang).toContain(idNumber);
    expect(zhang).toContain('本地农业'); // hukouType 21 written as its label
    const evil = lines.find((l) => l.includes('HYPERLINK'))!;
    expect(evil).toContain(`"'=HYPERLINK(""http://x"")"`);
    expect(evil).toContain("'+1 路");
  });

  it('a viewer gets ID numbers and phones masked', async () => {
    const zhang = (await csv(viewer)).find((l) => l.includes('张三'))!;
    expect(zhang).not.toContain(idNumber);
    expect(zhang).toContain(`${idNumber.slice(0, 6)}********${idNumber.slice(-4)}`);
    expect(zhang).toContain('139****5678');
  });

  it('filters apply (valid=false gives the invalid record only) and .xlsx opens with the same rows', async () => {
    const invalid = await csv(clerk, '&valid=false');
    expect(invalid).toHaveLength(2);
    expect(invalid[1]).toContain('无效');
    const res = await clerk.request('GET', '/api/registrations/export?format=xlsx');
    expect(res.statusCode).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
    expect(wb.worksheets[0]!.rowCount).toBe(3);
  });

  it('every export is logged with its row count, and another district’s unit answers 404', async () => {
    const logged = await env.ctx.db.selectFrom('audit_log').select(['after_json']).where('event', '=', 'registration.export').execute();
    expect(logged.length).toBeGreaterThanOrEqual(4);
    expect(logged.map((l) => JSON.parse(l.after_json!).rows)).toContain(2);
    const other = await clerk.request('GET', `/api/registrations/export?format=csv&orgUnitId=${await orgId(env.ctx, '320402')}`);
    expect(other.statusCode).toBe(404);
  });
});
