// HTTP contracts of the assessment (考核, SPEC §2, seed 三 and 附件2): a district's self-assessment
// against the campaign's scorecard with evidence per item, the city's review, spot checks of
// records. Scores are integer tenths of a point (5 分 = 50). An assessment is addressed by its
// campaign and district; before anything is saved it reads as an empty draft.
import { z } from 'zod';

const MAX_ID = 2_147_483_647;
const dbId = z.number().int().positive().max(MAX_ID);
const dbIdCoerced = z.coerce.number().int().positive().max(MAX_ID);
const dateString = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, '日期格式应为 YYYY-MM-DD');

export const ASSESSMENT_STATUSES = ['draft', 'submitted', 'returned', 'final'] as const;
export const assessmentStatus = z.enum(ASSESSMENT_STATUSES);
export type AssessmentStatus = z.infer<typeof assessmentStatus>;
export const ASSESSMENT_STATUS_LABELS: Record<AssessmentStatus, string> = {
  draft: '自评中',
  submitted: '已提交，待考核',
  returned: '已退回，待修改',
  final: '考核完成',
};

export const assessmentParams = z.object({ campaignId: dbIdCoerced, orgUnitId: dbIdCoerced });

export const evidenceFile = z.object({
  id: z.number().int(),
  criterionId: z.number().int(),
  fileName: z.string(),
  mime: z.string(),
  sizeBytes: z.number().int(),
  sha256: z.string(),
  uploadedAt: z.string(),
  uploadedBy: z.string(),
});
export type EvidenceFile = z.infer<typeof evidenceFile>;

export const assessmentItem = z.object({
  criterionId: z.number().int(),
  seq: z.number().int(),
  text: z.string(),
  maxScore: z.number().int(),
  kind: z.enum(['manual', 'accuracy']),
  selfScore: z.number().int().nullable(),
  selfNote: z.string(),
  assessedScore: z.number().int().nullable(),
  assessedComment: z.string(),
  evidence: z.array(evidenceFile),
});
export type AssessmentItem = z.infer<typeof assessmentItem>;

export const ASSESSMENT_ACTIONS = ['save', 'submit', 'return', 'review', 'finalize', 'reopen', 'window'] as const;
export const assessmentEvent = z.object({
  at: z.string(),
  userName: z.string(),
  action: z.enum(ASSESSMENT_ACTIONS),
  reason: z.string().nullable(),
});

export const assessment = z.object({
  /** null until something is saved. */
  id: z.number().int().nullable(),
  campaignId: z.number().int(),
  campaignName: z.string(),
  orgUnitId: z.number().int(),
  orgUnitName: z.string(),
  status: assessmentStatus,
  /** The campaign's 自查自评 deadline, and the date until which the city reopened submission after it. */
  deadline: dateString,
  windowUntil: dateString.nullable(),
  categories: z.array(
    z.object({
      id: z.number().int(),
      seq: z.number().int(),
      name: z.string(),
      maxScore: z.number().int(),
      selfTotal: z.number().int(),
      assessedTotal: z.number().int(),
      items: z.array(assessmentItem),
    }),
  ),
  selfTotal: z.number().int(),
  /** Sum of the assessed scores given so far. */
  assessedTotal: z.number().int(),
  submittedAt: z.string().nullable(),
  finalizedAt: z.string().nullable(),
  returnReason: z.string().nullable(),
  /** What the caller may do now (the server decides; the page shows the buttons). */
  can: z.object({ editSelf: z.boolean(), submit: z.boolean(), review: z.boolean(), returnToDistrict: z.boolean(), finalize: z.boolean(), reopen: z.boolean(), reopenWindow: z.boolean() }),
  /** Why the district cannot edit, when it cannot (deadline passed, submitted …). */
  lockedReason: z.string().nullable(),
  events: z.array(assessmentEvent),
  /** Once final: the fee tier the assessed total falls in (src/domain/fees.ts selectFeeTier). */
  feeTier: z.object({ label: z.string(), percent: z.number().int() }).nullable(),
  version: z.number().int(),
});
export type Assessment = z.infer<typeof assessment>;

export const assessmentSummary = z.object({
  id: z.number().int().nullable(),
  orgUnitId: z.number().int(),
  orgUnitName: z.string(),
  status: assessmentStatus,
  selfTotal: z.number().int(),
  assessedTotal: z.number().int(),
  /** Items without a self score / without an assessed score. */
  missingSelf: z.number().int(),
  missingAssessed: z.number().int(),
  evidenceCount: z.number().int(),
  submittedAt: z.string().nullable(),
  finalizedAt: z.string().nullable(),
});
export const assessmentOverview = z.object({
  campaignId: z.number().int(),
  campaignName: z.string(),
  deadline: dateString,
  totalScore: z.number().int(),
  items: z.array(assessmentSummary),
});

const note = z.string().trim().max(1000, '说明不能超过 1000 字');
export const selfAssessmentSave = z.strictObject({
  items: z.array(z.strictObject({ criterionId: dbId, selfScore: z.number().int().min(0).max(1000).nullable(), selfNote: note })).max(200),
  /** The version read; 0 for an assessment never saved. */
  version: z.number().int().nonnegative(),
});
export const reviewSave = z.strictObject({
  items: z.array(z.strictObject({ criterionId: dbId, assessedScore: z.number().int().min(0).max(1000).nullable(), assessedComment: note })).max(200),
  version: z.number().int().nonnegative(),
});
const reason = z.string().trim().min(2, '请填写原因').max(500, '原因不能超过 500 字');
export const assessmentTransition = z.strictObject({ version: z.number().int().nonnegative(), reason: reason.optional() });
export const assessmentWindow = z.strictObject({ until: dateString, reason, version: z.number().int().nonnegative() });

// ---------- spot checks (抽查数据) ----------
export const spotCheckCreate = z.strictObject({
  method: z.enum(['size', 'ratio']),
  /** Records to draw (method size). */
  size: z.number().int().min(1).max(10_000).optional(),
  /** Percent of the population (method ratio), up to 4 decimals. */
  ratioPercent: z.number().gt(0).max(100).optional(),
  /** Given to repeat a draw; otherwise the server makes one. */
  seed: z.string().trim().regex(/^[0-9A-Za-z-]{6,64}$/, '种子应为 6–64 位字母、数字或 -').optional(),
});
export const SPOT_CHECK_RESULTS = ['unchecked', 'correct', 'wrong'] as const;
export const spotCheckRecord = z.object({
  id: z.number().int(),
  seq: z.number().int(),
  registrationId: z.number().int(),
  name: z.string(),
  idNumber: z.string(),
  orgUnitName: z.string(),
  result: z.enum(SPOT_CHECK_RESULTS),
  field: z.string().nullable(),
  problem: z.string().nullable(),
  checkedAt: z.string().nullable(),
  /** A photo of the paper form is attached (GET /api/spot-check-records/:id/photo). */
  hasPhoto: z.boolean(),
  version: z.number().int(),
});
export const spotCheck = z.object({
  id: z.number().int(),
  seed: z.string(),
  method: z.enum(['size', 'ratio']),
  requested: z.number().int(),
  population: z.number().int(),
  populationSha256: z.string(),
  drawnAt: z.string(),
  drawnBy: z.string(),
  checked: z.number().int(),
  errors: z.number().int(),
  records: z.array(spotCheckRecord),
});
export type SpotCheck = z.infer<typeof spotCheck>;
export const spotCheckList = z.object({ items: z.array(spotCheck), errors: z.number().int(), accuracyScore: z.number().int().nullable() });
export const spotCheckMark = z.strictObject({
  result: z.enum(['correct', 'wrong']),
  field: z.string().trim().max(40).optional(),
  problem: z.string().trim().max(500).optional(),
  version: z.number().int().nonnegative(),
});
export const spotCheckVerify = z.object({ matches: z.boolean(), population: z.number().int(), populationSha256: z.string(), message: z.string() });

// ---------- the system's own evidence, notifications ----------
export const systemEvidence = z.object({
  dataCutoff: dateString,
  entered: z.number().int(),
  enteredByCutoff: z.number().int(),
  validByCutoff: z.number().int(),
  surveyors: z.number().int(),
  imports: z.number().int(),
  /** Detail tables exported or generated (人员明细数据表). */
  detailExports: z.number().int(),
  /** Statistics tables exported and analysis-report drafts generated. */
  statisticsExports: z.number().int(),
  /** The district's analysis report (分析报告): uploaded / submitted (报送) with time and hash. */
  report: z.object({ status: z.enum(['uploaded', 'submitted']), submittedAt: z.string().nullable(), sha256: z.string(), fileName: z.string() }).nullable(),
  perDay: z.array(z.object({ day: z.string(), count: z.number().int() })),
});
export const notification = z.object({ kind: z.enum(['due', 'returned', 'arrived', 'locked']), title: z.string(), detail: z.string(), link: z.string() });
export const notificationList = z.object({ items: z.array(notification) });
