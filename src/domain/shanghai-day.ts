// Calendar days in Asia/Shanghai (UTC+8 all year, no daylight saving since 1991) and their
// boundaries as UTC ISO text — the one place they are computed. Timestamps are stored as UTC ISO
// text ('YYYY-MM-DDTHH:MM:SS.sssZ') and compared as text, so a day is the half-open range
// [start, nextStart): "entered by the end of day D" is `entered_at < shanghaiNextDayStart(D)`,
// never `<= D 23:59:59.999` (which depends on the stored precision).

const OFFSET_MS = 8 * 3600_000;
const DAY_MS = 86_400_000;

/** True for a real calendar date written 'YYYY-MM-DD' (2016-02-30 is not). */
export function isShanghaiDay(day: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(day)) return false;
  const t = Date.parse(`${day}T00:00:00.000Z`);
  return !Number.isNaN(t) && new Date(t).toISOString().slice(0, 10) === day;
}

function dayMs(day: string): number {
  if (!isShanghaiDay(day)) throw new RangeError(`not a calendar date: ${JSON.stringify(day)}`);
  return Date.parse(`${day}T00:00:00.000Z`) - OFFSET_MS;
}

/** The Shanghai calendar day ('YYYY-MM-DD') of an instant (a Date or an ISO string with its zone). */
export function shanghaiDayOf(at: Date | string): string {
  const t = typeof at === 'string' ? Date.parse(at) : at.getTime();
  if (Number.isNaN(t)) throw new RangeError(`not a time: ${JSON.stringify(at)}`);
  return new Date(t + OFFSET_MS).toISOString().slice(0, 10);
}

/** 00:00:00.000 of the day in Shanghai, as UTC ISO ('2016-06-10' → '2016-06-09T16:00:00.000Z'). */
export function shanghaiDayStart(day: string): string {
  return new Date(dayMs(day)).toISOString();
}

/** 00:00:00.000 of the next day in Shanghai: the exclusive end of the day ('2016-06-10' → '2016-06-10T16:00:00.000Z'). */
export function shanghaiNextDayStart(day: string): string {
  return new Date(dayMs(day) + DAY_MS).toISOString();
}

/** The day as a half-open UTC range [start, end). */
export function shanghaiDayRange(day: string): { start: string; end: string } {
  return { start: shanghaiDayStart(day), end: shanghaiNextDayStart(day) };
}

/** An instant as Asia/Shanghai wall-clock text, '2026-12-05 20:14:47' (for files and messages). */
export function shanghaiTimeText(at: Date | string): string {
  const ms = typeof at === 'string' ? Date.parse(at) : at.getTime();
  return new Date(ms + OFFSET_MS).toISOString().slice(0, 19).replace('T', ' ');
}
