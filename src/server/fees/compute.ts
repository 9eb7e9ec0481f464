// A district's fee (seed 四（一）（二）): 计发基数 = the frozen valid count × the campaign's 入户调查基准
// 费用; the percentage from the tier of the final assessed total; integer fen, half up
// (src/domain/fees.ts computeFee). Refused — with the reasons — while the count is not frozen or the
// assessment is not final.
import type { AuthInfo } from '../auth/access.js';
import type { AnyDb } from '../db/dialect.js';
import { computeFee } from '../../domain/fees.js';
import { rmbCapital } from '../../domain/rmb-capital.js';
import { ASSESSMENT_STATUS_LABELS } from '../../shared/api-assessment.js';
import { getAssessment } from '../assessments/service.js';
import { loadCampaign, startedCampaignRow } from '../campaigns/store.js';

export async function feeComputation(db: AnyDb, auth: AuthInfo, campaignId: number, orgUnitId: number) {
  const campaign = await loadCampaign(db, await startedCampaignRow(db, campaignId));
  const assessment = await getAssessment(db, auth, { campaignId, orgUnitId }); // scope: 404 outside
  const snapshot = await db.selectFrom('count_snapshot').selectAll().where('campaign_id', '=', campaignId).where('org_unit_id', '=', orgUnitId).where('superseded_at', 'is', null).executeTakeFirst();
  const missing: string[] = [];
  if (!snapshot) missing.push(`有效数据尚未冻结（截至 ${campaign.dataCutoff}），须由市级管理员冻结`);
  if (assessment.status !== 'final') missing.push(`考核尚未完成（当前：${ASSESSMENT_STATUS_LABELS[assessment.status]}），完成考核后才能按最终得分确定档次`);
  const base = { campaignId, orgUnitId, orgUnitName: assessment.orgUnitName, baseRateFen: campaign.baseRateFen, snapshotId: snapshot ? Number(snapshot.id) : null, validCount: snapshot ? Number(snapshot.valid_count) : null };
  if (missing.length) return { ...base, ready: false, missing, assessedTotal: assessment.status === 'final' ? assessment.assessedTotal : null, tier: null, feeBaseFen: null, feeFen: null, feeCapital: null };
  const fee = computeFee({ validCount: Number(snapshot!.valid_count), baseRateFen: campaign.baseRateFen, totalScore: assessment.assessedTotal, tiers: campaign.feeTiers });
  return {
    ...base,
    ready: true,
    missing,
    assessedTotal: assessment.assessedTotal,
    tier: { label: fee.tier.label, percent: fee.tier.percent },
    feeBaseFen: fee.feeBaseFen,
    feeFen: fee.feeFen,
    feeCapital: rmbCapital(fee.feeFen),
  };
}
