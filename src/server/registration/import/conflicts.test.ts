// An existing record is never silently renamed (issue 12, defect 8): a file row whose ID number is
// registered under another 姓名, 出生日期 or 性别 is a conflict — mode 'all' refuses the file, mode
// 'valid' skips and lists the row, and only an explicit overwriteNames updates it, recorded in the
// history. Also: the stored batch reports the same imported/updated/unchanged as the job.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestEnv, makeUser, orgId, testEngine, type TestEnv } from '../../testing/harness.js';
import { fakeIdNumber } from '../../testing/registration-factory.js';
import { writeCsv, writeXlsx } from '../../testing/import-files.js';
import type { AuthInfo } from '../../auth/access.js';
import { scopeFor } from '../../auth/access.js';
import { importFile } from './service.js';
import { getOrgUnitByCode } from '../../orgs/store.js';

const HEADER = ['姓名', '身份证号', '户口性质', '常住地址', '联系电话', '个人身份', '调查日期', '企业职工基本养老保险参保状态', '企业职工基本养老保险参保地'];
const row = (name: string, id: string, address = '三井街道河海东路1号') => [name, id, '本地农业', address, '13912345678', '工人', '2016-05-03', '正常参保', '常州市'];

describe(`import conflicts with registered people (${testEngine()})`, () => {
  let env: TestEnv;
  let clerk: AuthInfo;
  let community: number;
  let other: number;

  beforeAll(async () => {
    env = await createTestEnv();
    const u = await makeUser(env.ctx, { username: 'conf_clerk', role: 'clerk', orgCode: '320411' });
    const user = await env.ctx.db.selectFrom('app_user').selectAll().where('id', '=', u.id).executeTakeFirstOrThrow();
    const unit = (await getOrgUnitByCode(env.ctx.db, '320411'))!;
    clerk = { user, orgUnit: unit, session: {} as never, role: 'clerk', scope: scopeFor('clerk', unit.path), actor: { userId: u.id, username: u.username, orgUnitId: Number(unit.id), ip: null } } as AuthInfo;
    community = await orgId(env.ctx, '320411002001');
    other = await orgId(env.ctx, '320411002002');
  });
  afterAll(async () => env?.close());

  const record = (id: string) => env.ctx.db.selectFrom('registration').selectAll().where('id_number', '=', id).where('deleted_at', 'is', null).orderBy('id').execute();
  const history = (registrationId: number) => env.ctx.db.selectFrom('registration_history').select(['action', 'changes_json']).where('registration_id', '=', registrationId).orderBy('id').execute();
  const stored = (batchId: number) => env.ctx.db.selectFrom('import_batch').selectAll().where('id', '=', batchId).executeTakeFirstOrThrow();

  it('mode all: a renamed person refuses the whole file, nothing written, the conflict listed with both names', async () => {
    const kept = fakeIdNumber('320411', '19700101', 1);
    const renamed = fakeIdNumber('320411', '19700101', 2);
    await importFile(env.ctx, clerk, { path: writeCsv([HEADER, row('孙一', kept), row('孙二', renamed)]), fileName: 'a.csv', orgUnitId: community, mode: 'all' });
    const fresh = fakeIdNumber('320411', '19700101', 3);
    const report = await importFile(env.ctx, clerk, { path: writeCsv([HEADER, row('孙一', kept, '新地址1号'), row('孙贰', renamed), row('孙三', fresh)]), fileName: 'b.csv', orgUnitId: community, mode: 'all' });
    expect(report).toMatchObject({ committed: false, total: 3, imported: 0, updated: 0, rejected: 1 });
    expect(report.rejects).toEqual([{ row: 3, column: '姓名', field: 'name', message: expect.stringContaining('已登记为姓名“孙二”，文件中为“孙贰”') }]);
    expect(report.rejects[0]!.message).toContain('允许覆盖姓名');
    expect((await record(renamed))[0]).toMatchObject({ name: '孙二' });
    expect((await record(kept))[0]).toMatchObject({ residence_address: '三井街道河海东路1号' }); // the other row not written either
    expect(await record(fresh)).toEqual([]);
    expect(await stored(report.batchId)).toMatchObject({ status: 'rejected', rows_rejected: 1, rows_imported: 0 });
  });

  it('mode valid: the conflicting row is skipped and listed, the others written; the batch says what the job said', async () => {
    const id = fakeIdNumber('320411', '19710101', 1);
    const keep = fakeIdNumber('320411', '19710101', 2);
    await importFile(env.ctx, clerk, { path: writeCsv([HEADER, row('周一', id), row('周二', keep)]), fileName: 'c.csv', orgUnitId: community, mode: 'valid' });
    const fresh = fakeIdNumber('320411', '19710101', 3);
    const report = await importFile(env.ctx, clerk, { path: writeCsv([HEADER, row('周壹', id), row('周二', keep, '新地址2号'), row('周三', fresh)]), fileName: 'd.csv', orgUnitId: community, mode: 'valid' });
    expect(report).toMatchObject({ committed: true, total: 3, imported: 1, updated: 1, unchanged: 0, rejected: 1 });
    expect(report.rejects).toEqual([expect.objectContaining({ row: 2, field: 'name' })]);
    expect((await record(id))[0]).toMatchObject({ name: '周一' });
    expect((await record(keep))[0]).toMatchObject({ residence_address: '新地址2号' });
    expect(await stored(report.batchId)).toMatchObject({ status: 'done', rows_imported: 1, rows_updated: 1, rows_unchanged: 0, rows_rejected: 1 });
  });

  it('an .xlsx row whose birth date differs from the registered one is a conflict too', async () => {
    const id = fakeIdNumber('320411', '19720101', 1);
    const header = [...HEADER, '出生日期'];
    await importFile(env.ctx, clerk, { path: writeCsv([header, [...row('吴一', id), '']]), fileName: 'e.csv', orgUnitId: community, mode: 'valid' });
    // The registered record was saved with the birth date the ID number gives; force another one as an earlier form might have had.
    await env.ctx.db.updateTable('registration').set({ birth_date: '1972-01-02' }).where('id_number', '=', id).execute();
    const report = await importFile(env.ctx, clerk, { path: await writeXlsx([header, [...row('吴一', id), '1972-01-01']]), fileName: 'e.xlsx', orgUnitId: community, mode: 'valid' });
    expect(report).toMatchObject({ imported: 0, updated: 0, rejected: 1 });
    expect(report.rejects[0]).toMatchObject({ field: 'birthDate', message: expect.stringContaining('出生日期“1972-01-02”') });
  });

  it('overwriteNames: the name is updated, counted as updated, and the history says it was an overwrite', async () => {
    const id = fakeIdNumber('320411', '19730101', 1);
    await importFile(env.ctx, clerk, { path: writeCsv([HEADER, row('郑一', id)]), fileName: 'f.csv', orgUnitId: community, mode: 'all' });
    const report = await importFile(env.ctx, clerk, { path: writeCsv([HEADER, row('郑壹', id)]), fileName: 'g.csv', orgUnitId: community, mode: 'all', overwriteNames: true });
    expect(report).toMatchObject({ committed: true, imported: 0, updated: 1, rejected: 0 });
    const [r] = await record(id);
    expect(r).toMatchObject({ name: '郑壹' });
    const h = await history(Number(r!.id));
    expect(h.at(-1)).toEqual({ action: 'import_overwrite', changes_json: JSON.stringify({ name: ['郑一', '郑壹'] }) });
    const audit = await env.ctx.db.selectFrom('audit_log').select('after_json').where('object_type', '=', 'import_batch').where('object_id', '=', String(report.batchId)).executeTakeFirstOrThrow();
    expect(JSON.parse(audit.after_json!)).toMatchObject({ overwriteNames: true, overwritten: 1, updated: 1 });
  });

  it('a person registered in another community under another name: listed, not added as a second person', async () => {
    const id = fakeIdNumber('320411', '19740101', 1);
    await importFile(env.ctx, clerk, { path: writeCsv([HEADER, row('冯一', id)]), fileName: 'h.csv', orgUnitId: other, mode: 'valid' });
    const report = await importFile(env.ctx, clerk, { path: writeCsv([HEADER, row('冯壹', id)]), fileName: 'i.csv', orgUnitId: community, mode: 'valid' });
    expect(report).toMatchObject({ imported: 0, rejected: 1 });
    expect(report.rejects[0]!.message).toContain('已在其他单位登记');
    expect(report.rejects[0]!.message).not.toContain('冯一'); // another unit's record is not read out
    expect(await record(id)).toHaveLength(1);
    // The same name there: a duplicate registration as before (not counted twice).
    const same = await importFile(env.ctx, clerk, { path: writeCsv([HEADER, row('冯一', id)]), fileName: 'j.csv', orgUnitId: community, mode: 'valid' });
    expect(same).toMatchObject({ imported: 1, rejected: 0 });
    expect((await record(id)).map((x) => Number(x.is_counted)).sort()).toEqual([0, 1]);
  });
});
