// Reads the worksheet of an .xlsx that holds the registration table (the first whose first rows
// hold the header, or the one named) as rows of strings, streaming, from a checked zip
// (zip-guard.ts: real inflated sizes counted, DOCTYPE refused anywhere in a part). The shared
// strings are read first by the zip's directory, so nothing is unpacked to a temporary file
// whatever order the parts are stored in. Cells and rows without an `r=` reference (some producers
// omit them) take the place after the previous one. Values become strings as normaliseCell says:
// numbers (dates are serial numbers: styles are not read) stay numbers, booleans 是/否.
import { SaxesParser, type SaxesTagPlain } from 'saxes';
import { normaliseCell } from '../../../domain/import-cells.js';
import { findHeader } from '../../../domain/import-headers.js';
import { AppError, invalidInput } from '../../errors.js';
import { ZipArchive } from '../../zip-guard.js';

export type XlsxLimits = { maxColumns: number; maxInflatedBytes: number; maxRatio: number };

/** Excel's last column (XFD) and row. */
const MAX_COLUMN = 16_384;
const MAX_ROW = 1_048_576;
const BATCH_ROWS = 1000;
/** Bytes between two tags: an Excel cell holds at most 32,767 characters (~96 KB in UTF-8). */
const MAX_TOKEN_BYTES = 4 * 1024 * 1024;
/** The shared strings kept in the parse worker's memory (characters over all strings). */
const MAX_SHARED_CHARS = 48 * 1024 * 1024;

const malformed = (what: string) => invalidInput(`文件格式有误：${what}，请用 Excel 打开后重新保存再导入`);

const localName = (name: string): string => {
  const i = name.indexOf(':');
  return i < 0 ? name : name.slice(i + 1);
};

/** A part parsed by saxes as it is inflated; after each chunk `flush` may hand results on. */
async function* parsePart(zip: ZipArchive, name: string, on: { open(tag: SaxesTagPlain): void; text(t: string): void; close(local: string): void; stop?(): boolean; chunk?(bytes: number): void }): AsyncGenerator<void> {
  const parser = new SaxesParser();
  let error: Error | null = null;
  parser.on('error', (e) => (error ??= e));
  parser.on('doctype', () => (error ??= invalidInput('文件包含不允许的 XML 声明（DOCTYPE），疑似恶意文件，已拒绝')));
  parser.on('opentag', (tag) => on.open(tag));
  parser.on('text', (t) => on.text(t));
  parser.on('cdata', (t) => on.text(t));
  parser.on('closetag', (tag) => on.close(localName(tag.name)));
  const decoder = new TextDecoder('utf-8');
  let sinceTag = 0;
  for await (const chunk of zip.read(name)) {
    // The parser holds a text or a tag whole until it ends: a hostile part could make one of
    // hundreds of MB and exhaust the worker's memory. No honest cell comes near the cap.
    const lt = chunk.lastIndexOf(0x3c);
    sinceTag = lt < 0 ? sinceTag + chunk.length : chunk.length - lt;
    if (sinceTag > MAX_TOKEN_BYTES) throw invalidInput(`文件中有单元格内容或 XML 标记超过 ${MAX_TOKEN_BYTES / 1024 / 1024} MB，不是有效的登记表，已拒绝`);
    parser.write(decoder.decode(chunk, { stream: true }));
    if (error) throw toInvalid(error, name);
    on.chunk?.(chunk.length);
    yield;
    if (on.stop?.()) return;
  }
  parser.close();
  if (error) throw toInvalid(error, name);
}

function toInvalid(err: Error, part: string): Error {
  if ((err as { status?: number }).status) return err;
  return malformed(`${part} 不是有效的 XML`);
}

async function parseWhole(zip: ZipArchive, name: string, on: Parameters<typeof parsePart>[2]): Promise<void> {
  for await (const _ of parsePart(zip, name, on));
}

/** A package-relative path from a relationship target. */
function resolveTarget(base: string, target: string): string {
  const parts = target.startsWith('/') ? [] : base.split('/').slice(0, -1);
  for (const seg of target.split('/')) {
    if (seg === '..') parts.pop();
    else if (seg && seg !== '.') parts.push(seg);
  }
  return parts.join('/');
}

async function relationships(zip: ZipArchive, part: string): Promise<Array<{ id: string; type: string; target: string }>> {
  const slash = part.lastIndexOf('/');
  const relsName = `${part.slice(0, slash + 1)}_rels/${part.slice(slash + 1)}.rels`;
  if (!zip.has(relsName)) return [];
  const out: Array<{ id: string; type: string; target: string }> = [];
  await parseWhole(zip, relsName, {
    open(tag) {
      const a = tag.attributes as Record<string, string>;
      if (localName(tag.name) === 'Relationship' && a.Target && a.TargetMode !== 'External') out.push({ id: a.Id ?? '', type: a.Type ?? '', target: resolveTarget(part, a.Target) });
    },
    text() {},
    close() {},
  });
  return out;
}

export type SheetInfo = { name: string; part: string; hidden: boolean };

/** The workbook's sheets in tab order (name, part, hidden) and its shared strings part. */
async function locateParts(zip: ZipArchive): Promise<{ sheets: SheetInfo[]; sharedStrings: string | null }> {
  const root = (await relationships(zip, '')).find((r) => r.type.endsWith('/officeDocument'))?.target ?? 'xl/workbook.xml';
  if (!zip.has(root)) throw malformed('找不到工作簿（workbook.xml）');
  const listed: Array<{ name: string; rel: string; hidden: boolean }> = [];
  await parseWhole(zip, root, {
    open(tag) {
      if (localName(tag.name) === 'sheet') {
        const attrs = tag.attributes as Record<string, string>;
        const key = Object.keys(attrs).find((k) => k.includes(':') && localName(k) === 'id');
        listed.push({ name: attrs.name ?? `工作表${listed.length + 1}`, rel: key ? attrs[key]! : '', hidden: attrs.state === 'hidden' || attrs.state === 'veryHidden' });
      }
    },
    text() {},
    close() {},
  });
  const rels = await relationships(zip, root);
  let sheets: SheetInfo[] = listed.flatMap((l) => {
    const part = rels.find((r) => r.id === l.rel)?.target;
    return part && zip.has(part) ? [{ name: l.name, part, hidden: l.hidden }] : [];
  });
  if (!sheets.length) {
    // A workbook.xml that names no sheet we can find: the worksheet parts in number order.
    sheets = [...zip.entries.keys()]
      .filter((n) => /^xl\/worksheets\/sheet\d+\.xml$/.test(n))
      .sort((a, b) => Number(a.match(/\d+/)![0]) - Number(b.match(/\d+/)![0]))
      .map((part, i) => ({ name: `Sheet${i + 1}`, part, hidden: false }));
  }
  if (!sheets.length) throw malformed('找不到工作表');
  const ss = rels.find((r) => r.type.endsWith('/sharedStrings'))?.target ?? 'xl/sharedStrings.xml';
  return { sheets, sharedStrings: zip.has(ss) ? ss : null };
}

/** The shared strings: plain and rich-text items, without phonetic runs (rPh). */
async function readSharedStrings(zip: ZipArchive, name: string): Promise<string[]> {
  const strings: string[] = [];
  let current = '';
  let inT = false;
  let inPhonetic = false;
  let chars = 0;
  await parseWhole(zip, name, {
    open(tag) {
      const n = localName(tag.name);
      if (n === 'si') current = '';
      else if (n === 't') inT = !inPhonetic;
      else if (n === 'rPh') inPhonetic = true;
    },
    text(t) {
      if (inT) current += t;
    },
    close(n) {
      if (n === 't') inT = false;
      else if (n === 'rPh') inPhonetic = false;
      else if (n === 'si') {
        strings.push(current);
        chars += current.length + 16; // + what each string costs besides its characters
        if (chars > MAX_SHARED_CHARS) throw new AppError(413, 'PAYLOAD_TOO_LARGE', '文件中的文字内容过多，超出了导入时的内存限制，请拆分后分批导入，或另存为 CSV 后导入');
      }
    },
  });
  return strings;
}

/** The column number (1-based) of a reference such as "AB12"; 0 when it is not one. */
function columnOf(ref: string): number {
  let col = 0;
  for (let i = 0; i < ref.length; i++) {
    const c = ref.charCodeAt(i);
    if (c >= 65 && c <= 90) col = col * 26 + (c - 64);
    else if (c >= 97 && c <= 122) col = col * 26 + (c - 96);
    else break;
    if (col > MAX_COLUMN) return 0;
  }
  return col;
}

/**
 * Rows of one worksheet part, row 1 first (rows missing from the file come as empty rows); `maxRows`:
 * stop after that many. `onBytes`: before each batch, the part's bytes inflated and parsed so far of
 * its size (exact: zip-guard checks the inflated size against the directory's).
 */
async function* sheetRowBatches(zip: ZipArchive, part: string, shared: string[], limits: XlsxLimits, maxRows = Infinity, onBytes?: (read: number, size: number) => void): AsyncGenerator<string[][]> {
  const size = zip.entries.get(part)?.size ?? 0;
  let read = 0;

  let out: string[][] = [];
  let rowNo = 0;
  let row: string[] | null = null;
  let col = 0;
  let type = '';
  let v = '';
  let inline: string | null = null;
  let capture: 'v' | 't' | null = null;
  let inPhonetic = false;
  let ended = false;

  const valueOf = (): string => {
    if (inline !== null) return inline;
    switch (type) {
      case 's': {
        const s = shared[Number.parseInt(v, 10)];
        if (s === undefined) throw malformed(`第 ${rowNo} 行引用了不存在的共享字符串`);
        return s;
      }
      case 'str':
      case 'inlineStr':
        return v;
      case 'b':
        return v === '' ? '' : normaliseCell(Number.parseInt(v, 10) !== 0);
      case 'e':
        return '';
      case 'd':
        return v === '' ? '' : normaliseCell(new Date(v));
      default:
        return v === '' ? '' : normaliseCell(Number.parseFloat(v));
    }
  };

  const parse = parsePart(zip, part, {
    open(tag) {
      switch (localName(tag.name)) {
        case 'row': {
          const r = (tag.attributes as Record<string, string>).r;
          const n = r === undefined ? rowNo + 1 : Number(r);
          if (!Number.isInteger(n) || n <= rowNo || n > MAX_ROW) throw malformed(`行号 ${r ?? n} 顺序有误`);
          while (rowNo < n - 1) {
            out.push([]);
            rowNo++;
          }
          rowNo = n;
          row = [];
          col = 0;
          return;
        }
        case 'c': {
          const a = tag.attributes as Record<string, string>;
          const c = a.r === undefined ? col + 1 : columnOf(a.r);
          if (c < 1 || c > MAX_COLUMN) throw malformed(`第 ${rowNo} 行的单元格位置 ${a.r ?? c} 无效`);
          col = c;
          type = a.t ?? '';
          v = '';
          inline = null;
          return;
        }
        case 'v':
          capture = 'v';
          return;
        case 'is':
          inline = '';
          return;
        case 't':
          if (inline !== null && !inPhonetic) capture = 't';
          return;
        case 'rPh':
          inPhonetic = true;
          return;
      }
    },
    text(t) {
      if (capture === 'v') v += t;
      else if (capture === 't') inline += t;
    },
    close(n) {
      switch (n) {
        case 'v':
        case 't':
          capture = null;
          return;
        case 'rPh':
          inPhonetic = false;
          return;
        case 'c': {
          if (!row) return;
          const value = valueOf();
          if (value === '') return;
          if (col > limits.maxColumns) {
            if (value.trim() !== '') throw invalidInput(`列数超过上限 ${limits.maxColumns} 列`);
            return;
          }
          while (row.length < col - 1) row.push('');
          row[col - 1] = value;
          return;
        }
        case 'row':
          if (row) out.push(row);
          row = null;
          if (rowNo >= maxRows) ended = true;
          return;
        case 'sheetData':
          ended = true;
      }
    },
    stop: () => ended,
    chunk: (bytes) => (read += bytes),
  });
  for await (const _ of parse) {
    if (out.length >= BATCH_ROWS) {
      onBytes?.(read, size);
      yield out;
      out = [];
    }
  }
  onBytes?.(size, size);
  if (out.length) yield out;
}

/** Which sheet an import read, and which others it looked at (issue 12, defect 2). */
export type SheetChoice = { name: string; candidates: string[]; all: string[] };

/**
 * Rows of the sheet that holds the registration table: the one named by `wanted`, else the first
 * visible sheet in tab order whose first 10 rows hold the header (findHeader) — workbooks often
 * start with a 说明/填表说明 sheet. `onSheet` is told which sheet is read and which qualified.
 */
export async function* xlsxRowBatches(path: string, limits: XlsxLimits, opts: { sheet?: string; onSheet?: (choice: SheetChoice) => void; onBytes?: (read: number, size: number) => void } = {}): AsyncGenerator<string[][]> {
  const zip = await ZipArchive.open(path, { maxInflatedBytes: limits.maxInflatedBytes, maxRatio: limits.maxRatio, maxEntries: 10_000 });
  const parts = await locateParts(zip);
  const shared = parts.sharedStrings ? await readSharedStrings(zip, parts.sharedStrings) : [];
  const all = parts.sheets.map((s) => s.name);
  const quoted = (names: string[]) => names.map((n) => `“${n}”`).join('、');
  let chosen: SheetInfo | undefined;
  let candidates: string[] = [];
  if (opts.sheet !== undefined && opts.sheet !== '') {
    chosen = parts.sheets.find((s) => s.name === opts.sheet);
    if (!chosen) throw invalidInput(`工作簿中没有名为“${opts.sheet}”的工作表（有：${quoted(all)}）`);
    candidates = [chosen.name];
  } else {
    const visible = parts.sheets.filter((s) => !s.hidden);
    const probe = visible.length ? visible : parts.sheets;
    for (const sheet of probe) {
      const head: string[][] = [];
      for await (const batch of sheetRowBatches(zip, sheet.part, shared, limits, 10)) head.push(...batch);
      if (findHeader(head.slice(0, 10))) candidates.push(sheet.name);
    }
    chosen = probe.find((s) => s.name === candidates[0]);
    if (!chosen) {
      throw invalidInput(`在工作表${quoted(probe.map((s) => s.name))}的前 10 行中都未找到表头：应有一行包含“公民身份号码”（或“身份证号”）、“姓名”等列名`, { template: true });
    }
  }
  opts.onSheet?.({ name: chosen.name, candidates, all });
  yield* sheetRowBatches(zip, chosen.part, shared, limits, Infinity, opts.onBytes);
}
