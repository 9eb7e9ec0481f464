// The audit log's MAC key (issue 13 item 6). It never goes into the database: it comes from
// CANBAO_AUDIT_KEY (hex or base64, at least 32 bytes) or from DATA_DIR/audit.key, which is created
// at the first start (32 random bytes as hex, mode 0600). Someone who can write the database but
// not read the key cannot forge a MAC, so a recomputed chain is detected.
//
// appendAudit() has no config at hand (it is called with a transaction from everywhere, also from
// the import's write worker thread), so the key in use is the process's: useAuditKey(config) makes
// it current and also hands it to worker threads started afterwards (worker environment data).
import fs from 'node:fs';
import path from 'node:path';
import { createHmac, createSecretKey, randomBytes, timingSafeEqual, type KeyObject } from 'node:crypto';
import { getEnvironmentData, isMainThread, setEnvironmentData } from 'node:worker_threads';
import type { Config } from '../config.js';

export const AUDIT_KEY_FILE = 'audit.key';
const ENV_DATA = 'canbao.auditKey';
const MIN_BYTES = 32;

export function auditKeyPath(config: Pick<Config, 'dataDir'>): string {
  return path.join(config.dataDir, AUDIT_KEY_FILE);
}

export function decodeKey(text: string, where: string): Buffer {
  const t = text.trim();
  const key = /^[0-9a-fA-F]+$/.test(t) && t.length % 2 === 0 ? Buffer.from(t, 'hex') : /^[A-Za-z0-9+/_-]+={0,2}$/.test(t) ? Buffer.from(t, 'base64') : null;
  if (!key || key.length < MIN_BYTES) {
    throw new Error(`审计密钥无效 (audit key in ${where} must be hex or base64 of at least ${MIN_BYTES} bytes)`);
  }
  return key;
}

/** Reads the key (env first, then the key file, created when missing). Throws on a malformed key. */
export function loadAuditKey(config: Pick<Config, 'dataDir' | 'auditKey'>, opts: { create?: boolean } = {}): Buffer {
  if (config.auditKey) return decodeKey(config.auditKey, 'CANBAO_AUDIT_KEY');
  const file = auditKeyPath(config);
  try {
    return decodeKey(fs.readFileSync(file, 'utf8'), file);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    if (opts.create === false) throw new Error(`找不到审计密钥 (no audit key: set CANBAO_AUDIT_KEY or provide ${file})`, { cause: err });
  }
  fs.mkdirSync(config.dataDir, { recursive: true });
  try {
    // 'wx': two processes starting at once never overwrite each other's key.
    const fd = fs.openSync(file, 'wx', 0o600);
    try {
      fs.writeSync(fd, randomBytes(MIN_BYTES).toString('hex') + '\n');
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
  }
  return decodeKey(fs.readFileSync(file, 'utf8'), file);
}

let current: Buffer | null = null;

/** Loads the key of this configuration and makes it the one new audit entries are MAC'd with. */
export function useAuditKey(config: Pick<Config, 'dataDir' | 'auditKey'>): Buffer {
  const key = loadAuditKey(config);
  current = key;
  if (isMainThread) setEnvironmentData(ENV_DATA, key.toString('hex'));
  return key;
}

/** The key new entries are MAC'd with; in a worker thread the one its parent had when it started it. */
export function currentAuditKey(): Buffer {
  if (current) return current;
  const inherited = getEnvironmentData(ENV_DATA);
  if (typeof inherited === 'string') return (current = Buffer.from(inherited, 'hex'));
  throw new Error('audit key not loaded: call useAuditKey(config) before writing audit entries');
}

// A KeyObject per key: createHmac with a raw Buffer imports the key on every call.
const keyObjects = new WeakMap<Buffer, KeyObject>();

export function macOf(key: Buffer, text: string): string {
  let ko = keyObjects.get(key);
  if (!ko) keyObjects.set(key, (ko = createSecretKey(key)));
  return createHmac('sha256', ko).update(text).digest('hex');
}

export function macMatches(key: Buffer, text: string, mac: string | null | undefined): boolean {
  if (!mac || !/^[0-9a-f]{64}$/.test(mac)) return false;
  return timingSafeEqual(Buffer.from(macOf(key, text), 'hex'), Buffer.from(mac, 'hex'));
}
