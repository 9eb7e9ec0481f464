// canbao backup FILE / restore FILE: one archive holding the database and every stored file
// (src/server/backup). Progress and warnings on stderr, the result on stdout.
import fs from 'node:fs';
import path from 'node:path';
import { loadConfig } from '../server/config.js';
import { BackupError, createBackup } from '../server/backup/create.js';
import { BackupRefused, restoreBackup } from '../server/backup/restore.js';

const log = (line: string) => process.stderr.write(`${line}\n`);

function failure(err: unknown): number {
  const msg = err instanceof Error ? err.message : String(err);
  console.error(err instanceof BackupError ? msg : `失败 (failed): ${msg}`);
  return err instanceof BackupRefused ? 2 : 1;
}

export async function backupCommand(args: string[]): Promise<number> {
  const file = args[0];
  if (!file || args.length > 1) {
    console.error('用法: canbao backup FILE');
    return 2;
  }
  const config = loadConfig();
  const target = path.resolve(file);
  if (fs.existsSync(target)) {
    console.error(`文件已存在，不会覆盖 (exists, not overwritten): ${target}`);
    return 2;
  }
  // Interrupted (Ctrl-C, stop): no half file left under either name.
  const cleanup = () => {
    fs.rmSync(`${target}.partial`, { force: true });
    fs.rmSync(`${target}.partial-db`, { force: true });
    process.exit(130);
  };
  process.once('SIGINT', cleanup);
  process.once('SIGTERM', cleanup);
  try {
    const m = await createBackup(config, target, log);
    const bytes = m.files.reduce((s, f) => s + f.size, 0);
    console.log(`备份完成 (backup complete): ${target}`);
    console.log(`  数据库 (${m.engine}) ${(m.database.size / 1048576).toFixed(1)} MB；存储文件 ${m.files.length} 个，${(bytes / 1048576).toFixed(1)} MB`);
    console.log(`  登记记录 ${m.counts.registrations}，用户 ${m.counts.users}，审计日志 ${m.counts.auditEntries} 条（链头 ${m.audit.lastHash ?? '—'}）`);
    if (m.missing.length) console.log(`  警告: ${m.missing.length} 个数据库引用的文件不存在，未能备份（见 stderr）`);
    return 0;
  } catch (err) {
    return failure(err);
  } finally {
    process.off('SIGINT', cleanup);
    process.off('SIGTERM', cleanup);
  }
}

export async function restoreCommand(args: string[]): Promise<number> {
  const flags = new Set(args.filter((a) => a.startsWith('--')));
  const files = args.filter((a) => !a.startsWith('--'));
  const unknown = [...flags].filter((f) => f !== '--check' && f !== '--allow-broken-audit');
  if (files.length !== 1 || unknown.length || !fs.existsSync(files[0]!)) {
    console.error('用法: canbao restore FILE [--check] [--allow-broken-audit]（文件须存在；恢复前请先停止服务）');
    return 2;
  }
  const config = loadConfig();
  try {
    const r = await restoreBackup(config, files[0]!, log, { checkOnly: flags.has('--check'), allowBrokenAudit: flags.has('--allow-broken-audit') });
    if (flags.has('--check')) {
      console.log(`备份完整，可以恢复 (backup verified): ${r.manifest.files.length} 个文件；登记记录 ${r.counts.registrations}，用户 ${r.counts.users}，审计日志 ${r.counts.auditEntries} 条`);
      return 0;
    }
    console.log(`已恢复 (restored) ${files[0]} → ${config.databaseUrl ? `PostgreSQL 模式 ${config.pgSchema ?? 'public'}` : config.sqlitePath}，存储文件 ${r.manifest.files.length} 个`);
    console.log(`  登记记录 ${r.counts.registrations}，用户 ${r.counts.users}，审计日志 ${r.counts.auditEntries} 条`);
    console.log(r.audit.ok ? `  审计链校验通过 (audit chain verified): ${r.audit.checked} 条` : `  警告: 审计链校验未通过，第一处不符在 id ${r.audit.firstBadId}`);
    if (r.previous.dir) console.log(`  原有数据已移至 (previous data kept in) ${r.previous.dir}，确认无误后可删除`);
    if (r.previous.schema) console.log(`  原有数据库模式已改名为 ${r.previous.schema}，确认无误后可执行 DROP SCHEMA ${r.previous.schema} CASCADE`);
    return 0;
  } catch (err) {
    return failure(err);
  }
}
