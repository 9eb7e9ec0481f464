// Field capture (SPEC "Field capture", issue 15), on both engines: a district admin assigns the
// surveyors of their district to communities inside the surveyor's own unit (another district's
// surveyor answers like a missing one); a surveyor's task list holds only its communities, with ID
// numbers masked; an upload applies the entry form's rules per record, keyed by the phone's
// clientId so a resent batch creates nothing twice, and returns conflicts instead of overwriting.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestEnv, loginAs, makeUser, orgId, testEngine, type Client, type TestEnv } from '../testing/harness.js';
import { fakeIdNumber, makeRegistration, validRecord } from '../testing/registration-factory.js';
import { maskIdNumber } from '../../domain/id-number.js';
import type { FieldUploadResult } from '../../shared/api-field.js';

const XB_C1 = '320411002001';
const XB_C2 = '320411002002';
const XB_OTHER_STREET_C = '320411003001';
const TN_C = '320402001001';

type Results = { results: FieldUploadResult[] };

describe(`field capture (${testEngine()})`, () => {
  let env: TestEnv;
  const c = {} as Record<'xbAdmin' | 'tnAdmin' | 'cityAdmin' | 'xbSurveyor' | 'xbSurveyor2' | 'tnSurveyor' | 'xbClerk' | 'xbViewer' | 'cityAssessor', Client>;
  const users = {} as Record<'xbSurveyor' | 'xbSurveyor2' | 'tnSurveyor' | 'xbClerk', number>;
  const units = {} as Record<'c1' | 'c2' | 'otherStreetC' | 'tnC' | 'street', number>;

  const put = (client: Client, userId: number, orgUnitIds: number[]) => client.request('PUT', `/api/field/assignments/${userId}`, { orgUnitIds });
  const assignmentsOf = async (userId: number) =>
    (await env.ctx.db.selectFrom('surveyor_assignment').select('org_unit_id').where('user_id', '=', userId).orderBy('org_unit_id').execute()).map((r) => Number(r.org_unit_id));
  const upload = async (client: Client, items: unknown[]) => {
    const res = await client.request('POST', '/api/field/uploads', { items });
    expect(res.statusCode, res.body).toBe(200);
    return (res.json() as Results).results;
  };
  const registrationCount = async () => Number((await env.ctx.db.selectFrom('registration').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
  const liveWith = (idNumber: string) => env.ctx.db.selectFrom('registration').selectAll().where('id_number', '=', idNumber).where('deleted_at', 'is', null).orderBy('id').execute();

  beforeAll(async () => {
    env = await createTestEnv();
    const make = async (username: string, role: Parameters<typeof makeUser>[1]['role'], orgCode: string) => {
      const u = await makeUser(env.ctx, { username, role, orgCode });
      return { id: u.id, client: await loginAs(env.app, u.username, u.password) };
    };
    const specs = [
      ['xbAdmin', 'district_admin', '320411'],
      ['tnAdmin', 'district_admin', '320402'],
      ['cityAdmin', 'city_admin', '320400'],
      ['cityAssessor', 'city_assessor', '320400'],
      ['xbSurveyor', 'surveyor', '320411002'],
      ['xbSurveyor2', 'surveyor', '320411002'],
      ['tnSurveyor', 'surveyor', '320402001'],
      ['xbClerk', 'clerk', '320411'],
      ['xbViewer', 'viewer', '320411'],
    ] as const;
    for (const [key, role, code] of specs) {
      const u = await make(`fc_${key.toLowerCase()}`, role, code);
      c[key] = u.client;
      if (key in { xbSurveyor: 1, xbSurveyor2: 1, tnSurveyor: 1, xbClerk: 1 }) users[key as keyof typeof users] = u.id;
    }
    units.c1 = await orgId(env.ctx, XB_C1);
    units.c2 = await orgId(env.ctx, XB_C2);
    units.otherStreetC = await orgId(env.ctx, XB_OTHER_STREET_C);
    units.tnC = await orgId(env.ctx, TN_C);
    units.street = await orgId(env.ctx, '320411002');
  });
  afterAll(async () => env?.close());

  describe('assignments', () => {
    it('a district admin replaces a surveyor of their district with communities of its street, listed and audited', async () => {
      const first = await put(c.xbAdmin, users.xbSurveyor, [units.c1, units.c2]);
      expect(first.statusCode, first.body).toBe(200);
      expect(first.json().communities.map((x: { code: string }) => x.code)).toEqual([XB_C1, XB_C2]);
      const second = await put(c.xbAdmin, users.xbSurveyor, [units.c1]);
      expect(second.statusCode).toBe(200);
      expect(await assignmentsOf(users.xbSurveyor)).toEqual([units.c1]);

      const list = (await c.xbAdmin.request('GET', `/api/field/assignments?orgUnitId=${units.street}`)).json() as { items: Array<{ userId: number; communities: Array<{ orgUnitId: number }> }> };
      const mine = list.items.find((s) => s.userId === users.xbSurveyor);
      expect(mine?.communities.map((x) => x.orgUnitId)).toEqual([units.c1]);
      // Only surveyors, and only of the unit's subtree.
      expect(list.items.map((s) => s.userId).sort()).toEqual([users.xbSurveyor, users.xbSurveyor2].sort());

      const audit = await env.ctx.db.selectFrom('audit_log').selectAll().where('event', '=', 'field.assignment.set').where('object_id', '=', String(users.xbSurveyor)).orderBy('id').execute();
      expect(audit).toHaveLength(2);
      expect(JSON.parse(audit[1]!.before_json ?? 'null')).toEqual({ orgUnitIds: [units.c1, units.c2].sort((a, b) => a - b) });
      expect(JSON.parse(audit[1]!.after_json ?? 'null')).toEqual({ orgUnitIds: [units.c1] });
    });

    it('refuses a community outside the surveyor’s unit (400), of another district (404), a street (400), a non-surveyor (400); nothing changes', async () => {
      const before = await assignmentsOf(users.xbSurveyor);
      const otherStreet = await put(c.xbAdmin, users.xbSurveyor, [units.c1, units.otherStreetC]);
      expect(otherStreet.statusCode).toBe(400);
      const foreignUnit = await put(c.xbAdmin, users.xbSurveyor, [units.tnC]);
      const missingUnit = await put(c.xbAdmin, users.xbSurveyor, [999999]);
      expect(foreignUnit.statusCode).toBe(404);
      expect(foreignUnit.body).toBe(missingUnit.body);
      expect((await put(c.xbAdmin, users.xbSurveyor, [units.street])).statusCode).toBe(400);
      expect((await put(c.xbAdmin, users.xbClerk, [units.c1])).statusCode).toBe(400);
      expect(await assignmentsOf(users.xbSurveyor)).toEqual(before);
      expect(await assignmentsOf(users.xbClerk)).toEqual([]);
      const failures = await env.ctx.db.selectFrom('audit_log').select('id').where('event', '=', 'field.assignment.set').where('success', '=', 0).execute();
      expect(failures.length).toBe(5);
    });

    it('another district’s admin gets 404 for the surveyor and its unit, like missing ones; the city assigns anywhere', async () => {
      const foreign = await put(c.tnAdmin, users.xbSurveyor, [units.c1]);
      const missing = await put(c.tnAdmin, 999999, [units.c1]);
      expect(foreign.statusCode).toBe(404);
      expect(foreign.body).toBe(missing.body);
      expect((await c.tnAdmin.request('GET', `/api/field/assignments?orgUnitId=${units.street}`)).statusCode).toBe(404);
      const tnList = (await c.tnAdmin.request('GET', '/api/field/assignments')).json() as { items: Array<{ userId: number }> };
      expect(tnList.items.map((s) => s.userId)).toEqual([users.tnSurveyor]);
      const byCity = await put(c.cityAdmin, users.tnSurveyor, [units.tnC]);
      expect(byCity.statusCode, byCity.body).toBe(200);
      expect(await assignmentsOf(users.tnSurveyor)).toEqual([units.tnC]);
    });

    it('clerks, viewers, surveyors and city assessors are refused (403) and nothing changes', async () => {
      const before = await assignmentsOf(users.xbSurveyor2);
      for (const client of [c.xbClerk, c.xbViewer, c.xbSurveyor, c.cityAssessor]) {
        expect((await put(client, users.xbSurveyor2, [units.c2])).statusCode).toBe(403);
        expect((await client.request('GET', '/api/field/assignments')).statusCode).toBe(403);
      }
      expect(await assignmentsOf(users.xbSurveyor2)).toEqual(before);
    });
  });

  describe('task list', () => {
    const idsIn: Record<string, string[]> = {};
    beforeAll(async () => {
      for (const [code, region, n] of [
        [XB_C1, '320411', 3],
        [XB_C2, '320411', 2],
        [TN_C, '320402', 2],
      ] as const) {
        idsIn[code] = [];
        for (let i = 0; i < n; i++) {
          const idNumber = fakeIdNumber(region, '19700304', 700 + i + (code === XB_C2 ? 10 : 0));
          idsIn[code].push(idNumber);
          await makeRegistration(env.ctx, { orgCode: code, idNumber, name: `任务${i}`, columns: { relation_to_head: '02', residence_address: '河海东路2号' } });
        }
      }
      await c.xbAdmin.request('PUT', `/api/statistics/targets/${units.c1}`, { target: 120 });
      expect(await put(c.xbAdmin, users.xbSurveyor, [units.c1])).toMatchObject({ statusCode: 200 });
    });

    it('holds only the assigned communities, with target, counts and persons whose ID numbers are masked 6 + 4', async () => {
      const res = await c.xbSurveyor.request('GET', '/api/field/tasks');
      expect(res.statusCode).toBe(200);
      const items = res.json().items as Array<{ code: string; target: number | null; registered: number; valid: number; persons: Array<{ id: number; idNumber: string; version: number; relationToHead: string | null }> }>;
      expect(items.map((t) => t.code)).toEqual([XB_C1]);
      const rows = await env.ctx.db.selectFrom('registration').select(['id', 'id_number', 'is_valid']).where('org_unit_id', '=', units.c1).where('deleted_at', 'is', null).orderBy('id').execute();
      expect(items[0]!.target).toBe(120);
      expect(items[0]!.registered).toBe(rows.length);
      expect(items[0]!.valid).toBe(rows.filter((r) => Number(r.is_valid) === 1).length);
      expect(items[0]!.persons.map((p) => p.id).sort((a, b) => a - b)).toEqual(rows.map((r) => Number(r.id)));
      for (const p of items[0]!.persons) expect(p.idNumber).toBe(maskIdNumber(rows.find((r) => Number(r.id) === p.id)!.id_number));
      // Nothing in the answer spells a full ID number, nor the records of the other communities.
      for (const id of [...idsIn[XB_C1]!, ...idsIn[XB_C2]!, ...idsIn[TN_C]!]) expect(res.body).not.toContain(id);
      expect(res.body).not.toContain('19700304');
    });

    it('a 天宁区 surveyor gets nothing of 新北区', async () => {
      const res = await c.tnSurveyor.request('GET', '/api/field/tasks');
      const items = res.json().items as Array<{ code: string; persons: Array<{ id: number }> }>;
      expect(items.map((t) => t.code)).toEqual([TN_C]);
      const xbIds = (await env.ctx.db.selectFrom('registration').select('id').where('district_id', '=', await orgId(env.ctx, '320411')).execute()).map((r) => Number(r.id));
      expect(items.flatMap((t) => t.persons.map((p) => p.id)).filter((id) => xbIds.includes(id))).toEqual([]);
      expect(items[0]!.persons).toHaveLength(idsIn[TN_C]!.length);
    });

    it('a surveyor without assignments gets an empty list; other roles are refused (403)', async () => {
      expect((await c.xbSurveyor2.request('GET', '/api/field/tasks')).json()).toEqual({ items: [] });
      for (const client of [c.xbClerk, c.xbAdmin, c.xbViewer, c.cityAdmin]) expect((await client.request('GET', '/api/field/tasks')).statusCode).toBe(403);
    });
  });

  describe('uploads', () => {
    it('a household of three sent five times is created once, as field records of the surveyor in one household', async () => {
      const head = fakeIdNumber('320411', '19650101', 801);
      const household = { householdHeadName: '王大', householdHeadIdNumber: head, householdAddress: '三井街道河海东路9号' };
      const items = [
        { clientId: randomUUID(), orgUnitId: units.c1, record: validRecord({ ...household, idNumber: head, name: '王大', relationToHead: '02' }) },
        { clientId: randomUUID(), orgUnitId: units.c1, record: validRecord({ ...household, idNumber: fakeIdNumber('320411', '19670202', 802), name: '李二', relationToHead: '10' }) },
        { clientId: randomUUID(), orgUnitId: units.c1, record: validRecord({ ...household, idNumber: fakeIdNumber('320411', '19900303', 803), name: '王小', relationToHead: '20' }) },
      ];
      const before = await registrationCount();
      const first = await upload(c.xbSurveyor, items);
      expect(first.map((r) => r.outcome)).toEqual(['created', 'created', 'created']);
      for (let i = 0; i < 4; i++) {
        const again = await upload(c.xbSurveyor, items);
        expect(again.map((r) => r.outcome)).toEqual(['replayed', 'replayed', 'replayed']);
        expect(again.map((r) => r.registrationId)).toEqual(first.map((r) => r.registrationId));
      }
      expect(await registrationCount()).toBe(before + 3);
      const rows = await env.ctx.db.selectFrom('registration').selectAll().where('id', 'in', first.map((r) => r.registrationId!)).orderBy('id').execute();
      expect(rows.map((r) => r.entry_source)).toEqual(['field', 'field', 'field']);
      expect(rows.map((r) => Number(r.entered_by))).toEqual([users.xbSurveyor, users.xbSurveyor, users.xbSurveyor]);
      expect(rows.map((r) => Number(r.is_valid))).toEqual([1, 1, 1]);
      expect(new Set(rows.map((r) => r.household_id)).size).toBe(1);
      expect(rows[0]!.household_id).not.toBeNull();
      const stored = await env.ctx.db.selectFrom('field_upload').select('client_id').where('client_id', 'in', items.map((i) => i.clientId)).execute();
      expect(stored).toHaveLength(3);
      const created = await env.ctx.db.selectFrom('audit_log').select('id').where('event', '=', 'registration.create').where('user_id', '=', users.xbSurveyor).execute();
      expect(created).toHaveLength(3);
    });

    it('an ID number registered in another district comes back as a conflict (where, not what); confirmDuplicate then creates it', async () => {
      const idNumber = fakeIdNumber('320402', '19720505', 811);
      const tnRecord = await makeRegistration(env.ctx, { orgCode: TN_C, idNumber, name: '赵四' });
      const item = { clientId: randomUUID(), orgUnitId: units.c1, record: validRecord({ idNumber, name: '赵四' }) };
      const [conflict] = await upload(c.xbSurveyor, [item]);
      expect(conflict!.outcome).toBe('conflict');
      expect(conflict!.server).toBeUndefined();
      expect(conflict!.otherRecords).toEqual([expect.objectContaining({ registrationId: tnRecord, inScope: false, isCounted: true })]);
      expect(await liveWith(idNumber)).toHaveLength(1);
      expect(await env.ctx.db.selectFrom('field_upload').select('client_id').where('client_id', '=', item.clientId).execute()).toEqual([]);

      const [confirmed] = await upload(c.xbSurveyor, [{ ...item, confirmDuplicate: true }]);
      expect(confirmed!.outcome).toBe('created');
      const rows = await liveWith(idNumber);
      expect(rows.map((r) => Number(r.id))).toEqual([tnRecord, confirmed!.registrationId]);
      // A duplicate is flagged, never counted twice: the earlier record stays the counted one.
      expect(rows.map((r) => Number(r.is_counted))).toEqual([1, 0]);
    });

    it('an ID number registered in the surveyor’s own scope comes back with the server’s record, masked', async () => {
      const idNumber = fakeIdNumber('320411', '19730606', 812);
      const form = await c.xbClerk.request('POST', '/api/registrations', { orgUnitId: units.c2, record: validRecord({ idNumber, name: '钱五' }) });
      expect(form.statusCode, form.body).toBe(200);
      const res = await c.xbSurveyor.request('POST', '/api/field/uploads', { items: [{ clientId: randomUUID(), orgUnitId: units.c1, record: validRecord({ idNumber, name: '钱五' }) }] });
      const [r] = (res.json() as Results).results;
      expect(r!.outcome).toBe('conflict');
      expect(r!.server).toMatchObject({ id: form.json().id, masked: true, record: expect.objectContaining({ idNumber: maskIdNumber(idNumber), name: '钱五' }) });
      expect(res.body).not.toContain(idNumber);
      expect(await liveWith(idNumber)).toHaveLength(1);
    });

    it('an edit from a stale version is a conflict with the current record and changes nothing; from the current one it updates', async () => {
      const idNumber = fakeIdNumber('320411', '19740707', 813);
      const [made] = await upload(c.xbSurveyor, [{ clientId: randomUUID(), orgUnitId: units.c1, record: validRecord({ idNumber, name: '孙六' }) }]);
      // Meanwhile a clerk edits it on the server (through the form).
      const edit = await c.xbClerk.request('PUT', `/api/registrations/${made!.registrationId}`, { record: { residenceAddress: '服务器上改的地址' }, version: 0 });
      expect(edit.statusCode, edit.body).toBe(200);
      const stale = { clientId: randomUUID(), orgUnitId: units.c1, registrationId: made!.registrationId, baseVersion: 0, record: { residenceAddress: '手机上改的地址' } };
      const [conflict] = await upload(c.xbSurveyor, [stale]);
      expect(conflict!.outcome).toBe('conflict');
      expect(conflict!.server).toMatchObject({ id: made!.registrationId, version: 1, record: expect.objectContaining({ residenceAddress: '服务器上改的地址' }) });
      const [row] = await liveWith(idNumber);
      expect([row!.residence_address, Number(row!.version)]).toEqual(['服务器上改的地址', 1]);

      const [updated] = await upload(c.xbSurveyor, [{ ...stale, baseVersion: 1 }]);
      expect(updated).toMatchObject({ outcome: 'updated', registrationId: made!.registrationId, version: 2, isValid: true });
      const [after] = await liveWith(idNumber);
      expect([after!.residence_address, Number(after!.version)]).toEqual(['手机上改的地址', 2]);
      const [replayed] = await upload(c.xbSurveyor, [{ ...stale, baseVersion: 1 }]);
      expect(replayed).toMatchObject({ outcome: 'replayed', version: 2 });
      expect(Number((await liveWith(idNumber))[0]!.version)).toBe(2);
    });

    it('rejects without a name or ID number, in another district’s unit, in a street, or with another user’s clientId, and writes nothing', async () => {
      const taken = randomUUID();
      const [own] = await upload(c.xbSurveyor, [{ clientId: taken, orgUnitId: units.c1, record: validRecord({ idNumber: fakeIdNumber('320411', '19750808', 814), name: '周七' }) }]);
      expect(own!.outcome).toBe('created');
      const before = await registrationCount();
      const uploadsBefore = Number((await env.ctx.db.selectFrom('field_upload').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
      const results = await upload(c.xbSurveyor, [
        { clientId: randomUUID(), orgUnitId: units.c1, record: validRecord({ idNumber: fakeIdNumber('320411', '19760909', 815), name: null }) },
        { clientId: randomUUID(), orgUnitId: units.c1, record: validRecord({ idNumber: null }) },
        { clientId: randomUUID(), orgUnitId: units.tnC, record: validRecord({ idNumber: fakeIdNumber('320402', '19760909', 816) }) },
        { clientId: randomUUID(), orgUnitId: units.street, record: validRecord({ idNumber: fakeIdNumber('320411', '19760909', 817) }) },
      ]);
      expect(results.map((r) => r.outcome)).toEqual(['rejected', 'rejected', 'rejected', 'rejected']);
      expect(results[0]!.message).toContain('姓名');
      expect(results[0]!.errors?.some((e) => e.field === 'name')).toBe(true);
      expect(results[2]!.message).toBe('单位不存在');
      const [stolen] = await upload(c.xbSurveyor2, [{ clientId: taken, orgUnitId: units.c1, record: validRecord({ idNumber: fakeIdNumber('320411', '19760909', 818), name: '吴八' }) }]);
      expect(stolen!.outcome).toBe('rejected');
      expect(stolen!.registrationId).toBeUndefined();
      expect(await registrationCount()).toBe(before);
      expect(Number((await env.ctx.db.selectFrom('field_upload').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n)).toBe(uploadsBefore);
    });

    it('a record the form would save as invalid is saved as invalid, with its problems', async () => {
      const [r] = await upload(c.xbSurveyor, [{ clientId: randomUUID(), orgUnitId: units.c1, record: validRecord({ idNumber: fakeIdNumber('320411', '19771010', 819), name: '郑九', phone: '12345' }) }]);
      expect(r).toMatchObject({ outcome: 'created', isValid: false });
      expect(r!.errors?.some((e) => e.field === 'phone')).toBe(true);
      const row = await env.ctx.db.selectFrom('registration').select(['is_valid', 'errors_json']).where('id', '=', r!.registrationId!).executeTakeFirstOrThrow();
      expect(Number(row.is_valid)).toBe(0);
      expect(JSON.parse(row.errors_json!)).toEqual(r!.errors);
    });

    it('uploaded records count in the statistics and the surveyor’s work like form-entered ones', async () => {
      const community = units.c2;
      const overview = async () => {
        const res = await c.xbAdmin.request('GET', `/api/statistics?orgUnitId=${units.street}`);
        expect(res.statusCode).toBe(200);
        return (res.json().rows as Array<{ orgUnitId: number; registered: number; valid: number; counted: number }>).find((r) => r.orgUnitId === community)!;
      };
      const work = async (userId: number) => {
        const res = await c.xbAdmin.request('GET', `/api/statistics/work?orgUnitId=${community}`);
        return (res.json().users as Array<{ userId: number; entered: number; valid: number }>).find((u) => u.userId === userId) ?? { entered: 0, valid: 0 };
      };
      const before = await overview();
      const surveyorBefore = await work(users.xbSurveyor);
      const [valid, invalid] = await upload(c.xbSurveyor, [
        { clientId: randomUUID(), orgUnitId: community, record: validRecord({ idNumber: fakeIdNumber('320411', '19781111', 820), name: '冯十' }) },
        { clientId: randomUUID(), orgUnitId: community, record: validRecord({ idNumber: fakeIdNumber('320411', '19781111', 821), name: '陈一', phone: '12345' }) },
      ]);
      expect([valid!.outcome, invalid!.outcome]).toEqual(['created', 'created']);
      const form = await c.xbClerk.request('POST', '/api/registrations', { orgUnitId: community, record: validRecord({ idNumber: fakeIdNumber('320411', '19781111', 822), name: '褚二' }) });
      expect(form.statusCode).toBe(200);
      const after = await overview();
      expect([after.registered - before.registered, after.valid - before.valid, after.counted - before.counted]).toEqual([3, 2, 2]);
      // The tables the triggers keep agree with the records themselves.
      const rows = await env.ctx.db.selectFrom('registration').select(['is_valid', 'is_counted']).where('org_unit_id', '=', community).where('deleted_at', 'is', null).execute();
      expect([after.registered, after.valid, after.counted]).toEqual([rows.length, rows.filter((r) => Number(r.is_valid) === 1).length, rows.filter((r) => Number(r.is_counted) === 1).length]);
      const surveyorAfter = await work(users.xbSurveyor);
      expect([surveyorAfter.entered - surveyorBefore.entered, surveyorAfter.valid - surveyorBefore.valid]).toEqual([2, 1]);
      const valid2 = await env.ctx.db.selectFrom('registration').select('id').where('org_unit_id', '=', community).where('entry_source', '=', 'field').execute();
      expect(valid2.length).toBe(2);
    });

    it('viewers and city assessors may not upload (403); an over-long batch or a bad clientId is refused whole (400); nothing is written', async () => {
      const before = await registrationCount();
      const item = { clientId: randomUUID(), orgUnitId: units.c1, record: validRecord({ idNumber: fakeIdNumber('320411', '19791212', 823), name: '卫三' }) };
      for (const client of [c.xbViewer, c.cityAssessor]) expect((await client.request('POST', '/api/field/uploads', { items: [item] })).statusCode).toBe(403);
      expect((await c.xbSurveyor.request('POST', '/api/field/uploads', { items: Array.from({ length: 201 }, () => ({ ...item, clientId: randomUUID() })) })).statusCode).toBe(400);
      expect((await c.xbSurveyor.request('POST', '/api/field/uploads', { items: [{ ...item, clientId: 'not-a-uuid' }] })).statusCode).toBe(400);
      expect((await c.xbSurveyor.request('POST', '/api/field/uploads', { items: [{ ...item, registrationId: 1 }] })).statusCode).toBe(400);
      expect(await registrationCount()).toBe(before);
      // A clerk and a district admin are writers too: the same rules, their own scope.
      const [byClerk] = await upload(c.xbClerk, [item]);
      expect(byClerk!.outcome).toBe('created');
      const [byTnAdmin] = await upload(c.tnAdmin, [{ ...item, clientId: randomUUID(), record: validRecord({ idNumber: fakeIdNumber('320411', '19791212', 824) }) }]);
      expect(byTnAdmin).toMatchObject({ outcome: 'rejected', message: '单位不存在' });
    });
  });
});
