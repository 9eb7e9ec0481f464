// The only place that knows which engine runs. Keep these helpers tiny and test them on both.
import { PostgresAdapter, sql, type Kysely, type Transaction } from 'kysely';
import type { Database } from './schema.js';
import type { DialectName } from './index.js';

/**
 * Serialises writers of one kind inside a transaction. SQLite already has a single writer
 * connection; on PostgreSQL a transaction-scoped advisory lock does the same.
 */
export async function lockForWrite(trx: Transaction<Database>, dialect: DialectName, key: number): Promise<void> {
  if (dialect === 'postgres') await sql`select pg_advisory_xact_lock(${key})`.execute(trx);
}

export const LOCK_KEYS = { audit: 7001 } as const;

/** Case-insensitive "contains" that works on both engines. */
export function containsCi(column: string, value: string) {
  return sql<boolean>`lower(${sql.ref(column)}) like ${'%' + escapeLike(value.toLowerCase()) + '%'} escape '\\'`;
}

export function escapeLike(value: string): string {
  return value.replace(/[\\%_]/g, (c) => '\\' + c);
}

export function isUniqueViolation(err: unknown): boolean {
  const e = err as { code?: string; message?: string };
  return e?.code === '23505' || e?.code === 'SQLITE_CONSTRAINT_UNIQUE' || /UNIQUE constraint failed/.test(e?.message ?? '');
}

export type AnyDb = Kysely<Database> | Transaction<Database>;

/** The Asia/Shanghai calendar day ('YYYY-MM-DD') of an ISO UTC text column. */
export function shanghaiDay(column: string, dialect: DialectName) {
  return dialect === 'postgres'
    ? sql<string>`to_char((${sql.ref(column)}::timestamptz at time zone 'Asia/Shanghai'), 'YYYY-MM-DD')`
    : sql<string>`strftime('%Y-%m-%d', ${sql.ref(column)}, '+8 hours')`;
}

/**
 * `column` (a materialised path) within the subtree of `path`, in a form an index on the column can
 * serve. SQLite's LIKE is case-insensitive, so it never uses an index of a BINARY column: the
 * prefix becomes the range [path, path with its final '/' raised to '0') (paths are digits and
 * '/'), kept beside the LIKE. PostgreSQL uses a text_pattern_ops index for the LIKE itself (a range
 * would be wrong under a linguistic collation, which ignores the '/').
 */
export function inSubtree(db: AnyDb, column: string, path: string) {
  const like = sql<boolean>`${sql.ref(column)} like ${escapeLike(path) + '%'} escape '\\'`;
  if (db.getExecutor().adapter instanceof PostgresAdapter || !path.endsWith('/')) return like;
  return sql<boolean>`(${sql.ref(column)} >= ${path} and ${sql.ref(column)} < ${path.slice(0, -1) + '0'} and ${like})`;
}
