import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkDigit } from './id-number.js';
import { maskBirthDate, maskRegistrationErrors, maskRegistrationRecord, registrationSecrets, scrubText } from './masking.js';
import { validateRegistration } from './registration.js';

const makeId = (first17: string): string => first17 + checkDigit(first17);
const ID = makeId('32040219810101100'); // 320402 19810101 100 + check digit

/** Everything a masked text must not contain about ID (the full number, the 8 hidden digits, the date in any spelling). */
function leaks(text: string, id: string): string[] {
  const y = id.slice(6, 10);
  const m = id.slice(10, 12);
  const d = id.slice(12, 14);
  const forms = [id, id.slice(6, 14), `${y}-${m}-${d}`, `${y}/${m}/${d}`, `${y}.${m}.${d}`, `${y}年${Number(m)}月${Number(d)}日`, `${y}年${m}月${d}日`, `${y}-${m}`, `${y}年${Number(m)}月`];
  return forms.filter((f) => text.includes(f));
}

describe('masked views never carry what the ID mask hides', () => {
  it('a masked birth date is the year only', () => {
    expect(maskBirthDate('1981-01-01')).toBe('1981');
    expect(maskBirthDate('bad')).toBe('****');
  });

  it('a masked record keeps the year of birth and masks every ID number and phone', () => {
    const masked = maskRegistrationRecord({ idNumber: ID, birthDate: '1981-01-01', phone: '13912345678', householdHeadIdNumber: ID, guardianIdNumber: null, remarks: `户主身份证 ${ID}，生于1981年1月1日`, name: '张三' });
    expect(masked.birthDate).toBe('1981');
    expect(masked.idNumber).toBe(`320402********${ID.slice(14)}`);
    expect(masked.phone).toBe('139****5678');
    expect(masked.name).toBe('张三');
    expect(leaks(JSON.stringify(masked), ID)).toEqual([]);
  });

  it('validation messages of a masked record do not spell the hidden digits or the birth date', () => {
    // Birth date contradicting the number, survey before birth: both messages quote dates of birth.
    const check = validateRegistration({ idNumber: ID, name: '张三', birthDate: '1981-02-03', surveyDate: '1980-01-01', hukouType: '10', residentialAddress: '天宁区', personCategory: '70', phone: '13912345678' }, { today: '2016-06-01' });
    const joined = check.errors.map((e) => e.message).join('\n');
    expect(leaks(joined, ID).length).toBeGreaterThan(0); // the unmasked messages do quote them
    const masked = maskRegistrationErrors(check.errors, registrationSecrets({ idNumber: ID, birthDate: '1981-02-03' }));
    const text = masked.map((e) => e.message).join('\n');
    expect(leaks(text, ID)).toEqual([]);
    expect(text).not.toContain('1981-02-03');
    expect(text).toContain('1981');
  });

  it('an invalid number whose hidden digits are no date is not echoed either', () => {
    const bad = '320402198113011004';
    const check = validateRegistration({ idNumber: bad, name: '张三' }, { today: '2016-06-01' });
    const msg = maskRegistrationErrors(check.errors, registrationSecrets({ idNumber: bad })).map((e) => e.message).join('');
    expect(msg).not.toContain('19811301');
    expect(msg).not.toContain(bad);
  });

  it('for any valid ID number and birth date, the scrubbed text keeps none of the forms (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1900, max: 2015 }), fc.integer({ min: 1, max: 12 }), fc.integer({ min: 1, max: 28 }), fc.integer({ min: 0, max: 999 }), (y, m, d, seq) => {
        const ymd = `${y}${String(m).padStart(2, '0')}${String(d).padStart(2, '0')}`;
        const id = makeId(`320411${ymd}${String(seq).padStart(3, '0')}`);
        const iso = `${y}-${ymd.slice(4, 6)}-${ymd.slice(6)}`;
        const text = `号码 ${id} 出生 ${iso}、${y}/${m}/${d}、${y}年${m}月${d}日、${ymd}，出生年月 ${iso.slice(0, 7)}`;
        const out = scrubText(text, { idNumbers: [id], birthDates: [iso] });
        expect(leaks(out, id)).toEqual([]);
        expect(out).toContain(String(y));
      }),
    );
  });

  it('text about unknown people loses ID numbers, mobiles and long digit runs; allDates reduces every date', () => {
    const out = scrubText(`${ID} 13912345678 88112733 2016-05-03`, undefined, { allDates: true });
    expect(out).not.toContain(ID);
    expect(out).toContain('139****5678');
    expect(out).not.toContain('88112733');
    expect(out).toContain('2016年');
    expect(out).not.toContain('05-03');
  });
});
