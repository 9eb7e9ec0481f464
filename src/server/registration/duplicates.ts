// Duplicates (SPEC §1): the same ID number is one person, in any district. Exactly one valid,
// undeleted record per ID number is counted: the one the city chose, else the earliest entered
// (entered_at, then id). Every write that can change the outcome calls resolveCounted.
import type { AnyDb } from '../db/dialect.js';

type Candidate = { id: number; id_number: string; is_valid: number; deleted_at: string | null; counted_by_city: number; entered_at: string; is_counted: number };

const CHUNK = 500;

/** The record that should be counted among one person's records, or null. */
export function pickCounted(records: readonly Candidate[]): number | null {
  let best: Candidate | null = null;
  for (const r of records) {
    if (Number(r.is_valid) !== 1 || r.deleted_at !== null) continue;
    if (!best) {
      best = r;
      continue;
    }
    const rCity = Number(r.counted_by_city) === 1;
    const bCity = Number(best.counted_by_city) === 1;
    if (rCity !== bCity) {
      if (rCity) best = r;
      continue;
    }
    if (r.entered_at < best.entered_at || (r.entered_at === best.entered_at && Number(r.id) < Number(best.id))) best = r;
  }
  return best ? Number(best.id) : null;
}

/** Recomputes the counted record of each given ID number; returns how many rows changed. */
export async function resolveCounted(db: AnyDb, idNumbers: Iterable<string>): Promise<number> {
  const unique = [...new Set(idNumbers)];
  let changed = 0;
  for (let i = 0; i < unique.length; i += CHUNK) {
    const chunk = unique.slice(i, i + CHUNK);
    const rows = (await db
      .selectFrom('registration')
      .select(['id', 'id_number', 'is_valid', 'deleted_at', 'counted_by_city', 'entered_at', 'is_counted'])
      .where('id_number', 'in', chunk)
      .execute()) as Candidate[];
    const byPerson = new Map<string, Candidate[]>();
    for (const r of rows) {
      const list = byPerson.get(r.id_number);
      if (list) list.push(r);
      else byPerson.set(r.id_number, [r]);
    }
    const clear: number[] = [];
    const set: number[] = [];
    for (const list of byPerson.values()) {
      const winner = pickCounted(list);
      for (const r of list) {
        const counted = Number(r.is_counted) === 1;
        if (Number(r.id) === winner && !counted) set.push(Number(r.id));
        if (Number(r.id) !== winner && counted) clear.push(Number(r.id));
      }
    }
    // Clear first: the unique index allows one counted row per ID number at any moment.
    if (clear.length) await db.updateTable('registration').set({ is_counted: 0 }).where('id', 'in', clear).execute();
    if (set.length) await db.updateTable('registration').set({ is_counted: 1 }).where('id', 'in', set).execute();
    changed += clear.length + set.length;
  }
  return changed;
}

/** The city decides which record of a person counts (SPEC: "unless the city decides otherwise"). */
export async function chooseCounted(db: AnyDb, registrationId: number): Promise<void> {
  const r = await db.selectFrom('registration').select(['id_number']).where('id', '=', registrationId).executeTakeFirstOrThrow();
  await db.updateTable('registration').set({ counted_by_city: 0 }).where('id_number', '=', r.id_number).execute();
  await db.updateTable('registration').set({ counted_by_city: 1 }).where('id', '=', registrationId).execute();
  await resolveCounted(db, [r.id_number]);
}
