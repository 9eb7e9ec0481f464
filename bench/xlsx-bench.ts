// .xlsx import benchmark: a generated workbook (exceljs streaming writer, shared strings, ID
// numbers as text) imported by canbao, against a bare exceljs streaming read of the same file
// (the reader canbao itself uses, with the same options) measured in the same run.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { BENCH_HEADER, generateRows } from './generate.js';
import { readRowBatches } from '../src/server/registration/import/reader.js';
import { importFile, msSince, orgUnitId, seededSqlite, withPeakRss, type BenchResult } from './import-bench.js';

export async function writeXlsx(file: string, rows: number, opts: { seed: string; invalidRate: number; region: string; longText?: boolean }): Promise<void> {
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: file, useSharedStrings: true });
  const ws = wb.addWorksheet('登记表');
  ws.addRow(opts.longText ? [...BENCH_HEADER, '备注'] : BENCH_HEADER).commit();
  // Every cell is a string, so the ID numbers are text cells (as a careful clerk's export has them),
  // never numbers rounded to 15 digits.
  let i = 0;
  for (const row of generateRows(rows, opts)) {
    if (opts.longText) {
      // What community workers write: long addresses and notes in Chinese, some with characters
      // outside the BMP, so that multi-byte characters fall on every chunk boundary of the zip.
      const address = row[5]!;
      row[5] = `${address}${LONG_ADDRESS[i % LONG_ADDRESS.length]}`;
      row.push(LONG_NOTE.slice(0, 60 + ((i * 37) % (LONG_NOTE.length - 60))));
    }
    ws.addRow(row).commit();
    i++;
  }
  ws.commit();
  await wb.commit();
}

const LONG_ADDRESS = ['（原新北区三井街道河海东路汇金花园小区北门进第二幢东单元）', '，𠀀𪚥老宅旧址向东约一百米路南侧，门口有石狮一对', '（租住，房东：王阿姨，联系时请先电话预约，周末在家）'];
const LONG_NOTE =
  '入户调查时本人不在家，由其配偶代为填报。户籍在外省农村，已在老家参加城乡居民基本养老保险和城乡居民基本医疗保险，' +
  '本地务工单位未为其缴纳职工社会保险，本人表示愿意在本地参加职工基本养老保险，待单位办理后再行核实。' +
  '另：家中老人𠀀𪚥两人均已领取养老金，子女一人在外地读大学，学籍所在地已参加大学生医保，寒假回家时再补充登记。';

/** Reads the first worksheet with exceljs's streaming reader, touching every row's values; returns the row count. */
export async function bareXlsxRead(file: string): Promise<{ rows: number; cells: number }> {
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(file, { sharedStrings: 'cache', hyperlinks: 'ignore', styles: 'ignore', worksheets: 'emit', entries: 'emit' });
  let rows = 0;
  let cells = 0;
  for await (const sheet of reader) {
    for await (const row of sheet as AsyncIterable<ExcelJS.Row>) {
      rows++;
      cells += (row.values as unknown[]).length;
    }
    break; // the first worksheet only, as canbao reads
  }
  return { rows, cells };
}

/** Reads the file with canbao's own reader alone (zip guard, XML, strings), no validation or writing. */
export async function bareCanbaoRead(file: string): Promise<{ rows: number; cells: number }> {
  let rows = 0;
  let cells = 0;
  for await (const batch of readRowBatches(file)) {
    rows += batch.length;
    for (const r of batch) cells += r.length;
  }
  return { rows, cells };
}

/**
 * A 200,000-row workbook with long Chinese text (addresses and notes of 60–200 characters, some
 * outside the BMP): the import against a bare exceljs streaming read and against canbao's reader
 * alone, with the process's peak RSS.
 */
export async function xlsxLongTextBench(rows = 200_000): Promise<BenchResult[]> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'canbao-bench-xlsx-long-'));
  try {
    const file = path.join(dir, 'long.xlsx');
    await writeXlsx(file, rows, { seed: 'xlsx-long', invalidRate: 0.03, region: '320411', longText: true });
    const t0 = process.hrtime.bigint();
    const bare = await bareXlsxRead(file);
    const bareMs = msSince(t0);
    const t1 = process.hrtime.bigint();
    const own = await bareCanbaoRead(file);
    const ownMs = msSince(t1);
    if (own.rows !== rows + 1 || bare.rows !== rows + 1) throw new Error(`rows read: exceljs ${bare.rows}, canbao ${own.rows}, expected ${rows + 1}`);
    const { ctx, handle, auth } = await seededSqlite(path.join(dir, 'canbao'));
    try {
      const unitId = await orgUnitId(ctx, '320411002001');
      const rssBefore = process.memoryUsage().rss;
      const t2 = process.hrtime.bigint();
      const { result: report, peak } = await withPeakRss(() => importFile(ctx, auth, { path: file, fileName: 'long.xlsx', orgUnitId: unitId, mode: 'valid' }));
      const importMs = msSince(t2);
      const fileMB = Math.round(fs.statSync(file).size / 1024 / 102.4) / 10;
      return [
        {
          name: `import ${rows.toLocaleString('en')}-row .xlsx with long Chinese text`,
          unit: 'ms',
          value: importMs,
          baseline: 'bare exceljs streaming read of the same file',
          baselineValue: bareMs,
          ratio: importMs / bareMs,
          extra: { imported: report.imported, rejected: report.rejected, fileMB, canbaoReaderAloneMs: Math.round(ownMs), ratioToOwnReader: Math.round((importMs / ownMs) * 100) / 100, peakRssMB: Math.round(peak / 1048576), rssBeforeMB: Math.round(rssBefore / 1048576) },
        },
      ];
    } finally {
      await handle.destroy();
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

export async function xlsxBench(rows = 100_000): Promise<BenchResult[]> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'canbao-bench-xlsx-'));
  try {
    const file = path.join(dir, 'registrations.xlsx');
    const tw = process.hrtime.bigint();
    await writeXlsx(file, rows, { seed: 'xlsx', invalidRate: 0.03, region: '320411' });
    const writeMs = msSince(tw);

    // Baseline: the bare streaming read.
    const t0 = process.hrtime.bigint();
    const read = await bareXlsxRead(file);
    const readMs = msSince(t0);
    if (read.rows !== rows + 1) throw new Error(`bare read saw ${read.rows} rows, expected ${rows + 1}`);

    // canbao: fresh seeded database, import into one community.
    const { ctx, handle, auth } = await seededSqlite(path.join(dir, 'canbao'));
    try {
      const unitId = await orgUnitId(ctx, '320411002001');
      const t1 = process.hrtime.bigint();
      const report = await importFile(ctx, auth, { path: file, fileName: 'bench.xlsx', orgUnitId: unitId, mode: 'valid' });
      const importMs = msSince(t1);
      return [
        {
          name: `import ${rows.toLocaleString('en')}-row .xlsx (validation, duplicates, one transaction)`,
          unit: 'ms',
          value: importMs,
          baseline: 'bare exceljs streaming read of the same file',
          baselineValue: readMs,
          ratio: importMs / readMs,
          extra: { imported: report.imported, rejected: report.rejected, fileMB: Math.round(fs.statSync(file).size / 1024 / 102.4) / 10, writeMs: Math.round(writeMs) },
        },
      ];
    } finally {
      await handle.destroy();
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
