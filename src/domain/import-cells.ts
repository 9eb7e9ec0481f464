// Cell values from a spreadsheet reader (.xlsx or .csv) → the strings validateRegistration reads.
// The trap (SPEC §1): Excel stores an 18-digit ID number typed into a General cell as a double,
// which keeps only 15 significant digits — 320411199001011234 becomes 320411199001011000, shown
// 3.20411E+17. Such a cell must be rejected with a message saying so, never "fixed".

/**
 * Integers from here on cannot be an honest value in a registration sheet: at 16 digits and more
 * they are ID numbers or bank numbers a spreadsheet stored as numbers (Number.MAX_SAFE_INTEGER is
 * 9007199254740991, and Excel keeps 15 significant digits anyway). A 15-digit legacy ID number
 * (e.g. 320411900101123) is still exact as a number and passes through.
 */
export const SPREADSHEET_NUMBER_LIMIT = 1e15;

/**
 * The scientific form Excel shows for a number cell (15 significant digits), e.g.
 * 320411199001011234 → '3.20411199001011E+17'. parseIdNumber rejects it with SCIENTIFIC_NOTATION.
 */
export function idCellFromSpreadsheetNumber(n: number): string {
  if (!Number.isFinite(n)) return '';
  const [mantissa = '', exponent = ''] = n.toExponential(14).split('e');
  const m = mantissa.includes('.') ? mantissa.replace(/0+$/, '').replace(/\.$/, '') : mantissa;
  const e = exponent.startsWith('-') ? exponent : `+${exponent.replace(/^\+/, '')}`;
  return `${m}E${e}`;
}

const pad2 = (n: number): string => String(n).padStart(2, '0');

/**
 * null/undefined → ''; strings unchanged; numbers as JavaScript writes them (3.5 → '3.5',
 * 42493 → '42493', a date serial the date rules read) except integers of 16 or more digits, which
 * become the spreadsheet's scientific form; Date → 'YYYY-MM-DD' from its local date parts;
 * booleans → '是' / '否'; rich-text, formula and hyperlink cell objects → their text or result.
 */
export function normaliseCell(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'string') return v;
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) return '';
    if (Math.abs(v) >= SPREADSHEET_NUMBER_LIMIT) return idCellFromSpreadsheetNumber(v);
    return String(v);
  }
  if (typeof v === 'bigint') return String(v);
  if (typeof v === 'boolean') return v ? '是' : '否';
  if (v instanceof Date) {
    if (Number.isNaN(v.getTime())) return '';
    return `${String(v.getFullYear()).padStart(4, '0')}-${pad2(v.getMonth() + 1)}-${pad2(v.getDate())}`;
  }
  if (typeof v === 'object') {
    const o = v as Record<string, unknown>;
    if (Array.isArray(o.richText)) {
      return o.richText.map((r: unknown) => (r && typeof r === 'object' ? normaliseCell((r as { text?: unknown }).text) : '')).join('');
    }
    if ('result' in o) return normaliseCell(o.result);
    if ('text' in o) return normaliseCell(o.text);
    if ('error' in o) return '';
  }
  return '';
}

/**
 * A cell neutralised against formula injection by an export (ours, or a spreadsheet's "'=…" text
 * entry): one or more apostrophes, then = + - @, a tab or a carriage return.
 */
export const NEUTRALISED = /^'+[=+\-@\t\r]/;

/**
 * Undoes one export neutralisation: "'=1+1" → "=1+1", "''=x" → "'=x"; anything else unchanged. With
 * neutraliseCell (server/export/cells.ts) this is an exact inverse, so an exported file re-imports
 * with every value as it was.
 */
export function restoreNeutralisedCell(cell: string): string {
  return cell.charCodeAt(0) === 0x27 && NEUTRALISED.test(cell) ? cell.slice(1) : cell;
}
