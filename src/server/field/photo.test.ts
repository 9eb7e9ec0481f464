// The photo of a field record's signed paper form (issue 15), on both engines: sent raw after the
// record's upload, only by the user who uploaded that clientId; JPEG, PNG or WebP by content, at
// most 2 MB; the same photo again changes nothing, another replaces it. It shows the full ID
// number, so only roles that open records unmasked may view it (the view is logged); another
// district's record answers 404. The work statistics count each person's records from phones.
import fs from 'node:fs';
import path from 'node:path';
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import ExcelJS from 'exceljs';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestEnv, loginAs, makeUser, orgId, testEngine, type Client, type TestEnv } from '../testing/harness.js';
import { fakeIdNumber, makeRegistration, validRecord } from '../testing/registration-factory.js';
import { evidenceRelPath } from '../assessments/evidence.js';
import { readFacts } from '../backup/manifest.js';
import { MAX_FIELD_PHOTO_BYTES, type FieldPhotoResponse, type FieldUploadResult } from '../../shared/api-field.js';
import type { WorkStatistics } from '../../shared/api-statistics.js';

const C1 = '320411002001';
const TN_C = '320402001001';

/** Bytes that start like a JPEG / PNG / WebP file (the server checks the first bytes, not the pixels). */
const jpeg = (n = 3000) => Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00]), randomBytes(n)]);
const png = (n = 3000) => Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), randomBytes(n)]);
const webp = (n = 3000) => Buffer.concat([Buffer.from('RIFF'), Buffer.from([0x24, 0x00, 0x00, 0x00]), Buffer.from('WEBPVP8 '), randomBytes(n)]);
const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

describe(`field record photos (${testEngine()})`, () => {
  let env: TestEnv;
  const c = {} as Record<'surveyor' | 'surveyor2' | 'clerk' | 'viewer' | 'xbAdmin' | 'tnAdmin' | 'assessor', Client>;
  const ids = {} as Record<'surveyor' | 'clerk', number>;
  let c1: number;

  const putPhoto = (client: Client, clientId: string, body: Buffer, type = 'image/jpeg') =>
    env.app.inject({ method: 'PUT', url: `/api/field/uploads/${clientId}/photo`, headers: { cookie: client.cookie, 'content-type': type }, payload: body });
  const upload = async (client: Client, items: unknown[]) => {
    const res = await client.request('POST', '/api/field/uploads', { items });
    expect(res.statusCode, res.body).toBe(200);
    return (res.json() as { results: FieldUploadResult[] }).results;
  };
  /** A new record uploaded by the surveyor: its clientId and registration id. */
  const uploaded = async (client: Client = c.surveyor, seq?: number) => {
    const clientId = randomUUID();
    const [r] = await upload(client, [{ clientId, orgUnitId: c1, record: validRecord({ idNumber: fakeIdNumber('320411', '19820202', seq), name: '照片' }) }]);
    expect(r!.outcome).toBe('created');
    return { clientId, registrationId: r!.registrationId! };
  };
  const photoRows = (registrationId: number) => env.ctx.db.selectFrom('field_photo').selectAll().where('registration_id', '=', registrationId).execute();
  const storedFiles = () => {
    const dir = path.join(env.config.dataDir, 'evidence');
    if (!fs.existsSync(dir)) return [];
    return fs.readdirSync(dir).flatMap((d) => fs.readdirSync(path.join(dir, d)).map((f) => `${d}/${f}`));
  };
  const detail = async (client: Client, id: number) => {
    const res = await client.request('GET', `/api/registrations/${id}`);
    expect(res.statusCode, res.body).toBe(200);
    return res.json() as { hasPhoto: boolean; masked: boolean };
  };

  beforeAll(async () => {
    env = await createTestEnv();
    const specs = [
      ['surveyor', 'surveyor', '320411002'],
      ['surveyor2', 'surveyor', '320411002'],
      ['clerk', 'clerk', '320411'],
      ['viewer', 'viewer', '320411'],
      ['xbAdmin', 'district_admin', '320411'],
      ['tnAdmin', 'district_admin', '320402'],
      ['assessor', 'city_assessor', '320400'],
    ] as const;
    for (const [key, role, code] of specs) {
      const u = await makeUser(env.ctx, { username: `ph_${key.toLowerCase()}`, role, orgCode: code });
      c[key] = await loginAs(env.app, u.username, u.password);
      if (key === 'surveyor' || key === 'clerk') ids[key] = u.id;
    }
    c1 = await orgId(env.ctx, C1);
  });
  afterAll(async () => env?.close());

  describe('sending the photo', () => {
    it('after the record’s upload: stored once by its SHA-256, answered with size and hash, audited; the detail says hasPhoto', async () => {
      const { clientId, registrationId } = await uploaded();
      expect((await detail(c.clerk, registrationId)).hasPhoto).toBe(false);
      const photo = jpeg();
      const res = await putPhoto(c.surveyor, clientId, photo);
      expect(res.statusCode, res.body).toBe(200);
      const body = res.json() as FieldPhotoResponse;
      expect(body).toEqual({ registrationId, photo: { size: photo.length, sha256: sha(photo), uploadedAt: expect.any(String) } });
      const rows = await photoRows(registrationId);
      expect(rows).toHaveLength(1);
      expect(rows[0]).toMatchObject({ client_id: clientId, mime: 'image/jpeg', sha256: sha(photo), uploaded_at: body.photo.uploadedAt });
      expect([Number(rows[0]!.size_bytes), Number(rows[0]!.uploaded_by)]).toEqual([photo.length, ids.surveyor]);
      expect(fs.readFileSync(path.join(env.config.dataDir, evidenceRelPath(sha(photo))))).toEqual(photo);
      expect((await detail(c.clerk, registrationId)).hasPhoto).toBe(true);
      expect((await detail(c.viewer, registrationId)).hasPhoto).toBe(true);
      const audit = await env.ctx.db.selectFrom('audit_log').selectAll().where('event', '=', 'field.photo').where('object_id', '=', String(registrationId)).execute();
      expect(audit).toHaveLength(1);
      expect([audit[0]!.object_type, Number(audit[0]!.success), Number(audit[0]!.user_id)]).toEqual(['registration', 1, ids.surveyor]);
      expect(JSON.parse(audit[0]!.after_json!)).toEqual({ sha256: sha(photo), size: photo.length, clientId });
    });

    it('the same photo sent five times is one row, unchanged, with the same answer each time', async () => {
      const { clientId, registrationId } = await uploaded();
      const photo = png();
      const first = await putPhoto(c.surveyor, clientId, photo, 'image/png');
      expect(first.statusCode, first.body).toBe(200);
      const row = await photoRows(registrationId);
      for (let i = 0; i < 5; i++) {
        const again = await putPhoto(c.surveyor, clientId, photo, 'image/png');
        expect(again.statusCode).toBe(200);
        expect(again.json()).toEqual(first.json());
      }
      expect(await photoRows(registrationId)).toEqual(row);
      expect(storedFiles().filter((f) => f.endsWith(sha(photo)))).toHaveLength(1);
    });

    it('another photo replaces the earlier one (and the one viewed is the new one)', async () => {
      const { clientId, registrationId } = await uploaded();
      const first = jpeg();
      expect((await putPhoto(c.surveyor, clientId, first)).statusCode).toBe(200);
      const second = webp();
      const res = await putPhoto(c.surveyor, clientId, second, 'image/webp');
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json()).toMatchObject({ registrationId, photo: { size: second.length, sha256: sha(second) } });
      const rows = await photoRows(registrationId);
      expect(rows.map((r) => [r.sha256, r.mime])).toEqual([[sha(second), 'image/webp']]);
      const view = await c.clerk.request('GET', `/api/registrations/${registrationId}/photo`);
      expect(view.statusCode).toBe(200);
      expect(view.headers['content-type']).toBe('image/webp');
      expect(view.rawPayload.equals(second)).toBe(true);
      const audit = await env.ctx.db.selectFrom('audit_log').select(['before_json', 'after_json']).where('event', '=', 'field.photo').where('object_id', '=', String(registrationId)).orderBy('id').execute();
      expect(JSON.parse(audit[1]!.before_json!)).toMatchObject({ sha256: sha(first) });
      expect(JSON.parse(audit[1]!.after_json!)).toMatchObject({ sha256: sha(second) });
    });

    it('refuses content that is not the declared image (400) or a type other than JPEG/PNG/WebP (415), in Chinese; nothing changes', async () => {
      const { clientId, registrationId } = await uploaded();
      const kept = jpeg();
      expect((await putPhoto(c.surveyor, clientId, kept)).statusCode).toBe(200);
      const before = await photoRows(registrationId);
      const mismatch = await putPhoto(c.surveyor, clientId, png(), 'image/jpeg');
      expect(mismatch.statusCode).toBe(400);
      expect(mismatch.json().error.message).toBe('照片内容是 PNG 图片，与声明的类型 JPEG 不符');
      const html = await putPhoto(c.surveyor, clientId, Buffer.from('<html><script>alert(1)</script></html>'), 'image/png');
      expect(html.statusCode).toBe(400);
      expect(html.json().error.message).toContain('不是 JPEG、PNG 或 WebP 图片');
      const gif = await putPhoto(c.surveyor, clientId, Buffer.from('GIF89a......'), 'image/gif');
      expect(gif.statusCode).toBe(415);
      expect(gif.json().error.message).toContain('照片应为 JPEG、PNG 或 WebP 图片');
      const json = await c.surveyor.request('PUT', `/api/field/uploads/${clientId}/photo`, { photo: 'x' });
      expect(json.statusCode).toBe(415);
      const empty = await putPhoto(c.surveyor, clientId, Buffer.alloc(0));
      expect(empty.statusCode).toBe(400);
      expect(await photoRows(registrationId)).toEqual(before);
      const failures = await env.ctx.db.selectFrom('audit_log').select('id').where('event', '=', 'field.photo').where('success', '=', 0).where('user_id', '=', ids.surveyor).execute();
      expect(failures.length).toBeGreaterThanOrEqual(5);
    });

    it('over 2 MB is refused with 413 and nothing is stored; exactly 2 MB is accepted', async () => {
      const { clientId, registrationId } = await uploaded();
      const files = storedFiles();
      const big = jpeg(MAX_FIELD_PHOTO_BYTES); // the header makes it 11 bytes over
      const res = await putPhoto(c.surveyor, clientId, big);
      expect(res.statusCode).toBe(413);
      expect(res.json().error).toEqual({ code: 'PAYLOAD_TOO_LARGE', message: '照片不能超过 2 MB，请压缩后重新上传' });
      expect(await photoRows(registrationId)).toEqual([]);
      expect(storedFiles()).toEqual(files);
      const limit = big.subarray(0, MAX_FIELD_PHOTO_BYTES);
      const ok = await putPhoto(c.surveyor, clientId, limit);
      expect(ok.statusCode, ok.body).toBe(200);
      expect(ok.json().photo.size).toBe(MAX_FIELD_PHOTO_BYTES);
    });

    it('another surveyor, an unknown clientId and a clientId only ever answered as a conflict get 404 「记录尚未上传」', async () => {
      const { clientId, registrationId } = await uploaded();
      const notUploaded = { error: { code: 'NOT_FOUND', message: '记录尚未上传，请先上传记录' } };
      const other = await putPhoto(c.surveyor2, clientId, jpeg());
      expect(other.statusCode).toBe(404);
      expect(other.json()).toEqual(notUploaded);
      // A district admin of the same district did not upload it either.
      expect((await putPhoto(c.xbAdmin, clientId, jpeg())).json()).toEqual(notUploaded);
      const unknown = await putPhoto(c.surveyor, randomUUID(), jpeg());
      expect(unknown.statusCode).toBe(404);
      expect(unknown.json()).toEqual(notUploaded);
      // A conflict is not remembered: its clientId has no record to attach a photo to.
      const idNumber = fakeIdNumber('320402', '19830303', 901);
      await makeRegistration(env.ctx, { orgCode: TN_C, idNumber });
      const conflictId = randomUUID();
      const [conflict] = await upload(c.surveyor, [{ clientId: conflictId, orgUnitId: c1, record: validRecord({ idNumber, name: '冲突' }) }]);
      expect(conflict!.outcome).toBe('conflict');
      expect((await putPhoto(c.surveyor, conflictId, jpeg())).json()).toEqual(notUploaded);
      expect(await photoRows(registrationId)).toEqual([]);
      // Only the roles that write records may send one at all.
      expect((await putPhoto(c.viewer, clientId, jpeg())).statusCode).toBe(403);
    });
  });

  describe('viewing the photo', () => {
    let registrationId: number;
    let photo: Buffer;
    beforeAll(async () => {
      const made = await uploaded();
      registrationId = made.registrationId;
      photo = jpeg(5000);
      expect((await putPhoto(c.surveyor, made.clientId, photo)).statusCode).toBe(200);
    });

    it('a clerk of the same district gets the exact bytes, not cached, not sniffed; the view is logged', async () => {
      const res = await c.clerk.request('GET', `/api/registrations/${registrationId}/photo`);
      expect(res.statusCode).toBe(200);
      expect(res.rawPayload.equals(photo)).toBe(true);
      expect(res.headers['content-type']).toBe('image/jpeg');
      expect(res.headers['cache-control']).toBe('private, no-store');
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      expect(String(res.headers['content-disposition'])).toMatch(/^inline; filename="paper-form-\d+\.jpg"/);
      const views = await env.ctx.db.selectFrom('audit_log').selectAll().where('event', '=', 'registration.photo.view').where('object_id', '=', String(registrationId)).execute();
      expect(views.map((v) => [Number(v.user_id), v.object_type, Number(v.success)])).toEqual([[ids.clerk, 'registration', 1]]);
      // The city's assessor opens records unmasked too.
      expect((await c.assessor.request('GET', `/api/registrations/${registrationId}/photo`)).statusCode).toBe(200);
    });

    it('a viewer (masked records) gets 403 in Chinese; another district’s admin gets 404 like a missing record; nothing is logged as viewed', async () => {
      const viewer = await c.viewer.request('GET', `/api/registrations/${registrationId}/photo`);
      expect(viewer.statusCode).toBe(403);
      expect(viewer.json().error.message).toContain('完整的公民身份号码');
      const foreign = await c.tnAdmin.request('GET', `/api/registrations/${registrationId}/photo`);
      const missing = await c.tnAdmin.request('GET', '/api/registrations/99999999/photo');
      expect(foreign.statusCode).toBe(404);
      expect(foreign.body).toBe(missing.body);
      const views = await env.ctx.db.selectFrom('audit_log').select('user_id').where('event', '=', 'registration.photo.view').where('object_id', '=', String(registrationId)).execute();
      expect(views).toHaveLength(2); // the clerk's and the assessor's above
    });

    it('a backup takes the photo: the database references its stored file', async () => {
      const facts = await readFacts(async (q) => (await sql.raw<Record<string, unknown>>(q).execute(env.ctx.db)).rows);
      expect(facts.referenced).toContain(evidenceRelPath(sha(photo)));
    });

    it('a record without a photo: 404 「该记录没有纸质登记表照片」 and hasPhoto false', async () => {
      const id = await makeRegistration(env.ctx, { orgCode: C1, idNumber: fakeIdNumber('320411', '19840404', 902) });
      const res = await c.clerk.request('GET', `/api/registrations/${id}/photo`);
      expect(res.statusCode).toBe(404);
      expect(res.json().error.message).toBe('该记录没有纸质登记表照片');
      expect((await detail(c.clerk, id)).hasPhoto).toBe(false);
      expect((await detail(c.clerk, registrationId)).hasPhoto).toBe(true);
    });
  });

  describe('work statistics', () => {
    it('count per person the records uploaded from phones (手机采集), in the table and the .xlsx; deleted ones no longer', async () => {
      const street = await orgId(env.ctx, '320411002');
      const work = async () => {
        const res = await c.xbAdmin.request('GET', `/api/statistics/work?orgUnitId=${street}`);
        expect(res.statusCode, res.body).toBe(200);
        return res.json() as WorkStatistics;
      };
      const of = (w: WorkStatistics, userId: number) => w.users.find((u) => u.userId === userId);
      const before = await work();
      const surveyorBefore = of(before, ids.surveyor)!;
      // A clerk enters one through the form and uploads one as a phone would.
      const form = await c.clerk.request('POST', '/api/registrations', { orgUnitId: c1, record: validRecord({ idNumber: fakeIdNumber('320411', '19850505', 903), name: '表单' }) });
      expect(form.statusCode, form.body).toBe(200);
      await uploaded(c.clerk, 904);
      const more = await uploaded(c.surveyor, 905);
      const after = await work();
      const surveyor = of(after, ids.surveyor)!;
      const clerk = of(after, ids.clerk)!;
      const fieldRows = async (userId: number) =>
        Number((await env.ctx.db.selectFrom('registration').select((eb) => eb.fn.countAll<number>().as('n')).where('entered_by', '=', userId).where('entry_source', '=', 'field').where('deleted_at', 'is', null).executeTakeFirstOrThrow()).n);
      expect(surveyor.fieldEntered).toBe(surveyorBefore.fieldEntered + 1);
      expect(surveyor.fieldEntered).toBe(await fieldRows(ids.surveyor));
      expect(surveyor.fieldEntered).toBe(surveyor.entered); // everything this surveyor entered came from the phone
      expect([clerk.entered, clerk.fieldEntered]).toEqual([2, 1]);
      // Another district sees none of it.
      const tn = (await c.tnAdmin.request('GET', '/api/statistics/work')).json() as WorkStatistics;
      expect(tn.users.map((u) => u.userId)).not.toContain(ids.surveyor);

      const xlsx = await c.xbAdmin.request('GET', `/api/statistics/work.xlsx?orgUnitId=${street}`);
      expect(xlsx.statusCode).toBe(200);
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.load(xlsx.rawPayload as unknown as ArrayBuffer);
      const rows: unknown[][] = [];
      wb.worksheets[0]!.eachRow((row) => rows.push((row.values as unknown[]).slice(1)));
      const col = rows[0]!.indexOf('手机采集');
      expect(col).toBe(rows[0]!.indexOf('录入条数') + 1);
      const rowOf = (name: string) => rows.find((r) => r[0] === name)!;
      expect(rowOf('ph_surveyor')[col]).toBe(surveyor.fieldEntered);
      expect(rowOf('ph_clerk')[col]).toBe(1);

      const version = Number((await env.ctx.db.selectFrom('registration').select('version').where('id', '=', more.registrationId).executeTakeFirstOrThrow()).version);
      expect((await c.xbAdmin.request('DELETE', `/api/registrations/${more.registrationId}?version=${version}`)).statusCode).toBe(200);
      expect(of(await work(), ids.surveyor)!.fieldEntered).toBe(surveyor.fieldEntered - 1);
    });
  });
});
