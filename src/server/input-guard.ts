// One check for every route: no text input may contain a NUL character. PostgreSQL cannot store
// U+0000 in text (the query fails: a 500), SQLite would store it and cut the value short in C
// clients; nobody types one. Query strings, route parameters and JSON bodies are walked before
// validation (multipart fields and file names by receiveFile); the answer is the usual 400
// INVALID_INPUT with a Chinese message.
import type { FastifyInstance } from 'fastify';
import { invalidInput } from './errors.js';

/** The path ('body.record.name') of the first string or key holding U+0000, or null. */
export function nulPath(value: unknown, where: string, depth = 0): string | null {
  if (typeof value === 'string') return value.includes('\u0000') ? where : null;
  if (value === null || typeof value !== 'object' || depth > 64) return null;
  if (Buffer.isBuffer(value)) return null; // raw uploads are files, checked by their own rules
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
    if (k.includes('\u0000')) return `${where}.${k.split('\u0000').join('\\0')}`;
    const found = nulPath(v, Array.isArray(value) ? `${where}[${k}]` : `${where}.${k}`, depth + 1);
    if (found) return found;
  }
  return null;
}

/** Throws the 400 when any of the named inputs holds U+0000 (also used for multipart fields and file names). */
export function assertNoNul(inputs: Record<string, unknown>): void {
  for (const [where, value] of Object.entries(inputs)) {
    const found = nulPath(value, where);
    if (found) throw invalidInput('输入内容含有不允许的空字符（NUL），请删除后重试', { field: found.replace(/^(params|query|body)\.?/, '') || found });
  }
}

export function registerInputGuard(app: FastifyInstance): void {
  app.addHook('preValidation', async (request) => assertNoNul({ params: request.params, query: request.query, body: request.body }));
}
