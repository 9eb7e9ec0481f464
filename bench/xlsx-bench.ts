// .xlsx import benchmark: a generated workbook (exceljs streaming writer, shared strings, ID
// numbers as text) imported by canbao, against a bare exceljs streaming read of the same file
// (the reader canbao itself uses, with the same options) measured in the same run.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { BENCH_HEADER, generateRows } from './generate.js';
import { importFile, msSince, orgUnitId, seededSqlite, type BenchResult } from './import-bench.js';

export async function writeXlsx(file: string, rows: number, opts: { seed: string; invalidRate: number; region: string }): Promise<void> {
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: file, useSharedStrings: true });
  const ws = wb.addWorksheet('登记表');
  ws.addRow(BENCH_HEADER).commit();
  // Every cell is a string, so the ID numbers are text cells (as a careful clerk's export has them),
  // never numbers rounded to 15 digits.
  for (const row of generateRows(rows, opts)) ws.addRow(row).commit();
  ws.commit();
  await wb.commit();
}

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
