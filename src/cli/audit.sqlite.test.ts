// canbao audit verify-archive FILE: a JSON archive exported by the server checks out offline with
// the key of the data dir; a changed entry, or another key, fails with exit code 1.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { adminClient, createTestEnv, type TestEnv } from '../server/testing/harness.js';

const MAIN = path.resolve('src/cli/main.ts');

describe('canbao audit verify-archive (sqlite)', () => {
  let env: TestEnv;
  let archive: string;
  const run = (env2: Record<string, string>, ...args: string[]) =>
    spawnSync(process.execPath, ['--import', 'tsx', MAIN, 'audit', 'verify-archive', ...args], {
      env: { ...process.env, DATABASE_URL: '', CANBAO_AUDIT_KEY: '', ...env2 },
      encoding: 'utf8',
    });

  beforeAll(async () => {
    env = await createTestEnv();
    const admin = await adminClient(env.app);
    const res = await admin.request('GET', '/api/audit/export?format=json&from=2000-01-01&to=2099-12-31');
    expect(res.statusCode).toBe(200);
    archive = path.join(env.config.dataDir, 'archive.json');
    fs.writeFileSync(archive, res.body);
  });
  afterAll(async () => env?.close());

  it('an untouched archive verifies with the data dir’s key (exit 0)', { timeout: 90_000 }, () => {
    const r = run({ CANBAO_DATA_DIR: env.config.dataDir }, archive);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/归档完整：\d+ 条记录/);
  });

  it('a changed entry fails (exit 1) and is named', { timeout: 90_000 }, () => {
    const changed = path.join(env.config.dataDir, 'changed.json');
    fs.writeFileSync(changed, fs.readFileSync(archive, 'utf8').replace('"username":"admin"', '"username":"adm1n"'));
    const r = run({ CANBAO_DATA_DIR: env.config.dataDir }, changed);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/签名不符/);
    expect(r.stderr).toMatch(/号记录的内容与其哈希不符/);
  });

  it('another key (CANBAO_AUDIT_KEY) fails; a missing key is not created', { timeout: 120_000 }, () => {
    expect(run({ CANBAO_DATA_DIR: env.config.dataDir, CANBAO_AUDIT_KEY: 'ab'.repeat(32) }, archive).status).toBe(1);
    const empty = fs.mkdtempSync(path.join(env.config.dataDir, 'nokey-'));
    const r = run({ CANBAO_DATA_DIR: empty }, archive);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/找不到审计密钥/);
    expect(fs.existsSync(path.join(empty, 'audit.key'))).toBe(false);
  });
});
