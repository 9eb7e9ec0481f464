// Citizen ID number (公民身份号码), GB 11643-1999, check digit ISO 7064 MOD 11-2.
// Seed: "实际录入人数以录入有效数据为依据" — only a record with a valid ID number is 有效数据,
// so this is the first gate of the fee base. Layout of the 18 characters:
//   1-6 region (GB/T 2260), 7-14 birth date YYYYMMDD, 15-17 sequence (17th odd = 男, even = 女),
//   18 check digit (0-9 or X).
import { shanghaiDayOf } from './shanghai-day.js';
import { removeWhitespace, toHalfWidth } from './text.js';

export type IdNumberError = {
  code:
    | 'EMPTY'
    | 'SCIENTIFIC_NOTATION'
    | 'BAD_LENGTH'
    | 'BAD_CHARS'
    | 'BAD_REGION'
    | 'BAD_BIRTH_DATE'
    | 'FUTURE_BIRTH_DATE'
    | 'BAD_CHECK_DIGIT';
  message: string;
};

export type ParsedIdNumber = {
  idNumber: string;
  /** YYYY-MM-DD */
  birthDate: string;
  /** GB/T 2261.1: '1' 男, '2' 女 — from the 17th digit, odd or even. */
  sex: '1' | '2';
  /** First 6 digits (GB/T 2260 county-level code at the time of issue). */
  regionCode: string;
  convertedFrom15: boolean;
};

const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2] as const;
const CHECK_CHARS = '10X98765432';

/** Earliest birth date accepted: nobody alive and registering was born before it. */
export const EARLIEST_BIRTH_DATE = '1890-01-01';

/**
 * Province-level codes (first two digits, GB/T 2260): 11-15 华北, 21-23 东北, 31-37 华东,
 * 41-46 中南, 50-54 西南, 61-65 西北, 71 台湾, 81 香港, 82 澳门 (Hong Kong/Macao residence
 * permits), 83 台湾居民居住证.
 */
const PROVINCE_CODES: ReadonlySet<string> = new Set([
  '11', '12', '13', '14', '15',
  '21', '22', '23',
  '31', '32', '33', '34', '35', '36', '37',
  '41', '42', '43', '44', '45', '46',
  '50', '51', '52', '53', '54',
  '61', '62', '63', '64', '65',
  '71', '81', '82', '83',
]);

const PLAIN_18 = /^\d{17}[\dX]$/;

/** Trims, removes all whitespace, full-width → ASCII, lowercase x → X. */
export function normalizeIdNumber(raw: string): string {
  if (PLAIN_18.test(raw)) return raw; // the common case: nothing to normalise
  return removeWhitespace(toHalfWidth(raw)).toUpperCase();
}

/** ISO 7064 MOD 11-2 check character for the first 17 digits. */
export function checkDigit(first17: string): string {
  if (!/^\d{17}$/.test(first17)) throw new RangeError('checkDigit needs exactly 17 digits');
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17.charCodeAt(i) - 48) * (WEIGHTS[i] ?? 0);
  return CHECK_CHARS.charAt(sum % 11);
}

/** 15-digit legacy number (YYMMDD, all born 19xx) → 18 digits: insert '19', append check digit. */
export function convert15To18(id15: string): string {
  if (!/^\d{15}$/.test(id15)) throw new RangeError('convert15To18 needs exactly 15 digits');
  const first17 = `${id15.slice(0, 6)}19${id15.slice(6)}`;
  return first17 + checkDigit(first17);
}

/** Today's date in Asia/Shanghai (UTC+8 all year, no daylight saving since 1991). */
export function todayInShanghai(now: Date = new Date()): string {
  return shanghaiDayOf(now);
}

export function isRealDate(year: number, month: number, day: number): boolean {
  if (!Number.isInteger(year) || !Number.isInteger(month) || !Number.isInteger(day)) return false;
  if (month < 1 || month > 12 || day < 1) return false;
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  const days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1] ?? 0;
  return day <= days;
}

function fail(code: IdNumberError['code'], message: string): { ok: false; error: IdNumberError } {
  return { ok: false, error: { code, message } };
}

// What Excel shows after it has stored an ID number as a number: 3.20411E+17, 3.20411e17,
// or 320411199001011234.0 once re-saved. Only 15 significant digits survive, so the original
// cannot be recovered from the cell.
const SCIENTIFIC = /^[+-]?\d+(\.\d*)?E[+-]?\d+$/;
const DECIMAL = /^[+-]?\d+\.\d*$/;

/**
 * How Excel shows an 18-digit number of the region: 320402… → '3.20402E+17' (the importing unit's
 * own district, so that a clerk recognises the column); 3.20411E+17 without one.
 */
export function scientificExample(regionCode?: string): string {
  const code = regionCode && /^[1-9]\d{5}/.test(regionCode) ? regionCode.slice(0, 6) : '320411';
  return `${code[0]}.${code.slice(1).replace(/0+$/, '')}E+17`;
}

export function parseIdNumber(
  raw: string,
  opts: { today?: string; accept15?: boolean; regionCode?: string } = {},
): { ok: true; value: ParsedIdNumber } | { ok: false; error: IdNumberError } {
  const today = opts.today ?? todayInShanghai();
  const accept15 = opts.accept15 ?? true;
  const id = normalizeIdNumber(raw);

  if (id === '') return fail('EMPTY', '公民身份号码不能为空');
  if (SCIENTIFIC.test(id) || DECIMAL.test(id)) {
    return fail(
      'SCIENTIFIC_NOTATION',
      `公民身份号码“${id}”已被电子表格当作数字处理（显示为类似 ${scientificExample(opts.regionCode)} 的形式），末几位数字已经丢失，无法恢复。` +
        '请在 Excel 中先把该列的单元格格式设为“文本”，再按原始证件重新录入号码后导入。',
    );
  }
  if (/[^0-9X]/.test(id)) {
    return fail('BAD_CHARS', '公民身份号码只能由数字组成，最后一位可以是字母 X');
  }
  if (id.length !== 18 && id.length !== 15) {
    return fail('BAD_LENGTH', `公民身份号码应为 18 位，当前为 ${id.length} 位`);
  }
  if (id.length === 15 && !accept15) {
    return fail('BAD_LENGTH', '这是 15 位旧身份证号码，请换算为 18 位号码后录入');
  }
  // X may only be the 18th character (the check digit); 15-digit numbers have no check digit.
  if (id.slice(0, 17).includes('X') || (id.length === 15 && id.includes('X'))) {
    return fail('BAD_CHARS', '公民身份号码中的字母 X 只能出现在最后一位');
  }

  const convertedFrom15 = id.length === 15;
  const full = convertedFrom15 ? convert15To18(id) : id;

  const regionCode = full.slice(0, 6);
  if (!PROVINCE_CODES.has(full.slice(0, 2))) {
    return fail('BAD_REGION', `公民身份号码前 6 位“${regionCode}”不是有效的行政区划代码（前两位应为省级代码）`);
  }

  const year = Number(full.slice(6, 10));
  const month = Number(full.slice(10, 12));
  const day = Number(full.slice(12, 14));
  const birthDate = `${full.slice(6, 10)}-${full.slice(10, 12)}-${full.slice(12, 14)}`;
  if (!isRealDate(year, month, day)) {
    return fail('BAD_BIRTH_DATE', `公民身份号码第 7 至 14 位“${full.slice(6, 14)}”不是有效的出生日期`);
  }
  if (birthDate < EARLIEST_BIRTH_DATE) {
    return fail('BAD_BIRTH_DATE', `公民身份号码中的出生日期 ${birthDate} 早于 1890 年，请核对`);
  }
  if (birthDate > today) {
    return fail('FUTURE_BIRTH_DATE', `公民身份号码中的出生日期 ${birthDate} 晚于今天，请核对`);
  }

  const expected = checkDigit(full.slice(0, 17));
  if (!convertedFrom15 && full.charAt(17) !== expected) {
    // Excel keeps 15 significant digits: a number typed as a number ends in "000" (or "00X"-like
    // garbage) once the cell is reformatted as text. Say so, because the fix is the same.
    const hint = /000$/.test(full)
      ? '号码末三位为 000，可能是电子表格把号码当作数字处理后丢失了末位，请按原始证件重新录入。'
      : '请逐位核对号码，常见原因是录入时错位、漏位或看错数字。';
    return fail('BAD_CHECK_DIGIT', `公民身份号码校验位不正确（最后一位应为 ${expected}）。${hint}`);
  }

  const sexDigit = full.charCodeAt(16) - 48;
  return {
    ok: true,
    value: {
      idNumber: full,
      birthDate,
      sex: sexDigit % 2 === 1 ? '1' : '2',
      regionCode,
      convertedFrom15,
    },
  };
}

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

/** Full years of age on a date ("周岁"); someone born on 29 February turns a year older on 1 March in common years. */
export function ageOn(birthDate: string, on: string): number {
  if (!ISO_DATE.test(birthDate) || !ISO_DATE.test(on)) throw new RangeError('ageOn needs dates as YYYY-MM-DD');
  // Fixed-width digits: 'MM-DD' compares as text exactly as the month and day compare as numbers.
  let age = Number(on.slice(0, 4)) - Number(birthDate.slice(0, 4));
  if (on.slice(5) < birthDate.slice(5)) age -= 1;
  return age;
}

// PIPL §28/§51, GB/T 35273: personal data shown masked unless the role needs the full value.
/** First 6 + '*' × (len − 10) + last 4: 320411********1230. Short strings keep only first and last character. */
export function maskIdNumber(id: string): string {
  const chars = Array.from(id.trim());
  const n = chars.length;
  if (n === 0) return '';
  if (n >= 11) return chars.slice(0, 6).join('') + '*'.repeat(n - 10) + chars.slice(n - 4).join('');
  if (n <= 2) return '*'.repeat(n);
  return (chars[0] ?? '') + '*'.repeat(n - 2) + (chars[n - 1] ?? '');
}

/**
 * Mobile: 3 + '****' + 4 (139****5678). Landline with an area code: area code kept, number masked
 * but its last 4 (0519-****2733). Anything else: all but the last 4 digits masked.
 */
export function maskPhone(phone: string): string {
  const p = removeWhitespace(toHalfWidth(phone));
  if (p === '') return '';
  const mobile = /^(\+?86)?(1\d{10})$/.exec(p.replace(/-/g, ''));
  if (mobile) {
    const m = mobile[2] ?? '';
    return `${m.slice(0, 3)}****${m.slice(7)}`;
  }
  const landline = /^(\(?0\d{2,3}\)?-?)(\d[\d-]*\d)$/.exec(p);
  if (landline && p.includes('-') === false && !p.startsWith('(')) {
    // No separator: 3-digit area codes are 010 and 02x, every other area code has 4 digits.
    const areaLen = /^0[12]/.test(p) ? 3 : 4;
    return p.slice(0, areaLen) + maskTail(p.slice(areaLen));
  }
  if (landline) return (landline[1] ?? '') + maskTail(landline[2] ?? '');
  return maskTail(p);
}

function maskTail(s: string): string {
  // A trailing "-801" after a full 7-8 digit number is an extension: keep it, mask the number.
  const ext = /^(.*\d.*)-(\d{1,6})$/.exec(s);
  if (ext && (ext[1] ?? '').replace(/\D/g, '').length >= 7) return `${maskTail(ext[1] ?? '')}-${ext[2] ?? ''}`;
  const digitCount = s.replace(/\D/g, '').length;
  let toMask = digitCount <= 4 ? digitCount : digitCount - 4;
  let out = '';
  for (const ch of s) {
    if (/\d/.test(ch) && toMask > 0) {
      out += '*';
      toMask -= 1;
    } else out += ch;
  }
  return out;
}
