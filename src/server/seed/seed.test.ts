import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestEnv, type TestEnv } from '../testing/harness.js';
import { seed } from './seed.js';
import divisions from './data/divisions-320400.json' with { type: 'json' };

describe(`seed (${process.env.CANBAO_TEST_DB ?? 'sqlite'})`, () => {
  let env: TestEnv;
  beforeAll(async () => {
    env = await createTestEnv();
  });
  afterAll(async () => env?.close());

  it('loads the city, 市社保 and every division of the three districts', async () => {
    const units = await env.ctx.db.selectFrom('org_unit').selectAll().execute();
    expect(units).toHaveLength(divisions.length + 2);
    const byCode = new Map(units.map((u) => [u.code, u]));
    expect(byCode.get('320400')?.name).toBe('常州市市本级');
    expect(byCode.get('320400-SSB')?.name).toBe('市社保');
    expect(byCode.get('320411')?.name).toBe('新北区');
    expect(byCode.get('320402')?.name).toBe('天宁区');
    expect(byCode.get('320404')?.name).toBe('钟楼区');
    // every street's parent is its district, every community's parent its street
    for (const u of units.filter((x) => x.level === 'community')) {
      const parent = units.find((p) => Number(p.id) === Number(u.parent_id));
      expect(parent?.level).toBe('street');
      expect(u.code.startsWith(parent!.code)).toBe(true);
      expect(u.path.startsWith(parent!.path)).toBe(true);
    }
  });

  it('seeds the 2016 scorecard of 附件2: 5 categories, 14 items, 100 points', async () => {
    const cats = await env.ctx.db.selectFrom('scorecard_category').selectAll().orderBy('seq').execute();
    const crits = await env.ctx.db.selectFrom('scorecard_criterion').selectAll().execute();
    expect(cats.map((c) => [c.name, Number(c.max_score)])).toEqual([
      ['组织领导', 150],
      ['基础管理', 150],
      ['入户调查', 300],
      ['数据录入', 200],
      ['汇总分析', 200],
    ]);
    expect(crits).toHaveLength(14);
    expect(crits.reduce((s, c) => s + Number(c.max_score), 0)).toBe(1000);
    expect(crits.filter((c) => c.kind === 'accuracy').map((c) => c.text)[0]).toContain('发现一例扣0.5分');
  });

  it('is idempotent: a second run adds nothing', async () => {
    const again = await seed(env.ctx, {});
    expect(again).toEqual({ orgUnitsAdded: 0, campaignAdded: false, admin: null });
    const n = await env.ctx.db.selectFrom('org_unit').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    expect(Number(n.n)).toBe(divisions.length + 2);
  });
});
