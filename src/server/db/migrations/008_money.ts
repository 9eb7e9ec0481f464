// Frozen in time. Money and printed documents (issue 6): demonstration-site funds, the fee sheet
// and its approval, payments to the districts, the districts' allocation, nomination attachments,
// the publication of the commendation list, and the register of printed documents (文书编号).
import { type Kysely, type CreateTableBuilder } from 'kysely';
import { PostgresAdapter } from 'kysely';

function withId<T extends string>(db: Kysely<any>, t: CreateTableBuilder<T, never>): CreateTableBuilder<T, 'id'> {
  return db.getExecutor().adapter instanceof PostgresAdapter
    ? t.addColumn('id', 'integer', (c) => c.primaryKey().generatedByDefaultAsIdentity())
    : t.addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement());
}

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('campaign').addColumn('nominations_published_at', 'varchar(32)').execute();

  await withId(db, db.schema.createTable('site_fund'))
    .addColumn('campaign_id', 'integer', (c) => c.notNull().references('campaign.id'))
    .addColumn('district_id', 'integer', (c) => c.notNull().references('org_unit.id'))
    .addColumn('org_unit_id', 'integer', (c) => c.notNull().references('org_unit.id'))
    .addColumn('amount_fen', 'bigint', (c) => c.notNull())
    .addColumn('reason', 'varchar(500)', (c) => c.notNull())
    .addColumn('created_by', 'integer', (c) => c.notNull().references('app_user.id'))
    .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
    .addColumn('revoked_at', 'varchar(32)')
    .addColumn('revoked_by', 'integer', (c) => c.references('app_user.id'))
    .addColumn('revoke_reason', 'varchar(500)')
    .execute();
  await db.schema.createIndex('site_fund_idx').on('site_fund').columns(['campaign_id', 'district_id']).execute();

  await withId(db, db.schema.createTable('fee_sheet'))
    .addColumn('campaign_id', 'integer', (c) => c.notNull().references('campaign.id'))
    .addColumn('district_id', 'integer', (c) => c.notNull().references('org_unit.id'))
    .addColumn('status', 'varchar(16)', (c) => c.notNull())
    .addColumn('doc_number', 'varchar(60)', (c) => c.notNull().unique())
    .addColumn('snapshot_id', 'integer', (c) => c.notNull().references('count_snapshot.id'))
    .addColumn('assessment_id', 'integer', (c) => c.notNull().references('assessment.id'))
    .addColumn('valid_count', 'integer', (c) => c.notNull())
    .addColumn('assessed_total', 'integer', (c) => c.notNull())
    .addColumn('tier_label', 'varchar(60)', (c) => c.notNull())
    .addColumn('tier_percent', 'integer', (c) => c.notNull())
    .addColumn('base_rate_fen', 'integer', (c) => c.notNull())
    .addColumn('fee_base_fen', 'bigint', (c) => c.notNull())
    .addColumn('fee_fen', 'bigint', (c) => c.notNull())
    .addColumn('site_funds_fen', 'bigint', (c) => c.notNull())
    .addColumn('total_fen', 'bigint', (c) => c.notNull())
    /** The site-fund lines as they were when computed. */
    .addColumn('site_funds_json', 'text', (c) => c.notNull())
    .addColumn('computed_by', 'integer', (c) => c.notNull().references('app_user.id'))
    .addColumn('computed_at', 'varchar(32)', (c) => c.notNull())
    .addColumn('checked_by', 'integer', (c) => c.references('app_user.id'))
    .addColumn('checked_at', 'varchar(32)')
    .addColumn('approved_by', 'integer', (c) => c.references('app_user.id'))
    .addColumn('approved_at', 'varchar(32)')
    .addColumn('superseded_at', 'varchar(32)')
    .addColumn('supersede_reason', 'varchar(500)')
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema.createIndex('fee_sheet_idx').on('fee_sheet').columns(['campaign_id', 'district_id']).execute();

  await withId(db, db.schema.createTable('payment'))
    .addColumn('campaign_id', 'integer', (c) => c.notNull().references('campaign.id'))
    .addColumn('district_id', 'integer', (c) => c.notNull().references('org_unit.id'))
    .addColumn('paid_on', 'varchar(10)', (c) => c.notNull())
    .addColumn('amount_fen', 'bigint', (c) => c.notNull())
    .addColumn('voucher_no', 'varchar(60)', (c) => c.notNull())
    .addColumn('note', 'varchar(500)', (c) => c.notNull().defaultTo(''))
    .addColumn('attachment_sha256', 'varchar(64)')
    .addColumn('attachment_name', 'varchar(255)')
    .addColumn('attachment_mime', 'varchar(120)')
    .addColumn('attachment_size', 'integer')
    .addColumn('created_by', 'integer', (c) => c.notNull().references('app_user.id'))
    .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
    .addColumn('voided_at', 'varchar(32)')
    .addColumn('voided_by', 'integer', (c) => c.references('app_user.id'))
    .addColumn('void_reason', 'varchar(500)')
    .execute();
  await db.schema.createIndex('payment_idx').on('payment').columns(['campaign_id', 'district_id']).execute();

  await withId(db, db.schema.createTable('allocation'))
    .addColumn('campaign_id', 'integer', (c) => c.notNull().references('campaign.id'))
    .addColumn('district_id', 'integer', (c) => c.notNull().references('org_unit.id'))
    .addColumn('updated_by', 'integer', (c) => c.notNull().references('app_user.id'))
    .addColumn('updated_at', 'varchar(32)', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('allocation_key').on('allocation').columns(['campaign_id', 'district_id']).unique().execute();
  await withId(db, db.schema.createTable('allocation_line'))
    .addColumn('allocation_id', 'integer', (c) => c.notNull().references('allocation.id'))
    /** 'purpose' (one of the four uses) or 'unit' (a street or community). */
    .addColumn('kind', 'varchar(16)', (c) => c.notNull())
    .addColumn('purpose', 'varchar(16)')
    .addColumn('org_unit_id', 'integer', (c) => c.references('org_unit.id'))
    .addColumn('amount_fen', 'bigint', (c) => c.notNull())
    .addColumn('note', 'varchar(200)', (c) => c.notNull().defaultTo(''))
    .execute();
  await db.schema.createIndex('allocation_line_idx').on('allocation_line').column('allocation_id').execute();

  await withId(db, db.schema.createTable('nomination_attachment'))
    .addColumn('nomination_id', 'integer', (c) => c.notNull().references('nomination.id'))
    .addColumn('sha256', 'varchar(64)', (c) => c.notNull())
    .addColumn('file_name', 'varchar(255)', (c) => c.notNull())
    .addColumn('mime', 'varchar(120)', (c) => c.notNull())
    .addColumn('size_bytes', 'integer', (c) => c.notNull())
    .addColumn('uploaded_by', 'integer', (c) => c.notNull().references('app_user.id'))
    .addColumn('uploaded_at', 'varchar(32)', (c) => c.notNull())
    .addColumn('deleted_at', 'varchar(32)')
    .execute();
  await db.schema.createIndex('nomination_attachment_idx').on('nomination_attachment').column('nomination_id').execute();

  await withId(db, db.schema.createTable('printed_document'))
    .addColumn('doc_number', 'varchar(60)', (c) => c.notNull().unique())
    .addColumn('kind', 'varchar(16)', (c) => c.notNull())
    .addColumn('object_id', 'integer', (c) => c.notNull())
    .addColumn('campaign_id', 'integer', (c) => c.notNull().references('campaign.id'))
    .addColumn('org_unit_id', 'integer', (c) => c.notNull().references('org_unit.id'))
    /** The label/value lines the verification page shows (what the paper certifies). */
    .addColumn('lines_json', 'text', (c) => c.notNull())
    .addColumn('content_sha256', 'varchar(64)', (c) => c.notNull())
    .addColumn('issued_by', 'integer', (c) => c.notNull().references('app_user.id'))
    .addColumn('issued_at', 'varchar(32)', (c) => c.notNull())
    .addColumn('superseded_at', 'varchar(32)')
    .addColumn('superseded_by', 'varchar(60)')
    .execute();
  await db.schema.createIndex('printed_document_object_idx').on('printed_document').columns(['kind', 'object_id']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const t of ['printed_document', 'nomination_attachment', 'allocation_line', 'allocation', 'payment', 'fee_sheet', 'site_fund']) {
    await db.schema.dropTable(t).ifExists().execute();
  }
  await db.schema.alterTable('campaign').dropColumn('nominations_published_at').execute();
}
