// Soak set-up of one engine's instance: a migrated, seeded database (own data dir, or own
// PostgreSQL schema) with the users the load needs (created like `canbao user create` does, with a
// one-time password changed at the first login over HTTP), the 2016 campaign open for nominations,
// final assessments, and — once the server runs — a district's fee sheet approved so payments can
// be recorded.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../src/server/config.js';
import { createPgSchema, dropPgSchema } from '../src/server/db/index.js';
import { prepare } from '../src/server/bootstrap.js';
import { createUser } from '../src/server/users/service.js';
import { SYSTEM_ACTOR } from '../src/server/audit/store.js';
import { getOrgUnitByCode } from '../src/server/orgs/store.js';
import { makeFinalAssessment } from '../src/server/testing/fees-fixtures.js';
import type { AuthInfo } from '../src/server/auth/access.js';
import type { Role } from '../src/shared/roles.js';
import { Client, INITIAL_ADMIN_PASSWORD, PG_URL, SOAK_PASSWORD, serverEnv, type Engine, type Instance } from './soak-lib.js';

export const DISTRICTS = { xb: '320411', tn: '320402', zl: '320404' } as const;

export type Units = { xbCommunities: string[]; campaignId: number; xb: number; tn: number; zl: number; xbStreet: number; xbCommunity: number; tnStreet: number };
export type Users = { admin: Client; assessor: Client; xbAdmin: Client; tnAdmin: Client; zlAdmin: Client; clerk: Client };

const SOAK_USERS: Array<{ key: Exclude<keyof Users, 'admin'>; username: string; role: Role; org: string }> = [
  { key: 'assessor', username: 'soak_assessor', role: 'city_assessor', org: '320400-SSB' },
  { key: 'xbAdmin', username: 'soak_xb', role: 'district_admin', org: DISTRICTS.xb },
  { key: 'tnAdmin', username: 'soak_tn', role: 'district_admin', org: DISTRICTS.tn },
  { key: 'zlAdmin', username: 'soak_zl', role: 'district_admin', org: DISTRICTS.zl },
  { key: 'clerk', username: 'soak_clerk', role: 'clerk', org: DISTRICTS.xb },
];

const systemAuth = { role: 'city_admin', scope: { rootPath: '/', isCity: true }, actor: { ...SYSTEM_ACTOR, username: 'soak' }, user: { id: 0 } } as unknown as AuthInfo;

/** A fresh instance: data dir (SQLite file, uploads, server log) and, on PostgreSQL, a new schema. */
export async function newInstance(engine: Engine, port: number): Promise<Instance> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), `canbao-soak-${engine}-`));
  const pgSchema = engine === 'postgres' ? `soak_${process.pid}_${Date.now().toString(36)}` : null;
  if (pgSchema) await createPgSchema(PG_URL, pgSchema);
  return { engine, dataDir, pgSchema, port };
}

export async function removeInstance(inst: Instance, keep: boolean): Promise<void> {
  if (keep) return;
  if (inst.pgSchema) await dropPgSchema(PG_URL, inst.pgSchema);
  fs.rmSync(inst.dataDir, { recursive: true, force: true });
}

/** Migrates and seeds; creates the users (one-time passwords); opens the campaign's nominations. */
export async function prepareInstance(inst: Instance): Promise<{ units: Units; initialPasswords: Map<string, string> }> {
  const { ctx, handle } = await prepare(loadConfig(serverEnv(inst)));
  try {
    const unit = async (code: string) => Number((await getOrgUnitByCode(ctx.db, code))!.id);
    const c = await ctx.db.selectFrom('campaign').select('id').where('code', '=', '2016').executeTakeFirstOrThrow();
    const campaignId = Number(c.id);
    // Nominations are submitted "by the deadline": move the 2016 deadline past the soak.
    await ctx.db.updateTable('campaign').set({ nomination_deadline: '2099-12-31' }).where('id', '=', campaignId).execute();
    const initialPasswords = new Map<string, string>();
    for (const u of SOAK_USERS) {
      const r = await createUser(ctx, systemAuth, { username: u.username, displayName: `压测${u.key}`, role: u.role, orgUnitId: await unit(u.org) });
      initialPasswords.set(u.username, r.initialPassword);
    }
    const communities = await ctx.db.selectFrom('org_unit').select('code').where('level', '=', 'community').where('code', 'like', `${DISTRICTS.xb}%`).orderBy('code').limit(30).execute();
    const units: Units = {
      xbCommunities: communities.map((u) => u.code),
      campaignId,
      xb: await unit(DISTRICTS.xb),
      tn: await unit(DISTRICTS.tn),
      zl: await unit(DISTRICTS.zl),
      xbStreet: await unit('320411002'),
      xbCommunity: await unit('320411002001'),
      tnStreet: await unit('320402001'),
    };
    for (const d of [units.xb, units.tn, units.zl]) await makeFinalAssessment(ctx, campaignId, d, 920);
    return { units, initialPasswords };
  } finally {
    await handle.destroy();
  }
}

/** Logs every user in once (first login: forced password change). */
export async function loginUsers(base: string, initialPasswords: Map<string, string>): Promise<Users> {
  const admin = new Client(base, 'admin', INITIAL_ADMIN_PASSWORD);
  await admin.firstLogin(SOAK_PASSWORD);
  const out: Partial<Users> = { admin };
  for (const u of SOAK_USERS) {
    const c = new Client(base, u.username, initialPasswords.get(u.username)!);
    await c.firstLogin(SOAK_PASSWORD);
    out[u.key] = c;
  }
  return out as Users;
}

/**
 * 天宁区's fee sheet approved over HTTP: valid count frozen, a demonstration-site fund (so the
 * amount is not 0 on an empty district), computed by the assessor, checked and approved (re-auth)
 * by the city admin. Returns the approved amount in fen.
 */
export async function approveFeeSheet(users: Users, units: Units): Promise<number> {
  const { admin, assessor } = users;
  const money = `/api/campaigns/${units.campaignId}/money/${units.tn}`;
  await admin.must('POST', `/api/campaigns/${units.campaignId}/count-snapshots/${units.tn}`, {});
  await admin.must('POST', `${money}/site-funds`, { orgUnitId: units.tnStreet, amountFen: 5_000_000, reason: '压力测试示范点' });
  const computed = await assessor.must<{ id: number; version: number }>('POST', `${money}/compute`);
  const checked = await admin.must<{ version: number }>('POST', `/api/fee-sheets/${computed.id}/check`, { version: computed.version });
  await admin.reauth();
  const approved = await admin.must<{ totalFen: number; status: string }>('POST', `/api/fee-sheets/${computed.id}/approve`, { version: checked.version, acknowledgeOverFund: true });
  if (approved.status !== 'approved') throw new Error(`fee sheet not approved: ${JSON.stringify(approved)}`);
  return approved.totalFen;
}
