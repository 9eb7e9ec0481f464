// canbao backup FILE / restore FILE.
// SQLite: the online backup API gives a consistent copy while the server keeps running.
// PostgreSQL: pg_dump / pg_restore (custom format) from the machine's PostgreSQL client.
import fs from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import SQLite from 'better-sqlite3';
import { loadConfig } from '../server/config.js';
import { openContext } from '../server/bootstrap.js';

export async function backupCommand(args: string[]): Promise<number> {
  const file = args[0];
  if (!file) {
    console.error('用法: canbao backup FILE');
    return 2;
  }
  const config = loadConfig();
  const target = path.resolve(file);
  if (fs.existsSync(target)) {
    console.error(`文件已存在，不会覆盖: ${target}`);
    return 2;
  }
  if (config.databaseUrl) {
    const r = spawnSync('pg_dump', ['--format=custom', `--file=${target}`, ...(config.pgSchema ? [`--schema=${config.pgSchema}`] : []), config.databaseUrl], { stdio: 'inherit' });
    if (r.status !== 0) {
      console.error('pg_dump 失败');
      return 1;
    }
  } else {
    const { handle } = await openContext(config);
    try {
      let last = 0;
      await handle.sqlite!.backup(target, {
        progress: ({ totalPages, remainingPages }) => {
          const pct = Math.floor(((totalPages - remainingPages) / Math.max(totalPages, 1)) * 100);
          if (pct >= last + 10) {
            last = pct;
            process.stderr.write(`\r备份进度 ${pct}%`);
          }
          return 200;
        },
      });
      process.stderr.write('\n');
    } finally {
      await handle.destroy();
    }
  }
  console.log(`备份完成: ${target}`);
  return 0;
}

export async function restoreCommand(args: string[]): Promise<number> {
  const file = args[0];
  if (!file || !fs.existsSync(file)) {
    console.error('用法: canbao restore FILE（文件须存在；恢复前请先停止服务）');
    return 2;
  }
  const config = loadConfig();
  if (config.databaseUrl) {
    const r = spawnSync('pg_restore', ['--clean', '--if-exists', '--no-owner', `--dbname=${config.databaseUrl}`, path.resolve(file)], { stdio: 'inherit' });
    return r.status === 0 ? 0 : 1;
  }
  // Check the file is a canbao SQLite database before touching the live one.
  try {
    const probe = new SQLite(file, { readonly: true, fileMustExist: true });
    const ok = probe.prepare("select count(*) as n from sqlite_master where name in ('org_unit','app_user','audit_log')").get() as { n: number };
    probe.close();
    if (ok.n !== 3) throw new Error('not a canbao database');
  } catch {
    console.error('该文件不是 canbao 的 SQLite 备份，未作任何改动');
    return 2;
  }
  fs.mkdirSync(path.dirname(config.sqlitePath), { recursive: true });
  const tmp = `${config.sqlitePath}.restore-${process.pid}`;
  fs.copyFileSync(file, tmp);
  for (const ext of ['-wal', '-shm']) fs.rmSync(config.sqlitePath + ext, { force: true });
  fs.renameSync(tmp, config.sqlitePath);
  console.log(`已从 ${file} 恢复到 ${config.sqlitePath}`);
  return 0;
}
