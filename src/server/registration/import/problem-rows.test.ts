// The error workbook (issue 12): the user's own rows come back — their title and header rows, every
// problem row with all its cells in their columns, the bad cells marked and noted, a 问题 column —
// read with an independent reader (SheetJS); the marked cells are then fixed by program and the
// same workbook imported again: every row goes in. For .xlsx and GBK CSV uploads. Only roles with
// the full view get the rows (a viewer gets the list of problems), and only in the batch's scope.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import ExcelJS from 'exceljs';
import XLSX from 'xlsx';
import { createTestEnv, newUserClient, orgId, testEngine, type Client, type TestEnv } from '../../testing/harness.js';
import { fakeIdNumber } from '../../testing/registration-factory.js';
import { tempPath, writeCsv, writeXlsx } from '../../testing/import-files.js';
import { multipart } from '../../testing/multipart.js';

const TITLE = ['常州市全民参保登记表（三井街道）'];
const HEADER = ['序号', '姓名', '公民身份号码', '户口性质', '常住地址', '联系电话', '个人身份', '调查日期', '企业职工基本养老保险参保状态', '企业职工基本养老保险参保地', '备注'];

describe(`the error workbook (${testEngine()})`, () => {
  let env: TestEnv;
  let clerk: Client;
  let viewer: Client;
  let tnClerk: Client;
  let community: number;
  let seq = 0;
  beforeAll(async () => {
    env = await createTestEnv();
    clerk = await newUserClient(env, 'eb_clerk', 'clerk', '320411');
    viewer = await newUserClient(env, 'eb_viewer', 'viewer', '320411');
    tnClerk = await newUserClient(env, 'eb_tn', 'clerk', '320402');
    community = await orgId(env.ctx, '320411002001');
  });
  afterAll(async () => env?.close());

  const person = (n: number, name: string, id: string, more: Partial<Record<number, string>> = {}) => {
    const r = [String(n), name, id, '21', `三井街道${n}号`, '13912345678', '24', '2016-05-03', '1', '常州', `备注${n}`];
    for (const [k, v] of Object.entries(more)) r[Number(k)] = v!;
    return r;
  };

  async function importOverHttp(file: string, name: string, mode: 'all' | 'valid') {
    const body = multipart(file, name, { orgUnitId: String(community), mode });
    const res = await env.app.inject({ method: 'POST', url: '/api/registrations/imports', headers: { cookie: clerk.cookie, ...body.headers }, payload: body.payload });
    expect(res.statusCode, res.body).toBe(202);
    for (let i = 0; i < 600; i++) {
      const job = (await clerk.request('GET', `/api/registrations/import-jobs/${res.json().jobId}`)).json();
      if (job.status === 'done') return job.report;
      if (job.status === 'failed') throw new Error(job.error.message);
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error('job did not end');
  }

  for (const kind of ['xlsx', 'gbk-csv'] as const) {
    it(`${kind}: the problem rows come back as written, marked, and import after the marked cells are fixed`, async () => {
      const good = [person(1, '王一', fakeIdNumber('320411', '19800101', ++seq)), person(2, '王二', fakeIdNumber('320411', '19800101', ++seq))];
      const dupId = fakeIdNumber('320411', '19800101', ++seq);
      const right = { badCheck: fakeIdNumber('320411', '19800101', ++seq), dup: fakeIdNumber('320411', '19800101', ++seq) };
      const bad = [
        person(3, '李三', `${right.badCheck.slice(0, 17)}${right.badCheck.endsWith('0') ? '1' : '0'}`), // wrong check digit
        person(4, '', fakeIdNumber('320411', '19800101', ++seq)), // no name
        person(5, '赵五', fakeIdNumber('320411', '19800101', ++seq), { 5: '12345', 7: '2016-02-30' }), // bad phone and date
        person(6, '钱六', dupId),
        person(7, '钱七', dupId), // repeats row 6's ID number
      ];
      const rows = [TITLE, HEADER, ...good, ...bad];
      const file = kind === 'xlsx' ? await writeXlsx(rows) : writeCsv(rows, { encoding: 'gbk' });
      const report = await importOverHttp(file, `登记.${kind === 'xlsx' ? 'xlsx' : 'csv'}`, 'valid');
      expect(report).toMatchObject({ committed: true, imported: 3, rejected: 4 });

      const res = await clerk.request('GET', `/api/registrations/imports/${report.batchId}/rejects.xlsx`);
      expect(res.statusCode).toBe(200);
      const book = XLSX.read(res.rawPayload, { cellStyles: true });
      expect(book.SheetNames).toEqual(['问题行（修改后重新导入）', '问题清单']);
      const sheet = book.Sheets[book.SheetNames[0]!]!;
      const aoa = XLSX.utils.sheet_to_json<string[]>(sheet, { header: 1, defval: '', raw: false });
      // Title and header as the user wrote them, then 问题 and 原行号 after their last column.
      expect(aoa[0]![0]).toBe(TITLE[0]);
      expect(aoa[1]).toEqual([...HEADER, '问题', '原行号']);
      const back = aoa.slice(2);
      expect(back.map((r) => r.slice(0, HEADER.length))).toEqual(bad.filter((r) => r[1] !== '钱六')); // 钱六 went in
      expect(back.map((r) => r[HEADER.length + 1])).toEqual(['5', '6', '7', '9']);
      // Each bad cell marked and noted; the 问题 column names them all.
      const at = (r: number, c: number) => sheet[XLSX.utils.encode_cell({ r, c })] as { v?: string; c?: Array<{ t: string }>; s?: { fgColor?: { rgb?: string } } } | undefined;
      const marked = (r: number, c: number) => at(r, c)?.s?.fgColor?.rgb === 'FFC7CE' && (at(r, c)?.c?.[0]?.t ?? '') !== '';
      expect(marked(2, 2)).toBe(true); // 李三's ID number
      expect(at(2, 2)!.c![0]!.t).toContain('校验');
      expect(marked(3, 1)).toBe(true); // the missing name
      expect(marked(4, 5) && marked(4, 7)).toBe(true); // 赵五's phone and date
      expect(marked(5, 2)).toBe(true); // 钱七 repeats the ID number of 钱六 (row 8 of the file, imported)
      expect(back[3]![HEADER.length]).toContain('与第 8 行重复');
      expect(marked(2, 1) || marked(2, 5)).toBe(false); // good cells are not marked

      // Fix the marked cells by program, keep everything else, import the same workbook again.
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
      const ws = wb.worksheets[0]!;
      const fix: Record<string, Record<number, string>> = { '5': { 3: right.badCheck }, '6': { 2: '孙四' }, '7': { 6: '13912345679', 8: '2016-02-28' }, '9': { 3: right.dup } };
      ws.eachRow((row, n) => {
        if (n <= 2) return;
        const original = String(row.getCell(HEADER.length + 2).value);
        for (const [col, v] of Object.entries(fix[original] ?? {})) row.getCell(Number(col)).value = v;
      });
      const fixed = tempPath('fixed.xlsx');
      fs.writeFileSync(fixed, Buffer.from(await wb.xlsx.writeBuffer()));
      const again = await importOverHttp(fixed, '问题行-改正.xlsx', 'all');
      expect(again, JSON.stringify(again.rejects)).toMatchObject({ committed: true, total: 4, imported: 4, rejected: 0 });
      const stored = await env.ctx.db.selectFrom('registration').select(['name', 'id_number', 'phone', 'survey_date', 'remarks']).where('id_number', 'in', [right.badCheck, right.dup]).orderBy('name').execute();
      expect(stored).toEqual([
        { name: '李三', id_number: right.badCheck, phone: '13912345678', survey_date: '2016-05-03', remarks: '备注3' },
        { name: '钱七', id_number: right.dup, phone: '13912345678', survey_date: '2016-05-03', remarks: '备注7' },
      ]);
    });
  }

  it("a viewer gets the list of problems without anyone's ID number; another district gets 404", async () => {
    const id = fakeIdNumber('320411', '19800101', ++seq);
    const report = await importOverHttp(writeCsv([HEADER, person(1, '周一', `${id.slice(0, 17)}${id.endsWith('0') ? '1' : '0'}`)]), 'v.csv', 'valid');
    const res = await viewer.request('GET', `/api/registrations/imports/${report.batchId}/rejects.xlsx`);
    expect(res.statusCode).toBe(200);
    const book = XLSX.read(res.rawPayload);
    expect(book.SheetNames).toEqual(['未导入行']);
    const text = JSON.stringify(XLSX.utils.sheet_to_json(book.Sheets['未导入行']!, { header: 1 }));
    expect(text).not.toContain(id.slice(0, 17));
    expect(text).not.toContain('周一');
    expect((await tnClerk.request('GET', `/api/registrations/imports/${report.batchId}/rejects.xlsx`)).statusCode).toBe(404);
    expect((await tnClerk.request('GET', `/api/registrations/imports/${report.batchId}`)).statusCode).toBe(404);
  });
});
