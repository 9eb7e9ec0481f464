// Append-only, hash-chained audit log (SPEC security defaults: who, when, unit, event, object,
// success, before → after; tampering detectable). The database refuses UPDATE and DELETE on the
// table (migration 001); nothing in the API writes it except append.
import { createHash } from 'node:crypto';
import type { Kysely, Transaction } from 'kysely';
import type { AuditLogRow, Database } from '../db/schema.js';
import type { DialectName } from '../db/index.js';
import { lockForWrite, LOCK_KEYS, type AnyDb } from '../db/dialect.js';
import { dayEnd, dayStart, nowIso } from '../clock.js';

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

const GENESIS = '0'.repeat(64);

function entryHash(prevHash: string, e: Omit<AuditLogRow, 'id' | 'hash' | 'prev_hash'>): string {
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
  await trx
    .insertInto('audit_log')
    .values({ ...row, prev_hash: prevHash, hash: entryHash(prevHash, row) })
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
  if (f.to) q = isDay(f.to) ? q.where('at', '<', dayEnd(f.to)) : q.where('at', '<=', new Date(f.to).toISOString());
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
function toIsoStart(v: string): string {
  return isDay(v) ? dayStart(v) : new Date(v).toISOString();
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

/** Walks the whole chain in id order, in pages, and reports the first entry that does not match. */
export async function verifyAuditChain(db: AnyDb): Promise<{ ok: boolean; checked: number; firstBadId: number | null }> {
  let prev = GENESIS;
  let lastId = 0;
  let checked = 0;
  for (;;) {
    const rows = await db.selectFrom('audit_log').selectAll().where('id', '>', lastId).orderBy('id').limit(1000).execute();
    if (rows.length === 0) break;
    for (const r of rows) {
      const { id, hash, prev_hash, ...rest } = r;
      const expected = entryHash(prev, { ...rest, success: Number(rest.success) });
      if (prev_hash !== prev || hash !== expected) return { ok: false, checked, firstBadId: Number(id) };
      prev = hash;
      lastId = Number(id);
      checked++;
    }
  }
  return { ok: true, checked, firstBadId: null };
}
