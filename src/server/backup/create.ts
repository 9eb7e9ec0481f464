// Taking a backup: one tar archive holding the database copy, every stored file the copy
// references, and the manifest (last entry). The database is copied first, as one snapshot that
// writers cannot restart (SQLite: VACUUM INTO in one read transaction; PostgreSQL: pg_dump on a
// snapshot exported by a REPEATABLE READ transaction, in which the counts, audit head and file
// list are also read). Stored files are immutable (content-addressed, or a finished detail table),
// so the files the snapshot references are exactly those copied; files written after the snapshot
// belong to rows the backup does not hold and are left out. Written to FILE.partial, synced, then
// renamed: FILE exists only when complete; on any failure nothing is left behind.
import fs from 'node:fs';
import path from 'node:path';
import { spawn } from 'node:child_process';
import SQLite from 'better-sqlite3';
import pg from 'pg';
import type { Config } from '../config.js';
import { APP_VERSION } from '../version.js';
import { TarWriter } from './tar.js';
import { BACKUP_FORMAT, BACKUP_VERSION, DB_ENTRY, FILES_PREFIX, MANIFEST_ENTRY, readFacts, type Manifest, type SnapshotFacts } from './manifest.js';

export type Log = (line: string) => void;

export class BackupError extends Error {}

/** Runs a PostgreSQL client program; rejects with its stderr when it fails. */
export function runPgTool(cmd: string, args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('error', (e) => reject(new BackupError(`无法运行 ${cmd} (cannot run ${cmd}): ${e.message}`)));
    child.on('close', (code) => (code === 0 ? resolve(out) : reject(new BackupError(`${cmd} 失败 (${cmd} failed, exit ${code}): ${err.trim().slice(0, 2000)}`))));
  });
}

async function snapshotSqlite(config: Config, dbFile: string): Promise<SnapshotFacts> {
  if (!fs.existsSync(config.sqlitePath)) throw new BackupError(`数据库不存在 (no database): ${config.sqlitePath}`);
  const live = new SQLite(config.sqlitePath, { fileMustExist: true });
  try {
    live.pragma('busy_timeout = 10000');
    // One read transaction: concurrent writers go on (WAL) and never restart the copy.
    live.prepare('VACUUM INTO ?').run(dbFile);
  } finally {
    live.close();
  }
  const copy = new SQLite(dbFile, { readonly: true });
  try {
    return await readFacts(async (q) => copy.prepare(q).all() as Record<string, unknown>[]);
  } finally {
    copy.close();
  }
}

async function snapshotPostgres(config: Config, dbFile: string): Promise<SnapshotFacts> {
  const schema = config.pgSchema ?? 'public';
  const client = new pg.Client({ connectionString: config.databaseUrl, options: `-c search_path=${schema}` });
  await client.connect();
  try {
    await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    const snap = String((await client.query<{ s: string }>('select pg_export_snapshot() as s')).rows[0]!.s);
    const facts = await readFacts(async (q) => (await client.query(q)).rows as Record<string, unknown>[]);
    await runPgTool('pg_dump', ['--format=custom', `--snapshot=${snap}`, `--schema=${schema}`, `--file=${dbFile}`, config.databaseUrl!]);
    await client.query('COMMIT');
    return facts;
  } finally {
    await client.end();
  }
}

function progress(log: Log, total: number) {
  let done = 0;
  let shown = -1;
  return (n: number) => {
    done += n;
    const pct = total ? Math.floor((done / total) * 100) : 100;
    if (pct >= shown + 10 || done === total) {
      shown = pct;
      log(`文件 (files): ${pct}% (${(done / 1048576).toFixed(1)} / ${(total / 1048576).toFixed(1)} MB)`);
    }
  };
}

/** Writes the backup to `target` (which must not exist); returns its manifest. */
export async function createBackup(config: Config, target: string, log: Log): Promise<Manifest> {
  const engine = config.databaseUrl ? 'postgres' : 'sqlite';
  const partial = `${target}.partial`;
  const dbFile = `${target}.partial-db`;
  if (fs.existsSync(target)) throw new BackupError(`文件已存在，不会覆盖 (exists, not overwritten): ${target}`);
  // Creating the partial file first fails fast on an unwritable place or a concurrent backup.
  let writer: TarWriter | undefined = await TarWriter.create(partial).catch((err: NodeJS.ErrnoException) => {
    if (err.code === 'EEXIST') throw new BackupError(`${partial} 已存在：另一个备份正在进行，或上次备份中断留下的文件（确认后删除）(another backup running, or a leftover)`);
    throw new BackupError(`无法创建备份文件 (cannot create): ${err.message}`);
  });
  try {
    fs.rmSync(dbFile, { force: true });
    log(engine === 'sqlite' ? '复制数据库 (VACUUM INTO)…' : '导出数据库 (pg_dump)…');
    const facts = engine === 'sqlite' ? await snapshotSqlite(config, dbFile) : await snapshotPostgres(config, dbFile);
    const dbPart = await writer.addFile(DB_ENTRY[engine], dbFile);
    fs.rmSync(dbFile, { force: true });
    log(`数据库 (database): ${(dbPart.size / 1048576).toFixed(1)} MB；登记 ${facts.counts.registrations}，用户 ${facts.counts.users}，审计 ${facts.counts.auditEntries}`);

    const present: { rel: string; size: number }[] = [];
    const missing: string[] = [];
    for (const rel of facts.referenced) {
      const st = fs.statSync(path.join(config.dataDir, rel), { throwIfNoEntry: false });
      if (st) present.push({ rel, size: st.size });
      else missing.push(rel);
    }
    const onBytes = progress(log, present.reduce((s, f) => s + f.size, 0));
    const files: Manifest['files'] = [];
    for (const f of present) {
      const w = await writer.addFile(FILES_PREFIX + f.rel, path.join(config.dataDir, f.rel), onBytes);
      const named = /^evidence\/.*\/([0-9a-f]{64})$/.exec(f.rel)?.[1];
      if (named && named !== w.sha256) log(`警告 (warning): 存储文件内容与其 SHA-256 名称不符，按现状备份: ${f.rel}`);
      files.push({ path: f.rel, size: w.size, sha256: w.sha256 });
    }
    for (const m of missing) log(`警告 (warning): 数据库引用的文件不存在，未能备份: ${m}`);

    const manifest: Manifest = {
      format: BACKUP_FORMAT,
      version: BACKUP_VERSION,
      engine,
      createdAt: new Date().toISOString(),
      appVersion: APP_VERSION,
      database: { entry: DB_ENTRY[engine], size: dbPart.size, sha256: dbPart.sha256, pgSchema: engine === 'postgres' ? (config.pgSchema ?? 'public') : null },
      counts: facts.counts,
      audit: facts.audit,
      files,
      missing,
    };
    await writer.addBuffer(MANIFEST_ENTRY, Buffer.from(JSON.stringify(manifest, null, 2)));
    await writer.finish();
    writer = undefined;
    fs.renameSync(partial, target);
    syncDir(path.dirname(target));
    return manifest;
  } catch (err) {
    await writer?.abort();
    fs.rmSync(partial, { force: true });
    throw err;
  } finally {
    fs.rmSync(dbFile, { force: true });
  }
}

/** Makes a rename durable (best effort: some file systems refuse fsync on a directory). */
export function syncDir(dir: string): void {
  try {
    const fd = fs.openSync(dir, 'r');
    try {
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
  } catch {
    // not supported here
  }
}
