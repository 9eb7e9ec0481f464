// The route walk (SPEC "Access": deny by default, one mechanism, scoping by org subtree, another
// district's object answers like a missing one). Every registered route is checked, so a new
// route without a rule, or with a rule that lets the wrong role in, fails here.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LightMyRequestResponse } from 'fastify';
import { createTestEnv, loginAs, makeUser, orgId, testEngine, type Client, type TestEnv } from '../testing/harness.js';
import { ROLES, type Role } from '../../shared/roles.js';
import type { RouteInfo } from '../app.js';
import { fakeIdNumber, makeRegistration } from '../testing/registration-factory.js';

const CITY = '320400';
const XINBEI = '320411';
const XINBEI_STREET = '320411002'; // 三井街道
const TIANNING = '320402';
const TIANNING_STREET = '320402001'; // 雕庄街道

const isDocs = (url: string) => url.startsWith('/api/docs') || url === '/api/openapi.json';
const errorOf = (res: LightMyRequestResponse) => (res.json() as { error: { code: string; message: string } }).error;

describe(`access control route walk (${testEngine()})`, () => {
  let env: TestEnv;
  const clients = {} as Record<Role, Client>;
  let ids: { user: number; district: number; org: number; campaign: number; session: number; registration: number; batch: number };
  let tianningUser: number;
  let xinbeiUser: number;
  let cityUser: number;
  let xinbeiAdmin: Client;

  beforeAll(async () => {
    env = await createTestEnv();
    for (const role of ROLES) {
      const orgCode = role === 'city_admin' || role === 'city_assessor' ? CITY : XINBEI;
      const u = await makeUser(env.ctx, { username: `walk_${role}`, role, orgCode });
      clients[role] = await loginAs(env.app, u.username, u.password);
      await clients[role].reauth(); // so a role check that let someone through would really write
    }
    xinbeiAdmin = clients.district_admin;
    tianningUser = (await makeUser(env.ctx, { username: 'tn_clerk', role: 'clerk', orgCode: TIANNING_STREET, phone: '13912345678' })).id;
    xinbeiUser = (await makeUser(env.ctx, { username: 'xb_clerk', role: 'clerk', orgCode: XINBEI_STREET })).id;
    cityUser = (await makeUser(env.ctx, { username: 'city_assessor2', role: 'city_assessor', orgCode: CITY })).id;
    const campaign = await env.ctx.db.selectFrom('campaign').select('id').where('code', '=', '2016').executeTakeFirstOrThrow();
    const session = await env.ctx.db.selectFrom('session').select('id').orderBy('id').executeTakeFirstOrThrow();
    const registration = await makeRegistration(env.ctx, { orgCode: `${XINBEI_STREET}001`, idNumber: fakeIdNumber('320411', '19800101') });
    const admin = await env.ctx.db.selectFrom('app_user').select('id').where('username', '=', 'walk_city_admin').executeTakeFirstOrThrow();
    const batch = await env.ctx.db
      .insertInto('import_batch')
      .values({ org_unit_id: await orgId(env.ctx, XINBEI_STREET), user_id: Number(admin.id), file_name: 'walk.csv', file_sha256: '0'.repeat(64), mode: 'all', status: 'done', rows_total: 0, rows_imported: 0, rows_rejected: 0, rows_unchanged: 0, rejects_json: '[]', created_at: new Date().toISOString(), finished_at: null })
      .returning('id')
      .executeTakeFirstOrThrow();
    ids = { user: xinbeiUser, district: await orgId(env.ctx, '320411'), org: await orgId(env.ctx, XINBEI_STREET), campaign: Number(campaign.id), session: Number(session.id), registration, batch: Number(batch.id) };
  });
  afterAll(async () => env?.close());

  /** The route's url with its :id filled with an existing object of the right kind. */
  function urlOf(r: RouteInfo): string {
    const id = r.url.startsWith('/api/users') || r.url.startsWith('/api/field')
      ? ids.user
      : r.url.startsWith('/api/orgs')
        ? ids.org
        : r.url.startsWith('/api/campaigns')
          ? ids.campaign
          : r.url.startsWith('/api/registrations/imports')
            ? ids.batch
            : r.url.startsWith('/api/registrations')
            ? ids.registration
            : ids.session;
    const url = r.url
      .replace(':campaignId', String(ids.campaign))
      .replace(':orgUnitId', String(ids.district))
      .replace(':id', String(id))
      .replace(':jobId', '0'.repeat(24))
      .replace(':token', 'a'.repeat(24))
      .replace(':spotCheckId', '1');
    if (r.url === '/api/registrations/valid-count') return `${url}?orgUnitId=${ids.org}`;
    if (r.url.startsWith('/api/statistics/pivot')) return `${url}?dim=sex`;
    if (r.method === 'DELETE' && r.url === '/api/registrations/:id') return `${url}?version=0`;
    return url;
  }

  /** A body the route would accept, so a refusal is the access rule's doing, not validation's. */
  function bodyOf(r: RouteInfo): unknown {
    const key = `${r.method} ${r.url}`;
    const bodies: Record<string, unknown> = {
      'POST /api/orgs': { parentId: ids.org, code: '320411002999', name: '测试社区', level: 'community' },
      'PATCH /api/orgs/:id': { name: '改名街道' },
      'POST /api/users': { username: 'walk_created', displayName: '新人', role: 'clerk', orgUnitId: ids.org },
      'PATCH /api/users/:id': { displayName: '改名', disabled: true, version: 0 },
      'POST /api/campaigns': { sourceId: ids.campaign, code: '2099', name: '复制', year: 2099 },
      'PUT /api/campaigns/:id': { selfAssessmentDeadline: '2016-06-30', version: 0 },
      'POST /api/campaigns/:id/status': { status: 'closed', version: 0 },
      'POST /api/registrations': { orgUnitId: ids.org, record: { idNumber: fakeIdNumber('320411', '19800102'), name: '走查' } },
      'PUT /api/registrations/:id': { record: { name: '改名' }, version: 0 },
      'POST /api/registrations/:id/count': { reason: '走查测试' },
      'PUT /api/field/assignments/:id': { orgUnitIds: [] },
      'POST /api/field/uploads': { items: [{ clientId: '6f1c7a52-3b0e-4c1d-9a51-2f4e8b7c9d10', orgUnitId: ids.org, record: { idNumber: fakeIdNumber('320411', '19800103'), name: '走查' } }] },
    };
    return r.method === 'GET' ? undefined : (bodies[key] ?? {});
  }

  /** Everything an API call could change, except session bookkeeping. */
  async function snapshot() {
    const db = env.ctx.db;
    return {
      users: await db.selectFrom('app_user').select(['id', 'username', 'display_name', 'role', 'org_unit_id', 'disabled', 'password_hash', 'version']).orderBy('id').execute(),
      orgs: await db.selectFrom('org_unit').selectAll().orderBy('id').execute(),
      campaigns: await db.selectFrom('campaign').selectAll().orderBy('id').execute(),
      quotas: await db.selectFrom('award_quota').selectAll().orderBy('org_unit_id').execute(),
      registrations: await db.selectFrom('registration').selectAll().orderBy('id').execute(),
      criteria: await db.selectFrom('scorecard_criterion').selectAll().orderBy('id').execute(),
      throttle: await db.selectFrom('login_throttle').selectAll().execute(),
      passwordHistory: await db.selectFrom('password_history').selectAll().execute(),
    };
  }

  it('every /api route declares an access rule (deny by default)', () => {
    const api = env.routes.filter((r) => r.url.startsWith('/api/') && !isDocs(r.url));
    expect(api.length).toBeGreaterThan(20);
    expect(api.filter((r) => !r.access).map((r) => `${r.method} ${r.url}`)).toEqual([]);
    const open = api.filter((r) => r.access && 'public' in r.access).map((r) => `${r.method} ${r.url}`);
    expect(open.sort()).toEqual(['GET /api/health', 'GET /api/verify/:docNumber', 'POST /api/auth/login']);
  });

  it('every non-public route answers 401 without a session cookie, and with a forged one', async () => {
    const before = await snapshot();
    const guarded = env.routes.filter((r) => r.access && !('public' in r.access));
    for (const r of guarded) {
      for (const headers of [{}, { cookie: 'canbao_sid=forged-token' }]) {
        const res = await env.app.inject({ method: r.method as 'GET', url: urlOf(r), headers, ...(r.method === 'GET' ? {} : { payload: bodyOf(r) as object }) });
        expect([res.statusCode, errorOf(res).code], `${r.method} ${r.url}`).toEqual([401, 'UNAUTHENTICATED']);
      }
    }
    expect(await snapshot()).toEqual(before);
  });

  it('a percent-encoded path is routed to the same rule: /%61pi/… and /api/%xx… are refused alike', async () => {
    const encode = (url: string) => [url.replace('/api/', '/%61pi/'), url.replace(/^\/api\/(.)/, (_m, c: string) => `/api/%${c.charCodeAt(0).toString(16)}`)];
    const guarded = env.routes.filter((r) => r.access && !('public' in r.access));
    for (const r of guarded) {
      for (const url of encode(urlOf(r))) {
        const res = await env.app.inject({ method: r.method as 'GET', url, ...(r.method === 'GET' ? {} : { payload: bodyOf(r) as object }) });
        expect([res.statusCode, errorOf(res).code], `${r.method} ${url}`).toEqual([401, 'UNAUTHENTICATED']);
        expect(res.headers['cache-control'], url).toBe('no-store');
      }
    }
    const clerk = await clients.clerk.request('GET', '/%61pi/audit');
    expect([clerk.statusCode, errorOf(clerk).code]).toEqual([403, 'FORBIDDEN']);
    expect((await clients.city_admin.request('GET', '/%61pi/audit/verify')).statusCode).toBe(200);
  });

  it('every role-limited route answers 403 FORBIDDEN to each role it does not list, and nothing changes', async () => {
    const before = await snapshot();
    const limited = env.routes.filter((r) => r.access && 'roles' in r.access && r.access.roles !== 'any');
    expect(limited.length).toBeGreaterThanOrEqual(12);
    let checked = 0;
    for (const r of limited) {
      const allowed = (r.access as { roles: readonly Role[] }).roles;
      for (const role of ROLES.filter((x) => !allowed.includes(x))) {
        const res = await clients[role].request(r.method, urlOf(r), bodyOf(r));
        expect([res.statusCode, errorOf(res).code], `${role} ${r.method} ${r.url}`).toEqual([403, 'FORBIDDEN']);
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(40);
    expect(await snapshot()).toEqual(before);
  });

  it('every GET route answers 200 to each role it lists (the walk uses real ids)', async () => {
    for (const r of env.routes.filter((x) => x.method === 'GET' && x.access && 'roles' in x.access)) {
      const rule = r.access as { roles: readonly Role[] | 'any' };
      const roles = rule.roles === 'any' ? ROLES : rule.roles;
      for (const role of roles) {
        if (r.url === '/api/auth/sessions/:id') continue;
        // A job is its starter's only; import-http.test.ts reads one to the end.
        if (r.url === '/api/registrations/import-jobs/:jobId') continue;
        // So is an export's progress; export-progress.test.ts reads one to the end (and another's 404).
        if (r.url === '/api/registrations/export-progress/:token') continue;
        // Evidence needs a stored file, a verify a drawn spot check; assessment.test.ts reads both
        // (and gets another district's 404).
        if (r.url === '/api/evidence/:id' || r.url.endsWith('/verify') || r.url === '/api/spot-check-records/:id/photo') continue;
        // A nomination is its unit's; nominations.test.ts reads one (and another district's 404).
        if (r.url === '/api/nominations/:id' || r.url === '/api/nomination-attachments/:id') continue;
        // Fee sheets and payments exist once a district's fee is computed and paid; money.test.ts
        // reads them (and gets another district's 404).
        if (r.url.startsWith('/api/fee-sheets/') || r.url === '/api/payments/:id/attachment') continue;
        // The commendation list opens to units once published, linkable users need ?orgUnitId of a
        // unit the caller fills for: awards tests read both.
        if (r.url.includes('/commendation-list') || r.url.endsWith('/linkable-users')) continue;
        // A detail table is its requester's; detail-tables.test.ts reads one (and gets another's 404).
        if (r.url.startsWith('/api/statistics/detail-tables/:id')) continue;
        // A report file exists once a district uploads one; report.test.ts reads it (and another's 404).
        if (r.url === '/api/analysis-reports/:id/file') continue;
        // A record's photo exists once its surveyor sends one; field/photo.test.ts reads it (and another district's 404).
        if (r.url === '/api/registrations/:id/photo') continue;
        const res = await clients[role].request('GET', urlOf(r));
        expect(res.statusCode, `${role} GET ${r.url}: ${res.body.slice(0, 200)}`).toBe(200);
      }
    }
  });

  it('no route can change the audit log: /api/audit has only GET routes and writes find nothing', async () => {
    const audit = env.routes.filter((r) => r.url.startsWith('/api/audit'));
    expect(audit.length).toBeGreaterThan(0);
    expect(audit.every((r) => r.method === 'GET')).toBe(true);
    const admin = clients.city_admin;
    for (const method of ['POST', 'PUT', 'PATCH', 'DELETE']) {
      for (const url of ['/api/audit', '/api/audit/1', '/api/audit/verify']) {
        const res = await admin.request(method, url, {});
        expect(res.statusCode, `${method} ${url}`).toBe(404);
      }
    }
  });

  describe('a district admin of 新北区 and objects of 天宁区', () => {
    it('a 天宁区 user by id answers exactly like a missing id: GET, PATCH, reset-password, unlock → 404', async () => {
      const before = await snapshot();
      const calls: Array<[string, string, unknown]> = [
        ['GET', '', undefined],
        ['PATCH', '', { displayName: '越权修改', version: 0 }],
        ['POST', '/reset-password', undefined],
        ['POST', '/unlock', undefined],
      ];
      for (const [method, suffix, body] of calls) {
        const foreign = await xinbeiAdmin.request(method, `/api/users/${tianningUser}${suffix}`, body);
        const missing = await xinbeiAdmin.request(method, `/api/users/999999${suffix}`, body);
        expect(foreign.statusCode, `${method} ${suffix}`).toBe(404);
        expect(errorOf(foreign).code).toBe('NOT_FOUND');
        expect(foreign.body).toBe(missing.body);
      }
      expect(await snapshot()).toEqual(before);
    });

    it('a 天宁区 unit by id answers 404 like a missing one', async () => {
      const foreign = await xinbeiAdmin.request('GET', `/api/orgs/${await orgId(env.ctx, TIANNING)}`);
      const missing = await xinbeiAdmin.request('GET', '/api/orgs/999999');
      expect(foreign.statusCode).toBe(404);
      expect(foreign.body).toBe(missing.body);
      const listByForeignUnit = await xinbeiAdmin.request('GET', `/api/users?orgUnitId=${await orgId(env.ctx, TIANNING)}`);
      expect(listByForeignUnit.statusCode).toBe(404);
    });

    it('GET /api/orgs lists only the 新北区 subtree', async () => {
      const items = (await xinbeiAdmin.request('GET', '/api/orgs')).json().items as Array<{ code: string }>;
      expect(items.length).toBeGreaterThan(10);
      expect(items.filter((u) => !u.code.startsWith(XINBEI))).toEqual([]);
      expect(items.map((u) => u.code)).toContain(XINBEI);
      // …while the city sees all three districts and 市社保
      const all = (await clients.city_assessor.request('GET', '/api/orgs')).json().items as Array<{ code: string }>;
      expect(all.map((u) => u.code)).toEqual(expect.arrayContaining(['320400', '320400-SSB', '320411', '320402', '320404']));
    });

    it('GET /api/users lists only 新北区 users', async () => {
      const items = (await xinbeiAdmin.request('GET', '/api/users')).json().items as Array<{ id: number; username: string }>;
      const xinbeiIds = await env.ctx.db
        .selectFrom('app_user')
        .innerJoin('org_unit', 'org_unit.id', 'app_user.org_unit_id')
        .select('app_user.id')
        .where('org_unit.code', 'like', `${XINBEI}%`)
        .execute();
      expect(items.map((u) => u.id).sort((a, b) => a - b)).toEqual(xinbeiIds.map((r) => Number(r.id)).sort((a, b) => a - b));
      expect(items.map((u) => u.id)).toContain(xinbeiUser);
      expect(items.map((u) => u.id)).not.toContain(tianningUser);
      expect(items.map((u) => u.username)).not.toContain('walk_city_admin');
    });

    it('creating a user in a 天宁区 unit answers 404 like a missing unit, and creates nothing', async () => {
      const before = await snapshot();
      const body = (orgUnitId: number) => ({ username: 'sneaky_clerk', displayName: '越权', role: 'clerk', orgUnitId });
      const foreign = await xinbeiAdmin.request('POST', '/api/users', body(await orgId(env.ctx, TIANNING_STREET)));
      const missing = await xinbeiAdmin.request('POST', '/api/users', body(999999));
      expect(foreign.statusCode).toBe(404);
      expect(foreign.body).toBe(missing.body);
      expect(await snapshot()).toEqual(before);
    });

    it('cannot grant a city role (403) nor edit a city user (404), and nothing changes', async () => {
      const before = await snapshot();
      const street = await orgId(env.ctx, XINBEI_STREET);
      for (const role of ['city_admin', 'city_assessor']) {
        const res = await xinbeiAdmin.request('POST', '/api/users', { username: `grant_${role}`, displayName: '提权', role, orgUnitId: street });
        expect([res.statusCode, errorOf(res).code], role).toEqual([403, 'FORBIDDEN']);
      }
      const promote = await xinbeiAdmin.request('PATCH', `/api/users/${xinbeiUser}`, { role: 'city_admin', version: 0 });
      expect([promote.statusCode, errorOf(promote).code]).toEqual([403, 'FORBIDDEN']);
      const move = await xinbeiAdmin.request('PATCH', `/api/users/${xinbeiUser}`, { orgUnitId: await orgId(env.ctx, TIANNING_STREET), version: 0 });
      expect(move.statusCode).toBe(404);
      for (const [method, suffix, body] of [
        ['PATCH', '', { displayName: '改市级', version: 0 }],
        ['POST', '/reset-password', undefined],
        ['POST', '/unlock', undefined],
      ] as const) {
        const res = await xinbeiAdmin.request(method, `/api/users/${cityUser}${suffix}`, body);
        expect(res.statusCode, `${method} ${suffix}`).toBe(404);
      }
      expect(await snapshot()).toEqual(before);
    });

    it('the same district admin does manage users of their own district', async () => {
      const res = await xinbeiAdmin.request('PATCH', `/api/users/${xinbeiUser}`, { displayName: '新北录入员', version: 0 });
      expect(res.statusCode).toBe(200);
      expect(res.json()).toMatchObject({ displayName: '新北录入员', version: 1 });
    });
  });
});
