// Campaign queries: a campaign with its scorecard, fee tiers and award quotas, as one API object.
import type { AnyDb } from '../db/dialect.js';
import type { CampaignRow } from '../db/schema.js';
import type { Campaign } from '../../shared/api.js';
import type { FeeTier } from '../../domain/fees.js';
import { notFound } from '../errors.js';

export type ScorecardInput = Array<{
  name: string;
  maxScore: number;
  criteria: Array<{ text: string; maxScore: number; kind?: 'manual' | 'accuracy' | undefined }>;
}>;

export async function getCampaignRow(db: AnyDb, id: number): Promise<CampaignRow | undefined> {
  return db.selectFrom('campaign').selectAll().where('id', '=', id).executeTakeFirst();
}

/** A campaign that has started (active or closed), or 404: a draft is the city admin's to edit, nobody works in it. */
export async function startedCampaignRow(db: AnyDb, id: number): Promise<CampaignRow> {
  const row = await getCampaignRow(db, id);
  if (!row || row.status === 'draft') throw notFound('考核批次不存在');
  return row;
}

export async function listCampaignRows(db: AnyDb): Promise<CampaignRow[]> {
  return db.selectFrom('campaign').selectAll().orderBy('year', 'desc').orderBy('id', 'desc').execute();
}

export async function loadCampaign(db: AnyDb, row: CampaignRow): Promise<Campaign> {
  const id = Number(row.id);
  const [cats, crits, quotas] = await Promise.all([
    db.selectFrom('scorecard_category').selectAll().where('campaign_id', '=', id).orderBy('seq').execute(),
    db.selectFrom('scorecard_criterion').selectAll().where('campaign_id', '=', id).orderBy('seq').execute(),
    db
      .selectFrom('award_quota')
      .innerJoin('org_unit', 'org_unit.id', 'award_quota.org_unit_id')
      .select(['award_quota.org_unit_id', 'award_quota.quota', 'org_unit.name', 'org_unit.code'])
      .where('award_quota.campaign_id', '=', id)
      .orderBy('org_unit.code')
      .execute(),
  ]);
  return {
    id,
    code: row.code,
    name: row.name,
    year: Number(row.year),
    status: row.status as Campaign['status'],
    selfAssessmentDeadline: row.self_assessment_deadline,
    dataCutoff: row.data_cutoff,
    nominationDeadline: row.nomination_deadline,
    baseRateFen: Number(row.base_rate_fen),
    totalScore: Number(row.total_score),
    awardTotal: Number(row.award_total),
    specialFundFen: row.special_fund_fen === null ? null : Number(row.special_fund_fen),
    feeTiers: JSON.parse(row.fee_tiers) as FeeTier[],
    categories: cats.map((c) => ({
      id: Number(c.id),
      seq: Number(c.seq),
      name: c.name,
      maxScore: Number(c.max_score),
      criteria: crits
        .filter((k) => Number(k.category_id) === Number(c.id))
        .map((k) => ({ id: Number(k.id), seq: Number(k.seq), text: k.text, maxScore: Number(k.max_score), kind: k.kind as 'manual' | 'accuracy' })),
    })),
    // Districts first in the regulation's order (新北, 天宁, 钟楼), then 市社保: sorted by code below.
    quotas: quotas
      .sort((a, b) => quotaOrder(a.code) - quotaOrder(b.code))
      .map((q) => ({ orgUnitId: Number(q.org_unit_id), orgUnitName: q.name, quota: Number(q.quota) })),
    awardConditions: awardConditionsOf(row),
    contactName: row.contact_name,
    contactPhone: row.contact_phone,
    updatedAt: row.updated_at,
    version: Number(row.version),
  };
}

/** The campaign's 申报条件 (seed 五（一）): a JSON array of strings in the row. */
export function awardConditionsOf(row: Pick<CampaignRow, 'award_conditions'>): string[] {
  const v: unknown = JSON.parse(row.award_conditions);
  return Array.isArray(v) ? v.map(String) : [];
}

/** 五(二)'s table order: 新北区, 天宁区, 钟楼区, 市社保. */
function quotaOrder(code: string): number {
  const order = ['320411', '320402', '320404'];
  const i = order.indexOf(code);
  return i === -1 ? 100 : i;
}

/** Replaces the scorecard of a draft campaign (no scores can refer to it yet). */
export async function replaceScorecard(db: AnyDb, campaignId: number, categories: ScorecardInput): Promise<void> {
  await db.deleteFrom('scorecard_criterion').where('campaign_id', '=', campaignId).execute();
  await db.deleteFrom('scorecard_category').where('campaign_id', '=', campaignId).execute();
  let catSeq = 0;
  for (const cat of categories) {
    catSeq++;
    const inserted = await db
      .insertInto('scorecard_category')
      .values({ campaign_id: campaignId, seq: catSeq, name: cat.name, max_score: cat.maxScore })
      .returning('id')
      .executeTakeFirstOrThrow();
    let seq = 0;
    for (const k of cat.criteria) {
      seq++;
      await db
        .insertInto('scorecard_criterion')
        .values({ campaign_id: campaignId, category_id: Number(inserted.id), seq, text: k.text, max_score: k.maxScore, kind: k.kind ?? 'manual' })
        .execute();
    }
  }
}

export async function replaceQuotas(db: AnyDb, campaignId: number, quotas: Array<{ orgUnitId: number; quota: number }>): Promise<void> {
  await db.deleteFrom('award_quota').where('campaign_id', '=', campaignId).execute();
  if (quotas.length) {
    await db
      .insertInto('award_quota')
      .values(quotas.map((q) => ({ campaign_id: campaignId, org_unit_id: q.orgUnitId, quota: q.quota })))
      .execute();
  }
}
