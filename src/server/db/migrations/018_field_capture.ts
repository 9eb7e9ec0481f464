// Frozen in time. Field capture (入户调查, issue 15): a district admin assigns surveyors to
// communities (surveyor_assignment), and every record a phone uploads carries a client-generated
// id; field_upload keeps the outcome of each id once it created or changed a record, so the same
// upload sent again creates nothing and gets the same answer (SPEC "Field capture").
import type { Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('surveyor_assignment')
    .addColumn('user_id', 'integer', (c) => c.notNull().references('app_user.id'))
    .addColumn('org_unit_id', 'integer', (c) => c.notNull().references('org_unit.id'))
    .addColumn('assigned_by', 'integer', (c) => c.notNull().references('app_user.id'))
    .addColumn('assigned_at', 'varchar(32)', (c) => c.notNull())
    .addPrimaryKeyConstraint('surveyor_assignment_pk', ['user_id', 'org_unit_id'])
    .execute();
  await db.schema.createIndex('surveyor_assignment_unit_idx').on('surveyor_assignment').column('org_unit_id').execute();
  await db.schema
    .createTable('field_upload')
    .addColumn('client_id', 'varchar(36)', (c) => c.primaryKey())
    .addColumn('user_id', 'integer', (c) => c.notNull().references('app_user.id'))
    .addColumn('registration_id', 'integer', (c) => c.references('registration.id'))
    .addColumn('outcome', 'varchar(16)', (c) => c.notNull())
    .addColumn('result_json', 'text', (c) => c.notNull())
    .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('field_upload').execute();
  await db.schema.dropIndex('surveyor_assignment_unit_idx').execute();
  await db.schema.dropTable('surveyor_assignment').execute();
}
