// Frozen in time. The valid count shown beside every registration list (issue 13): its totals come
// from the statistics table, its reasons from the unit's invalid records only, found through this
// partial index (an imported file is ~3 % invalid rows, so the import's index upkeep stays small).
// PostgreSQL: text_pattern_ops so that the subtree's `org_path like 'prefix%'` can use it.
import { sql, type Kysely } from 'kysely';
import { PostgresAdapter } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  const pg = db.getExecutor().adapter instanceof PostgresAdapter;
  await sql.raw(`CREATE INDEX registration_invalid_idx ON registration (org_path${pg ? ' text_pattern_ops' : ''}) WHERE is_valid = 0`).execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`DROP INDEX registration_invalid_idx`.execute(db);
}
