// The assessment of a district in a campaign (SPEC §2): the district's self-assessment, the city's
// review, the workflow's transitions — each write in one audited transaction, with the version
// checked (no lost update when two people save at once) and the rules of src/domain/assessment.ts.
import type { Transaction } from 'kysely';
import type { AppCtx } from '../context.js';
import type { AuthInfo } from '../auth/access.js';
import type { AnyDb } from '../db/dialect.js';
import type { AssessmentRow, Database, OrgUnitRow } from '../db/schema.js';
import type { Assessment, AssessmentStatus } from '../../shared/api-assessment.js';
import type { Campaign } from '../../shared/api.js';
import { assessmentPermissions, missingScores, type AssessmentActor } from '../../domain/assessment.js';
import { formatScore, validateScore } from '../../domain/score.js';
import { selectFeeTier } from '../../domain/fees.js';
import { audited } from '../audit/audited.js';
import { conflict, forbidden, invalidInput, notFound } from '../errors.js';
import { nowIso, todayShanghai } from '../clock.js';
import { getOrgUnit, inScope } from '../orgs/store.js';
import { loadCampaign, startedCampaignRow } from '../campaigns/store.js';

export type AssessmentKey = { campaignId: number; orgUnitId: number };

/** What the caller is to this district's assessment. */
export function actorFor(auth: AuthInfo, district: OrgUnitRow): AssessmentActor {
  if (auth.role === 'city_admin') return 'cityAdmin';
  if (auth.role === 'city_assessor') return 'assessor';
  if (auth.role === 'district_admin' && inScope(auth.scope, district.path)) return 'district';
  return 'other';
}

/** The campaign and the district, both visible to the caller, or 404. */
export async function resolveKey(db: AnyDb, auth: AuthInfo, key: AssessmentKey): Promise<{ campaign: Campaign; district: OrgUnitRow }> {
  const row = await startedCampaignRow(db, key.campaignId);
  const district = await getOrgUnit(db, key.orgUnitId);
  if (!district || district.level !== 'district' || !inScope(auth.scope, district.path)) throw notFound('单位不存在');
  return { campaign: await loadCampaign(db, row), district };
}

export async function assessmentRow(db: AnyDb, key: AssessmentKey): Promise<AssessmentRow | undefined> {
  return db.selectFrom('assessment').selectAll().where('campaign_id', '=', key.campaignId).where('org_unit_id', '=', key.orgUnitId).executeTakeFirst();
}

/** The assessment's row, created as an empty draft on the first write. */
async function createRow(trx: Transaction<Database>, key: AssessmentKey, at: string): Promise<AssessmentRow> {
  await trx.insertInto('assessment').values({ campaign_id: key.campaignId, org_unit_id: key.orgUnitId, status: 'draft', created_at: at, updated_at: at, version: 0 }).execute();
  return (await assessmentRow(trx, key))!;
}

export function criteriaOf(campaign: Campaign) {
  return campaign.categories.flatMap((c) => c.criteria.map((k) => ({ ...k, categoryId: c.id })));
}

export async function getAssessment(db: AnyDb, auth: AuthInfo, key: AssessmentKey): Promise<Assessment> {
  const { campaign, district } = await resolveKey(db, auth, key);
  const row = await assessmentRow(db, key);
  const items = row ? await db.selectFrom('assessment_item').selectAll().where('assessment_id', '=', row.id).execute() : [];
  const byCriterion = new Map(items.map((i) => [Number(i.criterion_id), i]));
  const files = row
    ? await db
        .selectFrom('evidence_file as e')
        .innerJoin('app_user as u', 'u.id', 'e.uploaded_by')
        .select(['e.id', 'e.criterion_id', 'e.file_name', 'e.mime', 'e.size_bytes', 'e.sha256', 'e.uploaded_at', 'u.display_name'])
        .where('e.assessment_id', '=', row.id)
        .where('e.deleted_at', 'is', null)
        .orderBy('e.id')
        .execute()
    : [];
  const events = row
    ? await db
        .selectFrom('assessment_event as e')
        .innerJoin('app_user as u', 'u.id', 'e.user_id')
        .select(['e.at', 'e.action', 'e.reason', 'u.display_name'])
        .where('e.assessment_id', '=', row.id)
        .orderBy('e.id')
        .execute()
    : [];
  const status = (row?.status ?? 'draft') as AssessmentStatus;
  const perms = assessmentPermissions({ status, actor: actorFor(auth, district), today: todayShanghai(), deadline: campaign.selfAssessmentDeadline, windowUntil: row?.window_until ?? null });
  const categories = campaign.categories.map((c) => {
    const list = c.criteria.map((k) => {
      const i = byCriterion.get(k.id);
      return {
        criterionId: k.id,
        seq: k.seq,
        text: k.text,
        maxScore: k.maxScore,
        kind: k.kind,
        selfScore: i?.self_score ?? null,
        selfNote: i?.self_note ?? '',
        assessedScore: i?.assessed_score ?? null,
        assessedComment: i?.assessed_comment ?? '',
        evidence: files
          .filter((f) => Number(f.criterion_id) === k.id)
          .map((f) => ({ id: Number(f.id), criterionId: Number(f.criterion_id), fileName: f.file_name, mime: f.mime, sizeBytes: Number(f.size_bytes), sha256: f.sha256, uploadedAt: f.uploaded_at, uploadedBy: f.display_name })),
      };
    });
    return { id: c.id, seq: c.seq, name: c.name, maxScore: c.maxScore, selfTotal: sum(list.map((i) => i.selfScore)), assessedTotal: sum(list.map((i) => i.assessedScore)), items: list };
  });
  return {
    id: row ? Number(row.id) : null,
    campaignId: campaign.id,
    campaignName: campaign.name,
    orgUnitId: Number(district.id),
    orgUnitName: district.name,
    status,
    deadline: campaign.selfAssessmentDeadline,
    windowUntil: row?.window_until ?? null,
    categories,
    selfTotal: sum(categories.map((c) => c.selfTotal)),
    assessedTotal: sum(categories.map((c) => c.assessedTotal)),
    submittedAt: row?.submitted_at ?? null,
    finalizedAt: row?.finalized_at ?? null,
    returnReason: status === 'returned' ? (row?.return_reason ?? null) : null,
    can: { editSelf: perms.editSelf, submit: perms.submit, review: perms.review, returnToDistrict: perms.returnToDistrict, finalize: perms.finalize, reopen: perms.reopen, reopenWindow: perms.reopenWindow },
    lockedReason: perms.lockedReason,
    events: events.map((e) => ({ at: e.at, userName: e.display_name, action: e.action as Assessment['events'][number]['action'], reason: e.reason })),
    feeTier: status === 'final' ? (({ label, percent }) => ({ label, percent }))(selectFeeTier(sum(categories.map((c) => c.assessedTotal)), campaign.feeTiers)) : null,
    version: row ? Number(row.version) : 0,
  };
}

function sum(xs: Array<number | null>): number {
  return xs.reduce<number>((s, x) => s + (x ?? 0), 0);
}

type Ctx = { trx: Transaction<Database>; campaign: Campaign; district: OrgUnitRow; row: AssessmentRow; view: Assessment; at: string };

/**
 * Runs `fn` on the assessment inside one audited transaction: the row is created on first write,
 * the version must be the one the caller read (else 409 with the current assessment), and the
 * version goes up by one. `allowed` picks the permission the action needs.
 */
async function change(
  ctx: AppCtx,
  auth: AuthInfo,
  key: AssessmentKey,
  event: string,
  version: number,
  allowed: (can: Assessment['can']) => boolean,
  refusal: (view: Assessment) => string,
  fn: (c: Ctx) => Promise<void>,
): Promise<Assessment> {
  await audited(ctx, auth.actor, event, async (trx) => {
    const { campaign, district } = await resolveKey(trx, auth, key);
    const at = nowIso();
    const existing = await assessmentRow(trx, key);
    if (existing && Number(existing.version) !== version) throw conflict('考核表已被他人修改，请刷新后重试（您的修改未保存）', { current: await getAssessment(trx, auth, key) });
    if (!existing && version !== 0) throw conflict('考核表已被他人修改，请刷新后重试', { current: await getAssessment(trx, auth, key) });
    const row = existing ?? (await createRow(trx, key, at));
    const view = await getAssessment(trx, auth, key);
    if (!allowed(view.can)) throw forbidden(refusal(view));
    await fn({ trx, campaign, district, row, view, at });
    const bumped = await trx
      .updateTable('assessment')
      .set({ updated_at: at, version: Number(row.version) + 1 })
      .where('id', '=', row.id)
      .where('version', '=', row.version)
      .executeTakeFirst();
    if (Number(bumped.numUpdatedRows) !== 1) throw conflict('考核表已被他人修改，请刷新后重试');
    return { result: null, objectType: 'assessment', objectId: Number(row.id), after: { campaignId: key.campaignId, orgUnitId: key.orgUnitId } };
  });
  return getAssessment(ctx.db, auth, key);
}

async function addEvent(c: Ctx, auth: AuthInfo, action: string, reason: string | null = null): Promise<void> {
  await c.trx.insertInto('assessment_event').values({ assessment_id: Number(c.row.id), at: c.at, user_id: Number(auth.user.id), action, reason }).execute();
}

/** Upserts score rows; `check` validates every given score against its item first (all or nothing). */
async function saveItems(
  c: Ctx,
  items: Array<{ criterionId: number; score: number | null; text: string }>,
  columns: { score: 'self_score' | 'assessed_score'; text: 'self_note' | 'assessed_comment' },
  refuse?: (criterion: ReturnType<typeof criteriaOf>[number]) => string | null,
): Promise<void> {
  const criteria = new Map(criteriaOf(c.campaign).map((k) => [k.id, k]));
  const seen = new Set<number>();
  for (const i of items) {
    const k = criteria.get(i.criterionId);
    if (!k) throw invalidInput(`考核标准 ${i.criterionId} 不属于本批次考核表`);
    if (seen.has(i.criterionId)) throw invalidInput(`考核标准“${k.text.slice(0, 20)}…”重复`);
    seen.add(i.criterionId);
    const why = refuse?.(k);
    if (why) throw invalidInput(why);
    if (i.score !== null) {
      const v = validateScore(i.score, k.maxScore);
      if (!v.ok) throw invalidInput(`“${k.text.slice(0, 24)}…”（标准分 ${formatScore(k.maxScore)}）：${v.message}`, { criterionId: k.id });
    }
  }
  const existing = new Map((await c.trx.selectFrom('assessment_item').select(['id', 'criterion_id']).where('assessment_id', '=', c.row.id).execute()).map((r) => [Number(r.criterion_id), Number(r.id)]));
  for (const i of items) {
    const id = existing.get(i.criterionId);
    const values = { [columns.score]: i.score, [columns.text]: i.text, updated_at: c.at };
    if (id !== undefined) await c.trx.updateTable('assessment_item').set(values).where('id', '=', id).execute();
    else await c.trx.insertInto('assessment_item').values({ assessment_id: Number(c.row.id), criterion_id: i.criterionId, self_note: '', assessed_comment: '', ...values }).execute();
  }
}

export function saveSelfAssessment(ctx: AppCtx, auth: AuthInfo, key: AssessmentKey, input: { items: Array<{ criterionId: number; selfScore: number | null; selfNote: string }>; version: number }) {
  return change(ctx, auth, key, 'assessment.self.save', input.version, (can) => can.editSelf, (v) => v.lockedReason ?? '只有本区的区级管理员可以填写自评', (c) =>
    saveItems(c, input.items.map((i) => ({ criterionId: i.criterionId, score: i.selfScore, text: i.selfNote })), { score: 'self_score', text: 'self_note' }),
  );
}

export function submitSelfAssessment(ctx: AppCtx, auth: AuthInfo, key: AssessmentKey, version: number) {
  return change(ctx, auth, key, 'assessment.submit', version, (can) => can.submit, (v) => v.lockedReason ?? '只有本区的区级管理员可以提交自评', async (c) => {
    const missing = missingScores(c.view.categories.flatMap((cat) => cat.items), 'self');
    if (missing.length) throw invalidInput(`还有 ${missing.length} 项未填写自评分：${missing.map((m) => `“${m.text.slice(0, 16)}…”`).join('、')}`, { criterionIds: missing.map((m) => m.criterionId) });
    await c.trx.updateTable('assessment').set({ status: 'submitted', submitted_at: c.at, submitted_by: Number(auth.user.id), return_reason: null }).where('id', '=', c.row.id).execute();
    await addEvent(c, auth, 'submit');
  });
}

export function saveReview(ctx: AppCtx, auth: AuthInfo, key: AssessmentKey, input: { items: Array<{ criterionId: number; assessedScore: number | null; assessedComment: string }>; version: number }) {
  return change(ctx, auth, key, 'assessment.review.save', input.version, (can) => can.review, (v) => (v.status === 'submitted' ? '只有市级考核员可以评分' : '只能对已提交的自评评分'), async (c) => {
    const spotChecked = await c.trx.selectFrom('spot_check').select('id').where('assessment_id', '=', c.row.id).executeTakeFirst();
    // The accuracy item's score comes from the spot check: sent back unchanged it is left alone.
    const current = new Map(c.view.categories.flatMap((x) => x.items).map((i) => [i.criterionId, i]));
    const given = input.items.filter((i) => !(spotChecked && current.get(i.criterionId)?.kind === 'accuracy' && current.get(i.criterionId)?.assessedScore === i.assessedScore));
    await saveItems(
      c,
      given.map((i) => ({ criterionId: i.criterionId, score: i.assessedScore, text: i.assessedComment })),
      { score: 'assessed_score', text: 'assessed_comment' },
      (k) => (k.kind === 'accuracy' && spotChecked ? '“录入信息系统的数据应准确”一项的考核分由抽查结果自动计算（每发现一例错误扣 0.5 分），不能手工修改' : null),
    );
  });
}

export function returnToDistrict(ctx: AppCtx, auth: AuthInfo, key: AssessmentKey, input: { version: number; reason?: string | undefined }) {
  return change(ctx, auth, key, 'assessment.return', input.version, (can) => can.returnToDistrict, () => '只能退回已提交、尚未完成考核的自评', async (c) => {
    if (!input.reason) throw invalidInput('请填写退回原因');
    await c.trx.updateTable('assessment').set({ status: 'returned', return_reason: input.reason }).where('id', '=', c.row.id).execute();
    await addEvent(c, auth, 'return', input.reason);
  });
}

export function finalizeAssessment(ctx: AppCtx, auth: AuthInfo, key: AssessmentKey, version: number) {
  return change(ctx, auth, key, 'assessment.finalize', version, (can) => can.finalize, () => '只能对已提交的自评完成考核', async (c) => {
    const missing = missingScores(c.view.categories.flatMap((cat) => cat.items), 'assessed');
    if (missing.length) throw invalidInput(`还有 ${missing.length} 项未评考核分：${missing.map((m) => `“${m.text.slice(0, 16)}…”`).join('、')}`, { criterionIds: missing.map((m) => m.criterionId) });
    await c.trx.updateTable('assessment').set({ status: 'final', finalized_at: c.at, finalized_by: Number(auth.user.id) }).where('id', '=', c.row.id).execute();
    await addEvent(c, auth, 'finalize');
  });
}

export function reopenAssessment(ctx: AppCtx, auth: AuthInfo, key: AssessmentKey, input: { version: number; reason?: string | undefined }) {
  return change(ctx, auth, key, 'assessment.reopen', input.version, (can) => can.reopen, () => '只有市级管理员可以重新开放已完成的考核', async (c) => {
    if (!input.reason) throw invalidInput('请填写重新开放的原因');
    await c.trx.updateTable('assessment').set({ status: 'submitted', finalized_at: null, finalized_by: null }).where('id', '=', c.row.id).execute();
    await addEvent(c, auth, 'reopen', input.reason);
  });
}

export function reopenWindow(ctx: AppCtx, auth: AuthInfo, key: AssessmentKey, input: { version: number; until: string; reason: string }) {
  return change(ctx, auth, key, 'assessment.window', input.version, (can) => can.reopenWindow, () => '只有市级管理员可以在截止日期后重新开放自评提交', async (c) => {
    if (input.until < todayShanghai()) throw invalidInput('补报期限不能早于今天');
    await c.trx.updateTable('assessment').set({ window_until: input.until }).where('id', '=', c.row.id).execute();
    await addEvent(c, auth, 'window', `${input.reason}（补报期限 ${input.until}）`);
  });
}

/** Every district of the caller's scope with its assessment's state (the city's overview). */
export async function assessmentOverview(db: AnyDb, auth: AuthInfo, campaignId: number) {
  const campaign = await loadCampaign(db, await startedCampaignRow(db, campaignId));
  const districts = (await db.selectFrom('org_unit').selectAll().where('level', '=', 'district').orderBy('code').execute()).filter((d) => inScope(auth.scope, d.path));
  const items = [];
  for (const d of districts) {
    const a = await getAssessment(db, auth, { campaignId, orgUnitId: Number(d.id) });
    const all = a.categories.flatMap((c) => c.items);
    items.push({
      id: a.id,
      orgUnitId: a.orgUnitId,
      orgUnitName: a.orgUnitName,
      status: a.status,
      selfTotal: a.selfTotal,
      assessedTotal: a.assessedTotal,
      missingSelf: missingScores(all, 'self').length,
      missingAssessed: missingScores(all, 'assessed').length,
      evidenceCount: all.reduce((n, i) => n + i.evidence.length, 0),
      submittedAt: a.submittedAt,
      finalizedAt: a.finalizedAt,
    });
  }
  return { campaignId, campaignName: campaign.name, deadline: campaign.selfAssessmentDeadline, totalScore: campaign.totalScore, items };
}

/** Adds an evidence file (already stored by content) to an item, while the district may edit. */
export async function addEvidence(ctx: AppCtx, auth: AuthInfo, key: AssessmentKey, input: { criterionId: number; fileName: string; sha256: string; mime: string; sizeBytes: number }): Promise<number> {
  return audited(ctx, auth.actor, 'assessment.evidence.add', async (trx) => {
    const { campaign } = await resolveKey(trx, auth, key);
    if (!criteriaOf(campaign).some((k) => k.id === input.criterionId)) throw invalidInput('考核标准不属于本批次考核表');
    const view = await getAssessment(trx, auth, key);
    if (!view.can.editSelf) throw forbidden(view.lockedReason ?? '只有本区的区级管理员可以上传佐证材料');
    const at = nowIso();
    const row = (await assessmentRow(trx, key)) ?? (await createRow(trx, key, at));
    const f = await trx
      .insertInto('evidence_file')
      .values({ assessment_id: Number(row.id), criterion_id: input.criterionId, sha256: input.sha256, file_name: input.fileName.slice(0, 255), mime: input.mime, size_bytes: input.sizeBytes, uploaded_by: Number(auth.user.id), uploaded_at: at, deleted_at: null })
      .returning('id')
      .executeTakeFirstOrThrow();
    return { result: Number(f.id), objectType: 'evidence_file', objectId: Number(f.id), after: { criterionId: input.criterionId, fileName: input.fileName, sha256: input.sha256, sizeBytes: input.sizeBytes } };
  });
}

/** An evidence file the caller may see (its district in scope), or 404 — a guessed id tells nothing. */
export async function findEvidence(db: AnyDb, auth: AuthInfo, id: number) {
  const f = await db
    .selectFrom('evidence_file as e')
    .innerJoin('assessment as a', 'a.id', 'e.assessment_id')
    .innerJoin('org_unit as o', 'o.id', 'a.org_unit_id')
    .select(['e.id', 'e.sha256', 'e.file_name', 'e.mime', 'e.size_bytes', 'e.deleted_at', 'a.campaign_id', 'a.org_unit_id', 'o.path'])
    .where('e.id', '=', id)
    .executeTakeFirst();
  if (!f || f.deleted_at !== null || !inScope(auth.scope, f.path)) throw notFound('佐证材料不存在');
  return f;
}

export async function removeEvidence(ctx: AppCtx, auth: AuthInfo, id: number): Promise<void> {
  await audited(ctx, auth.actor, 'assessment.evidence.remove', async (trx) => {
    const f = await findEvidence(trx, auth, id);
    const view = await getAssessment(trx, auth, { campaignId: Number(f.campaign_id), orgUnitId: Number(f.org_unit_id) });
    if (!view.can.editSelf) throw forbidden(view.lockedReason ?? '只有本区的区级管理员可以删除佐证材料');
    await trx.updateTable('evidence_file').set({ deleted_at: nowIso() }).where('id', '=', id).execute();
    return { result: null, objectType: 'evidence_file', objectId: id, before: { fileName: f.file_name, sha256: f.sha256 } };
  });
}
