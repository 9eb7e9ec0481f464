// Queries for users; the API shape masks the phone (SPEC: phones as 3 + 4).
import type { AnyDb } from '../db/dialect.js';
import { containsCi } from '../db/dialect.js';
import type { AppUserRow, NewAppUser } from '../db/schema.js';
import type { Role } from '../../shared/roles.js';
import type { User } from '../../shared/api.js';
import { maskPhone } from '../../domain/id-number.js';
import { pathPrefixFilter, type Scope } from '../orgs/store.js';
import { now } from '../clock.js';

export type UserWithUnit = AppUserRow & { org_unit_name: string; org_unit_path: string; locked_until: string | null };

function baseQuery(db: AnyDb) {
  return db
    .selectFrom('app_user')
    .innerJoin('org_unit', 'org_unit.id', 'app_user.org_unit_id')
    .leftJoin('login_throttle', 'login_throttle.username', 'app_user.username')
    .selectAll('app_user')
    .select(['org_unit.name as org_unit_name', 'org_unit.path as org_unit_path', 'login_throttle.locked_until as locked_until']);
}

export async function findUserInScope(db: AnyDb, scope: Scope, id: number): Promise<UserWithUnit | undefined> {
  let q = baseQuery(db).where('app_user.id', '=', id);
  if (!scope.isCity) q = q.where(pathPrefixFilter(scope.rootPath));
  return q.executeTakeFirst();
}

export async function listUsers(
  db: AnyDb,
  scope: Scope,
  f: { unitPath?: string | undefined; unitId?: number | undefined; includeDescendants: boolean; role?: Role | undefined; q?: string | undefined },
): Promise<UserWithUnit[]> {
  let q = baseQuery(db);
  if (!scope.isCity) q = q.where(pathPrefixFilter(scope.rootPath));
  if (f.unitPath && f.includeDescendants) q = q.where(pathPrefixFilter(f.unitPath));
  else if (f.unitId) q = q.where('app_user.org_unit_id', '=', f.unitId);
  if (f.role) q = q.where('app_user.role', '=', f.role);
  if (f.q) {
    const term = f.q;
    q = q.where((eb) => eb.or([containsCi('app_user.username', term), containsCi('app_user.display_name', term)]));
  }
  return q.orderBy('org_unit.code').orderBy('app_user.username').limit(2000).execute();
}

export function toUser(r: UserWithUnit): User {
  return {
    id: Number(r.id),
    username: r.username,
    displayName: r.display_name,
    role: r.role as Role,
    orgUnitId: Number(r.org_unit_id),
    orgUnitName: r.org_unit_name,
    phone: r.phone ? maskPhone(r.phone) : null,
    disabled: Number(r.disabled) === 1,
    locked: !!r.locked_until && Date.parse(r.locked_until) > now().getTime(),
    mustChangePassword: Number(r.must_change_password) === 1,
    lastLoginAt: r.last_login_at,
    createdAt: r.created_at,
    version: Number(r.version),
  };
}

/** The row of a new account: it must change its password at first login unless told otherwise. */
export function newUserValues(input: {
  username: string;
  displayName: string;
  role: Role;
  orgUnitId: number;
  phone?: string | null | undefined;
  passwordHash: string;
  at: string;
  mustChangePassword?: boolean;
}): NewAppUser {
  return {
    username: input.username,
    display_name: input.displayName,
    role: input.role,
    org_unit_id: input.orgUnitId,
    phone: input.phone ? input.phone : null,
    password_hash: input.passwordHash,
    password_changed_at: input.at,
    must_change_password: input.mustChangePassword === false ? 0 : 1,
    disabled: 0,
    totp_secret: null,
    last_login_at: null,
    created_at: input.at,
    updated_at: input.at,
    version: 0,
  };
}
