// Statistics by org unit (汇总分析, issue 7 items 1–2): read from the tables the triggers keep
// (stat_dim, stat_daily — migration 009), never from the millions of records, and rolled up the
// org tree in memory (a few thousand units). Rows are the children of the chosen unit (the city's
// districts, a district's streets, a street's communities); every figure covers only the caller's
// subtree.
import { sql } from 'kysely';
import type { AppCtx } from '../context.js';
import type { AuthInfo } from '../auth/access.js';
import { inSubtree, type AnyDb } from '../db/dialect.js';
import type { OrgUnitRow } from '../db/schema.js';
import { AGE_BANDS, STAT_DIMENSION_LABELS, type Pivot, type StatDimension, type StatMeasure, type StatRow, type StatisticsOverview } from '../../shared/api-statistics.js';
import { HUKOU_TYPE, INSURANCE_STATUS, PERSON_CATEGORY, SEX, UNINSURED_REASON, WILLINGNESS, type CodeTable } from '../../shared/codes/index.js';
import { REGISTRATION_FIELDS } from '../../shared/registration.js';
import { audited } from '../audit/audited.js';
import { recordAudit } from '../audit/store.js';
import { invalidInput, notFound } from '../errors.js';
import { dayEnd, nowIso, todayShanghai } from '../clock.js';
import { getOrgUnit, inScope, pathPrefixFilter } from '../orgs/store.js';
import { ROLE_LABELS, type Role } from '../../shared/roles.js';

const STATS_LEVELS = new Set(['city', 'district', 'street', 'community']);

/** The unit asked for (in scope, else 404) or the caller's own root; its subtree's units. */
async function resolveUnit(db: AnyDb, auth: AuthInfo, orgUnitId: number | undefined): Promise<{ unit: OrgUnitRow; units: OrgUnitRow[] }> {
  let unit: OrgUnitRow | undefined;
  if (orgUnitId !== undefined) unit = await getOrgUnit(db, orgUnitId);
  else if (auth.scope.isCity) unit = await db.selectFrom('org_unit').selectAll().where('level', '=', 'city').orderBy('id').executeTakeFirst();
  else unit = auth.orgUnit;
  if (!unit || !inScope(auth.scope, unit.path) || !STATS_LEVELS.has(unit.level)) throw notFound('单位不存在');
  const units = await db.selectFrom('org_unit').selectAll().where(pathPrefixFilter(unit.path)).execute();
  return { unit, units };
}

/** unit id → the row it rolls up to: the child of `unit` on its path (a community's own row is itself). */
function rowKeys(unit: OrgUnitRow, units: OrgUnitRow[]) {
  const rows = units.filter((u) => Number(u.parent_id) === Number(unit.id) && STATS_LEVELS.has(u.level)).sort((a, b) => a.code.localeCompare(b.code));
  const list = rows.length ? rows : [unit];
  const depth = unit.path.split('/').filter(Boolean).length;
  const rowOf = new Map<number, number>();
  for (const u of units) {
    const ids = u.path.split('/').filter(Boolean).map(Number);
    const key = rows.length ? ids[depth] : Number(unit.id);
    if (key !== undefined) rowOf.set(Number(u.id), key);
  }
  return { rows: list, rowOf };
}

type Acc = { registered: number; valid: number; counted: number };
const empty = (): Acc => ({ registered: 0, valid: 0, counted: 0 });

async function targetsOf(db: AnyDb, units: OrgUnitRow[]): Promise<Map<number, number>> {
  const ids = units.map((u) => Number(u.id));
  const rows = ids.length ? await db.selectFrom('population_target').select(['org_unit_id', 'target']).where('org_unit_id', 'in', ids).execute() : [];
  return new Map(rows.map((r) => [Number(r.org_unit_id), Number(r.target)]));
}

/**
 * A unit's target: its own, else the sum of the topmost targeted units below it, with the counted
 * persons of exactly those units (so the coverage compares like with like).
 */
function targetOf(u: OrgUnitRow, units: OrgUnitRow[], own: Map<number, number>, countedByUnit: Map<number, number>): { target: number | null; source: 'own' | 'children' | null; counted: number | null } {
  const countedUnder = (path: string) => units.filter((d) => d.path.startsWith(path)).reduce((a, d) => a + (countedByUnit.get(Number(d.id)) ?? 0), 0);
  const mine = own.get(Number(u.id));
  if (mine !== undefined) return { target: mine, source: 'own', counted: null };
  const tops = units.filter((d) => d.id !== u.id && d.path.startsWith(u.path) && own.has(Number(d.id)) && !units.some((a) => a.id !== d.id && a.id !== u.id && d.path.startsWith(a.path) && a.path.startsWith(u.path) && own.has(Number(a.id))));
  if (!tops.length) return { target: null, source: null, counted: null };
  return { target: tops.reduce((a, d) => a + own.get(Number(d.id))!, 0), source: 'children', counted: tops.reduce((a, d) => a + countedUnder(d.path), 0) };
}

function statRow(u: OrgUnitRow, a: Acc, t: { target: number | null; source: 'own' | 'children' | null; counted: number | null }): StatRow {
  const target = t.target;
  const covered = t.counted ?? a.counted;
  return {
    orgUnitId: Number(u.id),
    orgUnitName: u.name,
    level: u.level,
    registered: a.registered,
    valid: a.valid,
    invalid: a.registered - a.valid,
    counted: a.counted,
    duplicates: a.valid - a.counted,
    target,
    targetSource: t.source,
    coveragePermille: target ? Math.round((covered * 1000) / target) : null,
  };
}

const unitView = (u: OrgUnitRow) => ({ orgUnitId: Number(u.id), orgUnitName: u.name, level: u.level, parentId: u.parent_id === null ? null : Number(u.parent_id) });

/** Registered / valid / counted per row: today from stat_dim (one dimension sums to all), or as of a day from stat_daily. */
export async function statisticsOverview(db: AnyDb, auth: AuthInfo, q: { orgUnitId?: number | undefined; asOf?: string | undefined }): Promise<StatisticsOverview> {
  const { unit, units } = await resolveUnit(db, auth, q.orgUnitId);
  const { rows, rowOf } = rowKeys(unit, units);
  const ids = units.map((u) => Number(u.id));
  const acc = new Map<number, Acc>(rows.map((r) => [Number(r.id), empty()]));
  const countedByUnit = new Map<number, number>();
  const add = (unitId: number, valid: number, counted: number, n: number) => {
    if (valid && counted) countedByUnit.set(unitId, (countedByUnit.get(unitId) ?? 0) + n);
    const a = acc.get(rowOf.get(unitId) ?? -1);
    if (!a) return;
    a.registered += n;
    if (valid) a.valid += n;
    if (valid && counted) a.counted += n;
  };
  if (q.asOf) {
    const rs = await db
      .selectFrom('stat_daily')
      .select(['org_unit_id', 'is_valid', 'is_counted', (eb) => eb.fn.sum<number>('n').as('n')])
      .where('org_unit_id', 'in', ids)
      .where('day', '<=', q.asOf)
      .groupBy(['org_unit_id', 'is_valid', 'is_counted'])
      .execute();
    for (const r of rs) add(Number(r.org_unit_id), Number(r.is_valid), Number(r.is_counted), Number(r.n));
  } else {
    const rs = await db.selectFrom('stat_dim').select(['org_unit_id', 'is_valid', 'is_counted', (eb) => eb.fn.sum<number>('n').as('n')]).where('org_unit_id', 'in', ids).where('dim', '=', 'sex').groupBy(['org_unit_id', 'is_valid', 'is_counted']).execute();
    for (const r of rs) add(Number(r.org_unit_id), Number(r.is_valid), Number(r.is_counted), Number(r.n));
  }
  const own = await targetsOf(db, units);
  const total = empty();
  for (const a of acc.values()) {
    total.registered += a.registered;
    total.valid += a.valid;
    total.counted += a.counted;
  }
  return {
    unit: unitView(unit),
    asOf: q.asOf ?? null,
    rows: rows.map((r) => statRow(r, acc.get(Number(r.id))!, targetOf(r, units, own, countedByUnit))),
    total: statRow(unit, total, targetOf(unit, units, own, countedByUnit)),
  };
}

const CODE_TABLES: Partial<Record<StatDimension, CodeTable>> = {
  sex: SEX,
  category: PERSON_CATEGORY,
  hukou: HUKOU_TYPE,
  reason: UNINSURED_REASON,
  willing: WILLINGNESS,
  ...Object.fromEntries(['110', '120', '170', '210', '310', '390', '410', '510'].map((t) => [`ins${t}`, INSURANCE_STATUS])),
};
const FIELD_LABELS = new Map(REGISTRATION_FIELDS.map((f) => [f.key as string, f.label]));

/** The columns of a dimension: the code table's values in order, then any other value seen, then 未填. */
function columnsOf(dim: StatDimension, seen: Set<string>): Array<{ value: string; label: string }> {
  if (dim === 'age') return [...AGE_BANDS.map((b) => ({ value: b.code, label: b.label })), { value: '', label: '未填' }];
  const table = CODE_TABLES[dim];
  const cols = table ? table.entries.map((e) => ({ value: e.code, label: e.label })) : [];
  const known = new Set(cols.map((c) => c.value));
  for (const v of [...seen].sort()) if (v !== '' && !known.has(v)) cols.push({ value: v, label: dim === 'error' ? (FIELD_LABELS.get(v) ?? v) : v });
  if (dim !== 'error') cols.push({ value: '', label: '未填' });
  return cols;
}

function ageBandOf(birthYear: string, year: number): string {
  const y = Number(birthYear);
  if (!birthYear || !Number.isInteger(y)) return '';
  const age = year - y;
  return AGE_BANDS.find((b) => age >= b.min && age <= b.max)?.code ?? '';
}

/** A pivot table: the rows' units × the values of one dimension, of one measure, with totals. */
/** The registration column (SQL) of a dimension, for the as-of pivot read from the records. */
const DIM_COLUMNS: Partial<Record<StatDimension, string>> = {
  sex: 'sex',
  category: 'person_category',
  hukou: 'hukou_type',
  age: 'substr(birth_date, 1, 4)',
  reason: 'uninsured_reason',
  willing: 'willingness',
  ...Object.fromEntries(['110', '120', '170', '210', '310', '390', '410', '510'].map((t) => [`ins${t}`, `ins_${t}_status`])),
};

/**
 * As of a day the figures are counted over the records themselves (entered by the end of that day,
 * in their current state): slower than today's tables, exact the same way.
 */
async function pivotRowsAsOf(db: AnyDb, unit: OrgUnitRow, q: { dim: StatDimension; measure: StatMeasure; asOf: string }): Promise<Array<{ org_unit_id: number; value: string; n: number }>> {
  const cut = dayEnd(q.asOf);
  let base = db.selectFrom('registration').where('deleted_at', 'is', null).where('entered_at', '<', cut).where('org_path', 'like', `${unit.path}%`);
  if (q.dim === 'error') {
    const rows = await base.select(['org_unit_id', 'errors_json']).where('is_valid', '=', 0).execute();
    const out = new Map<string, number>();
    for (const r of rows) for (const field of new Set((JSON.parse(r.errors_json ?? '[]') as Array<{ field: string }>).map((e) => e.field))) out.set(`${r.org_unit_id}|${field}`, (out.get(`${r.org_unit_id}|${field}`) ?? 0) + 1);
    return [...out].map(([k, n]) => ({ org_unit_id: Number(k.split('|')[0]), value: k.split('|').slice(1).join('|'), n }));
  }
  if (q.measure !== 'registered') base = base.where('is_valid', '=', 1);
  if (q.measure === 'counted') base = base.where('is_counted', '=', 1);
  const value = sql<string>`coalesce(${sql.raw(DIM_COLUMNS[q.dim]!)}, '')`;
  const rows = await base.select(['org_unit_id', value.as('value'), (eb) => eb.fn.countAll<number>().as('n')]).groupBy(['org_unit_id', value]).execute();
  return rows.map((r) => ({ org_unit_id: Number(r.org_unit_id), value: r.value, n: Number(r.n) }));
}

export async function pivotTable(db: AnyDb, auth: AuthInfo, q: { orgUnitId?: number | undefined; dim: StatDimension; measure: StatMeasure; asOf?: string | undefined }): Promise<Pivot> {
  const { unit, units } = await resolveUnit(db, auth, q.orgUnitId);
  const { rows, rowOf } = rowKeys(unit, units);
  const ids = units.map((u) => Number(u.id));
  const source = q.dim === 'age' ? 'birth_year' : q.dim;
  let query = db.selectFrom('stat_dim').select(['org_unit_id', 'value', (eb) => eb.fn.sum<number>('n').as('n')]).where('org_unit_id', 'in', ids).where('dim', '=', source);
  if (q.measure !== 'registered') query = query.where('is_valid', '=', 1);
  if (q.measure === 'counted') query = query.where('is_counted', '=', 1);
  if (q.dim === 'error') query = query.where('is_valid', '=', 0);
  const rs = q.asOf ? await pivotRowsAsOf(db, unit, { dim: q.dim, measure: q.measure, asOf: q.asOf }) : await query.groupBy(['org_unit_id', 'value']).execute();
  const year = Number((q.asOf ?? todayShanghai()).slice(0, 4));
  const cells = new Map<string, number>();
  const seen = new Set<string>();
  for (const r of rs) {
    const value = q.dim === 'age' ? ageBandOf(r.value, year) : r.value;
    seen.add(value);
    const key = `${rowOf.get(Number(r.org_unit_id))}|${value}`;
    cells.set(key, (cells.get(key) ?? 0) + Number(r.n));
  }
  const columns = columnsOf(q.dim, seen);
  const out = rows.map((u) => {
    const cs = columns.map((c) => cells.get(`${u.id}|${c.value}`) ?? 0);
    return { orgUnitId: Number(u.id), orgUnitName: u.name, level: u.level, cells: cs, total: cs.reduce((a, b) => a + b, 0) };
  });
  const totals = columns.map((_c, i) => out.reduce((a, r) => a + r.cells[i]!, 0));
  return { unit: unitView(unit), dim: q.dim, dimLabel: STAT_DIMENSION_LABELS[q.dim], measure: q.measure, year, asOf: q.asOf ?? null, columns, rows: out, totals, total: totals.reduce((a, b) => a + b, 0) };
}

/** Entries per Shanghai day and the running totals (registered, counted) against the target. */
export async function progressOf(db: AnyDb, auth: AuthInfo, q: { orgUnitId?: number | undefined }) {
  const { unit, units } = await resolveUnit(db, auth, q.orgUnitId);
  const rs = await db
    .selectFrom('stat_daily')
    .select(['day', (eb) => eb.fn.sum<number>('n').as('n'), sql<number>`sum(case when is_valid = 1 and is_counted = 1 then n else 0 end)`.as('counted')])
    .where('org_unit_id', 'in', units.map((u) => Number(u.id)))
    .groupBy('day')
    .orderBy('day')
    .execute();
  let registered = 0;
  let counted = 0;
  const days = rs
    .map((r) => {
      registered += Number(r.n);
      counted += Number(r.counted);
      return { day: r.day, entered: Number(r.n), registered, counted };
    })
    .filter((d) => d.entered !== 0);
  const campaign = await db.selectFrom('campaign').select('data_cutoff').where('status', '=', 'active').orderBy('year', 'desc').executeTakeFirst();
  return { unit: unitView(unit), days, target: targetOf(unit, units, await targetsOf(db, units), new Map()).target, dataCutoff: campaign?.data_cutoff ?? null };
}

/** Sets (or clears) a unit's target population; the unit's own admins and the city. */
export async function setTarget(ctx: AppCtx, auth: AuthInfo, orgUnitId: number, target: number | null): Promise<void> {
  await audited(ctx, auth.actor, 'statistics.target.set', async (trx) => {
    const unit = await getOrgUnit(trx, orgUnitId);
    if (!unit || !inScope(auth.scope, unit.path)) throw notFound('单位不存在');
    if (!STATS_LEVELS.has(unit.level)) throw invalidInput('只能为区、街道（镇）或社区（村）设置登记目标人数');
    const before = await trx.selectFrom('population_target').select('target').where('org_unit_id', '=', orgUnitId).executeTakeFirst();
    await trx.deleteFrom('population_target').where('org_unit_id', '=', orgUnitId).execute();
    if (target !== null) await trx.insertInto('population_target').values({ org_unit_id: orgUnitId, target, updated_by: Number(auth.user.id), updated_at: nowIso() }).execute();
    return { result: null, objectType: 'org_unit', objectId: orgUnitId, before: { target: before ? Number(before.target) : null }, after: { target } };
  });
}

/** Viewing statistics is work the assessment credits (汇总分析): recorded, once per request. */
export async function recordStatisticsView(ctx: AppCtx, auth: AuthInfo, what: string, orgUnitId: number): Promise<void> {
  await recordAudit(ctx.db, ctx.dialect, auth.actor, { event: 'statistics.view', objectType: 'org_unit', objectId: orgUnitId, after: { what } });
}

/** Per user who entered records (clerks, surveyors on phones) and per surveyor named on the forms. */
export async function workStatistics(db: AnyDb, auth: AuthInfo, q: { orgUnitId?: number | undefined }) {
  const { unit, units } = await resolveUnit(db, auth, q.orgUnitId);
  const ids = units.map((u) => Number(u.id));
  const campaign = await db.selectFrom('campaign').select('data_cutoff').where('status', '=', 'active').orderBy('year', 'desc').executeTakeFirst();
  const cutoff = campaign?.data_cutoff ?? null;
  const daily = await db
    .selectFrom('stat_daily')
    .select(['entered_by', 'day', 'is_valid', 'is_counted', (eb) => eb.fn.sum<number>('n').as('n')])
    .where('org_unit_id', 'in', ids)
    .groupBy(['entered_by', 'day', 'is_valid', 'is_counted'])
    .execute();
  type U = { entered: number; valid: number; counted: number; afterCutoff: number; days: Map<string, number> };
  const per = new Map<number, U>();
  for (const r of daily) {
    const n = Number(r.n);
    if (n === 0) continue;
    const u = per.get(Number(r.entered_by)) ?? { entered: 0, valid: 0, counted: 0, afterCutoff: 0, days: new Map<string, number>() };
    u.entered += n;
    if (Number(r.is_valid)) u.valid += n;
    if (Number(r.is_valid) && Number(r.is_counted)) u.counted += n;
    if (cutoff && r.day > cutoff) u.afterCutoff += n;
    u.days.set(r.day, (u.days.get(r.day) ?? 0) + n);
    per.set(Number(r.entered_by), u);
  }
  // Of those, the records uploaded from surveyors' phones: through their partial index (migration 019).
  const fromPhones = await sql<{ entered_by: number | string; n: number | string }>`
    select r.entered_by, count(*) as n from registration r
    where ${inSubtree(db, 'r.org_path', unit.path)} and r.entry_source = 'field' and r.deleted_at is null
    group by r.entered_by`.execute(db);
  const fieldOf = new Map(fromPhones.rows.map((r) => [Number(r.entered_by), Number(r.n)]));
  const userIds = [...per.keys()];
  const people = userIds.length
    ? await db.selectFrom('app_user as u').innerJoin('org_unit as o', 'o.id', 'u.org_unit_id').select(['u.id', 'u.display_name', 'u.role', 'o.name']).where('u.id', 'in', userIds).execute()
    : [];
  const checks = userIds.length
    ? await db
        .selectFrom('spot_check_record as c')
        .innerJoin('registration as r', 'r.id', 'c.registration_id')
        .select(['r.entered_by', 'c.result', (eb) => eb.fn.countAll<number>().as('n')])
        .where('r.org_unit_id', 'in', ids)
        .where('c.result', '!=', 'unchecked')
        .groupBy(['r.entered_by', 'c.result'])
        .execute()
    : [];
  const surveyorRows = await db
    .selectFrom('stat_dim')
    .select(['value', 'is_valid', 'is_counted', (eb) => eb.fn.sum<number>('n').as('n')])
    .where('org_unit_id', 'in', ids)
    .where('dim', '=', 'surveyor')
    .groupBy(['value', 'is_valid', 'is_counted'])
    .execute();
  const surveyors = new Map<string, { entered: number; valid: number; counted: number }>();
  for (const r of surveyorRows) {
    const s = surveyors.get(r.value) ?? { entered: 0, valid: 0, counted: 0 };
    const n = Number(r.n);
    s.entered += n;
    if (Number(r.is_valid)) s.valid += n;
    if (Number(r.is_valid) && Number(r.is_counted)) s.counted += n;
    surveyors.set(r.value, s);
  }
  return {
    unit: unitView(unit),
    dataCutoff: cutoff,
    users: people
      .map((p) => {
        const u = per.get(Number(p.id))!;
        const days = [...u.days].filter(([, n]) => n !== 0).sort(([a], [b]) => a.localeCompare(b)).map(([day, n]) => ({ day, n }));
        const mine = checks.filter((c) => Number(c.entered_by) === Number(p.id));
        return {
          userId: Number(p.id),
          displayName: p.display_name,
          roleLabel: ROLE_LABELS[p.role as Role] ?? p.role,
          orgUnitName: p.name,
          entered: u.entered,
          fieldEntered: fieldOf.get(Number(p.id)) ?? 0,
          valid: u.valid,
          counted: u.counted,
          validPermille: u.entered ? Math.round((u.valid * 1000) / u.entered) : null,
          firstDay: days[0]?.day ?? null,
          lastDay: days[days.length - 1]?.day ?? null,
          afterCutoff: u.afterCutoff,
          spotChecked: mine.reduce((a, c) => a + Number(c.n), 0),
          spotWrong: mine.filter((c) => c.result === 'wrong').reduce((a, c) => a + Number(c.n), 0),
          days,
        };
      })
      .sort((a, b) => b.entered - a.entered || a.displayName.localeCompare(b.displayName)),
    surveyors: [...surveyors]
      .filter(([, s]) => s.entered !== 0)
      .map(([name, s]) => ({ name: name || '（未填采集人）', ...s }))
      .sort((a, b) => b.entered - a.entered || a.name.localeCompare(b.name)),
  };
}
