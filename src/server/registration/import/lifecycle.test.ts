// Every import is accounted for (issue 12, defect 6): the batch row exists from the moment the job
// is created; refusals and failures end it 'failed' with what the user was told (and in the audit
// log); a server that stopped while it ran marks it 'interrupted' at start-up; a job no longer in
// memory (after a restart) is answered from its batch, never 404; the updated count is the job's.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import { createTestEnv, newUserClient, orgId, testEngine, type Client, type TestEnv } from '../../testing/harness.js';
import { fakeIdNumber } from '../../testing/registration-factory.js';
import { writeCsv } from '../../testing/import-files.js';
import { multipart } from '../../testing/multipart.js';
import { createImportBatch, markInterruptedImports } from './service.js';
import { forgetImportJobsForTests } from './jobs.js';
import type { AuthInfo } from '../../auth/access.js';

const HEADER = ['姓名', '公民身份号码', '户口性质', '常住地址', '手机号码', '人员类别', '采集日期', '企业养老', '企业养老参保地'];
const row = (name: string, id: string, address = '地址1号') => [name, id, '21', address, '13912345678', '24', '2016-05-03', '1', '常州'];

describe(`import lifecycle (${testEngine()})`, () => {
  let env: TestEnv;
  let clerk: Client;
  let other: Client;
  let community: number;
  beforeAll(async () => {
    env = await createTestEnv();
    clerk = await newUserClient(env, 'life_clerk', 'clerk', '320411');
    other = await newUserClient(env, 'life_other', 'clerk', '320411');
    community = await orgId(env.ctx, '320411002001');
  });
  afterAll(async () => env?.close());

  async function upload(client: Client, file: string, name: string, mode: 'all' | 'valid' = 'valid') {
    const body = multipart(file, name, { orgUnitId: String(community), mode });
    return env.app.inject({ method: 'POST', url: '/api/registrations/imports', headers: { cookie: client.cookie, ...body.headers }, payload: body.payload });
  }
  async function ended(client: Client, jobId: string) {
    for (let i = 0; i < 600; i++) {
      const job = (await client.request('GET', `/api/registrations/import-jobs/${jobId}`)).json();
      if (!['queued', 'checking', 'importing'].includes(job.status)) return job;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error('job did not end');
  }
  const batch = (id: number) => env.ctx.db.selectFrom('import_batch').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
  const auditOf = (id: number) => env.ctx.db.selectFrom('audit_log').select(['event', 'success']).where('object_type', '=', 'import_batch').where('object_id', '=', String(id)).orderBy('id').execute();

  it('a finished job is still answered after a restart, from its batch, with the same counts (updated included)', async () => {
    const a = fakeIdNumber('320411', '19850101', 1);
    const b = fakeIdNumber('320411', '19850101', 2);
    const first = await ended(clerk, (await upload(clerk, writeCsv([HEADER, row('周一', a), row('周二', b)]), 'first.csv')).json().jobId);
    expect(first.report).toMatchObject({ imported: 2, updated: 0, unchanged: 0 });
    const res = await upload(clerk, writeCsv([HEADER, row('周一', a, '新地址8号'), row('周二', b)]), 'second.csv');
    expect(res.statusCode).toBe(202);
    expect(res.json().batchId).toEqual(expect.any(Number)); // the batch exists from the start
    const live = await ended(clerk, res.json().jobId);
    expect(live).toMatchObject({ status: 'done', report: { committed: true, imported: 0, updated: 1, unchanged: 1 } });
    // The stored batch says the same as the job (it said updated 0 before).
    const stored = (await clerk.request('GET', `/api/registrations/imports/${live.batchId}`)).json();
    expect(stored).toMatchObject({ imported: 0, updated: 1, unchanged: 1, total: 2 });
    forgetImportJobsForTests();
    const after = (await clerk.request('GET', `/api/registrations/import-jobs/${res.json().jobId}`)).json();
    expect(after).toMatchObject({ status: 'done', batchId: live.batchId, fileName: 'second.csv', report: { committed: true, imported: 0, updated: 1, unchanged: 1 } });
    // Still its starter's only.
    expect((await other.request('GET', `/api/registrations/import-jobs/${res.json().jobId}`)).statusCode).toBe(404);
  });

  it('a file refused by the job (no header) ends failed with its reason, in the batch list and the audit log, and the upload is gone', async () => {
    const res = await upload(clerk, writeCsv([['甲', '乙'], ['1', '2']]), 'noheader.csv', 'all');
    const job = await ended(clerk, res.json().jobId);
    expect(job).toMatchObject({ status: 'failed', error: { code: 'INVALID_INPUT', message: expect.stringContaining('表头') } });
    const b = await batch(job.batchId);
    expect(b).toMatchObject({ status: 'failed', error_code: 'INVALID_INPUT', rows_imported: 0, file_name: 'noheader.csv' });
    const list = (await clerk.request('GET', '/api/registrations/imports')).json().items;
    expect(list.find((x: { batchId: number }) => x.batchId === job.batchId)).toMatchObject({ status: 'failed', error: expect.stringContaining('表头') });
    expect(await auditOf(job.batchId)).toEqual([{ event: 'registration.import', success: 0 }]);
    expect(fs.readdirSync(`${env.config.dataDir}/uploads`)).toEqual([]);
    forgetImportJobsForTests();
    expect((await clerk.request('GET', `/api/registrations/import-jobs/${res.json().jobId}`)).json()).toMatchObject({ status: 'failed', error: { message: expect.stringContaining('表头') } });
  });

  it('a file refused at the upload (empty) is answered 400 and traced in the audit log', async () => {
    const before = await env.ctx.db.selectFrom('audit_log').select((eb) => eb.fn.countAll<number>().as('n')).where('event', '=', 'registration.import').where('success', '=', 0).executeTakeFirstOrThrow();
    const empty = writeCsv([]);
    fs.writeFileSync(empty, '');
    const res = await upload(clerk, empty, 'empty.csv');
    expect(res.statusCode).toBe(400);
    expect(res.json().error.message).toContain('文件为空');
    const after = await env.ctx.db.selectFrom('audit_log').select((eb) => eb.fn.countAll<number>().as('n')).where('event', '=', 'registration.import').where('success', '=', 0).executeTakeFirstOrThrow();
    expect(Number(after.n)).toBe(Number(before.n) + 1);
  });

  it('a job a stopped server left queued or running is interrupted at start-up: reported as such, not 404, and audited', async () => {
    // What the upload route does before the job runs: the batch row, with the job's id.
    const me = await env.ctx.db.selectFrom('app_user').select('id').where('username', '=', 'life_clerk').executeTakeFirstOrThrow();
    const auth = { user: { id: me.id } } as AuthInfo;
    const running = await createImportBatch(env.ctx, auth, { fileName: 'big.xlsx', orgUnitId: community, mode: 'valid', jobId: 'a'.repeat(24), status: 'running' });
    const queued = await createImportBatch(env.ctx, auth, { fileName: 'next.csv', orgUnitId: community, mode: 'all', jobId: 'b'.repeat(24), status: 'queued' });
    forgetImportJobsForTests();
    expect(await markInterruptedImports(env.ctx)).toBe(2);
    for (const [id, jobId] of [[running, 'a'], [queued, 'b']] as const) {
      expect(await batch(id)).toMatchObject({ status: 'interrupted', rows_imported: 0 });
      expect(await auditOf(id)).toEqual([{ event: 'registration.import.interrupted', success: 0 }]);
      const job = await clerk.request('GET', `/api/registrations/import-jobs/${jobId.repeat(24)}`);
      expect(job.statusCode).toBe(200);
      expect(job.json()).toMatchObject({ status: 'interrupted', batchId: id, report: null, error: { message: expect.stringContaining('重新导入') } });
      expect((await other.request('GET', `/api/registrations/import-jobs/${jobId.repeat(24)}`)).statusCode).toBe(404);
    }
    expect(await markInterruptedImports(env.ctx)).toBe(0); // once
  });
});
