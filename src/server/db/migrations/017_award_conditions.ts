// Frozen in time. The 申报条件 of the outstanding individuals (seed 五（一）) and the contact for
// submitted papers (五（三）: 联系人, 电话) become campaign data, and a nomination records, per
// condition of its campaign, how the person meets it (JSON arrays of strings, index-aligned with
// the campaign's conditions: conditions are rules, frozen once the campaign is active, and
// nominations exist only in active or closed campaigns). A nomination made before has no answers
// ('[]'): it still loads, and shows every condition as unanswered.
import type { Kysely } from 'kysely';

/** The regulation's text (2016). Every campaign before this migration was the 2016 one or a copy of
 *  it, and a copy would have carried these over: existing campaigns get them, so an active campaign
 *  (whose conditions can no longer be edited) is not left without any. */
const CONDITIONS_2016 = ['积极组织、宣传全民参保登记工作', '认真做好全民参保登记入户调查、数据录入等工作', '及时完成各项工作任务，成绩突出'];
const CONTACT_2016 = { name: '吴卫琴', phone: '88112733' };

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('campaign').addColumn('award_conditions', 'text', (c) => c.notNull().defaultTo('[]')).execute();
  await db.schema.alterTable('campaign').addColumn('contact_name', 'varchar(30)', (c) => c.notNull().defaultTo('')).execute();
  await db.schema.alterTable('campaign').addColumn('contact_phone', 'varchar(32)', (c) => c.notNull().defaultTo('')).execute();
  await db.schema.alterTable('nomination').addColumn('condition_answers', 'text', (c) => c.notNull().defaultTo('[]')).execute();
  await db
    .updateTable('campaign')
    .set({ award_conditions: JSON.stringify(CONDITIONS_2016), contact_name: CONTACT_2016.name, contact_phone: CONTACT_2016.phone })
    .where('award_conditions', '=', '[]')
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('nomination').dropColumn('condition_answers').execute();
  for (const c of ['contact_phone', 'contact_name', 'award_conditions']) await db.schema.alterTable('campaign').dropColumn(c).execute();
}
