// Column sorting and filtering for the overview tables that hold all their rows (issue 14): Chinese
// text in the order officials expect (pinyin, as localeCompare with 'zh-CN'; digits as numbers, so
// 第2次 comes before 第10次), numbers numerically, times by time, and empty values ('—') last in
// either direction. Ant Design's sort is stable (Array.prototype.sort), so equal values keep the
// server's order; totals live in Table.Summary and never take part.
import type { ColumnFilterItem, CompareFn, SortOrder } from 'antd/es/table/interface';
import type { Key } from 'react';

const collator = new Intl.Collator('zh-CN', { numeric: true });

/** Chinese-aware comparison of two texts (the order of every text sorter). */
export function compareText(a: string, b: string): number {
  return collator.compare(a, b);
}

type Get<T, V> = (r: T) => V | null | undefined;

const isEmpty = (v: unknown) => v === null || v === undefined || v === '' || (typeof v === 'number' && Number.isNaN(v));

/** Empty values after the others in both directions (Ant Design negates the result for 'descend'). */
function emptyLast<V>(a: V | null | undefined, b: V | null | undefined, order: SortOrder | undefined, cmp: (x: V, y: V) => number): number {
  const ae = isEmpty(a);
  const be = isEmpty(b);
  if (ae || be) {
    if (ae && be) return 0;
    const r = ae ? 1 : -1;
    return order === 'descend' ? -r : r;
  }
  return cmp(a as V, b as V);
}

export function byText<T>(get: Get<T, string>): CompareFn<T> {
  return (a, b, order) => emptyLast(get(a), get(b), order, compareText);
}

export function byNumber<T>(get: Get<T, number>): CompareFn<T> {
  return (a, b, order) => emptyLast(get(a), get(b), order, (x, y) => x - y);
}

/** ISO times or 'YYYY-MM-DD' dates, compared as instants. */
export function byTime<T>(get: Get<T, string>): CompareFn<T> {
  return (a, b, order) => emptyLast(get(a), get(b), order, (x, y) => Date.parse(x) - Date.parse(y));
}

/** A column filter over the distinct texts of the rows (sorted), matching a row by that text. */
export function textFilter<T>(rows: readonly T[], get: (r: T) => string | null | undefined, empty = '（空）') {
  const values = [...new Set(rows.map((r) => get(r) ?? ''))].sort(compareText);
  const filters: ColumnFilterItem[] = values.map((v) => ({ text: v === '' ? empty : v, value: v }));
  return {
    filters,
    filterSearch: values.length > 8,
    onFilter: (value: boolean | Key, r: T) => (get(r) ?? '') === value,
  };
}

/** A column filter over a fixed list of codes with their labels (status, role…). */
export function codeFilter<T, C extends string>(codes: readonly C[], labels: Readonly<Record<C, string>>, get: (r: T) => C) {
  return {
    filters: codes.map((c) => ({ text: labels[c], value: c })) as ColumnFilterItem[],
    onFilter: (value: boolean | Key, r: T) => get(r) === value,
  };
}
