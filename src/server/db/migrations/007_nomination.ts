// Frozen in time. Nominations of outstanding individuals (先进个人, seed 五, 附件3): a unit's form per
// person, its submission within the unit's quota, the city's evaluation.
import { type Kysely, type CreateTableBuilder } from 'kysely';
import { PostgresAdapter } from 'kysely';

function withId<T extends string>(db: Kysely<any>, t: CreateTableBuilder<T, never>): CreateTableBuilder<T, 'id'> {
  return db.getExecutor().adapter instanceof PostgresAdapter
    ? t.addColumn('id', 'integer', (c) => c.primaryKey().generatedByDefaultAsIdentity())
    : t.addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement());
}

export async function up(db: Kysely<any>): Promise<void> {
  await withId(db, db.schema.createTable('nomination'))
    .addColumn('campaign_id', 'integer', (c) => c.notNull().references('campaign.id'))
    .addColumn('org_unit_id', 'integer', (c) => c.notNull().references('org_unit.id'))
    .addColumn('name', 'varchar(60)', (c) => c.notNull())
    .addColumn('phone', 'varchar(32)', (c) => c.notNull())
    .addColumn('work_unit', 'varchar(100)', (c) => c.notNull())
    .addColumn('position', 'varchar(60)', (c) => c.notNull())
    .addColumn('deeds', 'text', (c) => c.notNull())
    .addColumn('linked_user_id', 'integer', (c) => c.references('app_user.id'))
    .addColumn('unit_opinion', 'varchar(1000)', (c) => c.notNull().defaultTo(''))
    .addColumn('unit_opinion_date', 'varchar(10)')
    .addColumn('status', 'varchar(16)', (c) => c.notNull())
    .addColumn('submitted_at', 'varchar(32)')
    .addColumn('city_opinion', 'varchar(1000)')
    .addColumn('city_opinion_date', 'varchar(10)')
    .addColumn('evaluated_by', 'integer', (c) => c.references('app_user.id'))
    .addColumn('created_by', 'integer', (c) => c.notNull().references('app_user.id'))
    .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
    .addColumn('updated_at', 'varchar(32)', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema.createIndex('nomination_unit_idx').on('nomination').columns(['campaign_id', 'org_unit_id', 'status']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('nomination').ifExists().execute();
}
