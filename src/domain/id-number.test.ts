import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  ageOn,
  checkDigit,
  convert15To18,
  maskIdNumber,
  maskPhone,
  normalizeIdNumber,
  parseIdNumber,
  scientificExample,
  todayInShanghai,
} from './id-number.js';

const TODAY = '2016-06-01';
/** A valid 18-digit number from its first 17 digits. */
const makeId = (first17: string): string => first17 + checkDigit(first17);
const errorCode = (raw: string, opts: { today?: string; accept15?: boolean } = { today: TODAY }) => {
  const r = parseIdNumber(raw, opts);
  return r.ok ? 'OK' : r.error.code;
};

describe('check digit (ISO 7064 MOD 11-2)', () => {
  it('matches the worked examples of GB 11643-1999', () => {
    expect(checkDigit('11010519491231002')).toBe('X');
    expect(checkDigit('44052418800101001')).toBe('4');
  });
  it('rejects input that is not 17 digits', () => {
    expect(() => checkDigit('1234')).toThrow(RangeError);
  });
  it('detects every single-digit typo in the first 17 digits', () => {
    fc.assert(
      fc.property(
        fc.stringMatching(/^\d{17}$/),
        fc.integer({ min: 0, max: 16 }),
        fc.integer({ min: 1, max: 9 }),
        (first17, pos, delta) => {
          const typo =
            first17.slice(0, pos) + String((Number(first17[pos]) + delta) % 10) + first17.slice(pos + 1);
          expect(checkDigit(typo)).not.toBe(checkDigit(first17));
        },
      ),
    );
  });
});

describe('normalising what people type', () => {
  it('removes spaces (incl. full-width and NBSP), converts full-width digits and upper-cases x', () => {
    expect(normalizeIdNumber(' １１０１０５\u3000１９４９\u00a01231 002ｘ ')).toBe('11010519491231002X');
    expect(normalizeIdNumber('11010519491231002x')).toBe('11010519491231002X');
  });
  it('accepts a lowercase x and full-width digits as the same number', () => {
    const r = parseIdNumber('１１０１０５１９４９１２３１００２ｘ', { today: TODAY });
    expect(r.ok && r.value.idNumber).toBe('11010519491231002X');
  });
});

describe('parseIdNumber', () => {
  it('reads birth date, sex, region from a valid number', () => {
    const r = parseIdNumber('11010519491231002X', { today: TODAY });
    expect(r).toEqual({
      ok: true,
      value: {
        idNumber: '11010519491231002X',
        birthDate: '1949-12-31',
        sex: '2',
        regionCode: '110105',
        convertedFrom15: false,
      },
    });
  });
  it('sex is 男 (1) when the 17th digit is odd and 女 (2) when even', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 9 }), (d) => {
        const r = parseIdNumber(makeId(`3204111990010112${d}`), { today: TODAY });
        expect(r.ok && r.value.sex).toBe(d % 2 === 1 ? '1' : '2');
      }),
    );
  });
  it('accepts every generated number with a valid region, a real past date and its check digit', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('320411', '320402', '320404', '110105', '820000'),
        fc.date({ min: new Date('1890-01-01T00:00:00Z'), max: new Date('2016-06-01T00:00:00Z'), noInvalidDate: true }),
        fc.stringMatching(/^\d{3}$/),
        (region, date, seq) => {
          const ymd = date.toISOString().slice(0, 10);
          const r = parseIdNumber(makeId(region + ymd.replace(/-/g, '') + seq), { today: TODAY });
          expect(r.ok && r.value.birthDate).toBe(ymd);
        },
      ),
    );
  });

  it('EMPTY: an empty or blank value', () => {
    expect(errorCode('')).toBe('EMPTY');
    expect(errorCode(' \u3000 ')).toBe('EMPTY');
  });
  it('SCIENTIFIC_NOTATION: a number Excel turned into 3.20411E+17 or 3.20411e17, with a message telling how to fix it', () => {
    expect(errorCode('3.20411E+17')).toBe('SCIENTIFIC_NOTATION');
    expect(errorCode('3.20411e17')).toBe('SCIENTIFIC_NOTATION');
    expect(errorCode('3.20411199001012E+17')).toBe('SCIENTIFIC_NOTATION');
    const r = parseIdNumber('3.20411E+17', { today: TODAY });
    expect(!r.ok && r.error.message).toMatch(/文本/);
    expect(!r.ok && r.error.message).toMatch(/丢失/);
  });
  it("SCIENTIFIC_NOTATION: the hint shows the importing unit's own region as Excel would (天宁区 320402 → 3.20402E+17)", () => {
    const own = parseIdNumber('3.20402E+17', { today: TODAY, regionCode: '320402001001' });
    expect(!own.ok && own.error.message).toContain('类似 3.20402E+17 的形式');
    expect(scientificExample('320404')).toBe('3.20404E+17');
    expect(scientificExample('110000')).toBe('1.1E+17');
    const none = parseIdNumber('3.20402E+17', { today: TODAY });
    expect(!none.ok && none.error.message).toContain('类似 3.20411E+17 的形式');
  });
  it('SCIENTIFIC_NOTATION: a number with a decimal point such as 320411199001011234.0', () => {
    expect(errorCode('320411199001011234.0')).toBe('SCIENTIFIC_NOTATION');
  });
  it('BAD_CHECK_DIGIT: a number ending in 000 says the spreadsheet may have dropped digits', () => {
    // 32041119900101100 has check digit 8, so "...1000" is what Excel leaves of "...1008".
    expect(checkDigit('32041119900101100')).toBe('8');
    const r = parseIdNumber('320411199001011000', { today: TODAY });
    expect(!r.ok && r.error.code).toBe('BAD_CHECK_DIGIT');
    expect(!r.ok && r.error.message).toMatch(/电子表格/);
  });
  it('BAD_LENGTH: anything but 18 digits (or 15 legacy digits)', () => {
    expect(errorCode('32041119900101123')).toBe('BAD_LENGTH');
    expect(errorCode('3204111990010112301')).toBe('BAD_LENGTH');
    expect(errorCode('1234567890123456')).toBe('BAD_LENGTH');
  });
  it('BAD_CHARS: letters other than a final X, or an X that is not last', () => {
    expect(errorCode('32041119900101123A')).toBe('BAD_CHARS');
    expect(errorCode('3204111990010112X0')).toBe('BAD_CHARS');
    expect(errorCode('32041119900101-230')).toBe('BAD_CHARS');
    expect(errorCode('32041190010112X', { today: TODAY })).toBe('BAD_CHARS');
  });
  it('BAD_REGION: first two digits must be a province code (00, 10, 99 are not)', () => {
    expect(errorCode(makeId('00041119900101123'))).toBe('BAD_REGION');
    expect(errorCode(makeId('10041119900101123'))).toBe('BAD_REGION');
    expect(errorCode(makeId('99041119900101123'))).toBe('BAD_REGION');
    expect(errorCode(makeId('71000019900101123'))).toBe('OK');
    expect(errorCode(makeId('83000019900101123'))).toBe('OK');
  });
  it('BAD_BIRTH_DATE: not a real calendar date (month 13, 31 April, 29 Feb in a common year)', () => {
    expect(errorCode(makeId('32041119901301123'))).toBe('BAD_BIRTH_DATE');
    expect(errorCode(makeId('32041119900431123'))).toBe('BAD_BIRTH_DATE');
    expect(errorCode(makeId('32041119900229123'))).toBe('BAD_BIRTH_DATE');
    expect(errorCode(makeId('32041119000229123'))).toBe('BAD_BIRTH_DATE'); // 1900 is not a leap year
    expect(errorCode(makeId('32041120000229123'))).toBe('OK'); // 2000 is
    expect(errorCode(makeId('32041119920229123'))).toBe('OK');
  });
  it('BAD_BIRTH_DATE: the boundary 1890-01-01 is accepted, the day before is not', () => {
    expect(errorCode(makeId('32041118900101123'))).toBe('OK');
    expect(errorCode(makeId('32041118891231123'))).toBe('BAD_BIRTH_DATE');
  });
  it('FUTURE_BIRTH_DATE: born today is accepted, born tomorrow is not', () => {
    expect(errorCode(makeId('32041120160601123'))).toBe('OK');
    expect(errorCode(makeId('32041120160602123'))).toBe('FUTURE_BIRTH_DATE');
  });
  it('BAD_CHECK_DIGIT: any wrong final character is rejected, naming the expected one', () => {
    fc.assert(
      fc.property(fc.constantFrom(...'0123456789X'), (last) => {
        const first17 = '32041119900101123';
        fc.pre(last !== checkDigit(first17));
        const r = parseIdNumber(first17 + last, { today: TODAY });
        expect(!r.ok && r.error.code).toBe('BAD_CHECK_DIGIT');
        expect(!r.ok && r.error.message).toContain(checkDigit(first17));
      }),
    );
  });

  it('converts a valid 15-digit legacy number to 18 digits by default', () => {
    const r = parseIdNumber('110105491231002', { today: TODAY });
    expect(r).toEqual({
      ok: true,
      value: {
        idNumber: '11010519491231002X',
        birthDate: '1949-12-31',
        sex: '2',
        regionCode: '110105',
        convertedFrom15: true,
      },
    });
  });
  it('rejects a 15-digit number when accept15 is false', () => {
    expect(errorCode('110105491231002', { today: TODAY, accept15: false })).toBe('BAD_LENGTH');
  });
  it('checks the birth date of a 15-digit number too', () => {
    expect(errorCode('110105491331002')).toBe('BAD_BIRTH_DATE');
  });
  it('convert15To18 inserts 19 after the region and appends the check digit', () => {
    expect(convert15To18('110105491231002')).toBe('11010519491231002X');
    expect(() => convert15To18('1101054912310')).toThrow(RangeError);
  });
  it('defaults today to the date in Asia/Shanghai (UTC+8)', () => {
    expect(todayInShanghai(new Date('2016-05-31T16:00:00Z'))).toBe('2016-06-01');
    expect(todayInShanghai(new Date('2016-05-31T15:59:59Z'))).toBe('2016-05-31');
  });
});

describe('ageOn', () => {
  it('counts full years: the birthday itself adds the year, the day before does not', () => {
    expect(ageOn('1990-06-01', '2016-06-01')).toBe(26);
    expect(ageOn('1990-06-01', '2016-05-31')).toBe(25);
    expect(ageOn('2016-06-01', '2016-06-01')).toBe(0);
  });
  it('someone born on 29 February turns older on 1 March in a common year', () => {
    expect(ageOn('2000-02-29', '2017-02-28')).toBe(16);
    expect(ageOn('2000-02-29', '2017-03-01')).toBe(17);
    expect(ageOn('2000-02-29', '2016-02-29')).toBe(16);
  });
  it('rejects dates not written as YYYY-MM-DD', () => {
    expect(() => ageOn('1990/06/01', '2016-06-01')).toThrow(RangeError);
  });
});

describe('masking (PIPL): ID numbers first 6 + last 4, phones 3 + 4', () => {
  it('masks an 18-digit ID number as 320411********1230', () => {
    expect(maskIdNumber('320411199001011230')).toBe('320411********1230');
  });
  it('masks a 15-digit number with 5 stars and keeps 6 + 4', () => {
    expect(maskIdNumber('110105491231002')).toBe('110105*****1002');
  });
  it('a masked ID number has the original length and never shows the birth date digits', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^\d{17}[\dX]$/), (id) => {
        const m = maskIdNumber(id);
        expect(m).toHaveLength(18);
        expect(m.slice(6, 14)).toBe('********');
      }),
    );
  });
  it('masks short strings keeping only the first and last character', () => {
    expect(maskIdNumber('12345')).toBe('1***5');
    expect(maskIdNumber('12')).toBe('**');
    expect(maskIdNumber('')).toBe('');
  });
  it('masks a mobile number as 139****5678, also with +86 or dashes', () => {
    expect(maskPhone('13912345678')).toBe('139****5678');
    expect(maskPhone('+86 139 1234 5678')).toBe('139****5678');
    expect(maskPhone('139-1234-5678')).toBe('139****5678');
  });
  it('masks a landline keeping the area code and the last 4 digits', () => {
    expect(maskPhone('0519-88112733')).toBe('0519-****2733');
    expect(maskPhone('051988112733')).toBe('0519****2733');
    expect(maskPhone('01088112733')).toBe('010****2733');
    expect(maskPhone('(0519)88112733')).toBe('(0519)****2733');
    expect(maskPhone('0519-8811 2733')).toBe('0519-****2733');
    expect(maskPhone('0519-88112733-801')).toBe('0519-****2733-801');
  });
  it('masks a local number without area code as all but the last 4 digits', () => {
    expect(maskPhone('88112733')).toBe('****2733');
    expect(maskPhone('')).toBe('');
  });
});
