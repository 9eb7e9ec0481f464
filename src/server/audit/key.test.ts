// The audit key (issue 13 item 6): from CANBAO_AUDIT_KEY (hex or base64, ≥ 32 bytes) or a key file
// in the data dir created once with mode 0600; a short or malformed key is refused at start.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { auditKeyPath, loadAuditKey } from './key.js';

describe('audit key', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'canbao-key-'));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('is created once in DATA_DIR/audit.key with mode 0600 (32 random bytes) and read back unchanged', () => {
    const config = { dataDir: path.join(dir, 'data'), auditKey: undefined };
    const first = loadAuditKey(config);
    expect(first).toHaveLength(32);
    expect(fs.statSync(auditKeyPath(config)).mode & 0o777).toBe(0o600);
    expect(loadAuditKey(config).equals(first)).toBe(true);
  });

  it('comes from CANBAO_AUDIT_KEY as hex or base64 before any file; the file is then not created', () => {
    const bytes = Buffer.from(Array.from({ length: 32 }, (_, i) => i * 7));
    const other = path.join(dir, 'env');
    expect(loadAuditKey({ dataDir: other, auditKey: bytes.toString('hex') }).equals(bytes)).toBe(true);
    expect(loadAuditKey({ dataDir: other, auditKey: bytes.toString('base64') }).equals(bytes)).toBe(true);
    expect(fs.existsSync(other)).toBe(false);
  });

  it('a key shorter than 32 bytes or not hex/base64 is refused', () => {
    expect(() => loadAuditKey({ dataDir: dir, auditKey: 'ab'.repeat(16) })).toThrow(/至少|at least/);
    expect(() => loadAuditKey({ dataDir: dir, auditKey: '这不是密钥' })).toThrow(/审计密钥无效/);
  });

  it('is not created when asked not to (offline archive check)', () => {
    const none = path.join(dir, 'none');
    expect(() => loadAuditKey({ dataDir: none, auditKey: undefined }, { create: false })).toThrow(/找不到审计密钥/);
    expect(fs.existsSync(path.join(none, 'audit.key'))).toBe(false);
  });
});
