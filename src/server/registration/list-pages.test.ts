// The registration list as officials page through it (issue 14): page numbers in every order
// (录入时间, 姓名, 社区/村) give each matching record exactly once, in the order a plain sort of the
// records gives; the total for the filters equals a recount (or says it is an estimate, and is the
// product the statistics tables give); selected records export alone; bulk deletion removes only
// invalid records of the caller's scope, all or none — on both engines.
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestEnv, loginAs, makeUser, testEngine, TEST_PASSWORD, type Client, type TestEnv } from '../testing/harness.js';
import { fakeIdNumber, makeRegistration } from '../testing/registration-factory.js';
import { countRegistrations } from './filter-count.js';
import { getOrgUnitByCode } from '../orgs/store.js';

const XB = ['320411002001', '320411002002', '320411003001'];
const TN = '320402001001';
const NAMES = ['张三', '李四', '王五', '赵六', '张伟', '欧阳明', '丁一'];

type Seeded = { id: number; name: string | null; path: string; sex: string | null; category: string | null; valid: boolean; district: 'xb' | 'tn' };

describe(`registration list pages, totals and bulk actions (${testEngine()})`, () => {
  let env: TestEnv;
  let xbClerk: Client;
  let tnClerk: Client;
  let xbViewer: Client;
  const seeded: Seeded[] = [];

  beforeAll(async () => {
    env = await createTestEnv();
    for (const [username, role, orgCode] of [
      ['lp_xb_clerk', 'clerk', '320411'],
      ['lp_tn_clerk', 'clerk', '320402'],
      ['lp_xb_viewer', 'viewer', '320411'],
    ] as const) {
      await makeUser(env.ctx, { username, role, orgCode });
    }
    xbClerk = await loginAs(env.app, 'lp_xb_clerk', TEST_PASSWORD);
    tnClerk = await loginAs(env.app, 'lp_tn_clerk', TEST_PASSWORD);
    xbViewer = await loginAs(env.app, 'lp_xb_viewer', TEST_PASSWORD);
    for (let i = 0; i < 47; i++) {
      const code = i % 9 === 8 ? TN : XB[i % 3]!;
      const unit = (await getOrgUnitByCode(env.ctx.db, code))!;
      const name = NAMES[i % NAMES.length]!;
      const sex = i % 5 === 0 ? null : String(1 + (i % 2));
      const category = ['11', '24', null][i % 3]!;
      const valid = i % 4 !== 1;
      const id = await makeRegistration(env.ctx, {
        orgCode: code,
        idNumber: fakeIdNumber(code.slice(0, 6), '19700101', 100 + i),
        valid,
        enteredAt: new Date(Date.UTC(2016, 4, 1, 2, i)).toISOString(),
        columns: { name, sex, person_category: category },
      });
      seeded.push({ id, name, path: unit.path, sex, category, valid, district: code === TN ? 'tn' : 'xb' });
    }
  });
  afterAll(async () => env?.close());

  const xbRecords = () => seeded.filter((s) => s.district === 'xb');
  const byId = (a: Seeded, b: Seeded) => b.id - a.id;
  const ORDERS: Record<string, (a: Seeded, b: Seeded) => number> = {
    '-enteredAt': byId,
    enteredAt: (a, b) => a.id - b.id,
    // Names in code-point order, records without a name last, ties newest first.
    name: (a, b) => (a.name === null ? 1 : 0) - (b.name === null ? 1 : 0) || cmp(a.name, b.name) || byId(a, b),
    '-name': (a, b) => (a.name === null ? 1 : 0) - (b.name === null ? 1 : 0) || cmp(b.name, a.name) || byId(a, b),
    orgUnit: (a, b) => cmp(a.path, b.path) || byId(a, b),
    '-orgUnit': (a, b) => cmp(b.path, a.path) || byId(a, b),
  };
  function cmp(a: string | null, b: string | null): number {
    const x = a ?? '';
    const y = b ?? '';
    return x < y ? -1 : x > y ? 1 : 0;
  }

  async function allPages(client: Client, query: string, limit: number): Promise<number[]> {
    const out: number[] = [];
    for (let page = 1; page < 100; page++) {
      const r = await client.request('GET', `/api/registrations?${query}&page=${page}&limit=${limit}`);
      expect(r.statusCode).toBe(200);
      const items = (r.json() as { items: Array<{ id: number }> }).items;
      out.push(...items.map((x) => x.id));
      if (items.length < limit) break;
    }
    return out;
  }

  for (const sort of Object.keys(ORDERS)) {
    it(`pages in order ${sort} hold every record of the district once, in the sorted order`, async () => {
      const ids = await allPages(xbClerk, `sort=${encodeURIComponent(sort)}`, 7);
      expect(ids).toEqual([...xbRecords()].sort(ORDERS[sort]).map((s) => s.id));
    });
  }

  it('pages of a street (community branches merged) and of a community follow the same order', async () => {
    const street = (await getOrgUnitByCode(env.ctx.db, '320411002'))!;
    const ids = await allPages(xbClerk, `orgUnitId=${street.id}`, 4);
    expect(ids).toEqual(xbRecords().filter((s) => s.path.startsWith(street.path)).sort(byId).map((s) => s.id));
    const asc = await allPages(xbClerk, `orgUnitId=${street.id}&sort=enteredAt&valid=true`, 4);
    expect(asc).toEqual(xbRecords().filter((s) => s.path.startsWith(street.path) && s.valid).sort(ORDERS.enteredAt).map((s) => s.id));
  });

  it('refuses a page beyond the reachable depth and keyset paging mixed with page numbers', async () => {
    const deep = await xbClerk.request('GET', '/api/registrations?page=5000&limit=50');
    expect(deep.statusCode).toBe(400);
    expect(deep.json().error.message).toContain('请缩小筛选范围');
    const mixed = await xbClerk.request('GET', `/api/registrations?page=2&before=${seeded[10]!.id}`);
    expect(mixed.statusCode).toBe(400);
  });

  const FILTERS: Array<[string, (s: Seeded) => boolean]> = [
    ['', () => true],
    ['valid=true', (s) => s.valid],
    ['valid=false', (s) => !s.valid],
    ['sex=1', (s) => s.sex === '1'],
    ['sex=none', (s) => s.sex === null],
    ['personCategory=24', (s) => s.category === '24'],
    ['personCategory=24&sex=2', (s) => s.category === '24' && s.sex === '2'],
    ['valid=true&personCategory=11&sex=1', (s) => s.valid && s.category === '11' && s.sex === '1'],
    [`q=${encodeURIComponent('张')}`, (s) => (s.name ?? '').startsWith('张')],
    ['enteredFrom=2016-05-01&enteredTo=2016-05-01', () => true],
    ['enteredFrom=2016-05-02', () => false],
  ];
  for (const [query, match] of FILTERS) {
    it(`the total for "${query || '无筛选'}" equals the records the list holds`, async () => {
      const r = await xbClerk.request('GET', `/api/registrations/count?${query}`);
      expect(r.statusCode).toBe(200);
      const listed = await allPages(xbClerk, query, 200);
      expect(listed.length).toBe(xbRecords().filter(match).length);
      expect(r.json()).toEqual({ total: listed.length, kind: 'exact' });
    });
  }

  it('several dimensions over a large unit are an estimate from the statistics tables, labelled so', async () => {
    const district = (await getOrgUnitByCode(env.ctx.db, '320411'))!;
    const filter = { unitPath: district.path, districtId: Number(district.id), personCategory: '24', coded: { sex: '2' } };
    const c = await countRegistrations(env.ctx.db, filter, {}, { directBelow: 0 });
    const all = xbRecords();
    const expected = Math.round(all.length * (all.filter((s) => s.category === '24').length / all.length) * (all.filter((s) => s.sex === '2').length / all.length));
    expect(c).toEqual({ total: expected, kind: 'estimate' });
  });

  it("a count of another district's unit is refused like its list", async () => {
    const tn = (await getOrgUnitByCode(env.ctx.db, TN))!;
    expect((await xbClerk.request('GET', `/api/registrations/count?orgUnitId=${tn.id}`)).statusCode).toBe(404);
    expect((await tnClerk.request('GET', '/api/registrations/count')).json()).toEqual({ total: seeded.filter((s) => s.district === 'tn').length, kind: 'exact' });
  });

  it('exports the selected records only, and never records of another district', async () => {
    const picked = xbRecords().slice(0, 3);
    const tnRecord = seeded.find((s) => s.district === 'tn')!;
    const ids = [...picked.map((s) => s.id), tnRecord.id].join(',');
    const r = await xbClerk.request('GET', `/api/registrations/export?format=xlsx&ids=${ids}`);
    expect(r.statusCode).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(r.rawPayload as unknown as ArrayBuffer);
    const ws = wb.worksheets[0]!;
    const header = (ws.getRow(1).values as unknown[]).map(String);
    const nameCol = header.indexOf('姓名');
    const names: string[] = [];
    ws.eachRow((row, n) => {
      if (n > 1) names.push(String(row.getCell(nameCol).value ?? ''));
    });
    expect(names.sort()).toEqual(picked.map((s) => s.name ?? '').sort());
    const bad = await xbClerk.request('GET', '/api/registrations/export?ids=1,x');
    expect(bad.statusCode).toBe(400);
  });

  async function versionOf(id: number): Promise<number> {
    const row = await env.ctx.db.selectFrom('registration').select('version').where('id', '=', id).executeTakeFirstOrThrow();
    return Number(row.version);
  }
  async function liveIds(): Promise<number[]> {
    return (await env.ctx.db.selectFrom('registration').select('id').where('deleted_at', 'is', null).orderBy('id').execute()).map((r) => Number(r.id));
  }

  it('bulk deletion refuses a valid record, a stale version, another district and a viewer — and deletes nothing', async () => {
    const invalid = xbRecords().filter((s) => !s.valid);
    const valid = xbRecords().find((s) => s.valid)!;
    const tnInvalid = seeded.find((s) => s.district === 'tn' && !s.valid) ?? seeded.find((s) => s.district === 'tn')!;
    const before = await liveIds();
    const item = async (s: Seeded) => ({ id: s.id, version: await versionOf(s.id) });
    const cases: Array<[Client, Array<{ id: number; version: number }>, number]> = [
      [xbClerk, [await item(invalid[0]!), await item(valid)], 409],
      [xbClerk, [await item(invalid[0]!), { id: invalid[1]!.id, version: (await versionOf(invalid[1]!.id)) + 1 }], 409],
      [xbClerk, [await item(invalid[0]!), await item(tnInvalid)], 404],
      [xbViewer, [await item(invalid[0]!)], 403],
      [xbClerk, [], 400],
    ];
    for (const [client, items, status] of cases) {
      const r = await client.request('POST', '/api/registrations/bulk-delete', { items });
      expect(r.statusCode).toBe(status);
    }
    expect(await liveIds()).toEqual(before);
  });

  it('bulk deletion removes the selected invalid records together, each in the audit log', async () => {
    const invalid = xbRecords().filter((s) => !s.valid).slice(0, 3);
    const items = await Promise.all(invalid.map(async (s) => ({ id: s.id, version: await versionOf(s.id) })));
    const countBefore = (await xbClerk.request('GET', '/api/registrations/count')).json().total as number;
    const r = await xbClerk.request('POST', '/api/registrations/bulk-delete', { items });
    expect(r.statusCode).toBe(200);
    expect(r.json()).toEqual({ deleted: 3 });
    const live = await liveIds();
    for (const s of invalid) expect(live).not.toContain(s.id);
    expect((await xbClerk.request('GET', '/api/registrations/count')).json()).toEqual({ total: countBefore - 3, kind: 'exact' });
    const audit = await env.ctx.db.selectFrom('audit_log').select(['event', 'object_id']).where('event', 'in', ['registration.delete', 'registration.delete.bulk']).where('success', '=', 1).execute();
    expect(audit.filter((a) => a.event === 'registration.delete').map((a) => Number(a.object_id)).sort()).toEqual(invalid.map((s) => s.id).sort());
    expect(audit.filter((a) => a.event === 'registration.delete.bulk')).toHaveLength(1);
  });
});
