// Test harness: a fresh migrated and seeded database per test file, on the engine chosen by
// CANBAO_TEST_DB (sqlite | postgres). PostgreSQL runs get their own schema so runs never collide.
import os from 'node:os';
import path from 'node:path';
import fs from 'node:fs';
import { randomBytes } from 'node:crypto';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { loadConfig, type Config } from '../config.js';
import { createPgSchema, dropPgSchema, migrateToLatest, openDatabase } from '../db/index.js';
import type { AppCtx } from '../context.js';
import { seed } from '../seed/seed.js';
import { buildApp, type RouteInfo } from '../app.js';
import { hashPassword } from '../auth/password-hash.js';
import { getOrgUnitByCode } from '../orgs/store.js';
import { nowIso } from '../clock.js';
import type { Role } from '../../shared/roles.js';
import { newUserValues } from '../users/store.js';
import { useAuditKey } from '../audit/key.js';

export const ADMIN_PASSWORD = 'Seed#2016pass';
export const TEST_PASSWORD = 'Test#pass2016';
export const PG_URL = process.env.CANBAO_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

export function testEngine(): 'sqlite' | 'postgres' {
  return process.env.CANBAO_TEST_DB === 'postgres' ? 'postgres' : 'sqlite';
}

export type TestEnv = {
  ctx: AppCtx;
  app: FastifyInstance;
  routes: RouteInfo[];
  config: Config;
  close(): Promise<void>;
};

/** Test files log many users in from one address (127.0.0.1) and fail on purpose: the per-source
 *  throttle is raised for them, unless a test asks for the shipped defaults (realThrottle). */
const TEST_THROTTLE = { CANBAO_AUTH_FAILS_PER_ACCOUNT: '1000', CANBAO_AUTH_FAILS_PER_SOURCE: '100000' };

export async function createTestEnv(opts: { seed?: boolean; realThrottle?: boolean } = {}): Promise<TestEnv> {
  const engine = testEngine();
  const tag = `t_${process.pid}_${randomBytes(4).toString('hex')}`;
  // A data dir of its own on both engines (stored files, the audit key and heads file).
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'canbao-test-'));
  let config: Config;
  const throttle = opts.realThrottle ? {} : TEST_THROTTLE;
  if (engine === 'postgres') {
    await createPgSchema(PG_URL, tag);
    config = loadConfig({ DATABASE_URL: PG_URL, CANBAO_PG_SCHEMA: tag, CANBAO_DATA_DIR: dir, ...throttle });
  } else {
    config = loadConfig({ CANBAO_DATA_DIR: dir, ...throttle });
  }
  useAuditKey(config);
  const handle = openDatabase({ databaseUrl: config.databaseUrl, sqlitePath: config.sqlitePath, pgSchema: config.pgSchema });
  const ctx: AppCtx = { db: handle.db, dialect: handle.dialect, config, sqlite: handle.sqlite };
  await migrateToLatest(ctx.db, config.pgSchema);
  if (opts.seed !== false) await seed(ctx, { adminPassword: ADMIN_PASSWORD });
  const { app, routes } = await buildApp({ ctx, webRoot: null });
  return {
    ctx,
    app,
    routes,
    config,
    async close() {
      await app.close();
      await handle.destroy();
      if (engine === 'postgres') await dropPgSchema(PG_URL, tag);
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Creates a ready-to-use user (password already changed) directly in the database. */
export async function makeUser(
  ctx: AppCtx,
  input: { username: string; role: Role; orgCode: string; displayName?: string; password?: string; phone?: string },
): Promise<{ id: number; username: string; password: string }> {
  const unit = await getOrgUnitByCode(ctx.db, input.orgCode);
  if (!unit) throw new Error(`no org unit ${input.orgCode}`);
  const password = input.password ?? TEST_PASSWORD;
  const at = nowIso();
  const row = await ctx.db
    .insertInto('app_user')
    .values(
      newUserValues({
        username: input.username,
        displayName: input.displayName ?? input.username,
        role: input.role,
        orgUnitId: Number(unit.id),
        phone: input.phone,
        passwordHash: await hashPassword(password),
        at,
        mustChangePassword: false,
      }),
    )
    .returning('id')
    .executeTakeFirstOrThrow();
  return { id: Number(row.id), username: input.username, password };
}

export interface Client {
  cookie: string;
  request(method: string, url: string, body?: unknown): Promise<LightMyRequestResponse>;
  reauth(): Promise<void>;
  /** From now on re-enters the password whenever a route asks for it and retries once, as the web
   *  app's re-auth dialog does (for tests about what comes after the re-auth, not about the re-auth). */
  alwaysReauth(): this;
}

/** A new user (makeUser) logged in (loginAs): the usual start of an access test. */
export async function newUserClient(env: TestEnv, username: string, role: Role, orgCode: string): Promise<Client> {
  const u = await makeUser(env.ctx, { username, role, orgCode });
  return loginAs(env.app, u.username, u.password);
}

/** Logs in through the API and returns a client that sends the session cookie. */
export async function loginAs(app: FastifyInstance, username: string, password: string): Promise<Client> {
  const res = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username, password } });
  if (res.statusCode !== 200) throw new Error(`login ${username} failed: ${res.statusCode} ${res.body}`);
  const set = res.cookies.find((c) => c.name === 'canbao_sid');
  if (!set) throw new Error('no session cookie');
  const cookie = `canbao_sid=${set.value}`;
  const send = (method: string, url: string, body?: unknown) =>
    app.inject({ method: method as 'GET', url, headers: { cookie }, ...(body === undefined ? {} : { payload: body as object }) });
  let auto = false;
  const asksReauth = (res: LightMyRequestResponse) => {
    if (res.statusCode !== 403) return false;
    try {
      return (res.json() as { error?: { code?: string } }).error?.code === 'REAUTH_REQUIRED';
    } catch {
      return false;
    }
  };
  const client: Client = {
    cookie,
    async request(method, url, body) {
      const res = await send(method, url, body);
      if (!auto || !asksReauth(res)) return res;
      await client.reauth();
      return send(method, url, body);
    },
    async reauth() {
      const r = await send('POST', '/api/auth/reauth', { password });
      if (r.statusCode !== 200) throw new Error(`reauth failed: ${r.body}`);
    },
    alwaysReauth() {
      auto = true;
      return this;
    },
  };
  return client;
}

/** Logs in as the seeded admin and completes the forced first password change. */
export async function adminClient(app: FastifyInstance): Promise<Client & { password: string }> {
  const first = await loginAs(app, 'admin', ADMIN_PASSWORD);
  const newPassword = 'Chg#2016pass';
  const r = await first.request('POST', '/api/auth/password', { oldPassword: ADMIN_PASSWORD, newPassword });
  if (r.statusCode !== 200) throw new Error(`admin password change failed: ${r.body}`);
  const c = await loginAs(app, 'admin', newPassword);
  return Object.assign(c, { password: newPassword });
}

export async function orgId(ctx: AppCtx, code: string): Promise<number> {
  const u = await getOrgUnitByCode(ctx.db, code);
  if (!u) throw new Error(`no org ${code}`);
  return Number(u.id);
}

export async function auditCount(ctx: AppCtx): Promise<number> {
  const r = await ctx.db.selectFrom('audit_log').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  return Number(r.n);
}
