// .xlsx files from the producers districts really have (issue 12, defect 4), each imported end to
// end and every stored value compared with what the producer was given: exceljs (workbook and
// streaming writer), SheetJS (with and without shared strings), and a hand-assembled OOXML as
// minimal writers and WPS make them (inline strings, namespace prefixes, absolute targets, no r=
// references, a 说明 sheet first, Chinese sheet names). Also defects 2 and 3: the sheet with the
// header is found and named, and two-row group headers and blank header cells import.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import ExcelJS from 'exceljs';
import XLSX from 'xlsx';
import { createTestEnv, makeUser, orgId, testEngine, type TestEnv } from '../../testing/harness.js';
import { fakeIdNumber } from '../../testing/registration-factory.js';
import { tempPath, writeZip, type ZipPart } from '../../testing/import-files.js';
import type { AuthInfo } from '../../auth/access.js';
import { scopeFor } from '../../auth/access.js';
import { importFile } from './service.js';
import { getOrgUnitByCode } from '../../orgs/store.js';

const HEADER = ['姓名', '公民身份号码', '户口性质', '常住地址', '联系电话', '个人身份', '调查日期', '企业职工基本养老保险参保状态', '企业职工基本养老保险参保地', '备注'];
const LONG = '河海东路汇金花园小区北门进第二幢东单元（租住，房东王阿姨）𠀀𪚥😀，门口有石狮一对&<>"\'';

let seq = 0;
function people(region: string, n = 4): string[][] {
  const names = ['王小明', '李𠀀华', '欧阳娜娜', '张三丰'];
  return Array.from({ length: n }, (_, i) => [names[i % names.length]!, fakeIdNumber(region, '19800101', ++seq), '21', `${i + 1}号${LONG.slice(0, 10 + i * 7)}`, '13912345678', '24', '2016-05-03', '1', '常州', `备注${i}：${LONG}`]);
}

const escapeXml = (v: string) => v.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** A hand-assembled workbook as minimal writers (and WPS) make it. */
function handOoxml(sheets: Array<{ name: string; rows: string[][]; hidden?: boolean }>): string {
  const R = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';
  const parts: ZipPart[] = [
    { name: '[Content_Types].xml', data: '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/></Types>' },
    { name: '_rels/.rels', data: `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="${R}/officeDocument" Target="/xl/workbook.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/extended-properties" Target="docProps/app.xml"/></Relationships>` },
    { name: 'docProps/app.xml', data: '<?xml version="1.0" encoding="UTF-8"?><Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties"><Application>WPS 表格</Application></Properties>' },
    {
      name: 'xl/workbook.xml',
      data: `<?xml version="1.0" encoding="UTF-8"?><x:workbook xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="${R}"><x:sheets>${sheets.map((s, i) => `<x:sheet name="${escapeXml(s.name)}" sheetId="${i + 1}"${s.hidden ? ' state="hidden"' : ''} r:id="rId${i + 1}"/>`).join('')}</x:sheets></x:workbook>`,
    },
    {
      name: 'xl/_rels/workbook.xml.rels',
      data: `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">${sheets.map((_, i) => `<Relationship Id="rId${i + 1}" Type="${R}/worksheet" Target="/xl/worksheets/表${i + 1}.xml"/>`).join('')}</Relationships>`,
    },
  ];
  sheets.forEach((s, i) => {
    const rows = s.rows.map((r) => `<x:row>${r.map((v) => (v === '' ? '<x:c/>' : `<x:c t="inlineStr"><x:is><x:t xml:space="preserve">${escapeXml(v)}</x:t></x:is></x:c>`)).join('')}</x:row>`).join('');
    parts.push({ name: `xl/worksheets/表${i + 1}.xml`, data: `<?xml version="1.0" encoding="UTF-8"?><x:worksheet xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><x:sheetData>${rows}</x:sheetData></x:worksheet>`, deflate: true });
  });
  return writeZip(parts, 'wps.xlsx');
}

async function exceljsWorkbook(sheets: Array<{ name: string; rows: string[][]; merges?: string[] }>): Promise<string> {
  const wb = new ExcelJS.Workbook();
  for (const s of sheets) {
    const ws = wb.addWorksheet(s.name);
    for (const r of s.rows) ws.addRow(r.map((v) => (v === '' ? null : v)));
    for (const m of s.merges ?? []) ws.mergeCells(m);
  }
  const file = tempPath('exceljs.xlsx');
  await wb.xlsx.writeFile(file);
  return file;
}

async function exceljsStreaming(rows: string[][]): Promise<string> {
  const file = tempPath('exceljs-stream.xlsx');
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: file, useSharedStrings: true });
  const ws = wb.addWorksheet('登记表');
  for (const r of rows) ws.addRow(r).commit();
  ws.commit();
  await wb.commit();
  return file;
}

function sheetjs(sheets: Array<{ name: string; rows: string[][] }>, bookSST: boolean): string {
  const wb = XLSX.utils.book_new();
  for (const s of sheets) XLSX.utils.book_append_sheet(wb, XLSX.utils.aoa_to_sheet(s.rows), s.name);
  const file = tempPath(`sheetjs-${bookSST ? 'sst' : 'inline'}.xlsx`);
  fs.writeFileSync(file, XLSX.write(wb, { type: 'buffer', bookType: 'xlsx', bookSST }));
  return file;
}

describe(`.xlsx from other producers, sheets and two-row headers (${testEngine()})`, () => {
  let env: TestEnv;
  let clerk: AuthInfo;
  let community: number;
  beforeAll(async () => {
    env = await createTestEnv();
    const u = await makeUser(env.ctx, { username: 'prod_clerk', role: 'clerk', orgCode: '320411' });
    const user = await env.ctx.db.selectFrom('app_user').selectAll().where('id', '=', u.id).executeTakeFirstOrThrow();
    const unit = (await getOrgUnitByCode(env.ctx.db, '320411'))!;
    clerk = { user, orgUnit: unit, session: {} as never, role: 'clerk', scope: scopeFor('clerk', unit.path), actor: { userId: u.id, username: u.username, orgUnitId: Number(unit.id), ip: null } } as AuthInfo;
    community = await orgId(env.ctx, '320411002001');
  });
  afterAll(async () => env?.close());

  /** The stored records of these people, as [姓名, 公民身份号码, 常住地址, 联系电话, 备注]. */
  const stored = async (rows: string[][]) => {
    const got = await env.ctx.db.selectFrom('registration').select(['name', 'id_number', 'residence_address', 'phone', 'remarks']).where('id_number', 'in', rows.map((r) => r[1]!)).where('deleted_at', 'is', null).execute();
    const byId = new Map(got.map((g) => [g.id_number, [g.name, g.id_number, g.residence_address, g.phone, g.remarks]]));
    return rows.map((r) => byId.get(r[1]!) ?? null);
  };
  const expected = (rows: string[][]) => rows.map((r) => [r[0], r[1], r[3], r[4], r[9]]);

  const producers: Array<[string, (rows: string[][]) => Promise<string> | string]> = [
    ['exceljs workbook', (rows) => exceljsWorkbook([{ name: '登记表', rows: [HEADER, ...rows] }])],
    ['exceljs streaming writer (shared strings)', (rows) => exceljsStreaming([HEADER, ...rows])],
    ['SheetJS with shared strings', (rows) => sheetjs([{ name: '登记表', rows: [HEADER, ...rows] }], true)],
    ['SheetJS with inline strings', (rows) => sheetjs([{ name: '登记表', rows: [HEADER, ...rows] }], false)],
    ['hand-assembled OOXML / WPS-like (inline strings, x: prefix, absolute targets, no r=)', (rows) => handOoxml([{ name: 'Sheet1', rows: [HEADER, ...rows] }])],
  ];

  it.each(producers)('%s: every value stored exactly as written', async (_name, produce) => {
    const rows = people('320411');
    const report = await importFile(env.ctx, clerk, { path: await produce(rows), fileName: 'p.xlsx', orgUnitId: community, mode: 'all' });
    expect(report, JSON.stringify(report.rejects)).toMatchObject({ committed: true, imported: rows.length, rejected: 0 });
    expect(await stored(rows)).toEqual(expected(rows));
  });

  it('a 说明 sheet first: the registration sheet is found and named, by every producer', async () => {
    const intro = [['填表说明'], ['1. 公民身份号码请设置为文本格式'], ['2. 每人一行']];
    for (const make of [
      (rows: string[][]) => exceljsWorkbook([{ name: '填表说明', rows: intro }, { name: '登记表', rows: [['常州市全民参保登记表'], HEADER, ...rows] }]),
      (rows: string[][]) => sheetjs([{ name: '填表说明', rows: intro }, { name: '登记表', rows: [HEADER, ...rows] }], true),
      (rows: string[][]) => handOoxml([{ name: '填表说明', rows: intro }, { name: '隐藏', rows: [HEADER, ...people('320411', 1)], hidden: true }, { name: '登记表', rows: [HEADER, ...rows] }]),
    ]) {
      const rows = people('320411');
      const report = await importFile(env.ctx, clerk, { path: await make(rows), fileName: 's.xlsx', orgUnitId: community, mode: 'all' });
      expect(report).toMatchObject({ committed: true, imported: rows.length, sheet: { name: '登记表', candidates: ['登记表'] } });
      expect(await stored(rows)).toEqual(expected(rows));
      const batch = await env.ctx.db.selectFrom('import_batch').select('sheet_name').where('id', '=', report.batchId).executeTakeFirstOrThrow();
      expect(batch.sheet_name).toBe('登记表');
    }
  });

  it('several sheets with the header: the first is read and the others named; a sheet can be chosen; none: the sheets are named', async () => {
    const a = people('320411', 2);
    const b = people('320411', 2);
    const file = await exceljsWorkbook([{ name: '三井社区', rows: [HEADER, ...a] }, { name: '河海社区', rows: [HEADER, ...b] }]);
    const first = await importFile(env.ctx, clerk, { path: file, fileName: 'two.xlsx', orgUnitId: community, mode: 'valid' });
    expect(first).toMatchObject({ imported: 2, sheet: { name: '三井社区', candidates: ['三井社区', '河海社区'], all: ['三井社区', '河海社区'] } });
    expect((await stored(b)).every((x) => x === null)).toBe(true);
    const second = await importFile(env.ctx, clerk, { path: file, fileName: 'two.xlsx', orgUnitId: community, mode: 'valid', sheet: '河海社区' });
    expect(second).toMatchObject({ imported: 2, sheet: { name: '河海社区' } });
    expect(await stored(b)).toEqual(expected(b));
    await expect(importFile(env.ctx, clerk, { path: file, fileName: 'two.xlsx', orgUnitId: community, mode: 'valid', sheet: '不存在' })).rejects.toMatchObject({ status: 400, message: expect.stringContaining('没有名为“不存在”的工作表') });
    const none = await exceljsWorkbook([{ name: '说明', rows: [['说明']] }, { name: 'Sheet2', rows: [['甲', '乙']] }]);
    await expect(importFile(env.ctx, clerk, { path: none, fileName: 'none.xlsx', orgUnitId: community, mode: 'all' })).rejects.toMatchObject({ status: 400, message: expect.stringContaining('“说明”、“Sheet2”') });
  });

  it('a two-row header with merged insurance groups imports each sub-column into its type; blank header cells are skipped', async () => {
    const top = ['姓名', '公民身份号码', '户口性质', '常住地址', '联系电话', '个人身份', '调查日期', '城乡居民基本医疗保险', '', '企业养老', '', '', ''];
    const sub = ['', '', '', '', '', '', '', '参保状态', '参保地', '参保状态', '参保地', '参保年月', ''];
    const id = fakeIdNumber('320411', '19800101', ++seq);
    const data = ['赵两行', id, '21', '地址9号', '13912345678', '24', '2016-05-03', '正常参保', '武进', '暂停参保', '常州', '2010-07', '无关的值'];
    const file = await exceljsWorkbook([{ name: '登记表', rows: [['常州市全民参保登记表（两行表头）'], top, sub, data], merges: ['A2:A3', 'B2:B3', 'H2:I2', 'J2:L2'] }]);
    const report = await importFile(env.ctx, clerk, { path: file, fileName: 'two-row.xlsx', orgUnitId: community, mode: 'all' });
    expect(report, JSON.stringify(report.rejects)).toMatchObject({ committed: true, imported: 1 });
    const r = await env.ctx.db.selectFrom('registration').selectAll().where('id_number', '=', id).executeTakeFirstOrThrow();
    expect(r).toMatchObject({ name: '赵两行', ins_390_status: '1', ins_390_place: '武进', ins_110_status: '2', ins_110_place: '常州', ins_110_since: '2010-07' });
    // The same as CSV (no merges): the group stands over the blank cells to its right.
    const csv = tempPath('two-row.csv');
    const id2 = fakeIdNumber('320411', '19800101', ++seq);
    fs.writeFileSync(csv, [top, sub, data.map((v) => (v === id ? id2 : v))].map((x) => x.join(',')).join('\r\n'));
    expect(await importFile(env.ctx, clerk, { path: csv, fileName: 'two-row.csv', orgUnitId: community, mode: 'all' })).toMatchObject({ committed: true, imported: 1 });
    expect(await env.ctx.db.selectFrom('registration').select(['ins_390_place', 'ins_110_since']).where('id_number', '=', id2).executeTakeFirstOrThrow()).toEqual({ ins_390_place: '武进', ins_110_since: '2010-07' });
  });

  it('blank header cells (a column without a name, by every producer) do not stop the import', async () => {
    const header = ['姓名', '', '公民身份号码', '户口性质', '常住地址', '联系电话', '', '个人身份', '调查日期', '企业职工基本养老保险参保状态', '企业职工基本养老保险参保地', '备注'];
    for (const make of [(rows: string[][]) => exceljsWorkbook([{ name: 'S', rows }]), (rows: string[][]) => sheetjs([{ name: 'S', rows }], true), (rows: string[][]) => handOoxml([{ name: 'S', rows }])]) {
      const rows = people('320411', 2);
      const withBlanks = rows.map((r) => [r[0]!, '（无列名的值）', r[1]!, r[2]!, r[3]!, r[4]!, 'x', r[5]!, r[6]!, r[7]!, r[8]!, r[9]!]);
      const report = await importFile(env.ctx, clerk, { path: await make([header, ...withBlanks]), fileName: 'blank.xlsx', orgUnitId: community, mode: 'all' });
      expect(report, JSON.stringify(report.rejects)).toMatchObject({ committed: true, imported: 2 });
      expect(await stored(rows)).toEqual(expected(rows));
    }
  });
});
