// The write side of an import: one transaction for the whole file (a crash or a kill leaves the
// database as before it), the batch row, every valid row, the audit entry. Runs in the SQLite
// write worker (its own connection, so the server's connection stays free for other requests) or,
// on PostgreSQL, in the main thread. Rows arrive validated from the parse worker (scan.ts).
//
// Per batch of rows: one lookup of the people already recorded (by ID number, any district), then
// - same community and same values in the file's columns → unchanged (re-import adds nothing);
// - same community, other values → the file's columns are updated, with history;
// - otherwise a new record, counted unless the person already has a valid record elsewhere (the
//   earlier entry counts: SPEC §1 duplicates); the unique index (id_number, counted_key) stands
//   behind that rule.
import type { Transaction } from 'kysely';
import type SQLite from 'better-sqlite3';
import type pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import type { Database } from '../../db/schema.js';
import type { DialectName } from '../../db/index.js';
import type { RegistrationKey } from '../../../shared/registration.js';
import type { ImportReject } from '../../../shared/api-registration.js';
import type { Actor } from '../../audit/store.js';
import { appendAudit } from '../../audit/store.js';
import { nowIso } from '../../clock.js';
import { AppError } from '../../errors.js';
import { maskIdNumber } from '../../../domain/id-number.js';
import { HOUSEHOLD_KEYS, columnOf } from '../columns.js';
import { resolveCounted } from '../duplicates.js';
import type { ParseMessage, ProgressMessage } from './parse-worker.js';
import type { SheetChoice } from './xlsx.js';
import { fromWireError } from './messages.js';
import { RowScanner, flattenRows, unpackRows, type ProblemRows, type ScanSetup, type ScannedRow } from './scan.js';
import { STAT_DIMS, StatAccumulator, setBulkBatch, shanghaiDayOf } from '../stat-cube.js';

export type WriteUnit = { id: number; path: string; districtId: number | null };
export type WriteJob = {
  dialect: DialectName;
  actor: Actor;
  userId: number;
  orgUnitId: number;
  /** The batch row, written and committed before the import (service.ts createImportBatch). */
  batchId: number;
  /** Indexed like the scan's communities. */
  units: WriteUnit[];
  fileName: string;
  fileSha256: string;
  mode: 'all' | 'valid';
  /** Lets a file change the 姓名/出生日期/性别 of a record already registered under the ID number (recorded in its history). */
  overwriteNames?: boolean;
  at: string;
};
export type WriteCounts = { imported: number; updated: number; unchanged: number };
export type WriteResult = WriteCounts & { batchId: number; total: number; rejectedRows: number; rejects: ImportReject[]; sheet: SheetChoice | null; problemRows: ProblemRows };


/**
 * Mode 'all': rows of the file name a person already registered under another 姓名, 出生日期 or
 * 性别 (issue 12, defect 8). The whole file is refused — the transaction rolls back — and the
 * conflicts are its rejects. Crosses threads as a WireError (details kept).
 */
export const IMPORT_CONFLICTS = 'import-conflicts';
export function importConflicts(total: number, rejects: ImportReject[]): AppError {
  return new AppError(409, 'CONFLICT', `文件中有 ${rejects.length} 行与已登记的人员信息不一致（姓名、出生日期或性别不同），未导入任何数据`, { kind: IMPORT_CONFLICTS, total, rejects });
}
export function conflictsOf(err: unknown): { total: number; rejects: ImportReject[] } | null {
  const d = err instanceof AppError ? (err.details as { kind?: string; total?: number; rejects?: ImportReject[] } | undefined) : undefined;
  return d?.kind === IMPORT_CONFLICTS ? { total: d.total ?? 0, rejects: d.rejects ?? [] } : null;
}

/**
 * Writes the file's rows from `messages` in one transaction. `ack` is called after each batch is
 * written (flow control back to the parse worker).
 */
export async function writeImport(
  db: { transaction(): { execute<T>(fn: (trx: Transaction<Database>) => Promise<T>): Promise<T> } },
  sqlite: SQLite.Database | undefined,
  job: WriteJob,
  messages: AsyncIterable<ParseMessage>,
  ack: () => void,
  onProgress?: (p: ProgressMessage) => void,
  /** PostgreSQL: the raw client of the connection `db` runs on, for lookups by array and COPY. */
  pgClient?: pg.Client,
  /** Given when the rows come unvalidated ('raw', from an .xlsx): they are scanned here. */
  setup?: ScanSetup,
): Promise<WriteResult> {
  return db.transaction().execute(async (trx) => {
    // The batch row was written before (service.ts createImportBatch). The first statement writes:
    // on SQLite the write lock is taken before anything is read.
    const batchId = job.batchId;
    await trx.updateTable('import_batch').set({ status: 'running' }).where('id', '=', batchId).execute();
    // The statistics triggers leave this batch's new rows to the writer (added in finish()).
    await setBulkBatch(trx, job.dialect, batchId);
    let writer: RowWriter | null = null;
    let done: { total: number; rejectedRows: number; rejects: ImportReject[]; problemRows: ProblemRows } | null = null;
    let sheet: SheetChoice | null = null;
    const scanner = setup ? new RowScanner(setup) : null;
    const writerFor = (columns: RegistrationKey[]) => (writer ??= new RowWriter(trx, sqlite, pgClient, job, batchId, columns));
    for await (const m of messages) {
      if (m.type === 'sheet') sheet = m.sheet;
      else if (m.type === 'columns') writerFor(m.columns as RegistrationKey[]);
      else if (m.type === 'rows') {
        await writer!.write(unpackRows(m.packed), m.count);
        ack();
      } else if (m.type === 'raw') {
        const out: ScannedRow[] = [];
        let row = m.first;
        for (const cells of m.rows) scanner!.push(cells, row++, out);
        if (scanner!.ready) await writerFor(scanner!.columns).write(flattenRows(out), out.length);
        ack();
      } else if (m.type === 'end') {
        const out: ScannedRow[] = [];
        scanner!.finish(out); // no header or no data: refused, rolled back
        await writerFor(scanner!.columns).write(flattenRows(out), out.length);
        done = { total: scanner!.total, rejectedRows: scanner!.rejectedRows, rejects: scanner!.rejects, problemRows: scanner!.problemRows };
        break;
      } else if (m.type === 'progress') onProgress?.(m);
      else if (m.type === 'error') throw fromWireError(m.error);
      else if (m.type === 'done') {
        done = { total: m.total, rejectedRows: m.rejectedRows, rejects: m.rejects, problemRows: m.problemRows };
        break;
      }
    }
    const rowWriter = writer as RowWriter | null; // assigned in writerFor
    if (!done || !rowWriter) throw new Error('import ended without the end of the file');
    if (rowWriter.conflicts.length && job.mode === 'all') throw importConflicts(done.total, rowWriter.conflicts);
    const counts = await rowWriter.finish();
    // Mode 'valid': a conflicting row is skipped and listed with the file's other problem rows.
    const rejected = done.rejectedRows + rowWriter.conflicts.length;
    const rejects = rowWriter.conflicts.length ? [...done.rejects, ...rowWriter.conflicts].sort((a, b) => a.row - b.row) : done.rejects;
    done = { ...done, rejects };
    await trx
      .updateTable('import_batch')
      .set({ status: 'done', rows_total: done.total, rows_rejected: rejected, rejects_json: JSON.stringify(done.rejects), rows_imported: counts.imported, rows_updated: counts.updated, rows_unchanged: counts.unchanged, sheet_name: sheet?.name ?? null, finished_at: nowIso() })
      .where('id', '=', batchId)
      .execute();
    await appendAudit(trx, job.dialect, job.actor, {
      event: 'registration.import',
      objectType: 'import_batch',
      objectId: batchId,
      after: { fileName: job.fileName, sha256: job.fileSha256, mode: job.mode, total: done.total, ...counts, rejected, ...(job.overwriteNames ? { overwriteNames: true, overwritten: rowWriter.overwritten } : {}) },
    });
    return { batchId, total: done.total, rejectedRows: rejected, rejects: done.rejects, sheet, problemRows: done.problemRows, ...counts };
  });
}

type Existing = { id: number; org_unit_id: number; id_number: string; is_valid: number; is_counted: number; import_batch_id: number | null; [column: string]: unknown };

const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;
const MULTI = 50;
const sqliteStatements = new WeakMap<SQLite.Database, Map<string, SQLite.Statement>>();

/** The fields that say who a person is: a file may not change them on a registered ID number unasked. */
const IDENTITY: ReadonlyArray<{ key: RegistrationKey; column: string; label: string }> = [
  { key: 'name', column: 'name', label: '姓名' },
  { key: 'birthDate', column: 'birth_date', label: '出生日期' },
  { key: 'sex', column: 'sex', label: '性别' },
];

class RowWriter {
  private readonly counts: WriteCounts = { imported: 0, updated: 0, unchanged: 0 };
  /** Rows naming a registered person differently (skipped unless overwriteNames). */
  readonly conflicts: ImportReject[] = [];
  /** Records whose identity fields this import changed (overwriteNames). */
  overwritten = 0;
  private readonly identityIdx: Array<{ index: number; column: string; label: string; key: RegistrationKey }>;
  private readonly width: number;
  private readonly idIndex: number;
  /** Columns of the file's record fields (household fields are stored on the household). */
  private readonly recordCols: Array<{ index: number; column: string }>;
  private readonly householdIdx: { name: number; idNumber: number; address: number };
  private readonly households = new Map<string, number>();
  private readonly toResolve = new Set<string>();
  /**
   * The new rows are staged in a table without indexes and go into the registration table at the
   * end in one INSERT … SELECT ordered by ID number (issue 12, speed): the live table's index on
   * the ID number is then written in order instead of at random places for every row.
   */
  private staged = 0;
  private stageReady = false;
  /** The statistics of the rows this import inserts (the triggers skip them). */
  private readonly stats = new StatAccumulator();
  /** Where each statistics column is among the file's columns (-1: not in the file, so NULL). */
  private readonly statIdx: Map<string, number>;
  private readonly day: string;

  constructor(
    private readonly trx: Transaction<Database>,
    private readonly sqlite: SQLite.Database | undefined,
    private readonly pgClient: pg.Client | undefined,
    private readonly job: WriteJob,
    private readonly batchId: number,
    private readonly columns: RegistrationKey[],
  ) {
    this.width = columns.length + 2;
    this.idIndex = columns.indexOf('idNumber');
    this.recordCols = columns.flatMap((k, index) => (HOUSEHOLD_KEYS.has(k) ? [] : [{ index, column: columnOf(k) as string }]));
    this.householdIdx = { name: columns.indexOf('householdHeadName'), idNumber: columns.indexOf('householdHeadIdNumber'), address: columns.indexOf('householdAddress') };
    if (!ISO_TIME.test(job.at)) throw new Error('import time must be an ISO UTC timestamp');
    this.statIdx = new Map(STAT_DIMS.map(([, column]) => [column, this.recordCols.find((c) => c.column === column)?.index ?? -1]));
    this.day = shanghaiDayOf(job.at);
    this.identityIdx = IDENTITY.flatMap((f) => {
      const index = columns.indexOf(f.key);
      return index < 0 ? [] : [{ ...f, index }];
    });
  }

  /** The identity fields in which a registered record differs from the file's row. */
  private identityChanges(prior: Existing, data: (string | null)[], o: number): Array<{ label: string; key: RegistrationKey; old: string | null; value: string | null }> {
    const out: Array<{ label: string; key: RegistrationKey; old: string | null; value: string | null }> = [];
    for (const f of this.identityIdx) {
      const value = data[o + 2 + f.index] as string | null;
      const old = (prior[f.column] as string | null | undefined) ?? null;
      // A blank in the file changes nothing here (the ID number fills sex and birth date).
      if (value !== null && old !== null && old !== value) out.push({ label: f.label, key: f.key, old, value });
    }
    return out;
  }

  private conflict(data: (string | null)[], o: number, prior: Existing, sameUnit: boolean, changes: ReturnType<RowWriter['identityChanges']>): void {
    const fileRow = Number(data[o]);
    const idNumber = data[o + 2 + this.idIndex] as string;
    const what = changes.map((c) => c.label).join('、');
    const message = sameUnit
      ? `公民身份号码 ${maskIdNumber(idNumber)} 已登记为${changes.map((c) => `${c.label}“${c.old}”`).join('、')}，文件中为${changes.map((c) => `“${c.value}”`).join('、')}：${what}不同，未更新。如确需更正，请勾选“允许覆盖姓名、出生日期、性别”后重新导入`
      : `公民身份号码 ${maskIdNumber(idNumber)} 已在其他单位登记，${what}与文件中的不一致，未导入。请核实证件后再导入；如确认文件无误，可勾选“允许覆盖姓名、出生日期、性别”导入为重复登记`;
    void prior;
    this.conflicts.push({ row: fileRow, column: changes[0]!.label, field: changes[0]!.key, message });
  }

  /** A row of this import as the statistics see it: from the file's values (or a prior's). */
  private statRow(unitId: number, counted: number, value: (index: number, column: string) => string | null) {
    return {
      unitId,
      day: this.day,
      enteredBy: this.job.userId,
      isValid: 1,
      isCounted: counted,
      value: (column: string) => {
        const i = this.statIdx.get(column) ?? -1;
        return i < 0 ? null : value(i, column);
      },
      errorFields: [],
    };
  }

  async write(data: (string | null)[], count: number): Promise<void> {
    if (count === 0) return;
    const w = this.width;
    const ids: string[] = new Array(count);
    for (let r = 0; r < count; r++) ids[r] = data[r * w + 2 + this.idIndex] as string;
    const existing = await this.lookup(ids);
    const byId = new Map<string, Existing[]>();
    for (const e of existing) {
      const list = byId.get(e.id_number);
      if (list) list.push(e);
      else byId.set(e.id_number, [e]);
    }
    const inserts: number[] = []; // row offsets
    const counted: number[] = [];
    for (let r = 0; r < count; r++) {
      const o = r * w;
      const unit = this.job.units[Number(data[o + 1])]!;
      const priors = byId.get(ids[r]!);
      const same = priors?.find((p) => Number(p.org_unit_id) === unit.id);
      if (!this.job.overwriteNames && priors) {
        // A registered person whom the file names differently: a conflict to show, never a silent rename.
        const against = same ?? priors.find((p) => this.identityChanges(p, data, o).length > 0);
        const changes = against ? this.identityChanges(against, data, o) : [];
        if (against && changes.length) {
          this.conflict(data, o, against, against === same, changes);
          continue;
        }
      }
      if (same) {
        await this.updateIfChanged(same, data, o);
        continue;
      }
      inserts.push(o);
      counted.push(priors?.some((p) => Number(p.is_valid) === 1) ? 0 : 1);
    }
    if (inserts.length) await this.insert(data, inserts, counted);
    this.counts.imported += inserts.length;
  }

  async finish(): Promise<WriteCounts> {
    await this.unstage();
    // This import's rows into the statistics, then the triggers back on for everything after
    // (the duplicate resolution may change who counts, also among these rows).
    await this.stats.flush(this.trx);
    await setBulkBatch(this.trx, this.job.dialect, null);
    if (this.toResolve.size) await resolveCounted(this.trx, this.toResolve);
    return this.counts;
  }

  /** The staging table, made on the first staged row (SQLite: TEMP; PostgreSQL: TEMP, dropped at commit). */
  private async stage(): Promise<void> {
    if (this.stageReady) return;
    if (this.sqlite) {
      // Only what varies from row to row; unstage() adds what is the same for the whole import.
      this.sqlite.exec('drop table if exists temp.import_stage');
      this.sqlite.exec(`create temp table import_stage (${this.sqliteStageColumns().map((c) => `"${c}"`).join(', ')})`);
    } else if (this.pgClient) {
      await this.pgClient.query('drop table if exists pg_temp.import_stage');
      await this.pgClient.query('create temp table import_stage on commit drop as select * from registration with no data');
    }
    this.stageReady = true;
  }

  /** The staged rows into the registration table, in ID-number order; the staging table dropped. */
  private async unstage(): Promise<void> {
    if (!this.stageReady) return;
    if (this.sqlite) {
      const staged = this.sqliteStageColumns().map((c) => `"${c}"`);
      const { columns: fixedColumns, values: fixedValues } = this.sqliteFixed();
      if (this.staged) {
        // Read in ID-number order through an index of the staging table (cheaper than sorting the
        // whole rows). The statistics' insert trigger would only skip these rows (they are this
        // batch's, added in finish()) after a lookup per row: it is set aside for this one
        // statement and put back as it was, inside the transaction (a crash restores it with the rest).
        this.sqlite.exec('create index temp.import_stage_id on import_stage (id_number)');
        const trigger = this.sqlite.prepare("select sql from main.sqlite_master where type = 'trigger' and name = 'stat_registration_insert'").get() as { sql: string } | undefined;
        if (trigger) this.sqlite.exec('drop trigger main.stat_registration_insert');
        this.sqlite.exec(`insert into main.registration (${staged.join(', ')}, ${fixedColumns}) select ${staged.join(', ')}, ${fixedValues} from temp.import_stage order by id_number`);
        if (trigger) this.sqlite.exec(trigger.sql);
      }
      this.sqlite.exec('drop table temp.import_stage');
    } else if (this.pgClient) {
      const r = await this.pgClient.query<{ column_name: string }>(
        "select column_name from information_schema.columns where table_schema = current_schema() and table_name = 'registration' and is_generated = 'NEVER' and column_name <> 'id' order by ordinal_position",
      );
      const cols = r.rows.map((c) => `"${c.column_name}"`);
      if (this.staged) await this.pgClient.query(`insert into registration (${cols.join(', ')}) select ${cols.join(', ')} from pg_temp.import_stage order by id_number`);
      await this.pgClient.query('drop table pg_temp.import_stage');
    }
    this.stageReady = false;
  }

  private async lookup(ids: string[]): Promise<Existing[]> {
    const cols = ['id', 'org_unit_id', 'id_number', 'is_valid', 'is_counted', 'import_batch_id', 'household_id', ...this.recordCols.map((c) => c.column)];
    if (this.sqlite) {
      const stmt = this.statement(`lookup:${cols.join(',')}:${ids.length}`, () => `select ${cols.map((c) => `"${c}"`).join(', ')} from registration where id_number in (${ids.map(() => '?').join(',')}) and deleted_at is null`);
      return stmt.all(ids) as Existing[];
    }
    if (this.pgClient) {
      // A join with the array, not "= any($1)": the planner keeps the index probes however stale its
      // statistics are while the import's own rows pile up in the transaction.
      const r = await this.pgClient.query({
        text: `select ${cols.map((c) => `r."${c}"`).join(', ')} from unnest($1::text[]) as t(x) join registration r on r.id_number = t.x where r.deleted_at is null`,
        values: [ids],
      });
      return r.rows as Existing[];
    }
    return (await this.trx
      .selectFrom('registration')
      .select(cols as never[])
      .where('id_number', 'in', ids)
      .where('deleted_at', 'is', null)
      .execute()) as unknown as Existing[];
  }

  private async updateIfChanged(prior: Existing, data: (string | null)[], o: number): Promise<void> {
    const changes: Record<string, [string | null, string | null]> = {};
    const set: Record<string, string | null> = {};
    for (const c of this.recordCols) {
      const v = data[o + 2 + c.index] as string | null;
      const old = (prior[c.column] as string | null | undefined) ?? null;
      if (old !== v) {
        changes[this.columns[c.index]!] = [old, v];
        set[c.column] = v;
      }
    }
    const wasInvalid = Number(prior.is_valid) !== 1;
    if (!Object.keys(changes).length && !wasInvalid) {
      this.counts.unchanged++;
      return;
    }
    const householdId = await this.household(data, o, prior.org_unit_id);
    if (Number(prior.import_batch_id) === this.batchId) {
      // A row this import inserted (the same person twice in the file): the triggers skip it.
      this.stats.add(this.statRow(Number(prior.org_unit_id), Number(prior.is_counted), (_i, column) => (prior[column] as string | null | undefined) ?? null), -1);
      this.stats.add(this.statRow(Number(prior.org_unit_id), Number(prior.is_counted), (i) => data[o + 2 + i] as string | null), 1);
    }
    await this.trx
      .updateTable('registration')
      .set((eb) => ({ ...set, ...(householdId !== null ? { household_id: householdId } : {}), is_valid: 1, errors_json: null, updated_at: this.job.at, version: eb('version', '+', 1) }))
      .where('id', '=', prior.id)
      .execute();
    const renamed = this.identityChanges(prior, data, o).length > 0; // only with overwriteNames
    if (renamed) this.overwritten++;
    await this.trx.insertInto('registration_history').values({ registration_id: Number(prior.id), at: this.job.at, user_id: this.job.userId, action: renamed ? 'import_overwrite' : 'import', changes_json: JSON.stringify(changes) }).execute();
    if (wasInvalid) this.toResolve.add(prior.id_number);
    this.counts.updated++;
  }

  /** The household of a row with 户主 columns, found by the head's ID number in its community, or created. */
  private async household(data: (string | null)[], o: number, unitId: number): Promise<number | null> {
    const { name, idNumber, address } = this.householdIdx;
    const headId = idNumber >= 0 ? (data[o + 2 + idNumber] as string | null) : null;
    const headName = name >= 0 ? (data[o + 2 + name] as string | null) : null;
    if (!headId && !headName) return null;
    const key = `${unitId}|${headId ?? ''}|${headId ? '' : (headName ?? '')}`;
    const cached = this.households.get(key);
    if (cached !== undefined) return cached;
    let id: number | null = null;
    if (headId) {
      const found = await this.trx.selectFrom('household').select('id').where('org_unit_id', '=', unitId).where('head_id_number', '=', headId).executeTakeFirst();
      if (found) id = Number(found.id);
    }
    if (id === null) {
      const row = await this.trx
        .insertInto('household')
        .values({ org_unit_id: unitId, head_name: headName, head_id_number: headId, address: address >= 0 ? (data[o + 2 + address] as string | null) : null, phone: null, created_at: this.job.at })
        .returning('id')
        .executeTakeFirstOrThrow();
      id = Number(row.id);
    }
    this.households.set(key, id);
    return id;
  }

  private async insert(data: (string | null)[], offsets: number[], counted: number[]): Promise<void> {
    const households = this.householdIdx.idNumber >= 0 || this.householdIdx.name >= 0;
    const householdIds: (number | null)[] = [];
    for (let i = 0; i < offsets.length; i++) {
      const o = offsets[i]!;
      householdIds.push(households ? await this.household(data, o, this.job.units[Number(data[o + 1])]!.id) : null);
    }
    for (let i = 0; i < offsets.length; i++) {
      const o = offsets[i]!;
      this.stats.add(this.statRow(this.job.units[Number(data[o + 1])]!.id, counted[i]!, (k) => data[o + 2 + k] as string | null), 1);
    }
    if (this.sqlite) {
      await this.stage();
      this.insertSqlite(data, offsets, counted, householdIds);
      this.staged += offsets.length;
      return;
    }
    if (this.pgClient) {
      await this.stage();
      await this.insertCopy(data, offsets, counted, householdIds);
      this.staged += offsets.length;
      return;
    }
    const rows = offsets.map((o, i) => {
      const unit = this.job.units[Number(data[o + 1])]!;
      const row: Record<string, unknown> = {};
      for (const c of this.recordCols) row[c.column] = data[o + 2 + c.index];
      row.id_type ??= '01';
      Object.assign(row, this.constants(unit, counted[i]!, householdIds[i]!));
      return row;
    });
    for (let i = 0; i < rows.length; i += 500) await this.trx.insertInto('registration').values(rows.slice(i, i + 500) as never).execute();
  }

  private constants(unit: WriteUnit, counted: number, householdId: number | null) {
    return {
      org_unit_id: unit.id,
      org_path: unit.path,
      district_id: unit.districtId,
      household_id: householdId,
      is_counted: counted,
      is_valid: 1,
      errors_json: null,
      counted_by_city: 0,
      entered_by: this.job.userId,
      entered_at: this.job.at,
      entry_source: 'import',
      import_batch_id: this.batchId,
      updated_at: this.job.at,
      version: 0,
    };
  }

  /** SQLite: the staging table's columns, bound per row (insertSqlite keeps this order). */
  private sqliteStageColumns(): string[] {
    return [...this.recordCols.map((c) => c.column), 'org_unit_id', 'org_path', 'district_id', 'household_id', 'is_counted'];
  }

  /** SQLite: what every row of the import has in common (never from the file), added when unstaged. */
  private sqliteFixed(): { columns: string; values: string } {
    const idType = this.columns.includes('idType') ? null : "'01'";
    return {
      columns: `is_valid, errors_json, counted_by_city, entered_by, entered_at, entry_source, import_batch_id, updated_at, version${idType ? ', id_type' : ''}`,
      values: `1, NULL, 0, ${this.job.userId}, '${this.job.at}', 'import', ${this.batchId}, '${this.job.at}', 0${idType ? `, ${idType}` : ''}`,
    };
  }

  /**
   * SQLite: multi-row INSERTs into the staging table through cached prepared statements; per row
   * only the file's values, the unit, the household and the counted flag (what is the same for the
   * whole import — user, batch, time, all produced here — is added by unstage()).
   */
  private insertSqlite(data: (string | null)[], offsets: number[], counted: number[], householdIds: (number | null)[]): void {
    const cols = this.sqliteStageColumns();
    const tuple = `(${cols.map(() => '?').join(', ')})`;
    const sqlFor = (n: number) => `insert into temp.import_stage (${cols.map((c) => `"${c}"`).join(', ')}) values ${Array(n).fill(tuple).join(', ')}`;
    const many = this.statement(`insert:${this.batchId}:${cols.join(',')}:${MULTI}`, () => sqlFor(MULTI));
    const one = this.statement(`insert:${this.batchId}:${cols.join(',')}:1`, () => sqlFor(1));
    const per = cols.length;
    const rc = this.recordCols;
    const nrc = rc.length;
    let i = 0;
    const params: unknown[] = new Array(MULTI * per);
    for (; i + MULTI <= offsets.length; i += MULTI) {
      let k = 0;
      for (let j = i; j < i + MULTI; j++) {
        const o = offsets[j]!;
        const unit = this.job.units[Number(data[o + 1])]!;
        for (let c = 0; c < nrc; c++) params[k++] = data[o + 2 + rc[c]!.index];
        params[k++] = unit.id;
        params[k++] = unit.path;
        params[k++] = unit.districtId;
        params[k++] = householdIds[j];
        params[k++] = counted[j];
      }
      many.run(params);
    }
    for (; i < offsets.length; i++) {
      const o = offsets[i]!;
      const unit = this.job.units[Number(data[o + 1])]!;
      const p: unknown[] = [];
      for (let c = 0; c < nrc; c++) p.push(data[o + 2 + rc[c]!.index]);
      p.push(unit.id, unit.path, unit.districtId, householdIds[i], counted[i]);
      one.run(p);
    }
  }

  /** PostgreSQL: one COPY … FROM STDIN (text format) per batch, inside the import's transaction. */
  private async insertCopy(data: (string | null)[], offsets: number[], counted: number[], householdIds: (number | null)[]): Promise<void> {
    const hasIdType = this.columns.includes('idType');
    const cols = [...this.recordCols.map((c) => c.column), ...(hasIdType ? [] : ['id_type']), 'org_unit_id', 'org_path', 'district_id', 'household_id', 'is_counted', 'is_valid', 'counted_by_city', 'entered_by', 'entered_at', 'entry_source', 'import_batch_id', 'updated_at', 'version'];
    const fixed = `\t1\t0\t${this.job.userId}\t${this.job.at}\timport\t${this.batchId}\t${this.job.at}\t0\n`;
    let text = '';
    for (let i = 0; i < offsets.length; i++) {
      const o = offsets[i]!;
      const unit = this.job.units[Number(data[o + 1])]!;
      for (const c of this.recordCols) text += copyText(data[o + 2 + c.index] ?? null) + '\t';
      if (!hasIdType) text += '01\t';
      text += `${unit.id}\t${copyText(unit.path)}\t${unit.districtId ?? '\\N'}\t${householdIds[i] ?? '\\N'}\t${counted[i]}${fixed}`;
    }
    const stream = this.pgClient!.query(copyFrom(`COPY pg_temp.import_stage (${cols.map((c) => `"${c}"`).join(', ')}) FROM STDIN`));
    await new Promise<void>((resolve, reject) => {
      stream.on('finish', resolve);
      stream.on('error', reject);
      stream.end(text);
    });
  }

  private statement(key: string, sql: () => string): SQLite.Statement {
    let cache = sqliteStatements.get(this.sqlite!);
    if (!cache) sqliteStatements.set(this.sqlite!, (cache = new Map()));
    let stmt = cache.get(key);
    if (!stmt) {
      if (cache.size > 200) cache.clear();
      stmt = this.sqlite!.prepare(sql());
      cache.set(key, stmt);
    }
    return stmt;
  }
}

/** A value in COPY's text format: \N for null; backslash, tab, newline and carriage return escaped. */
function copyText(v: string | null): string {
  if (v === null) return '\\N';
  return /[\\\t\n\r]/.test(v) ? v.replace(/[\\\t\n\r]/g, (c) => (c === '\\' ? '\\\\' : c === '\t' ? '\\t' : c === '\n' ? '\\n' : '\\r')) : v;
}
