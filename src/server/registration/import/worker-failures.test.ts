// A parse worker that dies (an uncaught error, running out of its memory limit, exiting) ends the
// import as a failed job with a Chinese message and nothing written, on either writer (the SQLite
// write worker, this thread on PostgreSQL) and in the all-or-nothing check; the process goes on
// and the next import writes. The dying workers replace the real parse worker for this file only.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { WorkerOptions } from 'node:worker_threads';
import { createTestEnv, newUserClient, orgId, testEngine, type TestEnv } from '../../testing/harness.js';
import { fakeIdNumber } from '../../testing/registration-factory.js';
import { writeCsv } from '../../testing/import-files.js';
import type { AuthInfo } from '../../auth/access.js';
import { scopeFor } from '../../auth/access.js';
import { getOrgUnitByCode } from '../../orgs/store.js';
import { importFile } from './service.js';

/** Bodies of the replacement parse worker, by how it dies. */
const DEATHS = {
  'an uncaught error': `throw new Error('boom')`,
  'running out of its memory limit': `const keep = []; for (;;) keep.push(new Array(64).fill({ a: keep.length }));`,
  'exiting on its own': `process.exit(3)`,
} as const;
const hostile: { death: keyof typeof DEATHS | null } = { death: null };

vi.mock('../../workers.js', async (original) => {
  const real = await original<typeof import('../../workers.js')>();
  const { Worker } = await import('node:worker_threads');
  return {
    ...real,
    startWorker(url: URL, options: WorkerOptions) {
      if (!hostile.death || !url.pathname.includes('parse-worker')) return real.startWorker(url, options);
      return new Worker(DEATHS[hostile.death], { eval: true, workerData: options.workerData, transferList: options.transferList, resourceLimits: { maxOldGenerationSizeMb: 16 } });
    },
  };
});

const HEADER = ['姓名', '身份证号', '户口性质', '常住地址', '联系电话', '个人身份', '调查日期', '企业职工基本养老保险参保状态', '企业职工基本养老保险参保地'];
const row = (name: string, id: string) => [name, id, '本地农业', '三井街道河海东路1号', '13912345678', '工人', '2016-05-03', '正常参保', '常州市'];

describe(`a dying parse worker (${testEngine()})`, () => {
  let env: TestEnv;
  let community: number;
  let auth: AuthInfo;

  beforeAll(async () => {
    env = await createTestEnv();
    await newUserClient(env, 'dying_clerk', 'clerk', '320411');
    community = await orgId(env.ctx, '320411002001');
    const user = await env.ctx.db.selectFrom('app_user').selectAll().where('username', '=', 'dying_clerk').executeTakeFirstOrThrow();
    const unit = (await getOrgUnitByCode(env.ctx.db, '320411'))!;
    auth = { user, orgUnit: unit, session: {} as never, role: 'clerk', scope: scopeFor('clerk', unit.path), actor: { userId: Number(user.id), username: user.username, orgUnitId: Number(unit.id), ip: null } } as AuthInfo;
  });
  afterAll(async () => env?.close());

  const written = async () => {
    const r = await env.ctx.db.selectFrom('registration').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    // A refused or failed import leaves a batch that says so (status failed), never a 'done' one.
    const b = await env.ctx.db.selectFrom('import_batch').select((eb) => eb.fn.countAll<number>().as('n')).where('status', '=', 'done').executeTakeFirstOrThrow();
    return [Number(r.n), Number(b.n)];
  };

  it('ends the import refused with a Chinese message and nothing written, whatever it died of, and the next import writes', async () => {
    const file = writeCsv([HEADER, row('将失败', fakeIdNumber('320411', '19920101', 1))]);
    let seq = 0;
    for (const death of Object.keys(DEATHS) as Array<keyof typeof DEATHS>) {
      for (const mode of ['all', 'valid'] as const) {
        const before = await written();
        hostile.death = death;
        const failure = await importFile(env.ctx, auth, { path: file, fileName: 'dies.csv', orgUnitId: community, mode }).then(
          () => null,
          (err: unknown) => err as { status: number; code: string; message: string },
        );
        hostile.death = null;
        expect(failure, `${death}, mode ${mode}`).toMatchObject({ message: expect.stringMatching(/[\u4e00-\u9fff]/) });
        expect(failure!.message).not.toMatch(/[A-Za-z]{4,}/); // no raw English error text
        if (death === 'running out of its memory limit') expect(failure).toMatchObject({ status: 413, code: 'PAYLOAD_TOO_LARGE' });
        expect(await written(), `${death}, mode ${mode}`).toEqual(before);
        // …and the failure is on record: its batch says failed with what the user was told, and the audit log has it.
        const last = await env.ctx.db.selectFrom('import_batch').selectAll().orderBy('id', 'desc').executeTakeFirstOrThrow();
        expect(last, `${death}, mode ${mode}`).toMatchObject({ status: 'failed', file_name: 'dies.csv', error_message: failure!.message, rows_imported: 0 });
        const audit = await env.ctx.db.selectFrom('audit_log').select(['event', 'success', 'object_id']).where('object_type', '=', 'import_batch').where('object_id', '=', String(last.id)).execute();
        expect(audit).toEqual([expect.objectContaining({ event: 'registration.import', success: 0 })]);
        // The server's database is not left locked by the writer of the failed import.
        const next = await importFile(env.ctx, auth, { path: writeCsv([HEADER, row('下一个', fakeIdNumber('320411', '19920102', ++seq))]), fileName: 'next.csv', orgUnitId: community, mode });
        expect(next).toMatchObject({ committed: true, imported: 1 });
      }
    }
  });
});
