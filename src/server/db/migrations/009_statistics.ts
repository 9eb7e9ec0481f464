// Frozen in time. Statistics maintained as records change (issue 7): two small tables the
// statistics read instead of the millions of records —
//   stat_daily (unit, Shanghai day of entry, who entered, valid, counted) → n
//   stat_dim   (unit, valid, counted, dimension, value) → n  (dimension 'error': a field with a problem)
// for the live (not deleted) records, kept by triggers on registration for every write path. An
// import's own new rows are left to the import (it adds them in one pass at its end): the triggers
// skip rows of the batch named in stat_control (SQLite) or the transaction setting
// canbao.bulk_batch (PostgreSQL). Existing records are counted into the tables here.
import { sql, type Kysely } from 'kysely';
import { PostgresAdapter } from 'kysely';

/** dimension → SQL expression over a registration row `r` (NULL → ''). */
const DIMS: Array<[string, (r: string) => string]> = [
  ['sex', (r) => `coalesce(${r}.sex, '')`],
  ['category', (r) => `coalesce(${r}.person_category, '')`],
  ['hukou', (r) => `coalesce(${r}.hukou_type, '')`],
  ['birth_year', (r) => `coalesce(substr(${r}.birth_date, 1, 4), '')`],
  ['reason', (r) => `coalesce(${r}.uninsured_reason, '')`],
  ['willing', (r) => `coalesce(${r}.willingness, '')`],
  ...['110', '120', '170', '210', '310', '390', '410', '510'].map((t): [string, (r: string) => string] => [`ins${t}`, (r) => `coalesce(${r}.ins_${t}_status, '')`]),
  // who surveyed (the paper form's 采集人): the work statistics per surveyor
  ['surveyor', (r) => `coalesce(${r}.surveyor_name, '')`],
];

function dimSelect(r: string, pg: boolean, sign: string): string {
  const plain = DIMS.map(([d, e]) => `select '${d}' as dim, ${e(r)} as value`).join(' union all ');
  const errors = pg
    ? `select distinct 'error', e->>'field' from jsonb_array_elements(coalesce(${r}.errors_json, '[]')::jsonb) e`
    : `select distinct 'error', json_extract(value, '$.field') from json_each(coalesce(${r}.errors_json, '[]'))`;
  return `select ${r}.org_unit_id, ${r}.is_valid, ${r}.is_counted, d.dim, d.value, ${sign} from (${plain} union all ${errors}) d`;
}

function day(r: string, pg: boolean): string {
  return pg ? `to_char((${r}.entered_at::timestamptz at time zone 'Asia/Shanghai'), 'YYYY-MM-DD')` : `date(${r}.entered_at, '+8 hours')`;
}

export async function up(db: Kysely<any>): Promise<void> {
  const pg = db.getExecutor().adapter instanceof PostgresAdapter;
  await db.schema
    .createTable('stat_daily')
    .addColumn('org_unit_id', 'integer', (c) => c.notNull())
    .addColumn('day', 'varchar(10)', (c) => c.notNull())
    .addColumn('entered_by', 'integer', (c) => c.notNull())
    .addColumn('is_valid', 'integer', (c) => c.notNull())
    .addColumn('is_counted', 'integer', (c) => c.notNull())
    .addColumn('n', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('stat_daily_pk', ['org_unit_id', 'day', 'entered_by', 'is_valid', 'is_counted'])
    .execute();
  await db.schema
    .createTable('stat_dim')
    .addColumn('org_unit_id', 'integer', (c) => c.notNull())
    .addColumn('is_valid', 'integer', (c) => c.notNull())
    .addColumn('is_counted', 'integer', (c) => c.notNull())
    .addColumn('dim', 'varchar(16)', (c) => c.notNull())
    .addColumn('value', 'varchar(60)', (c) => c.notNull())
    .addColumn('n', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('stat_dim_pk', ['org_unit_id', 'dim', 'value', 'is_valid', 'is_counted'])
    .execute();

  // 登记目标人数 per unit (entered or imported), for the coverage (登记率).
  await db.schema
    .createTable('population_target')
    .addColumn('org_unit_id', 'integer', (c) => c.primaryKey().references('org_unit.id'))
    .addColumn('target', 'integer', (c) => c.notNull())
    .addColumn('updated_by', 'integer', (c) => c.notNull().references('app_user.id'))
    .addColumn('updated_at', 'varchar(32)', (c) => c.notNull())
    .execute();

  const dailyUpsert = (r: string, sign: string) =>
    `insert into stat_daily (org_unit_id, day, entered_by, is_valid, is_counted, n) values (${r}.org_unit_id, ${day(r, pg)}, ${r}.entered_by, ${r}.is_valid, ${r}.is_counted, ${sign})
     on conflict (org_unit_id, day, entered_by, is_valid, is_counted) do update set n = stat_daily.n + excluded.n`;
  const dimUpsert = (r: string, sign: string) =>
    `insert into stat_dim (org_unit_id, is_valid, is_counted, dim, value, n) ${dimSelect(r, pg, sign)} where true
     on conflict (org_unit_id, dim, value, is_valid, is_counted) do update set n = stat_dim.n + excluded.n`;

  if (pg) {
    await sql
      .raw(
        `create function stat_apply(r registration, sign integer) returns void language plpgsql as $$
         begin
           if r.deleted_at is not null then return; end if;
           ${dailyUpsert('r', 'sign')};
           ${dimUpsert('r', 'sign')};
         end $$`,
      )
      .execute(db);
    await sql
      .raw(
        `create function stat_registration() returns trigger language plpgsql as $$
         declare bulk text := coalesce(current_setting('canbao.bulk_batch', true), '');
         begin
           if tg_op in ('UPDATE', 'DELETE') and (bulk = '' or old.import_batch_id is distinct from bulk::integer) then perform stat_apply(old, -1); end if;
           if tg_op in ('INSERT', 'UPDATE') and (bulk = '' or new.import_batch_id is distinct from bulk::integer) then perform stat_apply(new, 1); end if;
           return null;
         end $$`,
      )
      .execute(db);
    await sql`create trigger stat_registration after insert or update or delete on registration for each row execute function stat_registration()`.execute(db);
  } else {
    await sql`create table stat_control (id integer primary key, bulk_batch_id integer)`.execute(db);
    await sql`insert into stat_control (id, bulk_batch_id) values (1, null)`.execute(db);
    const notBulk = (r: string) => `coalesce((select bulk_batch_id from stat_control where id = 1), -1) <> coalesce(${r}.import_batch_id, -2)`;
    const apply = (r: string, sign: string) => `${dailyUpsert(r, sign)};\n ${dimUpsert(r, sign)};`;
    await sql.raw(`create trigger stat_registration_insert after insert on registration when new.deleted_at is null and ${notBulk('new')} begin ${apply('new', '1')} end`).execute(db);
    await sql.raw(`create trigger stat_registration_delete after delete on registration when old.deleted_at is null and ${notBulk('old')} begin ${apply('old', '-1')} end`).execute(db);
    // An update: the old row out, the new row in (each only when live).
    await sql.raw(`create trigger stat_registration_update_old after update on registration when old.deleted_at is null and ${notBulk('old')} begin ${apply('old', '-1')} end`).execute(db);
    await sql.raw(`create trigger stat_registration_update_new after update on registration when new.deleted_at is null and ${notBulk('new')} begin ${apply('new', '1')} end`).execute(db);
  }

  // The records already there.
  await sql
    .raw(
      `insert into stat_daily (org_unit_id, day, entered_by, is_valid, is_counted, n)
       select r.org_unit_id, ${day('r', pg)}, r.entered_by, r.is_valid, r.is_counted, count(*) from registration r where r.deleted_at is null
       group by r.org_unit_id, ${day('r', pg)}, r.entered_by, r.is_valid, r.is_counted`,
    )
    .execute(db);
  for (const [d, e] of DIMS) {
    await sql
      .raw(
        `insert into stat_dim (org_unit_id, is_valid, is_counted, dim, value, n)
         select r.org_unit_id, r.is_valid, r.is_counted, '${d}', ${e('r')}, count(*) from registration r where r.deleted_at is null
         group by r.org_unit_id, r.is_valid, r.is_counted, ${e('r')}`,
      )
      .execute(db);
  }
  const errorCodes = `registration r cross join lateral (select distinct e->>'field' as code from jsonb_array_elements(coalesce(r.errors_json, '[]')::jsonb) e) c`;
  await sql
    .raw(
      pg
        ? `insert into stat_dim (org_unit_id, is_valid, is_counted, dim, value, n)
           select r.org_unit_id, r.is_valid, r.is_counted, 'error', c.code, count(*) from ${errorCodes} where r.deleted_at is null
           group by r.org_unit_id, r.is_valid, r.is_counted, c.code`
        : `insert into stat_dim (org_unit_id, is_valid, is_counted, dim, value, n)
           select r.org_unit_id, r.is_valid, r.is_counted, 'error', json_extract(j.value, '$.field'), count(distinct r.id)
           from registration r, json_each(coalesce(r.errors_json, '[]')) j where r.deleted_at is null
           group by r.org_unit_id, r.is_valid, r.is_counted, json_extract(j.value, '$.field')`,
    )
    .execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  const pg = db.getExecutor().adapter instanceof PostgresAdapter;
  if (pg) {
    await sql`drop trigger if exists stat_registration on registration`.execute(db);
    await sql`drop function if exists stat_registration()`.execute(db);
    await sql`drop function if exists stat_apply(registration, integer)`.execute(db);
  } else {
    for (const t of ['insert', 'delete', 'update_old', 'update_new']) await sql.raw(`drop trigger if exists stat_registration_${t}`).execute(db);
    await sql`drop table if exists stat_control`.execute(db);
  }
  await db.schema.dropTable('population_target').ifExists().execute();
  await db.schema.dropTable('stat_dim').ifExists().execute();
  await db.schema.dropTable('stat_daily').ifExists().execute();
}
