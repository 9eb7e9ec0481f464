// Reads an uploaded spreadsheet as rows of strings, streaming: .csv in UTF-8 (with or without BOM)
// or GB18030/GBK (what Excel on Chinese Windows writes), and .xlsx (the sheet with the header, xlsx.ts). The
// type is decided by the content, never by the name; an .xlsx is opened only after its zip
// directory passes the checks of zip-guard.ts, and inflated with the real sizes counted.
import fs from 'node:fs';
import { csvRowBatches } from './csv.js';
import { xlsxRowBatches, type SheetChoice } from './xlsx.js';
import { AppError, invalidInput } from '../../errors.js';

export type ReadLimits = {
  maxBytes: number;
  maxRows: number;
  maxColumns: number;
  /** A CSV row longer than this (characters) is refused. */
  maxRowChars: number;
  /** An .xlsx: the sum of the zip's inflated sizes, and one entry's inflated/compressed ratio. */
  maxInflatedBytes: number;
  maxRatio: number;
};

export const DEFAULT_LIMITS: ReadLimits = {
  maxBytes: 200 * 1024 * 1024,
  maxRows: 2_000_000,
  maxColumns: 200,
  maxRowChars: 1_000_000,
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

/**
 * Rows of the file in order (row 1 is the file's first line/row), as strings, in batches. Refuses
 * empty, oversized and unknown files, and files over the row or column limits. `onBytes` is told,
 * before each batch, how far into the file (a CSV) or its worksheet (an .xlsx) its rows reach.
 */
export async function* readRowBatches(path: string, limits: ReadLimits = DEFAULT_LIMITS, opts: { sheet?: string; onSheet?: (choice: SheetChoice) => void; onBytes?: (read: number, size: number) => void } = {}): AsyncGenerator<string[][]> {
  const size = (await fs.promises.stat(path)).size;
  if (size === 0) throw invalidInput('文件为空');
  if (size > limits.maxBytes) throw new AppError(413, 'PAYLOAD_TOO_LARGE', `文件超过 ${Math.round(limits.maxBytes / 1024 / 1024)} MB 上限，请拆分后分批导入`);
  const kind = await detectKind(path);
  let n = 0;
  const source = kind === 'xlsx' ? xlsxRowBatches(path, limits, opts) : csvRowBatches(path, await detectEncoding(path), limits.maxRowChars, opts.onBytes);
  for await (const batch of source) {
    n += batch.length;
    if (n > limits.maxRows + 20) throw invalidInput(`行数超过上限 ${limits.maxRows} 行，请拆分后分批导入`);
    for (let i = 0; i < batch.length; i++) if (batch[i]!.length > limits.maxColumns) batch[i] = capColumns(batch[i]!, limits);
    yield batch;
  }
}
