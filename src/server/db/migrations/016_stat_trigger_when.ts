// Frozen in time. PostgreSQL: the statistics trigger of registration (009) is split by event, each
// with a WHEN condition, so that an import's own rows — which the import adds to the statistics in
// one pass (canbao.bulk_batch) — are not even queued: before, every inserted row queued an AFTER
// event and called the PL/pgSQL function only for it to return (26 µs a row, issue 12 speed). The
// function is unchanged; SQLite's triggers already carry their WHEN.
import { sql, type Kysely } from 'kysely';
import { PostgresAdapter } from 'kysely';

/** Row `r` is not one of the rows the running import adds in bulk. */
const notBulk = (r: 'new' | 'old') => `(${r}.import_batch_id is null or ${r}.import_batch_id::text is distinct from current_setting('canbao.bulk_batch', true))`;

export async function up(db: Kysely<any>): Promise<void> {
  if (!(db.getExecutor().adapter instanceof PostgresAdapter)) return;
  await sql`drop trigger stat_registration on registration`.execute(db);
  await sql.raw(`create trigger stat_registration_insert after insert on registration for each row when (${notBulk('new')}) execute function stat_registration()`).execute(db);
  await sql.raw(`create trigger stat_registration_update after update on registration for each row when (${notBulk('old')} or ${notBulk('new')}) execute function stat_registration()`).execute(db);
  await sql.raw(`create trigger stat_registration_delete after delete on registration for each row when (${notBulk('old')}) execute function stat_registration()`).execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  if (!(db.getExecutor().adapter instanceof PostgresAdapter)) return;
  for (const t of ['insert', 'update', 'delete']) await sql.raw(`drop trigger stat_registration_${t} on registration`).execute(db);
  await sql`create trigger stat_registration after insert or update or delete on registration for each row execute function stat_registration()`.execute(db);
}
