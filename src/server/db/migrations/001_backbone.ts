// Frozen in time: never import app code here. Runs on SQLite and PostgreSQL alike.
import { sql, type Kysely, type CreateTableBuilder } from 'kysely';
import { PostgresAdapter } from 'kysely';

function isPostgres(db: Kysely<any>): boolean {
  return db.getExecutor().adapter instanceof PostgresAdapter;
}

function withId<T extends string>(db: Kysely<any>, t: CreateTableBuilder<T, never>): CreateTableBuilder<T, 'id'> {
  return isPostgres(db)
    ? t.addColumn('id', 'integer', (c) => c.primaryKey().generatedByDefaultAsIdentity())
    : t.addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement());
}

export async function up(db: Kysely<any>): Promise<void> {
  await withId(db, db.schema.createTable('org_unit'))
    .addColumn('code', 'varchar(32)', (c) => c.notNull().unique())
    .addColumn('name', 'varchar(120)', (c) => c.notNull())
    .addColumn('level', 'varchar(16)', (c) => c.notNull())
    .addColumn('parent_id', 'integer', (c) => c.references('org_unit.id'))
    .addColumn('path', 'varchar(200)', (c) => c.notNull())
    .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('org_unit_parent_idx').on('org_unit').column('parent_id').execute();
  await db.schema.createIndex('org_unit_path_idx').on('org_unit').column('path').execute();

  await withId(db, db.schema.createTable('app_user'))
    .addColumn('username', 'varchar(64)', (c) => c.notNull().unique())
    .addColumn('display_name', 'varchar(80)', (c) => c.notNull())
    .addColumn('role', 'varchar(32)', (c) => c.notNull())
    .addColumn('org_unit_id', 'integer', (c) => c.notNull().references('org_unit.id'))
    .addColumn('phone', 'varchar(32)')
    .addColumn('password_hash', 'varchar(255)', (c) => c.notNull())
    .addColumn('password_changed_at', 'varchar(32)', (c) => c.notNull())
    .addColumn('must_change_password', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('disabled', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('totp_secret', 'varchar(64)')
    .addColumn('last_login_at', 'varchar(32)')
    .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
    .addColumn('updated_at', 'varchar(32)', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema.createIndex('app_user_org_idx').on('app_user').column('org_unit_id').execute();

  await withId(db, db.schema.createTable('password_history'))
    .addColumn('user_id', 'integer', (c) => c.notNull().references('app_user.id'))
    .addColumn('password_hash', 'varchar(255)', (c) => c.notNull())
    .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('password_history_user_idx').on('password_history').column('user_id').execute();

  await db.schema
    .createTable('login_throttle')
    .addColumn('username', 'varchar(64)', (c) => c.primaryKey())
    .addColumn('failures', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('locked_until', 'varchar(32)')
    .addColumn('updated_at', 'varchar(32)', (c) => c.notNull())
    .execute();

  await withId(db, db.schema.createTable('session'))
    .addColumn('token_hash', 'varchar(64)', (c) => c.notNull().unique())
    .addColumn('user_id', 'integer', (c) => c.notNull().references('app_user.id'))
    .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
    .addColumn('last_seen_at', 'varchar(32)', (c) => c.notNull())
    .addColumn('expires_at', 'varchar(32)', (c) => c.notNull())
    .addColumn('elevated_until', 'varchar(32)')
    .addColumn('ended_at', 'varchar(32)')
    .addColumn('ip', 'varchar(64)')
    .addColumn('user_agent', 'varchar(300)')
    .execute();
  await db.schema.createIndex('session_user_idx').on('session').column('user_id').execute();

  await withId(db, db.schema.createTable('campaign'))
    .addColumn('code', 'varchar(32)', (c) => c.notNull().unique())
    .addColumn('name', 'varchar(120)', (c) => c.notNull())
    .addColumn('year', 'integer', (c) => c.notNull())
    .addColumn('status', 'varchar(16)', (c) => c.notNull())
    .addColumn('self_assessment_deadline', 'varchar(10)', (c) => c.notNull())
    .addColumn('data_cutoff', 'varchar(10)', (c) => c.notNull())
    .addColumn('nomination_deadline', 'varchar(10)', (c) => c.notNull())
    .addColumn('base_rate_fen', 'integer', (c) => c.notNull())
    .addColumn('total_score', 'integer', (c) => c.notNull())
    .addColumn('award_total', 'integer', (c) => c.notNull())
    .addColumn('special_fund_fen', 'bigint')
    .addColumn('fee_tiers', 'text', (c) => c.notNull())
    .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
    .addColumn('updated_at', 'varchar(32)', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();

  await withId(db, db.schema.createTable('scorecard_category'))
    .addColumn('campaign_id', 'integer', (c) => c.notNull().references('campaign.id'))
    .addColumn('seq', 'integer', (c) => c.notNull())
    .addColumn('name', 'varchar(80)', (c) => c.notNull())
    .addColumn('max_score', 'integer', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('scorecard_category_campaign_idx').on('scorecard_category').column('campaign_id').execute();

  await withId(db, db.schema.createTable('scorecard_criterion'))
    .addColumn('campaign_id', 'integer', (c) => c.notNull().references('campaign.id'))
    .addColumn('category_id', 'integer', (c) => c.notNull().references('scorecard_category.id'))
    .addColumn('seq', 'integer', (c) => c.notNull())
    .addColumn('text', 'varchar(600)', (c) => c.notNull())
    .addColumn('max_score', 'integer', (c) => c.notNull())
    .addColumn('kind', 'varchar(16)', (c) => c.notNull().defaultTo('manual'))
    .execute();
  await db.schema.createIndex('scorecard_criterion_campaign_idx').on('scorecard_criterion').column('campaign_id').execute();

  await db.schema
    .createTable('award_quota')
    .addColumn('campaign_id', 'integer', (c) => c.notNull().references('campaign.id'))
    .addColumn('org_unit_id', 'integer', (c) => c.notNull().references('org_unit.id'))
    .addColumn('quota', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('award_quota_pk', ['campaign_id', 'org_unit_id'])
    .execute();

  await withId(db, db.schema.createTable('audit_log'))
    .addColumn('at', 'varchar(32)', (c) => c.notNull())
    .addColumn('user_id', 'integer')
    .addColumn('username', 'varchar(64)')
    .addColumn('org_unit_id', 'integer')
    .addColumn('event', 'varchar(64)', (c) => c.notNull())
    .addColumn('object_type', 'varchar(64)')
    .addColumn('object_id', 'varchar(64)')
    .addColumn('success', 'integer', (c) => c.notNull())
    .addColumn('before_json', 'text')
    .addColumn('after_json', 'text')
    .addColumn('ip', 'varchar(64)')
    .addColumn('prev_hash', 'varchar(64)', (c) => c.notNull())
    .addColumn('hash', 'varchar(64)', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('audit_log_at_idx').on('audit_log').column('at').execute();

  // The audit log is append-only at the database level too: updates and deletes are refused.
  if (isPostgres(db)) {
    await sql`CREATE FUNCTION audit_log_append_only() RETURNS trigger AS $$
      BEGIN RAISE EXCEPTION 'audit_log is append-only'; END; $$ LANGUAGE plpgsql`.execute(db);
    await sql`CREATE TRIGGER audit_log_no_update BEFORE UPDATE OR DELETE ON audit_log
      FOR EACH ROW EXECUTE FUNCTION audit_log_append_only()`.execute(db);
  } else {
    await sql`CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
      BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END`.execute(db);
    await sql`CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
      BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END`.execute(db);
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const t of [
    'audit_log',
    'award_quota',
    'scorecard_criterion',
    'scorecard_category',
    'campaign',
    'session',
    'login_throttle',
    'password_history',
    'app_user',
    'org_unit',
  ]) {
    await db.schema.dropTable(t).ifExists().execute();
  }
  if (isPostgres(db)) await sql`DROP FUNCTION IF EXISTS audit_log_append_only()`.execute(db);
}
