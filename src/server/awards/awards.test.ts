// Nominations beyond the quota (issue 6 items 9–11): attachments (draft only, scope), the linked
// user's recorded work, the city's decision hidden from units until the list is published, the
// commendation list (.xlsx, .docx) and the printed form's document number (a changed form gets a
// new number, the old one shows as superseded; the public page masks the name).
import JSZip from 'jszip';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestEnv, makeUser, newUserClient, orgId, testEngine, type Client, type TestEnv } from '../testing/harness.js';
import { multipart } from '../testing/multipart.js';
import { fakeIdNumber, makeRegistration } from '../testing/registration-factory.js';
import { expectStoredFileHeaders } from '../testing/stored-file.js';

const PNG = Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082', 'hex');

describe(`awards: attachments, linked work, publication, printed forms (${testEngine()})`, () => {
  let env: TestEnv;
  let xbAdmin: Client;
  let tnAdmin: Client;
  let cityAdmin: Client;
  let assessor: Client;
  let campaignId: number;
  let xb: number;
  let nominationId: number;
  let surveyorId: number;

  beforeAll(async () => {
    env = await createTestEnv();
    xbAdmin = await newUserClient(env, 'aw_xb', 'district_admin', '320411');
    tnAdmin = await newUserClient(env, 'aw_tn', 'district_admin', '320402');
    cityAdmin = (await newUserClient(env, 'aw_city', 'city_admin', '320400-SSB')).alwaysReauth();
    assessor = await newUserClient(env, 'aw_assessor', 'city_assessor', '320400-SSB');
    const c = await env.ctx.db.selectFrom('campaign').select('id').where('code', '=', '2016').executeTakeFirstOrThrow();
    campaignId = Number(c.id);
    await env.ctx.db.updateTable('campaign').set({ nomination_deadline: '2099-06-10' }).where('id', '=', campaignId).execute();
    xb = await orgId(env.ctx, '320411');
    surveyorId = (await makeUser(env.ctx, { username: 'aw_surveyor', role: 'surveyor', orgCode: '320411002001', displayName: '王调查' })).id;
    // 4 records entered by the surveyor before the cutoff (one invalid), 1 after; two checked in a spot check, one wrong
    const ids: number[] = [];
    for (let i = 0; i < 4; i++) ids.push(await makeRegistration(env.ctx, { orgCode: '320411002001', idNumber: fakeIdNumber('320411', '19750101', 300 + i), enteredAt: '2016-05-01T02:00:00.000Z', valid: i !== 3, columns: { entered_by: surveyorId } }));
    await makeRegistration(env.ctx, { orgCode: '320411002001', idNumber: fakeIdNumber('320411', '19750101', 310), enteredAt: '2016-07-01T02:00:00.000Z', columns: { entered_by: surveyorId } });
    const at = new Date().toISOString();
    const a = await env.ctx.db.insertInto('assessment').values({ campaign_id: campaignId, org_unit_id: xb, status: 'review', created_at: at, updated_at: at, version: 0 }).returning('id').executeTakeFirstOrThrow();
    const sc = await env.ctx.db.insertInto('spot_check').values({ assessment_id: Number(a.id), seed: 's', method: 'size', requested: 2, population: 3, population_sha256: 'x', drawn_at: at, drawn_by: surveyorId }).returning('id').executeTakeFirstOrThrow();
    await env.ctx.db.insertInto('spot_check_record').values([
      { spot_check_id: Number(sc.id), seq: 1, registration_id: ids[0]!, result: 'correct', field: null, problem: null, photo_sha256: null, checked_by: null, checked_at: at },
      { spot_check_id: Number(sc.id), seq: 2, registration_id: ids[1]!, result: 'wrong', field: 'phone', problem: '号码错', photo_sha256: null, checked_by: null, checked_at: at },
    ]).execute();
  });
  afterAll(async () => env?.close());

  const form = { orgUnitId: 0, name: '张晓明', phone: '13912345678', workUnit: '新北区某街道劳动保障所', position: '所长', deeds: '积极组织宣传，入户调查三千余户，数据录入准确及时。', conditionAnswers: ['组织社区宣传活动十余场。', '入户调查三千余户，录入数据准确。', '按时完成各项任务。'], unitOpinion: '同意推荐', unitOpinionDate: '2016-06-05' };

  it('a nomination linked to a user of the district shows the work the system recorded; a user of another district cannot be linked', async () => {
    const users = await xbAdmin.request('GET', `/api/campaigns/${campaignId}/nominations/linkable-users?orgUnitId=${xb}`);
    expect(users.statusCode).toBe(200);
    expect(users.json().map((u: { id: number }) => u.id)).toContain(surveyorId);
    expect((await tnAdmin.request('GET', `/api/campaigns/${campaignId}/nominations/linkable-users?orgUnitId=${xb}`)).statusCode).toBe(404);
    const tnUser = await makeUser(env.ctx, { username: 'aw_tn_clerk', role: 'clerk', orgCode: '320402' });
    expect((await xbAdmin.request('POST', `/api/campaigns/${campaignId}/nominations`, { ...form, orgUnitId: xb, linkedUserId: tnUser.id })).statusCode).toBe(400);
    const r = await xbAdmin.request('POST', `/api/campaigns/${campaignId}/nominations`, { ...form, orgUnitId: xb, linkedUserId: surveyorId });
    expect(r.statusCode, r.body).toBe(200);
    nominationId = r.json().id;
    expect(r.json().linkedWork).toEqual({ userId: surveyorId, displayName: '王调查', orgUnitName: expect.any(String), roleLabel: '调查员', recordsEntered: 4, recordsValid: 3, spotChecked: 2, spotWrong: 1, accuracyPermille: 500 });
  });

  it('attachments: images/PDF/Office to a draft by its unit, read in scope only, not after submission', async () => {
    const up = multipart(PNG, '事迹照片.png', {});
    const added = await env.app.inject({ method: 'POST', url: `/api/nominations/${nominationId}/attachments`, headers: { cookie: xbAdmin.cookie, ...up.headers }, payload: up.payload });
    expect(added.statusCode, added.body).toBe(200);
    const att = added.json().attachments[0];
    expect(att).toMatchObject({ fileName: '事迹照片.png', mime: 'image/png', sizeBytes: PNG.length });
    const bad = multipart(Buffer.from('<html><script>alert(1)</script>'), 'x.png', {});
    expect((await env.app.inject({ method: 'POST', url: `/api/nominations/${nominationId}/attachments`, headers: { cookie: xbAdmin.cookie, ...bad.headers }, payload: bad.payload })).statusCode).toBe(400);
    const theirs = multipart(PNG, 'x.png', {});
    expect((await env.app.inject({ method: 'POST', url: `/api/nominations/${nominationId}/attachments`, headers: { cookie: tnAdmin.cookie, ...theirs.headers }, payload: theirs.payload })).statusCode).toBe(404);
    const get = await xbAdmin.request('GET', `/api/nomination-attachments/${att.id}`);
    expect(get.statusCode).toBe(200);
    expectStoredFileHeaders(get, { disposition: 'inline', name: '事迹照片.png', fallback: `attachment-${att.id}.png`, mime: 'image/png' });
    expect((await tnAdmin.request('GET', `/api/nomination-attachments/${att.id}`)).statusCode).toBe(404);
    // a draft is its unit's own: the city sees it once submitted
    expect((await cityAdmin.request('GET', `/api/nomination-attachments/${att.id}`)).statusCode).toBe(404);
    expect((await cityAdmin.request('GET', `/api/nominations/${nominationId}`)).statusCode).toBe(404);
    expect((await cityAdmin.request('GET', `/api/campaigns/${campaignId}/nominations`)).json().items).toEqual([]);
    const n = (await xbAdmin.request('GET', `/api/nominations/${nominationId}`)).json();
    expect((await xbAdmin.request('POST', `/api/nominations/${nominationId}/submit`, { version: n.version })).statusCode).toBe(200);
    expect((await cityAdmin.request('GET', `/api/nomination-attachments/${att.id}`)).statusCode).toBe(200);
    expect((await xbAdmin.request('DELETE', `/api/nomination-attachments/${att.id}`)).statusCode).toBe(400);
  });

  it('the printed form: one number while the form is unchanged, a new one after the city decides (the old one superseded); the public page masks the name', async () => {
    const first = (await xbAdmin.request('POST', `/api/nominations/${nominationId}/document`)).json();
    expect(first).toMatchObject({ docNumber: expect.stringMatching(/^TJ-2016-320411-[0-9A-Z]{6}$/), qrSvg: expect.stringContaining('<svg') });
    expect((await xbAdmin.request('POST', `/api/nominations/${nominationId}/document`)).json().docNumber).toBe(first.docNumber);
    expect((await tnAdmin.request('POST', `/api/nominations/${nominationId}/document`)).statusCode).toBe(404);
    const pub = (await env.app.inject({ method: 'GET', url: `/api/verify/${first.docNumber}` })).json();
    expect(pub).toMatchObject({ state: 'valid', kindLabel: '先进个人申报表' });
    expect(pub.lines).toEqual(expect.arrayContaining([{ label: '姓名', value: '张**' }]));
    expect(JSON.stringify(pub)).not.toContain('13912345678');
    const n = (await cityAdmin.request('GET', `/api/nominations/${nominationId}`)).json();
    expect((await assessor.request('POST', `/api/nominations/${nominationId}/evaluate`, { result: 'approved', opinion: '事迹突出，同意', version: n.version })).statusCode).toBe(200);
    const second = (await cityAdmin.request('POST', `/api/nominations/${nominationId}/document`)).json();
    expect(second.docNumber).not.toBe(first.docNumber);
    expect((await env.app.inject({ method: 'GET', url: `/api/verify/${first.docNumber}` })).json()).toMatchObject({ state: 'superseded', supersededBy: second.docNumber });
  });

  it('units see the decision only once published; publishing needs every submitted one evaluated; the list then opens to units as .xlsx and .docx', async () => {
    // before publication the district sees its nomination still awaiting evaluation
    expect((await xbAdmin.request('GET', `/api/nominations/${nominationId}`)).json()).toMatchObject({ status: 'submitted', cityOpinion: null });
    expect((await xbAdmin.request('GET', `/api/campaigns/${campaignId}/commendation-list`)).statusCode).toBe(403);
    expect((await cityAdmin.request('GET', `/api/campaigns/${campaignId}/commendation-list`)).json().items).toHaveLength(1);
    // a second, submitted but not evaluated, blocks the publication
    const tn = await orgId(env.ctx, '320402');
    const d = (await tnAdmin.request('POST', `/api/campaigns/${campaignId}/nominations`, { ...form, orgUnitId: tn, name: '李四' })).json();
    expect((await tnAdmin.request('POST', `/api/nominations/${d.id}/submit`, { version: d.version })).statusCode).toBe(200);
    expect((await xbAdmin.request('POST', `/api/campaigns/${campaignId}/nominations/publish`)).statusCode).toBe(403);
    const blocked = await cityAdmin.request('POST', `/api/campaigns/${campaignId}/nominations/publish`);
    expect(blocked.statusCode).toBe(400);
    expect(blocked.json().error.message).toContain('1 份推荐表尚未评定');
    expect((await assessor.request('POST', `/api/nominations/${d.id}/evaluate`, { result: 'rejected', opinion: '事迹材料不足', version: d.version + 1 })).statusCode).toBe(200);
    const published = await cityAdmin.request('POST', `/api/campaigns/${campaignId}/nominations/publish`);
    expect(published.statusCode, published.body).toBe(200);
    expect(published.json().publishedAt).toEqual(expect.any(String));
    expect((await xbAdmin.request('GET', `/api/nominations/${nominationId}`)).json()).toMatchObject({ status: 'approved', cityOpinion: '事迹突出，同意' });
    const list = (await tnAdmin.request('GET', `/api/campaigns/${campaignId}/commendation-list`)).json();
    expect(list.items).toEqual([{ seq: 1, orgUnitName: '新北区', name: '张晓明', workUnit: form.workUnit, position: '所长' }]);
    // decisions are final once published
    const n = (await cityAdmin.request('GET', `/api/nominations/${d.id}`)).json();
    expect((await assessor.request('POST', `/api/nominations/${d.id}/evaluate`, { result: 'approved', opinion: '改为通过', version: n.version })).statusCode).toBe(400);
    const x = await tnAdmin.request('GET', `/api/campaigns/${campaignId}/commendation-list.xlsx`);
    expect(x.statusCode).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(x.rawPayload as unknown as ExcelJS.Buffer);
    expect(wb.worksheets[0]!.getRow(3).values).toEqual([undefined, 1, '新北区', '张晓明', form.workUnit, '所长']);
    const docx = await tnAdmin.request('GET', `/api/campaigns/${campaignId}/commendation-list.docx`);
    expect(docx.statusCode).toBe(200);
    const xml = await (await JSZip.loadAsync(docx.rawPayload)).file('word/document.xml')!.async('string');
    expect(xml).toContain('张晓明');
    expect(xml).toContain('表彰名单');
    expect(xml).not.toContain('李四');
  });
});
