// The valid count as of now (有效数据, shown beside every registration list) without reading the
// unit's records (issue 13: it cost ~0.4 s per call on a 200,000-record district and the list's
// readers queued behind it): totals from the statistics table, reasons from the invalid records.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestEnv, testEngine, type TestEnv } from '../testing/harness.js';
import { fakeIdNumber, makeRegistration } from '../testing/registration-factory.js';
import { getOrgUnitByCode } from '../orgs/store.js';
import { resolveCounted } from './duplicates.js';
import { validCount } from './counts.js';

describe(`valid count as of now (${testEngine()})`, () => {
  let env: TestEnv;
  const paths: Record<string, string> = {};
  beforeAll(async () => {
    env = await createTestEnv();
    for (const code of ['320411', '320402', '320411002', '320411002001']) paths[code] = (await getOrgUnitByCode(env.ctx.db, code))!.path;
    const errors = (code: string) => [{ field: 'phone', code, message: '联系电话' }];
    let seq = 0;
    const add = (orgCode: string, input: { valid?: boolean; errors?: Array<{ field: string; code: string; message: string }>; idNumber?: string } = {}) =>
      makeRegistration(env.ctx, { orgCode, idNumber: input.idNumber ?? fakeIdNumber('320411', '19750101', ++seq), ...input });
    for (let i = 0; i < 6; i++) await add('320411002001');
    for (let i = 0; i < 3; i++) await add('320411003001');
    await add('320411002001', { valid: false, errors: errors('REQUIRED') });
    await add('320411002002', { valid: false, errors: errors('BAD_PHONE') });
    await add('320402001001', { valid: false, errors: errors('REQUIRED') });
    // the same person in two districts: counted once, in the earlier entry (天宁区)
    const person = fakeIdNumber('320402', '19800101', 7);
    await add('320402001001', { idNumber: person });
    await add('320411002001', { idNumber: person });
    // a deleted record and one edited to invalid after entry
    const gone = await add('320411002001');
    await env.ctx.db.updateTable('registration').set({ deleted_at: new Date().toISOString() }).where('id', '=', gone).execute();
    const edited = await add('320411002001');
    await env.ctx.db.updateTable('registration').set({ is_valid: 0, errors_json: JSON.stringify(errors('BAD_PHONE')) }).where('id', '=', edited).execute();
    const row = await env.ctx.db.selectFrom('registration').select('id_number').where('id', '=', edited).executeTakeFirstOrThrow();
    await resolveCounted(env.ctx.db, [row.id_number]);
  });
  afterAll(async () => env?.close());

  /** The breakdown counted from the records themselves. */
  async function fromRecords(unitPath: string) {
    const rows = (await env.ctx.db.selectFrom('registration').select(['org_path', 'is_valid', 'is_counted', 'errors_json', 'deleted_at']).execute()).filter((r) => r.deleted_at === null && r.org_path.startsWith(unitPath));
    const valid = rows.filter((r) => Number(r.is_valid) === 1).length;
    const counted = rows.filter((r) => Number(r.is_counted) === 1).length;
    const reasons = new Map<string, number>();
    for (const r of rows.filter((x) => Number(x.is_valid) === 0)) for (const code of new Set((JSON.parse(r.errors_json ?? '[]') as Array<{ code: string }>).map((e) => e.code))) reasons.set(code, (reasons.get(code) ?? 0) + 1);
    return { entered: rows.length, invalid: rows.length - valid, duplicates: valid - counted, validCount: counted, reasons: Object.fromEntries(reasons) };
  }

  it('equals the count over the records — entries, invalid ones by reason, a duplicate across districts, a deletion, an edit to invalid — for the city, a district, a street and a community', async () => {
    for (const unitPath of ['/', ...Object.values(paths)]) {
      const got = await validCount(env.ctx.db, unitPath);
      const want = await fromRecords(unitPath);
      expect({ ...got, reasons: Object.fromEntries(got.invalidByReason.map((r) => [r.code, r.count])), invalidByReason: undefined }).toEqual({ ...want, invalidByReason: undefined });
    }
    expect((await validCount(env.ctx.db, paths['320411']!)).duplicates).toBe(1);
  });
});
