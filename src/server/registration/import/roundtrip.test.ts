// Export → re-import changes nothing (issue 12, defect 5): records with formula-like text, leading
// apostrophes, quotes, commas, line breaks, Chinese and 4-byte characters are exported by the real
// detail-table export (.xlsx and .csv) and imported back into their community: every record
// "unchanged", and every stored column byte for byte as before. A property test over random records.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import fs from 'node:fs';
import { createTestEnv, makeUser, loginAs, testEngine, type Client, type TestEnv } from '../../testing/harness.js';
import { fakeIdNumber } from '../../testing/registration-factory.js';
import { tempPath } from '../../testing/import-files.js';
import type { AuthInfo } from '../../auth/access.js';
import { scopeFor } from '../../auth/access.js';
import { importFile } from './service.js';
import { getOrgUnitByCode } from '../../orgs/store.js';

const TEXT_UNITS = ['=', '+', '-', '@', "'", '"', ',', '\n', '\r\n', ' ', '号', '路', '张', '𠀀', '😀', 'a', '1', '（', '）', '；', '\t'];
// Some visible character: a text of blanks alone is no address (the record would be saved invalid).
const text = (max: number) => fc.array(fc.constantFrom(...TEXT_UNITS), { minLength: 1, maxLength: max }).map((a) => a.join('')).filter((t) => /[^\s]/.test(t));
const HAN = ['王', '李', '张', '刘', '陈', '杨', '黄', '赵', '吴', '周', '徐', '孙', '马', '朱', '胡', '郭', '何', '高', '林', '罗'];
const record = fc.record({
  name: fc.array(fc.constantFrom(...HAN), { minLength: 2, maxLength: 4 }).map((a) => a.join('')),
  residenceAddress: text(40),
  employer: fc.option(text(30), { nil: undefined }),
  remarks: fc.option(text(60), { nil: undefined }),
  hukouAddress: fc.option(text(30), { nil: undefined }),
});

describe(`export → re-import round trip (${testEngine()})`, () => {
  let env: TestEnv;
  let client: Client;
  let auth: AuthInfo;
  let communities: number[];
  let seq = 0;
  beforeAll(async () => {
    env = await createTestEnv();
    const u = await makeUser(env.ctx, { username: 'rt_clerk', role: 'clerk', orgCode: '320411' });
    client = await loginAs(env.app, u.username, u.password);
    const user = await env.ctx.db.selectFrom('app_user').selectAll().where('id', '=', u.id).executeTakeFirstOrThrow();
    const unit = (await getOrgUnitByCode(env.ctx.db, '320411'))!;
    auth = { user, orgUnit: unit, session: {} as never, role: 'clerk', scope: scopeFor('clerk', unit.path), actor: { userId: u.id, username: u.username, orgUnitId: Number(unit.id), ip: null } } as AuthInfo;
    // A community of its own for every run (shrinking included), so that its export holds that run's records only.
    const unitPath = (await getOrgUnitByCode(env.ctx.db, '320411'))!.path;
    communities = (await env.ctx.db.selectFrom('org_unit').select('id').where('level', '=', 'community').where('path', 'like', `${unitPath}%`).orderBy('id').execute()).map((c) => Number(c.id));
  });
  afterAll(async () => env?.close());

  it('every exported record re-imports unchanged, from .xlsx and from .csv, byte for byte', async () => {
    let run = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(record, { minLength: 1, maxLength: 6 }), async (records) => {
        const community = communities[run++]!;
        for (const r of records) {
          const res = await client.request('POST', '/api/registrations', {
            orgUnitId: community,
            record: { idNumber: fakeIdNumber('320411', '19800101', ++seq), hukouType: '21', phone: '13912345678', personCategory: '24', surveyDate: '2016-05-03', ins110Status: '1', ins110Place: '常州', ...r },
          });
          expect(res.statusCode, res.body).toBe(200);
        }
        const snapshot = () => env.ctx.db.selectFrom('registration').selectAll().where('org_unit_id', '=', community).orderBy('id').execute();
        const before = await snapshot();
        expect(before.filter((b) => Number(b.is_valid) !== 1).map((b) => b.errors_json)).toEqual([]);
        for (const format of ['xlsx', 'csv'] as const) {
          const res = await client.request('GET', `/api/registrations/export?format=${format}&orgUnitId=${community}`);
          expect(res.statusCode).toBe(200);
          const file = tempPath(`roundtrip.${format}`);
          fs.writeFileSync(file, res.rawPayload);
          const report = await importFile(env.ctx, auth, { path: file, fileName: `export.${format}`, orgUnitId: community, mode: 'all' });
          expect(report, `${format}: ${JSON.stringify(report.rejects.slice(0, 3))}`).toMatchObject({ committed: true, total: before.length, imported: 0, updated: 0, unchanged: before.length, rejected: 0 });
          expect(await snapshot()).toEqual(before);
        }
      }),
      { numRuns: 6 },
    );
  }, 300_000);
});
