// Idempotent seed: the real org tree, the 2016 campaign and a first administrator.
// Run at every start and by `canbao seed`; it only adds what is missing.
import divisions from './data/divisions-320400.json' with { type: 'json' };
import type { AppCtx } from '../context.js';
import type { OrgUnitRow } from '../db/schema.js';
import type { OrgLevel } from '../../shared/roles.js';
import { appendAudit, SYSTEM_ACTOR } from '../audit/store.js';
import { nowIso } from '../clock.js';
import { insertOrgUnit } from '../orgs/store.js';
import { insertCampaign } from '../campaigns/service.js';
import { hashPassword } from '../auth/password-hash.js';
import { checkPasswordStrength, generateInitialPassword } from '../../domain/password.js';
import { AGENCY_CODE, AGENCY_NAME, CITY_CODE, CITY_NAME } from './org-codes.js';
import { CAMPAIGN_2016 } from './campaign-2016.js';
import { newUserValues } from '../users/store.js';

type Division = { code: string; name: string; parent: string };

function levelOf(code: string): OrgLevel {
  if (code.length === 6) return 'district';
  if (code.length === 9) return 'street';
  return 'community';
}

export type SeedResult = {
  orgUnitsAdded: number;
  campaignAdded: boolean;
  admin: { username: string; password: string | null } | null;
};

export async function seed(ctx: AppCtx, opts: { adminPassword?: string | undefined } = {}): Promise<SeedResult> {
  if (opts.adminPassword) {
    const strength = checkPasswordStrength(opts.adminPassword, 'admin', ctx.config.passwordPolicy);
    if (!strength.ok) throw new Error(`CANBAO_ADMIN_PASSWORD 不符合密码策略：${strength.message}`);
  }
  return ctx.db.transaction().execute(async (trx) => {
    const at = nowIso();
    const existing = await trx.selectFrom('org_unit').selectAll().execute();
    const byCode = new Map<string, OrgUnitRow>(existing.map((u) => [u.code, u]));
    let added = 0;
    const ensure = async (code: string, name: string, level: OrgLevel, parentCode: string | null) => {
      if (byCode.has(code)) return;
      const parent = parentCode ? byCode.get(parentCode) : null;
      if (parentCode && !parent) throw new Error(`seed: parent ${parentCode} of ${code} missing`);
      byCode.set(code, await insertOrgUnit(trx, { code, name, level, parent: parent ?? null, createdAt: at }));
      added++;
    };
    await ensure(CITY_CODE, CITY_NAME, 'city', null);
    await ensure(AGENCY_CODE, AGENCY_NAME, 'agency', CITY_CODE);
    for (const d of [...(divisions as Division[])].sort((a, b) => a.code.localeCompare(b.code))) {
      await ensure(d.code, d.name, levelOf(d.code), d.parent);
    }

    let campaignAdded = false;
    const has2016 = await trx.selectFrom('campaign').select('id').where('code', '=', CAMPAIGN_2016.code).executeTakeFirst();
    if (!has2016) {
      await insertCampaign(trx, {
        ...CAMPAIGN_2016,
        feeTiers: [...CAMPAIGN_2016.feeTiers],
        quotas: CAMPAIGN_2016.quotas.map((q) => ({ orgUnitId: Number(byCode.get(q.orgCode)!.id), quota: q.quota })),
      });
      campaignAdded = true;
    }

    let admin: SeedResult['admin'] = null;
    const anyAdmin = await trx.selectFrom('app_user').select('id').where('role', '=', 'city_admin').executeTakeFirst();
    if (!anyAdmin) {
      const password = opts.adminPassword ?? generateInitialPassword();
      await trx
        .insertInto('app_user')
        .values(
          newUserValues({
            username: 'admin',
            displayName: '系统管理员',
            role: 'city_admin',
            orgUnitId: Number(byCode.get(CITY_CODE)!.id),
            passwordHash: await hashPassword(password),
            at,
          }),
        )
        .execute();
      admin = { username: 'admin', password: opts.adminPassword ? null : password };
    }
    if (added || campaignAdded || admin) {
      await appendAudit(trx, ctx.dialect, SYSTEM_ACTOR, {
        event: 'system.seed',
        objectType: 'system',
        after: { orgUnitsAdded: added, campaignAdded, adminCreated: !!admin },
      });
    }
    return { orgUnitsAdded: added, campaignAdded, admin };
  });
}
