// Hostile and malformed upload files (issue 13 items 1, 9, 17 and the zip guard): whatever the
// file, the job ends with a Chinese refusal (never INTERNAL), nothing is written, and the server
// keeps answering. An .xlsx without r= references is read cell by cell as it stands.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import { randomBytes } from 'node:crypto';
import JSZip from 'jszip';
import { createTestEnv, newUserClient, orgId, testEngine, type Client, type TestEnv } from '../../testing/harness.js';
import { fakeIdNumber } from '../../testing/registration-factory.js';
import { deflatedRepeat, tempPath, workbookParts, writeCsv, writeXlsx, writeZip, zipBytes } from '../../testing/import-files.js';
import { multipart } from '../../testing/multipart.js';
import { readRowBatches } from './reader.js';

const HEADER = ['姓名', '身份证号', '户口性质', '常住地址', '联系电话', '个人身份', '调查日期', '企业职工基本养老保险参保状态', '企业职工基本养老保险参保地'];
const row = (name: string, id: string, address = '三井街道河海东路1号') => [name, id, '本地农业', address, '13912345678', '工人', '2016-05-03', '正常参保', '常州市'];
const CHINESE = /[\u4e00-\u9fff]/;

/** A file of one line of `bytes` bytes, no line break anywhere. */
function singleLineCsv(bytes: number): string {
  const file = tempPath('one-line.csv');
  fs.writeFileSync(file, Buffer.alloc(bytes, 'a,'));
  return file;
}

/** An .xlsx whose sheet inflates to ~300 MB while its directory declares 4,000 bytes. */
function lyingXlsx(): string {
  const body = deflatedRepeat('<worksheet><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>', Buffer.alloc(1 << 20, 'A'), 300, '</t></is></c></row></sheetData></worksheet>');
  return writeZip(workbookParts({ name: 'sheet', data: '', body, declaredSize: 4000 }), 'lying.xlsx');
}

const sheetXml = (rows: string) => `<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>${rows}</sheetData></worksheet>`;
/** A DOCTYPE after a 24 KB comment (of random text, so that the part does not compress suspiciously well). */
const lateDoctype = (root: string) => `<?xml version="1.0"?><!--${randomBytes(18 * 1024).toString('base64')}--><!DOCTYPE ${root} [<!ENTITY e "e">]><${root}/>`;

describe(`hostile and malformed import files (${testEngine()})`, () => {
  let env: TestEnv;
  let clerk: Client;
  let community: number;

  beforeAll(async () => {
    env = await createTestEnv();
    clerk = await newUserClient(env, 'hostile_clerk', 'clerk', '320411');
    community = await orgId(env.ctx, '320411002001');
  });
  afterAll(async () => env?.close());

  const written = async () => {
    const r = await env.ctx.db.selectFrom('registration').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    // A refused or failed import leaves a batch that says so (status failed), never a 'done' one.
    const b = await env.ctx.db.selectFrom('import_batch').select((eb) => eb.fn.countAll<number>().as('n')).where('status', '=', 'done').executeTakeFirstOrThrow();
    return [Number(r.n), Number(b.n)];
  };

  /** Uploads a file and answers how it ended: the upload's refusal or the job's outcome. */
  async function importOverHttp(file: string | Buffer, name: string, mode: 'all' | 'valid') {
    const body = multipart(file, name, { orgUnitId: String(community), mode });
    const res = await env.app.inject({ method: 'POST', url: '/api/registrations/imports', headers: { cookie: clerk.cookie, ...body.headers }, payload: body.payload });
    if (res.statusCode !== 202) return { status: res.statusCode, ...(res.json().error as { code: string; message: string }), job: null };
    for (;;) {
      const job = (await clerk.request('GET', `/api/registrations/import-jobs/${res.json().jobId}`)).json();
      if (job.status === 'done') return { status: 200, code: 'OK', message: '', job };
      if (job.status === 'failed') return { status: 202, ...(job.error as { code: string; message: string }), job };
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  /** The server still answers, and still writes: a small valid file imports. */
  async function serverStillWrites(seq: number) {
    const id = fakeIdNumber('320411', '19900101', seq);
    const ok = await importOverHttp(writeCsv([HEADER, row(`仍可导入${'甲乙丙丁'[seq]}`, id)]), 'ok.csv', 'all');
    expect(ok).toMatchObject({ status: 200, job: { report: { imported: 1 } } });
  }

  it('a 40 MB single-line CSV ends its job failed with a Chinese message, nothing written, and the server goes on', async () => {
    const file = singleLineCsv(40 * 1024 * 1024);
    for (const mode of ['all', 'valid'] as const) {
      const before = await written();
      const out = await importOverHttp(file, 'one-line.csv', mode);
      expect(out.code).not.toBe('INTERNAL');
      expect(out.message).toMatch(CHINESE);
      expect(out.status === 202 || out.status === 413).toBe(true);
      expect(await written()).toEqual(before);
    }
    expect(fs.readdirSync(`${env.config.dataDir}/uploads`)).toEqual([]);
    await serverStillWrites(1);
  });

  it('an .xlsx whose zip directory understates its inflated size is cut off while inflating: refused, nothing written, the server goes on', async () => {
    const file = lyingXlsx();
    expect(fs.statSync(file).size).toBeLessThan(1024 * 1024);
    for (const mode of ['all', 'valid'] as const) {
      const before = await written();
      const out = await importOverHttp(file, 'lying.xlsx', mode);
      expect(out).toMatchObject({ status: 202, code: 'INVALID_INPUT', message: expect.stringContaining('实际大小与其目录记录不符') });
      expect(await written()).toEqual(before);
    }
    await serverStillWrites(2);
  });

  it('every malformed file gets a clear Chinese refusal, never INTERNAL, and nothing is written', async () => {
    const good = fs.readFileSync(await writeXlsx([HEADER, row('好表', fakeIdNumber('320411', '19900101', 9))]));
    const sheetStart = good.indexOf('xl/worksheets/sheet1.xml') + 'xl/worksheets/sheet1.xml'.length;
    const brokenDeflate = Buffer.from(good);
    brokenDeflate.fill(0xff, sheetStart, sheetStart + 64); // the sheet's data starts right after its name in its local header
    const sheetOf = (rows: string, sharedStrings?: string) => workbookParts({ name: 'sheet', data: sheetXml(rows), deflate: true }, sharedStrings);
    const cases: Array<{ what: string; name: string; bytes: Buffer; message: RegExp }> = [
      { what: 'an empty file', name: 'empty.csv', bytes: Buffer.alloc(0), message: /文件为空/ },
      { what: 'binary garbage named .csv', name: 'garbage.csv', bytes: Buffer.concat([randomBytes(4096), Buffer.alloc(4, 0)]), message: /文件类型不支持/ },
      { what: 'text that is no spreadsheet, named .xlsx', name: 'notzip.xlsx', bytes: Buffer.from('这不是表格\n只是文字\n'), message: /表头/ },
      { what: 'an .xlsx cut in half', name: 'half.xlsx', bytes: good.subarray(0, good.length >> 1), message: /文件已损坏/ },
      { what: 'an .xlsx missing its last bytes', name: 'tail.xlsx', bytes: good.subarray(0, good.length - 5), message: /文件已损坏/ },
      { what: 'an .xlsx whose compressed data is damaged', name: 'damaged.xlsx', bytes: brokenDeflate, message: /文件已损坏|文件格式有误/ },
      { what: 'a zip without a workbook (e.g. another Office file)', name: 'doc.xlsx', bytes: zipBytes([{ name: 'word/document.xml', data: '<document/>' }]), message: /找不到工作簿/ },
      { what: 'a ZIP64 archive', name: 'zip64.xlsx', bytes: zipBytes(sheetOf('<row><c t="inlineStr"><is><t>x</t></is></c></row>'), { zip64: true }), message: /ZIP64/ },
      { what: 'a sheet that is not XML', name: 'notxml.xlsx', bytes: zipBytes(workbookParts({ name: 'sheet', data: '<worksheet><sheetData><row><c>' })), message: /文件格式有误/ },
      { what: 'a shared string that does not exist', name: 'sst.xlsx', bytes: zipBytes(sheetOf('<row><c t="s"><v>5</v></c></row>', '<sst><si><t>一</t></si></sst>')), message: /共享字符串/ },
      { what: 'a cell of 5 MB', name: 'bigcell.xlsx', bytes: zipBytes(sheetOf(`<row><c t="inlineStr"><is><t>${randomBytes(3_800_000).toString('base64')}</t></is></c></row>`)), message: /超过 4 MB/ },
      { what: 'a CSV line of 3 MB without a line break', name: 'long.csv', bytes: Buffer.alloc(3 * 1024 * 1024, '甲,'), message: /万个字符/ },
      { what: 'rows out of order', name: 'order.xlsx', bytes: zipBytes(sheetOf('<row r="3"/><row r="2"/>')), message: /行号/ },
      { what: 'a DOCTYPE after a 24 KB comment in the sheet', name: 'dt1.xlsx', bytes: zipBytes(workbookParts({ name: 'sheet', data: lateDoctype('worksheet'), deflate: true })), message: /DOCTYPE/ },
      { what: 'a DOCTYPE in the shared strings', name: 'dt2.xlsx', bytes: zipBytes(sheetOf('', lateDoctype('sst'))), message: /DOCTYPE/ },
      { what: 'a DOCTYPE in the workbook', name: 'dt3.xlsx', bytes: zipBytes(sheetOf('').map((p) => (p.name === 'xl/workbook.xml' ? { ...p, data: lateDoctype('workbook') } : p))), message: /DOCTYPE/ },
    ];
    for (const c of cases) {
      const before = await written();
      const out = await importOverHttp(c.bytes, c.name, 'valid');
      expect({ what: c.what, code: out.code, message: out.message }).toEqual({ what: c.what, code: 'INVALID_INPUT', message: expect.stringMatching(c.message) });
      expect(out.message, c.what).toMatch(CHINESE);
      expect(await written(), c.what).toEqual(before);
    }
    expect(fs.readdirSync(`${env.config.dataDir}/uploads`)).toEqual([]);
  }, 180_000);

  it('an .xlsx without r= references (cells one after another, rows after the previous one) is imported with every value unchanged', async () => {
    const ids = [fakeIdNumber('320411', '19910101', 1), fakeIdNumber('320411', '19910101', 2), fakeIdNumber('320411', '19910101', 3)];
    const rows = [HEADER, row('无引用甲', ids[0]!, '三井街道A&B号<1>'), row('无引用乙', ids[1]!, '河海东路"2"号'), row('无引用丙', ids[2]!, '华山路3号')];
    // Shared strings for the header and every odd cell, inline strings (one as rich text) for the others.
    const shared: string[] = [];
    const esc = (v: string) => v.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
    const cell = (v: string, r: number, c: number) => {
      if (r === 0 || c % 2 === 1) return `<c t="s"><v>${shared.push(v) - 1}</v></c>`;
      if (c === 0) return `<c t="inlineStr"><is><r><t>${esc(v.slice(0, 1))}</t></r><r><rPr><b/></rPr><t>${esc(v.slice(1))}</t></r></is></c>`;
      return `<c t="inlineStr"><is><t>${esc(v)}</t></is></c>`;
    };
    const xml = sheetXml(rows.map((r, i) => `<row>${r.map((v, c) => cell(v, i, c)).join('')}</row>`).join(''));
    const sst = `<?xml version="1.0"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">${shared.map((s) => `<si><t>${esc(s)}</t><rPh sb="0" eb="1"><t>ピンイン</t></rPh></si>`).join('')}</sst>`;
    for (const streamFiles of [false, true]) {
      const zip = new JSZip();
      for (const p of workbookParts({ name: 'sheet', data: xml }, sst)) zip.file(p.name, p.data);
      const file = tempPath(`no-refs-${streamFiles}.xlsx`);
      fs.writeFileSync(file, await zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE', streamFiles }));
      // The reader gives back the sheet cell by cell.
      const read: string[][] = [];
      for await (const batch of readRowBatches(file)) read.push(...batch);
      expect(read).toEqual(rows);
      if (streamFiles) continue;
      const out = await importOverHttp(fs.readFileSync(file), 'no-refs.xlsx', 'all');
      expect(out).toMatchObject({ status: 200, job: { report: { imported: 3, rejected: 0 } } });
      const stored = await env.ctx.db.selectFrom('registration').select(['name', 'id_number', 'residence_address', 'phone']).where('import_batch_id', '=', out.job.report.batchId).orderBy('name').execute();
      expect(stored.map((s) => [s.name, s.id_number, s.residence_address, s.phone]).sort()).toEqual(rows.slice(1).map((r) => [r[0], r[1], r[3], r[4]]).sort());
    }
  });
});
