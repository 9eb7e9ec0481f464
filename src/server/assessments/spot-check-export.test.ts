// Issue 14: the spot-check results as .xlsx — the workbook holds exactly what the screen's API shows
// the same user (full ID numbers for the full-view roles, masked for a viewer), each export is
// logged, and the route answers like the screen for another district (404, as missing) and refuses
// the roles that take no part in assessments (403).
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestEnv, newUserClient, orgId, testEngine, type Client, type TestEnv } from '../testing/harness.js';
import { fakeIdNumber, makeRegistration } from '../testing/registration-factory.js';
import { shanghaiTimeText } from '../../domain/shanghai-day.js';
import type { Assessment, SpotCheck } from '../../shared/api-assessment.js';

type Cell = string | number | null;

/** Every sheet of the download, read cell by cell (an empty cell is null). */
async function readBook(res: { statusCode: number; rawPayload: Buffer; headers: Record<string, unknown>; body: string }) {
  expect(res.statusCode, res.body.slice(0, 300)).toBe(200);
  expect(String(res.headers['content-type'])).toContain('spreadsheetml');
  expect(String(res.headers['content-disposition'])).toContain('attachment');
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
  return wb.worksheets.map((ws) => {
    const rows: Cell[][] = [];
    for (let r = 1; r <= ws.rowCount; r++) {
      const row: Cell[] = [];
      for (let c = 1; c <= ws.columnCount; c++) row.push((ws.getRow(r).getCell(c).value as Cell | undefined) ?? null);
      rows.push(row);
    }
    return { name: ws.name, rows };
  });
}

const RESULT_TEXT = { unchecked: '未核', correct: '正确', wrong: '错误' } as const;

/** The rows the screen's API gives, as the workbook should hold them. */
function expectedRows(items: SpotCheck[]): Cell[][] {
  return items.flatMap((c, i) =>
    c.records.map((r) => [`第 ${i + 1} 次`, r.seq, r.name, r.idNumber, r.orgUnitName, RESULT_TEXT[r.result], r.result === 'wrong' ? r.field : null, r.result === 'wrong' ? r.problem : null, r.checkedAt ? shanghaiTimeText(r.checkedAt) : null]),
  );
}

describe(`spot-check results export (${testEngine()})`, () => {
  let env: TestEnv;
  let assessor: Client;
  let zlAdmin: Client;
  let zlViewer: Client;
  let xbAdmin: Client;
  let zlClerk: Client;
  let zlSurveyor: Client;
  let base: string;
  const people = new Set<string>();

  beforeAll(async () => {
    env = await createTestEnv();
    assessor = await newUserClient(env, 'sx_assessor', 'city_assessor', '320400-SSB');
    zlAdmin = await newUserClient(env, 'sx_zl', 'district_admin', '320404');
    zlViewer = await newUserClient(env, 'sx_zl_viewer', 'viewer', '320404');
    xbAdmin = await newUserClient(env, 'sx_xb', 'district_admin', '320411');
    zlClerk = await newUserClient(env, 'sx_zl_clerk', 'clerk', '320404');
    zlSurveyor = await newUserClient(env, 'sx_zl_surveyor', 'surveyor', '320404');
    const c = await env.ctx.db.selectFrom('campaign').select('id').where('code', '=', '2016').executeTakeFirstOrThrow();
    const campaignId = Number(c.id);
    await env.ctx.db.updateTable('campaign').set({ self_assessment_deadline: '2099-06-10' }).where('id', '=', campaignId).execute();
    for (let i = 0; i < 6; i++) {
      const id = fakeIdNumber('320404', `1980020${i + 1}`, 700 + i);
      people.add(id);
      await makeRegistration(env.ctx, { orgCode: i % 2 ? '320404001001' : '320404001002', idNumber: id, name: `导出${i}`, enteredAt: '2016-05-01T02:00:00.000Z', columns: { birth_date: `1980-02-0${i + 1}` } });
    }
    base = `/api/campaigns/${campaignId}/assessments/${await orgId(env.ctx, '320404')}`;
    let a = (await zlAdmin.request('GET', base)).json() as Assessment;
    const items = a.categories.flatMap((k) => k.items).map((i) => ({ criterionId: i.criterionId, selfScore: i.maxScore, selfNote: '已落实' }));
    a = (await zlAdmin.request('PUT', `${base}/self`, { items, version: a.version })).json();
    expect((await zlAdmin.request('POST', `${base}/submit`, { version: a.version })).statusCode).toBe(200);
    // Two draws; in the first one record correct and one wrong (with a note quoting the ID number).
    expect((await assessor.request('POST', `${base}/spot-checks`, { method: 'size', size: 3, seed: 'export-1' })).statusCode).toBe(200);
    const drawn = await assessor.request('POST', `${base}/spot-checks`, { method: 'size', size: 2, seed: 'export-2' });
    expect(drawn.statusCode, drawn.body).toBe(200);
    const [first] = (drawn.json() as { items: SpotCheck[] }).items;
    const [r1, r2] = first!.records;
    expect((await assessor.request('PUT', `/api/spot-check-records/${r1!.id}`, { result: 'correct', version: r1!.version })).statusCode).toBe(200);
    const full = await env.ctx.db.selectFrom('registration').select('id_number').where('id', '=', r2!.registrationId).executeTakeFirstOrThrow();
    const mark = await assessor.request('PUT', `/api/spot-check-records/${r2!.id}`, { result: 'wrong', field: '联系电话', problem: `=纸质表电话不同，证件 ${full.id_number}`, version: r2!.version });
    expect(mark.statusCode, mark.body).toBe(200);
  });
  afterAll(async () => env?.close());

  const exportsLogged = () => env.ctx.db.selectFrom('audit_log').select(['username', 'object_type', 'after_json']).where('event', '=', 'assessment.spotcheck.export').orderBy('id').execute();

  it('the city assessor’s workbook equals the API’s rows cell by cell, ID numbers in full, and the export is logged with its records', async () => {
    const api = (await assessor.request('GET', `${base}/spot-checks`)).json() as { items: SpotCheck[] };
    const book = await readBook(await assessor.request('GET', `${base}/spot-checks.xlsx`));
    expect(book.map((s) => s.name)).toEqual(['抽查结果', '抽取记录']);
    const [results, draws] = book;
    expect(results!.rows[0]).toEqual(['抽查', '序号', '姓名', '身份证号', '社区', '核对结果', '错误项目', '错误情况', '核对时间']);
    const expected = expectedRows(api.items).map((r) => r.map((v) => (typeof v === 'string' && v.startsWith('=') ? `'${v}` : v)));
    expect(results!.rows.slice(1)).toEqual(expected);
    expect(results!.rows.slice(1)).toHaveLength(5);
    // Full ID numbers (the assessor compares them with the paper forms); the note's formula neutralised.
    for (const r of results!.rows.slice(1)) expect(people.has(String(r[3]))).toBe(true);
    expect(results!.rows.find((r) => r[5] === '错误')![7]).toMatch(/^'=纸质表电话不同/);
    expect(draws!.rows.slice(1)).toEqual(api.items.map((c, i) => [`第 ${i + 1} 次`, c.seed, '按条数', c.population, c.records.length, c.checked, c.errors, c.drawnBy, shanghaiTimeText(c.drawnAt), c.populationSha256]));
    const logged = (await exportsLogged()).filter((e) => e.username === 'sx_assessor');
    expect(logged).toHaveLength(1);
    expect(logged[0]!.object_type).toBe('assessment');
    const after = JSON.parse(logged[0]!.after_json!) as { records: number; masked: boolean; registrationIds: number[] };
    expect(after).toEqual({ records: 5, masked: false, registrationIds: api.items.flatMap((c) => c.records.map((r) => r.registrationId)) });
  });

  it('a viewer’s workbook is masked like the viewer’s screen (ID numbers, the note), and logged without record ids', async () => {
    const res = await zlViewer.request('GET', `${base}/spot-checks.xlsx`);
    const api = (await zlViewer.request('GET', `${base}/spot-checks`)).json() as { items: SpotCheck[] };
    const [results] = await readBook(res);
    expect(results!.rows.slice(1)).toEqual(expectedRows(api.items).map((r) => r.map((v) => (typeof v === 'string' && v.startsWith('=') ? `'${v}` : v))));
    for (const r of results!.rows.slice(1)) {
      expect(String(r[3])).toMatch(/^\d{6}\*{8}[\dX]{4}$/);
      expect(people.has(String(r[3]))).toBe(false);
    }
    // Nothing in the file spells a full ID number or the birth date the mask hides.
    const text = JSON.stringify(results!.rows);
    for (const id of people) {
      expect(text).not.toContain(id);
      expect(text).not.toContain(id.slice(6, 14));
    }
    const logged = (await exportsLogged()).filter((e) => e.username === 'sx_zl_viewer');
    expect(logged.map((e) => JSON.parse(e.after_json!))).toEqual([{ records: 5, masked: true }]);
  });

  it('the district’s admin gets the district’s own results (full, a full-view role)', async () => {
    const [results] = await readBook(await zlAdmin.request('GET', `${base}/spot-checks.xlsx`));
    expect(results!.rows.slice(1)).toHaveLength(5);
    for (const r of results!.rows.slice(1)) expect(people.has(String(r[3]))).toBe(true);
  });

  it('another district’s admin gets 404 (as for the screen), a clerk and a surveyor 403; none is logged', async () => {
    const before = (await exportsLogged()).length;
    const other = await xbAdmin.request('GET', `${base}/spot-checks.xlsx`);
    expect([other.statusCode, (await xbAdmin.request('GET', `${base}/spot-checks`)).statusCode]).toEqual([404, 404]);
    expect(other.body).not.toContain('导出');
    for (const c of [zlClerk, zlSurveyor]) {
      const res = await c.request('GET', `${base}/spot-checks.xlsx`);
      expect([res.statusCode, (res.json() as { error: { code: string } }).error.code]).toEqual([403, 'FORBIDDEN']);
    }
    expect((await exportsLogged()).length).toBe(before);
  });
});
