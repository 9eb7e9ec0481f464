// Restoring a backup (server stopped). Everything is checked before anything is replaced: the
// archive is unpacked into DATA_DIR/.restore-<time>/ (same file system, so the swap is renames),
// every entry's size and SHA-256 compared with the manifest (no entry missing, none extra, names
// only where the server stores files), the database part checked (SQLite: integrity_check, counts
// and audit head equal to the manifest, audit chain verified; PostgreSQL: pg_restore --list).
// Then the live data is moved aside — DATA_DIR/before-restore-<time>/ and, on PostgreSQL, the
// schema renamed <schema>_before_<time> — and the restored data renamed in; a failure on the way
// moves everything back. Nothing is deleted: the operator removes the previous data when satisfied.
import fs from 'node:fs';
import path from 'node:path';
import { createHash } from 'node:crypto';
import SQLite from 'better-sqlite3';
import { sql } from 'kysely';
import pg from 'pg';
import type { Config } from '../config.js';
import { openDatabase } from '../db/index.js';
import { verifyAudit } from '../audit/verify.js';
import { loadAuditKey } from '../audit/key.js';
import { retireAuditHeads } from '../audit/heads.js';
import { nowIso } from '../clock.js';
import { readTar, TarError } from './tar.js';
import { BackupError, runPgTool, syncDir, type Log } from './create.js';
import { DB_ENTRY, FILES_PREFIX, MANIFEST_ENTRY, STORED_DIRS, STORED_PATH, manifestSchema, readFacts, type Counts, type Manifest } from './manifest.js';

export type RestoreResult = {
  manifest: Manifest;
  counts: Counts;
  audit: { ok: boolean; checked: number; firstBadId: number | null };
  /** Where the replaced data was kept (folder, and schema on PostgreSQL); null when there was none. */
  previous: { dir: string | null; schema: string | null };
};

export type RestoreOptions = { checkOnly?: boolean; allowBrokenAudit?: boolean };

/** The backup itself is unusable (the CLI exits 2). */
export class BackupRefused extends BackupError {}

const refuse = (why: string) => new BackupRefused(`备份无效，未作任何改动 (invalid backup, nothing changed): ${why}`);

type Extracted = { manifest: Manifest; dbFile: string };

async function extract(file: string, staging: string, log: Log): Promise<Extracted> {
  const seen = new Map<string, { size: number; sha256: string }>();
  let manifestText: string | null = null;
  let dbFile: string | null = null;
  let dbEntry: string | null = null;
  try {
    for await (const e of readTar(file)) {
      if (seen.has(e.name)) throw refuse(`重复的条目 (duplicate entry) ${e.name}`);
      if (e.name === MANIFEST_ENTRY) {
        if (e.size > 256 * 1024 * 1024) throw refuse('清单过大 (manifest too large)');
        const parts: Buffer[] = [];
        for await (const c of e.chunks()) parts.push(Buffer.from(c));
        manifestText = Buffer.concat(parts).toString('utf8');
        seen.set(e.name, { size: e.size, sha256: '' });
        continue;
      }
      let out: string;
      if (e.name === DB_ENTRY.sqlite || e.name === DB_ENTRY.postgres) {
        if (dbEntry) throw refuse('包含两个数据库部分 (two database parts)');
        dbEntry = e.name;
        out = path.join(staging, 'db', path.posix.basename(e.name));
        dbFile = out;
      } else if (e.name.startsWith(FILES_PREFIX) && STORED_PATH.test(e.name.slice(FILES_PREFIX.length))) {
        out = path.join(staging, 'files', e.name.slice(FILES_PREFIX.length));
      } else throw refuse(`不认识的条目 (unexpected entry) ${e.name}`);
      fs.mkdirSync(path.dirname(out), { recursive: true });
      const fh = await fs.promises.open(out, 'wx');
      const hash = createHash('sha256');
      try {
        for await (const c of e.chunks()) {
          hash.update(c);
          await fh.write(c);
        }
      } finally {
        await fh.close();
      }
      seen.set(e.name, { size: e.size, sha256: hash.digest('hex') });
      if (e.name === dbEntry) log(`数据库部分已读取 (database part read): ${(e.size / 1048576).toFixed(1)} MB`);
    }
  } catch (err) {
    if (err instanceof TarError) throw refuse(`归档损坏或不完整 (damaged or truncated archive): ${err.message}`);
    throw err;
  }
  if (manifestText === null) throw refuse('缺少清单 (no manifest.json)');
  let raw: unknown;
  try {
    raw = JSON.parse(manifestText);
  } catch {
    throw refuse('清单不是有效的 JSON (manifest is not JSON)');
  }
  const parsed = manifestSchema.safeParse(raw);
  if (!parsed.success) throw refuse(`清单格式不符 (manifest format): ${parsed.error.issues[0]?.message ?? ''}`);
  const manifest = parsed.data;
  const check = (name: string, want: { size: number; sha256: string }) => {
    const got = seen.get(name);
    if (!got) throw refuse(`缺少 (missing) ${name}`);
    if (got.size !== want.size || got.sha256 !== want.sha256) throw refuse(`${name} 的 SHA-256 或大小与清单不符 (checksum mismatch)`);
  };
  if (manifest.database.entry !== dbEntry || !dbFile) throw refuse('缺少数据库部分 (no database part)');
  check(manifest.database.entry, manifest.database);
  for (const f of manifest.files) check(FILES_PREFIX + f.path, f);
  if (seen.size !== manifest.files.length + 2) throw refuse('归档中有清单未列出的文件 (entries not in the manifest)');
  return { manifest, dbFile };
}

function checkSqlitePart(dbFile: string): void {
  let db: SQLite.Database | undefined;
  try {
    db = new SQLite(dbFile, { readonly: true, fileMustExist: true });
    const rows = db.pragma('integrity_check') as { integrity_check: string }[];
    if (rows.length !== 1 || rows[0]!.integrity_check !== 'ok') throw new Error(rows.map((r) => r.integrity_check).join('; ').slice(0, 500));
  } catch (err) {
    throw refuse(`数据库部分未通过 integrity_check (database part damaged): ${err instanceof Error ? err.message : String(err)}`);
  } finally {
    db?.close();
  }
}

/** Counts and audit chain of a restored database, compared with what the manifest recorded. */
/** How the restored log is checked: with the target's audit key, and against no recorded heads
 *  (`headsDir` has none: the target's heads are of its old log and are retired after the swap). */
type AuditCheckOptions = { key: Buffer; headsDir: string; allowBroken: boolean };

async function verifyRestored(opts: { sqlitePath: string; databaseUrl?: string | undefined; pgSchema?: string | undefined }, manifest: Manifest, check: AuditCheckOptions) {
  const handle = openDatabase(opts);
  try {
    const facts = await readFacts(async (q) => (await sql.raw<Record<string, unknown>>(q).execute(handle.db)).rows);
    const counts = facts.counts;
    if (JSON.stringify(counts) !== JSON.stringify(manifest.counts) || facts.audit.lastHash !== manifest.audit.lastHash || facts.audit.entries !== manifest.audit.entries) {
      throw refuse(`恢复出的记录数或审计链头与清单不符 (counts or audit head differ from the manifest): ${JSON.stringify(counts)} vs ${JSON.stringify(manifest.counts)}`);
    }
    const verified = await verifyAudit(handle.db, { dataDir: check.headsDir }, check.key);
    if (!verified.ok && !check.allowBroken) throw refuse(`审计链校验未通过：${verified.reason}（确需恢复请加 --allow-broken-audit）(audit chain broken)`);
    return { counts, audit: { ok: verified.ok, checked: verified.checked, firstBadId: verified.firstBadId } };
  } finally {
    await handle.destroy();
  }
}

type Move = { from: string; to: string };

/** Renames in order; on a failure undoes the renames done so far, then throws. */
function renameAll(moves: Move[]): Move[] {
  const done: Move[] = [];
  try {
    for (const m of moves) {
      fs.mkdirSync(path.dirname(m.to), { recursive: true });
      fs.renameSync(m.from, m.to);
      done.push(m);
    }
    return done;
  } catch (err) {
    undo(done);
    throw err;
  }
}

function undo(done: Move[]): void {
  for (const m of [...done].reverse()) fs.renameSync(m.to, m.from);
}

const quoteIdent = (s: string) => `"${s.replace(/"/g, '""')}"`;

async function schemaExists(client: pg.Client, name: string): Promise<boolean> {
  return (await client.query('select 1 from pg_namespace where nspname = $1', [name])).rowCount === 1;
}

export async function restoreBackup(config: Config, file: string, log: Log, opts: RestoreOptions = {}): Promise<RestoreResult> {
  const engine = config.databaseUrl ? 'postgres' : 'sqlite';
  const stamp = new Date().toISOString().replace(/[-:]/g, '').replace(/\..*$/, '').replace('T', '-');
  fs.mkdirSync(config.dataDir, { recursive: true });
  const staging = fs.mkdtempSync(path.join(config.dataDir, `.restore-${stamp}-`));
  try {
    log('校验备份 (verifying the backup)…');
    const { manifest, dbFile } = await extract(path.resolve(file), staging, log);
    if (manifest.engine !== engine) throw refuse(`备份来自 ${manifest.engine}，当前配置为 ${engine} (engine mismatch)`);
    // The audit key is deliberately not in the backup (whoever holds a backup could otherwise forge
    // the log): the target must have the key the entries were MAC'd with.
    let key: Buffer;
    try {
      key = loadAuditKey(config, { create: false });
    } catch (err) {
      throw refuse(`目标没有审计密钥：请把原数据目录的 audit.key 复制到 ${config.dataDir}，或设置 CANBAO_AUDIT_KEY；未作任何改动 (${err instanceof Error ? err.message : String(err)})`);
    }
    const check: AuditCheckOptions = { key, headsDir: staging, allowBroken: !!opts.allowBrokenAudit };
    if (engine === 'sqlite') {
      checkSqlitePart(dbFile);
      // The staged copy becomes the live file by a rename: verifying it now verifies the result.
      await verifyRestored({ sqlitePath: dbFile }, manifest, check);
    } else {
      await runPgTool('pg_restore', ['--list', dbFile]).catch((err: Error) => {
        throw refuse(`pg_restore --list 失败: ${err.message}`);
      });
    }
    log(`备份完整 (backup verified): ${manifest.files.length} 个文件，数据库 ${manifest.engine}，创建于 ${manifest.createdAt}`);
    if (opts.checkOnly) {
      return { manifest, counts: manifest.counts, audit: { ok: true, checked: 0, firstBadId: null }, previous: { dir: null, schema: null } };
    }

    for (const d of STORED_DIRS) fs.mkdirSync(path.join(staging, 'files', d), { recursive: true });
    const previousDir = path.join(config.dataDir, `before-restore-${stamp}`);
    const aside = (name: string): Move[] => (fs.existsSync(path.join(config.dataDir, name)) ? [{ from: path.join(config.dataDir, name), to: path.join(previousDir, name) }] : []);
    const moves: Move[] = [
      ...STORED_DIRS.flatMap(aside),
      ...STORED_DIRS.map((d) => ({ from: path.join(staging, 'files', d), to: path.join(config.dataDir, d) })),
    ];
    if (engine === 'sqlite') {
      moves.unshift(...['canbao.db', 'canbao.db-wal', 'canbao.db-shm'].flatMap(aside));
      moves.push({ from: dbFile, to: config.sqlitePath });
      const done = renameAll(moves);
      syncDir(config.dataDir);
      const previous = done.some((m) => m.to.startsWith(previousDir)) ? previousDir : null;
      const result = await verifyRestored({ sqlitePath: config.sqlitePath }, manifest, check);
      retireHeads(config, log);
      return { manifest, ...result, previous: { dir: previous, schema: null } };
    }
    const result = await restorePostgres(config, manifest, dbFile, moves, previousDir, stamp, log, check);
    retireHeads(config, log);
    return result;
  } finally {
    fs.rmSync(staging, { recursive: true, force: true });
  }
}

/** The heads recorded for the replaced log cannot be reached by the restored one: kept aside, so
 *  the next start anchors the restored log afresh instead of reporting a tail deletion. */
function retireHeads(config: Config, log: Log): void {
  const kept = retireAuditHeads(config, nowIso());
  if (kept) log(`原审计锚点文件已移至 ${kept} (audit heads of the replaced log kept aside)`);
}

async function restorePostgres(config: Config, manifest: Manifest, dbFile: string, moves: Move[], previousDir: string, stamp: string, log: Log, check: AuditCheckOptions): Promise<RestoreResult> {
  const target = config.pgSchema ?? 'public';
  const source = manifest.database.pgSchema ?? 'public';
  const client = new pg.Client({ connectionString: config.databaseUrl });
  await client.connect();
  let previousSchema: string | null = null;
  let restored = false;
  let droppedEmpty = false;
  const rollback = async () => {
    if (restored) {
      // Both names: the restored schema may not have been renamed yet (the source did not exist before).
      await client.query(`DROP SCHEMA IF EXISTS ${quoteIdent(target)} CASCADE`);
      if (source !== target) await client.query(`DROP SCHEMA IF EXISTS ${quoteIdent(source)} CASCADE`);
    }
    if (previousSchema) await client.query(`ALTER SCHEMA ${quoteIdent(previousSchema)} RENAME TO ${quoteIdent(target)}`);
    if (droppedEmpty) await client.query(`CREATE SCHEMA IF NOT EXISTS ${quoteIdent(target)}`);
  };
  try {
    if (source !== target && (await schemaExists(client, source))) {
      throw new BackupError(`备份的模式 ${source} 在目标数据库中已存在，且不是配置的模式 ${target}；未作任何改动 (schema ${source} exists)`);
    }
    if (await schemaExists(client, target)) {
      const tables = (await client.query("select count(*)::int as n from pg_class c join pg_namespace n on n.oid = c.relnamespace where n.nspname = $1 and c.relkind in ('r','p','v','m','S')", [target])).rows[0] as { n: number };
      if (tables.n === 0) {
        await client.query(`DROP SCHEMA ${quoteIdent(target)}`);
        droppedEmpty = true;
      } else {
        previousSchema = `${target}_before_${stamp.replace('-', '_')}`.slice(0, 63);
        await client.query(`ALTER SCHEMA ${quoteIdent(target)} RENAME TO ${quoteIdent(previousSchema)}`);
      }
    }
    log('恢复数据库 (pg_restore)…');
    try {
      await runPgTool('pg_restore', ['--single-transaction', '--exit-on-error', '--no-owner', '--no-privileges', `--dbname=${config.databaseUrl}`, dbFile]);
    } catch (err) {
      await rollback();
      throw err;
    }
    restored = true;
    if (source !== target) await client.query(`ALTER SCHEMA ${quoteIdent(source)} RENAME TO ${quoteIdent(target)}`);
    let result;
    let done: Move[];
    try {
      result = await verifyRestored({ sqlitePath: config.sqlitePath, databaseUrl: config.databaseUrl, pgSchema: config.pgSchema }, manifest, check);
      done = renameAll(moves);
    } catch (err) {
      await rollback();
      throw err;
    }
    syncDir(config.dataDir);
    const previous = done.some((m) => m.to.startsWith(previousDir)) ? previousDir : null;
    return { manifest, ...result, previous: { dir: previous, schema: previousSchema } };
  } finally {
    await client.end();
  }
}
