// The one verification of the audit log (issue 13 item 6), used by GET /api/audit/verify, the
// start-up, the periodic and daily checks and (through their result) /api/health and the home page:
// - the hash chain is unbroken (each entry's hash is SHA-256 of the previous hash and its fields);
// - every MAC is valid (HMAC-SHA256 of the hash with the audit key), so a chain recomputed without
//   the key fails. Entries written before migration 011 have no MAC: they are accepted only as the
//   chain's first entries, before any MAC'd one, and are protected by the chain up to the first
//   MAC'd entry and the heads recorded since;
// - the chain reaches every recorded head (same count, same hash at that entry), so deleting
//   entries from the end fails.
// A full walk starts from the first entry; an incremental one from a verified position (kept in
// memory, or the latest recorded head) after checking that the entry there is still the same.
import type { AnyDb } from '../db/dialect.js';
import type { Config } from '../config.js';
import type { AuditLogRow } from '../db/schema.js';
import { nowIso } from '../clock.js';
import { entryHash, GENESIS } from './store.js';
import { macMatches } from './key.js';
import { readHeads, type AuditHead, type ChainPosition } from './heads.js';
import { shanghaiTimeText } from '../../domain/shanghai-day.js';

export type AuditCheckCode = 'ok' | 'chain_broken' | 'mac_invalid' | 'tail_missing' | 'head_mismatch' | 'heads_forged';

export type AuditCheck = {
  ok: boolean;
  code: AuditCheckCode;
  /** For the city admin (may name entry ids); null when ok. */
  reason: string | null;
  mode: 'full' | 'incremental';
  /** Entries walked by this check, up to the first bad one. */
  checked: number;
  firstBadId: number | null;
  checkedAt: string;
  /** The end of what was verified (the whole chain when ok). */
  position: ChainPosition;
};

/** What the public health route may say: no ids, no counts. */
export const PUBLIC_REASONS: Record<AuditCheckCode, string | null> = {
  ok: null,
  chain_broken: '审计日志哈希链断裂（记录被修改或删除）',
  mac_invalid: '审计日志校验码（MAC）无效（记录被重算或伪造）',
  tail_missing: '审计日志末尾的记录缺失（少于已记录的锚点）',
  head_mismatch: '审计日志与已记录的锚点不一致',
  heads_forged: '审计日志锚点文件被篡改',
};

// Pages of 250 with a turn of the event loop between them: on SQLite the queries are synchronous,
// so a walk of the whole log must not hold the server for its whole length.
const PAGE = 250;
const shanghai = shanghaiTimeText;
export const GENESIS_POSITION: ChainPosition = { count: 0, lastId: 0, hash: GENESIS };

function rowHash(prev: string, r: AuditLogRow): string {
  return entryHash(prev, {
    at: r.at,
    user_id: r.user_id === null ? null : Number(r.user_id),
    username: r.username,
    org_unit_id: r.org_unit_id === null ? null : Number(r.org_unit_id),
    event: r.event,
    object_type: r.object_type,
    object_id: r.object_id,
    success: Number(r.success),
    before_json: r.before_json,
    after_json: r.after_json,
    ip: r.ip,
  });
}

/**
 * Is `from` still where it was: the entry exists with that hash and a valid MAC? (Not recounted: on
 * a big log that costs a scan of the table; entries missing before it break the chain, which the
 * full walk in the background finds.)
 */
async function positionHolds(db: AnyDb, key: Buffer, from: ChainPosition): Promise<boolean> {
  if (from.count === 0) return from.lastId === 0 && from.hash === GENESIS;
  const row = await db.selectFrom('audit_log').select(['hash', 'mac']).where('id', '=', from.lastId).executeTakeFirst();
  return !!row && row.hash === from.hash && macMatches(key, row.hash, row.mac);
}

export async function verifyAudit(
  db: AnyDb,
  config: Pick<Config, 'dataDir'>,
  key: Buffer,
  opts: { from?: ChainPosition | null; shouldStop?: () => boolean } = {},
): Promise<AuditCheck> {
  const checkedAt = nowIso();
  const fail = (code: AuditCheckCode, reason: string, checked: number, firstBadId: number | null, position: ChainPosition, mode: AuditCheck['mode']): AuditCheck => ({
    ok: false,
    code,
    reason,
    mode,
    checked,
    firstBadId,
    checkedAt,
    position,
  });

  const { heads, forgedLine } = readHeads(config, key);
  if (forgedLine !== null) return fail('heads_forged', `锚点文件第 ${forgedLine} 行无效（校验码不符），锚点文件被改动`, 0, null, GENESIS_POSITION, 'full');

  let start = GENESIS_POSITION;
  let mode: AuditCheck['mode'] = 'full';
  if (opts.from && opts.from.count > 0 && (await positionHolds(db, key, opts.from))) {
    start = opts.from;
    mode = 'incremental';
  }
  // Heads at or before the start were checked when the start was verified.
  const pending = new Map<number, AuditHead>();
  for (const h of heads) if (h.lastId > start.lastId) pending.set(h.lastId, h);

  let prev = start.hash;
  let count = start.count;
  let lastId = start.lastId;
  let checked = 0;
  // Entries without a MAC (older than migration 011) only at the very beginning of the chain.
  let macSeen = start.count > 0;
  const here = (): ChainPosition => ({ count, lastId, hash: prev });
  for (;;) {
    if (opts.shouldStop?.()) break;
    const rows = await db.selectFrom('audit_log').selectAll().where('id', '>', lastId).orderBy('id').limit(PAGE).execute();
    if (rows.length === 0) break;
    if (rows.length === PAGE) await new Promise((resolve) => setImmediate(resolve));
    for (const r of rows) {
      const id = Number(r.id);
      if (r.prev_hash !== prev || r.hash !== rowHash(prev, r)) {
        return fail('chain_broken', `哈希链在第 ${id} 号记录处断裂：该记录或其前一条记录被修改或删除`, checked, id, here(), mode);
      }
      if (r.mac === null && !macSeen) {
        // a legacy entry
      } else if (!macMatches(key, r.hash, r.mac)) {
        return fail('mac_invalid', `第 ${id} 号记录的校验码（MAC）无效：记录被不持有审计密钥者重算或伪造`, checked, id, here(), mode);
      } else {
        macSeen = true;
      }
      prev = r.hash;
      lastId = id;
      count++;
      checked++;
      const h = pending.get(id);
      if (h) {
        if (h.count !== count || h.hash !== r.hash) {
          return fail('head_mismatch', `第 ${id} 号记录与 ${shanghai(h.at)} 记录的锚点不一致（锚点：第 ${h.count} 条）`, checked, id, here(), mode);
        }
        pending.delete(id);
      }
    }
  }
  if (!opts.shouldStop?.()) {
    // A head the walk never reached: entries were removed from the end (or a head was skipped over).
    let missing: AuditHead | undefined;
    for (const h of pending.values()) if (!missing || h.count > missing.count) missing = h;
    if (missing && count >= missing.count) {
      return fail('head_mismatch', `${shanghai(missing.at)} 记录的锚点所指的第 ${missing.lastId} 号记录不在日志中`, checked, null, here(), mode);
    }
    if (missing) {
      return fail('tail_missing', `审计日志只有 ${count} 条记录，少于 ${shanghai(missing.at)} 记录的锚点（${missing.count} 条，末条编号 ${missing.lastId}）：日志末尾的记录被删除`, checked, null, here(), mode);
    }
  }
  return { ok: true, code: 'ok', reason: null, mode, checked, firstBadId: null, checkedAt, position: here() };
}
