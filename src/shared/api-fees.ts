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
