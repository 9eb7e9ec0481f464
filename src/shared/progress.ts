// The arithmetic of a long job's progress as the pages show it (issue 14: "long jobs show rows done
// of total, percentage and time left"): the percent (never 100 before the job is done), the time
// left from the rate so far, and the Chinese texts. Pure: the elapsed time is given, measured by the
// server (so a wrong clock on the office PC does not matter).

/** Too early to extrapolate: less time than this has passed, or less than MIN_FRACTION is done. */
export const MIN_ELAPSED_MS = 2000;
export const MIN_FRACTION = 0.01;

export type JobProgressInput = {
  /** Rows done so far. */
  done: number;
  /** Rows in all; null while not known. */
  total: number | null;
  /** The total is an estimate (shown with 约). */
  estimated?: boolean;
  /** Time since the work began, measured by the server; null when not known. */
  elapsedMs: number | null;
  /** The job has ended successfully. */
  finished?: boolean;
};

/** The total to show: an estimate already passed is replaced by the rows done. */
export function shownTotal(p: Pick<JobProgressInput, 'done' | 'total'>): number | null {
  if (p.total === null || !(p.total > 0)) return null;
  return Math.max(p.total, p.done);
}

/** 0–100; at most 99 until the job is finished, 0 while the total is unknown. */
export function progressPercent(p: Pick<JobProgressInput, 'done' | 'total' | 'finished'>): number {
  if (p.finished) return 100;
  const total = shownTotal(p);
  if (total === null || p.done <= 0) return 0;
  return Math.min(99, Math.floor((p.done * 100) / total));
}

/**
 * Milliseconds left at the rate so far, or null while it is too early to say (unknown total or
 * elapsed time, under MIN_ELAPSED_MS, under MIN_FRACTION done). 0 once the rows done reach the total.
 */
export function timeLeftMs(p: JobProgressInput): number | null {
  const total = shownTotal(p);
  if (total === null || p.elapsedMs === null || p.elapsedMs < MIN_ELAPSED_MS || p.done <= 0) return null;
  if (p.done / total < MIN_FRACTION) return null;
  return Math.max(0, Math.round((p.elapsedMs * (total - p.done)) / p.done));
}

/** A duration in Chinese: "45 秒", "2 分 10 秒", "1 小时 5 分" (whole seconds, rounded up). */
export function formatDuration(ms: number): string {
  const s = Math.max(0, Math.ceil(ms / 1000));
  if (s < 60) return `${s} 秒`;
  if (s < 3600) {
    const m = Math.floor(s / 60);
    const rest = s % 60;
    return rest ? `${m} 分 ${rest} 秒` : `${m} 分`;
  }
  // Past an hour the seconds are noise: minutes rounded up.
  const minutes = Math.ceil(s / 60);
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  return m ? `${h} 小时 ${m} 分` : `${h} 小时`;
}

/** "约剩 2 分 10 秒", "即将完成", or "正在估算剩余时间" while too early; null once finished. */
export function timeLeftText(p: JobProgressInput): string | null {
  if (p.finished) return null;
  const left = timeLeftMs(p);
  if (left === null) return '正在估算剩余时间';
  if (left < 1000) return '即将完成';
  return `约剩 ${formatDuration(left)}`;
}

/** 12345 → "12,345" (the same on every runtime, whatever its locale data). */
export function groupDigits(n: number): string {
  const sign = n < 0 ? '-' : '';
  return sign + String(Math.abs(Math.round(n))).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/** "已处理 12,345 / 340,000 行", "已处理 12,345 / 约 340,000 行", or "已处理 12,345 行" without a total. */
export function rowsText(p: Pick<JobProgressInput, 'done' | 'total' | 'estimated' | 'finished'>): string {
  const total = shownTotal(p);
  if (total === null) return `已处理 ${groupDigits(p.done)} 行`;
  // A finished job's count is exact whatever the estimate was.
  const about = p.estimated && !p.finished ? '约 ' : '';
  return `已处理 ${groupDigits(p.done)} / ${about}${groupDigits(total)} 行`;
}
