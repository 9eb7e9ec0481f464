// One district's money (the live computation, site funds, sheets, payments, allocation) and the
// city's overview of every district against the special work fund (专项工作经费), with its .xlsx.
import ExcelJS from 'exceljs';
import type { AppCtx } from '../context.js';
import type { AuthInfo } from '../auth/access.js';
import type { AnyDb } from '../db/dialect.js';
import type { DisbursementStatus, DistrictMoney, MoneyOverview } from '../../shared/api-fees.js';
import { DISBURSEMENT_STATUS_LABELS, FEE_SHEET_STATUS_LABELS } from '../../shared/api-fees.js';
import { formatFen } from '../../domain/fees.js';
import { formatScore } from '../../domain/score.js';
import { audited } from '../audit/audited.js';
import { inScope } from '../orgs/store.js';
import { startedCampaignRow } from '../campaigns/store.js';
import { resolveKey } from '../assessments/service.js';
import { feeComputation } from './compute.js';
import { siteFundsOf } from './site-funds.js';
import { currentSheetRow, feeSheetView, overFundMessage } from './sheets.js';
import { allocationOf, paymentsOf } from './disbursement.js';

function disbursementStatus(approvedFen: number | null, paid: number): DisbursementStatus {
  if (approvedFen === null) return 'not_approved';
  if (paid === 0) return 'approved';
  return paid >= approvedFen ? 'paid' : 'partly_paid';
}

export async function districtMoney(db: AnyDb, auth: AuthInfo, campaignId: number, districtId: number): Promise<DistrictMoney> {
  const { campaign, district } = await resolveKey(db, auth, { campaignId, orgUnitId: districtId }); // 404 outside scope
  const computation = await feeComputation(db, auth, campaignId, districtId);
  const siteFunds = await siteFundsOf(db, campaignId, districtId, { includeRevoked: true });
  const sheets = await db.selectFrom('fee_sheet').selectAll().where('campaign_id', '=', campaignId).where('district_id', '=', districtId).orderBy('id', 'desc').execute();
  const views = await Promise.all(sheets.map((s) => feeSheetView(db, s)));
  const sheet = views.find((s) => s.status !== 'superseded') ?? null;
  const approvedFen = sheet?.status === 'approved' ? sheet.totalFen : null;
  const payments = await paymentsOf(db, campaignId, districtId);
  const paid = payments.filter((p) => !p.voidedAt).reduce((a, p) => a + p.amountFen, 0);
  return {
    campaignId,
    campaignName: campaign.name,
    districtId,
    districtName: district.name,
    computation,
    siteFunds,
    siteFundsFen: siteFunds.filter((f) => !f.revokedAt).reduce((a, f) => a + f.amountFen, 0),
    sheet,
    earlierSheets: views.filter((s) => s.status === 'superseded'),
    approvedFen,
    payments,
    paidFen: paid,
    disbursementStatus: disbursementStatus(approvedFen, paid),
    allocation: await allocationOf(db, campaignId, districtId),
  };
}

/** Every district in the caller's scope: what is computed, approved, paid and allocated. */
export async function moneyOverview(db: AnyDb, auth: AuthInfo, campaignId: number): Promise<MoneyOverview> {
  const c = await startedCampaignRow(db, campaignId);
  const districts = (await db.selectFrom('org_unit').selectAll().where('level', '=', 'district').orderBy('code').execute()).filter((d) => inScope(auth.scope, d.path));
  const rows: MoneyOverview['rows'] = [];
  for (const d of districts) {
    const id = Number(d.id);
    const live = await feeComputation(db, auth, campaignId, id);
    const sheetRow = await currentSheetRow(db, campaignId, id);
    const funds = await siteFundsOf(db, campaignId, id, { includeRevoked: false });
    const siteFundsFen = sheetRow ? Number(sheetRow.site_funds_fen) : funds.reduce((a, f) => a + f.amountFen, 0);
    const feeFen = sheetRow ? Number(sheetRow.fee_fen) : live.feeFen;
    const approvedFen = sheetRow?.status === 'approved' ? Number(sheetRow.total_fen) : null;
    const alloc = await allocationOf(db, campaignId, id);
    const paid = alloc.receivedFen; // the payments not voided
    rows.push({
      districtId: id,
      districtName: d.name,
      validCount: sheetRow ? Number(sheetRow.valid_count) : live.validCount,
      assessedTotal: sheetRow ? Number(sheetRow.assessed_total) : live.assessedTotal,
      tierLabel: sheetRow ? sheetRow.tier_label : (live.tier?.label ?? null),
      tierPercent: sheetRow ? Number(sheetRow.tier_percent) : (live.tier?.percent ?? null),
      feeFen,
      siteFundsFen,
      totalFen: feeFen === null ? null : feeFen + siteFundsFen,
      sheetStatus: sheetRow ? (sheetRow.status as 'computed' | 'checked' | 'approved') : null,
      sheetId: sheetRow ? Number(sheetRow.id) : null,
      approvedFen,
      paidFen: paid,
      allocatedFen: alloc.purposesFen,
      disbursementStatus: disbursementStatus(approvedFen, paid),
      missing: live.missing,
    });
  }
  const sum = (f: (r: (typeof rows)[number]) => number | null) => rows.reduce((a, r) => a + (f(r) ?? 0), 0);
  const totals = { feeFen: sum((r) => r.feeFen), siteFundsFen: sum((r) => r.siteFundsFen), totalFen: sum((r) => r.totalFen), approvedFen: sum((r) => r.approvedFen), paidFen: sum((r) => r.paidFen), allocatedFen: sum((r) => r.allocatedFen) };
  const specialFundFen = c.special_fund_fen === null ? null : Number(c.special_fund_fen);
  return { campaignId, campaignName: c.name, specialFundFen, rows, totals, overFundWarning: overFundMessage(specialFundFen, totals.totalFen) };
}

/** Enters (or clears) the campaign's special work fund. */
export async function setSpecialFund(ctx: AppCtx, auth: AuthInfo, campaignId: number, amountFen: number | null): Promise<void> {
  await audited(ctx, auth.actor, 'fees.special_fund.set', async (trx) => {
    const c = await startedCampaignRow(trx, campaignId);
    await trx.updateTable('campaign').set({ special_fund_fen: amountFen, version: Number(c.version) + 1 }).where('id', '=', campaignId).execute();
    return { result: null, objectType: 'campaign', objectId: campaignId, before: { specialFundFen: c.special_fund_fen === null ? null : Number(c.special_fund_fen) }, after: { specialFundFen: amountFen } };
  });
}

const border = { top: { style: 'thin' }, left: { style: 'thin' }, bottom: { style: 'thin' }, right: { style: 'thin' } } as const;
const yuan = (fen: number | null) => (fen === null ? null : fen / 100);
const MONEY_FMT = '#,##0.00';

export async function moneyOverviewWorkbook(db: AnyDb, auth: AuthInfo, campaignId: number): Promise<{ buffer: Buffer; title: string }> {
  const o = await moneyOverview(db, auth, campaignId);
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('考核费用总览', { pageSetup: { paperSize: 9, orientation: 'landscape', fitToPage: true, fitToWidth: 1, fitToHeight: 0 } });
  const head = ['单位', '有效数据（人）', '考核总分', '档次', '发放比例', '考核费用（元）', '示范点经费（元）', '合计（元）', '核算状态', '已审批（元）', '已拨付（元）', '已分配（元）', '拨付状态'];
  ws.mergeCells(1, 1, 1, head.length);
  ws.getCell(1, 1).value = `${o.campaignName} 考核费用总览`;
  ws.getCell(1, 1).font = { bold: true, size: 14 };
  ws.getCell(1, 1).alignment = { horizontal: 'center' };
  ws.addRow(head).font = { bold: true };
  for (const r of o.rows) {
    ws.addRow([r.districtName, r.validCount, r.assessedTotal === null ? null : Number(formatScore(r.assessedTotal)), r.tierLabel, r.tierPercent === null ? null : `${r.tierPercent}%`, yuan(r.feeFen), yuan(r.siteFundsFen), yuan(r.totalFen), r.sheetStatus ? FEE_SHEET_STATUS_LABELS[r.sheetStatus] : r.missing.length ? '不能核算' : '未核算', yuan(r.approvedFen), yuan(r.paidFen), yuan(r.allocatedFen), DISBURSEMENT_STATUS_LABELS[r.disbursementStatus]]);
  }
  const t = o.totals;
  ws.addRow(['合计', o.rows.reduce((a, r) => a + (r.validCount ?? 0), 0), null, null, null, yuan(t.feeFen), yuan(t.siteFundsFen), yuan(t.totalFen), null, yuan(t.approvedFen), yuan(t.paidFen), yuan(t.allocatedFen), null]).font = { bold: true };
  for (let r = 2; r <= ws.rowCount; r++) ws.getRow(r).eachCell({ includeEmpty: true }, (cell) => (cell.border = border));
  for (const col of [6, 7, 8, 10, 11, 12]) ws.getColumn(col).numFmt = MONEY_FMT;
  ws.columns.forEach((c, i) => (c.width = i === 0 ? 12 : i === 3 ? 18 : i === 8 || i === 12 ? 16 : 14));
  ws.addRow([]);
  ws.addRow([`全民参保登记专项工作经费：${o.specialFundFen === null ? '未录入' : `${formatFen(o.specialFundFen)} 元`}`]);
  if (o.overFundWarning) ws.addRow([`注意：${o.overFundWarning}`]).font = { color: { argb: 'FFCC0000' } };
  return { buffer: Buffer.from(await wb.xlsx.writeBuffer()), title: `考核费用总览-${o.campaignName}` };
}
