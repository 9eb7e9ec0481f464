// Append-only, hash-chained audit log (SPEC security defaults: who, when, unit, event, object,
// success, before → after; tampering detectable). The database refuses UPDATE and DELETE on the
// table (migration 001, re-created at start-up by guard.ts); nothing in the API writes it except
// append, and nothing deletes entries. Each entry also carries a MAC of its hash with the audit key
// (key.ts), and verify.ts checks the chain against heads recorded outside the database.
import { createHash } from 'node:crypto';
import type { Kysely, Transaction } from 'kysely';
import type { AuditLogRow, Database } from '../db/schema.js';
import type { DialectName } from '../db/index.js';
import { lockForWrite, LOCK_KEYS, type AnyDb } from '../db/dialect.js';
import { dayEnd, dayStart, nowIso } from '../clock.js';
import { currentAuditKey, macOf } from './key.js';

export type Actor = {
  userId: number | null;
  username: string | null;
  orgUnitId: number | null;
  ip: string | null;
};

export const SYSTEM_ACTOR: Actor = { userId: null, username: 'system', orgUnitId: null, ip: null };

export type AuditInput = {
  event: string;
  objectType?: string | null;
  objectId?: string | number | null;
  success?: boolean;
  before?: unknown;
  after?: unknown;
};

export const GENESIS = '0'.repeat(64);

export type HashedFields = Omit<AuditLogRow, 'id' | 'hash' | 'prev_hash' | 'mac'>;

/** SHA-256 over the previous hash and the entry's fields (the MAC is not part of it). */
export function entryHash(prevHash: string, e: HashedFields): string {
  const canonical = JSON.stringify([
    e.at,
    e.user_id,
    e.username,
    e.org_unit_id,
    e.event,
    e.object_type,
    e.object_id,
    e.success,
    e.before_json,
    e.after_json,
    e.ip,
  ]);
  return createHash('sha256').update(prevHash).update(canonical).digest('hex');
}

const FORBIDDEN_KEYS = /password|secret|token/i;

/** Drops secrets from before/after snapshots whatever the caller passed. */
function snapshot(value: unknown): string | null {
  if (value === undefined || value === null) return null;
  return JSON.stringify(value, (k, v) => (k && FORBIDDEN_KEYS.test(k) ? undefined : v));
}

export async function appendAudit(
  trx: Transaction<Database>,
  dialect: DialectName,
  actor: Actor,
  input: AuditInput,
): Promise<void> {
  const key = currentAuditKey(); // before the lock: a missing key fails without waiting
  await lockForWrite(trx, dialect, LOCK_KEYS.audit);
  const last = await trx.selectFrom('audit_log').select('hash').orderBy('id', 'desc').limit(1).executeTakeFirst();
  const prevHash = last?.hash ?? GENESIS;
  const row = {
    at: nowIso(),
    user_id: actor.userId,
    username: actor.username,
    org_unit_id: actor.orgUnitId,
    event: input.event,
    object_type: input.objectType ?? null,
    object_id: input.objectId === undefined || input.objectId === null ? null : String(input.objectId),
    success: input.success === false ? 0 : 1,
    before_json: snapshot(input.before),
    after_json: snapshot(input.after),
    ip: actor.ip,
  };
  const hash = entryHash(prevHash, row);
  await trx
    .insertInto('audit_log')
    .values({ ...row, prev_hash: prevHash, hash, mac: macOf(key, hash) })
    .execute();
}

/** Appends an entry in its own transaction (failures, reads, exports). */
export async function recordAudit(db: Kysely<Database>, dialect: DialectName, actor: Actor, input: AuditInput): Promise<void> {
  await db.transaction().execute((trx) => appendAudit(trx, dialect, actor, input));
}

export type AuditFilter = {
  from?: string | undefined;
  to?: string | undefined;
  username?: string | undefined;
  event?: string | undefined;
  objectType?: string | undefined;
  success?: boolean | undefined;
  before?: number | undefined;
  limit: number;
};

export async function listAudit(db: AnyDb, f: AuditFilter) {
  let q = db.selectFrom('audit_log').selectAll();
  if (f.from) q = q.where('at', '>=', toIsoStart(f.from));
  if (f.to) q = q.where('at', '<', toIsoBefore(f.to));
  if (f.username) q = q.where('username', '=', f.username);
  if (f.event) q = q.where('event', '=', f.event);
  if (f.objectType) q = q.where('object_type', '=', f.objectType);
  if (f.success !== undefined) q = q.where('success', '=', f.success ? 1 : 0);
  if (f.before) q = q.where('id', '<', f.before);
  const rows = await q.orderBy('id', 'desc').limit(f.limit + 1).execute();
  const more = rows.length > f.limit;
  const items = rows.slice(0, f.limit).map(toAuditEntry);
  return { items, nextCursor: more ? (items[items.length - 1]?.id ?? null) : null };
}

/** A date 'YYYY-MM-DD' means the whole day in Asia/Shanghai (half-open, clock.dayStart/dayEnd). */
const isDay = (v: string) => /^\d{4}-\d{2}-\d{2}$/.test(v);
/** The first instant of a range starting at a day or an instant. */
export function toIsoStart(v: string): string {
  return isDay(v) ? dayStart(v) : new Date(v).toISOString();
}
/** The first instant after a range ending with a day (its next day's start) or at an instant
 *  (inclusive: times are stored to the millisecond), so every range is compared half-open. */
export function toIsoBefore(v: string): string {
  return isDay(v) ? dayEnd(v) : new Date(Date.parse(v) + 1).toISOString();
}

export function toAuditEntry(r: AuditLogRow) {
  return {
    id: Number(r.id),
    at: r.at,
    userId: r.user_id,
    username: r.username,
    orgUnitId: r.org_unit_id,
    event: r.event,
    objectType: r.object_type,
    objectId: r.object_id,
    success: Number(r.success) === 1,
    before: r.before_json ? (JSON.parse(r.before_json) as unknown) : null,
    after: r.after_json ? (JSON.parse(r.after_json) as unknown) : null,
    ip: r.ip,
    hash: r.hash,
  };
}
