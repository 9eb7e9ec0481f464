// The import's hot rules take a shortcut for values already written in their normal form (a plain
// mobile number, a 'YYYY-MM-DD' date, a code or label as the table has it). A leading space keeps a
// value off every shortcut (each needs the exact form) while meaning the same, so the general path's
// answer for ' ' + value is what the shortcut must give for value.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { validatePhone } from './phone.js';
import { parseDateInput } from './registration-dates.js';
import { CODE_TABLES, codeOf } from '../shared/codes/index.js';
import { validateRegistration, validateRegistrationFields, registrationFieldIndex } from './registration.js';
import { REGISTRATION_FIELDS } from '../shared/registration.js';

const digits = (min: number, max: number) => fc.string({ unit: fc.constantFrom(...'0123456789'), minLength: min, maxLength: max });

describe('shortcuts give what the general path gives', () => {
  it('phone numbers', () => {
    fc.assert(
      fc.property(fc.oneof(digits(11, 11).map((d) => `1${d.slice(1)}`), digits(7, 13)), (phone) => {
        expect(validatePhone(phone)).toEqual(validatePhone(` ${phone}`));
      }),
      { numRuns: 2000 },
    );
  });

  it('dates, real or not', () => {
    const date = fc.tuple(fc.integer({ min: 0, max: 9999 }), fc.integer({ min: 0, max: 99 }), fc.integer({ min: 0, max: 99 })).map(([y, m, d]) => `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`);
    fc.assert(
      fc.property(date, (d) => {
        const fast = parseDateInput(d);
        const general = parseDateInput(` ${d}`);
        expect(fast.ok).toBe(general.ok);
        if (fast.ok && general.ok) expect(fast.value).toBe(general.value);
      }),
      { numRuns: 3000 },
    );
    expect(parseDateInput('2016-02-29')).toEqual({ ok: true, value: '2016-02-29' });
    expect(parseDateInput('2015-02-29').ok).toBe(false);
    expect(parseDateInput('0999-01-01').ok).toBe(false);
  });

  it('codes and labels of every table', () => {
    for (const table of Object.values(CODE_TABLES)) {
      for (const e of table.entries) {
        for (const text of [e.code, e.label, ...(e.aliases ?? []), e.label.toUpperCase(), `0${e.code}`]) {
          expect(codeOf(table, text), `${table.id}: ${text}`).toBe(codeOf(table, ` ${text}`));
        }
      }
    }
  });

  it('a record by field position is validated as the same record by name', () => {
    const record = { name: '张三', idNumber: '320411198004228574', phone: '13912345678', surveyDate: '2016-05-01', ethnicity: '汉族', hukouType: '12', personCategory: '31', ins110Status: '1', ins110Place: '常州市', residenceAddress: '青洋北路161号', sex: '2' };
    const fields = REGISTRATION_FIELDS.map((f) => (record as Record<string, string | undefined>)[f.key] ?? null);
    const byName = validateRegistration(record, { today: '2016-12-31' });
    const byPosition = validateRegistrationFields(fields, { today: '2016-12-31' });
    expect(byPosition.errors).toEqual(byName.errors);
    expect(byPosition.notes).toEqual(byName.notes);
    expect(REGISTRATION_FIELDS.map((f) => byName.values[f.key])).toEqual(byPosition.values);
    // The sex given disagrees with the number (its 17th digit is odd: 男).
    expect(byName.errors.map((e) => e.code)).toEqual(['SEX_MISMATCH']);
    expect(byPosition.values[registrationFieldIndex('ethnicity')]).toBe('01');
  });
});
