// Words and small helpers of the statistics pages (汇总分析). Dimension, measure and code labels are
// data in src/shared; only the pages' own words live here.
import { listFiltersOf, type StatDimension, type StatMeasure } from '../../shared/api-statistics';
import type { Role } from '../api/types';
import { todayShanghai } from '../common/format';

/** Roles that may set a unit's target population (the server checks the unit is theirs). */
export const TARGET_WRITERS: readonly Role[] = ['city_admin', 'district_admin'];

/** The measures offered by the pivot's switch (short labels). */
export const MEASURE_OPTIONS: ReadonlyArray<{ value: StatMeasure; label: string }> = [
  { value: 'registered', label: '登记人数' },
  { value: 'valid', label: '有效记录' },
  { value: 'counted', label: '有效数据' },
];

export const MEASURE_HINTS: Record<StatMeasure, string> = {
  registered: '全部登记记录（含无效、重复）',
  valid: '通过校验的记录（含他处已计入的重复记录）',
  counted: '有效且计入本单位的人数（不含重复），即计费依据',
};

/** The year the server counts ages against (按出生年份计算): this year in Shanghai. */
export function statisticsYear(): number {
  return Number(todayShanghai().slice(0, 4));
}

export function formatCount(n: number | null | undefined): string {
  if (n === null || n === undefined || !Number.isFinite(n)) return '—';
  return n.toLocaleString('zh-CN');
}

/** 1234 ‰ → "123.4%". */
export function formatPermille(p: number | null | undefined): string {
  if (p === null || p === undefined || !Number.isFinite(p)) return '—';
  return `${(p / 10).toFixed(1)}%`;
}

/** part / whole as "12.5%" (one decimal), "—" without a whole. */
export function formatShare(part: number, whole: number): string {
  if (!(whole > 0)) return '—';
  return `${((part * 100) / whole).toFixed(1)}%`;
}

/** A community's or street's name as a chart axis shows it: "华山社区居委会" → "华山社区". */
export function shortUnitName(name: string): string {
  return name.replace(/社区居委会$/, '社区').replace(/居委会$/, '社区').replace(/村民委员会$/, '村').replace(/村委会$/, '村');
}

/** The list filters of a measure alone (a row total: every value of the dimension). */
function measureFilters(measure: StatMeasure): Record<string, string> {
  if (measure === 'valid') return { valid: 'true' };
  if (measure === 'counted') return { valid: 'true', duplicate: 'false' };
  return {};
}

/**
 * The registration list that holds exactly the records of a pivot cell: the unit of the row, and the
 * filters of the dimension's value (`value` null: the row total — every value). The list page reads
 * these names from its URL.
 */
export function cellListPath(orgUnitId: number, dim: StatDimension, value: string | null, measure: StatMeasure, year = statisticsYear(), asOf: string | null = null): string {
  const filters = value === null ? { ...measureFilters(measure), ...(asOf ? { enteredTo: asOf } : {}) } : listFiltersOf(dim, value, measure, year, asOf);
  return `/registrations?${new URLSearchParams({ orgUnitId: String(orgUnitId), ...filters }).toString()}`;
}
