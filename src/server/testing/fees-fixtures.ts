// A final assessment with a chosen assessed total, written directly: the start of fee tests.
import type { AppCtx } from '../context.js';

/** Makes (or replaces) the district's assessment final with the assessed total `totalTenths`. */
export async function makeFinalAssessment(ctx: AppCtx, campaignId: number, districtId: number, totalTenths: number): Promise<number> {
  const at = new Date().toISOString();
  const old = await ctx.db.selectFrom('assessment').select('id').where('campaign_id', '=', campaignId).where('org_unit_id', '=', districtId).executeTakeFirst();
  if (old) {
    await ctx.db.deleteFrom('assessment_item').where('assessment_id', '=', Number(old.id)).execute();
    await ctx.db.updateTable('assessment').set({ status: 'final', finalized_at: at, updated_at: at }).where('id', '=', Number(old.id)).execute();
  }
  const id = old ? Number(old.id) : Number((await ctx.db.insertInto('assessment').values({ campaign_id: campaignId, org_unit_id: districtId, status: 'final', created_at: at, updated_at: at, finalized_at: at, version: 3 }).returning('id').executeTakeFirstOrThrow()).id);
  const criteria = await ctx.db.selectFrom('scorecard_criterion').select(['id', 'max_score']).where('campaign_id', '=', campaignId).orderBy('id').execute();
  let deduct = criteria.reduce((a, k) => a + Number(k.max_score), 0) - totalTenths;
  if (deduct < 0) throw new Error('total above the scorecard maximum');
  for (const k of criteria) {
    const off = Math.min(deduct, Number(k.max_score));
    deduct -= off;
    await ctx.db.insertInto('assessment_item').values({ assessment_id: id, criterion_id: Number(k.id), self_score: Number(k.max_score), self_note: '', assessed_score: Number(k.max_score) - off, assessed_comment: '', updated_at: at }).execute();
  }
  return id;
}
