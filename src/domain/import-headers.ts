// Reading the header of an imported registration spreadsheet. SPEC §1: "header names may vary,
// e.g. 身份证号 / 公民身份号码; a title row above the header is common". Columns are matched to
// REGISTRATION_FIELDS by key, label or alias after normalising what templates add: '*' and
// '（必填）' marks, notes in brackets ('出生日期(YYYY-MM-DD)'), spaces and full-width forms.
import { REGISTRATION_FIELDS, type RegistrationKey } from '../shared/registration.js';
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
  const columns: HeaderColumn[] = row.map((header, index) => {
    const field = fieldForHeader(header ?? '');
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

export { idCellFromSpreadsheetNumber, normaliseCell } from './import-cells.js';
