// Server-side sessions: the cookie holds a random token, the database only its SHA-256.
// Idle and absolute time-outs come from the password policy (SPEC: 30 minutes idle, 12 hours).
import { createHash, randomBytes } from 'node:crypto';
import type { AnyDb } from '../db/dialect.js';
import type { AppUserRow, OrgUnitRow, SessionRow } from '../db/schema.js';
import type { PasswordPolicy } from '../../domain/password.js';

export const SESSION_COOKIE = 'canbao_sid';
/** How long a re-entered password authorises high-value actions. */
export const ELEVATION_MINUTES = 5;

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

export async function createSession(
  db: AnyDb,
  userId: number,
  policy: PasswordPolicy,
  now: Date,
  meta: { ip: string | null; userAgent: string | null },
): Promise<{ token: string; session: SessionRow }> {
  const token = randomBytes(32).toString('base64url');
  const nowIso = now.toISOString();
  const session = await db
    .insertInto('session')
    .values({
      token_hash: hashToken(token),
      user_id: userId,
      created_at: nowIso,
      last_seen_at: nowIso,
      expires_at: new Date(now.getTime() + policy.absoluteHours * 3600_000).toISOString(),
      elevated_until: null,
      ended_at: null,
      ip: meta.ip,
      user_agent: meta.userAgent ? meta.userAgent.slice(0, 300) : null,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  return { token, session };
}

export type LiveSession = { session: SessionRow; user: AppUserRow; orgUnit: OrgUnitRow };

/** Finds the live session for a token, ending it if it has timed out. Touches last_seen_at. */
export async function resolveSession(db: AnyDb, token: string, policy: PasswordPolicy, now: Date): Promise<LiveSession | null> {
  const session = await db.selectFrom('session').selectAll().where('token_hash', '=', hashToken(token)).executeTakeFirst();
  if (!session || session.ended_at) return null;
  const nowMs = now.getTime();
  const idleLimit = Date.parse(session.last_seen_at) + policy.idleMinutes * 60_000;
  if (nowMs >= Date.parse(session.expires_at) || nowMs >= idleLimit) {
    await endSession(db, Number(session.id), now);
    return null;
  }
  const user = await db.selectFrom('app_user').selectAll().where('id', '=', session.user_id).executeTakeFirst();
  if (!user || Number(user.disabled) === 1) {
    await endSession(db, Number(session.id), now);
    return null;
  }
  const orgUnit = await db.selectFrom('org_unit').selectAll().where('id', '=', user.org_unit_id).executeTakeFirstOrThrow();
  // Touch at most every 15 s to keep reads cheap.
  if (nowMs - Date.parse(session.last_seen_at) > 15_000) {
    // Best effort: while a large import holds SQLite's write lock, reading on matters more.
    await db
      .updateTable('session')
      .set({ last_seen_at: now.toISOString() })
      .where('id', '=', session.id)
      .execute()
      .catch((err: unknown) => {
        if (!String((err as { code?: string }).code ?? '').startsWith('SQLITE_BUSY')) throw err;
      });
  }
  return { session, user, orgUnit };
}

export async function endSession(db: AnyDb, sessionId: number, now: Date): Promise<void> {
  await db.updateTable('session').set({ ended_at: now.toISOString() }).where('id', '=', sessionId).where('ended_at', 'is', null).execute();
}

export async function endUserSessions(db: AnyDb, userId: number, now: Date, exceptSessionId?: number): Promise<void> {
  let q = db.updateTable('session').set({ ended_at: now.toISOString() }).where('user_id', '=', userId).where('ended_at', 'is', null);
  if (exceptSessionId !== undefined) q = q.where('id', '!=', exceptSessionId);
  await q.execute();
}

export async function listLiveSessions(db: AnyDb, userId: number, policy: PasswordPolicy, now: Date): Promise<SessionRow[]> {
  const idleCut = new Date(now.getTime() - policy.idleMinutes * 60_000).toISOString();
  return db
    .selectFrom('session')
    .selectAll()
    .where('user_id', '=', userId)
    .where('ended_at', 'is', null)
    .where('expires_at', '>', now.toISOString())
    .where('last_seen_at', '>', idleCut)
    .orderBy('created_at', 'desc')
    .execute();
}

export async function elevateSession(db: AnyDb, sessionId: number, now: Date): Promise<string> {
  const until = new Date(now.getTime() + ELEVATION_MINUTES * 60_000).toISOString();
  await db.updateTable('session').set({ elevated_until: until }).where('id', '=', sessionId).execute();
  return until;
}
