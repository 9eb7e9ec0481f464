// Org units: a tree with a materialised path of ids ("/1/3/17/"), so a subtree is one prefix match.
import type { OrgUnitRow } from '../db/schema.js';
import type { AnyDb } from '../db/dialect.js';
import { escapeLike } from '../db/dialect.js';
import { sql } from 'kysely';
import type { OrgUnit } from '../../shared/api.js';
import type { OrgLevel } from '../../shared/roles.js';

export type Scope = {
  /** Path prefix of everything the user may see; '/' for the city. */
  rootPath: string;
  isCity: boolean;
};

export const CITY_SCOPE: Scope = { rootPath: '/', isCity: true };

export function inScope(scope: Scope, path: string): boolean {
  return path.startsWith(scope.rootPath);
}

export function toOrgUnit(r: OrgUnitRow): OrgUnit {
  return { id: Number(r.id), code: r.code, name: r.name, level: r.level as OrgLevel, parentId: r.parent_id === null ? null : Number(r.parent_id) };
}

export function pathPrefixFilter(path: string, column = 'org_unit.path') {
  return sql<boolean>`${sql.ref(column)} like ${escapeLike(path) + '%'} escape '\\'`;
}

export async function listOrgUnits(db: AnyDb, scope: Scope): Promise<OrgUnitRow[]> {
  let q = db.selectFrom('org_unit').selectAll();
  if (!scope.isCity) q = q.where(pathPrefixFilter(scope.rootPath));
  return q.orderBy('code').execute();
}

export async function getOrgUnit(db: AnyDb, id: number): Promise<OrgUnitRow | undefined> {
  return db.selectFrom('org_unit').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function getOrgUnitByCode(db: AnyDb, code: string): Promise<OrgUnitRow | undefined> {
  return db.selectFrom('org_unit').selectAll().where('code', '=', code).executeTakeFirst();
}

/** Inserts a unit under its parent and sets its path; returns the stored row. */
export async function insertOrgUnit(
  db: AnyDb,
  input: { code: string; name: string; level: OrgLevel; parent: OrgUnitRow | null; createdAt: string },
): Promise<OrgUnitRow> {
  const inserted = await db
    .insertInto('org_unit')
    .values({
      code: input.code,
      name: input.name,
      level: input.level,
      parent_id: input.parent ? input.parent.id : null,
      path: 'pending',
      created_at: input.createdAt,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const id = Number(inserted.id);
  const path = `${input.parent ? input.parent.path : '/'}${id}/`;
  await db.updateTable('org_unit').set({ path }).where('id', '=', id).execute();
  return (await getOrgUnit(db, id))!;
}

/** The district a unit belongs to (itself when it is one); null for city-level units. */
export async function districtOf(db: AnyDb, unit: OrgUnitRow): Promise<OrgUnitRow | null> {
  if (unit.level === 'district') return unit;
  const ids = unit.path.split('/').filter(Boolean).map(Number);
  if (ids.length === 0) return null;
  const found = await db.selectFrom('org_unit').selectAll().where('id', 'in', ids).where('level', '=', 'district').executeTakeFirst();
  return found ?? null;
}
