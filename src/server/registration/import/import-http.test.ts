// The import over HTTP: multipart upload, the report, the rejected rows as .xlsx, scope.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import ExcelJS from 'exceljs';
import { createTestEnv, loginAs, makeUser, orgId, testEngine, type Client, type TestEnv } from '../../testing/harness.js';
import { fakeIdNumber } from '../../testing/registration-factory.js';
import { writeCsv } from '../../testing/import-files.js';
import { multipart } from '../../testing/multipart.js';

async function finished(client: Client, jobId: string) {
  for (let i = 0; i < 600; i++) {
    const res = await client.request('GET', `/api/registrations/import-jobs/${jobId}`);
    expect(res.statusCode).toBe(200);
    const job = res.json();
    if (job.status === 'done' || job.status === 'failed') return job;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error('import job did not end');
}

describe(`import over HTTP (${testEngine()})`, () => {
  let env: TestEnv;
  let clerk: Client;
  let cookie: string;
  let tnClerk: Client;
  beforeAll(async () => {
    env = await createTestEnv();
    const u = await makeUser(env.ctx, { username: 'up_clerk', role: 'clerk', orgCode: '320411' });
    clerk = await loginAs(env.app, u.username, u.password);
    cookie = clerk.cookie;
    const t = await makeUser(env.ctx, { username: 'up_tn', role: 'clerk', orgCode: '320402' });
    tnClerk = await loginAs(env.app, t.username, t.password);
  });
  afterAll(async () => env?.close());

  it('uploads a file, answers the report, and serves the rejected rows as .xlsx to its district only', async () => {
    const file = writeCsv([
      ['姓名', '公民身份号码', '户口性质', '常住地址', '手机号码', '人员类别', '采集日期', '企业养老', '企业养老参保地'],
      ['张三', fakeIdNumber('320411', '19800101', 7), '21', '地址1号', '13912345678', '24', '2016-05-03', '1', '常州'],
      ['李四', '=HYPERLINK("x")', '21', '地址2号', '13912345678', '24', '2016-05-03', '1', '常州'],
    ]);
    const body = multipart(file, '../../etc/passwd.csv', { orgUnitId: String(await orgId(env.ctx, '320411002001')), mode: 'valid' });
    const res = await env.app.inject({ method: 'POST', url: '/api/registrations/imports', headers: { cookie, ...body.headers }, payload: body.payload });
    expect(res.statusCode).toBe(202);
    expect(res.json()).toMatchObject({ status: expect.stringMatching(/queued|importing/), fileName: 'passwd.csv' }); // the path part of the sent name is dropped
    // the job is its starter's only
    expect((await tnClerk.request('GET', `/api/registrations/import-jobs/${res.json().jobId}`)).statusCode).toBe(404);
    const job = await finished(clerk, res.json().jobId);
    expect(job).toMatchObject({ status: 'done', rowsRead: 3, error: null });
    const report = job.report;
    expect(report).toMatchObject({ committed: true, imported: 1, rejected: 1, fileName: 'passwd.csv' });
    // nothing was written under the sent name, and the upload is gone
    expect(fs.existsSync('/etc/passwd.csv')).toBe(false);
    expect(fs.readdirSync(`${env.config.dataDir}/uploads`)).toEqual([]);

    const x = await clerk.request('GET', `/api/registrations/imports/${report.batchId}/rejects.xlsx`);
    expect(x.statusCode).toBe(200);
    expect(x.headers['content-type']).toContain('spreadsheetml');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(x.rawPayload as unknown as ArrayBuffer);
    // The clerk gets the user's own rows back (problem-rows.test.ts) and the list of problems.
    expect(wb.worksheets.map((w) => w.name)).toEqual(['问题行（修改后重新导入）', '问题清单']);
    const rows = wb.worksheets[1]!.getSheetValues().filter(Boolean) as unknown[][];
    expect(rows[0]!.slice(1)).toEqual(['行号', '列', '问题']);
    expect(rows[1]![1]).toBe(3);
    expect(rows[1]![2]).toBe('公民身份号码');

    // the recent imports list: the batch is listed in its district only
    const mine = (await clerk.request('GET', '/api/registrations/imports')).json().items;
    expect(mine[0]).toMatchObject({ batchId: report.batchId, status: 'done', fileName: 'passwd.csv', imported: 1, rejected: 1 });
    const theirs = (await tnClerk.request('GET', '/api/registrations/imports')).json().items;
    expect(theirs.some((b: { batchId: number }) => b.batchId === report.batchId)).toBe(false);
    expect((await tnClerk.request('GET', `/api/registrations/imports/${report.batchId}`)).statusCode).toBe(404);
    expect((await tnClerk.request('GET', `/api/registrations/imports/${report.batchId}/rejects.xlsx`)).statusCode).toBe(404);
  });

  it('refuses a request without a file and a unit of another district', async () => {
    const file = writeCsv([['姓名', '身份证号', '常住地址'], ['张三', fakeIdNumber('320411', '19800101', 8), '地址']]);
    const other = multipart(file, 'a.csv', { orgUnitId: String(await orgId(env.ctx, '320402001001')), mode: 'all' });
    const r1 = await env.app.inject({ method: 'POST', url: '/api/registrations/imports', headers: { cookie, ...other.headers }, payload: other.payload });
    expect(r1.statusCode).toBe(404);
    const r2 = await clerk.request('POST', '/api/registrations/imports', { orgUnitId: 1 });
    expect(r2.statusCode).toBe(400);
    expect(fs.readdirSync(`${env.config.dataDir}/uploads`)).toEqual([]);
  });

  it('a file refused while importing ends its job as failed with the reason, and nothing is written', async () => {
    const file = writeCsv([['姓名', '身份证号'], ['张三', fakeIdNumber('320411', '19800101', 9)]]);
    const body = multipart(file, 'no-address.csv', { orgUnitId: String(await orgId(env.ctx, '320411002001')), mode: 'all' });
    const res = await env.app.inject({ method: 'POST', url: '/api/registrations/imports', headers: { cookie, ...body.headers }, payload: body.payload });
    expect(res.statusCode).toBe(202);
    const job = await finished(clerk, res.json().jobId);
    expect(job).toMatchObject({ status: 'failed', report: null, error: { code: 'INVALID_INPUT', message: expect.stringContaining('表头') } });
    expect(fs.readdirSync(`${env.config.dataDir}/uploads`)).toEqual([]);
    const binary = writeCsv([['x']]);
    fs.writeFileSync(binary, Buffer.from([0, 1, 2, 0]));
    const bin = multipart(binary, 'x.csv', { orgUnitId: String(await orgId(env.ctx, '320411002001')), mode: 'all' });
    const r = await env.app.inject({ method: 'POST', url: '/api/registrations/imports', headers: { cookie, ...bin.headers }, payload: bin.payload });
    expect(r.statusCode).toBe(400);
  });
});
