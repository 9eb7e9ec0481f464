// Issue 13 item 2: a masked record never carries what the mask hides. The 8 digits the 6 + 4 mask
// hides are the birth date, so every masked response — list, detail (with history and the other
// records), the 409's current record, CSV and .xlsx exports, person detail tables, the import's
// rejected rows — shows the birth date as its year only and spells neither the full number, nor
// the hidden digits, nor the date in any format.
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestEnv, newUserClient, orgId, testEngine, type Client, type TestEnv } from '../testing/harness.js';
import { fakeIdNumber } from '../testing/registration-factory.js';
import { writeCsv } from '../testing/import-files.js';
import { multipart } from '../testing/multipart.js';
import { detailTablesIdle } from '../statistics/detail-tables.js';

const TN_COMMUNITY = '320402001001';
const XB_COMMUNITY = '320411002001';

// The people of the test, by their ID numbers (the birth dates are the hidden digits).
const ADULT = fakeIdNumber('320402', '19810101', 100);
const HEAD = fakeIdNumber('320402', '19550505', 101);
const CHILD = fakeIdNumber('320402', '20100203', 102);
const GUARDIAN = fakeIdNumber('320402', '19800607', 103);
const MISMATCH = fakeIdNumber('320402', '19720819', 104); // entered with another birth date: invalid
const EDITED = fakeIdNumber('320402', '19661130', 105); // birth date corrected later: in the history
const PEOPLE = [ADULT, HEAD, CHILD, GUARDIAN, MISMATCH, EDITED];
/** Dates entered that are not the ID's own (still birth dates of a masked person). */
const OTHER_BIRTH_DATES = ['1973-09-21', '1966-11-29'];

/** Every spelling of what a masked response must not carry about one person. */
function forbiddenForms(id: string): string[] {
  const y = id.slice(6, 10);
  const m = id.slice(10, 12);
  const d = id.slice(12, 14);
  return [id, id.toLowerCase(), id.slice(6, 14), `${y}-${m}-${d}`, `${y}/${m}/${d}`, `${y}.${m}.${d}`, `${y}年${m}月${d}日`, `${y}年${Number(m)}月${Number(d)}日`, `${y}/${Number(m)}/${Number(d)}`];
}
function dateForms(iso: string): string[] {
  const [y, m, d] = iso.split('-') as [string, string, string];
  return [iso, `${y}/${m}/${d}`, `${y}${m}${d}`, `${y}年${Number(m)}月${Number(d)}日`, `${y}年${m}月${d}日`];
}
/** What of the forbidden forms a text contains (empty: nothing leaks). */
function leaksIn(text: string): string[] {
  const forms = [...PEOPLE.flatMap(forbiddenForms), ...OTHER_BIRTH_DATES.flatMap(dateForms)];
  return forms.filter((f) => text.includes(f));
}

function base(overrides: Record<string, string | null>): Record<string, string | null> {
  return {
    name: '张三',
    hukouType: '21',
    residenceAddress: '天宁区青果巷1号',
    phone: '13912345678',
    personCategory: '24',
    surveyDate: '2016-05-03',
    ins110Status: '1',
    ins110Place: '常州市',
    ...overrides,
  };
}

async function xlsxText(payload: Buffer): Promise<string> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(payload as unknown as ArrayBuffer);
  const cells: string[] = [];
  for (const ws of wb.worksheets) ws.eachRow((row) => row.eachCell((c) => cells.push(String(c.value))));
  return cells.join('\n');
}

describe(`a masked record never carries what the mask hides (${testEngine()})`, () => {
  let env: TestEnv;
  let clerk: Client;
  let viewer: Client;
  let xbClerk: Client;
  const ids: Record<string, number> = {};

  beforeAll(async () => {
    env = await createTestEnv();
    clerk = await newUserClient(env, 'pv_clerk', 'clerk', '320402');
    viewer = await newUserClient(env, 'pv_viewer', 'viewer', '320402');
    xbClerk = await newUserClient(env, 'pv_xb_clerk', 'clerk', '320411');
    const tn = await orgId(env.ctx, TN_COMMUNITY);
    const create = async (c: Client, unit: number, record: Record<string, string | null>) => {
      const r = await c.request('POST', '/api/registrations', { orgUnitId: unit, record });
      expect(r.statusCode, r.body).toBe(200);
      return r.json() as { id: number; version: number; isValid: boolean };
    };
    ids.adult = (await create(clerk, tn, base({ idNumber: ADULT, householdHeadName: '张父', householdHeadIdNumber: HEAD, remarks: `户主身份证 ${HEAD}` }))).id;
    ids.child = (await create(clerk, tn, base({ idNumber: CHILD, name: '张小', phone: null, personCategory: '31', guardianName: '张母', guardianIdNumber: GUARDIAN, guardianPhone: '13812345678' }))).id;
    // Entered with a birth date that contradicts the number; the messages quote both dates.
    const mismatch = await create(clerk, tn, base({ idNumber: MISMATCH, name: '李四', birthDate: '1973-09-21' }));
    expect(mismatch.isValid).toBe(false);
    ids.mismatch = mismatch.id;
    // Entered with a wrong birth date, then corrected: the history holds both.
    const edited = await create(clerk, tn, base({ idNumber: EDITED, name: '王五', birthDate: '1966-11-29' }));
    const fix = await clerk.request('PUT', `/api/registrations/${edited.id}`, { record: { birthDate: '1966-11-30' }, version: edited.version });
    expect(fix.statusCode, fix.body).toBe(200);
    ids.edited = edited.id;
    // The same person entered in another district too: the detail lists the other record.
    await create(xbClerk, await orgId(env.ctx, XB_COMMUNITY), base({ idNumber: ADULT, residenceAddress: '新北区某路2号' }));
  });
  afterAll(async () => env?.close());

  it('the unmasked view does carry the data (so the checks below can fail)', async () => {
    const full = await clerk.request('GET', `/api/registrations/${ids.mismatch}`);
    expect(leaksIn(full.body).length).toBeGreaterThan(0);
  });

  it('the list (also for entry roles) shows the year of birth, not the date, and no hidden digits', async () => {
    for (const c of [viewer, clerk]) {
      const res = await c.request('GET', '/api/registrations?limit=100');
      expect(res.statusCode).toBe(200);
      expect(leaksIn(res.body)).toEqual([]);
      const items = res.json().items as Array<{ id: number; record: Record<string, string | null>; masked: boolean }>;
      const adult = items.find((i) => i.id === ids.adult)!;
      expect(adult.masked).toBe(true);
      expect(adult.record.birthDate).toBe('1981');
      expect(adult.record.idNumber).toBe(`320402********${ADULT.slice(14)}`);
      expect(items.find((i) => i.id === ids.child)!.record.birthDate).toBe('2010');
    }
    // searching by the full number finds the person, masked
    const found = await viewer.request('GET', `/api/registrations?q=${ADULT}`);
    expect(found.json().items).toHaveLength(1);
    expect(leaksIn(found.body)).toEqual([]);
  });

  it('the detail for a viewer: record, 户主 and guardian, validation messages, history and other records', async () => {
    for (const id of Object.values(ids)) {
      const res = await viewer.request('GET', `/api/registrations/${id}`);
      expect(res.statusCode).toBe(200);
      expect(res.json().masked).toBe(true);
      expect(leaksIn(res.body)).toEqual([]);
    }
    const mismatch = (await viewer.request('GET', `/api/registrations/${ids.mismatch}`)).json();
    expect(mismatch.record.birthDate).toBe('1973');
    expect(mismatch.errors.length).toBeGreaterThan(0);
    const edited = (await viewer.request('GET', `/api/registrations/${ids.edited}`)).json();
    expect(edited.history.find((h: { action: string }) => h.action === 'update').changes.birthDate).toEqual(['1966', '1966']);
    const adult = (await viewer.request('GET', `/api/registrations/${ids.adult}`)).json();
    expect(adult.record.householdHeadIdNumber).toBe(`320402********${HEAD.slice(14)}`);
    expect(adult.otherRecords).toHaveLength(1);
  });

  it('the current record sent back with a 409 is masked the same way', async () => {
    const stale = await clerk.request('PUT', `/api/registrations/${ids.edited}`, { record: { remarks: '过期' }, version: 0 });
    expect(stale.statusCode).toBe(409);
    expect(leaksIn(stale.body)).toEqual([]);
    expect(stale.json().error.details.current.record.birthDate).toBe('1966');
  });

  it('CSV and .xlsx exports and the person detail table for a viewer', async () => {
    const csv = await viewer.request('GET', '/api/registrations/export?format=csv');
    expect(csv.statusCode).toBe(200);
    expect(leaksIn(csv.body)).toEqual([]);
    expect(csv.body).toContain('1981');
    const xlsx = await viewer.request('GET', '/api/registrations/export?format=xlsx');
    expect(xlsx.statusCode).toBe(200);
    const text = await xlsxText(xlsx.rawPayload);
    expect(leaksIn(text)).toEqual([]);
    expect(text).toContain('1981');

    const gen = await viewer.request('POST', '/api/statistics/detail-tables', { orgUnitId: await orgId(env.ctx, '320402'), kind: 'all', perStreet: true });
    expect(gen.statusCode, gen.body).toBe(202);
    await detailTablesIdle();
    const file = await viewer.request('GET', `/api/statistics/detail-tables/${gen.json().id}/file`);
    expect(file.statusCode).toBe(200);
    const table = await xlsxText(file.rawPayload);
    expect(leaksIn(table)).toEqual([]);
    expect(table).toContain('1981');
    expect(table).toContain('320402********');
  });

  it('the rejected rows of an import, read by a viewer, quote no birth date nor ID digits', async () => {
    const bad = fakeIdNumber('320402', '19720819', 104).slice(0, 17) + '0'; // wrong check digit
    const file = writeCsv([
      ['姓名', '公民身份号码', '出生日期', '户口性质', '常住地址', '手机号码', '人员类别', '采集日期', '企业养老', '企业养老参保地'],
      ['李四', MISMATCH, '1973-09-21', '21', '地址1号', '13912345678', '24', '2016-05-03', '1', '常州'],
      ['李五', bad === MISMATCH ? `${bad.slice(0, 17)}1` : bad, '', '21', '地址2号', '13912345678', '24', '2016-05-03', '1', '常州'],
    ]);
    const body = multipart(file, 'p.csv', { orgUnitId: String(await orgId(env.ctx, TN_COMMUNITY)), mode: 'valid' });
    const up = await env.app.inject({ method: 'POST', url: '/api/registrations/imports', headers: { cookie: clerk.cookie, ...body.headers }, payload: body.payload });
    expect(up.statusCode, up.body).toBe(202);
    let batchId = 0;
    for (let i = 0; i < 600 && !batchId; i++) {
      const job = (await clerk.request('GET', `/api/registrations/import-jobs/${up.json().jobId}`)).json();
      if (job.status === 'done' || job.status === 'failed') batchId = job.report.batchId;
      else await new Promise((r) => setTimeout(r, 50));
    }
    const forClerk = await clerk.request('GET', `/api/registrations/imports/${batchId}`);
    expect(leaksIn(forClerk.body).length).toBeGreaterThan(0); // the importer sees their file's problems as they are
    const report = await viewer.request('GET', `/api/registrations/imports/${batchId}`);
    expect(report.statusCode).toBe(200);
    expect(report.json().rejected).toBeGreaterThan(0);
    expect(leaksIn(report.body)).toEqual([]);
    const x = await viewer.request('GET', `/api/registrations/imports/${batchId}/rejects.xlsx`);
    expect(leaksIn(await xlsxText(x.rawPayload))).toEqual([]);
  });
});
