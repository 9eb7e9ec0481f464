// Password policy. Not in the seed: SPEC "Security defaults" (等保2.0 level 3, GB/T 22239-2019
// §8.1.4.1 身份鉴别: "口令具有复杂度要求并定期更换"; "登录失败处理功能…限制非法登录次数…自动退出").
// The numbers are assessors' common practice and campaign-independent configuration.

export type PasswordPolicy = {
  minLength: number;
  /** of the 4 classes: lowercase, uppercase, digits, symbols */
  minClasses: number;
  /** the last N passwords may not be reused */
  historySize: number;
  /** must be changed after this many days; 0 = never expires */
  maxAgeDays: number;
  /** failed logins before the account locks */
  lockThreshold: number;
  lockMinutes: number;
  idleMinutes: number;
  absoluteHours: number;
};

/** SPEC: 8+ chars from 3 of 4 classes, every 90 days, last 5 not reused, lock 30 min after 5 failures, idle 30 min, 12 h max. */
export const DEFAULT_PASSWORD_POLICY: PasswordPolicy = {
  minLength: 8,
  minClasses: 3,
  historySize: 5,
  maxAgeDays: 90,
  lockThreshold: 5,
  lockMinutes: 30,
  idleMinutes: 30,
  absoluteHours: 12,
};

/** Upper bound so a hash function is never fed megabytes. */
export const MAX_PASSWORD_LENGTH = 128;

/**
 * Passwords that meet the class rule yet top every leaked-password list (including the
 * Chinese ones: Aa123456, 1qaz@WSX, Admin@123 …). Compared case-insensitively.
 */
const WEAK_PASSWORDS: ReadonlySet<string> = new Set(
  [
    'Password1', 'Password1!', 'Password@1', 'Password@123', 'Password123', 'Passw0rd', 'Passw0rd!', 'P@ssw0rd',
    'P@ssword1', 'P@ssw0rd123', 'Aa123456', 'Aa123456!', 'Aa123456.', 'Aa12345678', 'Abc12345', 'Abc@1234',
    'Abc@123456', 'Abcd1234', 'Abcd@1234', 'Admin123', 'Admin@123', 'Admin@1234', 'Admin123!', 'Qwer1234',
    'Qwer@1234', 'Qwe123!@#', 'Qaz123456', '1qaz@WSX', '1qaz2wsx#EDC', '1qaz!QAZ', 'Welcome1', 'Welcome@123',
    'Root@123', 'Test@123', 'Changeme1', 'Changzhou@123', 'Cz123456', 'Sb123456', 'Woaini1314', 'Zxcvbnm1',
  ].map((p) => p.toLowerCase()),
);

const CLASS_TESTS: ReadonlyArray<(c: string) => boolean> = [
  (c) => c >= 'a' && c <= 'z',
  (c) => c >= 'A' && c <= 'Z',
  (c) => c >= '0' && c <= '9',
  (c) => !/[A-Za-z0-9]/.test(c),
];

/** How many of the 4 classes (lowercase, uppercase, digits, symbols) the password uses. */
export function countClasses(password: string): number {
  let n = 0;
  for (const test of CLASS_TESTS) if (Array.from(password).some(test)) n += 1;
  return n;
}

export function checkPasswordStrength(
  password: string,
  username: string,
  policy: PasswordPolicy = DEFAULT_PASSWORD_POLICY,
): { ok: true } | { ok: false; message: string } {
  const length = Array.from(password).length;
  if (length < policy.minLength || countClasses(password) < policy.minClasses) {
    return {
      ok: false,
      message: `密码至少 ${policy.minLength} 位，且须包含大写字母、小写字母、数字、符号中的至少 ${policy.minClasses} 类`,
    };
  }
  if (length > MAX_PASSWORD_LENGTH) return { ok: false, message: `密码不能超过 ${MAX_PASSWORD_LENGTH} 位` };
  if (/^\s|\s$/.test(password)) return { ok: false, message: '密码首尾不能是空格' };
  const user = username.trim().toLowerCase();
  if (user.length >= 3 && password.toLowerCase().includes(user)) {
    return { ok: false, message: '密码不能包含用户名' };
  }
  if (WEAK_PASSWORDS.has(password.toLowerCase())) {
    return { ok: false, message: '该密码过于常见，容易被猜中，请换一个' };
  }
  return { ok: true };
}

// Unambiguous alphabets for passwords read out or copied from paper: no 0/O/o, 1/l/I, no quotes or |.
const LOWER = 'abcdefghijkmnpqrstuvwxyz';
const UPPER = 'ABCDEFGHJKLMNPQRSTUVWXYZ';
const DIGITS = '23456789';
const SYMBOLS = '!@#$%^&*-_=+?';
const ALL = LOWER + UPPER + DIGITS + SYMBOLS;
export const INITIAL_PASSWORD_LENGTH = 14;

/** Uniform integer in [0, n) from the platform's cryptographic random source (rejection sampling). */
function randomIndex(n: number): number {
  const buf = new Uint32Array(1);
  const limit = Math.floor(0x1_0000_0000 / n) * n;
  for (;;) {
    globalThis.crypto.getRandomValues(buf);
    const v = buf[0] ?? 0;
    if (v < limit) return v % n;
  }
}

function pick(alphabet: string): string {
  return alphabet.charAt(randomIndex(alphabet.length));
}

/**
 * A first password for a new user (SPEC: "no default or empty passwords; the first login forces a
 * change"): 14 characters with at least one of each class, none ambiguous. Passes
 * checkPasswordStrength for the given username.
 */
export function generateInitialPassword(username = ''): string {
  for (;;) {
    const chars = [pick(LOWER), pick(UPPER), pick(DIGITS), pick(SYMBOLS)];
    while (chars.length < INITIAL_PASSWORD_LENGTH) chars.push(pick(ALL));
    for (let i = chars.length - 1; i > 0; i--) {
      const j = randomIndex(i + 1);
      const t = chars[i] as string;
      chars[i] = chars[j] as string;
      chars[j] = t;
    }
    const password = chars.join('');
    if (checkPasswordStrength(password, username).ok) return password;
  }
}

/**
 * "changed every 90 days": expired once maxAgeDays full days have passed since the change.
 * An unreadable timestamp counts as expired (fail safe: the user is asked to change it).
 */
export function isPasswordExpired(
  changedAt: string,
  now: Date,
  policy: PasswordPolicy = DEFAULT_PASSWORD_POLICY,
): boolean {
  if (policy.maxAgeDays <= 0) return false;
  const t = Date.parse(changedAt);
  if (Number.isNaN(t)) return true;
  return now.getTime() - t >= policy.maxAgeDays * 86_400_000;
}
