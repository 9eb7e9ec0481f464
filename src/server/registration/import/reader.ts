// Reads an uploaded spreadsheet as rows of strings, streaming: .csv in UTF-8 (with or without BOM)
// or GB18030/GBK (what Excel on Chinese Windows writes), and .xlsx (first worksheet). The type is
// decided by the content, never by the name; an .xlsx is opened only after its zip directory says
// the inflated size is sane (zip bombs).
import fs from 'node:fs';
import zlib from 'node:zlib';
import { csvRowBatches } from './csv.js';
import type ExcelJS from 'exceljs';
import { normaliseCell } from '../../../domain/import-cells.js';
import { AppError, invalidInput } from '../../errors.js';

export type ReadLimits = { maxBytes: number; maxRows: number; maxColumns: number; maxInflatedBytes: number; maxRatio: number };

export const DEFAULT_LIMITS: ReadLimits = {
  maxBytes: 200 * 1024 * 1024,
  maxRows: 2_000_000,
  maxColumns: 200,
  maxInflatedBytes: 1024 * 1024 * 1024,
  maxRatio: 200,
};

export type FileKind = 'csv' | 'xlsx';

async function head(path: string, bytes: number): Promise<Buffer> {
  const fh = await fs.promises.open(path, 'r');
  try {
    const buf = Buffer.alloc(bytes);
    const { bytesRead } = await fh.read(buf, 0, bytes, 0);
    return buf.subarray(0, bytesRead);
  } finally {
    await fh.close();
  }
}

/** 'csv' | 'xlsx' by the first bytes; anything else (old .xls, PDF, images, binaries) is refused. */
export async function detectKind(path: string): Promise<FileKind> {
  const h = await head(path, 4096);
  if (h.length >= 4 && h.readUInt32LE(0) === 0x04034b50) return 'xlsx';
  if (h.length >= 8 && h.subarray(0, 8).equals(Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]))) {
    throw invalidInput('不支持旧版 Excel 97-2003（.xls）文件，请在 Excel 中“另存为” .xlsx 或 CSV 后再导入');
  }
  if (h.includes(0)) throw invalidInput('文件类型不支持：请上传 .xlsx 或 .csv 文件');
  return 'csv';
}

/** UTF-8 if the text decodes as UTF-8 (BOM or not), else GB18030 (a superset of GBK). */
export async function detectEncoding(path: string): Promise<'utf8' | 'gb18030'> {
  const h = await head(path, 256 * 1024);
  if (h.length >= 3 && h[0] === 0xef && h[1] === 0xbb && h[2] === 0xbf) return 'utf8';
  // Cut back to a character boundary before checking.
  let end = h.length;
  for (let i = 0; i < 3 && end > 0 && (h[end - 1]! & 0xc0) === 0x80; i++) end--;
  if (end > 0 && h[end - 1]! >= 0xc0) end--;
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(h.subarray(0, end));
    return 'utf8';
  } catch {
    return 'gb18030';
  }
}

/** Reads the zip's central directory and refuses archives that inflate beyond the limits. */
export async function checkZip(path: string, limits: ReadLimits): Promise<void> {
  const size = (await fs.promises.stat(path)).size;
  const tailLen = Math.min(size, 66_000);
  const fh = await fs.promises.open(path, 'r');
  try {
    const tail = Buffer.alloc(tailLen);
    await fh.read(tail, 0, tailLen, size - tailLen);
    const eocd = tail.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
    if (eocd < 0) throw invalidInput('文件已损坏：不是有效的 .xlsx 文件');
    const entries = tail.readUInt16LE(eocd + 10);
    const dirSize = tail.readUInt32LE(eocd + 12);
    const dirOffset = tail.readUInt32LE(eocd + 16);
    if (entries === 0xffff || dirOffset === 0xffffffff) throw invalidInput('文件过大或格式不支持（ZIP64）');
    if (entries > 10_000 || dirOffset + dirSize > size) throw invalidInput('文件已损坏：不是有效的 .xlsx 文件');
    const dir = Buffer.alloc(dirSize);
    await fh.read(dir, 0, dirSize, dirOffset);
    let p = 0;
    let inflated = 0;
    const xmlParts: Array<{ method: number; compressed: number; offset: number }> = [];
    for (let i = 0; i < entries; i++) {
      if (dir.readUInt32LE(p) !== 0x02014b50) throw invalidInput('文件已损坏：不是有效的 .xlsx 文件');
      const method = dir.readUInt16LE(p + 10);
      const compressed = dir.readUInt32LE(p + 20);
      const uncompressed = dir.readUInt32LE(p + 24);
      if (uncompressed > 0 && compressed > 0 && uncompressed / compressed > limits.maxRatio) {
        throw invalidInput('文件压缩比异常，疑似恶意文件，已拒绝');
      }
      inflated += uncompressed;
      const nameLen = dir.readUInt16LE(p + 28);
      const name = dir.subarray(p + 46, p + 46 + nameLen).toString('utf8');
      if (/\.(xml|rels)$/i.test(name)) xmlParts.push({ method, compressed, offset: dir.readUInt32LE(p + 42) });
      p += 46 + nameLen + dir.readUInt16LE(p + 30) + dir.readUInt16LE(p + 32);
    }
    if (inflated > limits.maxInflatedBytes) throw invalidInput('文件解压后过大，请拆分后分批导入');
    // XML with a DOCTYPE is refused (entity expansion, external entities): it can only stand in the
    // prolog, so the first few KB of each part tell.
    for (const part of xmlParts) {
      const local = Buffer.alloc(30);
      await fh.read(local, 0, 30, part.offset);
      if (local.readUInt32LE(0) !== 0x04034b50) throw invalidInput('文件已损坏：不是有效的 .xlsx 文件');
      const dataStart = part.offset + 30 + local.readUInt16LE(26) + local.readUInt16LE(28);
      const head = Buffer.alloc(Math.min(part.compressed, 16 * 1024));
      await fh.read(head, 0, head.length, dataStart);
      const text = (part.method === 0 ? head : zlib.inflateRawSync(head, { finishFlush: zlib.constants.Z_SYNC_FLUSH })).subarray(0, 8192).toString('utf8');
      if (/<!DOCTYPE/i.test(text)) throw invalidInput('文件包含不允许的 XML 声明（DOCTYPE），疑似恶意文件，已拒绝');
    }
  } finally {
    await fh.close();
  }
}

function capColumns(row: string[], limits: ReadLimits): string[] {
  if (row.length > limits.maxColumns) {
    // Trailing empty cells are common in spreadsheets; real content beyond the cap is not.
    const trimmed = row.slice(0, limits.maxColumns);
    if (row.slice(limits.maxColumns).some((c) => c.trim() !== '')) {
      throw invalidInput(`列数超过上限 ${limits.maxColumns} 列`);
    }
    return trimmed;
  }
  return row;
}

async function* xlsxRows(path: string, limits: ReadLimits): AsyncGenerator<string[]> {
  await checkZip(path, limits);
  // Loaded on first use: exceljs is large, and most imports are CSV.
  const { default: Excel } = await import('exceljs');
  const reader = new Excel.stream.xlsx.WorkbookReader(path, { sharedStrings: 'cache', hyperlinks: 'ignore', styles: 'ignore', worksheets: 'emit', entries: 'emit' });
  for await (const sheet of reader) {
    let expected = 1;
    for await (const row of sheet as AsyncIterable<ExcelJS.Row>) {
      // Keep row numbers true to the file: blank rows in between become empty rows.
      for (; expected < row.number; expected++) yield [];
      expected = row.number + 1;
      const values = (row.values as unknown[]).slice(1);
      yield capColumns(values.map(normaliseCell), limits);
    }
    return; // the first worksheet only
  }
}

/**
 * Rows of the file in order (row 1 is the file's first line/row), as strings, in batches. Refuses
 * empty, oversized and unknown files, and files over the row or column limits.
 */
export async function* readRowBatches(path: string, limits: ReadLimits = DEFAULT_LIMITS): AsyncGenerator<string[][]> {
  const size = (await fs.promises.stat(path)).size;
  if (size === 0) throw invalidInput('文件为空');
  if (size > limits.maxBytes) throw new AppError(413, 'PAYLOAD_TOO_LARGE', `文件超过 ${Math.round(limits.maxBytes / 1024 / 1024)} MB 上限，请拆分后分批导入`);
  const kind = await detectKind(path);
  let n = 0;
  const source = kind === 'xlsx' ? batched(xlsxRows(path, limits), 1000) : csvRowBatches(path, await detectEncoding(path));
  for await (const batch of source) {
    n += batch.length;
    if (n > limits.maxRows + 20) throw invalidInput(`行数超过上限 ${limits.maxRows} 行，请拆分后分批导入`);
    for (let i = 0; i < batch.length; i++) if (batch[i]!.length > limits.maxColumns) batch[i] = capColumns(batch[i]!, limits);
    yield batch;
  }
}

async function* batched<T>(items: AsyncIterable<T>, size: number): AsyncGenerator<T[]> {
  let batch: T[] = [];
  for await (const item of items) {
    batch.push(item);
    if (batch.length >= size) {
      yield batch;
      batch = [];
    }
  }
  if (batch.length) yield batch;
}
