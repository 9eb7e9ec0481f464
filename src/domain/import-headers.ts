// Reading the header of an imported registration spreadsheet. SPEC §1: "header names may vary,
// e.g. 身份证号 / 公民身份号码; a title row above the header is common". Columns are matched to
// REGISTRATION_FIELDS by key, label or alias after normalising what templates add: '*' and
// '（必填）' marks, notes in brackets ('出生日期(YYYY-MM-DD)'), spaces and full-width forms.
import { REGISTRATION_FIELDS, type RegistrationKey } from '../shared/registration.js';
import { INSURANCE_TYPES, INSURANCE_TYPE } from '../shared/codes/index.js';
import { codeOf } from '../shared/codes/table.js';
import { removeWhitespace, toHalfWidth } from './text.js';

/** The form in which header cells and aliases are compared. */
export function normaliseHeader(cell: string): string {
  let s = toHalfWidth(cell);
  // Bracketed notes, e.g. (必填) 【选填】 (YYYY-MM-DD) [代码]; then marks such as * ※ ★ and a trailing colon.
  s = s.replace(/\([^()]*\)|【[^【】]*】|\[[^[\]]*\]|〔[^〔〕]*〕/g, '');
  s = s.replace(/[*※★☆▲:]/g, '');
  return removeWhitespace(s).toLowerCase();
}

let aliasIndex: Map<string, RegistrationKey> | null = null;

/** Normalised header text → field key, built from REGISTRATION_FIELDS (key, label, aliases). */
export function headerAliasIndex(): ReadonlyMap<string, RegistrationKey> {
  if (aliasIndex) return aliasIndex;
  const idx = new Map<string, RegistrationKey>();
  const add = (text: string, key: RegistrationKey): void => {
    const k = normaliseHeader(text);
    const existing = idx.get(k);
    if (existing !== undefined && existing !== key) {
      throw new Error(`header alias “${text}” belongs to both ${existing} and ${key}`);
    }
    idx.set(k, key);
  };
  for (const f of REGISTRATION_FIELDS) {
    add(f.key, f.key);
    add(f.label, f.key);
    for (const a of f.aliases) add(a, f.key);
  }
  aliasIndex = idx;
  return idx;
}

/** The field a header cell names, or null. */
export function fieldForHeader(cell: string): RegistrationKey | null {
  const k = normaliseHeader(cell);
  if (k === '') return null;
  return headerAliasIndex().get(k) ?? null;
}

export type HeaderColumn = { index: number; field: RegistrationKey | null; header: string };

export type HeaderMapping = {
  /** One entry per cell of the row; field null for an unknown, blank or duplicate column. */
  columns: HeaderColumn[];
  /**
   * Mandatory fields with no column. Sex and birth date are not listed when the ID number
   * column is there: they are filled from it.
   */
  missingRequired: RegistrationKey[];
  /** Fields named by more than one column; only the first such column is read. */
  duplicates: RegistrationKey[];
};

export function mapHeader(row: ReadonlyArray<string>): HeaderMapping {
  const seen = new Set<RegistrationKey>();
  const duplicates: RegistrationKey[] = [];
  // Array.from: a sparse row (holes for cells a reader skipped) still gives one column per index.
  const columns: HeaderColumn[] = Array.from(row, (h, index) => {
    const header = h ?? '';
    const field = fieldForJoinedHeader(header);
    if (field === null) return { index, field: null, header };
    if (seen.has(field)) {
      if (!duplicates.includes(field)) duplicates.push(field);
      return { index, field: null, header };
    }
    seen.add(field);
    return { index, field, header };
  });
  const missingRequired = REGISTRATION_FIELDS.filter(
    (f) => f.required === true && !seen.has(f.key) && !(f.derivedFrom !== undefined && seen.has(f.derivedFrom)),
  ).map((f) => f.key);
  return { columns, missingRequired, duplicates };
}

/** A header row names at least this many known fields, one of them the ID number. */
export const HEADER_MIN_FIELDS = 3;

/**
 * 0-based index of the header row: the first of the first `maxScan` rows naming at least 3 known
 * fields including the ID number (title rows such as '常州市全民参保登记表（新北区）' come first). -1 if none.
 */
export function findHeaderRow(rows: ReadonlyArray<ReadonlyArray<string>>, maxScan = 10): number {
  const n = Math.min(rows.length, maxScan);
  for (let i = 0; i < n; i++) {
    const fields = new Set<RegistrationKey>();
    for (const cell of rows[i] ?? []) {
      const f = fieldForHeader(cell ?? '');
      if (f) fields.add(f);
    }
    if (fields.size >= HEADER_MIN_FIELDS && fields.has('idNumber')) return i;
  }
  return -1;
}

/**
 * The header as found: its first row (0-based), one or two rows deep, and one name per column —
 * for a two-row header the group above joined with the name below ('城乡居民基本医疗保险/参保状态').
 */
export type FoundHeader = { start: number; depth: 1 | 2; names: string[] };

/** The insurance type a group cell names (城乡居民基本医疗保险, 居民医保, …), or null. */
function insuranceGroup(cell: string): { code: string; label: string; short: string } | null {
  const text = normaliseHeader(cell);
  if (!text) return null;
  const code = codeOf(INSURANCE_TYPE, cell.trim()) ?? codeOf(INSURANCE_TYPE, text);
  return INSURANCE_TYPES.find((t) => t.code === code) ?? null;
}

/** A sub-column under an insurance group: the field of that type it names, or null. */
function subField(group: { code: string; label: string; short: string }, sub: string): RegistrationKey | null {
  const s = sub.trim();
  if (!s) return null;
  for (const name of [`${group.label}${s}`, `${group.short}${s}`, s === '状态' || s === '是否参保' ? group.label : '']) {
    const f = name ? fieldForHeader(name) : null;
    if (f && f.startsWith(`ins${group.code}`)) return f;
  }
  return null;
}

/**
 * Joins an upper row of groups with the row below it (a merged group cell keeps its text in its
 * first cell only, so a group stands over the blank cells to its right until the next filled
 * cell). Returns the names, or null when the lower row names no sub-column of a group.
 */
function joinTwoRows(upper: ReadonlyArray<string>, lower: ReadonlyArray<string>): string[] | null {
  const width = Math.max(upper.length, lower.length);
  const names: string[] = [];
  let group: ReturnType<typeof insuranceGroup> = null;
  let groupText = '';
  let subs = 0;
  for (let c = 0; c < width; c++) {
    const up = (upper[c] ?? '').trim();
    const low = (lower[c] ?? '').trim();
    if (up) {
      group = insuranceGroup(up);
      groupText = up;
    } else if (!low) {
      group = null; // a blank column ends a group
    }
    if (group && low && subField(group, low)) {
      names.push(`${groupText}/${low}`);
      subs++;
    } else {
      // Below another kind of group (基本信息) the lower cell names the column; a name merged down
      // keeps its text in the upper cell.
      names.push(low && fieldForHeader(low) ? low : up || low);
    }
  }
  return subs > 0 ? names : null;
}

/** The field a joined header name ('group/sub', or a plain name) stands for. */
export function fieldForJoinedHeader(name: string): RegistrationKey | null {
  const slash = name.lastIndexOf('/');
  if (slash > 0) {
    const group = insuranceGroup(name.slice(0, slash));
    if (group) {
      const f = subField(group, name.slice(slash + 1));
      if (f) return f;
    }
  }
  return fieldForHeader(name);
}

const fieldsIn = (names: ReadonlyArray<string>): Set<RegistrationKey> => {
  const out = new Set<RegistrationKey>();
  for (const n of names) {
    const f = fieldForJoinedHeader(n ?? '');
    if (f) out.add(f);
  }
  return out;
};

/**
 * The header among the first `maxScan` rows: one row naming at least 3 known fields including the
 * ID number, or two rows where insurance groups (merged cells such as 城乡居民基本医疗保险) stand
 * over their sub-columns (参保状态, 参保地, 参保年月…) — the ID number's row being the upper one
 * (its cells merged down) or the lower one (under a group such as 基本信息). null if none.
 */
export function findHeader(rows: ReadonlyArray<ReadonlyArray<string>>, maxScan = 10): FoundHeader | null {
  const n = Math.min(rows.length, maxScan);
  for (let i = 0; i < n; i++) {
    const row = (rows[i] ?? []).map((c) => c ?? '');
    // The group row above the row with the ID number.
    if (i > 0) {
      const joined = joinTwoRows(rows[i - 1] ?? [], row);
      if (joined) {
        const f = fieldsIn(joined);
        if (f.size >= HEADER_MIN_FIELDS && f.has('idNumber')) return { start: i - 1, depth: 2, names: joined };
      }
    }
    const own = fieldsIn(row);
    if (own.size >= HEADER_MIN_FIELDS && own.has('idNumber')) {
      // The row with the ID number, and groups in it over the sub-columns of the next row.
      const joined = i + 1 < rows.length ? joinTwoRows(row, rows[i + 1] ?? []) : null;
      return joined ? { start: i, depth: 2, names: joined } : { start: i, depth: 1, names: row };
    }
  }
  return null;
}

export { idCellFromSpreadsheetNumber, normaliseCell } from './import-cells.js';
