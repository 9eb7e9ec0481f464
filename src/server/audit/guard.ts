// Keeps watch over the audit log while the server runs (issue 13 item 6):
// - at start-up: loads the key, re-creates dropped append-only triggers (and logs that it did),
//   anchors entries older than the MAC column, verifies incrementally from the latest recorded head
//   (fast with a big log) and records a head; then walks the whole chain in the background;
// - every 10 minutes: verifies what was appended since and records a head when the log grew;
// - once a day: the full walk and a head.
// The last result is what /api/health, /api/audit/status and the city admin's home page show; a
// failure stays until a full walk passes again.
import type { Kysely } from 'kysely';
import type { AppCtx } from '../context.js';
import type { Database } from '../db/schema.js';
import { nowIso } from '../clock.js';
import { useAuditKey } from './key.js';
import { appendHead, readHeads, signHead, type AuditHead } from './heads.js';
import { recordAudit, SYSTEM_ACTOR } from './store.js';
import { ensureAuditTriggers } from './triggers.js';
import { verifyAudit, type AuditCheck } from './verify.js';

export type GuardLog = { info(o: object, msg: string): void; warn(o: object, msg: string): void; error(o: object, msg: string): void };

const PERIODIC_MS = 10 * 60_000;
const DAILY_MS = 24 * 3600_000;

type GuardState = {
  key: Buffer;
  last: AuditCheck | null;
  lastHead: AuditHead | null;
  queue: Promise<unknown>;
  timers: NodeJS.Timeout[];
  closing: boolean;
};

const states = new WeakMap<Kysely<Database>, GuardState>();

function stateOf(ctx: AppCtx): GuardState {
  let s = states.get(ctx.db);
  if (!s) {
    const key = useAuditKey(ctx.config);
    const { heads } = readHeads(ctx.config, key);
    s = { key, last: null, lastHead: heads.at(-1) ?? null, queue: Promise.resolve(), timers: [], closing: false };
    states.set(ctx.db, s);
  }
  return s;
}

/** The audit key this server's entries are MAC'd with. */
export function auditKeyOf(ctx: AppCtx): Buffer {
  return stateOf(ctx).key;
}

/** The latest verification of this server's audit log, or null before the first one. */
export function auditStatus(ctx: AppCtx): AuditCheck | null {
  return states.get(ctx.db)?.last ?? null;
}

/**
 * The latest head recorded for this data directory (MAC checked), or null. For the backup, which
 * stores it beside the database copy.
 */
export function latestAuditHead(ctx: AppCtx): AuditHead | null {
  const running = states.get(ctx.db);
  if (running) return running.lastHead;
  const key = useAuditKey(ctx.config);
  return readHeads(ctx.config, key).heads.at(-1) ?? null;
}

/**
 * Verifies (incrementally unless `full`) and, when the log is intact and `headReason` is given,
 * records a head at the verified end — in the heads file and in the server log. Checks of one
 * database run one after the other. After a failure every check is a full walk, so only a full
 * walk that passes clears it.
 */
export function checkAudit(ctx: AppCtx, log: GuardLog | null, opts: { full: boolean; headReason?: string }): Promise<AuditCheck> {
  const s = stateOf(ctx);
  const run = async (): Promise<AuditCheck> => {
    const full = opts.full || (s.last !== null && !s.last.ok);
    const from = full ? null : s.last?.ok ? s.last.position : s.lastHead;
    const result = await verifyAudit(ctx.db, ctx.config, s.key, { from, shouldStop: () => s.closing });
    if (s.closing) return result;
    s.last = result;
    if (!result.ok) {
      log?.error({ audit: { code: result.code, reason: result.reason, firstBadId: result.firstBadId } }, 'audit log verification FAILED');
      return result;
    }
    const grew = !s.lastHead || result.position.count !== s.lastHead.count || result.position.lastId !== s.lastHead.lastId;
    if (opts.headReason && (grew || opts.headReason !== 'periodic')) {
      const head = signHead(s.key, result.position, opts.headReason, nowIso());
      appendHead(ctx.config, head);
      s.lastHead = head;
      log?.info({ auditHead: head }, 'audit head recorded');
    }
    return result;
  };
  const p = s.queue.then(run, run);
  s.queue = p.catch(() => undefined);
  return p;
}

/** Start-up work (awaited before the server listens) and the timers. Returns the stop function. */
export async function startAuditGuard(ctx: AppCtx, log: GuardLog): Promise<() => Promise<void>> {
  const s = stateOf(ctx);
  const restored = await ensureAuditTriggers(ctx.db, ctx.dialect);
  // First start after migration 011: the entries so far have no MAC. One MAC'd entry after them
  // closes the chain of old entries, and the head recorded below anchors it outside the database.
  const tail = await ctx.db.selectFrom('audit_log').select(['id', 'mac']).orderBy('id', 'desc').limit(1).executeTakeFirst();
  if (tail && tail.mac === null) {
    const legacy = await ctx.db.selectFrom('audit_log').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    await recordAudit(ctx.db, ctx.dialect, SYSTEM_ACTOR, { event: 'audit.mac_start', objectType: 'audit_log', after: { legacyEntries: Number(legacy.n) } });
  }
  if (restored.length) {
    log.warn({ triggers: restored }, 'audit_log append-only triggers were missing and have been re-created');
    await recordAudit(ctx.db, ctx.dialect, SYSTEM_ACTOR, { event: 'audit.triggers_restored', objectType: 'audit_log', after: { triggers: restored } });
  }
  await checkAudit(ctx, log, { full: false, headReason: 'start' });
  // The walk of the whole chain goes on in the background.
  const background = checkAudit(ctx, log, { full: true }).catch((err: unknown) => log.error({ err }, 'audit verification error'));
  const every = (ms: number, fn: () => Promise<unknown>) => {
    const t = setInterval(() => void fn().catch((err: unknown) => log.error({ err }, 'audit verification error')), ms);
    t.unref();
    s.timers.push(t);
  };
  every(PERIODIC_MS, () => checkAudit(ctx, log, { full: false, headReason: 'periodic' }));
  every(DAILY_MS, () => checkAudit(ctx, log, { full: true, headReason: 'daily' }));
  return async () => {
    s.closing = true;
    for (const t of s.timers) clearInterval(t);
    s.timers = [];
    await background;
    await s.queue;
    states.delete(ctx.db);
  };
}
