// Statistics (issue 7 items 1, 2, 9): on random data — valid and invalid records, duplicates across
// districts, every coded field — the overview and every pivot equal a brute-force count over the
// records the user may see (property-based over the seed of the data), today and as of a day; a
// district user never sees another district's figures, also not through the .xlsx.
import ExcelJS from 'exceljs';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestEnv, makeUser, newUserClient, orgId, testEngine, type Client, type TestEnv } from '../testing/harness.js';
import { fakeIdNumber, makeRegistration } from '../testing/registration-factory.js';
import { AGE_BANDS, STAT_DIMENSIONS, listFiltersOf, type Pivot, type StatisticsOverview, type WorkStatistics } from '../../shared/api-statistics.js';
import { todayShanghai } from '../clock.js';
import { shanghaiDayOf } from '../registration/stat-cube.js';

const COMMUNITIES = ['320411002001', '320402001001', '320404001001', '320404001002'];
const pick = <T>(xs: readonly T[], i: number) => xs[i % xs.length]!;

describe(`statistics equal a recount (${testEngine()})`, () => {
  let env: TestEnv;
  let city: Client;
  let xbAdmin: Client;
  let person = 0;

  beforeAll(async () => {
    env = await createTestEnv();
    city = await newUserClient(env, 'st_city', 'city_admin', '320400-SSB');
    xbAdmin = await newUserClient(env, 'st_xb', 'district_admin', '320411');
  });
  afterAll(async () => env?.close());

  const recordArb = fc.record({ unit: fc.nat(3), dup: fc.boolean(), valid: fc.integer({ min: 0, max: 4 }), sex: fc.nat(2), cat: fc.nat(4), hukou: fc.nat(2), year: fc.integer({ min: 1930, max: 2015 }), st: fc.nat(4), reason: fc.nat(3), day: fc.integer({ min: 1, max: 20 }) });

  async function addRecords(recs: Array<typeof recordArb extends fc.Arbitrary<infer T> ? T : never>) {
    for (const r of recs) {
      const p = r.dup && person > 0 ? person - 1 : person++;
      await makeRegistration(env.ctx, {
        orgCode: COMMUNITIES[r.unit]!,
        idNumber: fakeIdNumber('320411', '19550101', p % 1000),
        valid: r.valid > 0,
        errors: r.valid > 0 ? undefined : [{ field: pick(['phone', 'birthDate'], r.day), code: 'X', message: 'x' }],
        enteredAt: `2016-05-${String(r.day).padStart(2, '0')}T${r.day % 2 ? '17' : '03'}:00:00.000Z`,
        columns: {
          sex: pick([null, '1', '2'], r.sex),
          person_category: pick([null, '11', '12', '21', '99'], r.cat),
          hukou_type: pick([null, '10', '20'], r.hukou),
          birth_date: r.year % 7 === 0 ? null : `${r.year}-06-01`,
          ins_110_status: pick([null, '0', '1', '2', '4'], r.st),
          ins_390_status: pick(['1', '0'], r.st),
          uninsured_reason: pick([null, '01', '07', '99'], r.reason),
          willingness: pick([null, '1', '2'], r.reason),
        },
      });
    }
  }

  async function brute(districtCode: string | null, asOf?: string) {
    let q = env.ctx.db.selectFrom('registration as r').innerJoin('org_unit as o', 'o.id', 'r.org_unit_id').selectAll('r').select('o.path').where('r.deleted_at', 'is', null);
    if (districtCode) q = q.where('r.district_id', '=', await orgId(env.ctx, districtCode));
    const rows = await q.execute();
    return asOf ? rows.filter((r) => shanghaiDayOf(r.entered_at) <= asOf) : rows;
  }

  it('the city overview, as of today and as of a day, and every pivot equal a brute-force count', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(recordArb, { minLength: 1, maxLength: 25 }), fc.integer({ min: 1, max: 20 }), async (recs, asOfDay) => {
        await addRecords(recs);
        const all = await brute(null);
        const o = (await city.request('GET', '/api/statistics')).json() as StatisticsOverview;
        expect(o.total).toMatchObject({ registered: all.length, valid: all.filter((r) => r.is_valid).length, counted: all.filter((r) => r.is_valid && r.is_counted).length, invalid: all.filter((r) => !r.is_valid).length });
        for (const row of o.rows) {
          const mine = all.filter((r) => r.path.startsWith(`/`) && r.path.includes(`/${row.orgUnitId}/`));
          expect([row.registered, row.counted, row.duplicates], row.orgUnitName).toEqual([mine.length, mine.filter((r) => r.is_valid && r.is_counted).length, mine.filter((r) => r.is_valid && !r.is_counted).length]);
        }
        const asOf = `2016-05-${String(asOfDay).padStart(2, '0')}`;
        const then = await brute(null, asOf);
        const oa = (await city.request('GET', `/api/statistics?asOf=${asOf}`)).json() as StatisticsOverview;
        expect([oa.total.registered, oa.total.counted]).toEqual([then.length, then.filter((r) => r.is_valid && r.is_counted).length]);
        // a pivot per dimension and measure, today and as of the day
        for (const [dim, when] of [...STAT_DIMENSIONS.map((d) => [d, null] as const), ...STAT_DIMENSIONS.map((d) => [d, asOf] as const)]) {
          const year = Number((when ?? todayShanghai()).slice(0, 4));
          const p = (await city.request('GET', `/api/statistics/pivot?dim=${dim}&measure=counted${when ? `&asOf=${when}` : ''}`)).json() as Pivot;
          const rows = when ? then : all;
          const base = dim === 'error' ? rows.filter((r) => !r.is_valid) : rows.filter((r) => r.is_valid && r.is_counted);
          const valueOf = (r: (typeof all)[number]): string[] => {
            if (dim === 'age') {
              const y = r.birth_date ? year - Number(r.birth_date.slice(0, 4)) : null;
              return [y === null ? '' : (AGE_BANDS.find((b) => y >= b.min && y <= b.max)?.code ?? '')];
            }
            if (dim === 'error') return [...new Set((JSON.parse(r.errors_json ?? '[]') as Array<{ field: string }>).map((e) => e.field))];
            const col = { sex: 'sex', category: 'person_category', hukou: 'hukou_type', reason: 'uninsured_reason', willing: 'willingness' }[dim as string] ?? `ins_${dim.slice(3)}_status`;
            return [((r as unknown as Record<string, string | null>)[col] ?? '') as string];
          };
          p.columns.forEach((c, i) => expect(p.totals[i], `${dim}=${c.value} ${when ?? ''}`).toBe(base.filter((r) => valueOf(r).includes(c.value)).length));
          if (dim !== 'error') expect(p.total, dim).toBe(base.length);
        }
      }),
      { numRuns: 6 },
    );
  });

  it('every cell of every pivot opens a list of exactly its records (the list filters of the cell)', async () => {
    const year = Number(todayShanghai().slice(0, 4));
    const countList = async (query: string) => {
      let n = 0;
      let before: number | null = null;
      for (;;) {
        const page = (await city.request('GET', `/api/registrations?limit=200&${query}${before ? `&before=${before}` : ''}`)).json() as { items: unknown[]; nextCursor: number | null };
        n += page.items.length;
        if (!page.nextCursor) return n;
        before = page.nextCursor;
      }
    };
    let cells = 0;
    for (const dim of STAT_DIMENSIONS)
      for (const [measure, asOf] of [['registered', null], ['counted', null], ['counted', '2016-05-10']] as const) {
        const p = (await city.request('GET', `/api/statistics/pivot?dim=${dim}&measure=${measure}${asOf ? `&asOf=${asOf}` : ''}`)).json() as Pivot;
        for (const row of p.rows)
          for (const [i, c] of p.columns.entries()) {
            const want = row.cells[i]!;
            if (want === 0 && (i + row.orgUnitId) % 3) continue; // some empty cells too
            const query = new URLSearchParams({ orgUnitId: String(row.orgUnitId), ...listFiltersOf(dim, c.value, measure, asOf ? 2016 : year, asOf) }).toString();
            expect(await countList(query), `${dim} ${measure} ${row.orgUnitName} ${c.label}`).toBe(want);
            cells++;
          }
      }
    expect(cells).toBeGreaterThan(100);
  });

  it('a district user: its streets only, the total of its own records, another district is 404 — also through the .xlsx', async () => {
    const mine = await brute('320411');
    const o = (await xbAdmin.request('GET', '/api/statistics')).json() as StatisticsOverview;
    expect(o.unit.orgUnitName).toBe('新北区');
    expect(o.rows.every((r) => r.level === 'street')).toBe(true);
    expect(o.total.registered).toBe(mine.length);
    expect((await xbAdmin.request('GET', `/api/statistics?orgUnitId=${await orgId(env.ctx, '320402')}`)).statusCode).toBe(404);
    expect((await xbAdmin.request('GET', `/api/statistics/pivot?dim=sex&orgUnitId=${await orgId(env.ctx, '320402001')}`)).statusCode).toBe(404);
    const x = await xbAdmin.request('GET', '/api/statistics/pivot.xlsx?dim=sex&measure=registered');
    expect(x.statusCode).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(x.rawPayload as unknown as ExcelJS.Buffer);
    const text = JSON.stringify(wb.worksheets[0]!.getSheetValues());
    expect(text).toContain('新北区');
    expect(text).not.toContain('天宁区');
    const totalRow = wb.worksheets[0]!.getRow(wb.worksheets[0]!.rowCount - 1).values as unknown[];
    expect(totalRow[totalRow.length - 1]).toBe(mine.length);
    expect((await env.ctx.db.selectFrom('audit_log').select('event').where('event', '=', 'statistics.view').execute()).length).toBe(1);
  });

  it('work statistics: per user who entered (by day, valid rate, after the cutoff, spot-check errors) and per surveyor; in scope only', async () => {
    const clerk = await makeUser(env.ctx, { username: 'st_clerk', role: 'clerk', orgCode: '320411002', displayName: '赵录入' });
    const ids: number[] = [];
    for (const [i, at] of ['2016-06-01T02:00:00.000Z', '2016-06-01T03:00:00.000Z', '2016-06-10T15:00:00.000Z', '2016-06-10T17:00:00.000Z'].entries())
      ids.push(await makeRegistration(env.ctx, { orgCode: '320411002001', idNumber: fakeIdNumber('320411', '19600101', 900 + i), valid: i !== 1, enteredAt: at, columns: { entered_by: clerk.id, surveyor_name: '钱调查' } }));
    const at = new Date().toISOString();
    const a = await env.ctx.db.insertInto('assessment').values({ campaign_id: 1, org_unit_id: await orgId(env.ctx, '320411'), status: 'review', created_at: at, updated_at: at, version: 0 }).returning('id').executeTakeFirstOrThrow();
    const sc = await env.ctx.db.insertInto('spot_check').values({ assessment_id: Number(a.id), seed: 's', method: 'size', requested: 1, population: 1, population_sha256: 'x', drawn_at: at, drawn_by: clerk.id }).returning('id').executeTakeFirstOrThrow();
    await env.ctx.db.insertInto('spot_check_record').values({ spot_check_id: Number(sc.id), seq: 1, registration_id: ids[0]!, result: 'wrong', field: 'phone', problem: 'x', photo_sha256: null, checked_by: null, checked_at: at }).execute();
    const w = (await xbAdmin.request('GET', '/api/statistics/work')).json() as WorkStatistics;
    const me = w.users.find((u) => u.userId === clerk.id)!;
    // 2016-06-10T17:00Z is 06-11 01:00 in Shanghai: after the cutoff (2016-06-10)
    expect(me).toMatchObject({ displayName: '赵录入', roleLabel: '录入员', entered: 4, valid: 3, validPermille: 750, firstDay: '2016-06-01', lastDay: '2016-06-11', afterCutoff: 1, spotChecked: 1, spotWrong: 1 });
    expect(me.days).toEqual([{ day: '2016-06-01', n: 2 }, { day: '2016-06-10', n: 1 }, { day: '2016-06-11', n: 1 }]);
    expect(w.surveyors.find((s) => s.name === '钱调查')).toMatchObject({ entered: 4, valid: 3 });
    const tn = await newUserClient(env, 'st_tn', 'district_admin', '320402');
    const theirs = (await tn.request('GET', '/api/statistics/work')).json() as WorkStatistics;
    expect(theirs.users.map((u) => u.userId)).not.toContain(clerk.id);
    expect(theirs.surveyors.map((s) => s.name)).not.toContain('钱调查');
  });

  it('targets: set by the unit or the city, coverage = counted / target; another district cannot set one', async () => {
    const street = await orgId(env.ctx, '320411002');
    expect((await xbAdmin.request('PUT', `/api/statistics/targets/${street}`, { target: 200 })).statusCode).toBe(200);
    expect((await xbAdmin.request('PUT', `/api/statistics/targets/${await orgId(env.ctx, '320402001')}`, { target: 200 })).statusCode).toBe(404);
    const o = (await xbAdmin.request('GET', '/api/statistics')).json() as StatisticsOverview;
    const row = o.rows.find((r) => r.orgUnitId === street)!;
    expect(row.target).toBe(200);
    expect(row.coveragePermille).toBe(Math.round((row.counted * 1000) / 200));
    expect(row.targetSource).toBe('own');
    // the district's target is summed from its street's: coverage counts only that street's persons
    expect(o.total).toMatchObject({ target: 200, targetSource: 'children', coveragePermille: Math.round((row.counted * 1000) / 200) });
  });
});
