// Nominations of outstanding individuals (先进个人, seed 五; 附件3): a unit (a district's HR
// department, or 市社保 by city users) fills a form per person, submits it by the campaign's
// deadline within the unit's quota (新北区 8, 天宁区 7, 钟楼区 6, 市社保 2), the city evaluates.
// The quota holds under concurrency: the count and the submission happen in one transaction that
// holds the write lock (SQLite: BEGIN IMMEDIATE; PostgreSQL: an advisory lock per campaign and unit).
import type { AppCtx } from '../context.js';
import type { AuthInfo } from '../auth/access.js';
import type { AnyDb } from '../db/dialect.js';
import { lockForWrite } from '../db/dialect.js';
import type { OrgUnitRow } from '../db/schema.js';
import { checkQuota } from '../../domain/quota.js';
import { audited } from '../audit/audited.js';
import { recordAudit } from '../audit/store.js';
import { maskPhone } from '../../domain/id-number.js';
import { conflict, forbidden, invalidInput, notFound } from '../errors.js';
import { dayEnd, nowIso, todayShanghai } from '../clock.js';
import { getOrgUnit, inScope } from '../orgs/store.js';
import { awardConditionsOf, startedCampaignRow } from '../campaigns/store.js';
import { isCityRole, ROLE_LABELS, type Role } from '../../shared/roles.js';
import type { Nomination } from '../../shared/api-awards.js';
import { issueDocument, type DocLine } from '../documents/service.js';

type Input = { name: string; phone: string; workUnit: string; position: string; deeds: string; conditionAnswers?: string[] | undefined; linkedUserId?: number | null | undefined; unitOpinion: string; unitOpinionDate?: string | null | undefined };

/** Quotas count every nomination that left the draft state. */
const COUNTED = ['submitted', 'approved', 'rejected'];

/** Whether the caller fills nominations for this unit: its district admin, or city users for 市社保. */
function mayFill(auth: AuthInfo, unit: OrgUnitRow): boolean {
  if (unit.level === 'district') return auth.role === 'district_admin' && inScope(auth.scope, unit.path);
  if (unit.level === 'agency') return auth.role === 'city_admin';
  return false;
}


type Extras = { attachments: Nomination['attachments']; linkedWork: Nomination['linkedWork']; published: boolean; auth: AuthInfo; fullPhone: boolean; conditions: string[] };

/** The stored answers (JSON array; '[]' for a form made before conditions were recorded). */
function answersOf(r: { condition_answers?: unknown }): string[] {
  const v: unknown = typeof r.condition_answers === 'string' ? JSON.parse(r.condition_answers) : [];
  return Array.isArray(v) ? v.map(String) : [];
}

/** Each condition of the campaign with its answer ('' when none). */
function pairConditions(conditions: string[], answers: string[]): Nomination['conditions'] {
  return conditions.map((text, i) => ({ text, answer: answers[i] ?? '' }));
}

/**
 * The answers to store: one per condition of the campaign, in its order (missing ones empty). More
 * answers than conditions is a form filled against other conditions: refused, never cut silently.
 */
function answersToStore(conditions: string[], answers: string[]): string {
  if (answers.length > conditions.length) throw invalidInput(`申报条件的符合情况有 ${answers.length} 条，本批次的申报条件只有 ${conditions.length} 条，请刷新后重新填写`);
  return JSON.stringify(conditions.map((_, i) => answers[i] ?? ''));
}

/**
 * Who reads a nomination's phone in full (SPEC: phones 3 + 4 unless the role needs the full value,
 * and then the view is logged): the unit's own fillers and the city roles that evaluate. Everyone
 * else — viewers, clerks, other roles of the district — and every list get it masked.
 */
function seesFullPhone(auth: AuthInfo, unit: OrgUnitRow): boolean {
  return mayFill(auth, unit) || isCityRole(auth.role);
}

/** Before the city publishes the list, a unit sees its submitted nominations as awaiting evaluation. */
function view(r: { [k: string]: unknown }, unitName: string, x: Extras): Nomination {
  const hide = !x.published && !isCityRole(x.auth.role) && (r.status === 'approved' || r.status === 'rejected');
  return {
    id: Number(r.id),
    campaignId: Number(r.campaign_id),
    orgUnitId: Number(r.org_unit_id),
    orgUnitName: unitName,
    name: r.name as string,
    phone: x.fullPhone ? (r.phone as string) : maskPhone(r.phone as string),
    workUnit: r.work_unit as string,
    position: r.position as string,
    deeds: r.deeds as string,
    conditions: pairConditions(x.conditions, answersOf(r)),
    linkedUserId: r.linked_user_id === null ? null : Number(r.linked_user_id),
    unitOpinion: r.unit_opinion as string,
    unitOpinionDate: (r.unit_opinion_date as string | null) ?? null,
    status: hide ? 'submitted' : (r.status as 'draft' | 'submitted' | 'approved' | 'rejected'),
    submittedAt: (r.submitted_at as string | null) ?? null,
    cityOpinion: hide ? null : ((r.city_opinion as string | null) ?? null),
    cityOpinionDate: hide ? null : ((r.city_opinion_date as string | null) ?? null),
    attachments: x.attachments,
    linkedWork: x.linkedWork,
    version: Number(r.version),
  };
}

async function attachmentsOf(db: AnyDb, nominationIds: number[]): Promise<Map<number, Nomination['attachments']>> {
  const out = new Map<number, Nomination['attachments']>();
  if (!nominationIds.length) return out;
  const rows = await db.selectFrom('nomination_attachment').selectAll().where('nomination_id', 'in', nominationIds).where('deleted_at', 'is', null).orderBy('id').execute();
  for (const a of rows) {
    const list = out.get(Number(a.nomination_id)) ?? [];
    list.push({ id: Number(a.id), fileName: a.file_name, mime: a.mime, sizeBytes: Number(a.size_bytes), sha256: a.sha256, uploadedAt: a.uploaded_at });
    out.set(Number(a.nomination_id), list);
  }
  return out;
}

/**
 * The linked user's work as the system recorded it: live records they entered up to the campaign's
 * data cutoff (and how many are the counted valid ones), and of those drawn in spot checks how
 * many were checked and found wrong.
 */
async function linkedWorkOf(db: AnyDb, userId: number | null, cutoff: string): Promise<Nomination['linkedWork']> {
  if (userId === null) return null;
  const u = await db.selectFrom('app_user as u').innerJoin('org_unit as o', 'o.id', 'u.org_unit_id').select(['u.id', 'u.display_name', 'u.role', 'o.name']).where('u.id', '=', userId).executeTakeFirst();
  if (!u) return null;
  const end = dayEnd(cutoff);
  const entered = await db
    .selectFrom('registration')
    .select([(eb) => eb.fn.countAll<number>().as('n'), (eb) => eb.fn.sum<number>('is_counted').as('valid')])
    .where('entered_by', '=', userId)
    .where('deleted_at', 'is', null)
    .where('entered_at', '<', end)
    .executeTakeFirstOrThrow();
  const checks = await db
    .selectFrom('spot_check_record as c')
    .innerJoin('registration as r', 'r.id', 'c.registration_id')
    .select(['c.result'])
    .where('r.entered_by', '=', userId)
    .where('c.result', '!=', 'unchecked')
    .execute();
  const wrong = checks.filter((c) => c.result === 'wrong').length;
  return {
    userId: Number(u.id),
    displayName: u.display_name,
    orgUnitName: u.name,
    roleLabel: ROLE_LABELS[u.role as Role] ?? u.role,
    recordsEntered: Number(entered.n),
    recordsValid: Number(entered.valid ?? 0),
    spotChecked: checks.length,
    spotWrong: wrong,
    accuracyPermille: checks.length ? Math.round(((checks.length - wrong) * 1000) / checks.length) : null,
  };
}

/** A linked user must belong to the nominating unit's subtree. */
async function checkLinkedUser(db: AnyDb, unit: OrgUnitRow, userId: number | null | undefined): Promise<void> {
  if (userId === null || userId === undefined) return;
  const u = await db.selectFrom('app_user as u').innerJoin('org_unit as o', 'o.id', 'u.org_unit_id').select(['o.path']).where('u.id', '=', userId).executeTakeFirst();
  if (!u || !u.path.startsWith(unit.path)) throw invalidInput(`关联的系统用户不属于${unit.name}`);
}

export async function listNominations(db: AnyDb, auth: AuthInfo, campaignId: number) {
  const c = await startedCampaignRow(db, campaignId);
  const quotas = await db
    .selectFrom('award_quota as q')
    .innerJoin('org_unit as o', 'o.id', 'q.org_unit_id')
    .select(['q.org_unit_id', 'q.quota', 'o.name', 'o.path'])
    .where('q.campaign_id', '=', campaignId)
    .orderBy('o.code')
    .execute();
  const visible = quotas.filter((q) => inScope(auth.scope, q.path));
  const rows = await db
    .selectFrom('nomination as n')
    .innerJoin('org_unit as o', 'o.id', 'n.org_unit_id')
    .selectAll('n')
    .select(['o.name as unit_name', 'o.path', 'o.level'])
    .where('n.campaign_id', '=', campaignId)
    .orderBy('n.id')
    .execute();
  const mine = rows.filter((r) => inScope(auth.scope, r.path) && (r.status !== 'draft' || !hidesDraft(auth, r.level)));
  const files = await attachmentsOf(db, mine.map((r) => Number(r.id)));
  const published = c.nominations_published_at !== null;
  return {
    items: mine.map((r) => view(r, r.unit_name, { attachments: files.get(Number(r.id)) ?? [], linkedWork: null, published, auth, fullPhone: false, conditions: awardConditionsOf(c) })),
    quotas: visible.map((q) => ({ orgUnitId: Number(q.org_unit_id), orgUnitName: q.name, quota: Number(q.quota), used: rows.filter((r) => Number(r.org_unit_id) === Number(q.org_unit_id) && COUNTED.includes(r.status)).length })),
    deadline: c.nomination_deadline,
    publishedAt: c.nominations_published_at,
  };
}

/** A district's draft is its own until submitted: city users do not see it (市社保's drafts are theirs). */
function hidesDraft(auth: AuthInfo, unitLevel: string): boolean {
  return isCityRole(auth.role) && unitLevel === 'district';
}

async function loadOwn(db: AnyDb, auth: AuthInfo, id: number) {
  const r = await db.selectFrom('nomination').selectAll().where('id', '=', id).executeTakeFirst();
  const unit = r ? await getOrgUnit(db, Number(r.org_unit_id)) : undefined;
  if (!r || !unit || !inScope(auth.scope, unit.path) || (r.status === 'draft' && hidesDraft(auth, unit.level))) throw notFound('推荐表不存在');
  return { r, unit };
}

export async function createNomination(ctx: AppCtx, auth: AuthInfo, campaignId: number, input: Input & { orgUnitId: number }) {
  const id = await audited(ctx, auth.actor, 'award.nomination.create', async (trx) => {
    const c = await startedCampaignRow(trx, campaignId);
    const unit = await getOrgUnit(trx, input.orgUnitId);
    if (!unit || !inScope(auth.scope, unit.path)) throw notFound('单位不存在');
    if (!mayFill(auth, unit)) throw forbidden('只有本单位可以填写推荐表（区人社部门由区级管理员填写，市社保由市级管理员填写）');
    const quota = await trx.selectFrom('award_quota').select('quota').where('campaign_id', '=', campaignId).where('org_unit_id', '=', Number(unit.id)).executeTakeFirst();
    if (!quota) throw invalidInput(`${unit.name}在本批次没有先进个人名额`);
    await checkLinkedUser(trx, unit, input.linkedUserId);
    const answers = answersToStore(awardConditionsOf(c), input.conditionAnswers ?? []);
    const at = nowIso();
    const row = await trx
      .insertInto('nomination')
      .values({ campaign_id: campaignId, org_unit_id: Number(unit.id), name: input.name, phone: input.phone, work_unit: input.workUnit, position: input.position, deeds: input.deeds, condition_answers: answers, linked_user_id: input.linkedUserId ?? null, unit_opinion: input.unitOpinion, unit_opinion_date: input.unitOpinionDate ?? null, status: 'draft', created_by: Number(auth.user.id), created_at: at, updated_at: at, version: 0 })
      .returning('id')
      .executeTakeFirstOrThrow();
    return { result: Number(row.id), objectType: 'nomination', objectId: Number(row.id), after: { orgUnitId: Number(unit.id), name: input.name } };
  });
  return getNomination(ctx.db, auth, id);
}

/**
 * A nomination as the caller may see it: the phone in full for its fillers and the city, masked for
 * everyone else. Reads through the API go through readNomination (which logs a full view); writes
 * answer with this (the write itself is audited). `unmasked`: for the server's own use (printing).
 */
export async function getNomination(db: AnyDb, auth: AuthInfo, id: number, opts: { unmasked?: boolean } = {}): Promise<Nomination> {
  const { r, unit } = await loadOwn(db, auth, id);
  const c = await startedCampaignRow(db, Number(r.campaign_id));
  const files = await attachmentsOf(db, [id]);
  const linkedWork = await linkedWorkOf(db, r.linked_user_id === null ? null : Number(r.linked_user_id), c.data_cutoff);
  const fullPhone = opts.unmasked === true || seesFullPhone(auth, unit);
  return view(r, unit.name, { attachments: files.get(id) ?? [], linkedWork, published: c.nominations_published_at !== null, auth, fullPhone, conditions: awardConditionsOf(c) });
}

/** GET of one nomination: a read with the full phone is logged (never the phone itself). */
export async function readNomination(ctx: AppCtx, auth: AuthInfo, id: number): Promise<Nomination> {
  const n = await getNomination(ctx.db, auth, id);
  const unit = await getOrgUnit(ctx.db, n.orgUnitId);
  if (unit && seesFullPhone(auth, unit)) {
    await recordAudit(ctx.db, ctx.dialect, auth.actor, { event: 'award.nomination.view', objectType: 'nomination', objectId: id });
  }
  return n;
}

/** Edits a draft (the unit only; a submitted nomination is the city's to evaluate). */
export async function updateNomination(ctx: AppCtx, auth: AuthInfo, id: number, input: Input & { version: number }) {
  await audited(ctx, auth.actor, 'award.nomination.update', async (trx) => {
    const { r, unit } = await loadOwn(trx, auth, id);
    if (!mayFill(auth, unit)) throw forbidden('只有本单位可以修改推荐表');
    if (r.status !== 'draft') throw invalidInput('推荐表已提交，不能再修改');
    if (Number(r.version) !== input.version) throw conflict('推荐表已被他人修改，请刷新后重试（您的修改未保存）', { current: await getNomination(trx, auth, id) });
    await checkLinkedUser(trx, unit, input.linkedUserId);
    const c = await startedCampaignRow(trx, Number(r.campaign_id));
    const answers = input.conditionAnswers === undefined ? r.condition_answers : answersToStore(awardConditionsOf(c), input.conditionAnswers);
    await trx
      .updateTable('nomination')
      .set({ name: input.name, phone: input.phone, work_unit: input.workUnit, position: input.position, deeds: input.deeds, condition_answers: answers, linked_user_id: input.linkedUserId ?? null, unit_opinion: input.unitOpinion, unit_opinion_date: input.unitOpinionDate ?? null, updated_at: nowIso(), version: input.version + 1 })
      .where('id', '=', id)
      .where('version', '=', input.version)
      .execute();
    return { result: null, objectType: 'nomination', objectId: id, after: { name: input.name } };
  });
  return getNomination(ctx.db, auth, id);
}

/** Submits a draft: by the deadline, within the quota — counted and written under one lock. */
export async function submitNomination(ctx: AppCtx, auth: AuthInfo, id: number, version: number) {
  await audited(ctx, auth.actor, 'award.nomination.submit', async (trx) => {
    const { r, unit } = await loadOwn(trx, auth, id);
    if (!mayFill(auth, unit)) throw forbidden('只有本单位可以提交推荐表');
    const c = await startedCampaignRow(trx, Number(r.campaign_id));
    if (todayShanghai() > c.nomination_deadline) throw forbidden(`推荐截止日期（${c.nomination_deadline}）已过`);
    // The lock first: two submissions of one unit are counted one after the other.
    await lockForWrite(trx, ctx.dialect, 900_000_000 + Number(r.campaign_id) * 10_000 + Number(unit.id));
    const fresh = await trx.selectFrom('nomination').select(['status', 'version', 'condition_answers']).where('id', '=', id).executeTakeFirstOrThrow();
    if (Number(fresh.version) !== version) throw conflict('推荐表已被他人修改，请刷新后重试');
    if (fresh.status !== 'draft') throw invalidInput('推荐表已提交');
    checkConditionsAnswered(awardConditionsOf(c), answersOf(fresh));
    const quota = await trx.selectFrom('award_quota').select('quota').where('campaign_id', '=', Number(r.campaign_id)).where('org_unit_id', '=', Number(unit.id)).executeTakeFirstOrThrow();
    const used = await trx
      .selectFrom('nomination')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('campaign_id', '=', Number(r.campaign_id))
      .where('org_unit_id', '=', Number(unit.id))
      .where('status', 'in', COUNTED)
      .executeTakeFirstOrThrow();
    const check = checkQuota(Number(quota.quota), Number(used.n));
    if (!check.ok) throw conflict(`${unit.name}${check.message}，不能再提交`, { quota: Number(quota.quota), used: Number(used.n) });
    await trx.updateTable('nomination').set({ status: 'submitted', submitted_at: nowIso(), updated_at: nowIso(), version: version + 1 }).where('id', '=', id).execute();
    return { result: null, objectType: 'nomination', objectId: id, after: { status: 'submitted', used: Number(used.n) + 1, quota: Number(quota.quota) } };
  });
  return getNomination(ctx.db, auth, id);
}

/** 附件3's note: the deeds follow the 申报条件 — a submitted form says how the person meets each one. */
function checkConditionsAnswered(conditions: string[], answers: string[]): void {
  const missing = conditions.flatMap((_, i) => ((answers[i] ?? '').trim() === '' ? [i + 1] : []));
  if (missing.length) {
    throw invalidInput(`请逐条填写被推荐人符合申报条件的情况后再提交（第 ${missing.join('、')} 条未填写）`, { missingConditions: missing });
  }
}

export async function evaluateNomination(ctx: AppCtx, auth: AuthInfo, id: number, input: { result: 'approved' | 'rejected'; opinion: string; version: number }) {
  await audited(ctx, auth.actor, 'award.nomination.evaluate', async (trx) => {
    const { r } = await loadOwn(trx, auth, id);
    if (r.status === 'draft') throw invalidInput('推荐表尚未提交');
    const c = await startedCampaignRow(trx, Number(r.campaign_id));
    if (c.nominations_published_at) throw invalidInput('表彰名单已发布，评定结果不能再修改');
    if (Number(r.version) !== input.version) throw conflict('推荐表已被他人修改，请刷新后重试');
    await trx
      .updateTable('nomination')
      .set({ status: input.result, city_opinion: input.opinion, city_opinion_date: todayShanghai(), evaluated_by: Number(auth.user.id), updated_at: nowIso(), version: input.version + 1 })
      .where('id', '=', id)
      .execute();
    return { result: null, objectType: 'nomination', objectId: id, after: { result: input.result } };
  });
  return getNomination(ctx.db, auth, id);
}

// ---------- attachments (事迹材料) ----------

/** Attaches a stored file to a draft (the unit only). */
export async function addNominationAttachment(ctx: AppCtx, auth: AuthInfo, id: number, file: { fileName: string; sha256: string; mime: string; sizeBytes: number }) {
  await audited(ctx, auth.actor, 'award.nomination.attach', async (trx) => {
    const { r, unit } = await loadOwn(trx, auth, id);
    if (!mayFill(auth, unit)) throw forbidden('只有本单位可以上传附件');
    if (r.status !== 'draft') throw invalidInput('推荐表已提交，不能再添加附件');
    const row = await trx
      .insertInto('nomination_attachment')
      .values({ nomination_id: id, sha256: file.sha256, file_name: file.fileName.slice(0, 255), mime: file.mime, size_bytes: file.sizeBytes, uploaded_by: Number(auth.user.id), uploaded_at: nowIso(), deleted_at: null })
      .returning('id')
      .executeTakeFirstOrThrow();
    return { result: null, objectType: 'nomination_attachment', objectId: Number(row.id), after: { nominationId: id, fileName: file.fileName, sha256: file.sha256 } };
  });
  return getNomination(ctx.db, auth, id);
}

/** An attachment the caller may see (404 otherwise, like a missing one). */
export async function findNominationAttachment(db: AnyDb, auth: AuthInfo, attachmentId: number) {
  const a = await db.selectFrom('nomination_attachment').selectAll().where('id', '=', attachmentId).where('deleted_at', 'is', null).executeTakeFirst();
  if (!a) throw notFound('附件不存在');
  await loadOwn(db, auth, Number(a.nomination_id)).catch(() => {
    throw notFound('附件不存在');
  });
  return a;
}

export async function removeNominationAttachment(ctx: AppCtx, auth: AuthInfo, attachmentId: number) {
  const nominationId = await audited(ctx, auth.actor, 'award.nomination.detach', async (trx) => {
    const a = await findNominationAttachment(trx, auth, attachmentId);
    const { r, unit } = await loadOwn(trx, auth, Number(a.nomination_id));
    if (!mayFill(auth, unit)) throw forbidden('只有本单位可以删除附件');
    if (r.status !== 'draft') throw invalidInput('推荐表已提交，附件不能再删除');
    await trx.updateTable('nomination_attachment').set({ deleted_at: nowIso() }).where('id', '=', attachmentId).execute();
    return { result: Number(a.nomination_id), objectType: 'nomination_attachment', objectId: attachmentId, before: { fileName: a.file_name } };
  });
  return getNomination(ctx.db, auth, nominationId);
}

/** Active users of the unit's subtree, to link a nomination to (the unit's fillers only). */
export async function linkableUsers(db: AnyDb, auth: AuthInfo, campaignId: number, orgUnitId: number) {
  await startedCampaignRow(db, campaignId);
  const unit = await getOrgUnit(db, orgUnitId);
  if (!unit || !inScope(auth.scope, unit.path)) throw notFound('单位不存在');
  if (!mayFill(auth, unit)) throw forbidden('只有本单位可以填写推荐表');
  const rows = await db
    .selectFrom('app_user as u')
    .innerJoin('org_unit as o', 'o.id', 'u.org_unit_id')
    .select(['u.id', 'u.display_name', 'u.username', 'u.role', 'o.name'])
    .where('o.path', 'like', `${unit.path}%`)
    .where('u.disabled', '=', 0)
    .orderBy('o.path')
    .orderBy('u.display_name')
    .limit(2000)
    .execute();
  return rows.map((u) => ({ id: Number(u.id), displayName: u.display_name, username: u.username, orgUnitName: u.name, roleLabel: ROLE_LABELS[u.role as Role] ?? u.role }));
}

// ---------- publication and the commendation list (表彰名单) ----------

/** Publishes the final list: every submitted nomination must have been evaluated. */
export async function publishNominations(ctx: AppCtx, auth: AuthInfo, campaignId: number) {
  await audited(ctx, auth.actor, 'award.publish', async (trx) => {
    const c = await startedCampaignRow(trx, campaignId);
    if (c.nominations_published_at) throw invalidInput('表彰名单已发布');
    const waiting = await trx.selectFrom('nomination').select((eb) => eb.fn.countAll<number>().as('n')).where('campaign_id', '=', campaignId).where('status', '=', 'submitted').executeTakeFirstOrThrow();
    if (Number(waiting.n) > 0) throw invalidInput(`还有 ${Number(waiting.n)} 份推荐表尚未评定，评定完毕后才能发布`);
    const approved = await trx.selectFrom('nomination').select((eb) => eb.fn.countAll<number>().as('n')).where('campaign_id', '=', campaignId).where('status', '=', 'approved').executeTakeFirstOrThrow();
    if (Number(approved.n) === 0) throw invalidInput('没有评定通过的推荐，无法发布表彰名单');
    await trx.updateTable('campaign').set({ nominations_published_at: nowIso() }).where('id', '=', campaignId).execute();
    return { result: null, objectType: 'campaign', objectId: campaignId, after: { published: true, approved: Number(approved.n) } };
  });
  return listNominations(ctx.db, auth, campaignId);
}

/** The approved nominations of all units (city roles always; everyone else once published). */
export async function commendationList(db: AnyDb, auth: AuthInfo, campaignId: number) {
  const c = await startedCampaignRow(db, campaignId);
  if (!c.nominations_published_at && !isCityRole(auth.role)) throw forbidden('表彰名单尚未发布');
  const rows = await db
    .selectFrom('nomination as n')
    .innerJoin('org_unit as o', 'o.id', 'n.org_unit_id')
    .select(['n.name', 'n.work_unit', 'n.position', 'o.name as unit_name'])
    .where('n.campaign_id', '=', campaignId)
    .where('n.status', '=', 'approved')
    .orderBy('o.code')
    .orderBy('n.id')
    .execute();
  return {
    campaignId,
    campaignName: c.name,
    publishedAt: c.nominations_published_at,
    items: rows.map((r, i) => ({ seq: i + 1, orgUnitName: r.unit_name, name: r.name, workUnit: r.work_unit, position: r.position })),
  };
}

// ---------- the printed form (附件3) ----------

/** The answers as part of the printed content — only when there are any, so that a form printed before conditions were recorded keeps its document number. */
function conditionsContent(n: Nomination): { conditions?: Nomination['conditions'] } {
  return n.conditions.some((x) => x.answer !== '') ? { conditions: n.conditions } : {};
}

/** The document number of the form as it stands now (a new one, the old superseded, after any change). */
export async function nominationDocument(ctx: AppCtx, auth: AuthInfo, id: number) {
  // The register's content hash is of the form itself: the same for every caller, masked or not.
  const n = await getNomination(ctx.db, auth, id, { unmasked: true });
  const c = await startedCampaignRow(ctx.db, n.campaignId);
  const unit = (await getOrgUnit(ctx.db, n.orgUnitId))!;
  // What the paper shows, masked for the public page: the surname and the unit, the state.
  const lines: DocLine[] = [
    { label: '文书', value: '常州市市本级全民参保登记先进个人申报表' },
    { label: '考核批次', value: c.name },
    { label: '推荐单位', value: n.orgUnitName },
    { label: '姓名', value: n.name.slice(0, 1) + '*'.repeat(Math.max(1, [...n.name].length - 1)) },
    { label: '推荐意见日期', value: n.unitOpinionDate ?? '—' },
    { label: '评定意见日期', value: n.cityOpinionDate ?? '—' },
  ];
  const content = { name: n.name, phone: n.phone, workUnit: n.workUnit, position: n.position, deeds: n.deeds, ...conditionsContent(n), unitOpinion: n.unitOpinion, unitOpinionDate: n.unitOpinionDate, status: n.status, cityOpinion: n.cityOpinion, cityOpinionDate: n.cityOpinionDate };
  return audited(ctx, auth.actor, 'award.nomination.print', async (trx) => {
    const doc = await issueDocument(trx, { kind: 'nomination', objectId: id, campaignId: n.campaignId, orgUnitId: n.orgUnitId, campaignCode: c.code, unitCode: unit.code, lines, content, issuedBy: Number(auth.user.id) });
    return { result: doc, objectType: 'nomination', objectId: id, after: { docNumber: doc.docNumber } };
  });
}
