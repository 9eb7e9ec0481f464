// The canbao command end to end, as an operator runs it, on the embedded SQLite database (the file's
// name keeps it out of the PostgreSQL run; backup/restore on both engines, with stored files, under
// writes and with damaged archives, are in backup.test.ts).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { fakeIdNumber } from '../server/testing/registration-factory.js';
import { writeCsvFile } from '../../bench/generate.js';
import { loadConfig } from '../server/config.js';
import { openContext } from '../server/bootstrap.js';
import { markInterruptedImports } from '../server/registration/import/service.js';

const MAIN = path.resolve('src/cli/main.ts');

describe('canbao CLI (sqlite)', () => {
  let dir: string;
  const run = (...args: string[]) =>
    spawnSync(process.execPath, ['--import', 'tsx', MAIN, ...args], {
      env: { ...process.env, CANBAO_DATA_DIR: dir, CANBAO_ADMIN_PASSWORD: 'Seed#2016pass', DATABASE_URL: '' },
      encoding: 'utf8',
    });
  const db = () => new SQLite(path.join(dir, 'canbao.db'), { readonly: true });

  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'canbao-cli-'));
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('seed creates the tree, the 2016 campaign and admin; a second seed adds nothing', () => {
    const first = run('seed');
    expect(first.status).toBe(0);
    expect(first.stdout).toContain('已创建 2016 年考核批次');
    const second = run('seed');
    expect(second.status).toBe(0);
    expect(second.stdout).toContain('新增单位 0 个');
    const d = db();
    expect((d.prepare("select count(*) n from app_user where role = 'city_admin'").get() as { n: number }).n).toBe(1);
    d.close();
  });

  it('user create prints a one-time password and refuses an unknown unit or role', () => {
    const ok = run('user', 'create', '--username', 'zl_admin', '--name', '王钟楼', '--role', 'district_admin', '--org', '320404');
    expect(ok.status).toBe(0);
    expect(ok.stdout).toMatch(/初始密码.*: \S{8,}/);
    expect(run('user', 'create', '--username', 'x1', '--name', 'x', '--role', 'district_admin', '--org', '999999').status).toBe(2);
    expect(run('user', 'create', '--username', 'x2', '--name', 'x', '--role', 'boss', '--org', '320404').status).toBe(2);
    const d = db();
    const u = d.prepare("select role, must_change_password from app_user where username = 'zl_admin'").get() as { role: string; must_change_password: number };
    expect(u).toEqual({ role: 'district_admin', must_change_password: 1 });
    d.close();
  });

  it('user reset-password gives a new one-time password and forces a change', () => {
    const r = run('user', 'reset-password', '--username', 'zl_admin');
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('临时密码');
    expect(run('user', 'reset-password', '--username', 'nobody').status).toBe(2);
  });

  it('backup makes a consistent copy; restore brings it back; a non-canbao file is refused and nothing changes', () => {
    const file = path.join(dir, 'backup.canbao');
    expect(run('backup', file).status).toBe(0);
    expect(run('backup', file).status).toBe(2); // never overwrites
    // change the live database after the backup
    const w = new SQLite(path.join(dir, 'canbao.db'));
    w.prepare("update org_unit set name = '改名测试' where code = '320411'").run();
    w.close();
    const junk = path.join(dir, 'junk.db');
    fs.writeFileSync(junk, 'not a database');
    expect(run('restore', junk).status).toBe(2);
    let d = db();
    expect((d.prepare("select name from org_unit where code = '320411'").get() as { name: string }).name).toBe('改名测试');
    d.close();
    expect(run('restore', file).status).toBe(0);
    d = db();
    expect((d.prepare("select name from org_unit where code = '320411'").get() as { name: string }).name).toBe('新北区');
    expect((d.prepare("select count(*) n from app_user where username = 'zl_admin'").get() as { n: number }).n).toBe(1);
    d.close();
  });

  it('import FILE --org CODE imports as the named user; all-or-nothing exits 3 and writes nothing', () => {
    const dir2 = fs.mkdtempSync(path.join(os.tmpdir(), 'canbao-cli-imp-'));
    const header = '姓名,身份证号,户口性质,常住地址,联系电话,个人身份,调查日期,企业养老,企业养老参保地';
    const good = `张三,${fakeIdNumber('320411', '19800101', 11)},21,地址1号,13912345678,24,2016-05-03,1,常州`;
    const bad = `李四,320411198001010011,21,地址2号,13912345678,24,2016-05-03,1,常州`;
    fs.writeFileSync(path.join(dir2, 'ok.csv'), `${header}\n${good}\n`);
    fs.writeFileSync(path.join(dir2, 'bad.csv'), `${header}\n${bad}\n`);
    const ok = run('import', path.join(dir2, 'ok.csv'), '--org', '320411002001');
    expect(ok.status).toBe(0);
    expect(ok.stdout).toContain('新增 1');
    const bad1 = run('import', path.join(dir2, 'bad.csv'), '--org', '320411002001');
    expect(bad1.status).toBe(3);
    expect(bad1.stdout).toContain('第 2 行');
    const d = db();
    expect((d.prepare('select count(*) n from registration').get() as { n: number }).n).toBe(1);
    d.close();
    expect(run('import', path.join(dir2, 'ok.csv'), '--org', '999').status).toBe(2);
    fs.rmSync(dir2, { recursive: true, force: true });
  });

  it('an import killed part-way leaves the database exactly as before the file (one transaction)', async () => {
    const dir2 = fs.mkdtempSync(path.join(os.tmpdir(), 'canbao-cli-kill-'));
    const file = path.join(dir2, 'big.csv');
    await writeCsvFile(file, 40_000, { seed: 'kill', invalidRate: 0.01, region: '320402' });
    const countRows = () => {
      const d = db();
      try {
        return (d.prepare('select count(*) n from registration').get() as { n: number }).n;
      } finally {
        d.close();
      }
    };
    const before = countRows();
    const child = spawn(process.execPath, ['--import', 'tsx', MAIN, 'import', file, '--org', '320402001001', '--mode', 'valid'], {
      env: { ...process.env, CANBAO_DATA_DIR: dir, DATABASE_URL: '' },
    });
    // Rows are written while the file is read (mode valid); kill once 10,000 rows have gone through.
    await new Promise<void>((resolve, reject) => {
      let err = '';
      child.stderr.on('data', (d: Buffer) => {
        err += d.toString();
        const read = [...err.matchAll(/已读取 (\d+) 行/g)].map((m) => Number(m[1]));
        if (read.some((n) => n >= 10_000)) {
          child.kill('SIGKILL');
          resolve();
        }
      });
      child.on('exit', () => reject(new Error(`import ended before it could be killed: ${err}`)));
    });
    await new Promise((r) => child.once('exit', r));
    expect(countRows()).toBe(before);
    const d = db();
    expect((d.prepare('pragma integrity_check').get() as { integrity_check: string }).integrity_check).toBe('ok');
    // The killed import left its trace: the batch row written before the file was read, still 'running'…
    const trace = d.prepare("select id, status, rows_imported from import_batch order by id desc limit 1").get() as { id: number; status: string; rows_imported: number };
    expect(trace).toMatchObject({ status: 'running', rows_imported: 0 });
    d.close();
    // …which the next server start marks interrupted, with an audit entry.
    const { ctx, handle } = await openContext(loadConfig({ ...process.env, CANBAO_DATA_DIR: dir, DATABASE_URL: '' }));
    try {
      expect(await markInterruptedImports(ctx)).toBe(1);
      expect(await ctx.db.selectFrom('import_batch').select(['status', 'error_message']).where('id', '=', trace.id).executeTakeFirstOrThrow()).toMatchObject({ status: 'interrupted', error_message: expect.stringContaining('未写入任何数据') });
      expect(await ctx.db.selectFrom('audit_log').select('event').where('object_type', '=', 'import_batch').where('object_id', '=', String(trace.id)).execute()).toEqual([{ event: 'registration.import.interrupted' }]);
    } finally {
      await handle.destroy();
    }
    // The same file imports fully afterwards.
    expect(run('import', file, '--org', '320402001001', '--mode', 'valid').status).toBe(0);
    expect(countRows()).toBeGreaterThan(before + 39_000);
    fs.rmSync(dir2, { recursive: true, force: true });
  }, 180_000);

  it('an unknown command exits 2 with the help text', () => {
    const r = run('frobnicate');
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('未知命令');
  });
});
