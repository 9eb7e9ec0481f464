// Frozen in time. The assessment (考核, SPEC §2): one per district and campaign, a score row per
// scorecard item (self and assessed, tenths), evidence files (stored by SHA-256 under the data
// directory; the row keeps name, type, size), the workflow's events, spot checks of records.
import { type Kysely, type CreateTableBuilder } from 'kysely';
import { PostgresAdapter } from 'kysely';

function withId<T extends string>(db: Kysely<any>, t: CreateTableBuilder<T, never>): CreateTableBuilder<T, 'id'> {
  return db.getExecutor().adapter instanceof PostgresAdapter
    ? t.addColumn('id', 'integer', (c) => c.primaryKey().generatedByDefaultAsIdentity())
    : t.addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement());
}

export async function up(db: Kysely<any>): Promise<void> {
  await withId(db, db.schema.createTable('assessment'))
    .addColumn('campaign_id', 'integer', (c) => c.notNull().references('campaign.id'))
    .addColumn('org_unit_id', 'integer', (c) => c.notNull().references('org_unit.id'))
    .addColumn('status', 'varchar(16)', (c) => c.notNull())
    .addColumn('window_until', 'varchar(10)')
    .addColumn('submitted_at', 'varchar(32)')
    .addColumn('submitted_by', 'integer', (c) => c.references('app_user.id'))
    .addColumn('return_reason', 'varchar(500)')
    .addColumn('finalized_at', 'varchar(32)')
    .addColumn('finalized_by', 'integer', (c) => c.references('app_user.id'))
    .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
    .addColumn('updated_at', 'varchar(32)', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addUniqueConstraint('assessment_campaign_unit_uq', ['campaign_id', 'org_unit_id'])
    .execute();

  await withId(db, db.schema.createTable('assessment_item'))
    .addColumn('assessment_id', 'integer', (c) => c.notNull().references('assessment.id'))
    .addColumn('criterion_id', 'integer', (c) => c.notNull().references('scorecard_criterion.id'))
    .addColumn('self_score', 'integer')
    .addColumn('self_note', 'varchar(1000)', (c) => c.notNull().defaultTo(''))
    .addColumn('assessed_score', 'integer')
    .addColumn('assessed_comment', 'varchar(1000)', (c) => c.notNull().defaultTo(''))
    .addColumn('updated_at', 'varchar(32)', (c) => c.notNull())
    .addUniqueConstraint('assessment_item_uq', ['assessment_id', 'criterion_id'])
    .execute();

  await withId(db, db.schema.createTable('assessment_event'))
    .addColumn('assessment_id', 'integer', (c) => c.notNull().references('assessment.id'))
    .addColumn('at', 'varchar(32)', (c) => c.notNull())
    .addColumn('user_id', 'integer', (c) => c.notNull().references('app_user.id'))
    .addColumn('action', 'varchar(16)', (c) => c.notNull())
    .addColumn('reason', 'varchar(500)')
    .execute();
  await db.schema.createIndex('assessment_event_idx').on('assessment_event').column('assessment_id').execute();

  await withId(db, db.schema.createTable('evidence_file'))
    .addColumn('assessment_id', 'integer', (c) => c.notNull().references('assessment.id'))
    .addColumn('criterion_id', 'integer', (c) => c.notNull().references('scorecard_criterion.id'))
    .addColumn('sha256', 'varchar(64)', (c) => c.notNull())
    .addColumn('file_name', 'varchar(255)', (c) => c.notNull())
    .addColumn('mime', 'varchar(100)', (c) => c.notNull())
    .addColumn('size_bytes', 'integer', (c) => c.notNull())
    .addColumn('uploaded_by', 'integer', (c) => c.notNull().references('app_user.id'))
    .addColumn('uploaded_at', 'varchar(32)', (c) => c.notNull())
    .addColumn('deleted_at', 'varchar(32)')
    .execute();
  await db.schema.createIndex('evidence_file_idx').on('evidence_file').columns(['assessment_id', 'criterion_id']).execute();

  await withId(db, db.schema.createTable('spot_check'))
    .addColumn('assessment_id', 'integer', (c) => c.notNull().references('assessment.id'))
    .addColumn('seed', 'varchar(64)', (c) => c.notNull())
    .addColumn('method', 'varchar(8)', (c) => c.notNull())
    .addColumn('requested', 'integer', (c) => c.notNull())
    .addColumn('population', 'integer', (c) => c.notNull())
    // SHA-256 of the population's record ids in order: re-deriving the sample proves the same draw.
    .addColumn('population_sha256', 'varchar(64)', (c) => c.notNull())
    .addColumn('drawn_at', 'varchar(32)', (c) => c.notNull())
    .addColumn('drawn_by', 'integer', (c) => c.notNull().references('app_user.id'))
    .execute();

  await withId(db, db.schema.createTable('spot_check_record'))
    .addColumn('spot_check_id', 'integer', (c) => c.notNull().references('spot_check.id'))
    .addColumn('seq', 'integer', (c) => c.notNull())
    .addColumn('registration_id', 'integer', (c) => c.notNull().references('registration.id'))
    .addColumn('result', 'varchar(10)', (c) => c.notNull().defaultTo('unchecked'))
    .addColumn('field', 'varchar(40)')
    .addColumn('problem', 'varchar(500)')
    .addColumn('photo_sha256', 'varchar(64)')
    .addColumn('checked_by', 'integer', (c) => c.references('app_user.id'))
    .addColumn('checked_at', 'varchar(32)')
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema.createIndex('spot_check_record_idx').on('spot_check_record').columns(['spot_check_id', 'seq']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const t of ['spot_check_record', 'spot_check', 'evidence_file', 'assessment_event', 'assessment_item', 'assessment']) {
    await db.schema.dropTable(t).ifExists().execute();
  }
}
