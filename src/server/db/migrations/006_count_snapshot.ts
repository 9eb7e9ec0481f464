// Frozen in time. The valid count frozen at a campaign's data cutoff (issue 6 item 1): one snapshot
// per district and campaign is current; a re-take keeps the old one (superseded) with its reason.
// Each snapshot holds the breakdown of every unit of the district (district, streets, communities).
import { type Kysely, type CreateTableBuilder } from 'kysely';
import { PostgresAdapter } from 'kysely';

function withId<T extends string>(db: Kysely<any>, t: CreateTableBuilder<T, never>): CreateTableBuilder<T, 'id'> {
  return db.getExecutor().adapter instanceof PostgresAdapter
    ? t.addColumn('id', 'integer', (c) => c.primaryKey().generatedByDefaultAsIdentity())
    : t.addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement());
}

export async function up(db: Kysely<any>): Promise<void> {
  await withId(db, db.schema.createTable('count_snapshot'))
    .addColumn('campaign_id', 'integer', (c) => c.notNull().references('campaign.id'))
    .addColumn('org_unit_id', 'integer', (c) => c.notNull().references('org_unit.id'))
    .addColumn('cutoff', 'varchar(10)', (c) => c.notNull())
    .addColumn('taken_at', 'varchar(32)', (c) => c.notNull())
    .addColumn('taken_by', 'integer', (c) => c.notNull().references('app_user.id'))
    .addColumn('reason', 'varchar(500)')
    .addColumn('superseded_at', 'varchar(32)')
    .addColumn('valid_count', 'integer', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('count_snapshot_idx').on('count_snapshot').columns(['campaign_id', 'org_unit_id']).execute();

  await withId(db, db.schema.createTable('count_snapshot_unit'))
    .addColumn('snapshot_id', 'integer', (c) => c.notNull().references('count_snapshot.id'))
    .addColumn('org_unit_id', 'integer', (c) => c.notNull().references('org_unit.id'))
    .addColumn('entered', 'integer', (c) => c.notNull())
    .addColumn('invalid', 'integer', (c) => c.notNull())
    .addColumn('duplicates', 'integer', (c) => c.notNull())
    .addColumn('valid_count', 'integer', (c) => c.notNull())
    .addColumn('invalid_by_reason_json', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('count_snapshot_unit_idx').on('count_snapshot_unit').column('snapshot_id').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('count_snapshot_unit').ifExists().execute();
  await db.schema.dropTable('count_snapshot').ifExists().execute();
}
