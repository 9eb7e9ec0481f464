// Builds import files for tests: CSV in UTF-8 or GBK, with an optional title row, and .xlsx.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
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

/** A minimal zip writer for hostile-file tests (stored or deflated entries). */
export function writeZip(entries: Array<{ name: string; data: string; deflate?: boolean }>, name = 'crafted.xlsx'): string {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const e of entries) {
    const raw = Buffer.from(e.data, 'utf8');
    const body = e.deflate ? zlib.deflateRawSync(raw) : raw;
    const fileName = Buffer.from(e.name, 'utf8');
    const crc = zlib.crc32(raw);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(e.deflate ? 8 : 0, 8);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(body.length, 18);
    local.writeUInt32LE(raw.length, 22);
    local.writeUInt16LE(fileName.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(e.deflate ? 8 : 0, 10);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(body.length, 20);
    central.writeUInt32LE(raw.length, 24);
    central.writeUInt16LE(fileName.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, fileName, body);
    centrals.push(central, fileName);
    offset += local.length + fileName.length + body.length;
  }
  const dir = Buffer.concat(centrals);
  const eocd = Buffer.alloc(22);
  eocd.writeUInt32LE(0x06054b50, 0);
  eocd.writeUInt16LE(entries.length, 8);
  eocd.writeUInt16LE(entries.length, 10);
  eocd.writeUInt32LE(dir.length, 12);
  eocd.writeUInt32LE(offset, 16);
  const file = tempPath(name);
  fs.writeFileSync(file, Buffer.concat([...locals, dir, eocd]));
  return file;
}
