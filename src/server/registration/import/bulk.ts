// The bulk insert of an import: the one engine-specific write path of registrations.
// On SQLite, one prepared statement is run per row on the raw connection — inside the import's
// transaction, since it is the same single connection Kysely holds — instead of re-parsing a
// ~70-column multi-row INSERT per chunk. Elsewhere (PostgreSQL) Kysely's multi-row insert.
import type SQLite from 'better-sqlite3';
import type { Transaction } from 'kysely';
import type { Database, NewRegistration } from '../../db/schema.js';

const statements = new WeakMap<SQLite.Database, Map<string, SQLite.Statement>>();

function statementFor(handle: SQLite.Database, columns: readonly string[]): SQLite.Statement {
  let cache = statements.get(handle);
  if (!cache) statements.set(handle, (cache = new Map()));
  const key = columns.join(',');
  let stmt = cache.get(key);
  if (!stmt) {
    stmt = handle.prepare(`insert into registration (${columns.map((c) => `"${c}"`).join(', ')}) values (${columns.map(() => '?').join(', ')})`);
    cache.set(key, stmt);
  }
  return stmt;
}

export async function insertRegistrations(trx: Transaction<Database>, sqlite: SQLite.Database | undefined, rows: NewRegistration[]): Promise<void> {
  if (!rows.length) return;
  if (!sqlite) {
    await trx.insertInto('registration').values(rows).execute();
    return;
  }
  const columns = Object.keys(rows[0]!);
  const stmt = statementFor(sqlite, columns);
  for (const r of rows) {
    const rec = r as Record<string, unknown>;
    stmt.run(columns.map((c) => rec[c] ?? null));
  }
}
