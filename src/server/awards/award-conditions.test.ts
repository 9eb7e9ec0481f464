// The 申报条件 of outstanding individuals (seed 五（一）) and the contact for submitted papers
// (五（三）) are campaign data: seeded from the regulation, copied with the campaign, edited by the
// city admin only — the conditions only while the campaign is a draft (they are rules: nominations
// answer them once it is active), the contact any time. A nomination answers each condition of its
// campaign; it is not submitted before every one is answered; a form made before answers were
// recorded (migration 017) still loads, prints and is evaluated.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Kysely } from 'kysely';
import type { LightMyRequestResponse } from 'fastify';
import { adminClient, createTestEnv, newUserClient, orgId, testEngine, type Client, type TestEnv } from '../testing/harness.js';
import * as m017 from '../db/migrations/017_award_conditions.js';
import type { Campaign } from '../../shared/api.js';
import type { Nomination } from '../../shared/api-awards.js';

const SEED_CONDITIONS = ['积极组织、宣传全民参保登记工作', '认真做好全民参保登记入户调查、数据录入等工作', '及时完成各项工作任务，成绩突出'];
const errorOf = (res: LightMyRequestResponse) => (res.json() as { error: { code: string; message: string; details?: Record<string, unknown> } }).error;

describe(`award conditions and the submission contact (${testEngine()})`, () => {
  let env: TestEnv;
  let admin: Client;
  let xbAdmin: Client;
  let assessor: Client;
  let id2016: number;
  let xb: number;

  beforeAll(async () => {
    env = await createTestEnv();
    admin = (await adminClient(env.app)).alwaysReauth();
    xbAdmin = await newUserClient(env, 'ac_xb', 'district_admin', '320411');
    assessor = await newUserClient(env, 'ac_assessor', 'city_assessor', '320400-SSB');
    const c = await env.ctx.db.selectFrom('campaign').select('id').where('code', '=', '2016').executeTakeFirstOrThrow();
    id2016 = Number(c.id);
    await env.ctx.db.updateTable('campaign').set({ nomination_deadline: '2099-06-10' }).where('id', '=', id2016).execute();
    xb = await orgId(env.ctx, '320411');
  });
  afterAll(async () => env?.close());

  const load = async (id: number) => (await admin.request('GET', `/api/campaigns/${id}`)).json() as Campaign;
  const nominate = async (name: string, extra: Record<string, unknown> = {}) => {
    const r = await xbAdmin.request('POST', `/api/campaigns/${id2016}/nominations`, { orgUnitId: xb, name, phone: '13912345678', workUnit: '新北区三井街道', position: '协理员', deeds: '入户调查两千余户。', unitOpinion: '同意推荐', ...extra });
    expect(r.statusCode, r.body).toBe(200);
    return r.json() as Nomination;
  };

  it('the 2016 campaign carries 五（一）’s three conditions and 五（三）’s contact 吴卫琴, 88112733', async () => {
    const c = await load(id2016);
    expect(c.awardConditions).toEqual(SEED_CONDITIONS);
    expect([c.contactName, c.contactPhone]).toEqual(['吴卫琴', '88112733']);
    // every role reads them (the nomination and self-assessment pages show the contact)
    const seen = (await xbAdmin.request('GET', `/api/campaigns/${id2016}`)).json() as Campaign;
    expect(seen).toMatchObject({ awardConditions: SEED_CONDITIONS, contactName: '吴卫琴', contactPhone: '88112733' });
  });

  it('a copy carries them; the city admin edits a draft’s conditions and contact, audited before → after; invalid ones → 400, nothing changes', async () => {
    const copy = (await admin.request('POST', '/api/campaigns', { sourceId: id2016, code: 'AC2017', name: '2017年度考核', year: 2017 })).json() as Campaign;
    expect(copy).toMatchObject({ status: 'draft', awardConditions: SEED_CONDITIONS, contactName: '吴卫琴', contactPhone: '88112733' });
    const next = ['积极组织、宣传全民参保登记工作', '认真做好入户调查、数据录入等工作', '及时完成各项工作任务，成绩突出', '无违规违纪行为'];
    const res = await admin.request('PUT', `/api/campaigns/${copy.id}`, { awardConditions: next, contactName: '张敏', contactPhone: '0519-88112734', version: copy.version });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ awardConditions: next, contactName: '张敏', contactPhone: '0519-88112734', version: copy.version + 1 });
    const audit = (await admin.request('GET', '/api/audit?event=campaign.update&success=true')).json().items[0];
    expect(audit).toMatchObject({ objectType: 'campaign', objectId: String(copy.id) });
    expect(audit.before.awardConditions).toEqual(SEED_CONDITIONS);
    expect(audit.after.awardConditions).toEqual(next);
    expect([audit.before.contactName, audit.after.contactName]).toEqual(['吴卫琴', '张敏']);

    const before = await load(copy.id);
    for (const bad of [{ awardConditions: ['积极组织', '  '] }, { awardConditions: Array.from({ length: 11 }, (_, i) => `条件${i}`) }, { awardConditions: ['条'.repeat(201)] }, { contactPhone: '电话88112733' }, { contactName: '名'.repeat(31) }]) {
      const r = await admin.request('PUT', `/api/campaigns/${copy.id}`, { ...bad, version: before.version });
      expect([r.statusCode, errorOf(r).code], JSON.stringify(bad)).toEqual([400, 'INVALID_INPUT']);
    }
    expect(await load(copy.id)).toEqual(before);
  });

  it('on the active 2016 campaign the conditions are frozen (409) while the contact can still change', async () => {
    const before = await load(id2016);
    const frozen = await admin.request('PUT', `/api/campaigns/${id2016}`, { awardConditions: ['只剩一条'], version: before.version });
    expect([frozen.statusCode, errorOf(frozen).code]).toEqual([409, 'CONFLICT']);
    expect(errorOf(frozen).message).toContain('申报条件');
    expect(await load(id2016)).toEqual(before);
    const contact = await admin.request('PUT', `/api/campaigns/${id2016}`, { contactName: '吴卫琴', contactPhone: '0519-88112733', version: before.version });
    expect(contact.statusCode, contact.body).toBe(200);
    expect(contact.json()).toMatchObject({ awardConditions: SEED_CONDITIONS, contactPhone: '0519-88112733' });
    const back = await admin.request('PUT', `/api/campaigns/${id2016}`, { contactPhone: '88112733', version: before.version + 1 });
    expect(back.statusCode).toBe(200);
  });

  it('no other role edits them: a district admin, a city assessor, a clerk or a viewer gets 403 and nothing changes', async () => {
    const before = await load(id2016);
    const others: Array<[string, 'district_admin' | 'city_assessor' | 'clerk' | 'viewer', string]> = [
      ['ac_edit_da', 'district_admin', '320411'],
      ['ac_edit_ca', 'city_assessor', '320400-SSB'],
      ['ac_edit_cl', 'clerk', '320411'],
      ['ac_edit_vw', 'viewer', '320400'],
    ];
    for (const [username, role, orgCode] of others) {
      const c = (await newUserClient(env, username, role, orgCode)).alwaysReauth();
      for (const body of [{ contactName: '冒名', contactPhone: '13800000000' }, { awardConditions: ['冒改'] }]) {
        const r = await c.request('PUT', `/api/campaigns/${id2016}`, { ...body, version: before.version });
        expect([r.statusCode, errorOf(r).code], role).toEqual([403, 'FORBIDDEN']);
      }
    }
    expect(await load(id2016)).toEqual(before);
  });

  it('a nomination is not submitted before each condition is answered; the answers are kept, shown with their conditions, and kept by an update that leaves them out', async () => {
    const blank = await nominate('条件未填');
    expect(blank.conditions).toEqual(SEED_CONDITIONS.map((text) => ({ text, answer: '' })));
    const refused = await xbAdmin.request('POST', `/api/nominations/${blank.id}/submit`, { version: blank.version });
    expect([refused.statusCode, errorOf(refused).code]).toEqual([400, 'INVALID_INPUT']);
    expect(errorOf(refused).message).toContain('第 1、2、3 条未填写');
    expect(errorOf(refused).details).toMatchObject({ missingConditions: [1, 2, 3] });

    const partial = await nominate('条件缺一', { conditionAnswers: ['组织宣传十余场。', '  ', '按时完成。'] });
    const second = await xbAdmin.request('POST', `/api/nominations/${partial.id}/submit`, { version: partial.version });
    expect(second.statusCode).toBe(400);
    expect(errorOf(second).message).toContain('第 2 条未填写');
    expect((await xbAdmin.request('GET', `/api/nominations/${partial.id}`)).json().status).toBe('draft');

    const tooMany = await xbAdmin.request('POST', `/api/campaigns/${id2016}/nominations`, { orgUnitId: xb, name: '多填', phone: '13912345678', workUnit: 'x', position: 'x', deeds: 'x', unitOpinion: '', conditionAnswers: ['a', 'b', 'c', 'd'] });
    expect([tooMany.statusCode, errorOf(tooMany).code]).toEqual([400, 'INVALID_INPUT']);
    const tooLong = await xbAdmin.request('POST', `/api/campaigns/${id2016}/nominations`, { orgUnitId: xb, name: '太长', phone: '13912345678', workUnit: 'x', position: 'x', deeds: 'x', unitOpinion: '', conditionAnswers: ['长'.repeat(501)] });
    expect(tooLong.statusCode).toBe(400);

    const answers = ['组织社区宣传十余场，张贴通告三百余份。', '入户调查两千余户，录入数据准确。', '提前完成辖区登记任务。'];
    const put = await xbAdmin.request('PUT', `/api/nominations/${partial.id}`, { name: '条件缺一', phone: '13912345678', workUnit: '新北区三井街道', position: '协理员', deeds: '入户调查两千余户。', unitOpinion: '同意推荐', conditionAnswers: answers, version: partial.version });
    expect(put.statusCode, put.body).toBe(200);
    // an update without conditionAnswers leaves them as they are
    const kept = await xbAdmin.request('PUT', `/api/nominations/${partial.id}`, { name: '条件齐全', phone: '13912345678', workUnit: '新北区三井街道', position: '协理员', deeds: '入户调查两千余户。', unitOpinion: '同意推荐', version: put.json().version });
    expect(kept.statusCode).toBe(200);
    const full = kept.json() as Nomination;
    expect(full.conditions).toEqual(SEED_CONDITIONS.map((text, i) => ({ text, answer: answers[i] })));
    const ok = await xbAdmin.request('POST', `/api/nominations/${full.id}/submit`, { version: full.version });
    expect(ok.statusCode, ok.body).toBe(200);
    // the city's evaluator reads them with the form and in the list
    const seen = (await assessor.request('GET', `/api/nominations/${full.id}`)).json() as Nomination;
    expect(seen.conditions.map((c) => c.answer)).toEqual(answers);
    const listed = (await assessor.request('GET', `/api/campaigns/${id2016}/nominations`)).json().items as Nomination[];
    expect(listed.find((n) => n.id === full.id)!.conditions.map((c) => c.text)).toEqual(SEED_CONDITIONS);
  });

  it('a nomination made before migration 017 loads with empty answers, is listed, printed and evaluated', async () => {
    const db = env.ctx.db as unknown as Kysely<any>;
    await m017.down(db);
    const creator = await env.ctx.db.selectFrom('app_user').select('id').where('username', '=', 'ac_xb').executeTakeFirstOrThrow();
    const at = new Date().toISOString();
    const row = await db
      .insertInto('nomination')
      .values({ campaign_id: id2016, org_unit_id: xb, name: '旧表', phone: '13912345678', work_unit: '新北区', position: '科员', deeds: '迁移前填写的事迹。', linked_user_id: null, unit_opinion: '同意', unit_opinion_date: null, status: 'submitted', submitted_at: at, created_by: Number(creator.id), created_at: at, updated_at: at, version: 1 })
      .returning('id')
      .executeTakeFirstOrThrow();
    await m017.up(db);
    const id = Number(row.id);
    const n = (await assessor.request('GET', `/api/nominations/${id}`)).json() as Nomination;
    expect(n).toMatchObject({ name: '旧表', status: 'submitted', deeds: '迁移前填写的事迹。' });
    expect(n.conditions).toEqual(SEED_CONDITIONS.map((text) => ({ text, answer: '' })));
    expect(((await xbAdmin.request('GET', `/api/campaigns/${id2016}/nominations`)).json().items as Nomination[]).some((x) => x.id === id)).toBe(true);
    expect((await xbAdmin.request('POST', `/api/nominations/${id}/document`)).statusCode).toBe(200);
    const evaluated = await assessor.request('POST', `/api/nominations/${id}/evaluate`, { result: 'approved', opinion: '同意。', version: n.version });
    expect(evaluated.statusCode, evaluated.body).toBe(200);
    // the campaigns kept (or were given back) the regulation's conditions and contact
    expect(await load(id2016)).toMatchObject({ awardConditions: SEED_CONDITIONS, contactName: '吴卫琴' });
  });
});
