// The valid count as of now reads no full scan of the records on SQLite (its query plans): the
// totals come from stat_dim, the reasons through the partial index registration_invalid_idx.
// SQLite only (the file's name keeps it out of the PostgreSQL run): the plans are SQLite's.
import { CompiledQuery, Kysely, SqliteDialect } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestEnv, type TestEnv } from '../testing/harness.js';
import { fakeIdNumber, makeRegistration } from '../testing/registration-factory.js';
import { getOrgUnitByCode } from '../orgs/store.js';
import { validCount } from './counts.js';
import type { Database } from '../db/schema.js';

describe('valid count as of now: query plans (sqlite)', () => {
  let env: TestEnv;
  let district: string;
  beforeAll(async () => {
    env = await createTestEnv();
    district = (await getOrgUnitByCode(env.ctx.db, '320411'))!.path;
    for (let i = 0; i < 4; i++) await makeRegistration(env.ctx, { orgCode: '320411002001', idNumber: fakeIdNumber('320411', '19750101', i + 1) });
    await makeRegistration(env.ctx, { orgCode: '320411002001', idNumber: fakeIdNumber('320411', '19750101', 9), valid: false, errors: [{ field: 'phone', code: 'REQUIRED', message: '联系电话' }] });
  });
  afterAll(async () => env?.close());

  it('reads no full scan of the records: the totals from stat_dim, the reasons through registration_invalid_idx', async () => {
    const queries: CompiledQuery[] = [];
    // The same connection, with every query recorded (not destroyed: that would close the handle).
    const logged = new Kysely<Database>({ dialect: new SqliteDialect({ database: env.ctx.sqlite! }), log: (e) => void (e.level === 'query' && queries.push(e.query)) });
    const counted = await validCount(logged, district);
    expect(counted.validCount).toBe(4);
    expect(queries.length).toBeGreaterThan(0);
    const plans = queries.map((q) => (env.ctx.sqlite!.prepare(`explain query plan ${q.sql}`).all(...(q.parameters as unknown[])) as Array<{ detail: string }>).map((r) => r.detail));
    for (const plan of plans) expect(plan.filter((d) => /^SCAN (r|registration)\b/.test(d))).toEqual([]);
    expect(plans.flat().some((d) => d.includes('registration_invalid_idx'))).toBe(true);
  });
});
