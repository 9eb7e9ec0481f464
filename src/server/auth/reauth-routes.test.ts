// Re-entering the password before high-value actions (SPEC "Security defaults": approving fees,
// recording payments, managing users, reopening a final score; issue 13 item 12: every route that
// changes a final state, money, users or campaigns). The route table is walked, so a new route of
// those kinds must be added to the list below on purpose.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestEnv, loginAs, makeUser, testEngine, type Client, type TestEnv } from '../testing/harness.js';
import { ROLES, type Role } from '../../shared/roles.js';

const REAUTH_ROUTES = [
  // users
  'POST /api/users',
  'PATCH /api/users/:id',
  'POST /api/users/:id/reset-password',
  'POST /api/users/:id/unlock',
  // campaigns (create/copy, deadlines and rules, activation/closing)
  'POST /api/campaigns',
  'PUT /api/campaigns/:id',
  'POST /api/campaigns/:id/status',
  // final states: reopening a final score, reopening a closed submission window, publishing the commendation list
  'POST /api/campaigns/:campaignId/assessments/:orgUnitId/reopen',
  'POST /api/campaigns/:campaignId/assessments/:orgUnitId/window',
  'POST /api/campaigns/:campaignId/nominations/publish',
  // money: frozen counts the fee is computed from, fee sheets, site funds, special fund, payments, allocation
  'POST /api/campaigns/:campaignId/count-snapshots/:orgUnitId',
  'POST /api/campaigns/:campaignId/money/:orgUnitId/compute',
  'POST /api/fee-sheets/:id/check',
  'POST /api/fee-sheets/:id/approve',
  'POST /api/fee-sheets/:id/reopen',
  'POST /api/campaigns/:campaignId/money/:orgUnitId/site-funds',
  'POST /api/site-funds/:id/revoke',
  'PUT /api/campaigns/:campaignId/special-fund',
  'POST /api/campaigns/:campaignId/money/:orgUnitId/payments',
  'POST /api/payments/:id/void',
  'PUT /api/campaigns/:campaignId/money/:orgUnitId/allocation',
  // the second factor of one's own account
  'POST /api/auth/totp/setup',
  'POST /api/auth/totp/disable',
].sort();

describe(`re-authentication on high-value routes (${testEngine()})`, () => {
  let env: TestEnv;
  const clients = {} as Record<Role, Client>;
  beforeAll(async () => {
    env = await createTestEnv();
    for (const role of ROLES) {
      const orgCode = role === 'city_admin' || role === 'city_assessor' ? '320400' : '320411';
      const u = await makeUser(env.ctx, { username: `ra_${role}`, role, orgCode });
      clients[role] = await loginAs(env.app, u.username, u.password); // logged in, password not re-entered
    }
  });
  afterAll(async () => env?.close());

  it('the routes that require a fresh re-auth are exactly the expected list', () => {
    const withReauth = env.routes
      .filter((r) => r.access && !('public' in r.access) && r.access.reauth)
      .map((r) => `${r.method} ${r.url}`)
      .sort();
    expect(withReauth).toEqual(REAUTH_ROUTES);
  });

  it('each of them refuses an allowed role without a fresh re-auth (403 REAUTH_REQUIRED), and lets it past after one', async () => {
    const routes = env.routes.filter((r) => REAUTH_ROUTES.includes(`${r.method} ${r.url}`));
    expect(routes).toHaveLength(REAUTH_ROUTES.length);
    const fill = (url: string) => url.replace(/:[A-Za-z]+/g, '999999');
    for (const r of routes) {
      const rule = r.access!;
      if ('public' in rule) throw new Error('unexpected public route');
      const role: Role = rule.roles === 'any' ? 'clerk' : rule.roles[0]!;
      const res = await clients[role].request(r.method, fill(r.url), {});
      expect([`${r.method} ${r.url}`, res.statusCode, res.json().error?.code]).toEqual([`${r.method} ${r.url}`, 403, 'REAUTH_REQUIRED']);
    }
    for (const role of ROLES) await clients[role].reauth();
    for (const r of routes) {
      const rule = r.access!;
      if ('public' in rule) continue;
      const role: Role = rule.roles === 'any' ? 'clerk' : rule.roles[0]!;
      const res = await clients[role].request(r.method, fill(r.url), {});
      // past the access check: the request itself is refused for what it is (no such object, bad body)
      expect([`${r.method} ${r.url}`, res.json().error?.code]).not.toEqual([`${r.method} ${r.url}`, 'REAUTH_REQUIRED']);
    }
  });
});
