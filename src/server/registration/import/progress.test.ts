// The progress of an import (issue 14: rows done of total, percentage, time left): the reader
// reports after each batch how far into the file its rows reach, so the job can estimate the rows
// in all while it reads; the end of a pass gives the exact count, which mode 'all' shows during
// its writing pass; a job answered from its batch has its count as the total.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createTestEnv, makeUser, newUserClient, orgId, testEngine, type Client, type TestEnv } from '../../testing/harness.js';
import { fakeIdNumber } from '../../testing/registration-factory.js';
import { writeCsv, writeXlsx } from '../../testing/import-files.js';
import { multipart } from '../../testing/multipart.js';
import type { AuthInfo } from '../../auth/access.js';
import { scopeFor } from '../../auth/access.js';
import { getOrgUnitByCode } from '../../orgs/store.js';
import { importFile } from './service.js';
import { forgetImportJobsForTests, holdImportEndsForTests, rowsTotalOf } from './jobs.js';

const HEADER = ['姓名', '公民身份号码', '户口性质', '常住地址', '手机号码', '人员类别', '采集日期', '企业养老', '企业养老参保地'];

const DIGITS = '零一二三四五六七八九';

/** `n` valid rows of distinct people (1,000 per birth day), after the header. */
function rowsOf(n: number, birthYear: string): string[][] {
  const out = [HEADER];
  for (let i = 0; i < n; i++) {
    const birth = `${birthYear}01${String(1 + Math.floor(i / 1000)).padStart(2, '0')}`;
    out.push([`进${[...String(i)].map((d) => DIGITS[Number(d)]).join('')}`, fakeIdNumber('320411', birth, i % 1000), '21', `地址${i}号`, '13912345678', '24', '2016-05-03', '1', '常州']);
  }
  return out;
}

type Report = { rows: number; phase: 'checking' | 'importing'; fraction: number | null; final: boolean };

describe(`import progress (${testEngine()})`, () => {
  let env: TestEnv;
  let clerk: AuthInfo;
  let client: Client;
  let community: number;
  beforeAll(async () => {
    env = await createTestEnv();
    const u = await makeUser(env.ctx, { username: 'prog_clerk', role: 'clerk', orgCode: '320411' });
    const user = await env.ctx.db.selectFrom('app_user').selectAll().where('id', '=', u.id).executeTakeFirstOrThrow();
    const unit = (await getOrgUnitByCode(env.ctx.db, '320411'))!;
    clerk = { user, orgUnit: unit, session: {} as never, role: 'clerk', scope: scopeFor('clerk', unit.path), actor: { userId: u.id, username: u.username, orgUnitId: Number(unit.id), ip: null } } as AuthInfo;
    client = await newUserClient(env, 'prog_http', 'clerk', '320411');
    community = await orgId(env.ctx, '320411002001');
  });
  afterEach(() => holdImportEndsForTests(null));
  afterAll(async () => env?.close());

  async function reportsOf(file: string, mode: 'all' | 'valid'): Promise<Report[]> {
    const reports: Report[] = [];
    const r = await importFile(env.ctx, clerk, { path: file, fileName: 'p', orgUnitId: community, mode, onProgress: (rows, phase, read) => reports.push({ rows, phase, ...read }) });
    expect(r.rejects.slice(0, 3)).toEqual([]);
    expect(r.committed).toBe(true);
    return reports;
  }

  /** Reports of one pass: rows and fractions rising, the last one final with the file's row count. */
  function checkPass(pass: Report[], fileRows: number) {
    expect(pass.length).toBeGreaterThanOrEqual(3); // several batches before the end
    const last = pass[pass.length - 1]!;
    expect(last).toMatchObject({ rows: fileRows, fraction: 1, final: true });
    const before = pass.slice(0, -1);
    expect(before.every((p) => !p.final && p.fraction !== null && p.fraction > 0 && p.fraction <= 1)).toBe(true);
    for (let i = 1; i < before.length; i++) {
      expect(before[i]!.rows).toBeGreaterThan(before[i - 1]!.rows);
      expect(before[i]!.fraction!).toBeGreaterThanOrEqual(before[i - 1]!.fraction!);
    }
    // The first estimate of the rows in all is already close to the real count.
    const first = rowsTotalOf(before[0]!.rows, null, before[0]!.fraction);
    expect(first.rowsTotalEstimated).toBe(true);
    expect(Math.abs(first.rowsTotal! - fileRows) / fileRows).toBeLessThan(0.05);
  }

  it('a CSV reports its rows after each batch with the share of the file read, ending with the exact count', async () => {
    const rows = rowsOf(5000, '1961');
    const reports = await reportsOf(writeCsv(rows), 'valid');
    expect(reports.every((p) => p.phase === 'importing')).toBe(true);
    checkPass(reports, rows.length);
  });

  it("an .xlsx reports the share of its worksheet read; mode 'all' reports both passes, each ending with the same count", async () => {
    const rows = rowsOf(4000, '1962');
    const reports = await reportsOf(await writeXlsx(rows), 'all');
    const checking = reports.filter((p) => p.phase === 'checking');
    const importing = reports.filter((p) => p.phase === 'importing');
    expect(reports).toEqual([...checking, ...importing]); // the check first, then the import
    checkPass(checking, rows.length);
    checkPass(importing, rows.length);
  });

  it('the total is exact once known, else extrapolated from the share read and never below the rows read', () => {
    expect(rowsTotalOf(500, 2001, 0.1)).toEqual({ rowsTotal: 2001, rowsTotalEstimated: false });
    expect(rowsTotalOf(500, null, 0.25)).toEqual({ rowsTotal: 2000, rowsTotalEstimated: true });
    expect(rowsTotalOf(500, null, 1)).toEqual({ rowsTotal: 500, rowsTotalEstimated: true });
    expect(rowsTotalOf(500, null, null)).toEqual({ rowsTotal: null, rowsTotalEstimated: false });
    expect(rowsTotalOf(0, null, 0.5)).toEqual({ rowsTotal: null, rowsTotalEstimated: false });
  });

  it("the job of a mode 'all' import shows the check pass's exact count as its total while it writes, and its batch's count later", async () => {
    let release!: () => void;
    holdImportEndsForTests(new Promise<void>((r) => (release = r)));
    const rows = rowsOf(3000, '1963');
    const body = multipart(writeCsv(rows), 'progress.csv', { orgUnitId: String(community), mode: 'all' });
    const res = await env.app.inject({ method: 'POST', url: '/api/registrations/imports', headers: { cookie: client.cookie, ...body.headers }, payload: body.payload });
    expect(res.statusCode).toBe(202);
    expect(res.json()).toMatchObject({ rowsRead: 0, rowsTotal: null, rowsTotalEstimated: false });
    const jobId = res.json().jobId as string;
    const get = async () => (await client.request('GET', `/api/registrations/import-jobs/${jobId}`)).json();
    // Held at its end: every row read in the writing pass.
    let job = await get();
    for (let i = 0; i < 600 && !(job.status === 'importing' && job.rowsRead === rows.length); i++) {
      await new Promise((r) => setTimeout(r, 50));
      job = await get();
    }
    expect(job).toMatchObject({ status: 'importing', rowsRead: rows.length, rowsTotal: rows.length, rowsTotalEstimated: false, elapsedMs: expect.any(Number) });
    expect(job.elapsedMs).toBeGreaterThanOrEqual(0);
    // Another user is not told anything about it.
    const other = await newUserClient(env, 'prog_other', 'clerk', '320411');
    expect((await other.request('GET', `/api/registrations/import-jobs/${jobId}`)).statusCode).toBe(404);
    release();
    for (let i = 0; i < 600 && job.status !== 'done'; i++) {
      await new Promise((r) => setTimeout(r, 50));
      job = await get();
    }
    expect(job).toMatchObject({ status: 'done', rowsTotal: rows.length, rowsTotalEstimated: false, elapsedMs: null, report: { imported: rows.length - 1 } });
    // After a restart the job is answered from its batch: the data rows as read and as total.
    forgetImportJobsForTests();
    expect(await get()).toMatchObject({ status: 'done', rowsRead: rows.length - 1, rowsTotal: rows.length - 1, rowsTotalEstimated: false, elapsedMs: null });
  });
});
