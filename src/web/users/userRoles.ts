import { DISTRICT_GRANTABLE_ROLES, ROLE_LABELS, ROLES, type Role } from '../../shared/roles';

/** Roles the acting user may give to others (the server checks again). */
export function grantableRoles(actor: Role): readonly Role[] {
  if (actor === 'city_admin') return ROLES;
  if (actor === 'district_admin') return DISTRICT_GRANTABLE_ROLES;
  return [];
}

export function roleOptions(roles: readonly Role[]) {
  return roles.map((r) => ({ value: r, label: ROLE_LABELS[r] }));
}
