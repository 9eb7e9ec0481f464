// User management rules: who may create whom, where; optimistic concurrency on updates.
import type { AppCtx } from '../context.js';
import type { AuthInfo } from '../auth/access.js';
import { audited } from '../audit/audited.js';
import { conflict, forbidden, invalidInput, notFound } from '../errors.js';
import { isUniqueViolation } from '../db/dialect.js';
import { nowIso, now } from '../clock.js';
import { DISTRICT_GRANTABLE_ROLES, isCityRole, type OrgLevel, type Role } from '../../shared/roles.js';
import { generateInitialPassword } from '../../domain/password.js';
import { hashPassword } from '../auth/password-hash.js';
import { endUserSessions } from '../auth/sessions.js';
import { getOrgUnit, inScope } from '../orgs/store.js';
import { findUserInScope, toUser } from './store.js';
import type { AnyDb } from '../db/dialect.js';
import { normalizeUsername } from '../auth/service.js';
import { newUserValues } from './store.js';

const CITY_LEVELS: OrgLevel[] = ['city', 'agency'];

/** Checks that `auth` may give `role` to a user of unit `orgUnitId`; returns the unit. */
async function checkPlacement(db: AnyDb, auth: AuthInfo, role: Role, orgUnitId: number) {
  const unit = await getOrgUnit(db, orgUnitId);
  if (!unit || !inScope(auth.scope, unit.path)) throw notFound('所属单位不存在');
  if (auth.role !== 'city_admin' && !DISTRICT_GRANTABLE_ROLES.includes(role)) throw forbidden('无权授予该角色');
  const level = unit.level as OrgLevel;
  if (isCityRole(role) && !CITY_LEVELS.includes(level)) throw invalidInput('市级角色的用户须属于市本级或市社保');
  if (role === 'district_admin' && CITY_LEVELS.includes(level)) throw invalidInput('区级管理员须属于某个区或其下级单位');
  // Clerks and surveyors work in a district (SPEC: "of a district / street"); at the city level
  // their scope would be the whole city.
  if ((role === 'clerk' || role === 'surveyor') && CITY_LEVELS.includes(level)) throw invalidInput('录入员和调查员须属于某个区或其下级单位');
  return unit;
}

export async function createUser(
  ctx: AppCtx,
  auth: AuthInfo,
  input: { username: string; displayName: string; role: Role; orgUnitId: number; phone?: string | undefined },
) {
  const initialPassword = generateInitialPassword();
  const hash = await hashPassword(initialPassword);
  const username = normalizeUsername(input.username);
  const user = await audited(ctx, auth.actor, 'user.create', async (trx) => {
    await checkPlacement(trx, auth, input.role, input.orgUnitId);
    const at = nowIso();
    try {
      const row = await trx
        .insertInto('app_user')
        .values(newUserValues({ username, displayName: input.displayName, role: input.role, orgUnitId: input.orgUnitId, phone: input.phone, passwordHash: hash, at }))
        .returning('id')
        .executeTakeFirstOrThrow();
      const result = toUser((await findUserInScope(trx, auth.scope, Number(row.id)))!);
      return { result, objectType: 'user', objectId: result.id, after: result };
    } catch (err) {
      if (isUniqueViolation(err)) throw conflict(`用户名 ${username} 已被使用`);
      throw err;
    }
  });
  return { user, initialPassword };
}

export async function updateUser(
  ctx: AppCtx,
  auth: AuthInfo,
  id: number,
  input: { displayName?: string | undefined; role?: Role | undefined; orgUnitId?: number | undefined; phone?: string | undefined; disabled?: boolean | undefined; version: number },
) {
  return audited(ctx, auth.actor, 'user.update', async (trx) => {
    const before = await findUserInScope(trx, auth.scope, id);
    if (!before) throw notFound('用户不存在');
    const self = Number(before.id) === Number(auth.user.id);
    if (self && (input.role !== undefined && input.role !== before.role)) throw invalidInput('不能修改自己的角色');
    if (self && input.disabled) throw invalidInput('不能停用自己的账户');
    if (auth.role !== 'city_admin' && !DISTRICT_GRANTABLE_ROLES.includes(before.role as Role)) throw notFound('用户不存在');
    const role = input.role ?? (before.role as Role);
    const orgUnitId = input.orgUnitId ?? Number(before.org_unit_id);
    await checkPlacement(trx, auth, role, orgUnitId);
    const res = await trx
      .updateTable('app_user')
      .set((eb) => ({
        display_name: input.displayName ?? before.display_name,
        role,
        org_unit_id: orgUnitId,
        phone: input.phone === undefined ? before.phone : input.phone || null,
        disabled: input.disabled === undefined ? before.disabled : input.disabled ? 1 : 0,
        updated_at: nowIso(),
        version: eb('version', '+', 1),
      }))
      .where('id', '=', id)
      .where('version', '=', input.version)
      .executeTakeFirst();
    if (Number(res.numUpdatedRows) !== 1) throw conflict('该用户已被他人修改，请刷新后重试', { current: toUser(before) });
    if (input.disabled || role !== before.role || orgUnitId !== Number(before.org_unit_id)) {
      await endUserSessions(trx, id, now());
    }
    const result = toUser((await findUserInScope(trx, { rootPath: '/', isCity: true }, id))!);
    return { result, objectType: 'user', objectId: id, before: toUser(before), after: result };
  });
}

export async function resetPassword(ctx: AppCtx, auth: AuthInfo, id: number) {
  const temporaryPassword = generateInitialPassword();
  const hash = await hashPassword(temporaryPassword);
  await audited(ctx, auth.actor, 'user.password.reset', async (trx) => {
    const target = await findUserInScope(trx, auth.scope, id);
    if (!target) throw notFound('用户不存在');
    if (auth.role !== 'city_admin' && !DISTRICT_GRANTABLE_ROLES.includes(target.role as Role)) throw notFound('用户不存在');
    const at = nowIso();
    await trx.insertInto('password_history').values({ user_id: id, password_hash: target.password_hash, created_at: at }).execute();
    await trx
      .updateTable('app_user')
      // A reset is also how a user who lost the phone with their authenticator gets back in.
      .set((eb) => ({
        password_hash: hash,
        password_changed_at: at,
        must_change_password: 1,
        totp_secret: null,
        totp_pending: null,
        totp_last_step: null,
        updated_at: at,
        version: eb('version', '+', 1),
      }))
      .where('id', '=', id)
      .execute();
    await endUserSessions(trx, id, now());
    return { result: undefined, objectType: 'user', objectId: id };
  });
  return { temporaryPassword };
}

export async function unlockUser(ctx: AppCtx, auth: AuthInfo, id: number) {
  await audited(ctx, auth.actor, 'user.unlock', async (trx) => {
    const target = await findUserInScope(trx, auth.scope, id);
    if (!target) throw notFound('用户不存在');
    await trx.deleteFrom('login_throttle').where('username', '=', target.username).execute();
    return { result: undefined, objectType: 'user', objectId: id };
  });
}
