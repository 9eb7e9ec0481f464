// The progress of a streamed export (issue 14): the browser downloads the file itself (streamed,
// nothing held in the page's memory) and asks, by a token of its own choosing sent with the
// download, how many rows have been written of how many. Kept in memory, keyed by the user and the
// token: only the user who started an export can read it (anyone else: as if it did not exist).
// An entry goes a minute after its export ended; one whose export never reports an end (a stream
// dropped without an error) goes after a day. A user keeps at most MAX_PER_USER entries.
import type { ExportProgress } from '../../shared/api-registration.js';

const KEEP_AFTER_END_MS = 60_000;
const MAX_AGE_MS = 24 * 60 * 60 * 1000;
const MAX_PER_USER = 20;

type Entry = { userId: number; startedMs: number; endedMs: number | null; rowsWritten: number; rowsTotal: number | null; rowsTotalEstimated: boolean; done: boolean; failed: boolean };

const entries = new Map<string, Entry>();
const keyOf = (userId: number, token: string) => `${userId}:${token}`;

function prune(now: number): void {
  for (const [key, e] of entries) {
    if ((e.endedMs !== null && now - e.endedMs > KEEP_AFTER_END_MS) || now - e.startedMs > MAX_AGE_MS) entries.delete(key);
  }
}

export type ExportTracker = {
  /** The rows in all: exact, or an estimate (shown with 约). */
  total(rows: number, estimated: boolean): void;
  rows(written: number): void;
  finish(written: number): void;
  fail(): void;
};

/** Starts tracking an export of `userId` under `token` (a token already used by the user starts over). */
export function trackExport(userId: number, token: string): ExportTracker {
  const now = Date.now();
  prune(now);
  const mine = [...entries].filter(([, e]) => e.userId === userId);
  // Map order is insertion order: the user's oldest entries go first.
  for (const [key] of mine.slice(0, Math.max(0, mine.length - MAX_PER_USER + 1))) entries.delete(key);
  const key = keyOf(userId, token);
  entries.delete(key);
  const e: Entry = { userId, startedMs: now, endedMs: null, rowsWritten: 0, rowsTotal: null, rowsTotalEstimated: false, done: false, failed: false };
  entries.set(key, e);
  return {
    total(rows, estimated) {
      e.rowsTotal = rows;
      e.rowsTotalEstimated = estimated;
    },
    rows(written) {
      e.rowsWritten = written;
    },
    finish(written) {
      e.rowsWritten = written;
      // The count is exact now, whatever the estimate said.
      e.rowsTotal = written;
      e.rowsTotalEstimated = false;
      e.done = true;
      e.endedMs = Date.now();
    },
    fail() {
      e.failed = true;
      e.done = true;
      e.endedMs = Date.now();
    },
  };
}

/** The export's progress for the user who started it; null for anyone else or an unknown token. */
export function exportProgressFor(userId: number, token: string): ExportProgress | null {
  const now = Date.now();
  prune(now);
  const e = entries.get(keyOf(userId, token));
  if (!e) return null;
  return {
    rowsWritten: e.rowsWritten,
    rowsTotal: e.rowsTotal,
    rowsTotalEstimated: e.rowsTotalEstimated,
    startedAt: new Date(e.startedMs).toISOString(),
    elapsedMs: (e.endedMs ?? now) - e.startedMs,
    done: e.done,
    failed: e.failed,
  };
}
