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
import { conflict, forbidden, invalidInput, notFound } from '../errors.js';
import { nowIso, todayShanghai } from '../clock.js';
import { getOrgUnit, inScope } from '../orgs/store.js';
import { startedCampaignRow } from '../campaigns/store.js';

type Input = { name: string; phone: string; workUnit: string; position: string; deeds: string; linkedUserId?: number | null | undefined; unitOpinion: string; unitOpinionDate?: string | null | undefined };

/** Quotas count every nomination that left the draft state. */
const COUNTED = ['submitted', 'approved', 'rejected'];

/** Whether the caller fills nominations for this unit: its district admin, or city users for 市社保. */
function mayFill(auth: AuthInfo, unit: OrgUnitRow): boolean {
  if (unit.level === 'district') return auth.role === 'district_admin' && inScope(auth.scope, unit.path);
  if (unit.level === 'agency') return auth.role === 'city_admin';
  return false;
}


function view(r: { [k: string]: unknown }, unitName: string) {
  return {
    id: Number(r.id),
    campaignId: Number(r.campaign_id),
    orgUnitId: Number(r.org_unit_id),
    orgUnitName: unitName,
    name: r.name as string,
    phone: r.phone as string,
    workUnit: r.work_unit as string,
    position: r.position as string,
    deeds: r.deeds as string,
    linkedUserId: r.linked_user_id === null ? null : Number(r.linked_user_id),
    unitOpinion: r.unit_opinion as string,
    unitOpinionDate: (r.unit_opinion_date as string | null) ?? null,
    status: r.status as 'draft' | 'submitted' | 'approved' | 'rejected',
    submittedAt: (r.submitted_at as string | null) ?? null,
    cityOpinion: (r.city_opinion as string | null) ?? null,
    cityOpinionDate: (r.city_opinion_date as string | null) ?? null,
    version: Number(r.version),
  };
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
    .select(['o.name as unit_name', 'o.path'])
    .where('n.campaign_id', '=', campaignId)
    .orderBy('n.id')
    .execute();
  const mine = rows.filter((r) => inScope(auth.scope, r.path));
  return {
    items: mine.map((r) => view(r, r.unit_name)),
    quotas: visible.map((q) => ({ orgUnitId: Number(q.org_unit_id), orgUnitName: q.name, quota: Number(q.quota), used: rows.filter((r) => Number(r.org_unit_id) === Number(q.org_unit_id) && COUNTED.includes(r.status)).length })),
    deadline: c.nomination_deadline,
  };
}

async function loadOwn(db: AnyDb, auth: AuthInfo, id: number) {
  const r = await db.selectFrom('nomination').selectAll().where('id', '=', id).executeTakeFirst();
  const unit = r ? await getOrgUnit(db, Number(r.org_unit_id)) : undefined;
  if (!r || !unit || !inScope(auth.scope, unit.path)) throw notFound('推荐表不存在');
  return { r, unit };
}

export async function createNomination(ctx: AppCtx, auth: AuthInfo, campaignId: number, input: Input & { orgUnitId: number }) {
  const id = await audited(ctx, auth.actor, 'award.nomination.create', async (trx) => {
    await startedCampaignRow(trx, campaignId);
    const unit = await getOrgUnit(trx, input.orgUnitId);
    if (!unit || !inScope(auth.scope, unit.path)) throw notFound('单位不存在');
    if (!mayFill(auth, unit)) throw forbidden('只有本单位可以填写推荐表（区人社部门由区级管理员填写，市社保由市级管理员填写）');
    const quota = await trx.selectFrom('award_quota').select('quota').where('campaign_id', '=', campaignId).where('org_unit_id', '=', Number(unit.id)).executeTakeFirst();
    if (!quota) throw invalidInput(`${unit.name}在本批次没有先进个人名额`);
    const at = nowIso();
    const row = await trx
      .insertInto('nomination')
      .values({ campaign_id: campaignId, org_unit_id: Number(unit.id), name: input.name, phone: input.phone, work_unit: input.workUnit, position: input.position, deeds: input.deeds, linked_user_id: input.linkedUserId ?? null, unit_opinion: input.unitOpinion, unit_opinion_date: input.unitOpinionDate ?? null, status: 'draft', created_by: Number(auth.user.id), created_at: at, updated_at: at, version: 0 })
      .returning('id')
      .executeTakeFirstOrThrow();
    return { result: Number(row.id), objectType: 'nomination', objectId: Number(row.id), after: { orgUnitId: Number(unit.id), name: input.name } };
  });
  return getNomination(ctx.db, auth, id);
}

export async function getNomination(db: AnyDb, auth: AuthInfo, id: number) {
  const { r, unit } = await loadOwn(db, auth, id);
  return view(r, unit.name);
}

/** Edits a draft (the unit only; a submitted nomination is the city's to evaluate). */
export async function updateNomination(ctx: AppCtx, auth: AuthInfo, id: number, input: Input & { version: number }) {
  await audited(ctx, auth.actor, 'award.nomination.update', async (trx) => {
    const { r, unit } = await loadOwn(trx, auth, id);
    if (!mayFill(auth, unit)) throw forbidden('只有本单位可以修改推荐表');
    if (r.status !== 'draft') throw invalidInput('推荐表已提交，不能再修改');
    if (Number(r.version) !== input.version) throw conflict('推荐表已被他人修改，请刷新后重试（您的修改未保存）', { current: view(r, unit.name) });
    await trx
      .updateTable('nomination')
      .set({ name: input.name, phone: input.phone, work_unit: input.workUnit, position: input.position, deeds: input.deeds, linked_user_id: input.linkedUserId ?? null, unit_opinion: input.unitOpinion, unit_opinion_date: input.unitOpinionDate ?? null, updated_at: nowIso(), version: input.version + 1 })
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
    const fresh = await trx.selectFrom('nomination').select(['status', 'version']).where('id', '=', id).executeTakeFirstOrThrow();
    if (Number(fresh.version) !== version) throw conflict('推荐表已被他人修改，请刷新后重试');
    if (fresh.status !== 'draft') throw invalidInput('推荐表已提交');
    const quota = await trx.selectFrom('award_quota').select('quota').where('campaign_id', '=', Number(r.campaign_id)).where('org_unit_id', '=', Number(unit.id)).executeTakeFirstOrThrow();
    const used = await trx
      .selectFrom('nomination')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('campaign_id', '=', Number(r.campaign_id))
      .where('org_unit_id', '=', Number(unit.id))
      .where('status', 'in', COUNTED)
      .executeTakeFirstOrThrow();
    const check = checkQuota(Number(quota.quota), Number(used.n));
    if (!check.ok) throw conflict(`${unit.name}${check.message}，不能再提交`);
    await trx.updateTable('nomination').set({ status: 'submitted', submitted_at: nowIso(), updated_at: nowIso(), version: version + 1 }).where('id', '=', id).execute();
    return { result: null, objectType: 'nomination', objectId: id, after: { status: 'submitted', used: Number(used.n) + 1, quota: Number(quota.quota) } };
  });
  return getNomination(ctx.db, auth, id);
}

export async function evaluateNomination(ctx: AppCtx, auth: AuthInfo, id: number, input: { result: 'approved' | 'rejected'; opinion: string; version: number }) {
  await audited(ctx, auth.actor, 'award.nomination.evaluate', async (trx) => {
    const { r } = await loadOwn(trx, auth, id);
    if (r.status === 'draft') throw invalidInput('推荐表尚未提交');
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
