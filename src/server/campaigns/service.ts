// Campaign rules: a campaign is data. Its rules (scorecard, rate, tiers, quotas, the 申报条件 of
// outstanding individuals) change only while it is a draft — nominations answer the conditions from
// the day it is active; its dates and the contact for submissions may change any time; every change
// is audited.
import type { z } from 'zod';
import type { campaignUpdate } from '../../shared/api.js';
import type { Campaign } from '../../shared/api.js';
import type { AppCtx } from '../context.js';
import type { Actor } from '../audit/store.js';
import type { AnyDb } from '../db/dialect.js';
import { audited } from '../audit/audited.js';
import { conflict, invalidInput, notFound } from '../errors.js';
import { isUniqueViolation } from '../db/dialect.js';
import { nowIso } from '../clock.js';
import { validateScorecard } from '../../domain/score.js';
import { validateFeeTiers, type FeeTier } from '../../domain/fees.js';
import { validateQuotas } from '../../domain/quota.js';
import { getCampaignRow, loadCampaign, replaceQuotas, replaceScorecard, type ScorecardInput } from './store.js';

export type CampaignDefinition = {
  code: string;
  name: string;
  year: number;
  status: 'draft' | 'active' | 'closed';
  selfAssessmentDeadline: string;
  dataCutoff: string;
  nominationDeadline: string;
  baseRateFen: number;
  totalScore: number;
  awardTotal: number;
  specialFundFen?: number | null;
  feeTiers: FeeTier[];
  categories: ScorecardInput;
  quotas: Array<{ orgUnitId: number; quota: number }>;
  /** 申报条件 (seed 五（一）) and the contact for submitted papers (五（三）). */
  awardConditions: readonly string[];
  contactName: string;
  contactPhone: string;
};

/** All rule checks of a campaign, with Chinese messages; throws INVALID_INPUT listing them. */
export function checkCampaignRules(d: Pick<CampaignDefinition, 'categories' | 'totalScore' | 'feeTiers' | 'quotas' | 'awardTotal'>): void {
  const errors: string[] = [];
  const sc = validateScorecard(
    d.categories.map((c, i) => ({ id: i, name: c.name, maxScore: c.maxScore, criteria: c.criteria.map((k, j) => ({ id: `${i}.${j}`, maxScore: k.maxScore })) })),
    d.totalScore,
  );
  if (!sc.ok) errors.push(...sc.errors);
  const accuracy = d.categories.flatMap((c) => c.criteria).filter((k) => k.kind === 'accuracy');
  if (accuracy.length > 1) errors.push('“数据准确”类考核标准最多一条');
  const tiers = validateFeeTiers(d.feeTiers);
  if (!tiers.ok) errors.push(...tiers.errors);
  const q = validateQuotas(
    d.quotas.map((x) => ({ unit: String(x.orgUnitId), quota: x.quota })),
    d.awardTotal,
  );
  if (!q.ok) errors.push(...q.errors);
  if (errors.length) throw invalidInput(errors.join('；'), { errors });
}

async function checkQuotaUnits(db: AnyDb, quotas: Array<{ orgUnitId: number }>): Promise<void> {
  if (!quotas.length) return;
  const ids = quotas.map((q) => q.orgUnitId);
  const units = await db.selectFrom('org_unit').select(['id', 'level']).where('id', 'in', ids).execute();
  if (units.length !== new Set(ids).size) throw invalidInput('名额分配中有不存在的单位');
  if (units.some((u) => u.level !== 'district' && u.level !== 'agency')) throw invalidInput('名额只能分配给区或市社保');
}

function checkDates(d: { selfAssessmentDeadline: string; dataCutoff: string; nominationDeadline: string }): void {
  for (const v of [d.selfAssessmentDeadline, d.dataCutoff, d.nominationDeadline]) {
    const t = Date.parse(`${v}T00:00:00Z`);
    if (Number.isNaN(t) || new Date(t).toISOString().slice(0, 10) !== v) throw invalidInput(`日期 ${v} 不存在`);
  }
}

/** Inserts a campaign with its scorecard and quotas (used by the seed and by copying). */
export async function insertCampaign(db: AnyDb, d: CampaignDefinition): Promise<number> {
  checkCampaignRules(d);
  checkDates(d);
  await checkQuotaUnits(db, d.quotas);
  const at = nowIso();
  let id: number;
  try {
    const row = await db
      .insertInto('campaign')
      .values({
        code: d.code,
        name: d.name,
        year: d.year,
        status: d.status,
        self_assessment_deadline: d.selfAssessmentDeadline,
        data_cutoff: d.dataCutoff,
        nomination_deadline: d.nominationDeadline,
        base_rate_fen: d.baseRateFen,
        total_score: d.totalScore,
        award_total: d.awardTotal,
        special_fund_fen: d.specialFundFen ?? null,
        fee_tiers: JSON.stringify(d.feeTiers),
        award_conditions: JSON.stringify(d.awardConditions),
        contact_name: d.contactName,
        contact_phone: d.contactPhone,
        created_at: at,
        updated_at: at,
        version: 0,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    id = Number(row.id);
  } catch (err) {
    if (isUniqueViolation(err)) throw conflict(`批次代码 ${d.code} 已存在`);
    throw err;
  }
  await replaceScorecard(db, id, d.categories);
  await replaceQuotas(db, id, d.quotas);
  return id;
}

function shiftYear(date: string, years: number): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const day = m === 2 && d === 29 ? 28 : d;
  return `${String(y + years).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

export async function copyCampaign(ctx: AppCtx, actor: Actor, input: { sourceId: number; code: string; name: string; year: number }): Promise<Campaign> {
  return audited(ctx, actor, 'campaign.copy', async (trx) => {
    const srcRow = await getCampaignRow(trx, input.sourceId);
    if (!srcRow) throw notFound('来源批次不存在');
    const src = await loadCampaign(trx, srcRow);
    const shift = input.year - src.year;
    const id = await insertCampaign(trx, {
      code: input.code,
      name: input.name,
      year: input.year,
      status: 'draft',
      selfAssessmentDeadline: shiftYear(src.selfAssessmentDeadline, shift),
      dataCutoff: shiftYear(src.dataCutoff, shift),
      nominationDeadline: shiftYear(src.nominationDeadline, shift),
      baseRateFen: src.baseRateFen,
      totalScore: src.totalScore,
      awardTotal: src.awardTotal,
      specialFundFen: null,
      feeTiers: src.feeTiers,
      categories: src.categories,
      quotas: src.quotas.map((q) => ({ orgUnitId: q.orgUnitId, quota: q.quota })),
      awardConditions: src.awardConditions,
      contactName: src.contactName,
      contactPhone: src.contactPhone,
    });
    const result = await loadCampaign(trx, (await getCampaignRow(trx, id))!);
    return { result, objectType: 'campaign', objectId: id, after: { ...result, copiedFrom: input.sourceId } };
  });
}

type CampaignUpdate = z.infer<typeof campaignUpdate>;
const RULE_FIELDS = ['baseRateFen', 'totalScore', 'awardTotal', 'feeTiers', 'categories', 'quotas', 'awardConditions'] as const;

export async function updateCampaign(ctx: AppCtx, actor: Actor, id: number, input: CampaignUpdate): Promise<Campaign> {
  return audited(ctx, actor, 'campaign.update', async (trx) => {
    const row = await getCampaignRow(trx, id);
    if (!row) throw notFound('考核批次不存在');
    const before = await loadCampaign(trx, row);
    if (before.version !== input.version) throw conflict('该批次已被他人修改，请刷新后重试', { current: before });
    const changesRules = RULE_FIELDS.some((f) => input[f] !== undefined);
    if (changesRules && before.status !== 'draft') {
      throw conflict('批次已启用，考核表、费用规则、名额和申报条件不能再修改（时间安排和报送联系人仍可调整）');
    }
    const next = {
      selfAssessmentDeadline: input.selfAssessmentDeadline ?? before.selfAssessmentDeadline,
      dataCutoff: input.dataCutoff ?? before.dataCutoff,
      nominationDeadline: input.nominationDeadline ?? before.nominationDeadline,
      categories: input.categories ?? before.categories,
      totalScore: input.totalScore ?? before.totalScore,
      feeTiers: input.feeTiers ?? before.feeTiers,
      quotas: input.quotas ?? before.quotas.map((q) => ({ orgUnitId: q.orgUnitId, quota: q.quota })),
      awardTotal: input.awardTotal ?? before.awardTotal,
    };
    checkDates(next);
    checkCampaignRules(next);
    if (input.quotas) await checkQuotaUnits(trx, input.quotas);
    const res = await trx
      .updateTable('campaign')
      .set((eb) => ({
        name: input.name ?? before.name,
        self_assessment_deadline: next.selfAssessmentDeadline,
        data_cutoff: next.dataCutoff,
        nomination_deadline: next.nominationDeadline,
        base_rate_fen: input.baseRateFen ?? before.baseRateFen,
        total_score: next.totalScore,
        award_total: next.awardTotal,
        special_fund_fen: input.specialFundFen === undefined ? before.specialFundFen : input.specialFundFen,
        fee_tiers: JSON.stringify(next.feeTiers),
        award_conditions: JSON.stringify(input.awardConditions ?? before.awardConditions),
        contact_name: input.contactName ?? before.contactName,
        contact_phone: input.contactPhone ?? before.contactPhone,
        updated_at: nowIso(),
        version: eb('version', '+', 1),
      }))
      .where('id', '=', id)
      .where('version', '=', input.version)
      .executeTakeFirst();
    if (Number(res.numUpdatedRows) !== 1) throw conflict('该批次已被他人修改，请刷新后重试');
    if (input.categories) await replaceScorecard(trx, id, input.categories);
    if (input.quotas) await replaceQuotas(trx, id, input.quotas);
    const result = await loadCampaign(trx, (await getCampaignRow(trx, id))!);
    return { result, objectType: 'campaign', objectId: id, before, after: result };
  });
}

const TRANSITIONS: Record<string, string[]> = { draft: ['active'], active: ['closed'], closed: [] };
const STATUS_LABELS: Record<string, string> = { draft: '草稿', active: '进行中', closed: '已结束' };

export async function transitionCampaign(ctx: AppCtx, actor: Actor, id: number, status: 'draft' | 'active' | 'closed', version: number): Promise<Campaign> {
  return audited(ctx, actor, 'campaign.status', async (trx) => {
    const row = await getCampaignRow(trx, id);
    if (!row) throw notFound('考核批次不存在');
    if (Number(row.version) !== version) throw conflict('该批次已被他人修改，请刷新后重试');
    if (!TRANSITIONS[row.status]?.includes(status)) {
      throw conflict(`批次状态不能从“${STATUS_LABELS[row.status]}”改为“${STATUS_LABELS[status]}”`);
    }
    const before = await loadCampaign(trx, row);
    checkCampaignRules({ ...before, quotas: before.quotas });
    await trx
      .updateTable('campaign')
      .set((eb) => ({ status, updated_at: nowIso(), version: eb('version', '+', 1) }))
      .where('id', '=', id)
      .execute();
    const result = await loadCampaign(trx, (await getCampaignRow(trx, id))!);
    return { result, objectType: 'campaign', objectId: id, before: { status: before.status }, after: { status } };
  });
}
