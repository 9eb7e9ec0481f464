// Field capture (入户调查, SPEC "Field capture", issue 15). A district admin assigns surveyors to
// communities inside both their own district and the surveyor's unit; a surveyor's task list holds
// only those communities, with their records masked (the phone caches it); an upload applies the
// entry form's own rules (registration/service.ts) to each record in its own transaction, keyed by
// the phone's client-generated id so a resent record is never created twice, and a record changed
// or registered on the server meanwhile comes back as a conflict instead of being overwritten.
import { createHash } from 'node:crypto';
import type { Transaction } from 'kysely';
import type { AppCtx } from '../context.js';
import type { AuthInfo } from '../auth/access.js';
import type { Database } from '../db/schema.js';
import { audited } from '../audit/audited.js';
import { appendAudit, recordAudit } from '../audit/store.js';
import { AppError, forbidden, invalidInput, notFound } from '../errors.js';
import { nowIso } from '../clock.js';
import { isUniqueViolation } from '../db/dialect.js';
import { getOrgUnit, inScope } from '../orgs/store.js';
import { findUserInScope } from '../users/store.js';
import { FULL_VIEW_ROLES, applyRegistrationUpdate, checkEntry, checkEntryUnit, insertRegistration } from '../registration/service.js';
import { storeBytes } from '../assessments/evidence.js';
import { findRegistrationInScope, otherRecordOf, recordsOfIdNumber, toRegistration } from '../registration/store.js';
import { maskRegistrationRecord } from '../../domain/masking.js';
import type { Registration } from '../../shared/api-registration.js';
import { FIELD_PHOTO_TYPES, type FieldPhotoResponse, type FieldPhotoType, type FieldSurveyor, type FieldUploadItem, type FieldUploadOutcome, type FieldUploadResult } from '../../shared/api-field.js';
import { assignedCommunities, communityRecords, findPhoto, findUpload, ownTargets, replaceAssignments, saveUpload, savePhoto, surveyorsUnder } from './store.js';

/** The source recorded on records uploaded from a phone (the form's is 'form', an import's 'import'). */
export const FIELD_SOURCE = 'field';

/** The surveyors of a unit's subtree (the caller's own root without one) with their communities. */
export async function listAssignments(ctx: AppCtx, auth: AuthInfo, orgUnitId: number | undefined): Promise<FieldSurveyor[]> {
  let path = auth.scope.rootPath;
  if (orgUnitId !== undefined) {
    const unit = await getOrgUnit(ctx.db, orgUnitId);
    if (!unit || !inScope(auth.scope, unit.path)) throw notFound('单位不存在');
    path = unit.path;
  }
  const surveyors = await surveyorsUnder(ctx.db, path);
  const assigned = await assignedCommunities(
    ctx.db,
    surveyors.map((s) => Number(s.id)),
  );
  return surveyors.map((s) => ({
    userId: Number(s.id),
    username: s.username,
    displayName: s.display_name,
    orgUnitId: Number(s.org_unit_id),
    orgUnitName: s.org_unit_name,
    disabled: Number(s.disabled) === 1,
    communities: assigned.filter((a) => Number(a.user_id) === Number(s.id)).map((a) => ({ orgUnitId: Number(a.id), code: a.code, name: a.name })),
  }));
}

/**
 * Replaces a surveyor's communities. The surveyor must be in the caller's scope (else 404, like a
 * missing user) and have the surveyor role; each community must be in the caller's scope (else 404)
 * and inside the surveyor's own unit.
 */
export async function setAssignments(ctx: AppCtx, auth: AuthInfo, userId: number, orgUnitIds: readonly number[]): Promise<FieldSurveyor> {
  const unique = [...new Set(orgUnitIds)];
  await audited(ctx, auth.actor, 'field.assignment.set', async (trx) => {
    const user = await findUserInScope(trx, auth.scope, userId);
    if (!user) throw notFound('用户不存在');
    if (user.role !== 'surveyor') throw invalidInput('只能为调查员分配社区/村');
    for (const id of unique) {
      const unit = await getOrgUnit(trx, id);
      if (!unit || !inScope(auth.scope, unit.path)) throw notFound('单位不存在');
      if (unit.level !== 'community') throw invalidInput(`${unit.name}不是社区/村，只能分配社区/村`);
      if (!unit.path.startsWith(user.org_unit_path)) throw invalidInput(`${unit.name}不在该调查员所属单位（${user.org_unit_name}）范围内`);
    }
    const before = (await assignedCommunities(trx, [userId])).map((a) => Number(a.id));
    await replaceAssignments(trx, userId, unique, Number(auth.user.id), nowIso());
    return { result: undefined, objectType: 'user', objectId: userId, before: { orgUnitIds: before }, after: { orgUnitIds: unique.sort((a, b) => a - b) } };
  });
  const mine = (await listAssignments(ctx, auth, undefined)).find((s) => s.userId === userId);
  if (!mine) throw notFound('用户不存在');
  return mine;
}

/** A surveyor's communities still inside their scope (an assignment outlives a move to another unit). */
async function myCommunities(ctx: AppCtx, auth: AuthInfo) {
  return (await assignedCommunities(ctx.db, [Number(auth.user.id)])).filter((c) => inScope(auth.scope, c.path));
}

/** The surveyor's task list: each assigned community with its target, counts and persons (masked). */
export async function fieldTasks(ctx: AppCtx, auth: AuthInfo) {
  const communities = await myCommunities(ctx, auth);
  const ids = communities.map((c) => Number(c.id));
  const targets = await ownTargets(ctx.db, ids);
  const records = await communityRecords(ctx.db, ids);
  return communities.map((c) => {
    const mine = records.filter((r) => Number(r.org_unit_id) === Number(c.id));
    return {
      orgUnitId: Number(c.id),
      code: c.code,
      name: c.name,
      target: targets.get(Number(c.id)) ?? null,
      registered: mine.length,
      valid: mine.filter((r) => Number(r.is_valid) === 1).length,
      counted: mine.filter((r) => Number(r.is_counted) === 1).length,
      persons: mine.map((r) => {
        // The list's masking (SPEC "Personal data"): ID number 6 + 4, text scrubbed of it.
        const m = maskRegistrationRecord({ idNumber: r.id_number, name: r.name, relationToHead: r.relation_to_head, residenceAddress: r.residence_address });
        return {
          id: Number(r.id),
          name: m.name ?? '',
          idNumber: m.idNumber ?? '',
          householdId: r.household_id === null ? null : Number(r.household_id),
          relationToHead: m.relationToHead,
          residenceAddress: m.residenceAddress,
          isValid: Number(r.is_valid) === 1,
          version: Number(r.version),
          updatedAt: r.updated_at,
        };
      }),
    };
  });
}

/** Every live record of an ID number, in any district: where it is and which counts; the first the caller may open, masked. */
async function sameIdNumber(trx: Transaction<Database>, auth: AuthInfo, idNumber: string): Promise<{ server?: Registration; otherRecords: NonNullable<FieldUploadResult['otherRecords']> } | null> {
  const rows = await recordsOfIdNumber(trx, idNumber);
  if (!rows.length) return null;
  const visible = rows.find((r) => inScope(auth.scope, r.org_path));
  const row = visible ? await findRegistrationInScope(trx, auth.scope, Number(visible.id)) : undefined;
  return {
    ...(row ? { server: toRegistration(row, { mask: true, elsewhere: null }) } : {}),
    otherRecords: rows.map((o) => otherRecordOf(o, auth.scope)),
  };
}

/** The outcome of a clientId already written: the same answer again, or a refusal if it is another user's. */
function replayOf(stored: { user_id: number; result_json: string }, auth: AuthInfo, clientId: string): FieldUploadResult {
  if (Number(stored.user_id) !== Number(auth.user.id)) {
    return { clientId, outcome: 'rejected', message: '该客户端记录编号已被其他用户使用，未保存' };
  }
  return { ...(JSON.parse(stored.result_json) as FieldUploadResult), clientId, outcome: 'replayed' };
}

/** One uploaded record, in its own transaction: written with its clientId, or nothing at all. */
async function uploadOne(ctx: AppCtx, auth: AuthInfo, item: FieldUploadItem): Promise<FieldUploadResult> {
  const { clientId } = item;
  try {
    return await ctx.db.transaction().execute(async (trx): Promise<FieldUploadResult> => {
      const seen = await findUpload(trx, clientId);
      if (seen) return replayOf(seen, auth, clientId);
      const at = nowIso();
      if (item.registrationId === undefined) {
        const check = checkEntry(item.record);
        await checkEntryUnit(trx, auth, item.orgUnitId);
        if (!item.confirmDuplicate) {
          const same = await sameIdNumber(trx, auth, check.values.idNumber!);
          if (same) return { clientId, outcome: 'conflict', message: '该公民身份号码已有登记记录，请核对后确认是否仍要登记', ...same };
        }
        const written = await insertRegistration(trx, auth, item.orgUnitId, check, FIELD_SOURCE);
        await appendAudit(trx, ctx.dialect, auth.actor, { event: 'registration.create', objectType: written.objectType, objectId: written.objectId ?? null, after: { ...(written.after as object), source: FIELD_SOURCE, clientId } });
        const result: FieldUploadResult = { clientId, outcome: 'created', registrationId: written.result, version: 0, isValid: check.valid };
        await saveUpload(trx, Number(auth.user.id), result, at);
        return { ...result, ...(check.valid ? {} : { errors: check.errors }) };
      }
      const current = await findRegistrationInScope(trx, auth.scope, item.registrationId);
      if (!current) throw notFound('登记记录不存在');
      if (Number(current.org_unit_id) !== item.orgUnitId) throw invalidInput('记录不属于所填的社区/村，未保存');
      const written = await applyRegistrationUpdate(trx, auth, item.registrationId, { record: item.record, version: item.baseVersion! });
      await appendAudit(trx, ctx.dialect, auth.actor, { event: 'registration.update', objectType: written.objectType, objectId: written.objectId ?? null, before: written.before, after: { ...(written.after as object), source: FIELD_SOURCE, clientId } });
      const after = await trx.selectFrom('registration').select(['is_valid', 'errors_json']).where('id', '=', item.registrationId).executeTakeFirstOrThrow();
      const isValid = Number(after.is_valid) === 1;
      const result: FieldUploadResult = { clientId, outcome: 'updated', registrationId: item.registrationId, version: written.result.version, isValid };
      await saveUpload(trx, Number(auth.user.id), result, at);
      return { ...result, ...(isValid ? {} : { errors: JSON.parse(after.errors_json ?? '[]') as FieldUploadResult['errors'] }) };
    });
  } catch (err) {
    if (err instanceof AppError && err.code === 'CONFLICT') {
      const current = (err.details as { current?: Registration } | undefined)?.current;
      return { clientId, outcome: 'conflict', message: err.message, ...(current ? { server: current } : {}) };
    }
    if (err instanceof AppError && (err.code === 'INVALID_INPUT' || err.code === 'NOT_FOUND')) {
      const errors = (err.details as { errors?: FieldUploadResult['errors'] } | undefined)?.errors;
      return { clientId, outcome: 'rejected', message: err.message, ...(errors ? { errors } : {}) };
    }
    // The same clientId written meanwhile by a concurrent upload: its outcome, as for a resend.
    if (isUniqueViolation(err)) {
      const stored = await findUpload(ctx.db, clientId);
      if (stored) return replayOf(stored, auth, clientId);
    }
    throw err;
  }
}

/** Uploads a phone's outbox: each record on its own (one failing never undoes another), in order. */
export async function uploadRecords(ctx: AppCtx, auth: AuthInfo, items: readonly FieldUploadItem[]): Promise<FieldUploadResult[]> {
  const results: FieldUploadResult[] = [];
  for (const item of items) results.push(await uploadOne(ctx, auth, item));
  const tally: Partial<Record<FieldUploadOutcome, number>> = {};
  for (const r of results) tally[r.outcome] = (tally[r.outcome] ?? 0) + 1;
  // The batch as the audit log keeps it: how many of each outcome, and which ids were not written.
  await recordAudit(ctx.db, ctx.dialect, auth.actor, {
    event: 'field.upload',
    objectType: 'field_upload',
    after: { items: items.length, ...tally, notWritten: results.filter((r) => r.outcome === 'conflict' || r.outcome === 'rejected').map((r) => r.clientId) },
  });
  return results;
}

// ---------- the photo of the signed paper form ----------

const PHOTO_TYPE_NAMES: Record<FieldPhotoType, string> = { 'image/jpeg': 'JPEG', 'image/png': 'PNG', 'image/webp': 'WebP' };

/** The image type of a photo by its first bytes (never by what the sender declares); null for anything else. */
export function sniffPhoto(bytes: Buffer): FieldPhotoType | null {
  const at = (offset: number, ...b: number[]) => bytes.length >= offset + b.length && b.every((x, i) => bytes[offset + i] === x);
  if (at(0, 0xff, 0xd8, 0xff)) return 'image/jpeg';
  if (at(0, 0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a)) return 'image/png';
  if (at(0, 0x52, 0x49, 0x46, 0x46) && at(8, 0x57, 0x45, 0x42, 0x50)) return 'image/webp'; // RIFF….WEBP
  return null;
}

/** The declared Content-Type of a photo, without parameters; refused (415) unless one of FIELD_PHOTO_TYPES. */
function declaredPhotoType(contentType: string | undefined): FieldPhotoType {
  const declared = (contentType ?? '').split(';')[0]!.trim().toLowerCase();
  if (!(FIELD_PHOTO_TYPES as readonly string[]).includes(declared)) {
    throw new AppError(415, 'INVALID_INPUT', '照片应为 JPEG、PNG 或 WebP 图片，请以 Content-Type: image/jpeg、image/png 或 image/webp 发送');
  }
  return declared as FieldPhotoType;
}

const NOT_UPLOADED = '记录尚未上传，请先上传记录';

/**
 * Attaches the photo of the paper form to the record a clientId wrote. Only the user who uploaded
 * that clientId may (anyone else, and a clientId never written — conflicts and rejections are not
 * remembered — gets the same 404), and only while the record is live and in their scope. The
 * bytes must be a JPEG, PNG or WebP image of the declared type (checked by content). Sending the
 * same photo again changes nothing; another one replaces it. Each call is audited (field.photo).
 */
export async function putFieldPhoto(ctx: AppCtx, auth: AuthInfo, clientId: string, contentType: string | undefined, body: unknown): Promise<FieldPhotoResponse> {
  const attempt = () =>
    audited(ctx, auth.actor, 'field.photo', async (trx) => {
      const upload = await findUpload(trx, clientId);
      if (!upload || Number(upload.user_id) !== Number(auth.user.id) || upload.registration_id === null) throw notFound(NOT_UPLOADED);
      const registrationId = Number(upload.registration_id);
      if (!(await findRegistrationInScope(trx, auth.scope, registrationId))) throw notFound('登记记录不存在');
      const declared = declaredPhotoType(contentType);
      if (!Buffer.isBuffer(body) || body.length === 0) throw invalidInput('没有收到照片，请重新拍摄后上传');
      const actual = sniffPhoto(body);
      if (actual === null) throw invalidInput(`照片内容不是 JPEG、PNG 或 WebP 图片（声明为 ${PHOTO_TYPE_NAMES[declared]}），请重新拍摄后上传`);
      if (actual !== declared) throw invalidInput(`照片内容是 ${PHOTO_TYPE_NAMES[actual]} 图片，与声明的类型 ${PHOTO_TYPE_NAMES[declared]} 不符`);
      const sha256 = createHash('sha256').update(body).digest('hex');
      const before = await findPhoto(trx, registrationId);
      const was = before ? { sha256: before.sha256, size: Number(before.size_bytes), clientId: before.client_id } : null;
      if (before && before.sha256 === sha256) {
        // The same photo again (a phone resending after a lost answer): nothing changes.
        const photo = { size: Number(before.size_bytes), sha256, uploadedAt: before.uploaded_at };
        return { result: { registrationId, photo }, objectType: 'registration', objectId: registrationId, before: was, after: { ...was, unchanged: true } };
      }
      // The file first (content-addressed: a rolled-back row leaves at most an unreferenced copy).
      await storeBytes(ctx.config.dataDir, body);
      const at = nowIso();
      await savePhoto(trx, { registrationId, clientId, mime: actual, sizeBytes: body.length, sha256, by: Number(auth.user.id), at }, before !== undefined);
      return { result: { registrationId, photo: { size: body.length, sha256, uploadedAt: at } }, objectType: 'registration', objectId: registrationId, before: was, after: { sha256, size: body.length, clientId } };
    });
  try {
    return await attempt();
  } catch (err) {
    // The same record's first photo written meanwhile by a concurrent request: once more, as a resend or a replacement.
    if (isUniqueViolation(err)) return attempt();
    throw err;
  }
}

/**
 * The photo of a record's paper form for reading. It shows the person's full ID number, so only
 * roles that open records unmasked may see it (403 otherwise); another district's record answers
 * like a missing one (404). Every view is logged like an unmasked view of the record.
 */
export async function readFieldPhoto(ctx: AppCtx, auth: AuthInfo, registrationId: number): Promise<{ sha256: string; mime: string; sizeBytes: number }> {
  if (!(await findRegistrationInScope(ctx.db, auth.scope, registrationId))) throw notFound('登记记录不存在');
  if (!FULL_VIEW_ROLES.includes(auth.role)) throw forbidden('纸质登记表照片上有完整的公民身份号码，您的角色只能查看脱敏信息，不能查看照片');
  const photo = await findPhoto(ctx.db, registrationId);
  if (!photo) throw notFound('该记录没有纸质登记表照片');
  await recordAudit(ctx.db, ctx.dialect, auth.actor, { event: 'registration.photo.view', objectType: 'registration', objectId: registrationId });
  return { sha256: photo.sha256, mime: photo.mime, sizeBytes: Number(photo.size_bytes) };
}
