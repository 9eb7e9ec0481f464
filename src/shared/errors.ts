// Stable error codes shared by server and web. The HTTP body of every error is
// { error: { code, message, details? } } with a Chinese message for people.
export const ERROR_CODES = [
  'INVALID_INPUT',
  'UNAUTHENTICATED',
  'FORBIDDEN',
  'NOT_FOUND',
  'CONFLICT',
  'PASSWORD_CHANGE_REQUIRED',
  'REAUTH_REQUIRED',
  'ACCOUNT_LOCKED',
  'TOTP_REQUIRED',
  'TOO_MANY_ATTEMPTS',
  'PAYLOAD_TOO_LARGE',
  'INTERNAL',
  'BUSY',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

export type ApiErrorBody = {
  error: { code: ErrorCode; message: string; details?: unknown };
};
