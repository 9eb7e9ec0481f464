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

export type ZipPart = {
  name: string;
  data: string | Buffer;
  deflate?: boolean;
  /** Already deflated (raw) bytes to store as the entry's data instead of `data` (method 8). */
  body?: Buffer;
  /** The inflated size written in the headers, when it should lie. */
  declaredSize?: number;
};

/**
 * A minimal zip writer for hostile-file tests: stored or deflated entries, sizes that lie, and
 * with `zip64` the ZIP64 end records and entries whose sizes point to a ZIP64 extra field.
 */
export function zipBytes(entries: ZipPart[], opts: { zip64?: boolean } = {}): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const e of entries) {
    const raw = typeof e.data === 'string' ? Buffer.from(e.data, 'utf8') : e.data;
    const deflated = e.body !== undefined || e.deflate;
    const body = e.body ?? (e.deflate ? zlib.deflateRawSync(raw) : raw);
    const size = e.declaredSize ?? raw.length;
    const fileName = Buffer.from(e.name, 'utf8');
    const crc = zlib.crc32(raw);
    // ZIP64: the 32-bit sizes say 0xFFFFFFFF and the real ones stand in an extra field.
    const extra = opts.zip64 ? Buffer.alloc(20) : Buffer.alloc(0);
    if (opts.zip64) {
      extra.writeUInt16LE(0x0001, 0);
      extra.writeUInt16LE(16, 2);
      extra.writeBigUInt64LE(BigInt(size), 4);
      extra.writeBigUInt64LE(BigInt(body.length), 12);
    }
    const size32 = opts.zip64 ? 0xffffffff : size;
    const body32 = opts.zip64 ? 0xffffffff : body.length;
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(opts.zip64 ? 45 : 20, 4);
    local.writeUInt16LE(deflated ? 8 : 0, 8);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(body32, 18);
    local.writeUInt32LE(size32, 22);
    local.writeUInt16LE(fileName.length, 26);
    local.writeUInt16LE(extra.length, 28);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(opts.zip64 ? 45 : 20, 4);
    central.writeUInt16LE(opts.zip64 ? 45 : 20, 6);
    central.writeUInt16LE(deflated ? 8 : 0, 10);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(body32, 20);
    central.writeUInt32LE(size32, 24);
    central.writeUInt16LE(fileName.length, 28);
    central.writeUInt16LE(extra.length, 30);
    central.writeUInt32LE(offset, 42);
    locals.push(local, fileName, extra, body);
    centrals.push(central, fileName, extra);
    offset += local.length + fileName.length + extra.length + body.length;
  }
  const dir = Buffer.concat(centrals);
  const tail: Buffer[] = [];
  if (opts.zip64) {
    const rec = Buffer.alloc(56);
    rec.writeUInt32LE(0x06064b50, 0);
    rec.writeBigUInt64LE(44n, 4);
    rec.writeUInt16LE(45, 12);
    rec.writeUInt16LE(45, 14);
    rec.writeBigUInt64LE(BigInt(entries.length), 24);
    rec.writeBigUInt64LE(BigInt(entries.length), 32);
    rec.writeBigUInt64LE(BigInt(dir.length), 40);
    rec.writeBigUInt64LE(BigInt(offset), 48);
    const locator = Buffer.alloc(20);
    locator.writeUInt32LE(0x07064b50, 0);
    locator.writeBigUInt64LE(BigInt(offset + dir.length), 8);
    locator.writeUInt32LE(1, 16);
    tail.push(rec, locator);
  }
  const eocd = Buffer.alloc(22);
  eocd.writeUInt32LE(0x06054b50, 0);
  eocd.writeUInt16LE(entries.length, 8);
  eocd.writeUInt16LE(entries.length, 10);
  eocd.writeUInt32LE(dir.length, 12);
  eocd.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, dir, ...tail, eocd]);
}

export function writeZip(entries: ZipPart[], name = 'crafted.xlsx', opts: { zip64?: boolean } = {}): string {
  const file = tempPath(name);
  fs.writeFileSync(file, zipBytes(entries, opts));
  return file;
}

/** The parts of a minimal workbook around one sheet's XML (and optionally shared strings). */
export function workbookParts(sheet: ZipPart, sharedStrings?: string): ZipPart[] {
  const ns = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';
  const parts: ZipPart[] = [
    { name: '[Content_Types].xml', data: '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/></Types>' },
    { name: '_rels/.rels', data: `<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="${ns}/officeDocument" Target="xl/workbook.xml"/></Relationships>` },
    { name: 'xl/workbook.xml', data: `<?xml version="1.0"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="${ns}"><sheets><sheet name="登记表" sheetId="1" r:id="rId1"/></sheets></workbook>` },
    {
      name: 'xl/_rels/workbook.xml.rels',
      data: `<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="${ns}/worksheet" Target="worksheets/sheet1.xml"/>${sharedStrings === undefined ? '' : `<Relationship Id="rId2" Type="${ns}/sharedStrings" Target="sharedStrings.xml"/>`}</Relationships>`,
    },
    { ...sheet, name: 'xl/worksheets/sheet1.xml' },
  ];
  if (sharedStrings !== undefined) parts.push({ name: 'xl/sharedStrings.xml', data: sharedStrings, deflate: true });
  return parts;
}

/**
 * Raw deflate data of `head`, then `repeat` times `filler`, then `tail`, built block by block
 * (flushed blocks concatenate), so that a small file inflates to far more than it declares.
 */
export function deflatedRepeat(head: string, filler: Buffer, repeat: number, tail: string): Buffer {
  const flush = { finishFlush: zlib.constants.Z_FULL_FLUSH };
  const block = zlib.deflateRawSync(filler, flush);
  return Buffer.concat([zlib.deflateRawSync(Buffer.from(head), flush), ...Array.from({ length: repeat }, () => block), zlib.deflateRawSync(Buffer.from(tail))]);
}
