// Frozen in time. Issue 13 item 6: every audit entry written from now on carries a keyed MAC
// (HMAC-SHA256 of its chain hash with a key kept outside the database), so a chain recomputed by
// someone with database access but without the key is detected. Entries written before this
// migration keep `mac` NULL; the application records a MAC'd anchor at the current tail on its
// first start afterwards (src/server/audit/guard.ts). On PostgreSQL TRUNCATE bypasses the row
// triggers of migration 001, so a statement trigger refuses it too.
import { sql, type Kysely } from 'kysely';
import { PostgresAdapter } from 'kysely';

function isPostgres(db: Kysely<any>): boolean {
  return db.getExecutor().adapter instanceof PostgresAdapter;
}

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('audit_log').addColumn('mac', 'varchar(64)').execute();
  if (isPostgres(db)) {
    await sql`CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
      FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only()`.execute(db);
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  if (isPostgres(db)) await sql`DROP TRIGGER IF EXISTS audit_log_no_truncate ON audit_log`.execute(db);
  await db.schema.alterTable('audit_log').dropColumn('mac').execute();
}
