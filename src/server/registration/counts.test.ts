// Valid count and duplicates (SPEC §1): one ID number is one person, counted once, in the record
// the city chose or else the earliest valid entry; the count as of a date uses the same rule.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestEnv, testEngine, type TestEnv } from '../testing/harness.js';
import { fakeIdNumber, makeRegistration } from '../testing/registration-factory.js';
import { getOrgUnitByCode } from '../orgs/store.js';
import { chooseCounted, pickCounted, resolveCounted } from './duplicates.js';
import { validCount } from './counts.js';

describe(`valid count and duplicates (${testEngine()})`, () => {
  let env: TestEnv;
  let xinbei: string;
  let tianning: string;
  let street: string;
  beforeAll(async () => {
    env = await createTestEnv();
    xinbei = (await getOrgUnitByCode(env.ctx.db, '320411'))!.path;
    tianning = (await getOrgUnitByCode(env.ctx.db, '320402'))!.path;
    street = (await getOrgUnitByCode(env.ctx.db, '320411002'))!.path;
  });
  afterAll(async () => env?.close());

  const counted = async (id: number) =>
    Number((await env.ctx.db.selectFrom('registration').select('is_counted').where('id', '=', id).executeTakeFirstOrThrow()).is_counted);

  it('pickCounted: the city’s choice wins, else the earliest valid undeleted entry', () => {
    const base = { id_number: 'x', is_counted: 0, deleted_at: null, counted_by_city: 0 };
    expect(pickCounted([{ ...base, id: 2, is_valid: 1, entered_at: '2016-01-02' }, { ...base, id: 3, is_valid: 1, entered_at: '2016-01-01' }])).toBe(3);
    expect(pickCounted([{ ...base, id: 2, is_valid: 0, entered_at: '2016-01-01' }, { ...base, id: 3, is_valid: 1, entered_at: '2016-01-02' }])).toBe(3);
    expect(pickCounted([{ ...base, id: 2, is_valid: 1, entered_at: '2016-01-01' }, { ...base, id: 3, is_valid: 1, entered_at: '2016-01-02', counted_by_city: 1 }])).toBe(3);
    expect(pickCounted([{ ...base, id: 2, is_valid: 1, entered_at: '2016-01-01', deleted_at: '2016-02-01' }])).toBeNull();
  });

  it('the same person entered in two districts is counted once, in the earlier valid entry; both districts see it', async () => {
    const id = fakeIdNumber('320402', '19700505');
    const first = await makeRegistration(env.ctx, { orgCode: '320402001001', idNumber: id, enteredAt: '2016-05-01T02:00:00.000Z' });
    const second = await makeRegistration(env.ctx, { orgCode: '320411002001', idNumber: id, enteredAt: '2016-05-02T02:00:00.000Z' });
    expect([await counted(first), await counted(second)]).toEqual([1, 0]);
    const tn = await validCount(env.ctx.db, tianning);
    const xb = await validCount(env.ctx.db, xinbei);
    expect(tn).toMatchObject({ entered: 1, validCount: 1, duplicates: 0 });
    expect(xb).toMatchObject({ entered: 1, validCount: 0, duplicates: 1 });
    // The city decides otherwise: the count moves, never doubles.
    await chooseCounted(env.ctx.db, second);
    expect([await counted(first), await counted(second)]).toEqual([0, 1]);
    expect((await validCount(env.ctx.db, tianning)).validCount).toBe(0);
    expect((await validCount(env.ctx.db, xinbei)).validCount).toBe(1);
  });

  it('when the counted record becomes invalid or is deleted, the next valid one is counted', async () => {
    const id = fakeIdNumber('320411', '19810202');
    const a = await makeRegistration(env.ctx, { orgCode: '320411002001', idNumber: id, enteredAt: '2016-05-01T00:00:00.000Z' });
    const b = await makeRegistration(env.ctx, { orgCode: '320411002002', idNumber: id, enteredAt: '2016-05-03T00:00:00.000Z' });
    expect([await counted(a), await counted(b)]).toEqual([1, 0]);
    await env.ctx.db.updateTable('registration').set({ is_valid: 0 }).where('id', '=', a).execute();
    await resolveCounted(env.ctx.db, [id]);
    expect([await counted(a), await counted(b)]).toEqual([0, 1]);
    await env.ctx.db.updateTable('registration').set({ deleted_at: '2016-05-04T00:00:00.000Z' }).where('id', '=', b).execute();
    await resolveCounted(env.ctx.db, [id]);
    expect([await counted(a), await counted(b)]).toEqual([0, 0]);
  });

  it('the database refuses a second counted record for one ID number', async () => {
    const id = fakeIdNumber('320411', '19820303');
    await makeRegistration(env.ctx, { orgCode: '320411002001', idNumber: id });
    const b = await makeRegistration(env.ctx, { orgCode: '320411002001', idNumber: id });
    await expect(env.ctx.db.updateTable('registration').set({ is_counted: 1 }).where('id', '=', b).execute()).rejects.toThrow();
  });

  it('the breakdown explains the count: entered = invalid + duplicates + valid count, invalid by reason', async () => {
    const before = await validCount(env.ctx.db, street);
    await makeRegistration(env.ctx, { orgCode: '320411002003', idNumber: fakeIdNumber('320411', '19900101'), valid: false, errors: [{ field: 'phone', code: 'REQUIRED', message: '联系电话：必填' }] });
    await makeRegistration(env.ctx, { orgCode: '320411002003', idNumber: fakeIdNumber('320411', '19900102'), valid: false, errors: [{ field: 'idNumber', code: 'BAD_CHECK_DIGIT', message: '校验位不正确' }] });
    await makeRegistration(env.ctx, { orgCode: '320411002003', idNumber: fakeIdNumber('320411', '19900103') });
    const after = await validCount(env.ctx.db, street);
    expect(after.entered - before.entered).toBe(3);
    expect(after.invalid - before.invalid).toBe(2);
    expect(after.validCount - before.validCount).toBe(1);
    expect(after.entered).toBe(after.invalid + after.duplicates + after.validCount);
    expect(after.invalidByReason.map((r) => r.code).sort()).toEqual(expect.arrayContaining(['BAD_CHECK_DIGIT', 'REQUIRED']));
  });

  it('as of a date: only records entered by the end of that day (Asia/Shanghai), the earliest of them counted', async () => {
    const id = fakeIdNumber('320404', '19750707');
    // 2016-06-10 23:30 in Shanghai is 15:30 UTC: inside the cutoff day; 16:30 UTC is the 11th.
    await makeRegistration(env.ctx, { orgCode: '320404001001', idNumber: id, enteredAt: '2016-06-10T15:30:00.000Z' });
    await makeRegistration(env.ctx, { orgCode: '320404001001', idNumber: fakeIdNumber('320404', '19750708'), enteredAt: '2016-06-10T16:30:00.000Z' });
    const zl = (await getOrgUnitByCode(env.ctx.db, '320404'))!.path;
    expect((await validCount(env.ctx.db, zl, '2016-06-10')).validCount).toBe(1);
    expect((await validCount(env.ctx.db, zl, '2016-06-11')).validCount).toBe(2);
    expect((await validCount(env.ctx.db, zl, '2016-06-09')).entered).toBe(0);
  });

  it('as of a date, a duplicate entered later in another district does not take the count', async () => {
    const id = fakeIdNumber('320404', '19760808');
    await makeRegistration(env.ctx, { orgCode: '320411003001', idNumber: id, enteredAt: '2016-06-12T00:00:00.000Z' });
    await makeRegistration(env.ctx, { orgCode: '320404002001', idNumber: id, enteredAt: '2016-06-01T00:00:00.000Z' });
    const xbStreet = (await getOrgUnitByCode(env.ctx.db, '320411003'))!.path;
    const zlStreet = (await getOrgUnitByCode(env.ctx.db, '320404002'))!.path;
    expect(await validCount(env.ctx.db, xbStreet, '2016-06-30')).toMatchObject({ entered: 1, validCount: 0, duplicates: 1 });
    expect(await validCount(env.ctx.db, zlStreet, '2016-06-30')).toMatchObject({ entered: 1, validCount: 1, duplicates: 0 });
    // Before the later entry existed, 钟楼区 held the person alone.
    expect(await validCount(env.ctx.db, xbStreet, '2016-06-11')).toMatchObject({ entered: 0, validCount: 0 });
  });
});
