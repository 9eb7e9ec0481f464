// The registration list's filters as they live in the page's URL, and the tags that show them. A
// statistics cell opens the list with the API's own names (orgUnitId, duplicate, personCategory …,
// see listFiltersOf in src/shared/api-statistics.ts); the page's older short names stay valid.
import { AGE_BANDS } from '../../shared/api-statistics';
import { CODE_TABLES, labelOf, type CodeTableId } from '../../shared/codes/index';
import { todayShanghai } from '../common/format';
import { fieldLabel } from './labels';

/** The page's URL name of a filter → the API's name, also accepted in the URL. */
export const URL_ALIASES: Readonly<Record<string, string>> = {
  org: 'orgUnitId',
  dup: 'duplicate',
  category: 'personCategory',
  from: 'enteredFrom',
  to: 'enteredTo',
};

/** A filter's value from the URL, under the page's name or the API's. */
export function urlFilter(params: URLSearchParams, name: string): string {
  const alias = URL_ALIASES[name];
  return params.get(name) ?? (alias ? params.get(alias) : null) ?? '';
}

/** Removes filters (by the page's names) and their aliases. */
export function withoutFilters(params: URLSearchParams, names: readonly string[]): URLSearchParams {
  const next = new URLSearchParams(params);
  for (const n of names) {
    next.delete(n);
    const alias = URL_ALIASES[n];
    if (alias) next.delete(alias);
  }
  return next;
}

/** The filters a statistics cell adds, under their API names (the same in the URL). */
export const CODE_FILTERS: ReadonlyArray<{ key: string; table: CodeTableId; label: string }> = [
  { key: 'sex', table: 'sex', label: '性别' },
  { key: 'hukouType', table: 'hukouType', label: '户口性质' },
  { key: 'uninsuredReason', table: 'uninsuredReason', label: '未参保原因' },
  { key: 'willingness', table: 'willingness', label: '参保意愿' },
];

export type ListFilters = {
  insType: string;
  insStatus: string;
  personCategory: string;
  enteredFrom: string;
  enteredTo: string;
  surveyor: string;
  sex: string;
  hukouType: string;
  uninsuredReason: string;
  willingness: string;
  birthYearFrom: string;
  birthYearTo: string;
  birthUnknown: string;
  errorField: string;
};

/** A filter shown as a closable tag: closing removes `keys` (the page's URL names). */
export type FilterTag = { id: string; text: string; keys: string[] };

function codeText(table: CodeTableId, code: string): string {
  if (code === 'none') return '未填';
  return labelOf(CODE_TABLES[table], code) ?? code;
}

/** "年龄：45—59岁（出生年份 1967—1981）" when the years are a band of this year's statistics. */
function birthText(from: string, to: string): string {
  const year = Number(todayShanghai().slice(0, 4));
  const band = AGE_BANDS.find((b) => String(year - Math.min(b.max, year - 1850)) === from && String(year - b.min) === to);
  const years = from && to ? (Number(from) <= 1850 ? `${to} 年及以前` : `${from}—${to}`) : from ? `${from} 年及以后` : `${to} 年及以前`;
  return band ? `年龄：${band.label}（出生年份 ${years}）` : `出生年份：${years}`;
}

/** The tags of the filters that have no control of their own on the list's first row. */
export function filterTags(f: ListFilters): FilterTag[] {
  const tags: FilterTag[] = [];
  for (const c of CODE_FILTERS) {
    const v = f[c.key as keyof ListFilters];
    if (v) tags.push({ id: c.key, text: `${c.label}：${codeText(c.table, v)}`, keys: [c.key] });
  }
  if (f.personCategory) tags.push({ id: 'category', text: `个人身份：${codeText('personCategory', f.personCategory)}`, keys: ['category'] });
  if (f.insType && f.insStatus) {
    tags.push({ id: 'ins', text: `${codeText('insuranceType', f.insType)}：${codeText('insuranceStatus', f.insStatus)}`, keys: ['insType', 'insStatus'] });
  }
  if (f.birthYearFrom || f.birthYearTo) tags.push({ id: 'birth', text: birthText(f.birthYearFrom, f.birthYearTo), keys: ['birthYearFrom', 'birthYearTo'] });
  if (f.birthUnknown === 'true') tags.push({ id: 'birthUnknown', text: '出生日期：未填', keys: ['birthUnknown'] });
  if (f.errorField) tags.push({ id: 'errorField', text: `无效项目：${fieldLabel(f.errorField)}`, keys: ['errorField'] });
  if (f.enteredFrom || f.enteredTo) tags.push({ id: 'entered', text: `录入日期：${f.enteredFrom || '…'} 至 ${f.enteredTo || '…'}`, keys: ['from', 'to'] });
  if (f.surveyor) tags.push({ id: 'surveyor', text: `采集人：${f.surveyor}`, keys: ['surveyor'] });
  return tags;
}
