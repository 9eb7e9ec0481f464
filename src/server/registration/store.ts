// Queries and the API shape of registration records. Masking happens here, on the server
// (SPEC: ID numbers 6 + 4, phones 3 + 4, birth date year only, unless the role needs the full value).
import type { AnyDb } from '../db/dialect.js';
import { escapeLike } from '../db/dialect.js';
import type { RegistrationRow } from '../db/schema.js';
import type { OtherRecord, Registration } from '../../shared/api-registration.js';
import { maskRegistrationErrors, maskRegistrationRecord, registrationSecrets } from '../../domain/masking.js';
import { inScope, type Scope } from '../orgs/store.js';
import { fromColumns } from './columns.js';
import { sql } from 'kysely';
import type { InsuranceTypeCode } from '../../shared/codes/index.js';
import type { RegistrationSort } from '../../shared/api-registration.js';

export type RowWithNames = RegistrationRow & { org_unit_name: string };

/** Undeleted records with their unit's name, within a unit's subtree (null: everywhere). */
export function liveRegistrations(db: AnyDb, unitPath: string | null) {
  const q = db
    .selectFrom('registration')
    .innerJoin('org_unit', 'org_unit.id', 'registration.org_unit_id')
    .selectAll('registration')
    .select('org_unit.name as org_unit_name')
    .where('registration.deleted_at', 'is', null);
  return unitPath === null || unitPath === '/' ? q : q.where(sql<boolean>`registration.org_path like ${escapeLike(unitPath) + '%'} escape '\\'`);
}

export async function findRegistrationInScope(db: AnyDb, scope: Scope, id: number): Promise<RowWithNames | undefined> {
  return liveRegistrations(db, scope.isCity ? null : scope.rootPath).where('registration.id', '=', id).executeTakeFirst();
}

/**
 * Every live record of an ID number, in any district (but `except`), oldest first: what the
 * detail's and a field upload's "other records of the same person" are made of (otherRecordOf).
 */
export async function recordsOfIdNumber(db: AnyDb, idNumber: string, except?: number) {
  let q = db
    .selectFrom('registration')
    .innerJoin('org_unit as u', 'u.id', 'registration.org_unit_id')
    .leftJoin('org_unit as d', 'd.id', 'registration.district_id')
    .select(['registration.id', 'registration.is_valid', 'registration.is_counted', 'registration.entered_at', 'registration.org_path', 'u.name as unit_name', 'd.name as district_name'])
    .where('registration.id_number', '=', idNumber)
    .where('registration.deleted_at', 'is', null);
  if (except !== undefined) q = q.where('registration.id', '!=', except);
  return q.orderBy('registration.entered_at').orderBy('registration.id').execute();
}

/** One record of the same person as the API shows it to this caller: where it is and which counts, never what. */
export function otherRecordOf(row: Awaited<ReturnType<typeof recordsOfIdNumber>>[number], scope: Scope): OtherRecord {
  return {
    registrationId: Number(row.id),
    orgUnitName: row.unit_name,
    districtName: row.district_name,
    isValid: Number(row.is_valid) === 1,
    isCounted: Number(row.is_counted) === 1,
    enteredAt: row.entered_at,
    inScope: inScope(scope, row.org_path),
  };
}

export type CountedElsewhere = Registration['countedElsewhere'];

/** For valid records not counted: where the same person is counted. One query for a page. */
export async function countedElsewhere(db: AnyDb, rows: readonly RegistrationRow[]): Promise<Map<string, CountedElsewhere>> {
  const ids = [...new Set(rows.filter((r) => Number(r.is_valid) === 1 && Number(r.is_counted) === 0).map((r) => r.id_number))];
  const out = new Map<string, CountedElsewhere>();
  if (!ids.length) return out;
  const counted = await db
    .selectFrom('registration')
    .innerJoin('org_unit as u', 'u.id', 'registration.org_unit_id')
    .leftJoin('org_unit as d', 'd.id', 'registration.district_id')
    .select(['registration.id', 'registration.id_number', 'registration.entered_at', 'u.name as unit_name', 'd.name as district_name'])
    .where('registration.id_number', 'in', ids)
    .where('registration.is_counted', '=', 1)
    .execute();
  for (const c of counted) {
    out.set(c.id_number, { registrationId: Number(c.id), orgUnitName: c.unit_name, districtName: c.district_name, enteredAt: c.entered_at });
  }
  return out;
}

export function toRegistration(row: RowWithNames, opts: { mask: boolean; elsewhere: CountedElsewhere; household?: Record<string, string | null> }): Registration {
  const full: Record<string, string | null> = { ...fromColumns(row), ...(opts.household ?? {}) };
  // Masked: ID numbers 6 + 4, phones 3 + 4, the birth date as its year, messages scrubbed (domain/masking.ts).
  const record = opts.mask ? maskRegistrationRecord(full) : full;
  const errors = row.errors_json ? (JSON.parse(row.errors_json) as Registration['errors']) : [];
  return {
    id: Number(row.id),
    orgUnitId: Number(row.org_unit_id),
    orgUnitName: row.org_unit_name,
    districtId: row.district_id === null ? null : Number(row.district_id),
    householdId: row.household_id === null ? null : Number(row.household_id),
    record,
    isValid: Number(row.is_valid) === 1,
    errors: opts.mask ? maskRegistrationErrors(errors, registrationSecrets(full)) : errors,
    isCounted: Number(row.is_counted) === 1,
    countedElsewhere: opts.elsewhere,
    countedByCity: Number(row.counted_by_city) === 1,
    enteredBy: Number(row.entered_by),
    enteredAt: row.entered_at,
    entrySource: row.entry_source,
    updatedAt: row.updated_at,
    version: Number(row.version),
    masked: opts.mask,
  };
}

/** What the list and the export filter on (the API's RegistrationFilterQuery, resolved). */
export type RegistrationFilter = {
  unitPath: string;
  /** Set when the unit is a district: its records are listed through the (district_id, id) index. */
  districtId?: number | undefined;
  valid?: boolean | undefined;
  duplicate?: boolean | undefined;
  idNumber?: string | undefined;
  /** Prefix: 张 finds 张三, 张三丰. */
  name?: string | undefined;
  insurance?: { type: InsuranceTypeCode; status: string } | undefined;
  personCategory?: string | undefined;
  /** ISO UTC bounds of entered_at: from inclusive, to exclusive. */
  enteredFrom?: string | undefined;
  enteredBefore?: string | undefined;
  surveyor?: string | undefined;
  /** Coded fields: a code, or null for "not filled in". */
  coded?: Partial<Record<'sex' | 'hukou_type' | 'uninsured_reason' | 'willingness' | 'person_category', string | null>> | undefined;
  birthYearFrom?: number | undefined;
  birthYearTo?: number | undefined;
  birthUnknown?: boolean | undefined;
  errorField?: string | undefined;
  /** true: insured (正常参保) in at least one of the eight types; false: in none. */
  insured?: boolean | undefined;
  /** Selected records only. */
  ids?: readonly number[] | undefined;
};

type LiveQuery = ReturnType<typeof liveRegistrations>;
const INSURANCE_CODES = ['110', '120', '170', '210', '310', '390', '410', '510'] as const;

/** Applies every filter but the unit (liveRegistrations takes it). */
export function applyFilter(q: LiveQuery, f: RegistrationFilter): LiveQuery {
  if (f.valid !== undefined) q = q.where('registration.is_valid', '=', f.valid ? 1 : 0);
  if (f.duplicate === true) q = q.where('registration.is_valid', '=', 1).where('registration.is_counted', '=', 0);
  if (f.duplicate === false) q = q.where('registration.is_counted', '=', 1);
  if (f.idNumber) q = q.where('registration.id_number', '=', f.idNumber);
  if (f.name) q = q.where(sql<boolean>`registration.name like ${escapeLike(f.name) + '%'} escape '\\'`);
  if (f.insurance) q = f.insurance.status === 'none' ? q.where(sql.ref(`registration.ins_${f.insurance.type}_status`), 'is', null) : q.where(sql.ref(`registration.ins_${f.insurance.type}_status`), '=', f.insurance.status);
  if (f.personCategory) q = f.personCategory === 'none' ? q.where('registration.person_category', 'is', null) : q.where('registration.person_category', '=', f.personCategory);
  for (const [column, value] of Object.entries(f.coded ?? {})) {
    const ref = sql.ref(`registration.${column}`);
    q = value === null ? q.where(ref, 'is', null) : q.where(ref, '=', value);
  }
  if (f.insured !== undefined) {
    const any = sql.join(INSURANCE_CODES.map((t) => sql`coalesce(${sql.ref(`registration.ins_${t}_status`)}, '') = '1'`), sql` or `);
    q = f.insured ? q.where(sql<boolean>`(${any})`) : q.where(sql<boolean>`not (${any})`);
  }
  if (f.birthYearFrom !== undefined) q = q.where('registration.birth_date', '>=', `${f.birthYearFrom}-01-01`);
  if (f.birthYearTo !== undefined) q = q.where('registration.birth_date', '<=', `${f.birthYearTo}-12-31`);
  if (f.birthUnknown) q = q.where('registration.birth_date', 'is', null);
  if (f.errorField) q = q.where('registration.is_valid', '=', 0).where(sql<boolean>`registration.errors_json like ${'%"field":"' + escapeLike(f.errorField) + '"%'} escape '\\'`);
  if (f.enteredFrom) q = q.where('registration.entered_at', '>=', f.enteredFrom);
  if (f.enteredBefore) q = q.where('registration.entered_at', '<', f.enteredBefore);
  if (f.surveyor) q = q.where(sql<boolean>`registration.surveyor_name like ${escapeLike(f.surveyor) + '%'} escape '\\'`);
  if (f.ids) q = q.where('registration.id', 'in', f.ids.length ? f.ids : [0]);
  return q;
}

/**
 * Above this many communities a street's records are listed with one range scan instead of one
 * branch per community.
 */
const MAX_BRANCHES = 100;

/**
 * The SELECT of a keyset page, newest first, within a unit's subtree, shaped so that the first
 * page costs the same whatever other units hold: the city reads the table backwards; a district
 * reads its (district_id, id) index range backwards; a street or community reads each community's
 * (org_path, id) range backwards (records belong to communities) and merges them. A plain scan
 * filtered by path would read past every newer record of other districts first.
 */
export async function listQuery(db: AnyDb, f: ListPageQuery) {
  const offset = f.offset ?? 0;
  if (f.sort && f.sort !== '-enteredAt' && f.sort !== 'enteredAt') return sortedQuery(db, f, offset);
  const direction = f.sort === 'enteredAt' ? 'asc' : 'desc';
  const page = (q: LiveQuery, skip: number, take: number) => {
    const keyed = f.before ? q.where('registration.id', '<', f.before) : q;
    const ordered = keyed.orderBy('registration.id', direction).limit(take);
    return skip > 0 ? ordered.offset(skip) : ordered;
  };
  if (f.districtId !== undefined) return page(applyFilter(liveRegistrations(db, null), f).where('registration.district_id', '=', f.districtId), offset, f.limit + 1);
  if (f.unitPath !== '/' && f.unitPath !== '') {
    const communities = await db
      .selectFrom('org_unit')
      .select('path')
      .where('level', '=', 'community')
      .where(sql<boolean>`path like ${escapeLike(f.unitPath) + '%'} escape '\\'`)
      .orderBy('path')
      .execute();
    if (communities.length > 0 && communities.length <= MAX_BRANCHES) {
      // The branches merge ids only; the page's rows are read once, by id, at the end (merging
      // whole rows read and sorted ~60 columns × (limit + 1) × communities: 45 ms for a street of 25).
      // A page far down needs each branch's first offset + limit + 1 ids.
      const branch = (path: string, i: number) =>
        db.selectFrom(page(applyFilter(liveRegistrationsAt(db, path), f), 0, offset + f.limit + 1).clearSelect().select('registration.id').as(`b${i}`)).select(`b${i}.id`);
      let union = branch(communities[0]!.path, 0);
      for (let i = 1; i < communities.length; i++) union = union.unionAll(branch(communities[i]!.path, i));
      const merged = db.selectFrom(union.as('u')).select('u.id').orderBy('u.id', direction).limit(f.limit + 1);
      const ids = offset > 0 ? merged.offset(offset) : merged;
      return liveRegistrations(db, null).where('registration.id', 'in', ids).orderBy('registration.id', direction);
    }
  }
  return page(applyFilter(liveRegistrations(db, f.unitPath), f), offset, f.limit + 1);
}

export type ListPageQuery = RegistrationFilter & { before?: number | undefined; limit: number; offset?: number | undefined; sort?: RegistrationSort | undefined };

/**
 * Ordered by name or by community: the unit's matching records sorted (no index serves these
 * orders, so the cost grows with the unit's records — a district's list sorted by name reads the
 * district), ties newest first. Records without a name come last on both engines.
 */
function sortedQuery(db: AnyDb, f: ListPageQuery, offset: number) {
  const q = applyFilter(f.districtId !== undefined ? liveRegistrations(db, null).where('registration.district_id', '=', f.districtId) : liveRegistrations(db, f.unitPath), f);
  const desc = f.sort?.startsWith('-') ?? false;
  const ordered =
    f.sort === 'name' || f.sort === '-name'
      ? q.orderBy(sql`case when registration.name is null then 1 else 0 end`).orderBy('registration.name', desc ? 'desc' : 'asc')
      : q.orderBy('registration.org_path', desc ? 'desc' : 'asc');
  const page = ordered.orderBy('registration.id', 'desc').limit(f.limit + 1);
  return offset > 0 ? page.offset(offset) : page;
}

/** Undeleted records of one community (exact path), with the unit's name. */
function liveRegistrationsAt(db: AnyDb, communityPath: string) {
  return db
    .selectFrom('registration')
    .innerJoin('org_unit', 'org_unit.id', 'registration.org_unit_id')
    .selectAll('registration')
    .select('org_unit.name as org_unit_name')
    .where('registration.deleted_at', 'is', null)
    .where('registration.org_path', '=', communityPath);
}

/** Keyset page, newest first, within a unit's subtree. */
export async function listRegistrations(db: AnyDb, f: ListPageQuery): Promise<{ rows: RowWithNames[]; nextCursor: number | null }> {
  const rows = (await (await listQuery(db, f)).execute()) as RowWithNames[];
  const more = rows.length > f.limit;
  const page = rows.slice(0, f.limit);
  // The keyset cursor only means "older than" in the default order.
  const keyset = !f.sort || f.sort === '-enteredAt';
  return { rows: page, nextCursor: more && keyset ? Number(page[page.length - 1]!.id) : null };
}
