// The statistics tables (migration 009) always equal a brute-force recount of the live records:
// property-based, over random sequences of form entries (valid and invalid, with several reasons),
// imports (new people, the same person in two districts, the same person twice in one file,
// re-imports that update), edits, deletions and duplicate resolution — on both engines.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestEnv, makeUser, orgId, testEngine, type TestEnv } from '../testing/harness.js';
import { fakeIdNumber, makeRegistration } from '../testing/registration-factory.js';
import { writeCsv } from '../testing/import-files.js';
import type { AuthInfo } from '../auth/access.js';
import { scopeFor } from '../auth/access.js';
import { getOrgUnitByCode } from '../orgs/store.js';
import { importFile } from './import/service.js';
import { resolveCounted } from './duplicates.js';
import { STAT_DIMS, shanghaiDayOf } from './stat-cube.js';

const COMMUNITIES = ['320411002001', '320402001001', '320404001001', '320404001002'];
const SEXES = [null, '1', '2'];
const HUKOU = [null, '10', '20'];
const STATUS = [null, '0', '1', '4'];
const STATUS_TEXT: Record<string, string> = { '0': '未参保', '1': '正常参保', '4': '终止参保' };
const REASONS = [null, '02', '07'];
const NAMES = ['甲', '乙', '丙', '丁', '戊', '己', '庚', '辛', '壬', '癸'];

type Op =
  | { kind: 'make'; unit: number; person: number; valid: boolean; twoErrors: boolean; sex: number; hukou: number; status: number; reason: number; year: number }
  | { kind: 'import'; unit: number; people: number[]; status: number }
  | { kind: 'edit'; pick: number; sex: number; status: number; valid: boolean }
  | { kind: 'delete'; pick: number }
  | { kind: 'switch'; pick: number };

const opArb: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ kind: fc.constant('make' as const), unit: fc.nat(3), person: fc.nat(25), valid: fc.boolean(), twoErrors: fc.boolean(), sex: fc.nat(2), hukou: fc.nat(2), status: fc.nat(3), reason: fc.nat(2), year: fc.integer({ min: 1940, max: 2010 }) }),
  fc.record({ kind: fc.constant('import' as const), unit: fc.nat(3), people: fc.array(fc.nat(25), { minLength: 1, maxLength: 6 }), status: fc.integer({ min: 2, max: 3 }) }),
  fc.record({ kind: fc.constant('edit' as const), pick: fc.nat(), sex: fc.nat(2), status: fc.nat(3), valid: fc.boolean() }),
  fc.record({ kind: fc.constant('delete' as const), pick: fc.nat() }),
  fc.record({ kind: fc.constant('switch' as const), pick: fc.nat() }),
);

describe(`statistics tables equal a recount (${testEngine()})`, () => {
  let env: TestEnv;
  let clerk: AuthInfo;
  let fileNo = 0;

  beforeAll(async () => {
    env = await createTestEnv();
    const u = await makeUser(env.ctx, { username: 'stat_city', role: 'city_admin', orgCode: '320400' });
    const user = await env.ctx.db.selectFrom('app_user').selectAll().where('id', '=', u.id).executeTakeFirstOrThrow();
    const unit = (await getOrgUnitByCode(env.ctx.db, '320400'))!;
    clerk = { user, orgUnit: unit, session: {} as never, role: 'city_admin', scope: scopeFor('city_admin', unit.path), actor: { userId: u.id, username: u.username, orgUnitId: Number(unit.id), ip: null } } as AuthInfo;
  });
  afterAll(async () => env?.close());

  const idOf = (person: number) => fakeIdNumber('320411', '19660101', 600 + person);

  async function apply(op: Op): Promise<void> {
    const db = env.ctx.db;
    const live = async () => db.selectFrom('registration').select(['id', 'id_number']).where('deleted_at', 'is', null).orderBy('id').execute();
    if (op.kind === 'make') {
      const errors = op.twoErrors ? [{ field: 'phone', code: 'BAD_PHONE', message: 'x' }, { field: 'birthDate', code: 'BAD_DATE', message: 'y' }, { field: 'phone', code: 'BAD_PHONE', message: 'z' }] : undefined;
      await makeRegistration(env.ctx, {
        orgCode: COMMUNITIES[op.unit]!,
        idNumber: idOf(op.person),
        valid: op.valid,
        errors,
        enteredAt: `2016-05-${String(1 + (op.person % 28)).padStart(2, '0')}T17:30:00.000Z`,
        columns: { sex: SEXES[op.sex]!, hukou_type: HUKOU[op.hukou]!, ins_110_status: STATUS[op.status]!, uninsured_reason: REASONS[op.reason]!, birth_date: `${op.year}-03-04`, surveyor_name: [null, '王调查', '李调查'][op.hukou]! },
      });
    } else if (op.kind === 'import') {
      const header = ['姓名', '身份证号', '户口性质', '常住地址', '联系电话', '个人身份', '调查日期', '企业职工基本养老保险参保状态', '企业职工基本养老保险参保地'];
      const rows = op.people.map((p) => [`导入${NAMES[p % NAMES.length]}`, idOf(p), p % 2 ? '本地农业' : '本地非农业', '河海东路1号', '13912345678', '工人', '2016-05-03', STATUS_TEXT[STATUS[op.status]!]!, '常州市']);
      const file = writeCsv([header, ...rows], { name: `stat-${++fileNo}.csv` });
      const report = await importFile(env.ctx, clerk, { path: file, fileName: 'stat.csv', orgUnitId: await orgId(env.ctx, COMMUNITIES[op.unit]!), mode: 'valid' });
      expect(report.committed).toBe(true);
      // SQLite: the import sets the insert trigger aside for its bulk statement and must put it back.
      if (env.ctx.sqlite) expect(env.ctx.sqlite.prepare("select count(*) as n from sqlite_master where type = 'trigger' and name like 'stat_registration_%'").get()).toEqual({ n: 4 });
    } else if (op.kind === 'edit') {
      const all = await live();
      if (!all.length) return;
      const r = all[op.pick % all.length]!;
      await db
        .updateTable('registration')
        .set({ sex: SEXES[op.sex]!, ins_110_status: STATUS[op.status]!, is_valid: op.valid ? 1 : 0, errors_json: op.valid ? null : JSON.stringify([{ field: 'sex', code: 'BAD_SEX', message: 'x' }]), ...(op.valid ? {} : { is_counted: 0 }) })
        .where('id', '=', r.id)
        .execute();
      await resolveCounted(db, [r.id_number]);
    } else if (op.kind === 'delete') {
      const all = await live();
      if (!all.length) return;
      const r = all[op.pick % all.length]!;
      await db.updateTable('registration').set({ deleted_at: new Date().toISOString(), is_counted: 0 }).where('id', '=', r.id).execute();
      await resolveCounted(db, [r.id_number]);
    } else {
      // the city chooses which of a person's records counts
      const all = await live();
      if (!all.length) return;
      const r = all[op.pick % all.length]!;
      await db.updateTable('registration').set({ counted_by_city: 0 }).where('id_number', '=', r.id_number).execute();
      await db.updateTable('registration').set({ counted_by_city: 1, is_counted: 0 }).where('id', '=', r.id).execute();
      await resolveCounted(db, [r.id_number]);
    }
  }

  async function recount() {
    const rows = await env.ctx.db.selectFrom('registration').selectAll().where('deleted_at', 'is', null).execute();
    const daily = new Map<string, number>();
    const dims = new Map<string, number>();
    const bump = (m: Map<string, number>, k: string) => m.set(k, (m.get(k) ?? 0) + 1);
    for (const r of rows) {
      bump(daily, `${r.org_unit_id}|${shanghaiDayOf(r.entered_at)}|${r.entered_by}|${r.is_valid}|${r.is_counted}`);
      for (const [dim, column] of STAT_DIMS) {
        const v = (r as unknown as Record<string, string | null>)[column] ?? '';
        bump(dims, `${r.org_unit_id}|${r.is_valid}|${r.is_counted}|${dim}|${dim === 'birth_year' ? v.slice(0, 4) : v}`);
      }
      for (const field of new Set(((r.errors_json ? JSON.parse(r.errors_json) : []) as Array<{ field: string }>).map((e) => e.field))) bump(dims, `${r.org_unit_id}|${r.is_valid}|${r.is_counted}|error|${field}`);
    }
    return { daily, dims };
  }

  async function maintained() {
    const d = await env.ctx.db.selectFrom('stat_daily').selectAll().where('n', '!=', 0).execute();
    const m = await env.ctx.db.selectFrom('stat_dim').selectAll().where('n', '!=', 0).execute();
    return {
      daily: new Map(d.map((r) => [`${r.org_unit_id}|${r.day}|${r.entered_by}|${r.is_valid}|${r.is_counted}`, Number(r.n)])),
      dims: new Map(m.map((r) => [`${r.org_unit_id}|${r.is_valid}|${r.is_counted}|${r.dim}|${r.value}`, Number(r.n)])),
    };
  }

  it('after any sequence of entries, imports, edits, deletions and duplicate resolution', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(opArb, { minLength: 1, maxLength: 8 }), async (ops) => {
        for (const op of ops) await apply(op);
        const [want, have] = [await recount(), await maintained()];
        expect(have.daily).toEqual(want.daily);
        expect(have.dims).toEqual(want.dims);
      }),
      { numRuns: 12 },
    );
    // the runs did reach the interesting cases
    const rows = await env.ctx.db.selectFrom('registration').select(['is_valid', 'is_counted', 'entry_source']).execute();
    expect(rows.some((r) => r.entry_source === 'import'), 'imports').toBe(true);
    expect(rows.some((r) => Number(r.is_valid) === 1 && Number(r.is_counted) === 0), 'duplicates').toBe(true);
    expect(rows.some((r) => Number(r.is_valid) === 0)).toBe(true);
  });
});
