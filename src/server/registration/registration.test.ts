// Registration records through the API (issue 3, items 1, 3, 4, 5, 8): entry with validation state,
// scoping by district, duplicates visible to both districts and counted once, history, conflicts,
// masking and the logged full view, the valid count.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminClient, createTestEnv, loginAs, makeUser, orgId, testEngine, type Client, type TestEnv } from '../testing/harness.js';
import { fakeIdNumber, makeRegistration, validRecord } from '../testing/registration-factory.js';

const XB_COMMUNITY = '320411002001';
const XB_COMMUNITY_2 = '320411002002';
const TN_COMMUNITY = '320402001001';

describe(`registration records (${testEngine()})`, () => {
  let env: TestEnv;
  let xbClerk: Client;
  let tnClerk: Client;
  let xbViewer: Client;
  let xbCommunity: number;
  let tnCommunity: number;

  beforeAll(async () => {
    env = await createTestEnv();
    const a = await makeUser(env.ctx, { username: 'xb_clerk', role: 'clerk', orgCode: '320411' });
    const b = await makeUser(env.ctx, { username: 'tn_clerk', role: 'clerk', orgCode: '320402' });
    const c = await makeUser(env.ctx, { username: 'xb_viewer', role: 'viewer', orgCode: '320411' });
    xbClerk = await loginAs(env.app, a.username, a.password);
    tnClerk = await loginAs(env.app, b.username, b.password);
    xbViewer = await loginAs(env.app, c.username, c.password);
    xbCommunity = await orgId(env.ctx, XB_COMMUNITY);
    tnCommunity = await orgId(env.ctx, TN_COMMUNITY);
  });
  afterAll(async () => env?.close());

  const create = (client: Client, orgUnitId: number, record: Record<string, string | null>) =>
    client.request('POST', '/api/registrations', { orgUnitId, record });

  it('a clerk enters a valid record: stored valid and counted, sex and birth date derived, history and audit kept', async () => {
    const res = await create(xbClerk, xbCommunity, validRecord({ idNumber: fakeIdNumber('320411', '19850315') }));
    expect(res.statusCode).toBe(200);
    const r = res.json();
    expect(r).toMatchObject({ isValid: true, isCounted: true, errors: [], orgUnitId: xbCommunity });
    expect(r.record.sex).toMatch(/^[12]$/);
    expect(r.record.birthDate).toBe('1985-03-15');
    const history = await env.ctx.db.selectFrom('registration_history').selectAll().where('registration_id', '=', r.id).execute();
    expect(history.map((h) => h.action)).toEqual(['create']);
    const audit = await env.ctx.db.selectFrom('audit_log').selectAll().where('event', '=', 'registration.create').where('object_id', '=', String(r.id)).executeTakeFirstOrThrow();
    expect(audit.after_json).toContain('********'); // the ID number is masked in the audit log
    expect(audit.after_json).not.toContain('13912345678');
  });

  it('an invalid record is kept with its validation state and every reason', async () => {
    const res = await create(xbClerk, xbCommunity, validRecord({ idNumber: fakeIdNumber('320411', '19850316'), phone: '12345', personCategory: '99' }));
    expect(res.statusCode).toBe(200);
    const r = res.json();
    expect(r.isValid).toBe(false);
    expect(r.isCounted).toBe(false);
    expect(r.errors.map((e: { field: string }) => e.field).sort()).toEqual(['personCategory', 'phone']);
    expect(r.errors.every((e: { message: string }) => /[\u4e00-\u9fa5]/.test(e.message))).toBe(true);
  });

  it('a record without an ID number or name cannot be saved at all', async () => {
    const res = await create(xbClerk, xbCommunity, validRecord({ idNumber: null }));
    expect([res.statusCode, res.json().error.code]).toEqual([400, 'INVALID_INPUT']);
  });

  it('entry is scoped: another district’s community answers 404, a street is refused, nothing is written', async () => {
    const before = await env.ctx.db.selectFrom('registration').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    expect((await create(xbClerk, tnCommunity, validRecord({ idNumber: fakeIdNumber('320411', '19850317') }))).statusCode).toBe(404);
    const street = await orgId(env.ctx, '320411002');
    expect((await create(xbClerk, street, validRecord({ idNumber: fakeIdNumber('320411', '19850318') }))).statusCode).toBe(400);
    expect((await create(xbViewer, xbCommunity, validRecord({ idNumber: fakeIdNumber('320411', '19850319') }))).statusCode).toBe(403);
    const after = await env.ctx.db.selectFrom('registration').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    expect(Number(after.n)).toBe(Number(before.n));
  });

  it('the same person entered in another district is flagged, visible to both, and counted once', async () => {
    const idNumber = fakeIdNumber('320402', '19700202');
    const first = (await create(xbClerk, xbCommunity, validRecord({ idNumber }))).json();
    const second = (await create(tnClerk, tnCommunity, validRecord({ idNumber }))).json();
    expect([first.isCounted, second.isCounted]).toEqual([true, false]);
    expect(second.countedElsewhere).toMatchObject({ registrationId: first.id, districtName: '新北区' });
    // 天宁区 sees its duplicate in its list, with who holds the counted record
    const tnList = (await tnClerk.request('GET', '/api/registrations?duplicate=true')).json();
    expect(tnList.items.map((i: { id: number }) => i.id)).toContain(second.id);
    // …and 新北区 sees the conflict from its side through the count's breakdown
    const tnCount = (await tnClerk.request('GET', `/api/registrations/valid-count?orgUnitId=${await orgId(env.ctx, '320402')}`)).json();
    expect(tnCount.duplicates).toBeGreaterThanOrEqual(1);
    // deleting the counted record moves the count to the other one
    const del = await xbClerk.request('DELETE', `/api/registrations/${first.id}?version=${first.version}`);
    expect(del.statusCode).toBe(200);
    const again = (await tnClerk.request('GET', `/api/registrations/${second.id}`)).json();
    expect(again.isCounted).toBe(true);
  });

  it('both districts see the other records of the person and which counts; the city can choose, with a reason', async () => {
    const idNumber = fakeIdNumber('320402', '19720303');
    const a = (await create(xbClerk, xbCommunity, validRecord({ idNumber }))).json();
    const b = (await create(tnClerk, tnCommunity, validRecord({ idNumber }))).json();
    const fromXb = (await xbClerk.request('GET', `/api/registrations/${a.id}`)).json();
    expect(fromXb.otherRecords).toEqual([expect.objectContaining({ registrationId: b.id, districtName: '天宁区', isCounted: false, inScope: false })]);
    const fromTn = (await tnClerk.request('GET', `/api/registrations/${b.id}`)).json();
    expect(fromTn.otherRecords).toEqual([expect.objectContaining({ registrationId: a.id, districtName: '新北区', isCounted: true, inScope: false })]);
    // only the city admin decides
    expect((await tnClerk.request('POST', `/api/registrations/${b.id}/count`, { reason: '户籍在天宁' })).statusCode).toBe(403);
    const admin = await adminClient(env.app);
    const chosen = await admin.request('POST', `/api/registrations/${b.id}/count`, { reason: '户籍在天宁区' });
    expect(chosen.statusCode).toBe(200);
    expect(chosen.json()).toMatchObject({ isCounted: true, countedByCity: true });
    expect((await xbClerk.request('GET', `/api/registrations/${a.id}`)).json()).toMatchObject({ isCounted: false });
    const audit = await env.ctx.db.selectFrom('audit_log').select('after_json').where('event', '=', 'registration.count.choose').executeTakeFirstOrThrow();
    expect(audit.after_json).toContain('户籍在天宁区');
  });

  it('an edit records old → new in the history; a stale version is refused with the current record', async () => {
    const r = (await create(xbClerk, xbCommunity, validRecord({ idNumber: fakeIdNumber('320411', '19900909') }))).json();
    const ok = await xbClerk.request('PUT', `/api/registrations/${r.id}`, { record: { residenceAddress: '新地址8号' }, version: r.version });
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toMatchObject({ version: r.version + 1, isValid: true });
    const stale = await xbClerk.request('PUT', `/api/registrations/${r.id}`, { record: { residenceAddress: '过期修改' }, version: r.version });
    expect([stale.statusCode, stale.json().error.code]).toEqual([409, 'CONFLICT']);
    expect(stale.json().error.details.current.record.residenceAddress).toBe('新地址8号');
    const detail = (await xbClerk.request('GET', `/api/registrations/${r.id}`)).json();
    expect(detail.history.map((h: { action: string }) => h.action)).toEqual(['create', 'update']);
    expect(detail.history[1].changes.residenceAddress).toEqual(['三井街道河海东路1号', '新地址8号']);
  });

  it('household fields changed in an edit are kept in the history too; a name searches by prefix', async () => {
    const r = (await create(xbClerk, xbCommunity, validRecord({ idNumber: fakeIdNumber('320411', '19900910'), name: '欧阳明', householdHeadName: '欧阳明' }))).json();
    const ok = await xbClerk.request('PUT', `/api/registrations/${r.id}`, { record: { householdHeadName: '欧阳华' }, version: r.version });
    expect(ok.statusCode).toBe(200);
    const detail = (await xbClerk.request('GET', `/api/registrations/${r.id}`)).json();
    expect(detail.history[1].changes.householdHeadName).toEqual(['欧阳明', '欧阳华']);
    expect(detail.record.householdHeadName).toBe('欧阳华');
    const found = (await xbClerk.request('GET', `/api/registrations?q=${encodeURIComponent('欧阳')}`)).json();
    expect(found.items.map((i: { id: number }) => i.id)).toContain(r.id);
  });

  it('another district’s record answers exactly like a missing one (GET, PUT, DELETE)', async () => {
    const r = (await create(tnClerk, tnCommunity, validRecord({ idNumber: fakeIdNumber('320402', '19910101') }))).json();
    for (const [method, url, body] of [
      ['GET', `/api/registrations/${r.id}`, undefined],
      ['PUT', `/api/registrations/${r.id}`, { record: { name: '越权' }, version: 0 }],
      ['DELETE', `/api/registrations/${r.id}?version=0`, undefined],
    ] as const) {
      const res = await xbClerk.request(method, url, body);
      const missing = await xbClerk.request(method, url.replace(String(r.id), '999999'), body);
      expect([res.statusCode, res.body]).toEqual([404, missing.body]);
    }
    const list = (await xbClerk.request('GET', '/api/registrations?limit=200')).json();
    expect(list.items.every((i: { districtId: number }) => i.districtId !== r.districtId)).toBe(true);
  });

  it('lists are masked; the detail is full for a clerk (and the view is logged) but masked for a viewer', async () => {
    const idNumber = fakeIdNumber('320411', '19881212');
    const r = (await create(xbClerk, await orgId(env.ctx, XB_COMMUNITY_2), validRecord({ idNumber }))).json();
    const list = (await xbClerk.request('GET', `/api/registrations?q=${idNumber}`)).json();
    expect(list.items).toHaveLength(1);
    expect(list.items[0].record.idNumber).toBe(`${idNumber.slice(0, 6)}********${idNumber.slice(-4)}`);
    expect(list.items[0].record.phone).toBe('139****5678');
    const full = (await xbClerk.request('GET', `/api/registrations/${r.id}`)).json();
    expect([full.record.idNumber, full.masked]).toEqual([idNumber, false]);
    const views = await env.ctx.db.selectFrom('audit_log').select('id').where('event', '=', 'registration.view').where('object_id', '=', String(r.id)).execute();
    expect(views.length).toBe(1);
    const masked = (await xbViewer.request('GET', `/api/registrations/${r.id}`)).json();
    expect([masked.record.idNumber.includes('*'), masked.masked]).toEqual([true, true]);
  });

  it('keyset paging walks the list newest first without overlap', async () => {
    for (let i = 0; i < 5; i++) await create(xbClerk, xbCommunity, validRecord({ idNumber: fakeIdNumber('320411', '19950101', 100 + i) }));
    const seen: number[] = [];
    let cursor: number | null = null;
    do {
      const page: { items: Array<{ id: number }>; nextCursor: number | null } = (await xbClerk.request('GET', `/api/registrations?limit=3${cursor ? `&before=${cursor}` : ''}`)).json();
      seen.push(...page.items.map((i) => i.id));
      cursor = page.nextCursor;
    } while (cursor);
    expect(new Set(seen).size).toBe(seen.length);
    expect([...seen].sort((a, b) => b - a)).toEqual(seen);
  });

  it('a street’s pages merge its communities’ records newest first, each once, with full rows and filters applied (keyset)', async () => {
    const second = await orgId(env.ctx, XB_COMMUNITY_2);
    for (let i = 0; i < 4; i++) await create(xbClerk, i % 2 ? xbCommunity : second, validRecord({ idNumber: fakeIdNumber('320411', '19960101', 200 + i), name: i === 3 ? '李四' : '张三' }));
    const street = await orgId(env.ctx, '320411002');
    const walk = async (query: string) => {
      const seen: Array<{ id: number; orgUnitId: number; record: { name: string | null } }> = [];
      let cursor: number | null = null;
      do {
        const page: { items: typeof seen; nextCursor: number | null } = (await xbClerk.request('GET', `/api/registrations?orgUnitId=${street}&limit=2${query}${cursor ? `&before=${cursor}` : ''}`)).json();
        seen.push(...page.items);
        cursor = page.nextCursor;
      } while (cursor);
      return seen;
    };
    const all = await walk('');
    const inStreet = await env.ctx.db.selectFrom('registration').select('id').where('org_path', 'like', `${(await env.ctx.db.selectFrom('org_unit').select('path').where('id', '=', street).executeTakeFirstOrThrow()).path}%`).where('deleted_at', 'is', null).orderBy('id', 'desc').execute();
    expect(all.map((r) => r.id)).toEqual(inStreet.map((r) => Number(r.id)));
    expect(new Set(all.map((r) => r.orgUnitId))).toEqual(new Set([xbCommunity, second]));
    expect(all.every((r) => r.record.name)).toBe(true);
    const named = await walk(`&q=${encodeURIComponent('李')}`);
    expect(named.length).toBeGreaterThan(0);
    expect(named.every((r) => r.record.name!.startsWith('李'))).toBe(true);
  });

  it('filters: insurance status, person category, entry date, surveyor — the list and the export take the same, and bad filters are refused', async () => {
    const mk = (seq: number, enteredAt: string, columns: Record<string, string>) =>
      makeRegistration(env.ctx, { orgCode: '320411002002', idNumber: fakeIdNumber('320411', '19600101', seq), name: `筛选${seq}`, enteredAt, columns });
    const a = await mk(801, '2016-05-01T02:00:00.000Z', { ins_110_status: '1', person_category: '24', surveyor_name: '王调查' });
    const b = await mk(802, '2016-05-02T17:00:00.000Z', { ins_110_status: '0', person_category: '80', surveyor_name: '李调查' }); // 2016-05-03 01:00 in Shanghai
    const c = await mk(803, '2016-05-03T15:59:00.000Z', { ins_390_status: '1', person_category: '24', surveyor_name: '王调查' }); // 23:59 on 05-03 in Shanghai
    const unit = await orgId(env.ctx, '320411002002');
    // q=筛选: only this test's records (the community has others)
    const ids = async (query: string) =>
      ((await xbClerk.request("GET", `/api/registrations?orgUnitId=${unit}&q=${encodeURIComponent("筛选")}&${query}`)).json() as { items: Array<{ id: number }> }).items.map((i) => i.id).sort((x, y) => x - y);
    expect(await ids('insType=110&insStatus=1')).toEqual([a]);
    expect(await ids('insType=110&insStatus=0')).toEqual([b]);
    expect(await ids('personCategory=24')).toEqual([a, c]);
    expect(await ids('surveyor=王')).toEqual([a, c]);
    expect(await ids('enteredFrom=2016-05-03&enteredTo=2016-05-03')).toEqual([b, c]);
    expect(await ids('enteredTo=2016-05-01')).toEqual([a]);
    expect(await ids('personCategory=24&surveyor=王调查&insType=390&insStatus=1')).toEqual([c]);
    // the export of the detail table with the same filters
    const csv = await xbClerk.request('GET', `/api/registrations/export?orgUnitId=${unit}&format=csv&personCategory=24`);
    expect(csv.statusCode).toBe(200);
    expect(csv.body).toContain('筛选801');
    expect(csv.body).toContain('筛选803');
    expect(csv.body).not.toContain('筛选802');
    for (const bad of ['insStatus=1', 'insType=999&insStatus=1', 'enteredFrom=2016-13-01', 'enteredFrom=2016-05-03&enteredTo=2016-05-01', 'personCategory=abc']) {
      const r = await xbClerk.request('GET', `/api/registrations?orgUnitId=${unit}&${bad}`);
      expect(r.statusCode, bad).toBe(400);
    }
  });
});

