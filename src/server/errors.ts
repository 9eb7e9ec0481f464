// The few typed errors of the application, mapped to HTTP in one place (app.ts error handler).
import type { ErrorCode } from '../shared/errors.js';

export class AppError extends Error {
  constructor(
    readonly status: number,
    readonly code: ErrorCode,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'AppError';
  }
}

export const invalidInput = (message: string, details?: unknown) => new AppError(400, 'INVALID_INPUT', message, details);
/** Also used for objects outside the user's scope: they answer exactly like missing ones. */
export const notFound = (message = '对象不存在') => new AppError(404, 'NOT_FOUND', message);
export const forbidden = (message = '无权执行此操作') => new AppError(403, 'FORBIDDEN', message);
export const conflict = (message: string, details?: unknown) => new AppError(409, 'CONFLICT', message, details);
export const unauthenticated = (message = '请先登录') => new AppError(401, 'UNAUTHENTICATED', message);
