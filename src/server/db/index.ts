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

export type DbOptions = {
  databaseUrl?: string | undefined;
  sqlitePath: string;
  pgSchema?: string | undefined;
  /** SQLite: how long a write waits for another connection's write lock before SQLITE_BUSY (→ 503). */
  busyWaitMs?: number | undefined;
};

/** How long a write waits for the write lock on SQLite (README: "other writes wait up to 5 s"). */
export const BUSY_WAIT_MS = 5000;

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
  // WAL lets readers go on while the single writer connection writes. SQLite's own busy timeout
  // stays 0: better-sqlite3 is synchronous, so its busy handler would sleep on the event loop and
  // freeze every request while an import's write worker holds the lock; the wait is done here
  // instead, asynchronously (AsyncBusySqliteDialect).
  handle.pragma('journal_mode = WAL');
  handle.pragma('busy_timeout = 0');
  handle.pragma('foreign_keys = ON');
  handle.pragma('synchronous = NORMAL');
  const db = new Kysely<Database>({ dialect: new AsyncBusySqliteDialect({ database: handle }, opts.busyWaitMs ?? BUSY_WAIT_MS) });
  return { db, dialect: 'sqlite', sqlite: handle, destroy: () => db.destroy() };
}

const isBusy = (err: unknown): boolean => String((err as { code?: unknown })?.code ?? '').startsWith('SQLITE_BUSY');
const pause = (ms: number) => new Promise<void>((res) => setTimeout(res, ms));

/**
 * Transactions on SQLite begin IMMEDIATE: the write lock is taken at the start, so a transaction
 * that reads and then writes never fails half-way because another connection — an import's write
 * worker, the CLI — committed in between (SQLITE_BUSY_SNAPSHOT).
 *
 * Waiting for that lock is asynchronous: when `begin immediate` (or a statement outside a
 * transaction) answers SQLITE_BUSY, the connection is handed back so that other requests' reads
 * go on, and the attempt is repeated after a short pause, for up to `busyWaitMs`; then the
 * SQLITE_BUSY error goes up (the app answers 503 BUSY).
 */
class AsyncBusySqliteDialect extends SqliteDialect {
  constructor(
    config: ConstructorParameters<typeof SqliteDialect>[0],
    private readonly busyWaitMs: number,
  ) {
    super(config);
  }

  override createDriver(): Driver {
    const driver = super.createDriver();
    const waitMs = this.busyWaitMs;
    /** Runs `attempt` (holding the connection); on SQLITE_BUSY releases it, pauses, re-acquires, retries. */
    const retrying = async <T>(attempt: () => Promise<T>): Promise<T> => {
      const deadline = Date.now() + waitMs;
      for (let delay = 2; ; delay = Math.min(delay * 2, 50)) {
        try {
          return await attempt();
        } catch (err) {
          if (!isBusy(err) || Date.now() >= deadline) throw err;
        }
        await driver.releaseConnection(undefined as unknown as DatabaseConnection);
        await pause(Math.min(delay, Math.max(1, deadline - Date.now())));
        await driver.acquireConnection();
      }
    };
    let inTransaction = false;
    const acquire = driver.acquireConnection.bind(driver);
    driver.acquireConnection = async () => {
      const connection = await acquire();
      // A statement outside a transaction (its own implicit one) waits like a transaction's begin.
      return {
        executeQuery: (q) => (inTransaction ? connection.executeQuery(q) : retrying(() => connection.executeQuery(q))),
        streamQuery: (q, chunkSize) => connection.streamQuery(q, chunkSize),
      } as DatabaseConnection;
    };
    driver.beginTransaction = async (connection: DatabaseConnection) => {
      await retrying(() => connection.executeQuery(CompiledQuery.raw('begin immediate')));
      inTransaction = true;
    };
    const commit = driver.commitTransaction.bind(driver);
    const rollback = driver.rollbackTransaction.bind(driver);
    driver.commitTransaction = async (connection: DatabaseConnection) => {
      try {
        await commit(connection);
      } finally {
        inTransaction = false;
      }
    };
    driver.rollbackTransaction = async (connection: DatabaseConnection) => {
      try {
        await rollback(connection);
      } finally {
        inTransaction = false;
      }
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
