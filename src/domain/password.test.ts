import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  checkPasswordStrength,
  countClasses,
  DEFAULT_PASSWORD_POLICY,
  generateInitialPassword,
  INITIAL_PASSWORD_LENGTH,
  isPasswordExpired,
  type PasswordPolicy,
} from './password.js';

describe('default policy (SPEC security defaults)', () => {
  it('is 8 characters, 3 of 4 classes, 5 remembered, 90 days, lock 30 min after 5 failures, idle 30 min, 12 h', () => {
    expect(DEFAULT_PASSWORD_POLICY).toEqual({
      minLength: 8,
      minClasses: 3,
      historySize: 5,
      maxAgeDays: 90,
      lockThreshold: 5,
      lockMinutes: 30,
      idleMinutes: 30,
      absoluteHours: 12,
    });
  });
});

describe('checkPasswordStrength: 8+ characters from 3 of 4 classes', () => {
  const complexity = '密码至少 8 位，且须包含大写字母、小写字母、数字、符号中的至少 3 类';
  it('accepts exactly 8 characters from 3 classes', () => {
    expect(checkPasswordStrength('Kz7mqwer', 'wuwq')).toEqual({ ok: true });
    expect(checkPasswordStrength('kz7m#wer', 'wuwq')).toEqual({ ok: true });
  });
  it('rejects 7 characters even with all 4 classes', () => {
    expect(checkPasswordStrength('Kz7#qwe', 'wuwq')).toEqual({ ok: false, message: complexity });
  });
  it('rejects 2 classes however long', () => {
    expect(checkPasswordStrength('kzmqwerkzmqwer77', 'wuwq')).toEqual({ ok: false, message: complexity });
    expect(checkPasswordStrength('KZMQWER#$%^&*', 'wuwq')).toEqual({ ok: false, message: complexity });
  });
  it('counts Chinese characters and spaces inside as symbols', () => {
    expect(countClasses('abc常州123')).toBe(3);
    expect(countClasses('a B')).toBe(3);
    expect(countClasses('')).toBe(0);
  });
  it('rejects a password containing the username, whatever the case', () => {
    expect(checkPasswordStrength('WuWeiQin#2016', 'wuweiqin')).toEqual({ ok: false, message: '密码不能包含用户名' });
  });
  it('ignores usernames shorter than 3 characters for the containment rule', () => {
    expect(checkPasswordStrength('Kz7mqwer', 'kz')).toEqual({ ok: true });
  });
  it('rejects common weak passwords that satisfy the class rule', () => {
    for (const p of ['Password1!', 'P@ssw0rd', 'Aa123456', '1qaz@WSX', 'admin@123']) {
      expect(checkPasswordStrength(p, 'wuwq'), p).toMatchObject({ ok: false, message: expect.stringContaining('常见') });
    }
  });
  it('rejects leading or trailing spaces and passwords over 128 characters', () => {
    expect(checkPasswordStrength(' Kz7mqwer', 'wuwq').ok).toBe(false);
    expect(checkPasswordStrength(`Kz7m${'q'.repeat(125)}`, 'wuwq').ok).toBe(false);
  });
  it('follows a stricter configured policy', () => {
    const strict: PasswordPolicy = { ...DEFAULT_PASSWORD_POLICY, minLength: 12, minClasses: 4 };
    expect(checkPasswordStrength('Kz7m#wer', 'wuwq', strict)).toMatchObject({
      ok: false,
      message: '密码至少 12 位，且须包含大写字母、小写字母、数字、符号中的至少 4 类',
    });
    expect(checkPasswordStrength('Kz7m#werTyui', 'wuwq', strict)).toEqual({ ok: true });
  });
});

describe('generateInitialPassword', () => {
  it('is 14 characters from all 4 classes with no ambiguous 0 O o 1 l I', () => {
    for (let i = 0; i < 200; i++) {
      const p = generateInitialPassword();
      expect(p).toHaveLength(INITIAL_PASSWORD_LENGTH);
      expect(countClasses(p)).toBe(4);
      expect(p).not.toMatch(/[0Oo1lI]/);
    }
  });
  it('always passes the strength check, also for the user it is made for', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[a-z]{3,10}$/), (username) => {
        expect(checkPasswordStrength(generateInitialPassword(username), username)).toEqual({ ok: true });
      }),
    );
  });
  it('gives a different password each time', () => {
    const seen = new Set(Array.from({ length: 100 }, () => generateInitialPassword()));
    expect(seen.size).toBe(100);
  });
});

describe('isPasswordExpired: changed every 90 days', () => {
  const changed = '2016-03-03T00:00:00.000Z';
  it('is not expired one millisecond before 90 days', () => {
    expect(isPasswordExpired(changed, new Date(Date.parse(changed) + 90 * 86_400_000 - 1))).toBe(false);
  });
  it('is expired at exactly 90 days', () => {
    expect(isPasswordExpired(changed, new Date('2016-06-01T00:00:00.000Z'))).toBe(true);
  });
  it('never expires when maxAgeDays is 0', () => {
    expect(isPasswordExpired(changed, new Date('2030-01-01'), { ...DEFAULT_PASSWORD_POLICY, maxAgeDays: 0 })).toBe(false);
  });
  it('treats an unreadable timestamp as expired', () => {
    expect(isPasswordExpired('not a date', new Date())).toBe(true);
  });
});
