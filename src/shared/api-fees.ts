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

// ---------- nominations of outstanding individuals (先进个人, 附件3) ----------
export const NOMINATION_STATUSES = ['draft', 'submitted', 'approved', 'rejected'] as const;
export const NOMINATION_STATUS_LABELS: Record<(typeof NOMINATION_STATUSES)[number], string> = { draft: '草稿', submitted: '已推荐，待评审', approved: '评审通过', rejected: '未通过' };
const text = (max: number, label: string) => z.string().trim().min(1, `请填写${label}`).max(max, `${label}不能超过 ${max} 字`);
export const nominationInput = z.strictObject({
  orgUnitId: z.number().int().positive().max(MAX_ID),
  name: text(30, '姓名'),
  phone: z.string().trim().regex(/^[0-9+\- ]{7,20}$/, '联系电话格式不正确'),
  workUnit: text(100, '工作单位'),
  position: text(60, '职务'),
  deeds: text(5000, '主要事迹'),
  linkedUserId: z.number().int().positive().max(MAX_ID).nullable().optional(),
  unitOpinion: z.string().trim().max(1000).default(''),
  unitOpinionDate: z.string().regex(/^\d{4}-\d{2}-\d{2}$/).nullable().optional(),
});
export const nominationUpdate = nominationInput.omit({ orgUnitId: true }).extend({ version: z.number().int().nonnegative() });
export const nomination = z.object({
  id: z.number().int(),
  campaignId: z.number().int(),
  orgUnitId: z.number().int(),
  orgUnitName: z.string(),
  name: z.string(),
  phone: z.string(),
  workUnit: z.string(),
  position: z.string(),
  deeds: z.string(),
  linkedUserId: z.number().int().nullable(),
  unitOpinion: z.string(),
  unitOpinionDate: z.string().nullable(),
  status: z.enum(NOMINATION_STATUSES),
  submittedAt: z.string().nullable(),
  cityOpinion: z.string().nullable(),
  cityOpinionDate: z.string().nullable(),
  version: z.number().int(),
});
export const nominationList = z.object({
  items: z.array(nomination),
  quotas: z.array(z.object({ orgUnitId: z.number().int(), orgUnitName: z.string(), quota: z.number().int(), used: z.number().int() })),
  deadline: z.string(),
});
export const nominationSubmit = z.strictObject({ version: z.number().int().nonnegative() });
export const nominationEvaluate = z.strictObject({ result: z.enum(['approved', 'rejected']), opinion: z.string().trim().min(2, '请填写评审意见').max(1000), version: z.number().int().nonnegative() });
