// Recorded heads of the audit chain (issue 13 item 6): from time to time the application writes
// "the log had `count` entries, the last one `lastId` with hash `hash`" with a MAC to a file outside
// the database (DATA_DIR/audit-heads.log, one JSON line each, only ever appended) and to the server
// log. Deleting entries from the end of the table leaves the chain itself intact, but it no longer
// reaches the recorded head: verify.ts reports it.
import fs from 'node:fs';
import path from 'node:path';
import type { Config } from '../config.js';
import { macMatches, macOf } from './key.js';

export const AUDIT_HEADS_FILE = 'audit-heads.log';

/** A position in the chain: `count` entries up to and including entry `lastId`, whose hash is `hash`. */
export type ChainPosition = { count: number; lastId: number; hash: string };

export type AuditHead = ChainPosition & {
  v: 1;
  at: string;
  /** Why it was recorded: start, periodic, daily, verify, backup… */
  reason: string;
  mac: string;
};

export function auditHeadsPath(config: Pick<Config, 'dataDir'>): string {
  return path.join(config.dataDir, AUDIT_HEADS_FILE);
}

function headText(h: Omit<AuditHead, 'mac'>): string {
  return `canbao-audit-head|v${h.v}|${h.count}|${h.lastId}|${h.hash}|${h.at}|${h.reason}`;
}

export function signHead(key: Buffer, p: ChainPosition, reason: string, at: string): AuditHead {
  const h = { v: 1 as const, at, reason, count: p.count, lastId: p.lastId, hash: p.hash };
  return { ...h, mac: macOf(key, headText(h)) };
}

/** Appends a head to the file (created 0600 when missing) and flushes it to disk. */
export function appendHead(config: Pick<Config, 'dataDir'>, head: AuditHead): void {
  fs.mkdirSync(config.dataDir, { recursive: true });
  const fd = fs.openSync(auditHeadsPath(config), 'a', 0o600);
  try {
    fs.writeSync(fd, JSON.stringify(head) + '\n');
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}

export type HeadsRead = { heads: AuditHead[]; forgedLine: number | null };

/**
 * Every head in the file, oldest first. A line that does not parse or whose MAC does not match is
 * reported (forgedLine, 1-based): the file is only written by the application. A last line cut
 * short (a crash in the middle of a write) is ignored.
 */
export function readHeads(config: Pick<Config, 'dataDir'>, key: Buffer): HeadsRead {
  let text: string;
  try {
    text = fs.readFileSync(auditHeadsPath(config), 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { heads: [], forgedLine: null };
    throw err;
  }
  const lines = text.split('\n');
  const heads: AuditHead[] = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.trim();
    if (!line) continue;
    const isLast = i === lines.length - 1; // no newline after it: the write did not finish
    let h: AuditHead;
    try {
      h = JSON.parse(line) as AuditHead;
    } catch {
      if (isLast) continue;
      return { heads, forgedLine: i + 1 };
    }
    const valid =
      h && h.v === 1 && Number.isInteger(h.count) && Number.isInteger(h.lastId) && typeof h.hash === 'string' && typeof h.at === 'string' && typeof h.reason === 'string' && macMatches(key, headText(h), h.mac);
    if (!valid) return { heads, forgedLine: i + 1 };
    heads.push(h);
  }
  return { heads, forgedLine: null };
}

/**
 * After a restore to an earlier state the heads recorded since the backup can no longer be reached
 * (that is what a tail deletion looks like). The restore moves the file aside — kept, never deleted,
 * as `audit-heads.<time>.log` — so the next start anchors the restored log afresh. Returns the new
 * name, or null when there was no file.
 */
export function retireAuditHeads(config: Pick<Config, 'dataDir'>, at: string): string | null {
  const from = auditHeadsPath(config);
  if (!fs.existsSync(from)) return null;
  const to = path.join(config.dataDir, `audit-heads.${at.replace(/[^0-9TZ]/g, '')}.log`);
  fs.renameSync(from, to);
  return to;
}
