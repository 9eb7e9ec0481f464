// Client-side hints matching the server's policy (the server decides; its message is shown on 400).
export const PASSWORD_POLICY_TEXT = [
  '至少 8 位，包含大写字母、小写字母、数字、符号中的至少 3 类',
  '不能与最近 5 次密码相同',
  '每 90 天须更换',
];

export function passwordClassCount(pw: string): number {
  let n = 0;
  if (/[A-Z]/.test(pw)) n++;
  if (/[a-z]/.test(pw)) n++;
  if (/[0-9]/.test(pw)) n++;
  if (/[^A-Za-z0-9]/.test(pw)) n++;
  return n;
}

/** A Chinese message when the password obviously breaks the length/class rule, else null. */
export function checkPasswordShape(pw: string): string | null {
  if (pw.length < 8) return '密码至少 8 位';
  if (passwordClassCount(pw) < 3) return '密码须包含大写字母、小写字母、数字、符号中的至少 3 类';
  return null;
}
