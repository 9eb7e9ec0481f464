// HTTP contracts of awards: nominations of outstanding individuals (先进个人, seed 五, 附件3), the
// quotas, the city's evaluation and the published commendation list (表彰名单).
import { z } from 'zod';
import { AWARD_CONDITIONS_MAX, MAX_ID } from './api.js';

export const CONDITION_ANSWER_MAX = 500;

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
  /**
   * How the person meets each 申报条件 of the campaign (seed 五（一）), in the campaign's order. A
   * draft may leave some empty; a submission needs every one. Omitted on an update: unchanged.
   */
  conditionAnswers: z.array(z.string().trim().max(CONDITION_ANSWER_MAX, `申报条件的符合情况每条不能超过 ${CONDITION_ANSWER_MAX} 字`)).max(AWARD_CONDITIONS_MAX).optional(),
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
  /** The campaign's 申报条件, each with how this person meets it ('' when not answered: a draft, or a form made before conditions were recorded). */
  conditions: z.array(z.object({ text: z.string(), answer: z.string() })),
  linkedUserId: z.number().int().nullable(),
  unitOpinion: z.string(),
  unitOpinionDate: z.string().nullable(),
  status: z.enum(NOMINATION_STATUSES),
  submittedAt: z.string().nullable(),
  cityOpinion: z.string().nullable(),
  cityOpinionDate: z.string().nullable(),
  /** Files attached to the form (事迹材料), images/PDF/Office. */
  attachments: z.array(z.object({ id: z.number().int(), fileName: z.string(), mime: z.string(), sizeBytes: z.number().int(), sha256: z.string(), uploadedAt: z.string() })),
  /** The linked user's work recorded in the system (null when not linked). */
  linkedWork: z
    .object({
      userId: z.number().int(),
      displayName: z.string(),
      orgUnitName: z.string(),
      roleLabel: z.string(),
      /** Live records this user entered in the campaign's period (up to the data cutoff). */
      recordsEntered: z.number().int(),
      recordsValid: z.number().int(),
      /** Of them, drawn in spot checks and checked; wrong ones. */
      spotChecked: z.number().int(),
      spotWrong: z.number().int(),
      /** Permille of the checked ones found correct; null when none was checked. */
      accuracyPermille: z.number().int().nullable(),
    })
    .nullable(),
  version: z.number().int(),
});
export type Nomination = z.infer<typeof nomination>;
export const nominationList = z.object({
  items: z.array(nomination),
  quotas: z.array(z.object({ orgUnitId: z.number().int(), orgUnitName: z.string(), quota: z.number().int(), used: z.number().int() })),
  deadline: z.string(),
  /** When the city published the final list (null before). */
  publishedAt: z.string().nullable(),
});
export type NominationList = z.infer<typeof nominationList>;
export const nominationSubmit = z.strictObject({ version: z.number().int().nonnegative() });
export const nominationEvaluate = z.strictObject({ result: z.enum(['approved', 'rejected']), opinion: z.string().trim().min(2, '请填写评审意见').max(1000), version: z.number().int().nonnegative() });

/** Users a unit may link a nomination to (its own subtree). */
export const linkableUsers = z.array(z.object({ id: z.number().int(), displayName: z.string(), username: z.string(), orgUnitName: z.string(), roleLabel: z.string() }));

/** The published commendation list (表彰名单): approved nominations, by unit. */
export const commendationList = z.object({
  campaignId: z.number().int(),
  campaignName: z.string(),
  publishedAt: z.string().nullable(),
  items: z.array(z.object({ seq: z.number().int(), orgUnitName: z.string(), name: z.string(), workUnit: z.string(), position: z.string() })),
});
export type CommendationList = z.infer<typeof commendationList>;
