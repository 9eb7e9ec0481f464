// The password rules as the user reads them, and the check the form runs while typing: both from the
// server's own rules (src/domain/password.ts), so the list names every rule enforced and the form
// refuses what the server would (the server still decides; its message is shown on 400).
import { DEFAULT_PASSWORD_POLICY as POLICY, MAX_PASSWORD_LENGTH, checkPasswordStrength } from '../../domain/password';

export const PASSWORD_POLICY_TEXT = [
  `${POLICY.minLength} 至 ${MAX_PASSWORD_LENGTH} 位，包含大写字母、小写字母、数字、符号中的至少 ${POLICY.minClasses} 类`,
  '不能包含用户名',
  '不能是常见密码（如 Admin@123、1qaz@WSX）',
  '首尾不能是空格',
  `不能与最近 ${POLICY.historySize} 次密码相同`,
  `每 ${POLICY.maxAgeDays} 天须更换`,
];

/** The server's message for a password it would refuse for this user name, else null. */
export function checkPasswordShape(password: string, username: string): string | null {
  const r = checkPasswordStrength(password, username);
  return r.ok ? null : r.message;
}
