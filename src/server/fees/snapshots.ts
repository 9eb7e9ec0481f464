// The valid count frozen at the campaign's data cutoff (issue 6 item 1; seed 四（一）"实际录入人数以
// 录入有效数据为依据"): taken by a city admin per district, with the breakdown of the district, each
// street and each community as of the cutoff. Later edits of records change nothing in it; a re-take
// needs a reason and keeps the old snapshot (superseded), both recorded in the audit log.
import type { AppCtx } from '../context.js';
import type { AuthInfo } from '../auth/access.js';
import type { AnyDb } from '../db/dialect.js';
import type { CountSnapshot } from '../../shared/api-fees.js';
import { audited } from '../audit/audited.js';
import { invalidInput } from '../errors.js';
import { nowIso } from '../clock.js';
import { pathPrefixFilter } from '../orgs/store.js';
import { resolveKey } from '../assessments/service.js';
import { validCountByCommunity, type ValidCountBreakdown } from '../registration/counts.js';

/** The same campaign and district checks as an assessment's (started campaign, district in scope, else 404). */
const resolve = (db: AnyDb, auth: AuthInfo, campaignId: number, orgUnitId: number) => resolveKey(db, auth, { campaignId, orgUnitId });

const add = (a: ValidCountBreakdown, b: ValidCountBreakdown): ValidCountBreakdown => {
  const reasons = new Map(a.invalidByReason.map((r) => [r.code, r.count]));
  for (const r of b.invalidByReason) reasons.set(r.code, (reasons.get(r.code) ?? 0) + r.count);
  return {
    entered: a.entered + b.entered,
    invalid: a.invalid + b.invalid,
    duplicates: a.duplicates + b.duplicates,
    validCount: a.validCount + b.validCount,
    invalidByReason: [...reasons].map(([code, count]) => ({ code, count })).sort((x, y) => y.count - x.count || x.code.localeCompare(y.code)),
  };
};
const EMPTY: ValidCountBreakdown = { entered: 0, invalid: 0, duplicates: 0, validCount: 0, invalidByReason: [] };

/** Freezes the district's count as of the cutoff; `reason` is required when one exists already. */
export async function takeSnapshot(ctx: AppCtx, auth: AuthInfo, campaignId: number, orgUnitId: number, reason: string | undefined): Promise<CountSnapshot> {
  const id = await audited(ctx, auth.actor, 'fees.count.freeze', async (trx) => {
    const { campaign, district } = await resolve(trx, auth, campaignId, orgUnitId);
    const current = await trx.selectFrom('count_snapshot').selectAll().where('campaign_id', '=', campaignId).where('org_unit_id', '=', orgUnitId).where('superseded_at', 'is', null).executeTakeFirst();
    if (current && !reason) throw invalidInput('该区的有效数据已冻结；重新冻结须填写原因（原冻结结果将保留）');
    const at = nowIso();
    const units = await trx.selectFrom('org_unit').selectAll().where(pathPrefixFilter(district.path)).orderBy('path').execute();
    const byCommunity = await validCountByCommunity(trx, Number(district.id), campaign.dataCutoff);
    // Up the tree: each community's counts go to every unit on its path within the district.
    const totals = new Map<number, ValidCountBreakdown>(units.map((u) => [Number(u.id), EMPTY]));
    for (const u of units) {
      const own = byCommunity.get(Number(u.id));
      if (!own) continue;
      for (const ancestor of u.path.split('/').filter(Boolean).map(Number)) if (totals.has(ancestor)) totals.set(ancestor, add(totals.get(ancestor)!, own));
    }
    const districtTotal = totals.get(Number(district.id)) ?? EMPTY;
    if (current) await trx.updateTable('count_snapshot').set({ superseded_at: at }).where('id', '=', current.id).execute();
    const s = await trx
      .insertInto('count_snapshot')
      .values({ campaign_id: campaignId, org_unit_id: orgUnitId, cutoff: campaign.dataCutoff, taken_at: at, taken_by: Number(auth.user.id), reason: current ? reason! : (reason ?? null), superseded_at: null, valid_count: districtTotal.validCount })
      .returning('id')
      .executeTakeFirstOrThrow();
    const rows = units.map((u) => {
      const t = totals.get(Number(u.id)) ?? EMPTY;
      return { snapshot_id: Number(s.id), org_unit_id: Number(u.id), entered: t.entered, invalid: t.invalid, duplicates: t.duplicates, valid_count: t.validCount, invalid_by_reason_json: JSON.stringify(t.invalidByReason) };
    });
    for (let i = 0; i < rows.length; i += 200) await trx.insertInto('count_snapshot_unit').values(rows.slice(i, i + 200)).execute();
    return {
      result: Number(s.id),
      objectType: 'count_snapshot',
      objectId: Number(s.id),
      before: current ? { snapshotId: Number(current.id), validCount: Number(current.valid_count) } : undefined,
      after: { campaignId, orgUnitId, cutoff: campaign.dataCutoff, validCount: districtTotal.validCount, reason: reason ?? null },
    };
  });
  return (await snapshotById(ctx.db, id))!;
}

export async function snapshotById(db: AnyDb, id: number): Promise<CountSnapshot | null> {
  const s = await db
    .selectFrom('count_snapshot as s')
    .innerJoin('app_user as u', 'u.id', 's.taken_by')
    .select(['s.id', 's.campaign_id', 's.org_unit_id', 's.cutoff', 's.taken_at', 's.reason', 's.superseded_at', 's.valid_count', 'u.display_name'])
    .where('s.id', '=', id)
    .executeTakeFirst();
  if (!s) return null;
  const units = await db
    .selectFrom('count_snapshot_unit as c')
    .innerJoin('org_unit as o', 'o.id', 'c.org_unit_id')
    .select(['c.org_unit_id', 'o.name', 'o.level', 'o.parent_id', 'o.path', 'c.entered', 'c.invalid', 'c.duplicates', 'c.valid_count', 'c.invalid_by_reason_json'])
    .where('c.snapshot_id', '=', id)
    .orderBy('o.path')
    .execute();
  return {
    id: Number(s.id),
    campaignId: Number(s.campaign_id),
    orgUnitId: Number(s.org_unit_id),
    cutoff: s.cutoff,
    takenAt: s.taken_at,
    takenBy: s.display_name,
    reason: s.reason,
    supersededAt: s.superseded_at,
    validCount: Number(s.valid_count),
    units: units.map((u) => ({
      orgUnitId: Number(u.org_unit_id),
      orgUnitName: u.name,
      level: u.level,
      parentId: u.parent_id === null ? null : Number(u.parent_id),
      entered: Number(u.entered),
      invalid: Number(u.invalid),
      duplicates: Number(u.duplicates),
      validCount: Number(u.valid_count),
      invalidByReason: JSON.parse(u.invalid_by_reason_json) as Array<{ code: string; count: number }>,
    })),
  };
}

export async function snapshotHistory(db: AnyDb, auth: AuthInfo, campaignId: number, orgUnitId: number) {
  await resolve(db, auth, campaignId, orgUnitId);
  const ids = await db.selectFrom('count_snapshot').select(['id', 'superseded_at']).where('campaign_id', '=', campaignId).where('org_unit_id', '=', orgUnitId).orderBy('id', 'desc').execute();
  const all = (await Promise.all(ids.map((r) => snapshotById(db, Number(r.id))))).filter((s): s is CountSnapshot => s !== null);
  return { current: all.find((s) => s.supersededAt === null) ?? null, earlier: all.filter((s) => s.supersededAt !== null) };
}
