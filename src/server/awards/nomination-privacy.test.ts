// Issue 13 item 7: a nominee's phone is personal data. Masked 3 + 4 for viewers and the other roles
// that do not fill the form, and in every list; in full only for the unit's fillers and the city,
// and then the read is logged (without the number). The printed form's register is the same for all.
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestEnv, newUserClient, orgId, testEngine, type Client, type TestEnv } from '../testing/harness.js';

const PHONE = '13912345678';
const MASKED = '139****5678';

describe(`nomination phones are masked unless the role needs them, and full reads are logged (${testEngine()})`, () => {
  let env: TestEnv;
  let xbAdmin: Client;
  let xbViewer: Client;
  let xbClerk: Client;
  let assessor: Client;
  let cityAdmin: Client;
  let campaignId: number;
  let nominationId: number;

  const views = async () =>
    env.ctx.db.selectFrom('audit_log').select(['username', 'object_id', 'before_json', 'after_json']).where('event', '=', 'award.nomination.view').execute();

  beforeAll(async () => {
    env = await createTestEnv();
    xbAdmin = await newUserClient(env, 'np_xb', 'district_admin', '320411');
    xbViewer = await newUserClient(env, 'np_viewer', 'viewer', '320411');
    xbClerk = await newUserClient(env, 'np_clerk', 'clerk', '320411');
    assessor = await newUserClient(env, 'np_assessor', 'city_assessor', '320400-SSB');
    cityAdmin = (await newUserClient(env, 'np_city', 'city_admin', '320400-SSB')).alwaysReauth();
    const c = await env.ctx.db.selectFrom('campaign').select('id').where('code', '=', '2016').executeTakeFirstOrThrow();
    campaignId = Number(c.id);
    await env.ctx.db.updateTable('campaign').set({ nomination_deadline: '2099-06-10' }).where('id', '=', campaignId).execute();
    const r = await xbAdmin.request('POST', `/api/campaigns/${campaignId}/nominations`, {
      orgUnitId: await orgId(env.ctx, '320411'),
      name: '吴卫琴',
      phone: PHONE,
      workUnit: '新北区人社局',
      position: '科员',
      deeds: '积极组织、宣传全民参保登记工作，入户调查三千余户。',
      conditionAnswers: ['组织社区宣传活动十余场。', '入户调查三千余户，录入数据准确。', '按时完成各项任务。'],
      unitOpinion: '同意推荐',
      unitOpinionDate: '2016-06-05',
    });
    expect(r.statusCode, r.body).toBe(200);
    nominationId = r.json().id;
    const s = await xbAdmin.request('POST', `/api/nominations/${nominationId}/submit`, { version: r.json().version });
    expect(s.statusCode, s.body).toBe(200);
  });
  afterAll(async () => env?.close());

  it('a viewer and a clerk of the district read the form with the phone masked, and nothing is logged for them', async () => {
    for (const c of [xbViewer, xbClerk]) {
      const res = await c.request('GET', `/api/nominations/${nominationId}`);
      expect(res.statusCode).toBe(200);
      expect(res.json().phone).toBe(MASKED);
      expect(res.body).not.toContain(PHONE);
    }
    expect(await views()).toEqual([]);
  });

  it('lists are masked for every role, the unit’s fillers and the city included', async () => {
    for (const c of [xbAdmin, xbViewer, assessor, cityAdmin]) {
      const res = await c.request('GET', `/api/campaigns/${campaignId}/nominations`);
      expect(res.statusCode).toBe(200);
      expect(res.body).not.toContain(PHONE);
      expect(res.json().items.map((n: { phone: string }) => n.phone)).toEqual([MASKED]);
    }
  });

  it('the unit’s filler and the city read the full phone, and each read is logged without the number', async () => {
    const before = (await views()).length;
    for (const c of [xbAdmin, assessor]) {
      const res = await c.request('GET', `/api/nominations/${nominationId}`);
      expect(res.json().phone).toBe(PHONE);
    }
    const logged = await views();
    expect(logged.slice(before).map((v) => [v.username, v.object_id])).toEqual([
      ['np_xb', String(nominationId)],
      ['np_assessor', String(nominationId)],
    ]);
    for (const v of logged) expect(`${v.before_json ?? ''}${v.after_json ?? ''}`).not.toContain(PHONE);
  });

  it('printing gives the same document number whoever prints (the register hashes the form, not the caller’s view)', async () => {
    const a = await xbViewer.request('POST', `/api/nominations/${nominationId}/document`);
    const b = await xbAdmin.request('POST', `/api/nominations/${nominationId}/document`);
    expect([a.statusCode, b.statusCode]).toEqual([200, 200]);
    expect(a.json().docNumber).toBe(b.json().docNumber);
    expect(a.body).not.toContain(PHONE);
  });

  it('the published commendation list (.xlsx) carries no phone', async () => {
    const n = (await assessor.request('GET', `/api/nominations/${nominationId}`)).json();
    expect((await assessor.request('POST', `/api/nominations/${nominationId}/evaluate`, { result: 'approved', opinion: '同意', version: n.version })).statusCode).toBe(200);
    expect((await cityAdmin.request('POST', `/api/campaigns/${campaignId}/nominations/publish`)).statusCode).toBe(200);
    const x = await xbViewer.request('GET', `/api/campaigns/${campaignId}/commendation-list.xlsx`);
    expect(x.statusCode).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(x.rawPayload as unknown as ArrayBuffer);
    const cells: string[] = [];
    wb.worksheets[0]!.eachRow((row) => row.eachCell((c) => cells.push(String(c.value))));
    expect(cells).toContain('吴卫琴');
    expect(cells.join()).not.toContain(PHONE);
    expect(cells.join()).not.toContain(MASKED);
  });
});
