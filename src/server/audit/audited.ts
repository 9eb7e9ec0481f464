// Every write goes through here: the change and its audit entry commit together, and a refused
// or failed write is itself recorded (success = false) before the error goes back to the caller.
import type { Transaction } from 'kysely';
import type { Database } from '../db/schema.js';
import type { AppCtx } from '../context.js';
import { AppError } from '../errors.js';
import { appendAudit, recordAudit, type Actor } from './store.js';

export type AuditedResult<T> = {
  result: T;
  objectType: string;
  objectId?: string | number | null;
  before?: unknown;
  after?: unknown;
};

export async function audited<T>(
  ctx: AppCtx,
  actor: Actor,
  event: string,
  fn: (trx: Transaction<Database>) => Promise<AuditedResult<T>>,
): Promise<T> {
  try {
    return await ctx.db.transaction().execute(async (trx) => {
      const r = await fn(trx);
      await appendAudit(trx, ctx.dialect, actor, {
        event,
        objectType: r.objectType,
        objectId: r.objectId ?? null,
        before: r.before,
        after: r.after,
      });
      return r.result;
    });
  } catch (err) {
    const reason = err instanceof AppError ? { code: err.code, message: err.message } : { code: 'INTERNAL' };
    await recordAudit(ctx.db, ctx.dialect, actor, { event, success: false, after: reason }).catch(() => undefined);
    throw err;
  }
}
