// What a masked view of a person may carry (SPEC "Security defaults", PIPL §28/§51, GB/T 35273):
// ID numbers 6 + 4, phones 3 + 4 (id-number.ts), and — because the 8 digits the ID mask hides are
// the birth date (320402********1004 + 1981-01-01 rebuilds 320402198101011004) — the birth date
// reduced to its year. Free text that goes out with a masked record (validation messages, remarks,
// the change history) is scrubbed of the record's ID numbers, of the hidden digits and of the birth
// date in any spelling. Every masked response and export goes through here, server and web alike.
import { REGISTRATION_FIELD_BY_KEY, type RegistrationKey } from '../shared/registration.js';
import { maskIdNumber, maskPhone } from './id-number.js';

/** What a masked view must not show of one person: their ID numbers and full dates of birth. */
export type MaskSecrets = { idNumbers: readonly string[]; birthDates: readonly string[] };

const NO_SECRETS: MaskSecrets = { idNumbers: [], birthDates: [] };

/** A birth date as a masked view shows it: the year only ('1981'); '****' when it has no year. */
export function maskBirthDate(value: string): string {
  const year = /^\s*(\d{4})/.exec(value);
  return year ? (year[1] ?? '') : '*'.repeat(Math.max(4, Array.from(value.trim()).length));
}

/** Whether a birth date is the reduced, year-only form a masked view carries. */
export function isYearOnly(value: string | null | undefined): boolean {
  return !!value && /^\d{4}$/.test(value);
}

const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** The characters the 6 + 4 mask hides (for 18 characters: YYYYMMDD). */
function hiddenPart(id: string): string {
  const chars = Array.from(id.trim());
  return chars.length >= 11 ? chars.slice(6, chars.length - 4).join('') : '';
}

/** The dates a text may spell for one birth date: 1981-01-01, 1981/1/1, 1981.01.01, 1981年1月1日, 19810101, and 1981-01 / 1981年1月 / 198101. */
function birthDatePatterns(iso: string): RegExp[] {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  if (!m) return [];
  const [, y, mm, dd] = m as unknown as [string, string, string, string];
  const mo = `0?${String(Number(mm))}`;
  const d = `0?${String(Number(dd))}`;
  const sep1 = String.raw`\s*(?:[-/.]|年)\s*`;
  const sep2 = String.raw`\s*(?:[-/.]|月)\s*`;
  return [
    new RegExp(String.raw`(?<!\d)${y}${sep1}${mo}${sep2}${d}(?!\d)(?:\s*[日号])?`, 'g'),
    new RegExp(String.raw`(?<!\d)${y}${mm}${dd}(?!\d)`, 'g'),
    new RegExp(String.raw`(?<!\d)${y}${sep1}${mo}(?![\d])(?:\s*月(?![\d]))?`, 'g'),
    new RegExp(String.raw`(?<!\d)${y}${mm}(?!\d)`, 'g'),
  ];
}

/** A birth date embedded in an 18-character ID number, as YYYY-MM-DD (or null). */
function embeddedDate(id: string): string | null {
  const m = /^\d{6}(\d{4})(\d{2})(\d{2})\d{3}[\dX]$/i.exec(id.trim());
  return m ? `${m[1]}-${m[2]}-${m[3]}` : null;
}

const ANY_ID = /(?<![0-9Xx*])(?:\d{17}[\dXx]|\d{15})(?![0-9Xx])/g;
const ANY_MOBILE = /(?<![\d*])(?:\+?86)?1[3-9]\d{9}(?![\d*])/g;
const LONG_DIGITS = /(?<![\d*])\d{7,}(?![\d*])/g;
const ANY_DATE = /(?<!\d)(\d{4})\s*(?:[-/.]|年)\s*\d{1,2}(?:\s*(?:[-/.]|月)\s*\d{1,2}(?!\d)(?:\s*[日号])?|(?!\d)(?:\s*月)?)/g;

/**
 * Free text as a masked view may show it: the given ID numbers masked and their hidden digits
 * starred, the given birth dates (and those the ID numbers embed) reduced to the year in any
 * spelling; then any other ID number or mobile number masked and any run of 7+ digits starred.
 * `allDates`: every date reduced to its year (text about people the caller cannot otherwise see).
 */
export function scrubText(text: string, secrets: MaskSecrets = NO_SECRETS, opts: { allDates?: boolean } = {}): string {
  // Every pattern below needs 4 digits in a row (a year, hidden digits, a number): most text has none.
  if (!/\d{4}/.test(text)) return text;
  let out = text;
  const dates = new Set<string>(secrets.birthDates.filter((d) => /^\d{4}-\d{2}-\d{2}$/.test(d)));
  for (const raw of secrets.idNumbers) {
    const id = raw.trim();
    if (!id) continue;
    out = out.replace(new RegExp(escapeRe(id), 'gi'), maskIdNumber(id));
    const hidden = hiddenPart(id);
    if (hidden.length >= 4) out = out.replace(new RegExp(escapeRe(hidden), 'gi'), '*'.repeat(Array.from(hidden).length));
    const d = embeddedDate(id);
    if (d) dates.add(d);
  }
  for (const d of dates) for (const re of birthDatePatterns(d)) out = out.replace(re, `${d.slice(0, 4)}年`);
  out = out.replace(ANY_ID, (m) => maskIdNumber(m));
  out = out.replace(ANY_MOBILE, (m) => maskPhone(m));
  out = out.replace(LONG_DIGITS, (m) => '*'.repeat(m.length));
  if (opts.allDates) out = out.replace(ANY_DATE, (_m, y: string) => `${y}年`);
  return out;
}

/** The secrets of one registration record (its own, the 户主's and the guardian's ID numbers; its birth date). */
export function registrationSecrets(record: Readonly<Record<string, string | null | undefined>>): MaskSecrets {
  const ids: string[] = [];
  for (const [k, v] of Object.entries(record)) if (v && REGISTRATION_FIELD_BY_KEY.get(k as RegistrationKey)?.kind === 'idNumber') ids.push(v);
  return { idNumbers: ids, birthDates: record.birthDate ? [record.birthDate] : [] };
}

/** One field's value as a masked view shows it. */
export function maskRegistrationValue(key: string, value: string, secrets: MaskSecrets = NO_SECRETS): string {
  if (key === 'birthDate') return maskBirthDate(value);
  const f = REGISTRATION_FIELD_BY_KEY.get(key as RegistrationKey);
  if (f?.kind === 'idNumber') return maskIdNumber(value);
  if (f?.kind === 'phone') return maskPhone(value);
  // Codes, year-months and the other dates (survey date) cannot spell an ID number or a birth date.
  if (f?.kind === 'code' || f?.kind === 'yearMonth' || f?.kind === 'date') return value;
  return scrubText(value, secrets);
}

/** A registration record as a masked view carries it: nothing in it rebuilds an ID number. */
export function maskRegistrationRecord<T extends Readonly<Record<string, string | null>>>(record: T): T {
  const secrets = registrationSecrets(record);
  const out: Record<string, string | null> = {};
  for (const [k, v] of Object.entries(record)) out[k] = v ? maskRegistrationValue(k, v, secrets) : v;
  return out as T;
}

/** Validation problems of a masked record: messages scrubbed of what the mask hides. */
export function maskRegistrationErrors<E extends { message: string }>(errors: readonly E[], secrets: MaskSecrets): E[] {
  return errors.map((e) => ({ ...e, message: scrubText(e.message, secrets) }));
}
