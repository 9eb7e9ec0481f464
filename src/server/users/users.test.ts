// User management: creation with a one-time password, uniqueness, role/unit rules, optimistic
// concurrency, disabling, password reset, unlock, masked phones, and what the audit log keeps.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LightMyRequestResponse } from 'fastify';
import { adminClient, createTestEnv, loginAs, makeUser, orgId, TEST_PASSWORD, testEngine, type Client, type TestEnv } from '../testing/harness.js';
import type { Role } from '../../shared/roles.js';

const errorOf = (res: LightMyRequestResponse) => (res.json() as { error: { code: string; message: string } }).error;

describe(`users (${testEngine()})`, () => {
  let env: TestEnv;
  let admin: Client & { password: string };
  let street: number;
  let seq = 0;
  const secrets: string[] = [];

  beforeAll(async () => {
    env = await createTestEnv();
    admin = await adminClient(env.app);
    await admin.reauth();
    street = await orgId(env.ctx, '320411002');
    secrets.push(admin.password);
  });
  afterAll(async () => env?.close());

  const userCount = async () =>
    Number((await env.ctx.db.selectFrom('app_user').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
  const create = (body: { username: string; role: Role; orgUnitId: number; phone?: string; displayName?: string }) =>
    admin.request('POST', '/api/users', { displayName: '测试用户', ...body });
  const login = (username: string, password: string) =>
    env.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username, password } });
  /** A user of 新北区 who is logged in. */
  const loggedInUser = async () => {
    const u = await makeUser(env.ctx, { username: `usr${++seq}`, role: 'clerk', orgCode: '320411002' });
    return { ...u, client: await loginAs(env.app, u.username, u.password) };
  };
  const getUser = async (id: number) => (await admin.request('GET', `/api/users/${id}`)).json();

  it('a city admin creates a district user: a one-time initialPassword, changed at first login', async () => {
    const res = await create({ username: 'xb_clerk1', displayName: '张三', role: 'clerk', orgUnitId: street, phone: '13912345678' });
    expect(res.statusCode).toBe(200);
    const { user, initialPassword } = res.json() as { user: Record<string, unknown>; initialPassword: string };
    secrets.push(initialPassword);
    expect(user).toMatchObject({ username: 'xb_clerk1', role: 'clerk', orgUnitId: street, orgUnitName: '三井街道', mustChangePassword: true, disabled: false, version: 0 });
    expect(initialPassword).toMatch(/^\S{14}$/);
    // it is shown once: the user record does not carry it
    const again = await admin.request('GET', `/api/users/${user.id as number}`);
    expect(again.body).not.toContain(initialPassword);
    expect(again.json()).not.toHaveProperty('initialPassword');

    const first = await login('xb_clerk1', initialPassword);
    expect(first.json().user.mustChangePassword).toBe(true);
    const c = await loginAs(env.app, 'xb_clerk1', initialPassword);
    expect(errorOf(await c.request('GET', '/api/campaigns')).code).toBe('PASSWORD_CHANGE_REQUIRED');
    expect((await c.request('POST', '/api/auth/password', { oldPassword: initialPassword, newPassword: 'Mine#pass2016' })).statusCode).toBe(200);
    secrets.push('Mine#pass2016');
    expect((await c.request('GET', '/api/campaigns')).statusCode).toBe(200);
  });

  it('a taken username (in any letter case) → 409 CONFLICT and no second user', async () => {
    const n = await userCount();
    const res = await create({ username: 'XB_Clerk1', role: 'viewer', orgUnitId: street });
    expect([res.statusCode, errorOf(res).code]).toEqual([409, 'CONFLICT']);
    expect(errorOf(res).message).toContain('xb_clerk1');
    expect(await userCount()).toBe(n);
  });

  it('role and unit must fit: a city role at a district unit or a district_admin at 市社保 → 400, nothing created', async () => {
    const n = await userCount();
    const cityRoleInDistrict = await create({ username: 'bad_place1', role: 'city_assessor', orgUnitId: await orgId(env.ctx, '320411') });
    expect([cityRoleInDistrict.statusCode, errorOf(cityRoleInDistrict).code]).toEqual([400, 'INVALID_INPUT']);
    expect(errorOf(cityRoleInDistrict).message).toMatch(/市级角色/);
    const districtAdminAtAgency = await create({ username: 'bad_place2', role: 'district_admin', orgUnitId: await orgId(env.ctx, '320400-SSB') });
    expect([districtAdminAtAgency.statusCode, errorOf(districtAdminAtAgency).code]).toEqual([400, 'INVALID_INPUT']);
    const clerkAtCity = await create({ username: 'bad_place3', role: 'clerk', orgUnitId: await orgId(env.ctx, '320400') });
    expect([clerkAtCity.statusCode, errorOf(clerkAtCity).message]).toEqual([400, '录入员和调查员须属于某个区或其下级单位']);
    expect(await userCount()).toBe(n);
    // the same roles in fitting units are accepted
    expect((await create({ username: 'ok_place1', role: 'city_assessor', orgUnitId: await orgId(env.ctx, '320400-SSB') })).statusCode).toBe(200);
    expect((await create({ username: 'ok_place2', role: 'district_admin', orgUnitId: await orgId(env.ctx, '320411') })).statusCode).toBe(200);
  });

  it('PATCH with a stale version → 409 and nothing changes', async () => {
    const u = await makeUser(env.ctx, { username: `usr${++seq}`, role: 'viewer', orgCode: '320411' });
    const first = await admin.request('PATCH', `/api/users/${u.id}`, { displayName: '第一次', version: 0 });
    expect(first.json()).toMatchObject({ displayName: '第一次', version: 1 });
    const stale = await admin.request('PATCH', `/api/users/${u.id}`, { displayName: '过期修改', disabled: true, version: 0 });
    expect([stale.statusCode, errorOf(stale).code]).toEqual([409, 'CONFLICT']);
    expect(await getUser(u.id)).toMatchObject({ displayName: '第一次', disabled: false, version: 1 });
  });

  it('disabling a user ends their sessions and blocks login', async () => {
    const u = await loggedInUser();
    expect((await u.client.request('GET', '/api/auth/me')).statusCode).toBe(200);
    const res = await admin.request('PATCH', `/api/users/${u.id}`, { disabled: true, version: 0 });
    expect(res.json()).toMatchObject({ disabled: true });
    expect((await u.client.request('GET', '/api/auth/me')).statusCode).toBe(401);
    const open = await env.ctx.db.selectFrom('session').select('id').where('user_id', '=', u.id).where('ended_at', 'is', null).execute();
    expect(open).toEqual([]);
    expect(errorOf(await login(u.username, u.password)).message).toBe('用户名或密码错误');
  });

  it('reset-password ends the sessions, replaces the password and forces a change', async () => {
    const u = await loggedInUser();
    const res = await admin.request('POST', `/api/users/${u.id}/reset-password`);
    expect(res.statusCode).toBe(200);
    const { temporaryPassword } = res.json() as { temporaryPassword: string };
    secrets.push(temporaryPassword);
    expect(temporaryPassword).not.toBe(TEST_PASSWORD);
    expect((await u.client.request('GET', '/api/auth/me')).statusCode).toBe(401);
    expect((await login(u.username, TEST_PASSWORD)).statusCode).toBe(401);
    const fresh = await login(u.username, temporaryPassword);
    expect(fresh.statusCode).toBe(200);
    expect(fresh.json().user.mustChangePassword).toBe(true);
    expect(await getUser(u.id)).toMatchObject({ mustChangePassword: true });
  });

  it('unlock clears a lock-out', async () => {
    const u = await makeUser(env.ctx, { username: `usr${++seq}`, role: 'clerk', orgCode: '320411' });
    for (let i = 0; i < 5; i++) await login(u.username, 'Wrong#pass99');
    expect((await login(u.username, u.password)).statusCode).toBe(423);
    expect(await getUser(u.id)).toMatchObject({ locked: true });
    expect((await admin.request('POST', `/api/users/${u.id}/unlock`)).statusCode).toBe(200);
    expect(await getUser(u.id)).toMatchObject({ locked: false });
    expect((await login(u.username, u.password)).statusCode).toBe(200);
  });

  it('phone numbers come back masked (139****5678) in details and lists; the full number never leaves', async () => {
    const u = await makeUser(env.ctx, { username: `usr${++seq}`, role: 'surveyor', orgCode: '320411', phone: '13987655678' });
    expect((await getUser(u.id)).phone).toBe('139****5678');
    const list = await admin.request('GET', '/api/users?q=usr');
    expect((list.json().items as Array<{ id: number; phone: string | null }>).find((x) => x.id === u.id)?.phone).toBe('139****5678');
    expect(list.body).not.toContain('13987655678');
    const created = await admin.request('GET', '/api/users?q=xb_clerk1');
    expect(created.json().items[0].phone).toBe('139****5678');
    expect(created.body).not.toContain('13912345678');
  });

  it('the audit log has user.create and user.update with before/after, and never a password or a hash', async () => {
    const page = await admin.request('GET', '/api/audit?event=user.create&success=true&limit=200');
    const entry = (page.json().items as Array<Record<string, any>>).find((e) => e.after?.username === 'xb_clerk1');
    expect(entry).toMatchObject({ username: 'admin', objectType: 'user', before: null, success: true });
    expect(entry!.after).toMatchObject({ role: 'clerk', orgUnitId: street, phone: '139****5678' });
    const update = (await admin.request('GET', '/api/audit?event=user.update&success=true&limit=200')).json().items[0];
    expect(update.before).toBeTruthy();
    expect(update.after.version).toBe(update.before.version + 1);

    const rows = await env.ctx.db.selectFrom('audit_log').selectAll().execute();
    const everything = JSON.stringify(rows) + (await admin.request('GET', '/api/audit?limit=200')).body;
    expect(secrets.length).toBeGreaterThanOrEqual(4);
    for (const s of [...secrets, TEST_PASSWORD]) expect(everything).not.toContain(s);
    expect(everything).not.toMatch(/scrypt\$|password_hash|passwordHash|totp_secret|13912345678/);
  });
});
