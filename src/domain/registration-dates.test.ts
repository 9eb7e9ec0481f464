import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isRealDate } from './id-number.js';
import { dateToExcelSerial, excelSerialToDate, parseDateInput, parseYearMonthInput } from './registration-dates.js';

const date = (raw: string) => {
  const r = parseDateInput(raw);
  return r.ok ? r.value : 'ERR';
};
const ym = (raw: string) => {
  const r = parseYearMonthInput(raw);
  return r.ok ? r.value : 'ERR';
};

describe('dates: the formats people and spreadsheets write', () => {
  it('accepts 2016-05-03, 2016/5/3, 20160503, 2016年5月3日, 2016.5.3', () => {
    for (const s of ['2016-05-03', '2016/5/3', '20160503', '2016年5月3日', '2016.5.3', '2016-5-3', '2016年05月03号', ' 2016 年 5 月 3 日 ']) {
      expect(date(s), s).toBe('2016-05-03');
    }
  });
  it('accepts full-width digits and a trailing time of day (CSV written by Excel)', () => {
    expect(date('２０１６／５／３')).toBe('2016-05-03');
    expect(date('2016/5/3 0:00:00')).toBe('2016-05-03');
    expect(date('2016-05-03T00:00:00.000Z')).toBe('2016-05-03');
    expect(date('2016-05-03 12:30')).toBe('2016-05-03');
  });
  it('reads an Excel serial day number: 42493 is 2016-05-03', () => {
    expect(date('42493')).toBe('2016-05-03');
    expect(date('42493.75')).toBe('2016-05-03');
    expect(excelSerialToDate(61)).toBe('1900-03-01');
    expect(excelSerialToDate(60)).toBeNull();
    expect(excelSerialToDate(Number.NaN)).toBeNull();
    expect(dateToExcelSerial('2016-05-03')).toBe(42493);
    // A lone year is a year, not serial 2016 (1905-07-08).
    expect(date('2016')).toBe('ERR');
    expect(date('1980.03')).toBe('ERR');
    expect(date('2200')).toBe('1906-01-08');
  });
  it('rejects dates that do not exist', () => {
    expect(date('2016-02-30')).toBe('ERR');
    expect(date('2015-02-29')).toBe('ERR');
    expect(date('2016-13-01')).toBe('ERR');
    expect(date('20161301')).toBe('ERR');
    expect(date('2016-02-29')).toBe('2016-02-29');
  });
  it('rejects what is not a date, including 6-digit numbers (a year-month, not a serial)', () => {
    for (const s of ['', 'abc', '2016', '201605', '16-5-3', '2016-05', '5/3/2016', '0', '12']) expect(date(s), s).toBe('ERR');
    const r = parseDateInput('abc');
    expect(!r.ok && r.message).toContain('2016-05-03');
  });
  it('any real date round-trips through every accepted format and the Excel serial', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1900, max: 2099 }), fc.integer({ min: 1, max: 12 }), fc.integer({ min: 1, max: 31 }), (y, m, d) => {
        fc.pre(isRealDate(y, m, d) && !(y === 1900 && m < 3));
        const p = (n: number) => String(n).padStart(2, '0');
        const isoDate = `${String(y)}-${p(m)}-${p(d)}`;
        for (const s of [
          isoDate,
          `${String(y)}/${String(m)}/${String(d)}`,
          `${String(y)}${p(m)}${p(d)}`,
          `${String(y)}年${String(m)}月${String(d)}日`,
          `${String(y)}.${p(m)}.${p(d)}`,
        ]) {
          expect(date(s)).toBe(isoDate);
        }
        if (y >= 1907) expect(date(String(dateToExcelSerial(isoDate)))).toBe(isoDate);
      }),
    );
  });
});

describe('year-months (参保年月)', () => {
  it("accepts 'YYYY-MM', 'YYYY/MM', 'YYYYMM', 'YYYY年MM月'", () => {
    for (const s of ['2016-05', '2016/05', '2016/5', '201605', '2016年5月', '2016年05月', '2016.05', '２０１６－０５']) {
      expect(ym(s), s).toBe('2016-05');
    }
  });
  it('accepts a full date or Excel serial and keeps its month', () => {
    expect(ym('2016-05-03')).toBe('2016-05');
    expect(ym('42493')).toBe('2016-05');
  });
  it('rejects month 0 or 13 and non-dates', () => {
    for (const s of ['2016-13', '2016-00', '201613', '2016', 'May 2016', '']) expect(ym(s), s).toBe('ERR');
  });
  it('any year-month round-trips through the accepted formats', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1900, max: 2099 }), fc.integer({ min: 1, max: 12 }), (y, m) => {
        const v = `${String(y)}-${String(m).padStart(2, '0')}`;
        for (const s of [v, `${String(y)}/${String(m)}`, `${String(y)}${String(m).padStart(2, '0')}`, `${String(y)}年${String(m)}月`]) {
          expect(ym(s)).toBe(v);
        }
      }),
    );
  });
});
