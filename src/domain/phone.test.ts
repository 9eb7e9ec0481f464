import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { validatePhone } from './phone.js';

const value = (raw: string) => {
  const r = validatePhone(raw);
  return r.ok ? `${r.kind}:${r.value}` : 'ERR';
};

describe('validatePhone: mobile numbers', () => {
  it('accepts 11 digits starting 13-19 and returns them bare', () => {
    expect(value('13912345678')).toBe('mobile:13912345678');
    expect(value('19912345678')).toBe('mobile:19912345678');
  });
  it('accepts and strips +86, 86 and 0086 prefixes, spaces and dashes', () => {
    expect(value('+86 139 1234 5678')).toBe('mobile:13912345678');
    expect(value('8613912345678')).toBe('mobile:13912345678');
    expect(value('0086-139-1234-5678')).toBe('mobile:13912345678');
  });
  it('normalises full-width digits and the ideographic space', () => {
    expect(value('１３９\u3000１２３４ ５６７８')).toBe('mobile:13912345678');
  });
  it('rejects a second digit of 0, 1 or 2 and wrong lengths', () => {
    expect(value('12912345678')).toBe('ERR');
    expect(value('11912345678')).toBe('ERR');
    expect(value('1391234567')).toBe('ERR');
    expect(value('139123456789')).toBe('ERR');
  });
  it('accepts every 1[3-9] followed by 9 digits', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^1[3-9]\d{9}$/), (m) => {
        expect(value(m)).toBe(`mobile:${m}`);
      }),
    );
  });
});

describe('validatePhone: landlines', () => {
  it('accepts the Changzhou style 0519-8811 2733 and normalises to 0519-88112733', () => {
    expect(value('0519-8811 2733')).toBe('landline:0519-88112733');
    expect(value('0519-88112733')).toBe('landline:0519-88112733');
    expect(value('(0519)88112733')).toBe('landline:0519-88112733');
    expect(value('（０５１９）８８１１２７３３')).toBe('landline:0519-88112733');
    expect(value('051988112733')).toBe('landline:0519-88112733');
  });
  it('uses 3-digit area codes for 010 and 02x when written without a separator', () => {
    expect(value('01088112733')).toBe('landline:010-88112733');
    expect(value('02588112733')).toBe('landline:025-88112733');
  });
  it('accepts 7- and 8-digit numbers and rejects 6 or 9 digits', () => {
    expect(value('0519-8811273')).toBe('landline:0519-8811273');
    expect(value('0519-881127')).toBe('ERR');
    expect(value('0519-881127334')).toBe('ERR');
  });
  it('accepts an extension after a dash, 转 or #', () => {
    expect(value('0519-88112733-801')).toBe('landline:0519-88112733-801');
    expect(value('0519-88112733转801')).toBe('landline:0519-88112733-801');
    expect(value('0519-88112733#801')).toBe('landline:0519-88112733-801');
  });
  it('accepts a local number without area code, like the seed\'s 88112733', () => {
    expect(value('88112733')).toBe('landline:88112733');
  });
  it('rejects an area code not starting with 0 or a number starting with 0 or 1', () => {
    expect(value('00-88112733')).toBe('ERR');
    expect(value('0519-08112733')).toBe('ERR');
    expect(value('0519-18112733')).toBe('ERR');
  });
  it('rejects empty input and text with a message', () => {
    const r = validatePhone('');
    expect(r.ok).toBe(false);
    expect(!r.ok && r.message).toMatch(/不能为空/);
    const t = validatePhone('无');
    expect(!t.ok && t.message).toMatch(/0519-88112733/);
  });
});
