// Kysely setup for the two engines. Everything dialect-specific lives here and in dialect.ts.
import fs from 'node:fs';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import pg from 'pg';
import { CompiledQuery, Kysely, Migrator, PostgresDialect, SqliteDialect, sql, type DatabaseConnection, type Driver } from 'kysely';
import type { Database } from './schema.js';
import { migrationProvider } from './migrations/index.js';

export type DialectName = 'sqlite' | 'postgres';

export type Db = {
  db: Kysely<Database>;
  dialect: DialectName;
  /** The raw better-sqlite3 handle when on SQLite (backup uses it). */
  sqlite?: SQLite.Database;
  destroy(): Promise<void>;
};

export type DbOptions = { databaseUrl?: string | undefined; sqlitePath: string; pgSchema?: string | undefined };

// pg returns int8 (COUNT, SUM) as strings; canbao's counts and fen sums stay far below 2^53.
pg.types.setTypeParser(20, (v) => Number(v));

export function openDatabase(opts: DbOptions): Db {
  if (opts.databaseUrl) {
    const pool = new pg.Pool({
      connectionString: opts.databaseUrl,
      max: 10,
      ...(opts.pgSchema ? { options: `-c search_path=${opts.pgSchema}` } : {}),
    });
    const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
    return { db, dialect: 'postgres', destroy: () => db.destroy() };
  }
  if (opts.sqlitePath !== ':memory:') fs.mkdirSync(path.dirname(opts.sqlitePath), { recursive: true });
  const handle = new SQLite(opts.sqlitePath);
  // WAL lets readers go on while the single writer connection writes; the busy timeout covers a
  // CLI backup or import running beside the server.
  handle.pragma('journal_mode = WAL');
  handle.pragma('busy_timeout = 5000');
  handle.pragma('foreign_keys = ON');
  handle.pragma('synchronous = NORMAL');
  const db = new Kysely<Database>({ dialect: new ImmediateSqliteDialect({ database: handle }) });
  return { db, dialect: 'sqlite', sqlite: handle, destroy: () => db.destroy() };
}

/**
 * Transactions on SQLite begin IMMEDIATE: the write lock is taken (waiting up to busy_timeout) at
 * the start, so a transaction that reads and then writes never fails half-way because another
 * connection — an import's write worker, the CLI — committed in between (SQLITE_BUSY_SNAPSHOT).
 */
class ImmediateSqliteDialect extends SqliteDialect {
  override createDriver(): Driver {
    const driver = super.createDriver();
    driver.beginTransaction = async (connection: DatabaseConnection) => {
      await connection.executeQuery(CompiledQuery.raw('begin immediate'));
    };
    return driver;
  }
}

/**
 * One PostgreSQL connection of its own, as a Kysely instance and as the raw client (a bulk import
 * streams COPY on the client inside the transaction Kysely runs on the same connection).
 */
export async function openPgConnection(opts: { databaseUrl: string; pgSchema?: string | undefined }): Promise<{ db: Kysely<Database>; client: pg.Client; close(): Promise<void> }> {
  const client = new pg.Client({ connectionString: opts.databaseUrl, ...(opts.pgSchema ? { options: `-c search_path=${opts.pgSchema}` } : {}) });
  await client.connect();
  // A "pool" that always hands out this one connection.
  const pool = { connect: async () => Object.assign(client, { release: () => undefined }), end: async () => undefined };
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool: pool as unknown as pg.Pool }) });
  return { db, client, close: () => client.end() };
}

/** Runs all pending migrations; throws (never silently continues) when one fails. */
export async function migrateToLatest(db: Kysely<Database>, pgSchema?: string): Promise<string[]> {
  const migrator = new Migrator({ db, provider: migrationProvider, ...(pgSchema ? { migrationTableSchema: pgSchema } : {}) });
  const { error, results } = await migrator.migrateToLatest();
  const failed = results?.find((r) => r.status === 'Error');
  if (error || failed) {
    const reason = error instanceof Error ? error.message : String(error ?? failed?.migrationName);
    throw new Error(`数据库迁移失败 (migration failed): ${reason}`);
  }
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}

export async function createPgSchema(databaseUrl: string, schema: string): Promise<void> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
  } finally {
    await client.end();
  }
}

export async function dropPgSchema(databaseUrl: string, schema: string): Promise<void> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  } finally {
    await client.end();
  }
}

export async function ping(db: Kysely<Database>): Promise<void> {
  await sql`select 1`.execute(db);
}
