// Nominations of outstanding individuals (issue 6 item 9): within the unit's quota — the 9th
// 新北区 nomination is refused, and so is one of two simultaneous 8th ones —, by the deadline, by
// the unit itself (市社保's by city users), evaluated by the city; scope.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestEnv, newUserClient, orgId, testEngine, type Client, type TestEnv } from '../testing/harness.js';

describe(`nominations (${testEngine()})`, () => {
  let env: TestEnv;
  let xbAdmin: Client;
  let xbClerk: Client;
  let tnAdmin: Client;
  let cityAdmin: Client;
  let assessor: Client;
  let campaignId: number;
  let xb: number;
  let url: string;

  beforeAll(async () => {
    env = await createTestEnv();
    xbAdmin = await newUserClient(env, 'nom_xb', 'district_admin', '320411');
    xbClerk = await newUserClient(env, 'nom_xb_clerk', 'clerk', '320411');
    tnAdmin = await newUserClient(env, 'nom_tn', 'district_admin', '320402');
    cityAdmin = await newUserClient(env, 'nom_city', 'city_admin', '320400-SSB');
    assessor = await newUserClient(env, 'nom_assessor', 'city_assessor', '320400-SSB');
    const c = await env.ctx.db.selectFrom('campaign').select('id').where('code', '=', '2016').executeTakeFirstOrThrow();
    campaignId = Number(c.id);
    await env.ctx.db.updateTable('campaign').set({ nomination_deadline: '2099-06-10' }).where('id', '=', campaignId).execute();
    xb = await orgId(env.ctx, '320411');
    url = `/api/campaigns/${campaignId}/nominations`;
  });
  afterAll(async () => env?.close());

  const form = (n: number, orgUnitId: number) => ({ orgUnitId, name: `先进${n}`, phone: '13912345678', workUnit: '新北区人社局', position: '科员', deeds: '积极组织、宣传全民参保登记工作，入户调查三千余户。', conditionAnswers: ['组织社区宣传活动十余场。', '入户调查三千余户，录入数据准确。', '按时完成各项任务。'], unitOpinion: '同意推荐', unitOpinionDate: '2016-06-05' });
  const draft = async (client: Client, n: number, orgUnitId = xb) => {
    const r = await client.request('POST', url, form(n, orgUnitId));
    expect(r.statusCode, r.body).toBe(200);
    return r.json() as { id: number; version: number };
  };

  it('quota 8 for 新北区: seven go in, of two simultaneous 8th ones exactly one, the 9th is refused and changes nothing', async () => {
    for (let i = 1; i <= 7; i++) {
      const d = await draft(xbAdmin, i);
      const s = await xbAdmin.request('POST', `/api/nominations/${d.id}/submit`, { version: d.version });
      expect(s.statusCode, s.body).toBe(200);
    }
    const a = await draft(xbAdmin, 8);
    const b = await draft(xbAdmin, 9);
    const [ra, rb] = await Promise.all([
      xbAdmin.request('POST', `/api/nominations/${a.id}/submit`, { version: a.version }),
      xbAdmin.request('POST', `/api/nominations/${b.id}/submit`, { version: b.version }),
    ]);
    expect([ra.statusCode, rb.statusCode].sort()).toEqual([200, 409]);
    const refused = ra.statusCode === 409 ? ra : rb;
    expect(refused.json().error.message).toContain('名额 8 名');
    const list = (await xbAdmin.request('GET', url)).json();
    expect(list.quotas).toEqual([expect.objectContaining({ orgUnitName: '新北区', quota: 8, used: 8 })]);
    expect(list.items.filter((n: { status: string }) => n.status === 'submitted')).toHaveLength(8);
    const c = await draft(xbAdmin, 10);
    const ninth = await xbAdmin.request('POST', `/api/nominations/${c.id}/submit`, { version: c.version });
    expect(ninth.statusCode).toBe(409);
    expect((await xbAdmin.request('GET', `/api/nominations/${c.id}`)).json().status).toBe('draft');
  });

  it('who fills and who sees: the district admin only for the district, city users for 市社保; other districts get 404', async () => {
    expect((await xbClerk.request('POST', url, form(20, xb))).statusCode).toBe(403);
    expect((await tnAdmin.request('POST', url, form(21, xb))).statusCode).toBe(404);
    const agency = await orgId(env.ctx, '320400-SSB');
    expect((await xbAdmin.request('POST', url, form(22, agency))).statusCode).toBe(404);
    const own = await draft(cityAdmin, 23, agency);
    expect((await cityAdmin.request('POST', `/api/nominations/${own.id}/submit`, { version: own.version })).statusCode).toBe(200);
    const theirs = (await tnAdmin.request('GET', url)).json();
    expect(theirs.items).toEqual([]);
    expect(theirs.quotas.map((q: { orgUnitName: string }) => q.orgUnitName)).toEqual(['天宁区']);
    const first = (await xbAdmin.request('GET', url)).json().items[0];
    expect((await tnAdmin.request('GET', `/api/nominations/${first.id}`)).statusCode).toBe(404);
    expect((await xbAdmin.request('POST', url, { ...form(24, xb), phone: 'abc' })).statusCode).toBe(400);
  });

  it('after the deadline nothing is submitted; the city evaluates with an opinion', async () => {
    const d = await draft(tnAdmin, 30, await orgId(env.ctx, '320402'));
    await env.ctx.db.updateTable('campaign').set({ nomination_deadline: '2016-06-10' }).where('id', '=', campaignId).execute();
    try {
      const late = await tnAdmin.request('POST', `/api/nominations/${d.id}/submit`, { version: d.version });
      expect(late.statusCode).toBe(403);
      expect(late.json().error.message).toContain('2016-06-10');
    } finally {
      await env.ctx.db.updateTable('campaign').set({ nomination_deadline: '2099-06-10' }).where('id', '=', campaignId).execute();
    }
    const first = (await xbAdmin.request('GET', url)).json().items[0];
    expect((await xbAdmin.request('POST', `/api/nominations/${first.id}/evaluate`, { result: 'approved', opinion: '同意', version: first.version })).statusCode).toBe(403);
    const ok = await assessor.request('POST', `/api/nominations/${first.id}/evaluate`, { result: 'approved', opinion: '事迹突出，同意', version: first.version });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json()).toMatchObject({ status: 'approved', cityOpinion: '事迹突出，同意' });
  });

  it('a draft is edited by its unit with a version check; a submitted one no longer', async () => {
    const tn = await orgId(env.ctx, '320402');
    const d = await draft(tnAdmin, 40, tn);
    const { orgUnitId: _unit, ...body } = form(41, tn);
    const edited = await tnAdmin.request('PUT', `/api/nominations/${d.id}`, { ...body, version: d.version });
    expect(edited.statusCode, edited.body).toBe(200);
    expect(edited.json()).toMatchObject({ name: '先进41', version: d.version + 1 });
    const stale = await tnAdmin.request('PUT', `/api/nominations/${d.id}`, { ...body, name: '旧版本', version: d.version });
    expect(stale.statusCode).toBe(409);
    expect((await xbAdmin.request('PUT', `/api/nominations/${d.id}`, { ...body, version: d.version + 1 })).statusCode).toBe(404);
    const sub = await tnAdmin.request('POST', `/api/nominations/${d.id}/submit`, { version: d.version + 1 });
    expect(sub.statusCode, sub.body).toBe(200);
    expect((await tnAdmin.request('PUT', `/api/nominations/${d.id}`, { ...body, version: d.version + 2 })).statusCode).toBe(400);
  });
});

