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

/** The Shanghai calendar day of an ISO UTC time. */
export function shanghaiDayOf(iso: string): string {
  return new Date(Date.parse(iso) + 8 * 3600_000).toISOString().slice(0, 10);
}

export type StatRow = { unitId: number; day: string; enteredBy: number; isValid: number; isCounted: number; value: (column: string) => string | null; errorFields: readonly string[] };

export class StatAccumulator {
  private readonly daily = new Map<string, number>();
  private readonly dims = new Map<string, number>();

  add(r: StatRow, sign: 1 | -1): void {
    const k = `${r.unitId}|${r.day}|${r.enteredBy}|${r.isValid}|${r.isCounted}`;
    this.daily.set(k, (this.daily.get(k) ?? 0) + sign);
    const base = `${r.unitId}|${r.isValid}|${r.isCounted}|`;
    for (const [dim, column] of STAT_DIMS) {
      const v = r.value(column);
      const value = v === null ? '' : dim === 'birth_year' ? v.slice(0, 4) : v;
      const key = `${base}${dim}|${value}`;
      this.dims.set(key, (this.dims.get(key) ?? 0) + sign);
    }
    for (const field of new Set(r.errorFields)) {
      const key = `${base}error|${field}`;
      this.dims.set(key, (this.dims.get(key) ?? 0) + sign);
    }
  }

  async flush(trx: Transaction<Database>): Promise<void> {
    const daily = [...this.daily].filter(([, n]) => n !== 0).map(([k, n]) => {
      const [unit, day, by, valid, counted] = k.split('|');
      return { org_unit_id: Number(unit), day: day!, entered_by: Number(by), is_valid: Number(valid), is_counted: Number(counted), n };
    });
    const dims = [...this.dims].filter(([, n]) => n !== 0).map(([k, n]) => {
      const [unit, valid, counted, dim, ...value] = k.split('|');
      return { org_unit_id: Number(unit), is_valid: Number(valid), is_counted: Number(counted), dim: dim!, value: value.join('|'), n };
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
    this.dims.clear();
  }
}

/** Tells the triggers to leave the rows of `batchId` to the import (null: back to normal). */
export async function setBulkBatch(trx: Transaction<Database>, dialect: DialectName, batchId: number | null): Promise<void> {
  if (dialect === 'postgres') await sql`select set_config('canbao.bulk_batch', ${batchId === null ? '' : String(batchId)}, true)`.execute(trx);
  else await trx.updateTable('stat_control').set({ bulk_batch_id: batchId }).where('id', '=', 1).execute();
}
