// Dates as people and spreadsheets write them on the registration form. SPEC §1: "a real date not
// in the future". Accepted: 2016-05-03, 2016/5/3, 2016.5.3, 20160503, 2016年5月3日, a trailing
// time (CSV written by Excel: "2016/5/3 0:00:00"), and an Excel serial day number (42493), which
// is how .xlsx stores a date cell. Year-months (参保年月): 2016-05, 2016/5, 201605, 2016年5月,
// or any accepted full date (its day is dropped).
import { isRealDate } from './id-number.js';
import { removeWhitespace, toHalfWidth } from './text.js';

export type DateParse = { ok: true; value: string } | { ok: false; code: 'BAD_DATE'; message: string };

const pad2 = (n: number): string => String(n).padStart(2, '0');
const iso = (y: number, m: number, d: number): string => `${String(y).padStart(4, '0')}-${pad2(m)}-${pad2(d)}`;

// Excel's day 1 is 1900-01-01 and it counts a 29 February 1900 that never was (serial 60), so from
// serial 61 (1900-03-01) on, day n is n days after 1899-12-30. Serials below 61 are not accepted.
const EXCEL_EPOCH_MS = Date.UTC(1899, 11, 30);
const DAY_MS = 86_400_000;
export const EXCEL_SERIAL_MIN = 61;
/** 9999-12-31, the last day Excel can show. */
export const EXCEL_SERIAL_MAX = 2_958_465;

/** Excel serial day number → 'YYYY-MM-DD'; a time-of-day fraction is dropped. */
export function excelSerialToDate(serial: number): string | null {
  if (!Number.isFinite(serial)) return null;
  const day = Math.floor(serial);
  if (day < EXCEL_SERIAL_MIN || day > EXCEL_SERIAL_MAX) return null;
  return new Date(EXCEL_EPOCH_MS + day * DAY_MS).toISOString().slice(0, 10);
}

/** 'YYYY-MM-DD' → Excel serial day number (for writing date cells). */
export function dateToExcelSerial(date: string): number {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!m) throw new RangeError('dateToExcelSerial needs YYYY-MM-DD');
  return Math.round((Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])) - EXCEL_EPOCH_MS) / DAY_MS);
}

function clean(raw: string): string {
  // Drop a time of day ("2016/5/3 0:00:00", "2016-05-03T00:00:00"), then all spaces.
  const s = toHalfWidth(raw).trim().replace(/(?:[ T]+\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)$/, '');
  return removeWhitespace(s);
}

const BAD_DATE = '不是有效的日期，应写作 2016-05-03、2016/5/3、20160503 或 2016年5月3日';

function splitDate(s: string): [number, number, number] | null {
  let m = /^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})$/.exec(s);
  if (!m) m = /^(\d{4})年(\d{1,2})月(\d{1,2})[日号]?$/.exec(s);
  if (!m) m = /^(\d{4})(\d{2})(\d{2})$/.exec(s);
  if (m) return [Number(m[1]), Number(m[2]), Number(m[3])];
  // An Excel serial has at most 5 digits (99999 is 2173-10-14): 6 digits are a year-month, 8 digits
  // YYYYMMDD. A 4-digit year (1800-2199, also as '1980.03') is a year, not serial 1800-2199 (1904-12 … 1906-01).
  const serial = /^\d{2,5}(?:\.\d+)?$/.test(s) && !/^(?:18|19|20|21)\d\d(?:\.|$)/.test(s) ? excelSerialToDate(Number(s)) : null;
  if (serial) return [Number(serial.slice(0, 4)), Number(serial.slice(5, 7)), Number(serial.slice(8, 10))];
  return null;
}

/** Any accepted way of writing a date → 'YYYY-MM-DD'. Checks only that the date exists. */
const PLAIN_ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

export function parseDateInput(raw: string): DateParse {
  // The common case, already written as 'YYYY-MM-DD': only whether the day exists is left to check.
  const plain = PLAIN_ISO_DATE.exec(raw);
  if (plain) {
    const y = Number(plain[1]);
    if (y >= 1000 && isRealDate(y, Number(plain[2]), Number(plain[3]))) return { ok: true, value: raw };
  }
  const s = clean(raw);
  const parts = splitDate(s);
  if (!parts) return { ok: false, code: 'BAD_DATE', message: `“${raw.trim()}”${BAD_DATE}` };
  const [y, m, d] = parts;
  if (y < 1000 || !isRealDate(y, m, d)) {
    return { ok: false, code: 'BAD_DATE', message: `“${raw.trim()}”不是真实存在的日期` };
  }
  return { ok: true, value: iso(y, m, d) };
}

const BAD_YEAR_MONTH = '不是有效的年月，应写作 2016-05、2016/5、201605 或 2016年5月';

/** Any accepted way of writing a year and month (or a full date) → 'YYYY-MM'. */
export function parseYearMonthInput(raw: string): DateParse {
  const s = clean(raw);
  let m = /^(\d{4})[-/.](\d{1,2})$/.exec(s);
  if (!m) m = /^(\d{4})年(\d{1,2})月?$/.exec(s);
  if (!m) m = /^(\d{4})(\d{2})$/.exec(s);
  if (m) {
    const y = Number(m[1]);
    const mo = Number(m[2]);
    if (y < 1000 || mo < 1 || mo > 12) return { ok: false, code: 'BAD_DATE', message: `“${raw.trim()}”${BAD_YEAR_MONTH}` };
    return { ok: true, value: `${String(y)}-${pad2(mo)}` };
  }
  const full = parseDateInput(raw);
  if (full.ok) return { ok: true, value: full.value.slice(0, 7) };
  return { ok: false, code: 'BAD_DATE', message: `“${raw.trim()}”${BAD_YEAR_MONTH}` };
}
