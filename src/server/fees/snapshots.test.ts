// The valid count frozen at the data cutoff (issue 6 item 1): the breakdown down to communities,
// records entered after the cutoff left out, later edits change nothing, a re-take needs a city
// admin and a reason and keeps the old snapshot; scope and roles.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestEnv, newUserClient, orgId, testEngine, type Client, type TestEnv } from '../testing/harness.js';
import { fakeIdNumber, makeRegistration } from '../testing/registration-factory.js';
import { makeFinalAssessment } from '../testing/fees-fixtures.js';

describe(`frozen valid count (${testEngine()})`, () => {
  let env: TestEnv;
  let cityAdmin: Client;
  let assessor: Client;
  let zlAdmin: Client;
  let xbAdmin: Client;
  let url: string;
  let firstId: number;
  let streetId: number;

  beforeAll(async () => {
    env = await createTestEnv();
    cityAdmin = (await newUserClient(env, 'fee_city', 'city_admin', '320400-SSB')).alwaysReauth();
    assessor = (await newUserClient(env, 'fee_assessor', 'city_assessor', '320400-SSB')).alwaysReauth();
    zlAdmin = await newUserClient(env, 'fee_zl', 'district_admin', '320404');
    xbAdmin = await newUserClient(env, 'fee_xb', 'district_admin', '320411');
    const c = await env.ctx.db.selectFrom('campaign').select('id').where('code', '=', '2016').executeTakeFirstOrThrow();
    streetId = await orgId(env.ctx, '320404001');
    url = `/api/campaigns/${Number(c.id)}/count-snapshots/${await orgId(env.ctx, '320404')}`;
    const before = '2016-06-09T02:00:00.000Z'; // 10:00 on 06-09 in Shanghai
    for (let i = 0; i < 5; i++) await makeRegistration(env.ctx, { orgCode: '320404001001', idNumber: fakeIdNumber('320404', '19800101', 700 + i), enteredAt: before });
    await makeRegistration(env.ctx, { orgCode: '320404001002', idNumber: fakeIdNumber('320404', '19800101', 710), enteredAt: before });
    await makeRegistration(env.ctx, { orgCode: '320404001002', idNumber: fakeIdNumber('320404', '19800101', 711), enteredAt: before, valid: false });
    // the same person as 700, entered later in another district: a duplicate there, not here
    await makeRegistration(env.ctx, { orgCode: '320411002001', idNumber: fakeIdNumber('320404', '19800101', 700), enteredAt: before });
    // 16:30 on the cutoff day in Shanghai counts; 00:30 the next day does not
    await makeRegistration(env.ctx, { orgCode: '320404001001', idNumber: fakeIdNumber('320404', '19800101', 720), enteredAt: '2016-06-10T08:30:00.000Z' });
    await makeRegistration(env.ctx, { orgCode: '320404001001', idNumber: fakeIdNumber('320404', '19800101', 721), enteredAt: '2016-06-10T16:30:00.000Z' });
  });
  afterAll(async () => env?.close());

  it('a city admin freezes the count as of the cutoff, with the district, streets and communities', async () => {
    expect((await cityAdmin.request('GET', url)).json()).toEqual({ current: null, earlier: [] });
    expect((await assessor.request('POST', url, {})).statusCode).toBe(403);
    expect((await zlAdmin.request('POST', url, {})).statusCode).toBe(403);
    const r = await cityAdmin.request('POST', url, {});
    expect(r.statusCode, r.body).toBe(200);
    const s = r.json();
    firstId = s.id;
    expect(s).toMatchObject({ cutoff: '2016-06-10', validCount: 7, reason: null, supersededAt: null });
    const district = s.units[0];
    expect(district).toMatchObject({ orgUnitName: '钟楼区', level: 'district', entered: 8, invalid: 1, duplicates: 0, validCount: 7, invalidByReason: [{ code: 'REQUIRED', count: 1 }] });
    const byName = new Map(s.units.map((u: { orgUnitName: string; orgUnitId: number }) => [u.orgUnitId, u]));
    const c1 = byName.get(await orgId(env.ctx, '320404001001')) as { validCount: number; entered: number };
    const c2 = byName.get(await orgId(env.ctx, '320404001002')) as { validCount: number; entered: number; invalid: number };
    expect([c1.entered, c1.validCount]).toEqual([6, 6]);
    expect([c2.entered, c2.validCount, c2.invalid]).toEqual([2, 1, 1]);
    const street = s.units.find((u: { orgUnitId: number }) => u.orgUnitId === streetId) as { level: string; entered: number; validCount: number };
    expect(street).toMatchObject({ level: 'street', entered: 8, validCount: 7 });
  });

  it('an edit after the freeze changes nothing in it; a re-take needs a reason and keeps the old one; scope', async () => {
    // a counted record becomes invalid after the freeze
    const rec = await env.ctx.db.selectFrom('registration').select('id').where('id_number', '=', fakeIdNumber('320404', '19800101', 701)).executeTakeFirstOrThrow();
    await env.ctx.db.updateTable('registration').set({ is_valid: 0, is_counted: 0, errors_json: JSON.stringify([{ field: 'phone', code: 'BAD_PHONE', message: 'x' }]) }).where('id', '=', rec.id).execute();
    const still = (await zlAdmin.request('GET', url)).json();
    expect(still.current).toMatchObject({ id: firstId, validCount: 7 });
    const noReason = await cityAdmin.request('POST', url, {});
    expect(noReason.statusCode).toBe(400);
    expect(noReason.json().error.message).toContain('原因');
    const again = await cityAdmin.request('POST', url, { reason: '核实后有一条登记信息有误' });
    expect(again.statusCode, again.body).toBe(200);
    expect(again.json()).toMatchObject({ validCount: 6, reason: '核实后有一条登记信息有误' });
    const h = (await cityAdmin.request('GET', url)).json();
    expect(h.current.id).toBe(again.json().id);
    expect(h.earlier).toEqual([expect.objectContaining({ id: firstId, validCount: 7, supersededAt: expect.any(String) })]);
    const audit = await env.ctx.db.selectFrom('audit_log').select('success').where('event', '=', 'fees.count.freeze').orderBy('id').execute();
    expect(audit.map((a) => Number(a.success))).toEqual([1, 0, 1]); // the refused re-take is recorded too
    // another district's admin: as if it did not exist
    expect((await xbAdmin.request('GET', url)).statusCode).toBe(404);
  });

  it('the fee: refused with the reasons until the assessment is final, then count × rate × tier, to the fen, with 人民币大写', async () => {
    const c = await env.ctx.db.selectFrom('campaign').select('id').where('code', '=', '2016').executeTakeFirstOrThrow();
    const zl = await orgId(env.ctx, '320404');
    const feeUrl = `/api/campaigns/${Number(c.id)}/fees/${zl}`;
    const before = (await zlAdmin.request('GET', feeUrl)).json();
    expect(before).toMatchObject({ ready: false, validCount: 6, feeFen: null });
    expect(before.missing.join()).toContain('考核尚未完成');
    // a final assessment of 89.5 (the 80–90 tier, 90 %)
    await makeFinalAssessment(env.ctx, Number(c.id), zl, 895);
    const fee = (await zlAdmin.request('GET', feeUrl)).json();
    // 6 persons × 3 元 = 18.00; × 90 % = 16.20
    expect(fee).toMatchObject({ ready: true, missing: [], validCount: 6, assessedTotal: 895, tier: { percent: 90 }, baseRateFen: 300, feeBaseFen: 1800, feeFen: 1620, feeCapital: '壹拾陆元贰角' });
    expect((await xbAdmin.request('GET', feeUrl)).statusCode).toBe(404);
  });
});

