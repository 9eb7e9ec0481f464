// Campaigns: the seeded 2016 campaign is the regulation's numbers exactly; copying, editing rules of
// a draft, validation that leaves nothing half-changed, and the lifecycle draft → active → closed.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LightMyRequestResponse } from 'fastify';
import { adminClient, createTestEnv, loginAs, makeUser, orgId, testEngine, type Client, type TestEnv } from '../testing/harness.js';
import { ROLES } from '../../shared/roles.js';
import type { Campaign } from '../../shared/api.js';

const errorOf = (res: LightMyRequestResponse) => (res.json() as { error: { code: string; message: string; details?: unknown } }).error;

/** The scorecard as the PUT body wants it, from a loaded campaign. */
function scorecardOf(c: Campaign) {
  return c.categories.map((cat) => ({
    name: cat.name,
    maxScore: cat.maxScore,
    criteria: cat.criteria.map((k) => ({ text: k.text, maxScore: k.maxScore, kind: k.kind })),
  }));
}

describe(`campaigns (${testEngine()})`, () => {
  let env: TestEnv;
  let admin: Client & { password: string };
  let id2016: number;
  let draft: Campaign;

  beforeAll(async () => {
    env = await createTestEnv();
    admin = (await adminClient(env.app)).alwaysReauth();
    const list = (await admin.request('GET', '/api/campaigns')).json().items as Array<{ id: number; code: string }>;
    id2016 = list.find((c) => c.code === '2016')!.id;
  });
  afterAll(async () => env?.close());

  const load = async (id: number) => (await admin.request('GET', `/api/campaigns/${id}`)).json() as Campaign;
  const put = (id: number, body: Record<string, unknown>) => admin.request('PUT', `/api/campaigns/${id}`, body);

  it('the 2016 campaign is 附件2 and the regulation: 5 categories, 14 items, 100 points, 3 yuan, tiers, quotas 8/7/6/2', async () => {
    const c = await load(id2016);
    expect(c.categories.map((x) => [x.name, x.maxScore])).toEqual([
      ['组织领导', 150],
      ['基础管理', 150],
      ['入户调查', 300],
      ['数据录入', 200],
      ['汇总分析', 200],
    ]);
    expect(c.categories.map((x) => x.criteria.map((k) => k.maxScore))).toEqual([[50, 50, 50], [50, 50, 50], [100, 50, 150], [100, 50, 50], [100, 100]]);
    const criteria = c.categories.flatMap((x) => x.criteria);
    expect(criteria).toHaveLength(14);
    expect(criteria[0]!.text).toBe('制订全民参保登记工作实施方案。');
    expect(criteria[8]!.text).toBe('如实采集被调查对象的基本信息，并填写《常州市社会保险全民参保登记表》。');
    expect(criteria.filter((k) => k.kind === 'accuracy').map((k) => k.text)).toEqual([
      '录入信息系统的数据应准确。录入错误的，发现一例扣0.5分，本项扣完为止（以录入数据库数据为依据）。',
    ]);
    expect(criteria.reduce((s, k) => s + k.maxScore, 0)).toBe(1000);
    expect(c).toMatchObject({ totalScore: 1000, baseRateFen: 300, awardTotal: 23, selfAssessmentDeadline: '2016-06-10', status: 'active', year: 2016 });
    expect(c.feeTiers.map((t) => ({ minScore: t.minScore, percent: t.percent }))).toEqual([
      { minScore: 900, percent: 100 },
      { minScore: 800, percent: 90 },
      { minScore: 0, percent: 80 },
    ]);
    expect(c.quotas.map((q) => [q.orgUnitName, q.quota])).toEqual([
      ['新北区', 8],
      ['天宁区', 7],
      ['钟楼区', 6],
      ['市社保', 2],
    ]);
  });

  it('any logged-in role can read the campaign list and the campaign', async () => {
    for (const role of ROLES) {
      const u = await makeUser(env.ctx, { username: `read_${role}`, role, orgCode: role.startsWith('city') ? '320400' : '320402' });
      const c = await loginAs(env.app, u.username, u.password);
      expect((await c.request('GET', '/api/campaigns')).json().items.map((x: { code: string }) => x.code), role).toContain('2016');
      expect((await c.request('GET', `/api/campaigns/${id2016}`)).json().categories, role).toHaveLength(5);
    }
  });

  it('copying 2016 to 2017 gives a draft with the same scorecard, rules and quotas, dates a year later', async () => {
    const res = await admin.request('POST', '/api/campaigns', { sourceId: id2016, code: '2017', name: '2017年度考核', year: 2017 });
    expect(res.statusCode).toBe(200);
    draft = res.json() as Campaign;
    const src = await load(id2016);
    expect(draft).toMatchObject({ code: '2017', year: 2017, status: 'draft', selfAssessmentDeadline: '2017-06-10', dataCutoff: '2017-06-10', nominationDeadline: '2017-06-10' });
    expect(scorecardOf(draft)).toEqual(scorecardOf(src));
    expect(draft.feeTiers).toEqual(src.feeTiers);
    expect(draft.quotas).toEqual(src.quotas);
    expect([draft.baseRateFen, draft.totalScore, draft.awardTotal]).toEqual([300, 1000, 23]);
    const dup = await admin.request('POST', '/api/campaigns', { sourceId: id2016, code: '2017', name: '重复', year: 2017 });
    expect([dup.statusCode, errorOf(dup).code]).toEqual([409, 'CONFLICT']);
  });

  it('the rules of a draft can be edited', async () => {
    const cards = scorecardOf(draft);
    cards[0]!.criteria[0]!.text = '制订2017年全民参保登记工作实施方案。';
    const res = await put(draft.id, { categories: cards, baseRateFen: 350, awardTotal: 24, quotas: draft.quotas.map((q, i) => ({ orgUnitId: q.orgUnitId, quota: q.quota + (i === 0 ? 1 : 0) })), version: draft.version });
    expect(res.statusCode).toBe(200);
    draft = res.json() as Campaign;
    expect(draft.categories[0]!.criteria[0]!.text).toBe('制订2017年全民参保登记工作实施方案。');
    expect(draft.baseRateFen).toBe(350);
    expect(draft.quotas.map((q) => q.quota)).toEqual([9, 7, 6, 2]);
    expect(draft.version).toBe(1);
  });

  it('a scorecard that does not add up → 400 listing each problem, and nothing changes', async () => {
    const before = await load(draft.id);
    const cards = scorecardOf(before);
    cards[0]!.criteria[0]!.maxScore = 60; // 组织领导 items now add to 16
    const res = await put(draft.id, { categories: cards, baseRateFen: 999, version: before.version });
    expect([res.statusCode, errorOf(res).code]).toEqual([400, 'INVALID_INPUT']);
    expect(errorOf(res).message).toContain('组织领导');
    const cats = scorecardOf(before);
    cats[4]!.maxScore = 250;
    cats[4]!.criteria[1]!.maxScore = 150; // items fit the category, but categories add to 105
    const total = await put(draft.id, { categories: cats, version: before.version });
    expect(total.statusCode).toBe(400);
    expect(errorOf(total).message).toMatch(/合计 105 分，应为 100 分/);
    expect(await load(draft.id)).toEqual(before);
  });

  it('quotas not adding up to awardTotal, or invalid fee tiers → 400, nothing changes', async () => {
    const before = await load(draft.id);
    const quotas = before.quotas.map((q) => ({ orgUnitId: q.orgUnitId, quota: q.quota }));
    const q = await put(draft.id, { awardTotal: 30, quotas, version: before.version });
    expect([q.statusCode, errorOf(q).code]).toEqual([400, 'INVALID_INPUT']);
    expect(errorOf(q).message).toContain('30');
    const noZero = await put(draft.id, { feeTiers: [{ minScore: 900, percent: 100, label: '90分以上' }], version: before.version });
    expect(noZero.statusCode).toBe(400);
    const inverted = await put(draft.id, {
      feeTiers: [
        { minScore: 900, percent: 80, label: '高' },
        { minScore: 0, percent: 100, label: '低' },
      ],
      version: before.version,
    });
    expect(inverted.statusCode).toBe(400);
    const street = await put(draft.id, { quotas: [...quotas.slice(1), { orgUnitId: await orgId(env.ctx, '320411002'), quota: quotas[0]!.quota }], version: before.version });
    expect(street.statusCode).toBe(400);
    expect(await load(draft.id)).toEqual(before);
  });

  it('a stale version → 409 and nothing changes', async () => {
    const before = await load(draft.id);
    const res = await put(draft.id, { name: '过期修改', version: before.version - 1 });
    expect([res.statusCode, errorOf(res).code]).toEqual([409, 'CONFLICT']);
    expect(await load(draft.id)).toEqual(before);
  });

  it('the rules of the active 2016 campaign are frozen (409) while its deadline can move, audited before → after', async () => {
    const before = await load(id2016);
    const rules = await put(id2016, { baseRateFen: 400, version: before.version });
    expect([rules.statusCode, errorOf(rules).code]).toEqual([409, 'CONFLICT']);
    const cards = await put(id2016, { categories: scorecardOf(before), version: before.version });
    expect(cards.statusCode).toBe(409);
    expect(await load(id2016)).toEqual(before);

    const moved = await put(id2016, { selfAssessmentDeadline: '2016-06-15', version: before.version });
    expect(moved.statusCode).toBe(200);
    expect(moved.json()).toMatchObject({ selfAssessmentDeadline: '2016-06-15', baseRateFen: 300, version: before.version + 1 });
    const audit = (await admin.request('GET', '/api/audit?event=campaign.update&success=true')).json().items[0];
    expect(audit).toMatchObject({ objectType: 'campaign', objectId: String(id2016), username: 'admin' });
    expect(audit.before.selfAssessmentDeadline).toBe('2016-06-10');
    expect(audit.after.selfAssessmentDeadline).toBe('2016-06-15');
    const badDate = await put(id2016, { selfAssessmentDeadline: '2016-02-30', version: before.version + 1 });
    expect(badDate.statusCode).toBe(400);
  });

  it('draft → active needs a re-entered password; active → draft is refused (409); a stale version → 409', async () => {
    const c = await load(draft.id);
    const u = await makeUser(env.ctx, { username: 'status_admin', role: 'city_admin', orgCode: '320400' });
    const fresh = await loginAs(env.app, u.username, u.password); // no re-entered password yet
    const status = (s: string, version: number) => fresh.request('POST', `/api/campaigns/${draft.id}/status`, { status: s, version });
    expect(errorOf(await status('active', c.version)).code).toBe('REAUTH_REQUIRED');
    await fresh.reauth();
    expect((await status('active', c.version - 1)).statusCode).toBe(409);
    const ok = await status('active', c.version);
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toMatchObject({ status: 'active', version: c.version + 1 });
    const back = await status('draft', c.version + 1);
    expect([back.statusCode, errorOf(back).code]).toEqual([409, 'CONFLICT']);
    expect((await load(draft.id)).status).toBe('active');
    // and now its rules are frozen too
    expect((await put(draft.id, { baseRateFen: 300, version: c.version + 1 })).statusCode).toBe(409);
  });

  it('only the city admin edits: a city assessor or district admin gets 403 and nothing changes', async () => {
    const before = await load(id2016);
    for (const [role, orgCode] of [['city_assessor', '320400'], ['district_admin', '320411']] as const) {
      const u = await makeUser(env.ctx, { username: `edit_${role}`, role, orgCode });
      const c = await loginAs(env.app, u.username, u.password);
      const res = await c.request('PUT', `/api/campaigns/${id2016}`, { selfAssessmentDeadline: '2016-07-01', version: before.version });
      expect([res.statusCode, errorOf(res).code], role).toEqual([403, 'FORBIDDEN']);
      const copy = await c.request('POST', '/api/campaigns', { sourceId: id2016, code: `x${role.length}`, name: '复制', year: 2018 });
      expect(copy.statusCode, role).toBe(403);
    }
    expect(await load(id2016)).toEqual(before);
  });
});
