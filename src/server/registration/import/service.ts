// Bulk import of registration records from .xlsx / .csv (SPEC §1, issue 3 item 6).
// - The header row is found below any title rows; header names may vary (aliases in the field list).
// - Every row is validated by the same rules as the form; every rejected row comes back with its
//   row number, column and reason.
// - Mode 'all' (all-or-nothing): any rejected row → nothing is written. Mode 'valid': the valid rows
//   are written, the others reported.
// - All writes of one file happen in one transaction: a crash or a kill leaves the database as it
//   was before the file. Re-importing a file adds no duplicates: a row whose person is already
//   recorded in the same community is compared, and left unchanged or updated (with history).
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import type { Transaction } from 'kysely';
import type { AppCtx } from '../../context.js';
import type { AnyDb } from '../../db/dialect.js';
import type { AuthInfo } from '../../auth/access.js';
import type { Database, OrgUnitRow, RegistrationRow } from '../../db/schema.js';
import type { RegistrationKey } from '../../../shared/registration.js';
import { fieldDef } from '../../../shared/registration.js';
import { validateRegistration } from '../../../domain/registration.js';
import { findHeaderRow, mapHeader, normaliseHeader } from '../../../domain/import-headers.js';
import { appendAudit, recordAudit } from '../../audit/store.js';
import { invalidInput, notFound } from '../../errors.js';
import { nowIso, todayShanghai } from '../../clock.js';
import { districtOf, getOrgUnit, inScope, pathPrefixFilter } from '../../orgs/store.js';
import { RECORD_KEYS, fromColumns, toColumns } from '../columns.js';
import { resolveCounted } from '../duplicates.js';
import { readRows, DEFAULT_LIMITS, type ReadLimits } from './reader.js';
import { insertRegistrations } from './bulk.js';
import type SQLite from 'better-sqlite3';

export type { ImportMode, ImportReject, ImportReport } from '../../../shared/api-registration.js';
import type { ImportMode, ImportReject, ImportReport } from '../../../shared/api-registration.js';

/** Header names of the column that says which community a row belongs to (when importing above one). */
const COMMUNITY_HEADERS = new Set(['社区', '社区/村', '社区(村)', '村(社区)', '村/社区', '所属社区', '社区名称', '社区代码', '社区村', '村居', '区划代码', '调查社区'].map(normaliseHeader));
const MAX_STORED_REJECTS = 20_000;
const CHUNK = 200;

type Pending = { row: number; unit: OrgUnitRow; values: Record<RegistrationKey, string | null> };

async function sha256File(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of fs.createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/** Communities under the import's unit, found by 12-digit code or by name. */
async function communityIndex(db: AnyDb, unit: OrgUnitRow) {
  const rows = await db.selectFrom('org_unit').selectAll().where(pathPrefixFilter(unit.path)).where('level', '=', 'community').execute();
  const byCode = new Map(rows.map((r) => [r.code, r]));
  const byName = new Map<string, OrgUnitRow | null>();
  for (const r of rows) byName.set(r.name, byName.has(r.name) ? null : r); // null: ambiguous name
  return { byCode, byName };
}

function sameRecord(row: RegistrationRow, values: Record<RegistrationKey, string | null>): boolean {
  const stored = fromColumns(row);
  return RECORD_KEYS.every((k) => (stored[k] ?? null) === (values[k] ?? null));
}

type Scan = { total: number; rejects: ImportReject[] };

/**
 * Reads the file once: finds the header, validates every row and hands each valid row to
 * `onValid` (which may write it). Memory stays bounded: only the ID numbers seen and the rejects
 * are kept.
 */
async function scanFile(
  db: AnyDb,
  unit: OrgUnitRow,
  input: { path: string; limits?: ReadLimits | undefined; onProgress?: ((rows: number) => void) | undefined },
  onValid: ((p: Pending) => Promise<void>) | null,
): Promise<Scan> {
  const today = todayShanghai();
  const rejects: ImportReject[] = [];
  const seenIds = new Map<string, number>();
  let header: ReturnType<typeof mapHeader> | null = null;
  let communityCol = -1;
  const early: string[][] = [];
  let communities: Awaited<ReturnType<typeof communityIndex>> | null = null;
  let total = 0;
  let rowNo = 0;

  const columnOfField = (field: string): string | null => header?.columns.find((x) => x.field === field)?.header ?? null;

  const handleRow = async (cells: string[], fileRow: number) => {
    if (!header || cells.every((c) => c.trim() === '')) return;
    total++;
    const record: Record<string, string> = {};
    for (const col of header.columns) if (col.field) record[col.field] = cells[col.index] ?? '';
    let target: OrgUnitRow | undefined = unit.level === 'community' ? unit : undefined;
    if (!target) {
      const raw = (cells[communityCol] ?? '').trim();
      communities ??= await communityIndex(db, unit);
      target = raw ? (communities.byCode.get(raw) ?? communities.byName.get(raw) ?? undefined) : undefined;
      if (!target) {
        const msg = raw ? `社区“${raw}”不在${unit.name}范围内或名称不唯一，请填写 12 位社区代码` : '缺少所属社区';
        rejects.push({ row: fileRow, column: header.columns[communityCol]?.header ?? null, field: null, message: msg });
        return;
      }
    }
    const check = validateRegistration(record, { today });
    const idNumber = check.values.idNumber;
    if (!check.errors.some((e) => e.field === 'idNumber') && idNumber) {
      const first = seenIds.get(idNumber);
      if (first !== undefined) {
        rejects.push({ row: fileRow, column: columnOfField('idNumber'), field: 'idNumber', message: `公民身份号码与第 ${first} 行重复` });
        return;
      }
      seenIds.set(idNumber, fileRow);
    }
    if (check.errors.length) {
      for (const e of check.errors) rejects.push({ row: fileRow, column: columnOfField(e.field), field: e.field, message: e.message });
      return;
    }
    if (onValid) await onValid({ row: fileRow, unit: target, values: check.values });
  };

  const takeHeader = async () => {
    const headerIndex = findHeaderRow(early);
    if (headerIndex < 0) throw invalidInput('未找到表头：前 10 行中应有一行包含“公民身份号码”（或“身份证号”）、“姓名”等列名');
    header = mapHeader(early[headerIndex]!);
    if (header.missingRequired.length) {
      throw invalidInput(`缺少必填列：${header.missingRequired.map((k) => fieldDef(k).label).join('、')}`, { missing: header.missingRequired });
    }
    communityCol = (early[headerIndex] ?? []).findIndex((h) => COMMUNITY_HEADERS.has(normaliseHeader(h ?? '')));
    if (unit.level !== 'community' && communityCol < 0) throw invalidInput(`导入到${unit.name}时，文件须有“社区”列（社区名称或 12 位代码）`);
    for (let i = headerIndex + 1; i < early.length; i++) await handleRow(early[i]!, i + 1);
  };

  for await (const cells of readRows(input.path, input.limits ?? DEFAULT_LIMITS)) {
    rowNo++;
    if (!header) {
      early.push(cells);
      if (early.length === 10) await takeHeader();
      continue;
    }
    await handleRow(cells, rowNo);
    if (rowNo % 10_000 === 0) input.onProgress?.(rowNo);
  }
  if (!header) await takeHeader(); // a file of fewer than 10 rows
  if (total === 0) throw invalidInput('文件中没有数据行');
  return { total, rejects };
}

export async function importFile(
  ctx: AppCtx,
  auth: AuthInfo,
  input: { path: string; fileName: string; orgUnitId: number; mode: ImportMode; limits?: ReadLimits; onProgress?: (rows: number) => void },
): Promise<ImportReport> {
  const unit = await getOrgUnit(ctx.db, input.orgUnitId);
  if (!unit || !inScope(auth.scope, unit.path)) throw notFound('单位不存在');
  if (unit.level !== 'community' && unit.level !== 'street' && unit.level !== 'district') throw invalidInput('请选择区、街道或社区作为导入单位');
  const fileSha = await sha256File(input.path);
  const at = nowIso();
  const batchBase = (scan: Scan) => ({
    org_unit_id: Number(unit.id),
    user_id: Number(auth.user.id),
    file_name: input.fileName.slice(0, 255),
    file_sha256: fileSha,
    mode: input.mode,
    created_at: at,
    rows_total: scan.total,
    rows_rejected: new Set(scan.rejects.map((r) => r.row)).size,
    rows_imported: 0,
    rows_unchanged: 0,
    rejects_json: JSON.stringify(scan.rejects.slice(0, MAX_STORED_REJECTS)),
  });

  if (input.mode === 'all') {
    // All-or-nothing: a first pass only checks; if anything is wrong nothing is written but the report.
    const check = await scanFile(ctx.db, unit, input, null);
    if (check.rejects.length > 0) {
      const values = batchBase(check);
      const batchId = await ctx.db.transaction().execute(async (trx) => {
        const b = await trx.insertInto('import_batch').values({ ...values, status: 'rejected', finished_at: at }).returning('id').executeTakeFirstOrThrow();
        await appendAudit(trx, ctx.dialect, auth.actor, { event: 'registration.import', objectType: 'import_batch', objectId: Number(b.id), success: false, after: { total: check.total, rejected: values.rows_rejected, mode: input.mode } });
        return Number(b.id);
      });
      return { batchId, fileName: input.fileName, mode: input.mode, committed: false, total: check.total, imported: 0, updated: 0, unchanged: 0, rejected: values.rows_rejected, rejects: check.rejects };
    }
  }

  try {
    // One transaction for the whole file: a crash or a kill leaves the database as before it.
    return await ctx.db.transaction().execute(async (trx) => {
      const b = await trx
        .insertInto('import_batch')
        .values({ ...batchBase({ total: 0, rejects: [] }), status: 'running', finished_at: null })
        .returning('id')
        .executeTakeFirstOrThrow();
      const batchId = Number(b.id);
      const writer = new ChunkWriter(trx, ctx.sqlite, auth, batchId, at);
      // Reads go through the transaction too: SQLite has one connection, held by it.
      const scan = await scanFile(trx, unit, input, (p) => writer.add(p));
      const counts = await writer.finish();
      const values = batchBase(scan);
      await trx
        .updateTable('import_batch')
        .set({ status: 'done', rows_total: scan.total, rows_rejected: values.rows_rejected, rejects_json: values.rejects_json, rows_imported: counts.imported + counts.updated, rows_unchanged: counts.unchanged, finished_at: nowIso() })
        .where('id', '=', batchId)
        .execute();
      await appendAudit(trx, ctx.dialect, auth.actor, {
        event: 'registration.import',
        objectType: 'import_batch',
        objectId: batchId,
        after: { fileName: input.fileName, sha256: fileSha, mode: input.mode, total: scan.total, ...counts, rejected: values.rows_rejected },
      });
      return { batchId, fileName: input.fileName, mode: input.mode, committed: true, total: scan.total, ...counts, rejected: values.rows_rejected, rejects: scan.rejects };
    });
  } catch (err) {
    await recordAudit(ctx.db, ctx.dialect, auth.actor, { event: 'registration.import', success: false, after: { fileName: input.fileName } }).catch(() => undefined);
    throw err;
  }
}

/** Buffers valid rows and writes them CHUNK at a time inside the import's transaction. */
class ChunkWriter {
  private pending: Pending[] = [];
  private counts = { imported: 0, updated: 0, unchanged: 0 };
  constructor(
    private readonly trx: Transaction<Database>,
    private readonly sqlite: SQLite.Database | undefined,
    private readonly auth: AuthInfo,
    private readonly batchId: number,
    private readonly at: string,
  ) {}
  async add(p: Pending): Promise<void> {
    this.pending.push(p);
    if (this.pending.length >= CHUNK) await this.flush();
  }
  private async flush(): Promise<void> {
    if (!this.pending.length) return;
    const chunk = this.pending;
    this.pending = [];
    const c = await writePending(this.trx, this.sqlite, this.auth, this.batchId, chunk, this.at);
    this.counts.imported += c.imported;
    this.counts.updated += c.updated;
    this.counts.unchanged += c.unchanged;
  }
  async finish() {
    await this.flush();
    return this.counts;
  }
}

async function writePending(trx: Transaction<Database>, sqlite: SQLite.Database | undefined, auth: AuthInfo, batchId: number, pending: Pending[], at: string) {
  let imported = 0;
  let updated = 0;
  let unchanged = 0;
  const districtCache = new Map<number, number | null>();
  const districtIdOf = async (u: OrgUnitRow) => {
    if (!districtCache.has(Number(u.id))) {
      const d = await districtOf(trx, u);
      districtCache.set(Number(u.id), d ? Number(d.id) : null);
    }
    return districtCache.get(Number(u.id)) ?? null;
  };
  for (let i = 0; i < pending.length; i += CHUNK) {
    const chunk = pending.slice(i, i + CHUNK);
    const ids = chunk.map((p) => p.values.idNumber!);
    const existing = await trx.selectFrom('registration').selectAll().where('id_number', 'in', ids).where('deleted_at', 'is', null).execute();
    const byKey = new Map(existing.map((r) => [`${r.org_unit_id}|${r.id_number}`, r]));
    const inserts = [];
    for (const p of chunk) {
      const prior = byKey.get(`${p.unit.id}|${p.values.idNumber}`);
      if (prior) {
        if (sameRecord(prior, p.values)) {
          unchanged++;
          continue;
        }
        const old = fromColumns(prior);
        const changes: Record<string, [string | null, string | null]> = {};
        for (const k of RECORD_KEYS) if ((old[k] ?? null) !== (p.values[k] ?? null)) changes[k] = [old[k] ?? null, p.values[k] ?? null];
        await trx
          .updateTable('registration')
          .set((eb) => ({ ...toColumns(p.values), name: p.values.name!, is_valid: 1, errors_json: null, updated_at: at, version: eb('version', '+', 1) }))
          .where('id', '=', prior.id)
          .execute();
        await trx.insertInto('registration_history').values({ registration_id: Number(prior.id), at, user_id: Number(auth.user.id), action: 'import', changes_json: JSON.stringify(changes) }).execute();
        updated++;
        continue;
      }
      inserts.push({
        ...toColumns(p.values),
        id_type: p.values.idType ?? '01',
        id_number: p.values.idNumber!,
        name: p.values.name!,
        org_unit_id: Number(p.unit.id),
        org_path: p.unit.path,
        district_id: await districtIdOf(p.unit),
        household_id: null,
        is_valid: 1,
        errors_json: null,
        is_counted: 0,
        counted_by_city: 0,
        entered_by: Number(auth.user.id),
        entered_at: at,
        entry_source: 'import',
        import_batch_id: batchId,
        updated_at: at,
        version: 0,
      });
    }
    await insertRegistrations(trx, sqlite, inserts);
    imported += inserts.length;
    await resolveCounted(trx, ids);
  }
  return { imported, updated, unchanged };
}
