// Login, password change and re-authentication (SPEC security defaults).
import type { AppCtx } from '../context.js';
import { AppError, invalidInput } from '../errors.js';
import { now } from '../clock.js';
import { appendAudit, recordAudit, type Actor } from '../audit/store.js';
import { checkPasswordStrength, isPasswordExpired } from '../../domain/password.js';
import { dummyHash, hashPassword, verifyPassword } from './password-hash.js';
import { verifyTotp } from './totp.js';
import { consumeTotpStep } from './totp-service.js';
import { CredentialFailure } from './throttle.js';
import { createSession, elevateSession, endUserSessions, type LiveSession } from './sessions.js';
import type { AppUserRow } from '../db/schema.js';
import type { AnyDb } from '../db/dialect.js';

const LOGIN_FAILED = '用户名或密码错误';

export function normalizeUsername(username: string): string {
  return username.trim().toLowerCase();
}

export function mustChangePassword(ctx: AppCtx, user: AppUserRow, at: Date): boolean {
  return Number(user.must_change_password) === 1 || isPasswordExpired(user.password_changed_at, at, ctx.config.passwordPolicy);
}

export function passwordExpiresAt(ctx: AppCtx, user: AppUserRow): string {
  return new Date(Date.parse(user.password_changed_at) + ctx.config.passwordPolicy.maxAgeDays * 86400_000).toISOString();
}

function lockedError(ctx: AppCtx, atLogin = false): AppError {
  const wait = `登录失败次数过多，请 ${ctx.config.passwordPolicy.lockMinutes} 分钟后再试`;
  // The same words for every locked name, enrolled or not, known or not: nothing to enumerate.
  return new CredentialFailure(423, 'ACCOUNT_LOCKED', atLogin ? `${wait}；已启用动态验证码的用户可输入密码和动态验证码立即解锁` : wait);
}

/**
 * Counts one wrong password for a user name (login, re-auth and password change share the count)
 * and locks the name after the policy's threshold. Atomic: the upsert locks the row (PostgreSQL;
 * SQLite runs one transaction at a time), so parallel attempts neither lose a count nor collide.
 */
async function countFailure(ctx: AppCtx, username: string, actor: Actor, event: string, at: Date): Promise<'locked' | 'failed'> {
  const policy = ctx.config.passwordPolicy;
  return ctx.db.transaction().execute(async (trx) => {
    const row = await trx
      .insertInto('login_throttle')
      .values({ username, failures: 0, locked_until: null, updated_at: at.toISOString() })
      .onConflict((oc) => oc.column('username').doUpdateSet({ updated_at: at.toISOString() }))
      .returningAll()
      .executeTakeFirstOrThrow();
    if (row.locked_until && Date.parse(row.locked_until) > at.getTime()) {
      await appendAudit(trx, ctx.dialect, actor, { event, success: false, after: { reason: 'locked' } });
      return 'locked' as const;
    }
    const failures = Number(row.failures) + 1;
    const lock = failures >= policy.lockThreshold;
    await trx
      .updateTable('login_throttle')
      .set({
        failures: lock ? 0 : failures,
        locked_until: lock ? new Date(at.getTime() + policy.lockMinutes * 60_000).toISOString() : null,
        updated_at: at.toISOString(),
      })
      .where('username', '=', username)
      .execute();
    await appendAudit(trx, ctx.dialect, actor, { event, success: false, after: { reason: lock ? 'locked_now' : 'bad_credentials' } });
    return lock ? ('locked' as const) : ('failed' as const);
  });
}

/** Re-auth and password change inside a session: a wrong password counts like a failed login;
 *  when the name gets locked, every session of the user ends. */
async function checkSessionPassword(ctx: AppCtx, live: LiveSession, actor: Actor, event: string, password: string): Promise<boolean> {
  const at = now();
  const username = live.user.username;
  const throttle = await ctx.db.selectFrom('login_throttle').select('locked_until').where('username', '=', username).executeTakeFirst();
  const lockedNow = !!throttle?.locked_until && Date.parse(throttle.locked_until) > at.getTime();
  if (!lockedNow && (await verifyPassword(password, live.user.password_hash))) {
    if (throttle) await ctx.db.deleteFrom('login_throttle').where('username', '=', username).execute();
    return true;
  }
  const outcome = lockedNow ? 'locked' : await countFailure(ctx, username, actor, event, at);
  if (outcome === 'locked') {
    await endUserSessions(ctx.db, Number(live.user.id), at);
    throw lockedError(ctx);
  }
  return false;
}

const TOTP_USED = '动态验证码错误或已使用，请输入新的验证码';

export async function login(
  ctx: AppCtx,
  input: { username: string; password: string; totp?: string | undefined },
  meta: { ip: string | null; userAgent: string | null },
): Promise<{ token: string; live: LiveSession }> {
  const policy = ctx.config.passwordPolicy;
  const username = normalizeUsername(input.username);
  const at = now();
  const anonymous: Actor = { userId: null, username, orgUnitId: null, ip: meta.ip };

  const throttle = await ctx.db.selectFrom('login_throttle').selectAll().where('username', '=', username).executeTakeFirst();
  const locked = !!throttle?.locked_until && Date.parse(throttle.locked_until) > at.getTime();
  const found = await ctx.db.selectFrom('app_user').selectAll().where('username', '=', username).executeTakeFirst();
  const passwordOk = await verifyPassword(input.password, found?.password_hash ?? (await dummyHash()));
  const usable = found && passwordOk && Number(found.disabled) !== 1 ? found : null;

  // Second factor, when the user enrolled one: a code is good once, within ±30 s of drift.
  let totpStepUsed: number | null = null;
  let account: AppUserRow;
  if (locked) {
    // A locked name stays locked, except for a user with a second factor: the right password and a
    // fresh code unlock it (someone else's wrong guesses cannot keep the city admin out).
    const step = usable?.totp_secret && input.totp ? verifyTotp(usable.totp_secret, input.totp, at) : null;
    if (step === null || !usable) {
      const tried = input.totp ? 'unlock_failed' : 'locked';
      await recordAudit(ctx.db, ctx.dialect, { ...anonymous, userId: found ? Number(found.id) : null }, { event: 'auth.login', success: false, after: { reason: tried } });
      throw lockedError(ctx, true);
    }
    totpStepUsed = step;
    account = usable;
  } else {
    if (!usable) {
      const outcome = await countFailure(ctx, username, { ...anonymous, userId: found ? Number(found.id) : null }, 'auth.login', at);
      if (outcome === 'locked') throw lockedError(ctx, true);
      throw new CredentialFailure(401, 'UNAUTHENTICATED', LOGIN_FAILED);
    }
    if (usable.totp_secret) {
      if (!input.totp) throw new AppError(401, 'TOTP_REQUIRED', '请输入手机验证器上的 6 位动态验证码');
      const step = verifyTotp(usable.totp_secret, input.totp, at);
      if (step === null) {
        const outcome = await countFailure(ctx, username, { ...anonymous, userId: Number(usable.id) }, 'auth.login', at);
        if (outcome === 'locked') throw lockedError(ctx, true);
        throw new CredentialFailure(401, 'TOTP_REQUIRED', TOTP_USED);
      }
      totpStepUsed = step;
    }
    account = usable;
  }
  const user = account;

  const live = await ctx.db.transaction().execute(async (trx) => {
    // A lock set by attempts that ran in parallel with this one still applies (unless this is the unlock).
    const current = await trx.selectFrom('login_throttle').select('locked_until').where('username', '=', username).executeTakeFirst();
    if (!locked && current?.locked_until && Date.parse(current.locked_until) > at.getTime()) return 'locked' as const;
    // The code is used once: the conditional UPDATE lets exactly one of parallel requests through.
    if (totpStepUsed !== null && !(await consumeTotpStep(trx, Number(user.id), totpStepUsed))) return 'replayed' as const;
    await trx.deleteFrom('login_throttle').where('username', '=', username).execute();
    await trx.updateTable('app_user').set({ last_login_at: at.toISOString() }).where('id', '=', user.id).execute();
    const { token, session } = await createSession(trx, Number(user.id), policy, at, meta);
    const orgUnit = await trx.selectFrom('org_unit').selectAll().where('id', '=', user.org_unit_id).executeTakeFirstOrThrow();
    const actor: Actor = { userId: Number(user.id), username, orgUnitId: Number(user.org_unit_id), ip: meta.ip };
    if (locked) {
      await appendAudit(trx, ctx.dialect, actor, {
        event: 'auth.unlock',
        objectType: 'user',
        objectId: Number(user.id),
        before: { lockedUntil: throttle?.locked_until ?? null },
        after: { lockedUntil: null, by: 'password+totp' },
      });
    }
    await appendAudit(trx, ctx.dialect, actor, { event: 'auth.login', objectType: 'session', objectId: Number(session.id) });
    return { token, live: { session, user: { ...user, last_login_at: at.toISOString(), totp_last_step: totpStepUsed ?? user.totp_last_step }, orgUnit } };
  });
  if (live === 'locked') {
    await recordAudit(ctx.db, ctx.dialect, anonymous, { event: 'auth.login', success: false, after: { reason: 'locked' } });
    throw lockedError(ctx, true);
  }
  if (live === 'replayed') {
    // Not counted towards the lock: the password and the code were right, the code was just used
    // (a double submit, or a copy of a request that already got in).
    await recordAudit(ctx.db, ctx.dialect, { ...anonymous, userId: Number(user.id) }, { event: 'auth.login', success: false, after: { reason: 'totp_used' } });
    throw new AppError(401, 'TOTP_REQUIRED', TOTP_USED);
  }
  return live;
}

/** The stored hashes the new password may not repeat: the current one and the history. */
async function recentHashes(db: AnyDb, user: AppUserRow, historySize: number): Promise<string[]> {
  const rows = await db
    .selectFrom('password_history')
    .select('password_hash')
    .where('user_id', '=', user.id)
    .orderBy('id', 'desc')
    .limit(historySize)
    .execute();
  return [user.password_hash, ...rows.map((r) => r.password_hash)].slice(0, historySize);
}

export async function changePassword(ctx: AppCtx, live: LiveSession, actor: Actor, oldPassword: string, newPassword: string): Promise<void> {
  const policy = ctx.config.passwordPolicy;
  const user = live.user;
  if (!(await checkSessionPassword(ctx, live, actor, 'auth.password.change', oldPassword))) throw new CredentialFailure(400, 'INVALID_INPUT', '原密码不正确');
  const strength = checkPasswordStrength(newPassword, user.username, policy);
  if (!strength.ok) throw invalidInput(strength.message);
  for (const h of await recentHashes(ctx.db, user, policy.historySize)) {
    if (await verifyPassword(newPassword, h)) throw invalidInput(`新密码不能与最近 ${policy.historySize} 次使用过的密码相同`);
  }
  const hash = await hashPassword(newPassword);
  const at = now();
  await ctx.db.transaction().execute(async (trx) => {
    await trx.insertInto('password_history').values({ user_id: user.id, password_hash: user.password_hash, created_at: at.toISOString() }).execute();
    await trx
      .updateTable('app_user')
      .set((eb) => ({
        password_hash: hash,
        password_changed_at: at.toISOString(),
        must_change_password: 0,
        updated_at: at.toISOString(),
        version: eb('version', '+', 1),
      }))
      .where('id', '=', user.id)
      .execute();
    await endUserSessions(trx, Number(user.id), at, Number(live.session.id));
    await appendAudit(trx, ctx.dialect, actor, { event: 'auth.password.change', objectType: 'user', objectId: Number(user.id) });
  });
}

export async function reauthenticate(ctx: AppCtx, live: LiveSession, actor: Actor, password: string): Promise<string> {
  if (!(await checkSessionPassword(ctx, live, actor, 'auth.reauth', password))) throw new CredentialFailure(400, 'INVALID_INPUT', '密码不正确');
  const until = await elevateSession(ctx.db, Number(live.session.id), now());
  await recordAudit(ctx.db, ctx.dialect, actor, { event: 'auth.reauth', objectType: 'session', objectId: Number(live.session.id) });
  return until;
}
