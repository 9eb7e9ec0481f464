// ECharts options of 工作量统计 (pure functions): records entered per day, stacked by the user who
// entered them, and one user's days, both with the campaign's data cutoff marked — the evidence for
// "在规定时间内完成全民参保登记数据录入工作".
import type { WorkStatistics } from '../../shared/api-statistics';
import { CHART_COLORS, type EChartOption } from '../common/EChart';
import { formatCount } from './labels';

type WorkUser = WorkStatistics['users'][number];
type Day = { day: string; n: number };

const AXIS_LABEL = { color: 'rgba(0,0,0,0.65)' };
const TEXT = { fontFamily: "-apple-system, 'PingFang SC', 'Microsoft YaHei', 'Noto Sans CJK SC', sans-serif" };
const DAY_MS = 86_400_000;
/** The cutoff is kept in view when it is at most this far from the entries (else the bars would be slivers). */
const CUTOFF_REACH_MS = 366 * DAY_MS;
/** Users drawn as their own series in the timeline; the rest are summed as 其他人员. */
export const TIMELINE_MAX_USERS = 8;

export const BEFORE_COLOR = CHART_COLORS.blue;
export const AFTER_COLOR = CHART_COLORS.orange;
export const CUTOFF_COLOR = '#cf1322';

/** 'YYYY-MM-DD' → ms, as ECharts reads such a string on a time axis (local midnight). */
function dayMs(day: string): number {
  const [y, m, d] = day.split('-').map(Number);
  return new Date(y ?? 1970, (m ?? 1) - 1, d ?? 1).getTime();
}

/** The x range: the days with entries, and the cutoff when it is near them; half a day of room either side. */
function xRange(days: readonly string[], cutoff: string | null): { min?: number; max?: number; cutoffInView: boolean } {
  const ms = days.map(dayMs);
  if (!ms.length) return { cutoffInView: false };
  let min = Math.min(...ms);
  let max = Math.max(...ms);
  let cutoffInView = false;
  if (cutoff) {
    const c = dayMs(cutoff) + DAY_MS / 2;
    if (c >= min - CUTOFF_REACH_MS && c <= max + CUTOFF_REACH_MS) {
      cutoffInView = true;
      min = Math.min(min, c);
      max = Math.max(max, c);
    }
  }
  return { min: min - DAY_MS, max: max + DAY_MS, cutoffInView };
}

/**
 * The cutoff as a dashed line at the end of its day (entries on the cutoff day count; the next day's
 * do not), labelled with the date.
 */
function cutoffLine(cutoff: string, label = true) {
  return {
    symbol: 'none',
    silent: true,
    animation: false,
    data: [
      {
        name: '数据截止日',
        xAxis: dayMs(cutoff) + DAY_MS / 2,
        lineStyle: { color: CUTOFF_COLOR, type: 'dashed', width: 1.5 },
        label: label ? { formatter: `数据截止 ${cutoff}`, position: 'end', color: CUTOFF_COLOR } : { show: false },
      },
    ],
  };
}

// One format for every tick (a month's first day as '6月1日', not '6月', which collided with its neighbour).
const TIME_AXIS_LABEL = { ...AXIS_LABEL, hideOverlap: true, formatter: '{M}月{d}日' };

/** A name per user for the legend: the display name, with the unit where two users share a name. */
export function seriesNames(users: readonly WorkUser[]): string[] {
  const count = new Map<string, number>();
  for (const u of users) count.set(u.displayName, (count.get(u.displayName) ?? 0) + 1);
  return users.map((u) => ((count.get(u.displayName) ?? 0) > 1 ? `${u.displayName}（${u.orgUnitName}）` : u.displayName));
}

/** 录入时间线: every user's entries per day, stacked; the busiest users on their own, the rest summed. */
export function timelineOption(w: WorkStatistics): EChartOption {
  const users = [...w.users].sort((a, b) => b.entered - a.entered);
  const own = users.length > TIMELINE_MAX_USERS + 1 ? users.slice(0, TIMELINE_MAX_USERS) : users;
  const rest = users.slice(own.length);
  const names = seriesNames(own);
  const series: Array<{ name: string; days: Day[] }> = own.map((u, i) => ({ name: names[i] ?? u.displayName, days: u.days }));
  if (rest.length) {
    const sum = new Map<string, number>();
    for (const u of rest) for (const d of u.days) sum.set(d.day, (sum.get(d.day) ?? 0) + d.n);
    series.push({ name: `其他 ${rest.length} 人`, days: [...sum].map(([day, n]) => ({ day, n })) });
  }
  const allDays = [...new Set(users.flatMap((u) => u.days.map((d) => d.day)))];
  const { min, max, cutoffInView } = xRange(allDays, w.dataCutoff);
  return {
    textStyle: TEXT,
    tooltip: {
      trigger: 'axis',
      axisPointer: { type: 'shadow' },
      valueFormatter: (v) => (Array.isArray(v) ? `${formatCount(Number(v[1]))} 条` : `${formatCount(Number(v))} 条`),
    },
    legend: { top: 0, left: 0, type: 'scroll' },
    grid: { left: 16, right: 24, top: 56, bottom: 8, containLabel: true },
    xAxis: { type: 'time', min, max, axisLabel: TIME_AXIS_LABEL },
    yAxis: { type: 'value', name: '录入（条）', minInterval: 1, axisLabel: AXIS_LABEL, nameTextStyle: AXIS_LABEL },
    series: series.map((s, i) => ({
      name: s.name,
      type: 'bar' as const,
      stack: 'entries',
      barMaxWidth: 18,
      emphasis: { focus: 'series' as const },
      data: s.days.map((d) => [d.day, d.n]),
      markLine: i === 0 && cutoffInView && w.dataCutoff ? cutoffLine(w.dataCutoff) : undefined,
    })),
  } as EChartOption;
}

/** One user's entries per day; the days after the cutoff in another colour. */
export function userDaysOption(days: readonly Day[], cutoff: string | null): EChartOption {
  const { min, max, cutoffInView } = xRange(
    days.map((d) => d.day),
    cutoff,
  );
  return {
    textStyle: TEXT,
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' }, valueFormatter: (v) => (Array.isArray(v) ? `${formatCount(Number(v[1]))} 条` : `${formatCount(Number(v))} 条`) },
    grid: { left: 8, right: 24, top: 28, bottom: 4, containLabel: true },
    xAxis: { type: 'time', min, max, axisLabel: TIME_AXIS_LABEL },
    yAxis: { type: 'value', minInterval: 1, axisLabel: AXIS_LABEL, splitNumber: 3 },
    series: [
      {
        name: '录入',
        type: 'bar',
        barMaxWidth: 14,
        data: days.map((d) => ({ value: [d.day, d.n], itemStyle: { color: cutoff && d.day > cutoff ? AFTER_COLOR : BEFORE_COLOR } })),
        markLine: cutoffInView && cutoff ? cutoffLine(cutoff) : undefined,
      },
    ],
  } as EChartOption;
}
