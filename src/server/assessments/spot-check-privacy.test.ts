// Issue 13 item 7 (spot checks): the photo of a record's paper form shows the person in full and
// cannot be masked, so every read of it is logged like a full record's view; a viewer's copy of the
// assessor's note does not spell what the ID mask hides. Issue 14: the city assessor sees the
// sample's ID numbers in full to compare them with the paper forms, each such read logged.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestEnv, newUserClient, orgId, testEngine, type Client, type TestEnv } from '../testing/harness.js';
import { multipart } from '../testing/multipart.js';
import { fakeIdNumber, makeRegistration } from '../testing/registration-factory.js';
import type { Assessment } from '../../shared/api-assessment.js';

const PNG = Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082', 'hex');

describe(`spot-check photos and notes follow the masking and logging rules (${testEngine()})`, () => {
  let env: TestEnv;
  let assessor: Client;
  let zlAdmin: Client;
  let zlViewer: Client;
  let record: { id: number; registrationId: number; version: number };
  let base: string;
  const people = new Map<number, string>();

  beforeAll(async () => {
    env = await createTestEnv();
    assessor = await newUserClient(env, 'sp_assessor', 'city_assessor', '320400-SSB');
    zlAdmin = await newUserClient(env, 'sp_zl', 'district_admin', '320404');
    zlViewer = await newUserClient(env, 'sp_zl_viewer', 'viewer', '320404');
    const c = await env.ctx.db.selectFrom('campaign').select('id').where('code', '=', '2016').executeTakeFirstOrThrow();
    const campaignId = Number(c.id);
    await env.ctx.db.updateTable('campaign').set({ self_assessment_deadline: '2099-06-10' }).where('id', '=', campaignId).execute();
    for (let i = 0; i < 3; i++) {
      const id = fakeIdNumber('320404', `1975031${i}`, 600 + i);
      const regId = await makeRegistration(env.ctx, { orgCode: '320404001001', idNumber: id, name: `抽查${i}`, enteredAt: '2016-05-01T02:00:00.000Z', columns: { birth_date: `1975-03-1${i}` } });
      people.set(regId, id);
    }
    base = `/api/campaigns/${campaignId}/assessments/${await orgId(env.ctx, '320404')}`;
    let a = (await zlAdmin.request('GET', base)).json() as Assessment;
    const items = a.categories.flatMap((k) => k.items).map((i) => ({ criterionId: i.criterionId, selfScore: i.maxScore, selfNote: '已落实' }));
    a = (await zlAdmin.request('PUT', `${base}/self`, { items, version: a.version })).json();
    expect((await zlAdmin.request('POST', `${base}/submit`, { version: a.version })).statusCode).toBe(200);
    const drawn = await assessor.request('POST', `${base}/spot-checks`, { method: 'size', size: 1, seed: 'privacy' });
    expect(drawn.statusCode, drawn.body).toBe(200);
    record = drawn.json().items[0].records[0];
    const photo = multipart(PNG, '登记表.png', {});
    const up = await env.app.inject({ method: 'POST', url: `/api/spot-check-records/${record.id}/photo`, headers: { cookie: assessor.cookie, ...photo.headers }, payload: photo.payload });
    expect(up.statusCode, up.body).toBe(200);
  });
  afterAll(async () => env?.close());

  it('every read of a spot-check photo is logged with who and which record (not the image)', async () => {
    const reads = () => env.ctx.db.selectFrom('audit_log').select(['username', 'object_type', 'object_id', 'after_json']).where('event', '=', 'assessment.spotcheck.photo.view').execute();
    expect(await reads()).toEqual([]);
    for (const c of [zlAdmin, assessor, zlViewer]) expect((await c.request('GET', `/api/spot-check-records/${record.id}/photo`)).statusCode).toBe(200);
    const logged = await reads();
    expect(logged.map((r) => [r.username, r.object_type, r.object_id])).toEqual([
      ['sp_zl', 'spot_check_record', String(record.id)],
      ['sp_assessor', 'spot_check_record', String(record.id)],
      ['sp_zl_viewer', 'spot_check_record', String(record.id)],
    ]);
  });

  it('an assessor’s note quoting the birth date reaches a viewer without it (the sample shows the ID masked)', async () => {
    const id = people.get(record.registrationId)!;
    const birth = `${id.slice(6, 10)}-${id.slice(10, 12)}-${id.slice(12, 14)}`;
    const mark = await assessor.request('PUT', `/api/spot-check-records/${record.id}`, { result: 'wrong', field: '出生日期', problem: `纸质表出生日期为 ${birth}，身份证 ${id}`, version: record.version });
    expect(mark.statusCode, mark.body).toBe(200);
    const forViewer = await zlViewer.request('GET', `${base}/spot-checks`);
    expect(forViewer.statusCode).toBe(200);
    for (const secret of [id, id.slice(6, 14), birth]) expect(forViewer.body).not.toContain(secret);
    expect(forViewer.json().items[0].records[0].problem).toContain(id.slice(6, 10));
    // the assessor who wrote it reads it as written (full-view role, the form re-saves it)
    const forAssessor = (await assessor.request('GET', `${base}/spot-checks`)).json();
    expect(forAssessor.items[0].records[0].problem).toContain(birth);
  });

  it('the city assessor sees the sample’s ID numbers in full (to compare with the paper forms), each such read logged; a viewer sees them masked, unlogged', async () => {
    const views = () => env.ctx.db.selectFrom('audit_log').select(['username', 'object_type', 'after_json']).where('event', '=', 'assessment.spotcheck.view').execute();
    const before = (await views()).length;
    const forAssessor = (await assessor.request('GET', `${base}/spot-checks`)).json();
    const shown = forAssessor.items[0].records[0];
    expect(shown.idNumber).toBe(people.get(record.registrationId));
    const logged = (await views()).slice(before);
    expect(logged.map((r) => [r.username, r.object_type])).toEqual([['sp_assessor', 'assessment']]);
    expect(JSON.parse(logged[0]!.after_json!)).toEqual({ records: 1, registrationIds: [record.registrationId] });
    const forViewer = await zlViewer.request('GET', `${base}/spot-checks`);
    expect(forViewer.json().items[0].records[0].idNumber).not.toBe(people.get(record.registrationId));
    expect(forViewer.body).not.toContain(people.get(record.registrationId)!);
    expect((await views()).length).toBe(before + 1);
  });
});
