// How many records the list's filters match (issue 14: "the total for the current filter, counted
// from the statistics tables where possible, else an estimate labelled so"). The statistics tables
// (migration 009) hold, per unit, validity and counted flag, the live records by one value of each
// dimension (stat_dim) and by Shanghai day of entry (stat_daily), so a filter on at most one of
// them is an exact sum of a few rows whatever the unit's size. A search term, selected ids, or a
// small unit are counted on the records themselves; several dimensions at once on a large unit are
// estimated from the tables as if independent, and said to be an estimate.
import { sql, type RawBuilder } from 'kysely';
import type { AnyDb } from '../db/dialect.js';
import { escapeLike } from '../db/dialect.js';
import type { RegistrationCount } from '../../shared/api-registration.js';
import { applyFilter, liveRegistrations, type RegistrationFilter } from './store.js';

/** A search by name stops counting here and says "at least". */
export const COUNT_CAP = 10_000;
/** Up to this many records in the unit (with the validity filters), several dimensions are counted on the records. */
const DIRECT_BELOW = 20_000;

type DimFilter = { dim: string; value: RawBuilder<boolean> };

const v = (s: string) => sql<boolean>`s.value = ${s}`;
const codeOrNone = (code: string | null) => v(code ?? '');

/** The filter's conditions on one stat_dim dimension each. */
function dimFilters(f: RegistrationFilter): DimFilter[] {
  const out: DimFilter[] = [];
  const coded: Record<string, string> = { sex: 'sex', hukou_type: 'hukou', uninsured_reason: 'reason', willingness: 'willing', person_category: 'category' };
  for (const [column, value] of Object.entries(f.coded ?? {})) out.push({ dim: coded[column]!, value: codeOrNone(value ?? null) });
  if (f.personCategory) out.push({ dim: 'category', value: codeOrNone(f.personCategory === 'none' ? null : f.personCategory) });
  if (f.insurance) out.push({ dim: `ins${f.insurance.type}`, value: codeOrNone(f.insurance.status === 'none' ? null : f.insurance.status) });
  if (f.birthUnknown) out.push({ dim: 'birth_year', value: v('') });
  else if (f.birthYearFrom !== undefined || f.birthYearTo !== undefined) {
    out.push({ dim: 'birth_year', value: sql<boolean>`s.value <> '' and s.value >= ${String(f.birthYearFrom ?? 0).padStart(4, '0')} and s.value <= ${String(f.birthYearTo ?? 9999)}` });
  }
  if (f.errorField) out.push({ dim: 'error', value: v(f.errorField) });
  if (f.surveyor) out.push({ dim: 'surveyor', value: sql<boolean>`s.value like ${escapeLike(f.surveyor) + '%'} escape '\\'` });
  return out;
}

/** Validity, counted flag and "invalid with a problem in a field" as conditions on the tables' flags. */
function flags(f: RegistrationFilter): RawBuilder<boolean> {
  const parts = [sql<boolean>`1 = 1`];
  if (f.valid !== undefined) parts.push(sql<boolean>`s.is_valid = ${f.valid ? 1 : 0}`);
  if (f.duplicate === true) parts.push(sql<boolean>`s.is_valid = 1 and s.is_counted = 0`);
  if (f.duplicate === false) parts.push(sql<boolean>`s.is_counted = 1`);
  if (f.errorField) parts.push(sql<boolean>`s.is_valid = 0`);
  return sql<boolean>`${sql.join(parts, sql` and `)}`;
}

async function dimSum(db: AnyDb, f: RegistrationFilter, d: DimFilter): Promise<number> {
  const r = await sql<{ n: number | string | null }>`
    select sum(s.n) as n from stat_dim s join org_unit o on o.id = s.org_unit_id
    where o.path like ${escapeLike(f.unitPath) + '%'} escape '\\' and s.dim = ${d.dim} and ${d.value} and ${flags(f)}`.execute(db);
  return Number(r.rows[0]?.n ?? 0);
}

async function daySum(db: AnyDb, f: RegistrationFilter, days: EntryDays): Promise<number> {
  const r = await sql<{ n: number | string | null }>`
    select sum(s.n) as n from stat_daily s join org_unit o on o.id = s.org_unit_id
    where o.path like ${escapeLike(f.unitPath) + '%'} escape '\\'
      and s.day >= ${days.from ?? '0000-00-00'} and s.day <= ${days.to ?? '9999-99-99'} and ${flags(f)}`.execute(db);
  return Number(r.rows[0]?.n ?? 0);
}

/** Counted on the records, stopping after `cap`. */
async function directCount(db: AnyDb, f: RegistrationFilter, cap: number): Promise<number> {
  const scoped = f.districtId !== undefined ? liveRegistrations(db, null).where('registration.district_id', '=', f.districtId) : liveRegistrations(db, f.unitPath);
  const limited = applyFilter(scoped, f).clearSelect().select('registration.id').limit(cap + 1);
  const r = await db.selectFrom(limited.as('m')).select((eb) => eb.fn.countAll<number | string>().as('n')).executeTakeFirst();
  return Number(r?.n ?? 0);
}

/** The entry-date filter as Shanghai days (YYYY-MM-DD, inclusive), as stat_daily keeps them. */
export type EntryDays = { from?: string | undefined; to?: string | undefined };

/** `directBelow`: tests lower it to reach the estimate with a few records. */
export async function countRegistrations(db: AnyDb, f: RegistrationFilter, days: EntryDays, opts: { directBelow: number } = { directBelow: DIRECT_BELOW }): Promise<RegistrationCount> {
  if (f.idNumber || f.name || f.ids || f.insured !== undefined) {
    const n = await directCount(db, f, COUNT_CAP);
    return n > COUNT_CAP ? { total: COUNT_CAP, kind: 'atLeast' } : { total: n, kind: 'exact' };
  }
  const dims = dimFilters(f);
  const dated = days.from !== undefined || days.to !== undefined;
  // Every live record has exactly one 'sex' row: the unit's total under the flags.
  const base = await dimSum(db, f, { dim: 'sex', value: sql<boolean>`1 = 1` });
  if (dims.length === 0 && !dated) return { total: base, kind: 'exact' };
  if (dims.length === 1 && !dated) return { total: await dimSum(db, f, dims[0]!), kind: 'exact' };
  if (dims.length === 0) return { total: await daySum(db, f, days), kind: 'exact' };
  if (base <= opts.directBelow) return { total: await directCount(db, f, base), kind: 'exact' };
  let estimate = base;
  for (const d of dims) estimate *= (await dimSum(db, f, d)) / base;
  if (dated) estimate *= (await daySum(db, f, days)) / base;
  return { total: Math.round(estimate), kind: 'estimate' };
}
