// ECharts options of the statistics charts, built from the API's figures (pure functions).
import type { z } from 'zod';
import type { Pivot, progress, StatRow } from '../../shared/api-statistics';
import { INSURANCE_TYPES } from '../../shared/codes/index';
import { niceStep } from '../common/BarChart';
import { CHART_COLORS, type EChartOption } from '../common/EChart';
import { formatCount, formatPermille, shortUnitName } from './labels';

export type Progress = z.infer<typeof progress>;

const AXIS_LABEL = { color: 'rgba(0,0,0,0.65)' };
const TEXT = { fontFamily: "-apple-system, 'PingFang SC', 'Microsoft YaHei', 'Noto Sans CJK SC', sans-serif" };

/** An axis maximum at a round number above `top` (so that a target line is always in view). */
function niceMax(top: number): number {
  if (!(top > 0)) return 5;
  const step = niceStep(top);
  return Math.ceil((top * 1.05) / step) * step;
}

/** 'YYYY-MM-DD' → ms, as ECharts reads such a string (local midnight). */
function dayMs(day: string): number {
  const [y, m, d] = day.split('-').map(Number);
  return new Date(y ?? 1970, (m ?? 1) - 1, d ?? 1).getTime();
}

const DAY_MS = 86_400_000;

/** 登记进度: cumulative registered and counted per day of entry, the daily entries, the target and the cutoff. */
export function progressOption(p: Progress): EChartOption {
  const last = p.days[p.days.length - 1];
  const top = Math.max(last?.registered ?? 0, p.target ?? 0);
  const cutoff = p.dataCutoff;
  const markData: Array<Record<string, unknown>> = [];
  if (p.target !== null) {
    markData.push({
      name: '目标人数',
      yAxis: p.target,
      lineStyle: { color: CHART_COLORS.red, type: 'dashed', width: 1.5 },
      label: { formatter: `目标 ${formatCount(p.target)} 人`, position: 'insideEndTop', color: CHART_COLORS.red },
    });
  }
  if (cutoff) {
    markData.push({
      name: '数据截止日',
      xAxis: cutoff,
      lineStyle: { color: CHART_COLORS.orange, type: 'dashed', width: 1.5 },
      label: { formatter: `数据截止 ${cutoff}`, position: 'end', color: CHART_COLORS.orange },
    });
  }
  const days = p.days.map((d) => d.day);
  const first = days[0];
  const lastDay = days[days.length - 1];
  // Keep the cutoff in view, and some room either side of a single day.
  const minDay = [first, cutoff].filter((d): d is string => !!d).map(dayMs);
  const maxDay = [lastDay, cutoff].filter((d): d is string => !!d).map(dayMs);
  const xMin = minDay.length ? Math.min(...minDay) - DAY_MS : undefined;
  const xMax = maxDay.length ? Math.max(...maxDay) + DAY_MS : undefined;
  const maxEntered = Math.max(0, ...p.days.map((d) => d.entered));

  return {
    textStyle: TEXT,
    color: [CHART_COLORS.blue, CHART_COLORS.green, '#91caff'],
    tooltip: {
      trigger: 'axis',
      valueFormatter: (v) => (typeof v === 'number' ? `${formatCount(v)} 人` : String(v ?? '—')),
    },
    legend: { top: 0, left: 0, data: ['累计登记', '累计有效数据', '当日录入'] },
    grid: { left: 16, right: 24, top: 64, bottom: 8, containLabel: true },
    xAxis: {
      type: 'time',
      min: xMin,
      max: xMax,
      axisLabel: { ...AXIS_LABEL, hideOverlap: true, formatter: { year: '{yyyy}年', month: '{M}月', day: '{M}月{d}日' } },
    },
    yAxis: [
      { type: 'value', name: '累计（人）', max: niceMax(top), axisLabel: AXIS_LABEL, nameTextStyle: AXIS_LABEL },
      { type: 'value', name: '当日录入', max: niceMax(maxEntered * 3), splitLine: { show: false }, axisLabel: AXIS_LABEL, nameTextStyle: AXIS_LABEL },
    ],
    series: [
      {
        name: '累计登记',
        type: 'line',
        step: 'end',
        showSymbol: p.days.length <= 31,
        data: p.days.map((d) => [d.day, d.registered]),
      },
      {
        name: '累计有效数据',
        type: 'line',
        step: 'end',
        showSymbol: p.days.length <= 31,
        areaStyle: { opacity: 0.08 },
        data: p.days.map((d) => [d.day, d.counted]),
        markLine: markData.length ? { symbol: 'none', silent: true, animation: false, data: markData } : undefined,
      },
      {
        name: '当日录入',
        type: 'bar',
        yAxisIndex: 1,
        barMaxWidth: 14,
        itemStyle: { opacity: 0.7 },
        data: p.days.map((d) => [d.day, d.entered]),
      },
    ],
  } as EChartOption;
}

/** The target of each row as a short red bar across its group (a bullet chart's target mark). */
export function targetMarker(rows: readonly StatRow[]) {
  return {
    name: '目标人数',
    type: 'line' as const,
    data: rows.map((r) => r.target),
    symbol: 'rect',
    symbolSize: [60, 3],
    lineStyle: { opacity: 0 },
    itemStyle: { color: CHART_COLORS.red },
    z: 5,
  };
}

/** 各单位对比: each row's valid count against its target (登记率 in the tooltip and over the bar). */
export function unitsOption(rows: readonly StatRow[]): EChartOption {
  const anyTarget = rows.some((r) => r.target !== null);
  const names = rows.map((r) => shortUnitName(r.orgUnitName));
  const many = rows.length > 8;
  return {
    textStyle: TEXT,
    tooltip: {
      trigger: 'axis',
      axisPointer: { type: 'shadow' },
      formatter: (params: unknown) => {
        const list = params as Array<{ dataIndex: number }>;
        const r = rows[list[0]?.dataIndex ?? -1];
        if (!r) return '';
        const lines = [
          `<strong>${r.orgUnitName}</strong>`,
          `登记人数：${formatCount(r.registered)} 人`,
          `有效数据：${formatCount(r.counted)} 人`,
          `目标人数：${r.target === null ? '未设置' : `${formatCount(r.target)} 人`}`,
          `登记率：${formatPermille(r.coveragePermille)}`,
        ];
        return lines.join('<br/>');
      },
    },
    legend: { top: 0 },
    grid: { left: 16, right: 16, top: 40, bottom: 8, containLabel: true },
    xAxis: { type: 'category', data: names, axisLabel: { ...AXIS_LABEL, interval: 0, rotate: many ? 35 : 0 } },
    yAxis: { type: 'value', name: '人', axisLabel: AXIS_LABEL, nameTextStyle: AXIS_LABEL },
    series: [
      {
        name: '登记人数',
        type: 'bar',
        barMaxWidth: 28,
        itemStyle: { color: '#91caff' },
        data: rows.map((r) => r.registered),
      },
      {
        name: '有效数据',
        type: 'bar',
        barMaxWidth: 28,
        itemStyle: { color: CHART_COLORS.green },
        label: {
          show: anyTarget && !many,
          position: 'top',
          fontSize: 11,
          color: 'rgba(0,0,0,0.65)',
          formatter: (x: { dataIndex: number }) => {
            const p = rows[x.dataIndex]?.coveragePermille;
            return p === null || p === undefined ? '' : formatPermille(p);
          },
        },
        data: rows.map((r) => r.counted),
      },
      ...(anyTarget ? [targetMarker(rows)] : []),
    ],
  } as EChartOption;
}

/** The statuses of an insurance type, in the order a stacked bar shows them, and their colours. */
export const INSURANCE_STACK = [
  { value: '1', label: '正常参保', color: CHART_COLORS.green },
  { value: '2', label: '暂停参保', color: CHART_COLORS.gold },
  { value: '4', label: '终止参保', color: CHART_COLORS.orange },
  { value: '0', label: '未参保', color: CHART_COLORS.red },
  { value: '', label: '未填', color: CHART_COLORS.grey },
] as const;

/** 参保状况: per insurance type (rows), the valid count split by status (stacked, horizontal). */
export function insuranceOption(pivots: ReadonlyArray<Pivot | undefined>): EChartOption {
  const valueOf = (p: Pivot | undefined, value: string) => {
    if (!p) return 0;
    const known = new Set<string>(INSURANCE_STACK.map((s) => s.value));
    return p.columns.reduce((sum, c, i) => {
      const mine = c.value === value || (value === '' && !known.has(c.value)); // unexpected codes count as 未填
      return mine ? sum + (p.totals[i] ?? 0) : sum;
    }, 0);
  };
  const types = [...INSURANCE_TYPES].reverse(); // the first type on top
  const byType = new Map(INSURANCE_TYPES.map((t, i) => [t.code, pivots[i]]));
  return {
    textStyle: TEXT,
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' }, valueFormatter: (v) => `${formatCount(Number(v))} 人` },
    legend: { top: 0 },
    grid: { left: 16, right: 24, top: 40, bottom: 8, containLabel: true },
    xAxis: { type: 'value', name: '人', axisLabel: AXIS_LABEL, nameTextStyle: AXIS_LABEL },
    yAxis: { type: 'category', data: types.map((t) => t.label), axisLabel: { ...AXIS_LABEL, formatter: (v: string) => INSURANCE_TYPES.find((t) => t.label === v)?.short ?? v } },
    series: INSURANCE_STACK.map((s) => ({
      name: s.label,
      type: 'bar' as const,
      stack: 'status',
      barMaxWidth: 26,
      itemStyle: { color: s.color },
      emphasis: { focus: 'series' as const },
      data: types.map((t) => valueOf(byType.get(t.code), s.value)),
    })),
  } as EChartOption;
}

/** The insurance type code of a row of insuranceOption's category axis. */
export function insuranceTypeAt(dataIndex: number): string | undefined {
  return [...INSURANCE_TYPES].reverse()[dataIndex]?.code;
}

/** 未参保原因: the reasons by count, largest first (records without a reason are left out). */
export function reasonsOf(p: Pivot): Array<{ value: string; label: string; n: number }> {
  return p.columns
    .map((c, i) => ({ value: c.value, label: c.label, n: p.totals[i] ?? 0 }))
    .filter((x) => x.value !== '' && x.n > 0)
    .sort((a, b) => b.n - a.n);
}

export function reasonOption(reasons: ReadonlyArray<{ label: string; n: number }>): EChartOption {
  const list = [...reasons].reverse(); // the largest on top
  const sum = reasons.reduce((s, r) => s + r.n, 0);
  return {
    textStyle: TEXT,
    tooltip: {
      trigger: 'item',
      formatter: (x: unknown) => {
        const { name, value } = x as { name: string; value: number };
        return `${name}：${formatCount(value)} 人（${sum ? ((value * 100) / sum).toFixed(1) : '0.0'}%）`;
      },
    },
    grid: { left: 16, right: 48, top: 8, bottom: 8, containLabel: true },
    xAxis: { type: 'value', name: '人', axisLabel: AXIS_LABEL, nameTextStyle: AXIS_LABEL, minInterval: 1 },
    yAxis: { type: 'category', data: list.map((r) => r.label), axisLabel: AXIS_LABEL },
    series: [
      {
        name: '未参保人数',
        type: 'bar',
        barMaxWidth: 22,
        itemStyle: { color: CHART_COLORS.orange, borderRadius: [0, 3, 3, 0] },
        label: { show: true, position: 'right', color: 'rgba(0,0,0,0.65)', formatter: (x: { value: number }) => formatCount(x.value) },
        data: list.map((r) => ({ name: r.label, value: r.n })),
      },
    ],
  } as EChartOption;
}
