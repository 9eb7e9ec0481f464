// Display helpers. Scores are integer tenths, money integer fen, times ISO UTC (shown in Asia/Shanghai).
import dayjs from 'dayjs';
import utc from 'dayjs/plugin/utc';

dayjs.extend(utc);

/** 50 → "5", 45 → "4.5", -5 → "-0.5". Integer arithmetic only. */
export function formatScore(tenths: number | null | undefined): string {
  if (tenths === null || tenths === undefined || !Number.isFinite(tenths)) return '—';
  const sign = tenths < 0 ? '-' : '';
  const abs = Math.abs(Math.round(tenths));
  const whole = Math.floor(abs / 10);
  const frac = abs % 10;
  return frac === 0 ? `${sign}${whole}` : `${sign}${whole}.${frac}`;
}

/** Points typed by a user (may be fractional) → integer tenths. */
export function pointsToTenths(points: number): number {
  return Math.round(points * 10);
}

export function tenthsToPoints(tenths: number): number {
  return tenths / 10;
}

/** 300 → "3.00", 123456789 → "1,234,567.89". */
export function formatFen(fen: number | null | undefined): string {
  if (fen === null || fen === undefined || !Number.isFinite(fen)) return '—';
  const sign = fen < 0 ? '-' : '';
  const abs = Math.abs(Math.round(fen));
  const yuan = Math.floor(abs / 100);
  const cents = String(abs % 100).padStart(2, '0');
  const grouped = String(yuan).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${sign}${grouped}.${cents}`;
}

/** Yuan typed by a user → integer fen. */
export function yuanToFen(yuan: number): number {
  return Math.round(yuan * 100);
}

export function fenToYuan(fen: number): number {
  return fen / 100;
}

// China has no daylight saving time: Asia/Shanghai is UTC+8 all year.
const SHANGHAI_OFFSET_MINUTES = 8 * 60;

/** ISO UTC → 'YYYY-MM-DD HH:mm' in Asia/Shanghai. */
export function formatTime(iso: string | null | undefined): string {
  if (!iso) return '—';
  const d = dayjs.utc(iso);
  if (!d.isValid()) return iso;
  return d.utcOffset(SHANGHAI_OFFSET_MINUTES).format('YYYY-MM-DD HH:mm');
}

/** ISO UTC → 'YYYY-MM-DD HH:mm:ss' in Asia/Shanghai (audit log). */
export function formatTimeSeconds(iso: string | null | undefined): string {
  if (!iso) return '—';
  const d = dayjs.utc(iso);
  if (!d.isValid()) return iso;
  return d.utcOffset(SHANGHAI_OFFSET_MINUTES).format('YYYY-MM-DD HH:mm:ss');
}

/** Today's date in Asia/Shanghai as 'YYYY-MM-DD'. */
export function todayShanghai(): string {
  return dayjs.utc().utcOffset(SHANGHAI_OFFSET_MINUTES).format('YYYY-MM-DD');
}

/** Days from today (Shanghai) to a 'YYYY-MM-DD' date; negative when past. */
export function daysUntil(date: string): number {
  return dayjs(date).diff(dayjs(todayShanghai()), 'day');
}
