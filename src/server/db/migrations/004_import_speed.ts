// Frozen in time. Faster bulk import (issue 3 item 9), same guarantees:
// - "one counted record per person" is enforced by a single unique index on (id_number,
//   counted_key), where counted_key is 1 for the counted record and NULL otherwise (NULLs never
//   collide). It also serves every lookup by ID number, so the plain ID-number index and the
//   partial unique index it replaces — two random-order B-trees written per imported row — go.
// - the entry-date filter reads the scope index (records are appended in entry order), so its
//   own index goes too.
// - the district index becomes (district_id, id): a district's list, newest first, is one index
//   range read backwards whatever the other districts hold (nothing read (district_id, is_counted)).
import { sql, type Kysely } from 'kysely';
import { PostgresAdapter } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  const pg = db.getExecutor().adapter instanceof PostgresAdapter;
  // SQLite can only add VIRTUAL generated columns to an existing table; PostgreSQL only STORED ones.
  await sql
    .raw(`ALTER TABLE registration ADD COLUMN counted_key integer GENERATED ALWAYS AS (CASE WHEN is_counted = 1 THEN 1 END) ${pg ? 'STORED' : 'VIRTUAL'}`)
    .execute(db);
  await sql`CREATE UNIQUE INDEX registration_person_uq ON registration (id_number, counted_key)`.execute(db);
  await sql`DROP INDEX registration_counted_uq`.execute(db);
  await sql`DROP INDEX registration_id_number_idx`.execute(db);
  await sql`DROP INDEX registration_entered_idx`.execute(db);
  await sql`DROP INDEX registration_district_idx`.execute(db);
  await sql`CREATE INDEX registration_district_idx ON registration (district_id, id)`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`DROP INDEX registration_district_idx`.execute(db);
  await sql`CREATE INDEX registration_district_idx ON registration (district_id, is_counted)`.execute(db);
  await sql`CREATE INDEX registration_entered_idx ON registration (entered_at)`.execute(db);
  await sql`CREATE INDEX registration_id_number_idx ON registration (id_number)`.execute(db);
  await sql`CREATE UNIQUE INDEX registration_counted_uq ON registration (id_number) WHERE is_counted = 1`.execute(db);
  await sql`DROP INDEX registration_person_uq`.execute(db);
  await sql`ALTER TABLE registration DROP COLUMN counted_key`.execute(db);
}
