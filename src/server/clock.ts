// One source of "now" so tests can move time (idle time-outs, lock-outs, password age), and the
// server's access to Shanghai day boundaries (src/domain/shanghai-day.ts computes them).
import { isShanghaiDay, shanghaiDayOf, shanghaiDayStart, shanghaiNextDayStart } from '../domain/shanghai-day.js';
import { invalidInput } from './errors.js';

export { shanghaiDayOf } from '../domain/shanghai-day.js';
let current: () => Date = () => new Date();

export function now(): Date {
  return current();
}

export function nowIso(): string {
  return current().toISOString();
}

export function setClock(fn: () => Date): void {
  current = fn;
}

export function resetClock(): void {
  current = () => new Date();
}

/** Today's calendar date in Asia/Shanghai (UTC+8, no DST), 'YYYY-MM-DD'. */
export function todayShanghai(at: Date = current()): string {
  return shanghaiDayOf(at);
}

function checkedDay(day: string): string {
  if (!isShanghaiDay(day)) throw invalidInput(`日期“${day}”无效，应为 YYYY-MM-DD 格式的真实日期`);
  return day;
}

/**
 * Where a Shanghai day starts, as UTC ISO text: rows of the day D are `start(D) <= t < dayEnd(D)`.
 * An impossible date (2016-02-30) answers 400.
 */
export function dayStart(day: string): string {
  return shanghaiDayStart(checkedDay(day));
}

/** The exclusive end of a Shanghai day (the next day's 00:00 +08:00): "by the end of D" is `t < dayEnd(D)`. */
export function dayEnd(day: string): string {
  return shanghaiNextDayStart(checkedDay(day));
}
