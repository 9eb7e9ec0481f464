// The statistics tables kept with the records (migration 009): triggers maintain them on every
// write; an import adds its own new rows itself, in one pass at its end, because a trigger per row
// would cost more than the import. This module is that import side: the rows' contributions summed
// in memory, then written as a few hundred upserts, and the switch that tells the triggers which
// batch's rows to leave alone (inside the import's transaction only, so a crash leaves it off).
import { sql, type Transaction } from 'kysely';
import type { Database } from '../db/schema.js';
import type { DialectName } from '../db/index.js';

/** dimension → registration column (birth_date gives the year); the same list as migration 009. */
export const STAT_DIMS: ReadonlyArray<readonly [string, string]> = [
  ['sex', 'sex'],
  ['category', 'person_category'],
  ['hukou', 'hukou_type'],
  ['birth_year', 'birth_date'],
  ['reason', 'uninsured_reason'],
  ['willing', 'willingness'],
  ...['110', '120', '170', '210', '310', '390', '410', '510'].map((t) => [`ins${t}`, `ins_${t}_status`] as const),
  ['surveyor', 'surveyor_name'],
];

/** The Shanghai calendar day of an ISO UTC time (the clock's helper, kept under this name for its callers). */
export { shanghaiDayOf } from '../clock.js';

export type StatRow = { unitId: number; day: string; enteredBy: number; isValid: number; isCounted: number; value: (column: string) => string | null; errorFields: readonly string[] };

/** A row's unit and flags as one number (unit ids are far below 2^29). */
const group = (unitId: number, valid: number, counted: number) => unitId * 4 + valid * 2 + counted;

export class StatAccumulator {
  private readonly daily = new Map<string, number>();
  /** Per dimension (STAT_DIMS order, then 'error'): value → group → n. Numeric inner keys keep the per-row cost low. */
  private readonly perDim: Array<Map<string, Map<number, number>>> = [...STAT_DIMS, ['error', '']].map(() => new Map());

  private bump(d: number, value: string, g: number, sign: number): void {
    const byValue = this.perDim[d]!;
    let m = byValue.get(value);
    if (!m) byValue.set(value, (m = new Map()));
    m.set(g, (m.get(g) ?? 0) + sign);
  }

  add(r: StatRow, sign: 1 | -1): void {
    const k = `${r.unitId}|${r.day}|${r.enteredBy}|${r.isValid}|${r.isCounted}`;
    this.daily.set(k, (this.daily.get(k) ?? 0) + sign);
    const g = group(r.unitId, r.isValid, r.isCounted);
    for (let d = 0; d < STAT_DIMS.length; d++) {
      const [dim, column] = STAT_DIMS[d]!;
      const v = r.value(column);
      this.bump(d, v === null ? '' : dim === 'birth_year' ? v.slice(0, 4) : v, g, sign);
    }
    for (const field of new Set(r.errorFields)) this.bump(STAT_DIMS.length, field, g, sign);
  }

  async flush(trx: Transaction<Database>): Promise<void> {
    const daily = [...this.daily].filter(([, n]) => n !== 0).map(([k, n]) => {
      const [unit, day, by, valid, counted] = k.split('|');
      return { org_unit_id: Number(unit), day: day!, entered_by: Number(by), is_valid: Number(valid), is_counted: Number(counted), n };
    });
    const dims: Array<{ org_unit_id: number; is_valid: number; is_counted: number; dim: string; value: string; n: number }> = [];
    this.perDim.forEach((byValue, d) => {
      const dim = d < STAT_DIMS.length ? STAT_DIMS[d]![0] : 'error';
      for (const [value, groups] of byValue)
        for (const [g, n] of groups) if (n !== 0) dims.push({ org_unit_id: Math.floor(g / 4), is_valid: (g >> 1) & 1, is_counted: g & 1, dim, value, n });
    });
    for (let i = 0; i < daily.length; i += 500)
      await trx
        .insertInto('stat_daily')
        .values(daily.slice(i, i + 500))
        .onConflict((oc) => oc.columns(['org_unit_id', 'day', 'entered_by', 'is_valid', 'is_counted']).doUpdateSet({ n: sql`stat_daily.n + excluded.n` }))
        .execute();
    for (let i = 0; i < dims.length; i += 500)
      await trx
        .insertInto('stat_dim')
        .values(dims.slice(i, i + 500))
        .onConflict((oc) => oc.columns(['org_unit_id', 'dim', 'value', 'is_valid', 'is_counted']).doUpdateSet({ n: sql`stat_dim.n + excluded.n` }))
        .execute();
    this.daily.clear();
    for (const m of this.perDim) m.clear();
  }
}

/** Tells the triggers to leave the rows of `batchId` to the import (null: back to normal). */
export async function setBulkBatch(trx: Transaction<Database>, dialect: DialectName, batchId: number | null): Promise<void> {
  if (dialect === 'postgres') await sql`select set_config('canbao.bulk_batch', ${batchId === null ? '' : String(batchId)}, true)`.execute(trx);
  else await trx.updateTable('stat_control').set({ bulk_batch_id: batchId }).where('id', '=', 1).execute();
}
