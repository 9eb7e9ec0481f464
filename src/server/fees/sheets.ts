// The fee sheet (考核费用核算表) of a district and its approval (核拨): computed from the frozen valid
// count, the final assessed total's tier and the demonstration-site funds (→ a sheet with a document
// number), checked by an assessor other than the one who computed it, approved by a city admin —
// after which the amounts are locked. A reopen needs a reason: the approved sheet is superseded
// (kept, its printed copies shown as superseded) and a new computation follows. Every step runs
// under the district's money lock; the approval also under the campaign's, because it checks the
// sum of all districts against the special work fund.
import type { Transaction } from 'kysely';
import type { AppCtx } from '../context.js';
import type { AuthInfo } from '../auth/access.js';
import { lockForWrite, type AnyDb } from '../db/dialect.js';
import type { Database, FeeSheetRow } from '../db/schema.js';
import type { FeeSheet, FeeSheetStatus, SiteFund } from '../../shared/api-fees.js';
import { formatFen } from '../../domain/fees.js';
import { formatScore } from '../../domain/score.js';
import { rmbCapital } from '../../domain/rmb-capital.js';
import { audited } from '../audit/audited.js';
import { conflict, forbidden, invalidInput, notFound } from '../errors.js';
import { nowIso } from '../clock.js';
import { getOrgUnit, inScope } from '../orgs/store.js';
import { startedCampaignRow } from '../campaigns/store.js';
import { issueDocument, newDocNumber, pointToSuccessor, supersedeDocuments, type DocLine } from '../documents/service.js';
import { feeComputation } from './compute.js';
import { siteFundsOf } from './site-funds.js';
import { snapshotById } from './snapshots.js';

/** The lock of one district's money (sheets, payments, allocation) within a campaign. */
export const districtMoneyLock = (campaignId: number, districtId: number) => 800_000_000_000 + campaignId * 1_000_000 + districtId;
const campaignMoneyLock = (campaignId: number) => 810_000_000_000 + campaignId;

export async function currentSheetRow(db: AnyDb, campaignId: number, districtId: number): Promise<FeeSheetRow | undefined> {
  return db.selectFrom('fee_sheet').selectAll().where('campaign_id', '=', campaignId).where('district_id', '=', districtId).where('status', '!=', 'superseded').executeTakeFirst();
}

export async function feeSheetView(db: AnyDb, s: FeeSheetRow): Promise<FeeSheet> {
  const c = await startedCampaignRow(db, Number(s.campaign_id));
  const district = (await getOrgUnit(db, Number(s.district_id)))!;
  const ids = [s.computed_by, s.checked_by, s.approved_by].filter((x): x is number => x !== null).map(Number);
  const users = new Map((await db.selectFrom('app_user').select(['id', 'display_name']).where('id', 'in', ids).execute()).map((u) => [Number(u.id), u.display_name]));
  const name = (id: number | null) => (id === null ? null : (users.get(Number(id)) ?? ''));
  const snapshot = await snapshotById(db, Number(s.snapshot_id));
  const total = Number(s.total_fen);
  return {
    id: Number(s.id),
    campaignId: Number(s.campaign_id),
    campaignName: c.name,
    districtId: Number(s.district_id),
    districtName: district.name,
    status: s.status as FeeSheetStatus,
    docNumber: s.doc_number,
    snapshotId: Number(s.snapshot_id),
    cutoff: snapshot?.cutoff ?? c.data_cutoff,
    assessmentId: Number(s.assessment_id),
    units: snapshot?.units ?? [],
    validCount: Number(s.valid_count),
    assessedTotal: Number(s.assessed_total),
    tierLabel: s.tier_label,
    tierPercent: Number(s.tier_percent),
    baseRateFen: Number(s.base_rate_fen),
    feeBaseFen: Number(s.fee_base_fen),
    feeFen: Number(s.fee_fen),
    siteFunds: JSON.parse(s.site_funds_json) as SiteFund[],
    siteFundsFen: Number(s.site_funds_fen),
    totalFen: total,
    totalCapital: rmbCapital(total),
    computedBy: name(s.computed_by) ?? '',
    computedById: Number(s.computed_by),
    computedAt: s.computed_at,
    checkedBy: name(s.checked_by),
    checkedAt: s.checked_at,
    approvedBy: name(s.approved_by),
    approvedAt: s.approved_at,
    supersededAt: s.superseded_at,
    supersedeReason: s.supersede_reason,
    version: Number(s.version),
  };
}

/** A sheet the caller may see: 404 for another district's, as for a missing one. */
export async function sheetInScope(db: AnyDb, auth: AuthInfo, id: number): Promise<FeeSheetRow> {
  const s = await db.selectFrom('fee_sheet').selectAll().where('id', '=', id).executeTakeFirst();
  const district = s ? await getOrgUnit(db, Number(s.district_id)) : undefined;
  if (!s || !district || !inScope(auth.scope, district.path)) throw notFound('核算表不存在');
  return s;
}

export async function getFeeSheet(db: AnyDb, auth: AuthInfo, id: number): Promise<FeeSheet> {
  return feeSheetView(db, await sheetInScope(db, auth, id));
}

/** What changed since the sheet was computed (it then must be computed again), in Chinese. */
async function staleReasons(trx: AnyDb, auth: AuthInfo, s: FeeSheetRow): Promise<string[]> {
  const live = await feeComputation(trx, auth, Number(s.campaign_id), Number(s.district_id));
  const funds = await siteFundsOf(trx, Number(s.campaign_id), Number(s.district_id), { includeRevoked: false });
  const frozen = (JSON.parse(s.site_funds_json) as SiteFund[]).map((f) => `${f.id}:${f.amountFen}`).join(',');
  const reasons: string[] = [];
  if (live.snapshotId !== Number(s.snapshot_id)) reasons.push('有效数据已重新冻结');
  if (!live.ready || live.assessedTotal !== Number(s.assessed_total)) reasons.push('考核结果已变化（重新打开或改分）');
  if (live.baseRateFen !== Number(s.base_rate_fen)) reasons.push('入户调查基准费用已修改');
  if (funds.map((f) => `${f.id}:${f.amountFen}`).join(',') !== frozen) reasons.push('示范点经费已变化');
  return reasons;
}

function docLines(v: { campaignName: string; districtName: string; cutoff: string; validCount: number; assessedTotal: number; tierLabel: string; tierPercent: number; feeFen: number; siteFundsFen: number; totalFen: number }): DocLine[] {
  return [
    { label: '文书', value: '常州市市本级全民参保登记工作考核费用核算表' },
    { label: '考核批次', value: v.campaignName },
    { label: '单位', value: v.districtName },
    { label: `有效数据（截至 ${v.cutoff}）`, value: `${v.validCount} 人` },
    { label: '考核总分', value: `${formatScore(v.assessedTotal)} 分` },
    { label: '档次', value: `${v.tierLabel}，按计发基数的 ${v.tierPercent}%` },
    { label: '考核费用', value: `${formatFen(v.feeFen)} 元` },
    { label: '示范点工作经费', value: `${formatFen(v.siteFundsFen)} 元` },
    { label: '合计', value: `${formatFen(v.totalFen)} 元（${rmbCapital(v.totalFen)}）` },
  ];
}

/** Computes (or re-computes) the district's sheet: refused with the reasons while not computable. */
export async function computeFeeSheet(ctx: AppCtx, auth: AuthInfo, campaignId: number, districtId: number): Promise<FeeSheet> {
  const id = await audited(ctx, auth.actor, 'fees.sheet.compute', async (trx) => {
    await lockForWrite(trx, ctx.dialect, districtMoneyLock(campaignId, districtId));
    const live = await feeComputation(trx, auth, campaignId, districtId); // scope: 404 outside
    if (!live.ready) throw invalidInput(`暂不能核算：${live.missing.join('；')}`);
    const current = await currentSheetRow(trx, campaignId, districtId);
    if (current?.status === 'approved') throw invalidInput('该区考核费用已审批，金额已锁定；如需重新核算，请先由市级管理员填写原因重新打开');
    const c = await startedCampaignRow(trx, campaignId);
    const district = (await getOrgUnit(trx, districtId))!;
    const assessment = await trx.selectFrom('assessment').select('id').where('campaign_id', '=', campaignId).where('org_unit_id', '=', districtId).executeTakeFirstOrThrow();
    const funds = await siteFundsOf(trx, campaignId, districtId, { includeRevoked: false });
    const siteFundsFen = funds.reduce((a, f) => a + f.amountFen, 0);
    const totalFen = live.feeFen! + siteFundsFen;
    const at = nowIso();
    const docNumber = newDocNumber('fee_sheet', c.code, district.code);
    const earlier = await trx.selectFrom('fee_sheet').select(['id', 'doc_number', 'status']).where('campaign_id', '=', campaignId).where('district_id', '=', districtId).execute();
    if (current) await trx.updateTable('fee_sheet').set({ status: 'superseded', superseded_at: at, supersede_reason: '重新核算', version: Number(current.version) + 1 }).where('id', '=', current.id).execute();
    const row = await trx
      .insertInto('fee_sheet')
      .values({
        campaign_id: campaignId,
        district_id: districtId,
        status: 'computed',
        doc_number: docNumber,
        snapshot_id: live.snapshotId!,
        assessment_id: Number(assessment.id),
        valid_count: live.validCount!,
        assessed_total: live.assessedTotal!,
        tier_label: live.tier!.label,
        tier_percent: live.tier!.percent,
        base_rate_fen: live.baseRateFen,
        fee_base_fen: live.feeBaseFen!,
        fee_fen: live.feeFen!,
        site_funds_fen: siteFundsFen,
        total_fen: totalFen,
        site_funds_json: JSON.stringify(funds),
        computed_by: Number(auth.user.id),
        computed_at: at,
        checked_by: null,
        checked_at: null,
        approved_by: null,
        approved_at: null,
        superseded_at: null,
        supersede_reason: null,
        version: 0,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const snapshot = await snapshotById(trx, live.snapshotId!);
    const lines = docLines({ campaignName: c.name, districtName: district.name, cutoff: snapshot!.cutoff, validCount: live.validCount!, assessedTotal: live.assessedTotal!, tierLabel: live.tier!.label, tierPercent: live.tier!.percent, feeFen: live.feeFen!, siteFundsFen, totalFen });
    await issueDocument(trx, { kind: 'fee_sheet', objectId: Number(row.id), campaignId, orgUnitId: districtId, campaignCode: c.code, unitCode: district.code, lines, content: { sheetId: Number(row.id), lines, siteFunds: funds.map((f) => [f.orgUnitId, f.amountFen]) }, issuedBy: Number(auth.user.id), docNumber });
    // Printed copies of earlier sheets now point to this one.
    const earlierDocs = earlier.map((e) => e.doc_number);
    await supersedeDocuments(trx, earlierDocs, docNumber, at);
    await pointToSuccessor(trx, earlierDocs, docNumber);
    return {
      result: Number(row.id),
      objectType: 'fee_sheet',
      objectId: Number(row.id),
      before: current ? { sheetId: Number(current.id), totalFen: Number(current.total_fen) } : undefined,
      after: { docNumber, validCount: live.validCount, assessedTotal: live.assessedTotal, tierPercent: live.tier!.percent, feeFen: live.feeFen, siteFundsFen, totalFen },
    };
  });
  return getFeeSheet(ctx.db, auth, id);
}

async function transition(ctx: AppCtx, auth: AuthInfo, id: number, event: string, fn: (trx: Transaction<Database>, s: FeeSheetRow) => Promise<{ set: Partial<FeeSheetRow>; after: unknown }>): Promise<FeeSheet> {
  await audited(ctx, auth.actor, event, async (trx) => {
    const first = await sheetInScope(trx, auth, id);
    await lockForWrite(trx, ctx.dialect, districtMoneyLock(Number(first.campaign_id), Number(first.district_id)));
    const s = (await trx.selectFrom('fee_sheet').selectAll().where('id', '=', id).executeTakeFirst())!;
    const { set, after } = await fn(trx, s);
    await trx.updateTable('fee_sheet').set({ ...set, version: Number(s.version) + 1 }).where('id', '=', id).execute();
    return { result: null, objectType: 'fee_sheet', objectId: id, before: { status: s.status }, after };
  });
  return getFeeSheet(ctx.db, auth, id);
}

const versionCheck = async (db: AnyDb, s: FeeSheetRow, version: number) => {
  if (Number(s.version) !== version) throw conflict('核算表已被他人处理，请刷新后重试', { current: await feeSheetView(db, s) });
};

async function assertFresh(trx: AnyDb, auth: AuthInfo, s: FeeSheetRow): Promise<void> {
  const stale = await staleReasons(trx, auth, s);
  if (stale.length) throw conflict(`核算后数据已变化（${stale.join('；')}），请重新核算`);
}

/** 复核: by a city user other than the one who computed it. */
export function checkFeeSheet(ctx: AppCtx, auth: AuthInfo, id: number, version: number): Promise<FeeSheet> {
  return transition(ctx, auth, id, 'fees.sheet.check', async (trx, s) => {
    await versionCheck(trx, s, version);
    if (s.status !== 'computed') throw invalidInput('只有待复核的核算表可以复核');
    if (Number(s.computed_by) === Number(auth.user.id)) throw forbidden('核算人不能复核自己核算的费用，请由另一位考核人员复核');
    await assertFresh(trx, auth, s);
    return { set: { status: 'checked', checked_by: Number(auth.user.id), checked_at: nowIso() }, after: { status: 'checked' } };
  });
}

/** The total of all districts' current sheets (fees and site funds), the one given counted once. */
export async function campaignSheetsTotal(db: AnyDb, campaignId: number): Promise<number> {
  const r = await db.selectFrom('fee_sheet').select((eb) => eb.fn.sum<number>('total_fen').as('t')).where('campaign_id', '=', campaignId).where('status', '!=', 'superseded').executeTakeFirstOrThrow();
  return Number(r.t ?? 0);
}

export function overFundMessage(specialFundFen: number | null, totalFen: number): string | null {
  if (specialFundFen === null || totalFen <= specialFundFen) return null;
  return `各区考核费用与示范点经费合计 ${formatFen(totalFen)} 元，超出全民参保登记专项工作经费 ${formatFen(specialFundFen)} 元（超出 ${formatFen(totalFen - specialFundFen)} 元）`;
}

/** 审批: locks the amounts. Warns (409) when the special work fund is exceeded unless acknowledged. */
export function approveFeeSheet(ctx: AppCtx, auth: AuthInfo, id: number, input: { version: number; acknowledgeOverFund?: boolean | undefined }): Promise<FeeSheet> {
  return transition(ctx, auth, id, 'fees.sheet.approve', async (trx, s) => {
    await versionCheck(trx, s, input.version);
    if (s.status !== 'checked') throw invalidInput(s.status === 'computed' ? '核算表尚未复核，复核后才能审批' : '只有已复核的核算表可以审批');
    await assertFresh(trx, auth, s);
    await lockForWrite(trx, ctx.dialect, campaignMoneyLock(Number(s.campaign_id)));
    const paid = await paidFen(trx, Number(s.campaign_id), Number(s.district_id));
    if (paid > Number(s.total_fen)) throw conflict(`该区已拨付 ${formatFen(paid)} 元，超过本次核定的 ${formatFen(Number(s.total_fen))} 元，请先作废多拨的拨付记录`);
    const c = await startedCampaignRow(trx, Number(s.campaign_id));
    const warning = overFundMessage(c.special_fund_fen === null ? null : Number(c.special_fund_fen), await campaignSheetsTotal(trx, Number(s.campaign_id)));
    if (warning && !input.acknowledgeOverFund) throw conflict(`${warning}。确认仍要审批吗？`, { overFundWarning: warning });
    return { set: { status: 'approved', approved_by: Number(auth.user.id), approved_at: nowIso() }, after: { status: 'approved', totalFen: Number(s.total_fen), overFundWarning: warning } };
  });
}

/** 重新打开: the approved sheet is superseded with the reason; a new computation follows. */
export function reopenFeeSheet(ctx: AppCtx, auth: AuthInfo, id: number, input: { version: number; reason: string }): Promise<FeeSheet> {
  return transition(ctx, auth, id, 'fees.sheet.reopen', async (trx, s) => {
    await versionCheck(trx, s, input.version);
    if (s.status === 'superseded') throw invalidInput('该核算表已作废');
    const at = nowIso();
    await supersedeDocuments(trx, [s.doc_number], null, at);
    return { set: { status: 'superseded', superseded_at: at, supersede_reason: input.reason }, after: { status: 'superseded', reason: input.reason } };
  });
}

/** Payments not voided, in fen. */
export async function paidFen(db: AnyDb, campaignId: number, districtId: number): Promise<number> {
  const r = await db.selectFrom('payment').select((eb) => eb.fn.sum<number>('amount_fen').as('t')).where('campaign_id', '=', campaignId).where('district_id', '=', districtId).where('voided_at', 'is', null).executeTakeFirstOrThrow();
  return Number(r.t ?? 0);
}

/** The sheet's printed document (issued when computed). */
export async function feeSheetDocument(ctx: AppCtx, auth: AuthInfo, id: number) {
  const s = await sheetInScope(ctx.db, auth, id);
  const d = await ctx.db.selectFrom('printed_document').select(['doc_number', 'issued_at']).where('doc_number', '=', s.doc_number).executeTakeFirstOrThrow();
  await audited(ctx, auth.actor, 'fees.sheet.print', async () => ({ result: null, objectType: 'fee_sheet', objectId: id, after: { docNumber: s.doc_number } }));
  return { docNumber: d.doc_number, issuedAt: d.issued_at };
}
