// The org tree: the city admin adds and renames units in the right places; everyone else sees only
// their own subtree, including units added later.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LightMyRequestResponse } from 'fastify';
import { adminClient, createTestEnv, loginAs, makeUser, orgId, testEngine, type Client, type TestEnv } from '../testing/harness.js';
import type { OrgUnit } from '../../shared/api.js';

const errorOf = (res: LightMyRequestResponse) => (res.json() as { error: { code: string; message: string } }).error;

describe(`org units (${testEngine()})`, () => {
  let env: TestEnv;
  let admin: Client;
  let street: number;

  beforeAll(async () => {
    env = await createTestEnv();
    admin = await adminClient(env.app);
    street = await orgId(env.ctx, '320411002');
  });
  afterAll(async () => env?.close());

  const unitCount = async () => (await env.ctx.db.selectFrom('org_unit').select('id').execute()).length;
  const addUnit = (parentId: number, code: string, level: string, name = '新单位') =>
    admin.request('POST', '/api/orgs', { parentId, code, name, level });

  it('the city admin adds a community under a street; it joins that district’s subtree and only that one', async () => {
    const res = await addUnit(street, '320411002999', 'community', '测试社区居委会');
    expect(res.statusCode).toBe(200);
    const unit = res.json() as OrgUnit;
    expect(unit).toMatchObject({ code: '320411002999', level: 'community', parentId: street });
    const row = await env.ctx.db.selectFrom('org_unit').selectAll().where('id', '=', unit.id).executeTakeFirstOrThrow();
    const parent = await env.ctx.db.selectFrom('org_unit').selectAll().where('id', '=', street).executeTakeFirstOrThrow();
    expect(row.path).toBe(`${parent.path}${unit.id}/`);

    const xb = await makeUser(env.ctx, { username: 'org_xb', role: 'viewer', orgCode: '320411' });
    const tn = await makeUser(env.ctx, { username: 'org_tn', role: 'viewer', orgCode: '320402' });
    const xbItems = (await (await loginAs(env.app, xb.username, xb.password)).request('GET', '/api/orgs')).json().items as OrgUnit[];
    const tnClient = await loginAs(env.app, tn.username, tn.password);
    const tnItems = (await tnClient.request('GET', '/api/orgs')).json().items as OrgUnit[];
    expect(xbItems.map((u) => u.id)).toContain(unit.id);
    expect(tnItems.map((u) => u.id)).not.toContain(unit.id);
    expect(tnItems.every((u) => u.code.startsWith('320402'))).toBe(true);
    expect((await tnClient.request('GET', `/api/orgs/${unit.id}`)).statusCode).toBe(404);
  });

  it('a street user sees only their street and its communities', async () => {
    const u = await makeUser(env.ctx, { username: 'org_street', role: 'surveyor', orgCode: '320411002' });
    const items = (await (await loginAs(env.app, u.username, u.password)).request('GET', '/api/orgs')).json().items as OrgUnit[];
    expect(items.length).toBeGreaterThan(1);
    expect(items.every((x) => x.code.startsWith('320411002'))).toBe(true);
    expect(items.map((x) => x.code)).not.toContain('320411');
  });

  it('a unit at the wrong level → 400; a duplicate code → 409; a missing parent → 404; nothing is added', async () => {
    const n = await unitCount();
    const wrongLevel = await addUnit(street, '320411002998', 'district');
    expect([wrongLevel.statusCode, errorOf(wrongLevel).code]).toEqual([400, 'INVALID_INPUT']);
    const underCommunity = await addUnit(await orgId(env.ctx, '320411002999'), '320411002999001', 'community');
    expect(underCommunity.statusCode).toBe(400);
    const dup = await addUnit(street, '320411002999', 'community');
    expect([dup.statusCode, errorOf(dup).code]).toEqual([409, 'CONFLICT']);
    expect((await addUnit(999999, '320411002997', 'community')).statusCode).toBe(404);
    expect(await unitCount()).toBe(n);
  });

  it('renaming a unit is audited with before → after', async () => {
    const id = await orgId(env.ctx, '320411002999');
    const res = await admin.request('PATCH', `/api/orgs/${id}`, { name: '改名社区居委会' });
    expect(res.json()).toMatchObject({ id, name: '改名社区居委会' });
    const entry = (await admin.request('GET', '/api/audit?event=org.update&limit=1')).json().items[0];
    expect(entry).toMatchObject({ objectType: 'org_unit', objectId: String(id), success: true });
    expect(entry.before.name).toBe('测试社区居委会');
    expect(entry.after.name).toBe('改名社区居委会');
  });
});
