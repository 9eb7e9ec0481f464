// What an import does with each row of the file, without the database: find the header (below any
// title rows), place the row in a community, validate it with the form's rules, and refuse a
// second row of the same person. Runs in the parse worker; everything it needs comes in `ScanSetup`.
import type { RegistrationKey } from '../../../shared/registration.js';
import { REGISTRATION_FIELDS, fieldDef } from '../../../shared/registration.js';
import type { ImportReject } from '../../../shared/api-registration.js';
import { registrationFieldIndex, validateRegistrationFields, type FieldArray } from '../../../domain/registration.js';
import { findHeader, mapHeader, normaliseHeader } from '../../../domain/import-headers.js';
import { invalidInput } from '../../errors.js';
import { restoreNeutralisedCell } from '../../../domain/import-cells.js';

/** Header names of the column that says which community a row belongs to (when importing above one). */
const COMMUNITY_HEADERS = new Set(['社区', '社区/村', '社区(村)', '村(社区)', '村/社区', '所属社区', '社区名称', '社区代码', '社区村', '村居', '区划代码', '调查社区'].map(normaliseHeader));

export type ScanCommunity = { code: string; name: string };
export type ScanSetup = {
  /** The import's unit; when it is a community every row goes there and `communities` is [it]. */
  unit: { name: string; level: string; code?: string };
  communities: ScanCommunity[];
  today: string;
};

/** A valid row: its file row number, the index of its community in `setup.communities`, its values in `columns` order. */
export type ScannedRow = { row: number; community: number; values: (string | null)[] };

const ID_NUMBER = registrationFieldIndex('idNumber');

/**
 * Fields a valid record can hold a value in although the file has no column for them: defaults
 * (证件类型) and what the ID number gives (性别, 出生日期).
 */
const IMPLIED: ReadonlySet<RegistrationKey> = new Set(REGISTRATION_FIELDS.filter((f) => f.defaultValue !== undefined || f.derivedFrom !== undefined).map((f) => f.key));

/**
 * In-file duplicate check with no string kept per row. The ID numbers here are valid, so the first
 * 17 digits decide the 18th; they are kept as two integers (8 + 9 digits) in an open-addressing
 * table of typed arrays, outside the worker's bounded heap and with no object per row.
 */
export class SeenIds {
  private heads = new Int32Array(1 << 16);
  private tails = new Int32Array(1 << 16);
  /** The file row of each entry; 0 marks an empty slot (file rows start at 1). */
  private rows = new Int32Array(1 << 16);
  private size = 0;

  /** The first row of this ID number, or undefined after recording `row` as it. */
  firstOrAdd(id: string, row: number): number | undefined {
    let head = 0;
    for (let i = 0; i < 8; i++) head = head * 10 + (id.charCodeAt(i) - 48);
    let tail = 0;
    for (let i = 8; i < 17; i++) tail = tail * 10 + (id.charCodeAt(i) - 48);
    const mask = this.rows.length - 1;
    for (let slot = SeenIds.hash(head, tail) & mask; ; slot = (slot + 1) & mask) {
      const r = this.rows[slot]!;
      if (r === 0) break;
      if (this.heads[slot] === head && this.tails[slot] === tail) return r;
    }
    this.put(head, tail, row);
    if (++this.size * 2 > this.rows.length) this.grow();
    return undefined;
  }

  private static hash(head: number, tail: number): number {
    let h = Math.imul(head, 0x9e3779b1) ^ tail;
    h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
    return (h ^ (h >>> 13)) >>> 0;
  }

  private put(head: number, tail: number, row: number): void {
    const mask = this.rows.length - 1;
    let slot = SeenIds.hash(head, tail) & mask;
    while (this.rows[slot] !== 0) slot = (slot + 1) & mask;
    this.heads[slot] = head;
    this.tails[slot] = tail;
    this.rows[slot] = row;
  }

  private grow(): void {
    const { heads, tails, rows } = this;
    this.heads = new Int32Array(rows.length * 2);
    this.tails = new Int32Array(rows.length * 2);
    this.rows = new Int32Array(rows.length * 2);
    for (let i = 0; i < rows.length; i++) if (rows[i] !== 0) this.put(heads[i]!, tails[i]!, rows[i]!);
  }
}

/** A file's rows as read: those above the data, and problem rows with their file row number. */
/** Each problem row is kept as its cells' JSON: one string per row, cheap to hold and to send between threads. */
export type ProblemRows = { header: string[][]; rows: Array<{ row: number; json: string }> };

/** Reasons kept for the report and the download; beyond it rejected rows are only counted. */
export const MAX_KEPT_REJECTS = 20_000;

export class RowScanner {
  readonly rejects: ImportReject[] = [];
  /** Rows rejected (a row may have several reasons). */
  rejectedRows = 0;
  total = 0;
  /** The record fields written per row, decided by the header (plus IMPLIED). */
  columns: RegistrationKey[] = [];
  private header: ReturnType<typeof mapHeader> | null = null;
  /** File row numbers (1-based) of the rows above the data: title rows and the header's one or two rows. */
  headerRows: number[] = [];
  /**
   * The rows as read, for the error workbook (problem-rows.ts): the rows above the data, and each
   * rejected row whose reasons are kept (the first 20,000 reasons' rows).
   */
  readonly problemRows: ProblemRows = { header: [], rows: [] };
  private communityCol = -1;
  private readonly early: Array<{ cells: string[]; row: number }> = [];
  private readonly seen = new SeenIds();
  private readonly byCode = new Map<string, number>();
  private readonly byName = new Map<string, number>(); // -1: ambiguous
  private fieldColumn = new Map<string, string>();
  /** [cell index, field position] of each mapped column of the header. */
  private cellFields: Array<[number, number]> = [];
  /** `columns` as field positions. */
  private columnIndexes: number[] = [];
  /** The row being validated, by field position (reused from row to row). */
  private readonly input: FieldArray = new Array<string | null>(REGISTRATION_FIELDS.length).fill(null);

  constructor(private readonly setup: ScanSetup) {
    setup.communities.forEach((c, i) => {
      this.byCode.set(c.code, i);
      this.byName.set(c.name, this.byName.has(c.name) ? -1 : i);
    });
  }

  get ready(): boolean {
    return this.header !== null;
  }

  /** Feeds one row of the file (1-based row number); valid rows come back. */
  push(cells: string[], fileRow: number, out: ScannedRow[]): void {
    if (!this.header) {
      this.early.push({ cells, row: fileRow });
      if (this.early.length === 10) this.takeHeader(out);
      return;
    }
    this.handle(cells, fileRow, out);
  }

  /** End of file: a file shorter than 10 rows still has its header found. */
  finish(out: ScannedRow[]): void {
    if (!this.header) this.takeHeader(out);
    if (this.total === 0) throw invalidInput('文件中没有数据行');
  }

  private takeHeader(out: ScannedRow[]): void {
    const rows = this.early.map((e) => e.cells);
    const found = findHeader(rows);
    if (!found) throw invalidInput('未找到表头：前 10 行中应有一行包含“公民身份号码”（或“身份证号”）、“姓名”等列名', { template: true });
    const header = mapHeader(found.names);
    if (header.missingRequired.length) {
      const labels = header.missingRequired.map((k) => fieldDef(k).label);
      throw invalidInput(`缺少必填列（共 ${labels.length} 列）：${labels.join('、')}。请按导入模板补齐这些列后重新导入`, { missing: labels, template: true });
    }
    this.communityCol = found.names.findIndex((h) => COMMUNITY_HEADERS.has(normaliseHeader(h ?? '')));
    const { unit } = this.setup;
    if (unit.level !== 'community' && this.communityCol < 0) throw invalidInput(`导入到${unit.name}时，文件须有“社区”列（社区名称或 12 位代码）`, { missing: ['社区'], template: true });
    this.header = header;
    this.headerRows = this.early.slice(0, found.start + found.depth).map((e) => e.row);
    this.problemRows.header = this.early.slice(0, found.start + found.depth).map((e) => e.cells);
    for (const col of header.columns) if (col.field && !this.fieldColumn.has(col.field)) this.fieldColumn.set(col.field, col.header);
    const present = new Set<RegistrationKey>(header.columns.flatMap((c) => (c.field ? [c.field as RegistrationKey] : [])));
    this.columns = REGISTRATION_FIELDS.map((f) => f.key).filter((k) => present.has(k) || IMPLIED.has(k));
    this.columnIndexes = this.columns.map(registrationFieldIndex);
    this.cellFields = header.columns.flatMap((c) => (c.field ? [[c.index, registrationFieldIndex(c.field as RegistrationKey)] as [number, number]] : []));
    for (let i = found.start + found.depth; i < this.early.length; i++) this.handle(this.early[i]!.cells, this.early[i]!.row, out);
    this.early.length = 0;
  }

  private keepRow(row: number, cells: string[]): void {
    if (this.problemRows.rows.length < MAX_KEPT_REJECTS) this.problemRows.rows.push({ row, json: JSON.stringify(cells) });
  }

  private reject(r: ImportReject): void {
    if (this.rejects.length < MAX_KEPT_REJECTS) this.rejects.push(r);
  }

  private columnOf(field: string): string | null {
    return this.fieldColumn.get(field) ?? null;
  }

  private handle(cells: string[], fileRow: number, out: ScannedRow[]): void {
    const header = this.header!;
    let blank = true;
    for (const c of cells) {
      if (c !== '' && c.trim() !== '') {
        blank = false;
        break;
      }
    }
    if (blank) return;
    this.total++;
    let community = 0;
    if (this.setup.unit.level !== 'community') {
      const raw = (cells[this.communityCol] ?? '').trim();
      const found = raw ? (this.byCode.get(raw) ?? this.byName.get(raw) ?? -1) : -1;
      if (found < 0) {
        const msg = raw ? `社区“${raw}”不在${this.setup.unit.name}范围内或名称不唯一，请填写 12 位社区代码` : '缺少所属社区';
        this.reject({ row: fileRow, column: header.columns[this.communityCol]?.header ?? null, field: null, message: msg });
        this.keepRow(fileRow, cells);
        this.rejectedRows++;
        return;
      }
      community = found;
    }
    // A cell an export neutralised against formula injection ('=…) is read back as it was (=…).
    const input = this.input.fill(null);
    for (const [index, field] of this.cellFields) input[field] = restoreNeutralisedCell(cells[index] ?? '');
    const check = validateRegistrationFields(input, { today: this.setup.today, regionCode: this.setup.unit.code });
    // Every problem of the row is reported: a repeated ID number does not hide a wrong sex.
    let rejected = false;
    const idNumber = check.values[ID_NUMBER];
    if (idNumber && !check.errors.some((e) => e.field === 'idNumber')) {
      const first = this.seen.firstOrAdd(idNumber, fileRow);
      if (first !== undefined) {
        const converted = check.notes.some((n) => n.field === 'idNumber' && n.code === 'CONVERTED_FROM_15');
        const message = converted
          ? `公民身份号码 ${(input[ID_NUMBER] ?? '').trim()} 为 15 位旧号码，换算为 18 位 ${idNumber} 后与第 ${first} 行重复`
          : `公民身份号码与第 ${first} 行重复`;
        this.reject({ row: fileRow, column: this.columnOf('idNumber'), field: 'idNumber', message });
        rejected = true;
      }
    }
    for (const e of check.errors) {
      const column = this.columnOf(e.field);
      // A rule about a field the file has no column for (未参保原因, 参保意愿 of the uninsured) names it.
      const message = column === null ? `${e.message}（文件中没有“${fieldDef(e.field).label}”列，请增加此列后填写）` : e.message;
      this.reject({ row: fileRow, column: column ?? fieldDef(e.field).label, field: e.field, message });
      rejected = true;
    }
    if (rejected) {
      this.keepRow(fileRow, cells);
      this.rejectedRows++;
      return;
    }
    const values: (string | null)[] = new Array<string | null>(this.columnIndexes.length);
    for (let i = 0; i < this.columnIndexes.length; i++) values[i] = check.values[this.columnIndexes[i]!]!;
    out.push({ row: fileRow, community, values });
  }
}

/**
 * Valid rows between threads: [fileRow, community, ...values] per row. Packed, as one string per
 * batch — every field followed by U+001F, null as '' — a batch crosses threads as a single copy
 * instead of a structured clone of thousands of strings. Validated values never contain the
 * separator (a control character: normaliseText removes them) and are never '' (blank is null).
 */
const FIELD_SEPARATOR = '\u001f';

export function packRows(rows: readonly ScannedRow[]): string {
  let packed = '';
  for (const r of rows) {
    packed += r.row + FIELD_SEPARATOR + r.community + FIELD_SEPARATOR;
    for (const v of r.values) packed += (v ?? '') + FIELD_SEPARATOR;
  }
  return packed;
}

/** The fields of packed rows, in the same layout as flattenRows gives. */
export function unpackRows(packed: string): (string | null)[] {
  const data: (string | null)[] = packed.split(FIELD_SEPARATOR);
  data.pop(); // after the last field's separator
  for (let i = 0; i < data.length; i++) if (data[i] === '') data[i] = null;
  return data;
}

/** Scanned rows in the same layout, without packing (when they are scanned where they are written). */
export function flattenRows(rows: readonly ScannedRow[]): (string | null)[] {
  const out: (string | null)[] = [];
  for (const r of rows) out.push(String(r.row), String(r.community), ...r.values);
  return out;
}

