// The append-only triggers of audit_log (migrations 001 and 011), checked at every start-up and
// re-created when someone with database access dropped (or, on PostgreSQL, disabled) them. The
// statements are the migrations' own; this is the only engine-specific code of the audit log.
import { sql } from 'kysely';
import type { AnyDb } from '../db/dialect.js';
import type { DialectName } from '../db/index.js';

const PG_FUNCTION = sql`CREATE OR REPLACE FUNCTION audit_log_append_only() RETURNS trigger AS $$
  BEGIN RAISE EXCEPTION 'audit_log is append-only'; END; $$ LANGUAGE plpgsql`;

const PG_TRIGGERS: Record<string, ReturnType<typeof sql>> = {
  audit_log_no_update: sql`CREATE TRIGGER audit_log_no_update BEFORE UPDATE OR DELETE ON audit_log
    FOR EACH ROW EXECUTE FUNCTION audit_log_append_only()`,
  audit_log_no_truncate: sql`CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
    FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only()`,
};

const SQLITE_TRIGGERS: Record<string, ReturnType<typeof sql>> = {
  audit_log_no_update: sql`CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
    BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END`,
  audit_log_no_delete: sql`CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
    BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END`,
};

/** Re-creates (or re-enables) what is missing; returns what had to be restored, e.g. ['audit_log_no_delete']. */
export async function ensureAuditTriggers(db: AnyDb, dialect: DialectName): Promise<string[]> {
  const restored: string[] = [];
  if (dialect === 'postgres') {
    const fn = await sql<{ ok: string | null }>`select to_regprocedure('audit_log_append_only()')::text as ok`.execute(db);
    if (!fn.rows[0]?.ok) restored.push('audit_log_append_only()');
    // Always replaced: a function edited to do nothing would let everything through.
    await PG_FUNCTION.execute(db);
    const rows = await sql<{ name: string; enabled: string; fn: string }>`select tgname as name, tgenabled as enabled, tgfoid::regprocedure::text as fn
      from pg_trigger where tgrelid = 'audit_log'::regclass and not tgisinternal`.execute(db);
    const present = new Map(rows.rows.map((r) => [r.name, r]));
    for (const [name, create] of Object.entries(PG_TRIGGERS)) {
      const t = present.get(name);
      const enabled = t?.enabled;
      if (t && t.fn !== 'audit_log_append_only()') {
        // Same name, another function: as good as none.
        await sql`DROP TRIGGER ${sql.id(name)} ON audit_log`.execute(db);
        await create.execute(db);
        restored.push(name);
      } else if (enabled === undefined) {
        await create.execute(db);
        restored.push(name);
      } else if (enabled === 'D') {
        await sql`ALTER TABLE audit_log ENABLE TRIGGER ${sql.id(name)}`.execute(db);
        restored.push(`${name} (enabled)`);
      }
    }
  } else {
    const rows = await sql<{ name: string; body: string }>`select name, sql as body from sqlite_master where type = 'trigger' and tbl_name = 'audit_log'`.execute(db);
    const present = new Map(rows.rows.map((r) => [r.name, r.body]));
    for (const [name, create] of Object.entries(SQLITE_TRIGGERS)) {
      const body = present.get(name);
      // A trigger of the same name that no longer refuses is as good as none.
      if (body !== undefined && body.includes('append-only')) continue;
      if (body !== undefined) await sql`DROP TRIGGER ${sql.id(name)}`.execute(db);
      await create.execute(db);
      restored.push(name);
    }
  }
  return restored;
}
