// Frozen in time. Person detail tables (人员明细数据表, issue 7 item 5) generated in the background:
// the request, its progress and the file (under DATA_DIR/detail-tables, a generated name); and the
// analysis reports (分析报告, item 6) the districts upload and submit to the city.
import { type Kysely, type CreateTableBuilder } from 'kysely';
import { PostgresAdapter } from 'kysely';

function withId<T extends string>(db: Kysely<any>, t: CreateTableBuilder<T, never>): CreateTableBuilder<T, 'id'> {
  return db.getExecutor().adapter instanceof PostgresAdapter
    ? t.addColumn('id', 'integer', (c) => c.primaryKey().generatedByDefaultAsIdentity())
    : t.addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement());
}

export async function up(db: Kysely<any>): Promise<void> {
  await withId(db, db.schema.createTable('detail_table'))
    .addColumn('user_id', 'integer', (c) => c.notNull().references('app_user.id'))
    .addColumn('org_unit_id', 'integer', (c) => c.notNull().references('org_unit.id'))
    /** all | insured | uninsured */
    .addColumn('kind', 'varchar(16)', (c) => c.notNull())
    .addColumn('per_street', 'integer', (c) => c.notNull())
    .addColumn('masked', 'integer', (c) => c.notNull())
    /** queued | running | done | failed */
    .addColumn('status', 'varchar(16)', (c) => c.notNull())
    .addColumn('rows_total', 'integer', (c) => c.notNull())
    .addColumn('rows_written', 'integer', (c) => c.notNull())
    .addColumn('file_name', 'varchar(255)', (c) => c.notNull())
    .addColumn('sha256', 'varchar(64)')
    .addColumn('size_bytes', 'integer')
    .addColumn('error', 'varchar(500)')
    .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
    .addColumn('finished_at', 'varchar(32)')
    .execute();
  await db.schema.createIndex('detail_table_user_idx').on('detail_table').columns(['user_id', 'id']).execute();

  await withId(db, db.schema.createTable('analysis_report'))
    .addColumn('campaign_id', 'integer', (c) => c.notNull().references('campaign.id'))
    .addColumn('org_unit_id', 'integer', (c) => c.notNull().references('org_unit.id'))
    /** uploaded | submitted */
    .addColumn('status', 'varchar(16)', (c) => c.notNull())
    .addColumn('sha256', 'varchar(64)', (c) => c.notNull())
    .addColumn('file_name', 'varchar(255)', (c) => c.notNull())
    .addColumn('mime', 'varchar(120)', (c) => c.notNull())
    .addColumn('size_bytes', 'integer', (c) => c.notNull())
    .addColumn('uploaded_by', 'integer', (c) => c.notNull().references('app_user.id'))
    .addColumn('uploaded_at', 'varchar(32)', (c) => c.notNull())
    .addColumn('submitted_by', 'integer', (c) => c.references('app_user.id'))
    .addColumn('submitted_at', 'varchar(32)')
    .addColumn('version', 'integer', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('analysis_report_key').on('analysis_report').columns(['campaign_id', 'org_unit_id']).unique().execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('analysis_report').ifExists().execute();
  await db.schema.dropTable('detail_table').ifExists().execute();
}
