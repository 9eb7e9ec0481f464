// A code table (代码表) as data: the code is what is stored and exported, the label is what people
// read, aliases are other spellings found in forms and spreadsheets. SPEC §1: "Make the field list
// and its code tables data, not scattered constants"; the city may edit the local tables
// (未参保原因), so nothing outside this folder may hard-code a label.
import { removeWhitespace, toHalfWidth } from '../text.js';

export type CodeEntry = { code: string; label: string; aliases?: string[] };

export type CodeTable = {
  id: string;
  name: string;
  /** The national standard or document the codes come from; absent for local tables. */
  standard?: string;
  entries: ReadonlyArray<CodeEntry>;
};

/**
 * The form in which codes, labels and aliases are compared: full-width ASCII → ASCII, every kind
 * of whitespace removed, Latin letters lower-cased.
 */
export function normaliseCodeText(text: string): string {
  return removeWhitespace(toHalfWidth(text)).toLowerCase();
}

export function labelOf(table: CodeTable, code: string | null | undefined): string | undefined {
  if (code == null) return undefined;
  return table.entries.find((e) => e.code === code)?.label;
}

type Index = { byText: Map<string, string>; codeLength: number | null };
const indexes = new WeakMap<CodeTable, Index>();

function indexOf(table: CodeTable): Index {
  let idx = indexes.get(table);
  if (idx) return idx;
  const byText = new Map<string, string>();
  // Codes first, then labels, then aliases: a code always wins over a label that looks the same.
  for (const e of table.entries) byText.set(normaliseCodeText(e.code), e.code);
  for (const e of table.entries) {
    const k = normaliseCodeText(e.label);
    if (!byText.has(k)) byText.set(k, e.code);
  }
  for (const e of table.entries) {
    for (const a of e.aliases ?? []) {
      const k = normaliseCodeText(a);
      if (!byText.has(k)) byText.set(k, e.code);
    }
  }
  const lengths = new Set(table.entries.map((e) => e.code.length));
  const only = lengths.size === 1 ? [...lengths][0] : undefined;
  idx = { byText, codeLength: only ?? null };
  indexes.set(table, idx);
  return idx;
}

/**
 * The code for what someone typed: the code itself, the label or an alias, ignoring spaces and
 * full-width forms ('男' → '1', '汉' / '汉族' / '０１' → '01'). Where every code has the same
 * number of digits, a number written without its leading zeros (as spreadsheets do) or with extra
 * ones is accepted: '1' → '01' for 民族, '01' → '1' for 性别. Undefined when nothing matches.
 */
export function codeOf(table: CodeTable, textOrCode: string | null | undefined): string | undefined {
  if (textOrCode == null) return undefined;
  const idx = indexOf(table);
  // Fast path: a code or label as written. Every key is normalised and normalising is idempotent,
  // so a text equal to a key normalises to that same key: the answer is the same either way.
  const exact = idx.byText.get(textOrCode);
  if (exact !== undefined) return exact;
  const key = normaliseCodeText(textOrCode);
  if (key === '') return undefined;
  const direct = idx.byText.get(key);
  if (direct !== undefined) return direct;
  if (idx.codeLength !== null && /^\d+$/.test(key)) {
    const n = idx.codeLength;
    let digits = key;
    if (digits.length < n) digits = digits.padStart(n, '0');
    else if (digits.length > n && /^0+$/.test(digits.slice(0, digits.length - n))) digits = digits.slice(-n);
    const padded = idx.byText.get(digits);
    if (padded !== undefined) return padded;
  }
  return undefined;
}

/** Every code of a table, in table order. */
export function codesOf(table: CodeTable): string[] {
  return table.entries.map((e) => e.code);
}
