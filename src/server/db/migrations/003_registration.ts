// Frozen in time. Registration records (全民参保登记表): one row per person, grouped in households,
// with the validation state and the duplicate resolution kept on the row so that lists and counts
// are index reads. Insurance columns are spelled out (8 types × status/place/since) for GROUP BY.
import { sql, type Kysely, type CreateTableBuilder } from 'kysely';
import { PostgresAdapter } from 'kysely';

const INSURANCE_TYPES = ['110', '120', '170', '210', '310', '390', '410', '510'];

function isPostgres(db: Kysely<any>): boolean {
  return db.getExecutor().adapter instanceof PostgresAdapter;
}

function withId<T extends string>(db: Kysely<any>, t: CreateTableBuilder<T, never>): CreateTableBuilder<T, 'id'> {
  return isPostgres(db)
    ? t.addColumn('id', 'integer', (c) => c.primaryKey().generatedByDefaultAsIdentity())
    : t.addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement());
}

export async function up(db: Kysely<any>): Promise<void> {
  await withId(db, db.schema.createTable('household'))
    .addColumn('org_unit_id', 'integer', (c) => c.notNull().references('org_unit.id'))
    .addColumn('head_name', 'varchar(60)')
    .addColumn('head_id_number', 'varchar(18)')
    .addColumn('address', 'varchar(200)')
    .addColumn('phone', 'varchar(32)')
    .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('household_head_idx').on('household').columns(['org_unit_id', 'head_id_number']).execute();

  await withId(db, db.schema.createTable('import_batch'))
    .addColumn('org_unit_id', 'integer', (c) => c.notNull().references('org_unit.id'))
    .addColumn('user_id', 'integer', (c) => c.notNull().references('app_user.id'))
    .addColumn('file_name', 'varchar(255)', (c) => c.notNull())
    .addColumn('file_sha256', 'varchar(64)', (c) => c.notNull())
    .addColumn('mode', 'varchar(16)', (c) => c.notNull())
    .addColumn('status', 'varchar(16)', (c) => c.notNull())
    .addColumn('rows_total', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('rows_imported', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('rows_rejected', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('rows_unchanged', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('rejects_json', 'text')
    .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
    .addColumn('finished_at', 'varchar(32)')
    .execute();

  let t = withId(db, db.schema.createTable('registration'))
    .addColumn('org_unit_id', 'integer', (c) => c.notNull().references('org_unit.id'))
    // Denormalised for scoping and statistics: the unit's path and its district.
    .addColumn('org_path', 'varchar(200)', (c) => c.notNull())
    .addColumn('district_id', 'integer', (c) => c.references('org_unit.id'))
    .addColumn('household_id', 'integer', (c) => c.references('household.id'))
    .addColumn('id_type', 'varchar(2)', (c) => c.notNull().defaultTo('01'))
    .addColumn('id_number', 'varchar(32)', (c) => c.notNull())
    .addColumn('name', 'varchar(60)', (c) => c.notNull())
    .addColumn('sex', 'varchar(1)')
    .addColumn('ethnicity', 'varchar(2)')
    .addColumn('birth_date', 'varchar(10)')
    .addColumn('relation_to_head', 'varchar(2)')
    .addColumn('hukou_type', 'varchar(2)')
    .addColumn('hukou_address', 'varchar(200)')
    .addColumn('residence_address', 'varchar(200)')
    .addColumn('phone', 'varchar(32)')
    .addColumn('person_category', 'varchar(2)')
    .addColumn('employer', 'varchar(100)');
  for (const type of INSURANCE_TYPES) {
    t = t
      .addColumn(`ins_${type}_status`, 'varchar(1)')
      .addColumn(`ins_${type}_place`, 'varchar(100)')
      .addColumn(`ins_${type}_since`, 'varchar(7)');
  }
  await t
    .addColumn('uninsured_reason', 'varchar(2)')
    .addColumn('uninsured_note', 'varchar(200)')
    .addColumn('willingness', 'varchar(1)')
    .addColumn('guardian_name', 'varchar(60)')
    .addColumn('guardian_id_number', 'varchar(32)')
    .addColumn('guardian_phone', 'varchar(32)')
    .addColumn('survey_date', 'varchar(10)')
    .addColumn('surveyor_name', 'varchar(60)')
    .addColumn('remarks', 'varchar(500)')
    // Validation state: all rules passed, and the reasons when not (JSON list of {field, code, message}).
    .addColumn('is_valid', 'integer', (c) => c.notNull())
    .addColumn('errors_json', 'text')
    // Duplicates: one ID number is one person; exactly one valid record per ID number is counted.
    .addColumn('is_counted', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('counted_by_city', 'integer', (c) => c.notNull().defaultTo(0))
    // Entry metadata.
    .addColumn('entered_by', 'integer', (c) => c.notNull().references('app_user.id'))
    .addColumn('entered_at', 'varchar(32)', (c) => c.notNull())
    .addColumn('entry_source', 'varchar(16)', (c) => c.notNull())
    .addColumn('import_batch_id', 'integer', (c) => c.references('import_batch.id'))
    .addColumn('updated_at', 'varchar(32)', (c) => c.notNull())
    .addColumn('deleted_at', 'varchar(32)')
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();

  await db.schema.createIndex('registration_id_number_idx').on('registration').column('id_number').execute();
  await db.schema.createIndex('registration_scope_idx').on('registration').columns(['org_path', 'id']).execute();
  await db.schema.createIndex('registration_district_idx').on('registration').columns(['district_id', 'is_counted']).execute();
  await db.schema.createIndex('registration_entered_idx').on('registration').columns(['entered_at']).execute();
  // At most one counted record per person, whatever the district (SPEC: never counted twice).
  await sql`CREATE UNIQUE INDEX registration_counted_uq ON registration (id_number) WHERE is_counted = 1`.execute(db);

  // Every change to a record is kept: who, when, old → new (SPEC §1).
  await withId(db, db.schema.createTable('registration_history'))
    .addColumn('registration_id', 'integer', (c) => c.notNull().references('registration.id'))
    .addColumn('at', 'varchar(32)', (c) => c.notNull())
    .addColumn('user_id', 'integer')
    .addColumn('action', 'varchar(16)', (c) => c.notNull())
    .addColumn('changes_json', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('registration_history_reg_idx').on('registration_history').column('registration_id').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const t of ['registration_history', 'registration', 'import_batch', 'household']) {
    await db.schema.dropTable(t).ifExists().execute();
  }
}
