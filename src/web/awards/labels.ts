// Labels, colours and small helpers of the award pages (先进个人, seed 五 and 附件3).
import type { Nomination, NominationList } from '../../shared/api-awards';
import type { OrgLevel, Role } from '../../shared/roles';

export type NominationStatus = Nomination['status'];
export type Quota = NominationList['quotas'][number];

export const NOMINATION_STATUS_COLORS: Record<NominationStatus, string> = {
  draft: 'default',
  submitted: 'processing',
  approved: 'success',
  rejected: 'error',
};

export const FORM_TITLE = '常州市市本级全民参保登记先进个人申报表';

/** The footnote of 附件3. */
export const FORM_FOOTNOTE = '注：先进事迹概述主要围绕申报条件展开，如文字过多可另行附纸。';

export const DEEDS_MAX = 5000;

/** Roles that evaluate submitted nominations. */
export const EVALUATOR_ROLES: readonly Role[] = ['city_admin', 'city_assessor'];
/** Roles that may fill a nomination for some unit (the server decides which). */
export { NOMINATION_WRITERS } from '../auth/roleGroups';

/**
 * Whether a user fills nominations for a unit of this level: a district's form by its district admin,
 * 市社保 (the agency) by a city admin. The server checks it again (and the unit's subtree).
 */
export function mayFillLevel(role: Role, level: OrgLevel | undefined): boolean {
  if (level === 'district') return role === 'district_admin';
  if (level === 'agency') return role === 'city_admin';
  return false;
}

/** '2016-06-05' → '2016年6月5日'; null → null. */
export function chineseDate(date: string | null | undefined): string | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date ?? '');
  if (!m) return null;
  return `${m[1]}年${Number(m[2])}月${Number(m[3])}日`;
}

export function attachmentUrl(id: number, download = false): string {
  return `/api/nomination-attachments/${id}${download ? '?download=1' : ''}`;
}

/** Permille → '98.5%'; null → '—'. */
export function formatPermille(permille: number | null): string {
  if (permille === null) return '—';
  const tenths = Math.round(permille);
  return `${Math.floor(tenths / 10)}${tenths % 10 === 0 ? '' : `.${tenths % 10}`}%`;
}

/** The text of a quota's state: 名额 8 名，已推荐 3 名，剩余 5 名. */
export function quotaText(q: Quota): string {
  return `名额 ${q.quota} 名，已推荐 ${q.used} 名，剩余 ${Math.max(0, q.quota - q.used)} 名`;
}

