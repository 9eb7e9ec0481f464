// One source of "now" so tests can move time (idle time-outs, lock-outs, password age).
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
  return new Date(at.getTime() + 8 * 3600_000).toISOString().slice(0, 10);
}
