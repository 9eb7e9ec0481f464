// HTTP contracts of fees (考核费用, seed 四, SPEC §3). Money is integer fen; counts are persons.
import { z } from 'zod';

const MAX_ID = 2_147_483_647;
const dbIdCoerced = z.coerce.number().int().positive().max(MAX_ID);

export const snapshotParams = z.object({ campaignId: dbIdCoerced, orgUnitId: dbIdCoerced });

export const snapshotUnit = z.object({
  orgUnitId: z.number().int(),
  orgUnitName: z.string(),
  level: z.string(),
  parentId: z.number().int().nullable(),
  entered: z.number().int(),
  invalid: z.number().int(),
  duplicates: z.number().int(),
  validCount: z.number().int(),
  invalidByReason: z.array(z.object({ code: z.string(), count: z.number().int() })),
});
export const countSnapshot = z.object({
  id: z.number().int(),
  campaignId: z.number().int(),
  orgUnitId: z.number().int(),
  cutoff: z.string(),
  takenAt: z.string(),
  takenBy: z.string(),
  /** Why it was re-taken (null for the first). */
  reason: z.string().nullable(),
  supersededAt: z.string().nullable(),
  validCount: z.number().int(),
  /** The district first, then its streets and communities. */
  units: z.array(snapshotUnit),
});
export type CountSnapshot = z.infer<typeof countSnapshot>;
export const countSnapshotHistory = z.object({ current: countSnapshot.nullable(), earlier: z.array(countSnapshot) });
export const countSnapshotTake = z.strictObject({ reason: z.string().trim().min(2, '请填写重新冻结的原因').max(500).optional() });

/** A district's fee as it stands: computed when the count is frozen and the assessment final, else why not. */
export const feeComputation = z.object({
  campaignId: z.number().int(),
  orgUnitId: z.number().int(),
  orgUnitName: z.string(),
  ready: z.boolean(),
  /** Why it cannot be computed yet (Chinese, for the page). */
  missing: z.array(z.string()),
  snapshotId: z.number().int().nullable(),
  validCount: z.number().int().nullable(),
  assessedTotal: z.number().int().nullable(),
  tier: z.object({ label: z.string(), percent: z.number().int() }).nullable(),
  baseRateFen: z.number().int(),
  feeBaseFen: z.number().int().nullable(),
  feeFen: z.number().int().nullable(),
  /** 人民币大写 of feeFen. */
  feeCapital: z.string().nullable(),
});

// ---------- demonstration sites (示范点) and their extra working funds ----------
const yuanFen = z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER);
export const siteFundInput = z.strictObject({
  /** A street or a community of the district. */
  orgUnitId: z.number().int().positive().max(MAX_ID),
  amountFen: yuanFen.refine((v) => v > 0, '金额须大于 0'),
  reason: z.string().trim().min(2, '请填写发放理由').max(500),
});
export const siteFund = z.object({
  id: z.number().int(),
  campaignId: z.number().int(),
  districtId: z.number().int(),
  orgUnitId: z.number().int(),
  orgUnitName: z.string(),
  amountFen: z.number().int(),
  reason: z.string(),
  createdBy: z.string(),
  createdAt: z.string(),
  /** Withdrawn (with a reason) before the district's fee was approved; kept for the record. */
  revokedAt: z.string().nullable(),
  revokeReason: z.string().nullable(),
});
export type SiteFund = z.infer<typeof siteFund>;
export const reasonBody = z.strictObject({ reason: z.string().trim().min(2, '请填写原因').max(500) });

// ---------- the fee sheet (考核费用核算表) and its approval (核拨) ----------
export const FEE_SHEET_STATUSES = ['computed', 'checked', 'approved', 'superseded'] as const;
export type FeeSheetStatus = (typeof FEE_SHEET_STATUSES)[number];
export const FEE_SHEET_STATUS_LABELS: Record<FeeSheetStatus, string> = { computed: '已核算，待复核', checked: '已复核，待审批', approved: '已审批（金额锁定）', superseded: '已作废' };
export const feeSheet = z.object({
  id: z.number().int(),
  campaignId: z.number().int(),
  campaignName: z.string(),
  districtId: z.number().int(),
  districtName: z.string(),
  status: z.enum(FEE_SHEET_STATUSES),
  /** 文书编号 printed on the sheet; the QR code points to its verification page. */
  docNumber: z.string(),
  /** Where each number came from: the frozen count snapshot and the final assessment. */
  snapshotId: z.number().int(),
  cutoff: z.string(),
  assessmentId: z.number().int(),
  /** The frozen breakdown (district, streets, communities) the count came from. */
  units: z.array(snapshotUnit),
  validCount: z.number().int(),
  assessedTotal: z.number().int(),
  tierLabel: z.string(),
  tierPercent: z.number().int(),
  baseRateFen: z.number().int(),
  feeBaseFen: z.number().int(),
  feeFen: z.number().int(),
  siteFunds: z.array(siteFund),
  siteFundsFen: z.number().int(),
  totalFen: z.number().int(),
  /** 人民币大写 of totalFen. */
  totalCapital: z.string(),
  computedBy: z.string(),
  /** Who computed it (the check must be by someone else). */
  computedById: z.number().int(),
  computedAt: z.string(),
  checkedBy: z.string().nullable(),
  checkedAt: z.string().nullable(),
  approvedBy: z.string().nullable(),
  approvedAt: z.string().nullable(),
  supersededAt: z.string().nullable(),
  supersedeReason: z.string().nullable(),
  version: z.number().int(),
});
export type FeeSheet = z.infer<typeof feeSheet>;
export const versionBody = z.strictObject({ version: z.number().int().nonnegative() });
export const feeSheetApprove = z.strictObject({
  version: z.number().int().nonnegative(),
  /** Set after the page has shown the warning that the special work fund is exceeded. */
  acknowledgeOverFund: z.boolean().optional(),
});
export const feeSheetReopen = z.strictObject({ version: z.number().int().nonnegative(), reason: z.string().trim().min(2, '请填写重新核算的原因').max(500) });

// ---------- disbursement (拨付) to the district's HR department ----------
export const paymentInput = z.strictObject({
  paidOn: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, '请选择拨付日期'),
  amountFen: yuanFen.refine((v) => v > 0, '金额须大于 0'),
  voucherNo: z.string().trim().min(1, '请填写凭证号').max(60),
  note: z.string().trim().max(500).default(''),
});
export const payment = z.object({
  id: z.number().int(),
  campaignId: z.number().int(),
  districtId: z.number().int(),
  paidOn: z.string(),
  amountFen: z.number().int(),
  voucherNo: z.string(),
  note: z.string(),
  attachment: z.object({ fileName: z.string(), mime: z.string(), sizeBytes: z.number().int() }).nullable(),
  createdBy: z.string(),
  createdAt: z.string(),
  /** A mistaken entry is voided with a reason, never deleted. */
  voidedAt: z.string().nullable(),
  voidReason: z.string().nullable(),
});
export type Payment = z.infer<typeof payment>;
export const DISBURSEMENT_STATUSES = ['not_approved', 'approved', 'partly_paid', 'paid'] as const;
export type DisbursementStatus = (typeof DISBURSEMENT_STATUSES)[number];
export const DISBURSEMENT_STATUS_LABELS: Record<DisbursementStatus, string> = { not_approved: '未审批', approved: '已审批，未拨付', partly_paid: '部分拨付', paid: '已拨付' };

// ---------- allocation (分配) by the district ----------
/** The four uses of 四（三）2: 宣传发动、入户调查、数据录入、汇总分析. */
export const ALLOCATION_PURPOSES = ['publicity', 'survey', 'entry', 'analysis'] as const;
export type AllocationPurpose = (typeof ALLOCATION_PURPOSES)[number];
export const ALLOCATION_PURPOSE_LABELS: Record<AllocationPurpose, string> = { publicity: '宣传发动', survey: '入户调查', entry: '数据录入', analysis: '汇总分析' };
export const allocationInput = z.strictObject({
  version: z.number().int().nonnegative(),
  purposes: z.array(z.strictObject({ purpose: z.enum(ALLOCATION_PURPOSES), amountFen: yuanFen, note: z.string().trim().max(200).default('') })).max(4),
  /** Streets (or communities) of the district. */
  units: z.array(z.strictObject({ orgUnitId: z.number().int().positive().max(MAX_ID), amountFen: yuanFen })).max(2000),
});
export const allocation = z.object({
  campaignId: z.number().int(),
  districtId: z.number().int(),
  /** 0 before the first save. */
  version: z.number().int(),
  updatedBy: z.string().nullable(),
  updatedAt: z.string().nullable(),
  receivedFen: z.number().int(),
  purposes: z.array(z.object({ purpose: z.enum(ALLOCATION_PURPOSES), label: z.string(), amountFen: z.number().int(), note: z.string() })),
  purposesFen: z.number().int(),
  units: z.array(z.object({ orgUnitId: z.number().int(), orgUnitName: z.string(), level: z.string(), amountFen: z.number().int() })),
  unitsFen: z.number().int(),
  /** received split in proportion to each street's frozen valid count (largest remainder, to the fen). */
  suggestedUnits: z.array(z.object({ orgUnitId: z.number().int(), orgUnitName: z.string(), validCount: z.number().int(), amountFen: z.number().int() })),
});
export type Allocation = z.infer<typeof allocation>;

// ---------- one district's money, and the city overview ----------
export const districtMoney = z.object({
  campaignId: z.number().int(),
  campaignName: z.string(),
  districtId: z.number().int(),
  districtName: z.string(),
  /** The live computation (what a new sheet would hold). */
  computation: feeComputation,
  /** Funds of the district's demonstration sites not withdrawn. */
  siteFunds: z.array(siteFund),
  siteFundsFen: z.number().int(),
  /** The current sheet (not superseded), and the earlier ones. */
  sheet: feeSheet.nullable(),
  earlierSheets: z.array(feeSheet),
  approvedFen: z.number().int().nullable(),
  payments: z.array(payment),
  paidFen: z.number().int(),
  disbursementStatus: z.enum(DISBURSEMENT_STATUSES),
  allocation: allocation,
});
export type DistrictMoney = z.infer<typeof districtMoney>;
export const moneyOverviewRow = z.object({
  districtId: z.number().int(),
  districtName: z.string(),
  validCount: z.number().int().nullable(),
  assessedTotal: z.number().int().nullable(),
  tierLabel: z.string().nullable(),
  tierPercent: z.number().int().nullable(),
  feeFen: z.number().int().nullable(),
  siteFundsFen: z.number().int(),
  totalFen: z.number().int().nullable(),
  sheetStatus: z.enum(FEE_SHEET_STATUSES).nullable(),
  sheetId: z.number().int().nullable(),
  approvedFen: z.number().int().nullable(),
  paidFen: z.number().int(),
  /** Allocated by use (宣传发动、入户调查、数据录入、汇总分析); the split by street is on the district's page. */
  allocatedFen: z.number().int(),
  disbursementStatus: z.enum(DISBURSEMENT_STATUSES),
  /** Why no fee is computed yet (Chinese). */
  missing: z.array(z.string()),
});
export const moneyOverview = z.object({
  campaignId: z.number().int(),
  campaignName: z.string(),
  /** 全民参保登记专项工作经费 (null when not entered). */
  specialFundFen: z.number().int().nullable(),
  rows: z.array(moneyOverviewRow),
  totals: z.object({ feeFen: z.number().int(), siteFundsFen: z.number().int(), totalFen: z.number().int(), approvedFen: z.number().int(), paidFen: z.number().int(), allocatedFen: z.number().int() }),
  /** Fees and site funds of all districts above the special fund (Chinese), else null. */
  overFundWarning: z.string().nullable(),
});
export type MoneyOverview = z.infer<typeof moneyOverview>;
export const specialFundInput = z.strictObject({ amountFen: yuanFen.nullable() });
