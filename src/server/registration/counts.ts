// The valid count (有效数据, SPEC §1): distinct valid persons entered in a unit, each counted in one
// place only. It is the basis of the fee (seed 四(一) "实际录入人数以录入有效数据为依据"), so the
// breakdown that explains it comes with it.
import { sql } from 'kysely';
import type { AnyDb } from '../db/dialect.js';
import { escapeLike, inSubtree } from '../db/dialect.js';
import { dayEnd } from '../clock.js';

export type ValidCountBreakdown = {
  /** Records entered (not deleted) in the unit. */
  entered: number;
  /** Records failing at least one rule. */
  invalid: number;
  /** Valid records not counted here because the same person is counted in another record. */
  duplicates: number;
  /** Distinct valid persons counted in the unit: the fee basis. */
  validCount: number;
  invalidByReason: Array<{ code: string; count: number }>;
};


/**
 * Counts for the unit whose path is `unitPath` (its whole subtree). Without `asOf`, as of now
 * (the maintained is_counted flag). With `asOf` ('YYYY-MM-DD'), the records entered by the end of
 * that day, with the counted record of each person chosen among those by the same rule; validity
 * is the records' current state (edits after the day count).
 */
/**
 * "Alive at the cut" and "counted at the cut" for rows aliased `r` (now, without a cut). `cut` is the
 * exclusive end of the as-of day (clock.dayEnd): entered before it, not deleted before it.
 */
function asOfFragments(cut: string | null) {
  const alive = cut
    ? sql<boolean>`r.entered_at < ${cut} and (r.deleted_at is null or r.deleted_at >= ${cut})`
    : sql<boolean>`r.deleted_at is null`;
  const counted = cut
    ? sql<boolean>`r.is_valid = 1 and not exists (
        select 1 from registration s
        where s.id_number = r.id_number and s.id <> r.id and s.is_valid = 1
          and s.entered_at < ${cut} and (s.deleted_at is null or s.deleted_at >= ${cut})
          and (s.counted_by_city > r.counted_by_city
               or (s.counted_by_city = r.counted_by_city
                   and (s.entered_at < r.entered_at or (s.entered_at = r.entered_at and s.id < r.id)))))`
    : sql<boolean>`r.is_counted = 1`;
  return { alive, counted };
}

function reasonsOf(rows: ReadonlyArray<{ errors_json: string | null }>): Array<{ code: string; count: number }> {
  const reasons = new Map<string, number>();
  for (const row of rows) {
    const codes = new Set(((row.errors_json ? JSON.parse(row.errors_json) : []) as Array<{ code: string }>).map((e) => e.code));
    for (const code of codes) reasons.set(code, (reasons.get(code) ?? 0) + 1);
  }
  return [...reasons].map(([code, n]) => ({ code, count: n })).sort((a, b) => b.count - a.count || a.code.localeCompare(b.code));
}

export async function validCount(db: AnyDb, unitPath: string, asOf?: string): Promise<ValidCountBreakdown> {
  if (!asOf) return validCountNow(db, unitPath);
  const prefix = escapeLike(unitPath) + '%';
  const cut = dayEnd(asOf);
  const inUnit = sql<boolean>`r.org_path like ${prefix} escape '\\'`;
  const { alive, counted } = asOfFragments(cut);
  const totals = await sql<{ entered: number | string; invalid: number | string | null; valid_count: number | string | null; valid: number | string | null }>`
    select count(*) as entered,
           sum(case when r.is_valid = 0 then 1 else 0 end) as invalid,
           sum(case when r.is_valid = 1 then 1 else 0 end) as valid,
           sum(case when ${counted} then 1 else 0 end) as valid_count
    from registration r
    where ${inUnit} and ${alive}`.execute(db);
  const t = totals.rows[0];
  const entered = Number(t?.entered ?? 0);
  const invalid = Number(t?.invalid ?? 0);
  const valid = Number(t?.valid ?? 0);
  const count = Number(t?.valid_count ?? 0);
  const invalidRows = await sql<{ errors_json: string | null }>`
    select r.errors_json from registration r where ${inUnit} and ${alive} and r.is_valid = 0`.execute(db);
  return { entered, invalid, duplicates: valid - count, validCount: count, invalidByReason: reasonsOf(invalidRows.rows) };
}

/**
 * As of now — what the list page shows beside every list — without reading the unit's records:
 * the totals from the statistics table the triggers and the import keep per unit, validity and
 * counted flag (stat_dim; one 'sex' row per live record), and the reasons from the unit's invalid
 * records only, found through their partial index (registration_invalid_idx, migration 011). Reading
 * every record of the unit made this cost grow with the table: ~0.4 s for a district of 200,000
 * records, which the list page's 200 readers then queued behind.
 */
async function validCountNow(db: AnyDb, unitPath: string): Promise<ValidCountBreakdown> {
  const prefix = escapeLike(unitPath) + '%';
  const groups = await sql<{ is_valid: number | string; is_counted: number | string; n: number | string | null }>`
    select s.is_valid, s.is_counted, sum(s.n) as n
    from stat_dim s join org_unit o on o.id = s.org_unit_id
    where s.dim = 'sex' and o.path like ${prefix} escape '\\'
    group by s.is_valid, s.is_counted`.execute(db);
  let entered = 0;
  let invalid = 0;
  let valid = 0;
  let count = 0;
  for (const g of groups.rows) {
    const n = Number(g.n ?? 0);
    entered += n;
    if (Number(g.is_valid) === 1) valid += n;
    else invalid += n;
    if (Number(g.is_counted) === 1) count += n;
  }
  const invalidRows = await sql<{ errors_json: string | null }>`
    select r.errors_json from registration r
    where ${inSubtree(db, 'r.org_path', unitPath)} and r.is_valid = 0 and r.deleted_at is null`.execute(db);
  return { entered, invalid, duplicates: valid - count, validCount: count, invalidByReason: reasonsOf(invalidRows.rows) };
}

/**
 * The same breakdown for every community of a district at once (one grouped scan of the district's
 * records instead of one per unit): the basis of a frozen count (issue 6).
 */
export async function validCountByCommunity(db: AnyDb, districtId: number, asOf: string): Promise<Map<number, ValidCountBreakdown>> {
  const { alive, counted } = asOfFragments(dayEnd(asOf));
  const rows = await sql<{ org_unit_id: number; entered: number | string; invalid: number | string | null; valid: number | string | null; valid_count: number | string | null }>`
    select r.org_unit_id,
           count(*) as entered,
           sum(case when r.is_valid = 0 then 1 else 0 end) as invalid,
           sum(case when r.is_valid = 1 then 1 else 0 end) as valid,
           sum(case when ${counted} then 1 else 0 end) as valid_count
    from registration r
    where r.district_id = ${districtId} and ${alive}
    group by r.org_unit_id`.execute(db);
  const invalidRows = await sql<{ org_unit_id: number; errors_json: string | null }>`
    select r.org_unit_id, r.errors_json from registration r where r.district_id = ${districtId} and ${alive} and r.is_valid = 0`.execute(db);
  const out = new Map<number, ValidCountBreakdown>();
  for (const r of rows.rows) {
    const valid = Number(r.valid ?? 0);
    const count = Number(r.valid_count ?? 0);
    out.set(Number(r.org_unit_id), {
      entered: Number(r.entered),
      invalid: Number(r.invalid ?? 0),
      duplicates: valid - count,
      validCount: count,
      invalidByReason: reasonsOf(invalidRows.rows.filter((x) => Number(x.org_unit_id) === Number(r.org_unit_id))),
    });
  }
  return out;
}
