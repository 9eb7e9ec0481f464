// Enrolling and removing the TOTP second factor for one's own account (SPEC: supported for city
// roles; any user may enrol). Setting up and removing need a re-entered password.
import type { AppCtx } from '../context.js';
import type { AuthInfo } from './access.js';
import { audited } from '../audit/audited.js';
import { conflict, invalidInput } from '../errors.js';
import { now, nowIso } from '../clock.js';
import { generateTotpSecret, otpauthUrl, verifyTotp } from './totp.js';
import type { AnyDb } from '../db/dialect.js';
import { CredentialFailure } from './throttle.js';

/**
 * Marks a TOTP step used, atomically: one conditional UPDATE that only succeeds while the step is
 * newer than the last one used. Of several requests carrying the same code at the same moment
 * exactly one gets true (PostgreSQL re-checks the condition after the row lock; SQLite writes one
 * at a time). Call it inside the transaction that acts on the code.
 */
export async function consumeTotpStep(db: AnyDb, userId: number, step: number): Promise<boolean> {
  const r = await db
    .updateTable('app_user')
    .set({ totp_last_step: step })
    .where('id', '=', userId)
    .where('totp_secret', 'is not', null)
    .where((eb) => eb.or([eb('totp_last_step', 'is', null), eb('totp_last_step', '<', step)]))
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

export async function startTotpSetup(ctx: AppCtx, auth: AuthInfo): Promise<{ secret: string; otpauthUrl: string }> {
  if (auth.user.totp_secret) throw conflict('已启用动态验证码；如需更换，请先停用');
  const secret = generateTotpSecret();
  await audited(ctx, auth.actor, 'auth.totp.setup', async (trx) => {
    await trx.updateTable('app_user').set({ totp_pending: secret, updated_at: nowIso() }).where('id', '=', auth.user.id).execute();
    return { result: undefined, objectType: 'user', objectId: Number(auth.user.id) };
  });
  return { secret, otpauthUrl: otpauthUrl(secret, auth.user.username) };
}

export async function enableTotp(ctx: AppCtx, auth: AuthInfo, code: string): Promise<void> {
  await audited(ctx, auth.actor, 'auth.totp.enable', async (trx) => {
    const row = await trx.selectFrom('app_user').select(['totp_pending', 'totp_secret']).where('id', '=', auth.user.id).executeTakeFirstOrThrow();
    if (row.totp_secret) throw conflict('已启用动态验证码');
    if (!row.totp_pending) throw invalidInput('请先生成密钥');
    const step = verifyTotp(row.totp_pending, code, now());
    if (step === null) throw new CredentialFailure(400, 'INVALID_INPUT', '验证码不正确，请核对手机时间后重试');
    // Conditional on the state just read: of parallel confirmations with the same code one wins.
    const r = await trx
      .updateTable('app_user')
      .set({ totp_secret: row.totp_pending, totp_pending: null, totp_last_step: step, updated_at: nowIso() })
      .where('id', '=', auth.user.id)
      .where('totp_secret', 'is', null)
      .where('totp_pending', '=', row.totp_pending)
      .executeTakeFirst();
    if (Number(r.numUpdatedRows) !== 1) throw conflict('已启用动态验证码');
    return { result: undefined, objectType: 'user', objectId: Number(auth.user.id), before: { totpEnabled: false }, after: { totpEnabled: true } };
  });
}

export async function disableTotp(ctx: AppCtx, auth: AuthInfo): Promise<void> {
  await audited(ctx, auth.actor, 'auth.totp.disable', async (trx) => {
    await trx
      .updateTable('app_user')
      .set({ totp_secret: null, totp_pending: null, totp_last_step: null, updated_at: nowIso() })
      .where('id', '=', auth.user.id)
      .execute();
    return { result: undefined, objectType: 'user', objectId: Number(auth.user.id), before: { totpEnabled: !!auth.user.totp_secret }, after: { totpEnabled: false } };
  });
}
