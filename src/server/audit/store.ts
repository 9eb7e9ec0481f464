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
import { AUDIT_EVENT_LABELS } from '../../shared/audit-events.js';

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
  // Every event has its Chinese name in the ledger: while tests run an unnamed one is a bug (the
  // bulk entries a test writes to fill the log are named test.*).
  if (process.env.VITEST && !(input.event in AUDIT_EVENT_LABELS) && !input.event.startsWith('test.')) throw new Error(`audit event without a label in src/shared/audit-events.ts: ${input.event}`);
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
  after?: number | undefined;
  /** Newest first (the default) or oldest first; the cursor is `before` or `after` accordingly. */
  order?: 'desc' | 'asc' | undefined;
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
  if (f.after) q = q.where('id', '>', f.after);
  const rows = await q.orderBy('id', f.order ?? 'desc').limit(f.limit + 1).execute();
  const more = rows.length > f.limit;
  const page = rows.slice(0, f.limit);
  const { people, objects } = await namesForAudit(db, page);
  const items = page.map((r) => ({
    ...toAuditEntry(r),
    displayName: r.user_id === null ? null : (people.get(Number(r.user_id)) ?? null),
    objectName: r.object_type && r.object_id ? (objects.get(`${r.object_type}:${r.object_id}`) ?? null) : null,
  }));
  return { items, nextCursor: more ? (items[items.length - 1]?.id ?? null) : null };
}

/**
 * What a ledger reader needs beside each entry: the person behind the user name, and the object
 * by its name ("新北区 2016年度考核表", not "assessment #6"). One query per kind of object on the page.
 */
export async function namesForAudit(db: AnyDb, rows: ReadonlyArray<Pick<AuditLogRow, 'user_id' | 'object_type' | 'object_id'>>): Promise<{ people: Map<number, string>; objects: Map<string, string> }> {
  const ids = (type: string) => [...new Set(rows.filter((r) => r.object_type === type && r.object_id && /^\d+$/.test(r.object_id)).map((r) => Number(r.object_id)))];
  const people = new Map<number, string>();
  const userIds = [...new Set(rows.flatMap((r) => (r.user_id === null ? [] : [Number(r.user_id)])).concat(ids('user')))];
  if (userIds.length) for (const u of await db.selectFrom('app_user').select(['id', 'display_name', 'username']).where('id', 'in', userIds).execute()) people.set(Number(u.id), u.display_name);
  const objects = new Map<string, string>();
  const put = (type: string, id: number | string, name: string) => objects.set(`${type}:${id}`, name);
  for (const id of ids('user')) {
    const name = people.get(id);
    if (name) put('user', id, name);
  }
  const units = new Map<number, string>();
  const unitName = async (unitIds: number[]) => {
    const missing = [...new Set(unitIds)].filter((id) => !units.has(id));
    if (missing.length) for (const u of await db.selectFrom('org_unit').select(['id', 'name']).where('id', 'in', missing).execute()) units.set(Number(u.id), u.name);
  };
  const campaigns = new Map<number, { name: string; year: number }>();
  const campaignOf = async (campaignIds: number[]) => {
    const missing = [...new Set(campaignIds)].filter((id) => !campaigns.has(id));
    if (missing.length) for (const c of await db.selectFrom('campaign').select(['id', 'name', 'year']).where('id', 'in', missing).execute()) campaigns.set(Number(c.id), { name: c.name, year: Number(c.year) });
  };
  const year = (campaignId: number) => campaigns.get(campaignId)?.year ?? '';

  let list = ids('org_unit');
  if (list.length) {
    await unitName(list);
    for (const id of list) if (units.has(id)) put('org_unit', id, units.get(id)!);
  }
  list = ids('campaign');
  if (list.length) {
    await campaignOf(list);
    for (const id of list) if (campaigns.has(id)) put('campaign', id, campaigns.get(id)!.name);
  }
  list = ids('import_batch');
  if (list.length) {
    const batches = await db.selectFrom('import_batch').select(['id', 'file_name', 'org_unit_id']).where('id', 'in', list).execute();
    await unitName(batches.map((b) => Number(b.org_unit_id)));
    for (const b of batches) put('import_batch', Number(b.id), `${b.file_name}（导入到${units.get(Number(b.org_unit_id)) ?? ''}）`);
  }
  list = ids('assessment');
  if (list.length) {
    const rs = await db.selectFrom('assessment').select(['id', 'campaign_id', 'org_unit_id']).where('id', 'in', list).execute();
    await unitName(rs.map((r) => Number(r.org_unit_id)));
    await campaignOf(rs.map((r) => Number(r.campaign_id)));
    for (const r of rs) put('assessment', Number(r.id), `${units.get(Number(r.org_unit_id)) ?? ''} ${year(Number(r.campaign_id))}年度考核表`);
  }
  list = ids('fee_sheet');
  if (list.length) {
    const rs = await db.selectFrom('fee_sheet').select(['id', 'campaign_id', 'district_id', 'doc_number']).where('id', 'in', list).execute();
    await unitName(rs.map((r) => Number(r.district_id)));
    await campaignOf(rs.map((r) => Number(r.campaign_id)));
    for (const r of rs) put('fee_sheet', Number(r.id), `${units.get(Number(r.district_id)) ?? ''} ${year(Number(r.campaign_id))}年度考核费用计算表${r.doc_number ? `（${r.doc_number}）` : ''}`);
  }
  list = ids('payment');
  if (list.length) {
    const rs = await db.selectFrom('payment').select(['id', 'district_id', 'paid_on', 'amount_fen']).where('id', 'in', list).execute();
    await unitName(rs.map((r) => Number(r.district_id)));
    for (const r of rs) put('payment', Number(r.id), `${units.get(Number(r.district_id)) ?? ''} ${r.paid_on} 拨付 ${(Number(r.amount_fen) / 100).toFixed(2)} 元`);
  }
  list = ids('nomination');
  if (list.length) {
    const rs = await db.selectFrom('nomination').select(['id', 'name', 'org_unit_id']).where('id', 'in', list).execute();
    await unitName(rs.map((r) => Number(r.org_unit_id)));
    for (const r of rs) put('nomination', Number(r.id), `${r.name}（${units.get(Number(r.org_unit_id)) ?? ''}推荐）`);
  }
  list = ids('registration');
  if (list.length) {
    const rs = await db.selectFrom('registration').select(['id', 'name', 'org_unit_id']).where('id', 'in', list).execute();
    await unitName(rs.map((r) => Number(r.org_unit_id)));
    for (const r of rs) put('registration', Number(r.id), `${r.name ?? '（未填姓名）'}（${units.get(Number(r.org_unit_id)) ?? ''}）`);
  }
  for (const [type, table] of [
    ['evidence_file', 'evidence_file'],
    ['nomination_attachment', 'nomination_attachment'],
    ['analysis_report', 'analysis_report'],
    ['detail_table', 'detail_table'],
  ] as const) {
    list = ids(type);
    if (!list.length) continue;
    for (const r of await db.selectFrom(table).select(['id', 'file_name']).where('id', 'in', list).execute()) if (r.file_name) put(type, Number(r.id), r.file_name);
  }
  return { people, objects };
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
