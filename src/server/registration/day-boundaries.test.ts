// Asia/Shanghai day boundaries (issue 13 item 14): one helper, half-open [start, next day's start).
// The last millisecond of the cutoff day (23:59:59.999 +08:00) counts; 00:00:00.000 +08:00 of the
// next day does not — through the valid count, the list's entry-date filter, the frozen count and
// the statistics as of a day; an impossible date answers 400, not 500.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestEnv, newUserClient, orgId, testEngine, type Client, type TestEnv } from '../testing/harness.js';
import { fakeIdNumber, makeRegistration } from '../testing/registration-factory.js';

const LAST_MS = new Date('2016-06-10T23:59:59.999+08:00').toISOString(); // 2016-06-10T15:59:59.999Z
const NEXT_DAY = new Date('2016-06-11T00:00:00.000+08:00').toISOString(); // 2016-06-10T16:00:00.000Z

describe(`Shanghai day boundaries (${testEngine()})`, () => {
  let env: TestEnv;
  let city: Client;
  let district: number;
  let inDay: number;
  let nextDay: number;

  beforeAll(async () => {
    env = await createTestEnv();
    city = (await newUserClient(env, 'day_city', 'city_admin', '320400-SSB')).alwaysReauth();
    district = await orgId(env.ctx, '320404');
    inDay = await makeRegistration(env.ctx, { orgCode: '320404001001', idNumber: fakeIdNumber('320404', '19800101', 801), enteredAt: LAST_MS });
    nextDay = await makeRegistration(env.ctx, { orgCode: '320404001001', idNumber: fakeIdNumber('320404', '19800101', 802), enteredAt: NEXT_DAY });
  });
  afterAll(async () => env?.close());

  const listIds = async (query: string) => {
    const r = await city.request('GET', `/api/registrations?orgUnitId=${district}&${query}`);
    expect(r.statusCode, r.body).toBe(200);
    return (r.json().items as Array<{ id: number }>).map((i) => i.id).sort((a, b) => a - b);
  };

  it('valid count as of the day: 23:59:59.999 counts, the next day 00:00:00.000 does not', async () => {
    const at = async (asOf: string) => (await city.request('GET', `/api/registrations/valid-count?orgUnitId=${district}&asOf=${asOf}`)).json();
    expect(await at('2016-06-10')).toMatchObject({ entered: 1, validCount: 1 });
    expect(await at('2016-06-11')).toMatchObject({ entered: 2, validCount: 2 });
    expect(await at('2016-06-09')).toMatchObject({ entered: 0, validCount: 0 });
  });

  it('the list filter: entered to the day includes its last millisecond, entered from the next day starts at its midnight', async () => {
    expect(await listIds('enteredTo=2016-06-10')).toEqual([inDay]);
    expect(await listIds('enteredFrom=2016-06-11')).toEqual([nextDay]);
    expect(await listIds('enteredFrom=2016-06-10&enteredTo=2016-06-10')).toEqual([inDay]);
  });

  it('the frozen count at the data cutoff (2016-06-10) holds the record of the cutoff day, not the next day’s', async () => {
    const c = await env.ctx.db.selectFrom('campaign').select(['id', 'data_cutoff']).where('code', '=', '2016').executeTakeFirstOrThrow();
    expect(c.data_cutoff).toBe('2016-06-10');
    const r = await city.request('POST', `/api/campaigns/${Number(c.id)}/count-snapshots/${district}`, {});
    expect(r.statusCode, r.body).toBe(200);
    expect(r.json()).toMatchObject({ cutoff: '2016-06-10', validCount: 1 });
  });

  it('statistics as of the day count the same way (overview and the pivot over the records)', async () => {
    const overview = (await city.request('GET', `/api/statistics?orgUnitId=${district}&asOf=2016-06-10`)).json();
    expect(overview.total).toMatchObject({ registered: 1 });
    const pivot = (await city.request('GET', `/api/statistics/pivot?orgUnitId=${district}&dim=sex&measure=registered&asOf=2016-06-10`)).json();
    expect(pivot.total).toBe(1);
  });

  it('an impossible date answers 400 with a Chinese message, not 500', async () => {
    for (const url of [`/api/registrations/valid-count?orgUnitId=${district}&asOf=2016-02-30`, `/api/statistics/pivot?orgUnitId=${district}&dim=sex&measure=registered&asOf=2016-02-30`]) {
      const r = await city.request('GET', url);
      expect(r.statusCode, `${url} ${r.body}`).toBe(400);
      expect(r.json().error.code).toBe('INVALID_INPUT');
      expect(r.json().error.message).toMatch(/日期/);
    }
  });
});
