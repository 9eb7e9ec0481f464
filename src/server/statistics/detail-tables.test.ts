// Person detail tables (issue 7 item 5): generated in the background, one sheet per street where
// asked, the uninsured with reasons and willingness, masked for a role that must not see full ID
// numbers, only for the user who asked, every generation and download logged.
import fs from 'node:fs';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestEnv, newUserClient, orgId, testEngine, type Client, type TestEnv } from '../testing/harness.js';
import { fakeIdNumber, makeRegistration } from '../testing/registration-factory.js';
import type { DetailTable } from '../../shared/api-statistics.js';
import { detailTableDir, detailTablesIdle } from './detail-tables.js';
import { expectStoredFileHeaders } from '../testing/stored-file.js';

describe(`person detail tables (${testEngine()})`, () => {
  let env: TestEnv;
  let xbAdmin: Client;
  let xbViewer: Client;
  let tnAdmin: Client;
  let xb: number;

  beforeAll(async () => {
    env = await createTestEnv();
    xbAdmin = await newUserClient(env, 'dt_xb', 'district_admin', '320411');
    xbViewer = await newUserClient(env, 'dt_viewer', 'viewer', '320411');
    tnAdmin = await newUserClient(env, 'dt_tn', 'district_admin', '320402');
    xb = await orgId(env.ctx, '320411');
    const communities = ['320411002001', '320411002001', '320411002001', '320411003001', '320411003001'];
    for (const [i, c] of communities.entries()) {
      const insured = i % 2 === 0;
      await makeRegistration(env.ctx, { orgCode: c, idNumber: fakeIdNumber('320411', '19700101', 400 + i), name: `明细${'甲乙丙丁戊'[i]}`, columns: { ins_110_status: insured ? '1' : '0', ins_390_status: insured ? '0' : '0', uninsured_reason: insured ? null : '07', willingness: insured ? null : '2' } });
    }
    await makeRegistration(env.ctx, { orgCode: '320402001001', idNumber: fakeIdNumber('320402', '19700101', 450), name: '天宁人', columns: { ins_110_status: '0' } });
  });
  afterAll(async () => env?.close());

  async function generate(client: Client, body: object): Promise<DetailTable> {
    const r = await client.request('POST', '/api/statistics/detail-tables', body);
    expect(r.statusCode, r.body).toBe(202);
    await detailTablesIdle();
    const t = (await client.request('GET', `/api/statistics/detail-tables/${r.json().id}`)).json() as DetailTable;
    expect(t.status, t.error ?? '').toBe('done');
    return t;
  }
  async function sheets(client: Client, id: number) {
    const res = await client.request('GET', `/api/statistics/detail-tables/${id}/file`);
    expect(res.statusCode).toBe(200);
    const name = decodeURIComponent(/filename\*=UTF-8''(.*)$/.exec(String(res.headers['content-disposition']))![1]!);
    expect(name).toMatch(/\.xlsx$/);
    expectStoredFileHeaders(res, { disposition: 'attachment', name, fallback: 'detail-table.xlsx', mime: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' });
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.rawPayload as unknown as ExcelJS.Buffer);
    return wb.worksheets.map((ws) => ({ name: ws.name, rows: (ws.getSheetValues() as unknown[][]).slice(2).filter(Boolean).map((r) => r.slice(1).map(String)) }));
  }

  it('the uninsured of 新北区, one sheet per street, with reasons and willingness, full ID numbers for the district admin', async () => {
    const t = await generate(xbAdmin, { orgUnitId: xb, kind: 'uninsured', perStreet: true });
    expect(t).toMatchObject({ rowsTotal: 2, rowsWritten: 2, masked: false, perStreet: true, startedAt: null, elapsedMs: null }); // the start and time only while it is written
    const s = await sheets(xbAdmin, t.id);
    const withRows = s.filter((x) => x.rows.length);
    expect(withRows.map((x) => [x.name, x.rows.length])).toEqual([
      ['三井街道', 1],
      [expect.any(String), 1],
    ]);
    const all = withRows.flatMap((x) => x.rows).flat();
    expect(all).toContain(fakeIdNumber('320411', '19700101', 401));
    expect(all).toContain('无参保意愿');
    expect(all.join()).not.toContain('天宁人');
  });

  it('the insured, one sheet, masked for a viewer; only the requester sees it; generation and download are logged', async () => {
    const t = await generate(xbViewer, { orgUnitId: xb, kind: 'insured', perStreet: false });
    expect(t).toMatchObject({ rowsTotal: 3, rowsWritten: 3, masked: true });
    const [s] = await sheets(xbViewer, t.id);
    const text = s!.rows.flat().join();
    expect(text).not.toContain(fakeIdNumber('320411', '19700101', 400));
    expect(text).toContain('320411********');
    expect((await xbAdmin.request('GET', `/api/statistics/detail-tables/${t.id}`)).statusCode).toBe(404);
    expect((await tnAdmin.request('GET', `/api/statistics/detail-tables/${t.id}/file`)).statusCode).toBe(404);
    expect((await tnAdmin.request('POST', '/api/statistics/detail-tables', { orgUnitId: xb, kind: 'all', perStreet: false })).statusCode).toBe(404);
    const events = (await env.ctx.db.selectFrom('audit_log').select('event').where('event', 'like', 'statistics.detail_table.%').where('success', '=', 1).execute()).map((e) => e.event);
    expect(events.filter((e) => e.endsWith('generate'))).toHaveLength(2);
    expect(events.filter((e) => e.endsWith('download'))).toHaveLength(2);
    const list = (await xbViewer.request('GET', '/api/statistics/detail-tables')).json().items as DetailTable[];
    expect(list.map((x) => x.id)).toEqual([t.id]);
  });

  it('a table whose worker fails ends failed with a Chinese message and leaves no partial file', async () => {
    // The next table's partial file cannot be created: a directory already stands at its path.
    const last = await env.ctx.db.selectFrom('detail_table').select((eb) => eb.fn.max('id').as('id')).executeTakeFirst();
    const next = Number(last?.id ?? 0) + 1;
    const partial = path.join(detailTableDir(env.ctx), `detail-${next}.xlsx.partial`);
    fs.mkdirSync(partial, { recursive: true });
    const r = await xbAdmin.request('POST', '/api/statistics/detail-tables', { orgUnitId: xb, kind: 'all', perStreet: false });
    expect(r.statusCode).toBe(202);
    expect(r.json().id).toBe(next);
    await detailTablesIdle();
    const t = (await xbAdmin.request('GET', `/api/statistics/detail-tables/${next}`)).json() as DetailTable;
    expect(t.status).toBe('failed');
    expect(t.error).toMatch(/^[^A-Za-z]*[\u4e00-\u9fa5][^A-Za-z]*$/); // Chinese, no raw English error
    expect(fs.existsSync(partial)).toBe(false);
  });
});
