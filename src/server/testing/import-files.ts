// Builds import files for tests: CSV in UTF-8 or GBK, with an optional title row, and .xlsx.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import iconv from 'iconv-lite';
import ExcelJS from 'exceljs';

export function tempPath(name: string): string {
  return path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'canbao-import-')), name);
}

function csvCell(v: string): string {
  return /[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
}

export function writeCsv(rows: string[][], opts: { encoding?: 'utf8' | 'utf8bom' | 'gbk'; name?: string } = {}): string {
  const text = rows.map((r) => r.map(csvCell).join(',')).join('\r\n') + '\r\n';
  const file = tempPath(opts.name ?? 'import.csv');
  const enc = opts.encoding ?? 'utf8';
  const buf = enc === 'gbk' ? iconv.encode(text, 'gbk') : Buffer.from((enc === 'utf8bom' ? '\ufeff' : '') + text, 'utf8');
  fs.writeFileSync(file, buf);
  return file;
}

/** An .xlsx whose cells are written as given: numbers stay numbers (as Excel stores typed IDs). */
export async function writeXlsx(rows: Array<Array<string | number | Date | null>>, name = 'import.xlsx'): Promise<string> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('登记表');
  for (const r of rows) ws.addRow(r);
  const file = tempPath(name);
  await wb.xlsx.writeFile(file);
  return file;
}
