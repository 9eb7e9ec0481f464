// Bulk import (issue 3 item 6): GBK/UTF-8 CSV and .xlsx, title rows and header aliases, every
// rejected row with its row number, column and reason, all-or-nothing vs valid rows, re-import
// without duplicates, spreadsheet-mangled ID numbers, scope.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import { createTestEnv, makeUser, orgId, testEngine, type TestEnv } from '../../testing/harness.js';
import { fakeIdNumber } from '../../testing/registration-factory.js';
import { tempPath, workbookParts, writeCsv, writeXlsx, writeZip } from '../../testing/import-files.js';
import type { AuthInfo } from '../../auth/access.js';
import { scopeFor } from '../../auth/access.js';
import { importFile } from './service.js';
import { getOrgUnitByCode } from '../../orgs/store.js';

const HEADER = ['姓名', '身份证号', '户口性质', '常住地址', '联系电话', '个人身份', '调查日期', '企业职工基本养老保险参保状态', '企业职工基本养老保险参保地'];
const row = (name: string, id: string, overrides: Partial<Record<number, string>> = {}) => {
  const r = [name, id, '本地农业', '三井街道河海东路1号', '13912345678', '工人', '2016-05-03', '正常参保', '常州市'];
  for (const [i, v] of Object.entries(overrides)) r[Number(i)] = v!;
  return r;
};

describe(`registration import (${testEngine()})`, () => {
  let env: TestEnv;
  let clerk: AuthInfo;
  let community: number;

  beforeAll(async () => {
    env = await createTestEnv();
    const u = await makeUser(env.ctx, { username: 'imp_clerk', role: 'clerk', orgCode: '320411' });
    const user = await env.ctx.db.selectFrom('app_user').selectAll().where('id', '=', u.id).executeTakeFirstOrThrow();
    const unit = (await getOrgUnitByCode(env.ctx.db, '320411'))!;
    // The service is called as the route calls it, with the clerk's scope.
    clerk = { user, orgUnit: unit, session: {} as never, role: 'clerk', scope: scopeFor('clerk', unit.path), actor: { userId: u.id, username: u.username, orgUnitId: Number(unit.id), ip: null } } as AuthInfo;
    community = await orgId(env.ctx, '320411002001');
  });
  afterAll(async () => env?.close());

  const count = async (unitCode: string) => {
    const u = (await getOrgUnitByCode(env.ctx.db, unitCode))!;
    const r = await env.ctx.db.selectFrom('registration').select((eb) => eb.fn.countAll<number>().as('n')).where('org_unit_id', '=', u.id).where('deleted_at', 'is', null).executeTakeFirstOrThrow();
    return Number(r.n);
  };

  it('a GBK CSV with a title row and mixed errors: valid rows imported, each rejected row with row number, column and reason', async () => {
    const file = writeCsv(
      [
        ['常州市全民参保登记表（新北区三井街道）'],
        HEADER,
        row('张三', fakeIdNumber('320411', '19800101', 1)),
        row('李四', '320411198001010011'), // wrong check digit
        row('王五', fakeIdNumber('320411', '19800101', 3), { 4: '12345' }), // bad phone
        row('赵六', fakeIdNumber('320411', '19800101', 4)),
      ],
      { encoding: 'gbk' },
    );
    const before = await count('320411002001');
    const report = await importFile(env.ctx, clerk, { path: file, fileName: '三井.csv', orgUnitId: community, mode: 'valid' });
    expect(report).toMatchObject({ committed: true, total: 4, imported: 2, rejected: 2 });
    expect(report.rejects).toEqual([
      expect.objectContaining({ row: 4, column: '身份证号', field: 'idNumber' }),
      expect.objectContaining({ row: 5, column: '联系电话', field: 'phone' }),
    ]);
    expect(report.rejects[0]!.message).toContain('校验');
    expect(await count('320411002001')).toBe(before + 2);
  });

  it('all-or-nothing: one bad row and nothing is written; the report still lists it', async () => {
    const file = writeCsv([HEADER, row('钱七', fakeIdNumber('320411', '19810101', 1)), row('孙八', '32041119810101001')], { encoding: 'utf8bom' });
    const before = await count('320411002001');
    const report = await importFile(env.ctx, clerk, { path: file, fileName: 'a.csv', orgUnitId: community, mode: 'all' });
    expect(report).toMatchObject({ committed: false, imported: 0, rejected: 1 });
    expect(await count('320411002001')).toBe(before);
    const batch = await env.ctx.db.selectFrom('import_batch').selectAll().where('id', '=', report.batchId).executeTakeFirstOrThrow();
    expect(batch.status).toBe('rejected');
  });

  it('re-importing the same file adds no duplicates: every row is reported unchanged', async () => {
    const file = writeCsv([HEADER, row('周九', fakeIdNumber('320411', '19820101', 1)), row('吴十', fakeIdNumber('320411', '19820101', 2))]);
    const first = await importFile(env.ctx, clerk, { path: file, fileName: 'r.csv', orgUnitId: community, mode: 'all' });
    const n = await count('320411002001');
    const second = await importFile(env.ctx, clerk, { path: file, fileName: 'r.csv', orgUnitId: community, mode: 'all' });
    expect([first.imported, second.imported, second.unchanged]).toEqual([2, 0, 2]);
    expect(await count('320411002001')).toBe(n);
    // a corrected file updates the record, with history
    const fixed = writeCsv([HEADER, row('周九', fakeIdNumber('320411', '19820101', 1), { 3: '新地址2号' })]);
    const third = await importFile(env.ctx, clerk, { path: fixed, fileName: 'r2.csv', orgUnitId: community, mode: 'all' });
    expect([third.imported, third.updated]).toEqual([0, 1]);
  });

  it('an .xlsx whose ID column the spreadsheet stored as numbers: rejected with a message that says how to fix it', async () => {
    const good = fakeIdNumber('320411', '19830101', 1);
    const file = await writeXlsx([HEADER, [...row('郑一', good)], [...row("郑二", "x").slice(0, 1), Number("320411198301010020"), ...row('郑二', 'x').slice(2)]]);
    const report = await importFile(env.ctx, clerk, { path: file, fileName: 'x.xlsx', orgUnitId: community, mode: 'valid' });
    expect(report).toMatchObject({ imported: 1, rejected: 1 });
    expect(report.rejects[0]).toMatchObject({ row: 3, field: 'idNumber' });
    expect(report.rejects[0]!.message).toMatch(/文本|数字/);
  });

  it('a row that repeats an ID number of the same file is rejected, naming the first row', async () => {
    const id = fakeIdNumber('320411', '19840101', 1);
    const file = writeCsv([HEADER, row('甲一', id), row('乙二', id)]);
    const report = await importFile(env.ctx, clerk, { path: file, fileName: 'd.csv', orgUnitId: community, mode: 'valid' });
    expect(report.rejects).toEqual([expect.objectContaining({ row: 3, message: '公民身份号码与第 2 行重复' })]);
  });

  it('importing at district level places rows by the 社区 column; an unknown community is rejected', async () => {
    const file = writeCsv([
      [...HEADER, '社区'],
      [...row('丙三', fakeIdNumber('320411', '19850101', 1)), '320411002002'],
      [...row('丁四', fakeIdNumber('320411', '19850101', 2)), '不存在社区'],
    ]);
    const before = await count('320411002002');
    const report = await importFile(env.ctx, clerk, { path: file, fileName: 'q.csv', orgUnitId: await orgId(env.ctx, '320411'), mode: 'valid' });
    expect(report).toMatchObject({ imported: 1, rejected: 1 });
    expect(report.rejects[0]!.column).toBe('社区');
    expect(await count('320411002002')).toBe(before + 1);
  });

  it('refused whole, nothing written: another district’s unit, a missing required column, no header, a binary file', async () => {
    const file = writeCsv([HEADER, row('戊五', fakeIdNumber('320411', '19860101', 1))]);
    await expect(importFile(env.ctx, clerk, { path: file, fileName: 'f.csv', orgUnitId: await orgId(env.ctx, '320402001001'), mode: 'all' })).rejects.toMatchObject({ status: 404 });
    const noAddress = writeCsv([HEADER.filter((h) => h !== '常住地址'), row('己六', fakeIdNumber('320411', '19860101', 2)).filter((_, i) => i !== 3)]);
    await expect(importFile(env.ctx, clerk, { path: noAddress, fileName: 'f.csv', orgUnitId: community, mode: 'all' })).rejects.toMatchObject({ status: 400, message: expect.stringContaining('常住地址') });
    const noHeader = writeCsv([['a', 'b'], ['1', '2']]);
    await expect(importFile(env.ctx, clerk, { path: noHeader, fileName: 'f.csv', orgUnitId: community, mode: 'all' })).rejects.toMatchObject({ status: 400, message: expect.stringContaining('表头') });
    const bin = tempPath('x.csv');
    fs.writeFileSync(bin, Buffer.from([0, 1, 2, 3, 0, 0, 5]));
    await expect(importFile(env.ctx, clerk, { path: bin, fileName: 'x.csv', orgUnitId: community, mode: 'all' })).rejects.toMatchObject({ status: 400 });
    const xls = tempPath('old.xls');
    fs.writeFileSync(xls, Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0, 0]));
    await expect(importFile(env.ctx, clerk, { path: xls, fileName: 'old.xls', orgUnitId: community, mode: 'all' })).rejects.toMatchObject({ message: expect.stringContaining('.xls') });
  });

  it('an .xlsx whose XML declares a DOCTYPE is refused before it is parsed, stored or deflated', async () => {
    const evil = '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">]><workbook xmlns="x"/>';
    for (const deflate of [false, true]) {
      const file = writeZip(workbookParts({ name: 'sheet', data: '<worksheet><sheetData/></worksheet>' }).map((p) => (p.name === 'xl/workbook.xml' ? { ...p, data: evil, deflate } : p)));
      await expect(importFile(env.ctx, clerk, { path: file, fileName: 'evil.xlsx', orgUnitId: community, mode: 'all' })).rejects.toMatchObject({
        status: 400,
        message: expect.stringContaining('DOCTYPE'),
      });
    }
  });

  it('rows with 户主 columns are grouped in households: one per head in a community, found again on re-import', async () => {
    const head = fakeIdNumber('320411', '19700101', 1);
    const H = [...HEADER, '户主姓名', '户主公民身份号码', '家庭地址'];
    const file = writeCsv([
      H,
      [...row('户主甲', head), '户主甲', head, '华山路1号'],
      [...row('家人乙', fakeIdNumber('320411', '20000101', 2), { 4: '13912345679' }), '户主甲', head, '华山路1号'],
      [...row('另户丙', fakeIdNumber('320411', '19710101', 3)), '另户丙', fakeIdNumber('320411', '19710101', 3), '华山路2号'],
    ]);
    const report = await importFile(env.ctx, clerk, { path: file, fileName: 'h.csv', orgUnitId: community, mode: 'all' });
    expect(report).toMatchObject({ committed: true, imported: 3, rejected: 0 });
    const rows = await env.ctx.db.selectFrom('registration').select(['name', 'household_id']).where('import_batch_id', '=', report.batchId).orderBy('name').execute();
    const byName = new Map(rows.map((r) => [r.name, r.household_id]));
    expect(byName.get('户主甲')).not.toBeNull();
    expect(byName.get('家人乙')).toBe(byName.get('户主甲'));
    expect(byName.get('另户丙')).not.toBe(byName.get('户主甲'));
    const hh = await env.ctx.db.selectFrom('household').selectAll().where('id', '=', byName.get('户主甲')!).executeTakeFirstOrThrow();
    expect(hh).toMatchObject({ head_name: '户主甲', head_id_number: head, address: '华山路1号', org_unit_id: community });
    // a new member of the same household in a later file joins it
    const later = writeCsv([H, [...row('家人丁', fakeIdNumber('320411', '19990101', 4)), '户主甲', head, '华山路1号']]);
    const r2 = await importFile(env.ctx, clerk, { path: later, fileName: 'h2.csv', orgUnitId: community, mode: 'all' });
    const d = await env.ctx.db.selectFrom('registration').select('household_id').where('import_batch_id', '=', r2.batchId).executeTakeFirstOrThrow();
    expect(d.household_id).toBe(byName.get('户主甲'));
  });

  it('a file without some columns leaves those fields of an existing record as they are', async () => {
    const id = fakeIdNumber('320411', '19870101', 1);
    await importFile(env.ctx, clerk, { path: writeCsv([[...HEADER, '备注'], [...row('留字段', id), '原备注']]), fileName: 'k1.csv', orgUnitId: community, mode: 'all' });
    const second = await importFile(env.ctx, clerk, { path: writeCsv([HEADER, row('留字段', id, { 3: '新地址9号' })]), fileName: 'k2.csv', orgUnitId: community, mode: 'all' });
    expect([second.imported, second.updated]).toEqual([0, 1]);
    const r = await env.ctx.db.selectFrom('registration').select(['residence_address', 'remarks', 'version']).where('id_number', '=', id).executeTakeFirstOrThrow();
    expect(r).toMatchObject({ residence_address: '新地址9号', remarks: '原备注', version: 1 });
  });

  it('a person already counted in another district is imported but not counted twice', async () => {
    const id = fakeIdNumber('320402', '19880101', 1);
    const tnCommunity = await orgId(env.ctx, '320402001001');
    const admin = { ...clerk, scope: scopeFor('city_admin', '/') } as AuthInfo;
    const first = await importFile(env.ctx, admin, { path: writeCsv([HEADER, row('两地人', id)]), fileName: 'tn.csv', orgUnitId: tnCommunity, mode: 'all' });
    const second = await importFile(env.ctx, clerk, { path: writeCsv([HEADER, row('两地人', id)]), fileName: 'xb.csv', orgUnitId: community, mode: 'all' });
    expect([first.imported, second.imported]).toEqual([1, 1]);
    const recs = await env.ctx.db.selectFrom('registration').select(['org_unit_id', 'is_counted']).where('id_number', '=', id).orderBy('id').execute();
    expect(recs.map((r) => [Number(r.org_unit_id), Number(r.is_counted)])).toEqual([
      [tnCommunity, 1],
      [community, 0],
    ]);
  });

  it('an .xlsx (validated on the writer\'s side): a title row, a re-import, and a sheet without a header refused with nothing written', async () => {
    const id = fakeIdNumber('320411', '19890101', 1);
    const file = await writeXlsx([['常州市全民参保登记表'], HEADER, row('表格甲', id), row('表格乙', '320411198901010011')]);
    const first = await importFile(env.ctx, clerk, { path: file, fileName: 't.xlsx', orgUnitId: community, mode: 'valid' });
    expect(first).toMatchObject({ committed: true, total: 2, imported: 1, rejected: 1 });
    expect(first.rejects[0]).toMatchObject({ row: 4, field: 'idNumber' });
    const again = await importFile(env.ctx, clerk, { path: file, fileName: 't.xlsx', orgUnitId: community, mode: 'valid' });
    expect(again).toMatchObject({ imported: 0, unchanged: 1, rejected: 1 });
    const before = await count('320411002001');
    const batches = await env.ctx.db.selectFrom('import_batch').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    const noHeader = await writeXlsx([['甲', '乙'], ['1', '2']]);
    await expect(importFile(env.ctx, clerk, { path: noHeader, fileName: 'n.xlsx', orgUnitId: community, mode: 'valid' })).rejects.toMatchObject({ status: 400, message: expect.stringContaining('表头') });
    expect(await count('320411002001')).toBe(before);
    const after = await env.ctx.db.selectFrom('import_batch').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    // Nothing of the file was written, but the refusal is accounted for: a batch that failed, with its reason.
    expect(Number(after.n)).toBe(Number(batches.n) + 1);
    const failed = await env.ctx.db.selectFrom('import_batch').selectAll().orderBy('id', 'desc').executeTakeFirstOrThrow();
    expect(failed).toMatchObject({ status: 'failed', file_name: 'n.xlsx', error_code: 'INVALID_INPUT', rows_imported: 0 });
    expect(failed.error_message).toContain('表头');
  });
});

