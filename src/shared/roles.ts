// Roles of SPEC.md "Who uses it". The code is stable; the label is what users read.
export const ROLES = ['city_admin', 'city_assessor', 'district_admin', 'clerk', 'surveyor', 'viewer'] as const;
export type Role = (typeof ROLES)[number];

export const ROLE_LABELS: Record<Role, string> = {
  city_admin: '市级管理员',
  city_assessor: '市级考核员',
  district_admin: '区级管理员',
  clerk: '录入员',
  surveyor: '调查员',
  viewer: '查询用户',
};

/** City roles see the whole tree, whatever unit the user belongs to. */
export const CITY_ROLES: readonly Role[] = ['city_admin', 'city_assessor'];

export function isCityRole(role: Role): boolean {
  return CITY_ROLES.includes(role);
}

/** Roles a district admin may grant inside their own district. */
export const DISTRICT_GRANTABLE_ROLES: readonly Role[] = ['district_admin', 'clerk', 'surveyor', 'viewer'];

export const ORG_LEVELS = ['city', 'agency', 'district', 'street', 'community'] as const;
export type OrgLevel = (typeof ORG_LEVELS)[number];
export const ORG_LEVEL_LABELS: Record<OrgLevel, string> = {
  city: '市本级',
  agency: '经办机构',
  district: '区',
  street: '街道/镇',
  community: '社区/村',
};
