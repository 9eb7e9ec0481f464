// Registration records: entry, edit, deletion (SPEC §1). Every record is validated by the domain
// rules and keeps its state and reasons; every change is kept in registration_history (who, when,
// old → new) and audited (without the personal data); duplicates are resolved in the same
// transaction; an edit on a stale version is refused with the current record.
import type { Transaction } from 'kysely';
import type { Database, RegistrationRow } from '../db/schema.js';
import type { AppCtx } from '../context.js';
import type { AuthInfo } from '../auth/access.js';
import type { Role } from '../../shared/roles.js';
import type { RegistrationKey } from '../../shared/registration.js';
import { audited, type AuditedResult } from '../audit/audited.js';
import { appendAudit, recordAudit } from '../audit/store.js';
import { conflict, invalidInput, notFound } from '../errors.js';
import { nowIso, todayShanghai } from '../clock.js';
import { validateRegistration } from '../../domain/registration.js';
import { maskIdNumber } from '../../domain/id-number.js';
import { maskRegistrationValue, registrationSecrets, type MaskSecrets } from '../../domain/masking.js';
import { districtOf, getOrgUnit, inScope } from '../orgs/store.js';
import { HOUSEHOLD_KEYS, RECORD_KEYS, fromColumns, toColumns } from './columns.js';
import { chooseCounted, resolveCounted } from './duplicates.js';
import { countedElsewhere, findRegistrationInScope, otherRecordOf, recordsOfIdNumber, toRegistration, type RowWithNames } from './store.js';

/** Roles that see full ID numbers and phones on a record's detail (the view is logged). */
export const FULL_VIEW_ROLES: readonly Role[] = ['city_admin', 'city_assessor', 'district_admin', 'clerk', 'surveyor'];

type Changes = Record<string, [string | null, string | null]>;

async function householdFor(trx: Transaction<Database>, orgUnitId: number, values: Record<RegistrationKey, string | null>, at: string): Promise<number | null> {
  const headId = values.householdHeadIdNumber;
  if (!headId && !values.householdHeadName) return null;
  if (headId) {
    const found = await trx.selectFrom('household').select('id').where('org_unit_id', '=', orgUnitId).where('head_id_number', '=', headId).executeTakeFirst();
    if (found) return Number(found.id);
  }
  const row = await trx
    .insertInto('household')
    .values({ org_unit_id: orgUnitId, head_name: values.householdHeadName, head_id_number: headId, address: values.householdAddress, phone: null, created_at: at })
    .returning('id')
    .executeTakeFirstOrThrow();
  return Number(row.id);
}

async function householdValues(db: AppCtx['db'] | Transaction<Database>, householdId: number | null): Promise<Record<string, string | null>> {
  if (householdId === null) return { householdHeadName: null, householdHeadIdNumber: null, householdAddress: null };
  const h = await db.selectFrom('household').selectAll().where('id', '=', householdId).executeTakeFirst();
  return { householdHeadName: h?.head_name ?? null, householdHeadIdNumber: h?.head_id_number ?? null, householdAddress: h?.address ?? null };
}

/** What the audit log keeps of a record: never the personal data itself. */
function auditView(row: Pick<RegistrationRow, 'id_number' | 'org_unit_id' | 'is_valid'>) {
  return { idNumber: maskIdNumber(row.id_number), orgUnitId: Number(row.org_unit_id), isValid: Number(row.is_valid) === 1 };
}

/** The unit a record is entered in: in the caller's subtree (else it answers like a missing one) and a community. */
export async function checkEntryUnit(trx: Transaction<Database>, auth: AuthInfo, orgUnitId: number) {
  const unit = await getOrgUnit(trx, orgUnitId);
  if (!unit || !inScope(auth.scope, unit.path)) throw notFound('单位不存在');
  if (unit.level !== 'community') throw invalidInput('登记记录须归属到社区/村');
  return unit;
}

/**
 * The entry form's rules for a new record: validated by the domain rules; without an ID number and
 * a name it cannot be saved at all (any other problem is saved, as an invalid record).
 */
export function checkEntry(record: Record<string, string | null | undefined>) {
  const check = validateRegistration(record, { today: todayShanghai() });
  if (!check.values.idNumber || !check.values.name) {
    throw invalidInput('公民身份号码和姓名为必填项，不能保存', { errors: check.errors });
  }
  return check;
}
export type EntryCheck = ReturnType<typeof checkEntry>;

/**
 * Writes a checked new record inside the caller's transaction (the form's and the field upload's
 * one way in): unit, household, history line and the counted record of the person. Returns what
 * the audit entry keeps; the caller appends it in the same transaction.
 */
export async function insertRegistration(trx: Transaction<Database>, auth: AuthInfo, orgUnitId: number, check: EntryCheck, source: string): Promise<AuditedResult<number>> {
  const at = nowIso();
  const unit = await checkEntryUnit(trx, auth, orgUnitId);
  const district = await districtOf(trx, unit);
  const householdId = await householdFor(trx, Number(unit.id), check.values, at);
  const row = await trx
    .insertInto('registration')
    .values({
      ...toColumns(check.values),
      id_type: check.values.idType ?? '01',
      id_number: check.values.idNumber!,
      name: check.values.name!,
      org_unit_id: Number(unit.id),
      org_path: unit.path,
      district_id: district ? Number(district.id) : null,
      household_id: householdId,
      is_valid: check.valid ? 1 : 0,
      errors_json: check.valid ? null : JSON.stringify(check.errors),
      is_counted: 0,
      counted_by_city: 0,
      entered_by: Number(auth.user.id),
      entered_at: at,
      entry_source: source,
      updated_at: at,
      version: 0,
    })
    .returning(['id', 'id_number', 'org_unit_id', 'is_valid'])
    .executeTakeFirstOrThrow();
  const changes: Changes = {};
  for (const k of RECORD_KEYS) if (check.values[k] !== null) changes[k] = [null, check.values[k]];
  await trx
    .insertInto('registration_history')
    .values({ registration_id: Number(row.id), at, user_id: Number(auth.user.id), action: 'create', changes_json: JSON.stringify(changes) })
    .execute();
  await resolveCounted(trx, [row.id_number]);
  return { result: Number(row.id), objectType: 'registration', objectId: Number(row.id), after: auditView(row) };
}

export async function createRegistration(
  ctx: AppCtx,
  auth: AuthInfo,
  input: { orgUnitId: number; record: Record<string, string | null | undefined> },
  source = 'form',
) {
  const check = checkEntry(input.record);
  const id = await audited(ctx, auth.actor, 'registration.create', (trx) => insertRegistration(trx, auth, input.orgUnitId, check, source));
  return getRegistration(ctx, auth, id, { logView: false });
}

/**
 * Applies an edit inside the caller's transaction (the form's and the field upload's one way in):
 * a stale version is refused with the current record (masked), fields not sent keep their value.
 * Returns what the audit entry keeps; the caller appends it in the same transaction.
 */
export async function applyRegistrationUpdate(
  trx: Transaction<Database>,
  auth: AuthInfo,
  id: number,
  input: { record: Record<string, string | null | undefined>; version: number },
): Promise<AuditedResult<{ version: number; orgUnitId: number }>> {
  const before = await findRegistrationInScope(trx, auth.scope, id);
  if (!before) throw notFound('登记记录不存在');
  if (Number(before.version) !== input.version) {
    throw conflict('该记录已被他人修改，请查看最新内容后重新修改', {
      current: toRegistration(before, { mask: true, elsewhere: null }),
    });
  }
  // Fields not sent keep their value: the edit is a patch over the stored record.
  const merged: Record<string, string | null | undefined> = { ...fromColumns(before), ...(await householdValues(trx, before.household_id)), ...input.record };
  const check = validateRegistration(merged, { today: todayShanghai() });
  if (!check.values.idNumber || !check.values.name) throw invalidInput('公民身份号码和姓名为必填项', { errors: check.errors });
  const at = nowIso();
  const old = fromColumns(before);
  const changes: Changes = {};
  for (const k of RECORD_KEYS) if ((old[k] ?? null) !== (check.values[k] ?? null)) changes[k] = [old[k] ?? null, check.values[k] ?? null];
  const oldHousehold = await householdValues(trx, before.household_id);
  for (const k of HOUSEHOLD_KEYS) {
    if (k in input.record && (oldHousehold[k] ?? null) !== (check.values[k] ?? null)) changes[k] = [oldHousehold[k] ?? null, check.values[k] ?? null];
  }
  const householdChanged = [...HOUSEHOLD_KEYS].some((k) => k in changes);
  const householdId = householdChanged ? await householdFor(trx, Number(before.org_unit_id), check.values, at) : before.household_id;
  const res = await trx
    .updateTable('registration')
    .set((eb) => ({
      ...toColumns(check.values),
      id_type: check.values.idType ?? '01',
      id_number: check.values.idNumber!,
      name: check.values.name!,
      household_id: householdId,
      is_valid: check.valid ? 1 : 0,
      errors_json: check.valid ? null : JSON.stringify(check.errors),
      updated_at: at,
      version: eb('version', '+', 1),
    }))
    .where('id', '=', id)
    .where('version', '=', input.version)
    .executeTakeFirst();
  if (Number(res.numUpdatedRows) !== 1) throw conflict('该记录已被他人修改，请查看最新内容后重新修改');
  await trx
    .insertInto('registration_history')
    .values({ registration_id: id, at, user_id: Number(auth.user.id), action: 'update', changes_json: JSON.stringify(changes) })
    .execute();
  await resolveCounted(trx, [before.id_number, check.values.idNumber!]);
  return {
    result: { version: input.version + 1, orgUnitId: Number(before.org_unit_id) },
    objectType: 'registration',
    objectId: id,
    before: auditView(before),
    after: { ...auditView({ id_number: check.values.idNumber!, org_unit_id: before.org_unit_id, is_valid: check.valid ? 1 : 0 }), fields: Object.keys(changes) },
  };
}

export async function updateRegistration(ctx: AppCtx, auth: AuthInfo, id: number, input: { record: Record<string, string | null | undefined>; version: number }) {
  await audited(ctx, auth.actor, 'registration.update', (trx) => applyRegistrationUpdate(trx, auth, id, input));
  return getRegistration(ctx, auth, id, { logView: false });
}

export async function deleteRegistration(ctx: AppCtx, auth: AuthInfo, id: number, version: number): Promise<void> {
  await audited(ctx, auth.actor, 'registration.delete', async (trx) => {
    const before = await findRegistrationInScope(trx, auth.scope, id);
    if (!before) throw notFound('登记记录不存在');
    if (Number(before.version) !== version) throw conflict('该记录已被他人修改，请刷新后再删除');
    const at = nowIso();
    await trx
      .updateTable('registration')
      .set((eb) => ({ deleted_at: at, is_counted: 0, updated_at: at, version: eb('version', '+', 1) }))
      .where('id', '=', id)
      .execute();
    await trx.insertInto('registration_history').values({ registration_id: id, at, user_id: Number(auth.user.id), action: 'delete', changes_json: '{}' }).execute();
    await resolveCounted(trx, [before.id_number]);
    return { result: undefined, objectType: 'registration', objectId: id, before: auditView(before) };
  });
}

/**
 * Deletes selected records that fail validation, all or none (one transaction): the list's bulk
 * action for records still to be fixed. A valid record is refused (it counts for the fee; it is
 * deleted one at a time from its page), as are a stale version and a record outside the caller's
 * scope. Each record gets its history line and its own audit entry, besides the bulk entry.
 */
export async function deleteRegistrations(ctx: AppCtx, auth: AuthInfo, items: ReadonlyArray<{ id: number; version: number }>): Promise<number> {
  const unique = [...new Map(items.map((i) => [i.id, i])).values()];
  const ids = unique.map((i) => i.id);
  return audited(ctx, auth.actor, 'registration.delete.bulk', async (trx) => {
    const at = nowIso();
    const idNumbers: string[] = [];
    for (const { id, version } of unique) {
      const before = await findRegistrationInScope(trx, auth.scope, id);
      if (!before) throw notFound(`登记记录不存在（编号 ${id}），可能已被删除，请刷新后重试`);
      if (Number(before.is_valid) === 1) throw conflict(`所选记录中有校验通过的有效记录（${before.name ?? '未填姓名'}），批量删除只用于无效记录；有效记录请在其详情页逐条删除`);
      if (Number(before.version) !== version) throw conflict(`记录（${before.name ?? '未填姓名'}）已被他人修改，请刷新后再删除`);
      await trx.updateTable('registration').set((eb) => ({ deleted_at: at, is_counted: 0, updated_at: at, version: eb('version', '+', 1) })).where('id', '=', id).execute();
      await trx.insertInto('registration_history').values({ registration_id: id, at, user_id: Number(auth.user.id), action: 'delete', changes_json: '{}' }).execute();
      await appendAudit(trx, ctx.dialect, auth.actor, { event: 'registration.delete', objectType: 'registration', objectId: id, before: auditView(before) });
      idNumbers.push(before.id_number);
    }
    await resolveCounted(trx, idNumbers);
    return { result: ids.length, objectType: 'registration', after: { count: ids.length, ids } };
  });
}

/** What a masked view must not spell: the record's ID numbers and birth date, and every earlier value of them. */
function historySecrets(row: RegistrationRow, household: Record<string, string | null>, history: ReadonlyArray<{ changes_json: string }>): MaskSecrets {
  const now = registrationSecrets({ ...fromColumns(row), ...household });
  const ids = [...now.idNumbers];
  const dates = [...now.birthDates];
  for (const h of history) {
    for (const [k, pair] of Object.entries(JSON.parse(h.changes_json) as Changes)) {
      const past = registrationSecrets({ [k]: pair[0] ?? null });
      const next = registrationSecrets({ [k]: pair[1] ?? null });
      ids.push(...past.idNumbers, ...next.idNumbers);
      dates.push(...past.birthDates, ...next.birthDates);
    }
  }
  return { idNumbers: ids, birthDates: dates };
}

/** A record with its history; full values for roles that need them, and then the view is logged. */
export async function getRegistration(ctx: AppCtx, auth: AuthInfo, id: number, opts: { logView: boolean } = { logView: true }) {
  const row: RowWithNames | undefined = await findRegistrationInScope(ctx.db, auth.scope, id);
  if (!row) throw notFound('登记记录不存在');
  const full = FULL_VIEW_ROLES.includes(auth.role);
  const elsewhere = (await countedElsewhere(ctx.db, [row])).get(row.id_number) ?? null;
  const household = await householdValues(ctx.db, row.household_id);
  const history = await ctx.db
    .selectFrom('registration_history')
    .leftJoin('app_user', 'app_user.id', 'registration_history.user_id')
    .select(['registration_history.id', 'registration_history.at', 'registration_history.user_id', 'registration_history.action', 'registration_history.changes_json', 'app_user.username'])
    .where('registration_id', '=', id)
    .orderBy('registration_history.id')
    .execute();
  const others = await recordsOfIdNumber(ctx.db, row.id_number, id);
  const photo = await ctx.db.selectFrom('field_photo').select('registration_id').where('registration_id', '=', id).executeTakeFirst();
  if (full && opts.logView) {
    await recordAudit(ctx.db, ctx.dialect, auth.actor, { event: 'registration.view', objectType: 'registration', objectId: id });
  }
  const mask = !full;
  // Past values are masked like the current ones; text is scrubbed of this person's numbers and birth dates, past and present.
  const secrets = mask ? historySecrets(row, household, history) : undefined;
  return {
    ...toRegistration(row, { mask, elsewhere, household }),
    otherRecords: others.map((o) => otherRecordOf(o, auth.scope)),
    hasPhoto: photo !== undefined,
    history: history.map((h) => {
      const changes = JSON.parse(h.changes_json) as Changes;
      if (mask) for (const [k, [o, n]] of Object.entries(changes)) changes[k] = [o ? maskRegistrationValue(k, o, secrets) : o, n ? maskRegistrationValue(k, n, secrets) : n];
      return { id: Number(h.id), at: h.at, userId: h.user_id === null ? null : Number(h.user_id), username: h.username ?? null, action: h.action, changes };
    }),
  };
}

/** The city decides which record of a person counts (SPEC §1: "unless the city decides otherwise"). */
export async function chooseCountedRecord(ctx: AppCtx, auth: AuthInfo, id: number, reason: string) {
  await audited(ctx, auth.actor, 'registration.count.choose', async (trx) => {
    const row = await findRegistrationInScope(trx, auth.scope, id);
    if (!row) throw notFound('登记记录不存在');
    if (Number(row.is_valid) !== 1) throw invalidInput('无效记录不能计入有效数据');
    const before = await trx.selectFrom('registration').select(['id', 'is_counted']).where('id_number', '=', row.id_number).where('is_counted', '=', 1).executeTakeFirst();
    await chooseCounted(trx, id);
    const at = nowIso();
    await trx.insertInto('registration_history').values({ registration_id: id, at, user_id: Number(auth.user.id), action: 'count', changes_json: JSON.stringify({ isCounted: [before && Number(before.id) === id ? '是' : '否', '是'] }) }).execute();
    if (before && Number(before.id) !== id) {
      await trx.insertInto('registration_history').values({ registration_id: Number(before.id), at, user_id: Number(auth.user.id), action: 'count', changes_json: JSON.stringify({ isCounted: ['是', '否'] }) }).execute();
    }
    return { result: undefined, objectType: 'registration', objectId: id, before: { countedRecord: before ? Number(before.id) : null }, after: { countedRecord: id, reason } };
  });
  return getRegistration(ctx, auth, id, { logView: false });
}
