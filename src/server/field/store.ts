// Queries of field capture: surveyors' assignments to communities, the records of a community as
// a phone caches them, and the outcomes of uploads by their client-generated id.
import type { AnyDb } from '../db/dialect.js';
import { pathPrefixFilter } from '../orgs/store.js';
import type { FieldUploadResult } from '../../shared/api-field.js';

/** Surveyors whose own unit lies in the subtree at `unitPath`, with their unit's name. */
export async function surveyorsUnder(db: AnyDb, unitPath: string) {
  return db
    .selectFrom('app_user')
    .innerJoin('org_unit', 'org_unit.id', 'app_user.org_unit_id')
    .select(['app_user.id', 'app_user.username', 'app_user.display_name', 'app_user.org_unit_id', 'app_user.disabled', 'org_unit.name as org_unit_name', 'org_unit.path as org_unit_path'])
    .where('app_user.role', '=', 'surveyor')
    .where(pathPrefixFilter(unitPath))
    .orderBy('org_unit.code')
    .orderBy('app_user.username')
    .execute();
}

/** The communities assigned to each of `userIds`, in code order. */
export async function assignedCommunities(db: AnyDb, userIds: readonly number[]) {
  if (!userIds.length) return [];
  return db
    .selectFrom('surveyor_assignment as a')
    .innerJoin('org_unit as u', 'u.id', 'a.org_unit_id')
    .select(['a.user_id', 'u.id', 'u.code', 'u.name', 'u.path'])
    .where('a.user_id', 'in', [...userIds])
    .orderBy('u.code')
    .execute();
}

export async function replaceAssignments(db: AnyDb, userId: number, orgUnitIds: readonly number[], by: number, at: string): Promise<void> {
  await db.deleteFrom('surveyor_assignment').where('user_id', '=', userId).execute();
  if (orgUnitIds.length) {
    await db
      .insertInto('surveyor_assignment')
      .values(orgUnitIds.map((id) => ({ user_id: userId, org_unit_id: id, assigned_by: by, assigned_at: at })))
      .execute();
  }
}

/** The live records of the given communities, for the phone's cache (the caller masks them). */
export async function communityRecords(db: AnyDb, orgUnitIds: readonly number[]) {
  if (!orgUnitIds.length) return [];
  return db
    .selectFrom('registration')
    .select(['id', 'org_unit_id', 'name', 'id_number', 'household_id', 'relation_to_head', 'residence_address', 'is_valid', 'is_counted', 'version', 'updated_at'])
    .where('org_unit_id', 'in', [...orgUnitIds])
    .where('deleted_at', 'is', null)
    .orderBy('household_id')
    .orderBy('id')
    .execute();
}

/** The targets (登记目标人数) set on exactly these units. */
export async function ownTargets(db: AnyDb, orgUnitIds: readonly number[]): Promise<Map<number, number>> {
  if (!orgUnitIds.length) return new Map();
  const rows = await db.selectFrom('population_target').select(['org_unit_id', 'target']).where('org_unit_id', 'in', [...orgUnitIds]).execute();
  return new Map(rows.map((r) => [Number(r.org_unit_id), Number(r.target)]));
}

export async function findUpload(db: AnyDb, clientId: string) {
  return db.selectFrom('field_upload').selectAll().where('client_id', '=', clientId).executeTakeFirst();
}

export async function saveUpload(db: AnyDb, userId: number, result: FieldUploadResult, at: string): Promise<void> {
  await db
    .insertInto('field_upload')
    .values({ client_id: result.clientId, user_id: userId, registration_id: result.registrationId ?? null, outcome: result.outcome, result_json: JSON.stringify(result), created_at: at })
    .execute();
}

/** The photo of a record's paper form (one per record), or undefined. */
export async function findPhoto(db: AnyDb, registrationId: number) {
  return db.selectFrom('field_photo').selectAll().where('registration_id', '=', registrationId).executeTakeFirst();
}

export type PhotoValues = { registrationId: number; clientId: string; mime: string; sizeBytes: number; sha256: string; by: number; at: string };

/** Keeps a record's photo: the first one, or in place of the one it had. */
export async function savePhoto(db: AnyDb, p: PhotoValues, replace: boolean): Promise<void> {
  const values = { client_id: p.clientId, mime: p.mime, size_bytes: p.sizeBytes, sha256: p.sha256, uploaded_by: p.by, uploaded_at: p.at };
  if (replace) await db.updateTable('field_photo').set(values).where('registration_id', '=', p.registrationId).execute();
  else await db.insertInto('field_photo').values({ registration_id: p.registrationId, ...values }).execute();
}
