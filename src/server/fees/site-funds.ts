// Demonstration sites (示范点, seed 四（一）): "除入户调查基准费用外，市社保经办机构根据各地工作开展情况
// 发放一定工作经费". The city designates a street or community of a district with an amount and a
// reason; it is a separate line of the district's money, never mixed into the fee base. Withdrawn
// with a reason (kept), and neither added nor withdrawn once the district's fee is approved.
import type { AppCtx } from '../context.js';
import type { AuthInfo } from '../auth/access.js';
import type { AnyDb } from '../db/dialect.js';
import type { SiteFund } from '../../shared/api-fees.js';
import { audited } from '../audit/audited.js';
import { invalidInput, notFound } from '../errors.js';
import { nowIso } from '../clock.js';
import { getOrgUnit, inScope } from '../orgs/store.js';
import { resolveKey } from '../assessments/service.js';

export async function siteFundsOf(db: AnyDb, campaignId: number, districtId: number, opts: { includeRevoked: boolean }): Promise<SiteFund[]> {
  let q = db
    .selectFrom('site_fund as f')
    .innerJoin('org_unit as o', 'o.id', 'f.org_unit_id')
    .innerJoin('app_user as u', 'u.id', 'f.created_by')
    .select(['f.id', 'f.campaign_id', 'f.district_id', 'f.org_unit_id', 'f.amount_fen', 'f.reason', 'f.created_at', 'f.revoked_at', 'f.revoke_reason', 'o.name', 'u.display_name'])
    .where('f.campaign_id', '=', campaignId)
    .where('f.district_id', '=', districtId);
  if (!opts.includeRevoked) q = q.where('f.revoked_at', 'is', null);
  const rows = await q.orderBy('o.path').orderBy('f.id').execute();
  return rows.map((r) => ({
    id: Number(r.id),
    campaignId: Number(r.campaign_id),
    districtId: Number(r.district_id),
    orgUnitId: Number(r.org_unit_id),
    orgUnitName: r.name,
    amountFen: Number(r.amount_fen),
    reason: r.reason,
    createdBy: r.display_name,
    createdAt: r.created_at,
    revokedAt: r.revoked_at,
    revokeReason: r.revoke_reason,
  }));
}

/** Refuses a change of the district's money lines once its fee is approved. */
export async function assertNotApproved(db: AnyDb, campaignId: number, districtId: number): Promise<void> {
  const approved = await db.selectFrom('fee_sheet').select('id').where('campaign_id', '=', campaignId).where('district_id', '=', districtId).where('status', '=', 'approved').executeTakeFirst();
  if (approved) throw invalidInput('该区考核费用已审批，金额已锁定；如需调整，请先由市级管理员填写原因重新打开核算');
}

export async function addSiteFund(ctx: AppCtx, auth: AuthInfo, campaignId: number, districtId: number, input: { orgUnitId: number; amountFen: number; reason: string }): Promise<void> {
  await audited(ctx, auth.actor, 'fees.site_fund.add', async (trx) => {
    const { district } = await resolveKey(trx, auth, { campaignId, orgUnitId: districtId });
    const unit = await getOrgUnit(trx, input.orgUnitId);
    if (!unit || !inScope(auth.scope, unit.path)) throw notFound('单位不存在');
    if (!unit.path.startsWith(district.path) || (unit.level !== 'street' && unit.level !== 'community')) throw invalidInput(`示范点应为${district.name}的街道（镇）或社区（村）`);
    await assertNotApproved(trx, campaignId, districtId);
    const row = await trx
      .insertInto('site_fund')
      .values({ campaign_id: campaignId, district_id: districtId, org_unit_id: input.orgUnitId, amount_fen: input.amountFen, reason: input.reason, created_by: Number(auth.user.id), created_at: nowIso(), revoked_at: null, revoked_by: null, revoke_reason: null })
      .returning('id')
      .executeTakeFirstOrThrow();
    return { result: null, objectType: 'site_fund', objectId: Number(row.id), after: { districtId, orgUnitId: input.orgUnitId, unit: unit.name, amountFen: input.amountFen, reason: input.reason } };
  });
}

/** Withdraws a site's funds (kept, with the reason); returns the district. */
export async function revokeSiteFund(ctx: AppCtx, auth: AuthInfo, id: number, reason: string): Promise<{ campaignId: number; districtId: number }> {
  return audited(ctx, auth.actor, 'fees.site_fund.revoke', async (trx) => {
    const f = await trx.selectFrom('site_fund').selectAll().where('id', '=', id).executeTakeFirst();
    const district = f ? await getOrgUnit(trx, Number(f.district_id)) : undefined;
    if (!f || !district || !inScope(auth.scope, district.path)) throw notFound('示范点经费不存在');
    if (f.revoked_at) throw invalidInput('该示范点经费已撤销');
    await assertNotApproved(trx, Number(f.campaign_id), Number(f.district_id));
    await trx.updateTable('site_fund').set({ revoked_at: nowIso(), revoked_by: Number(auth.user.id), revoke_reason: reason }).where('id', '=', id).execute();
    return { result: { campaignId: Number(f.campaign_id), districtId: Number(f.district_id) }, objectType: 'site_fund', objectId: id, before: { amountFen: Number(f.amount_fen) }, after: { revoked: true, reason } };
  });
}
