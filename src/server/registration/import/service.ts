// Bulk import of registration records from .xlsx / .csv (SPEC §1, issue 3 item 6).
// - The header row is found below any title rows; header names may vary (aliases in the field list).
// - Every row is validated by the same rules as the form; every rejected row comes back with its
//   row number, column and reason.
// - Mode 'all' (all-or-nothing): any rejected row → nothing is written but the report. Mode
//   'valid': the valid rows are written, the others reported.
// - All writes of one file happen in one transaction: a crash or a kill leaves the database as it
//   was before the file. Re-importing a file adds no duplicates: a row whose person is already
//   recorded in the same community is compared, and left unchanged or updated (with history).
// Two threads share the work: a parse worker reads and validates (parse-worker.ts, scan.ts) while
// the rows are written (write.ts) — by a write worker with its own SQLite connection, or here on
// PostgreSQL.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import { MessageChannel, type Worker } from 'node:worker_threads';
import type { AppCtx } from '../../context.js';
import type { AuthInfo } from '../../auth/access.js';
import type { OrgUnitRow } from '../../db/schema.js';
import { appendAudit, recordAudit, SYSTEM_ACTOR } from '../../audit/store.js';
import { AppError, invalidInput, notFound } from '../../errors.js';
import { nowIso, todayShanghai } from '../../clock.js';
import { districtOf, getOrgUnit, inScope, pathPrefixFilter } from '../../orgs/store.js';
import { siblingModule, startWorker } from '../../workers.js';
import { openPgConnection } from '../../db/index.js';
import { DEFAULT_LIMITS, detectKind, type ReadLimits } from './reader.js';
import type { ParseMessage, ParseWorkerData, ProgressMessage } from './parse-worker.js';
import type { SheetChoice } from './xlsx.js';
import type { WriteWorkerData, WriteWorkerMessage } from './write-worker.js';
import type { ProblemRows, ScanSetup } from './scan.js';
import { fromWireError, messagesOf } from './messages.js';
import { keepProblemRows } from './problem-rows.js';
import { conflictsOf, writeImport, type WriteJob, type WriteResult } from './write.js';

export type { ImportMode, ImportReject, ImportReport } from '../../../shared/api-registration.js';
import type { ImportMode, ImportReject, ImportReport } from '../../../shared/api-registration.js';

const PARSE_HEAP_MB = 96;

export type ImportInput = {
  path: string;
  fileName: string;
  orgUnitId: number;
  mode: ImportMode;
  limits?: ReadLimits;
  /** Rows read so far; `read`: how far into the file they reach, and whether it is the end of it. */
  onProgress?: (rows: number, phase: 'checking' | 'importing', read: { fraction: number | null; final: boolean }) => void;
  /** The batch row written when the job was created (jobs.ts); importFile writes one itself otherwise. */
  batchId?: number;
  /** Let the file change 姓名/出生日期/性别 of records already registered under its ID numbers. */
  overwriteNames?: boolean;
  /** An .xlsx: the worksheet to read (else the first whose first rows hold the header). */
  sheet?: string;
};

/**
 * The batch row of an import, written and committed before the file is read, so that whatever
 * happens next — a refusal, an error, a crash, a kill — the import is accounted for (issue 12,
 * defect 6). Status 'queued' for a job waiting its turn, 'running' when importFile writes it.
 */
export async function createImportBatch(ctx: AppCtx, auth: AuthInfo, input: { fileName: string; orgUnitId: number; mode: ImportMode; jobId?: string; status: 'queued' | 'running' }): Promise<number> {
  const at = nowIso();
  const b = await ctx.db
    .insertInto('import_batch')
    .values({ org_unit_id: input.orgUnitId, user_id: Number(auth.user.id), file_name: input.fileName.slice(0, 255), file_sha256: '', mode: input.mode, status: input.status, created_at: at, finished_at: null, rows_total: 0, rows_imported: 0, rows_rejected: 0, rows_unchanged: 0, rejects_json: null, job_id: input.jobId ?? null, error_code: null, error_message: null })
    .returning('id')
    .executeTakeFirstOrThrow();
  return Number(b.id);
}

/** A batch that ended without writing: failed (with what its user was told), in the audit log too. */
async function failBatch(ctx: AppCtx, auth: AuthInfo, batchId: number, fileName: string, err: AppError): Promise<void> {
  await ctx.db.transaction().execute(async (trx) => {
    await trx.updateTable('import_batch').set({ status: 'failed', error_code: err.code, error_message: err.message.slice(0, 2000), finished_at: nowIso() }).where('id', '=', batchId).execute();
    await appendAudit(trx, ctx.dialect, auth.actor, { event: 'registration.import', objectType: 'import_batch', objectId: batchId, success: false, after: { fileName, status: 'failed', code: err.code, message: err.message } });
  });
}

/** Mode 'all' with problems: nothing written, the batch 'rejected' with its problem rows, audited. */
async function rejectBatch(ctx: AppCtx, auth: AuthInfo, batchId: number, input: ImportInput, total: number, rejectedRows: number, rejects: ImportReject[], sheet: SheetChoice | null): Promise<void> {
  await ctx.db.transaction().execute(async (trx) => {
    await trx
      .updateTable('import_batch')
      .set({ status: 'rejected', finished_at: nowIso(), rows_total: total, rows_rejected: rejectedRows, rows_imported: 0, rows_unchanged: 0, rejects_json: JSON.stringify(rejects), sheet_name: sheet?.name ?? null })
      .where('id', '=', batchId)
      .execute();
    await appendAudit(trx, ctx.dialect, auth.actor, { event: 'registration.import', objectType: 'import_batch', objectId: batchId, success: false, after: { fileName: input.fileName, total, rejected: rejectedRows, mode: input.mode } });
  });
}

/**
 * At start-up: batches a stopped server left queued or running are 'interrupted' (their writes were
 * rolled back with the transaction or never began), each with an audit entry. One server per data
 * directory/database, so nothing else can be running them.
 */
export async function markInterruptedImports(ctx: AppCtx): Promise<number> {
  return ctx.db.transaction().execute(async (trx) => {
    const open = await trx.selectFrom('import_batch').select(['id', 'file_name', 'status']).where('status', 'in', ['queued', 'running']).execute();
    if (!open.length) return 0;
    await trx
      .updateTable('import_batch')
      .set({ status: 'interrupted', error_code: 'INTERRUPTED', error_message: '服务在导入过程中停止，本次导入未写入任何数据，请重新导入', finished_at: nowIso() })
      .where('id', 'in', open.map((b) => b.id))
      .execute();
    for (const b of open) {
      await appendAudit(trx, ctx.dialect, SYSTEM_ACTOR, { event: 'registration.import.interrupted', objectType: 'import_batch', objectId: Number(b.id), success: false, after: { fileName: b.file_name, was: b.status } });
    }
    return open.length;
  });
}

async function sha256File(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of fs.createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

function startParser(input: ImportInput, setup: ScanSetup, port: ParseWorkerData['port'], validate = true): Worker {
  const data: ParseWorkerData = { path: input.path, limits: input.limits ?? DEFAULT_LIMITS, setup, port, validate, ...(input.sheet ? { sheet: input.sheet } : {}) };
  // A bounded heap: it holds the ID numbers seen (for in-file duplicates) and the first rejects.
  return startWorker(siblingModule(import.meta.url, 'parse-worker'), { workerData: data, transferList: port ? [port] : [], resourceLimits: { maxOldGenerationSizeMb: PARSE_HEAP_MB } });
}

/**
 * What a failed import tells its user: a worker that ran out of its memory limit means the file is
 * too much to hold, so it is refused whole (413); an error of ours (a bug, a worker that died
 * otherwise) is logged and told in Chinese without its details. Nothing was written either way:
 * the import's transaction is rolled back (or its connection closed with the dead thread).
 */
function workerFailure(err: unknown): AppError {
  if ((err as { code?: string })?.code === 'ERR_WORKER_OUT_OF_MEMORY') {
    return new AppError(413, 'PAYLOAD_TOO_LARGE', '文件过大，导入时超出了内存限制，请拆分后分批导入（数据库未作任何改动）');
  }
  if (err instanceof AppError && err.status < 500) return err;
  console.error('import failed', err);
  return new AppError(500, 'INTERNAL', '导入时发生内部错误，数据库未作任何改动，请稍后重试或联系管理员');
}

/** Keeps what a worker died of (its 'error' event): listened to, so it can never crash the process. */
function deathOf(worker: Worker): { error: unknown } {
  const death = { error: null as unknown };
  worker.on('error', (e) => (death.error ??= e));
  return death;
}

/** Mode 'all', first pass: reads and checks the whole file, writes nothing. */
async function checkOnly(input: ImportInput, setup: ScanSetup): Promise<{ total: number; rejectedRows: number; rejects: ImportReject[]; sheet: SheetChoice | null; problemRows: ProblemRows }> {
  const worker = startParser(input, setup, null);
  let sheet: SheetChoice | null = null;
  try {
    for await (const m of messagesOf<ParseMessage>(worker)) {
      if (m.type === 'sheet') sheet = m.sheet;
      else if (m.type === 'rows') worker.postMessage({ type: 'ack' });
      else if (m.type === 'progress') input.onProgress?.(m.rows, 'checking', m);
      else if (m.type === 'error') throw fromWireError(m.error);
      else if (m.type === 'done') return { total: m.total, rejectedRows: m.rejectedRows, rejects: m.rejects, sheet, problemRows: m.problemRows };
    }
    throw new Error('the parse worker stopped before the end of the file');
  } finally {
    await worker.terminate();
  }
}

/** SQLite on a file: parse worker → write worker (own connection), this thread only waits. */
async function writeInWorker(ctx: AppCtx, input: ImportInput, setup: ScanSetup, job: WriteJob, scanInWriter: boolean): Promise<WriteResult> {
  const channel = new MessageChannel();
  const parser = startParser(input, setup, channel.port1, !scanInWriter);
  const data: WriteWorkerData = { sqlitePath: ctx.config.sqlitePath, job, port: channel.port2, setup: scanInWriter ? setup : null };
  // The parser talks to the writer only: when it dies (out of memory on a hostile file), its port
  // closes, the writer rolls back and reports an error, and the parser's own reason is the one told.
  const parserDeath = deathOf(parser);
  const writer = startWorker(siblingModule(import.meta.url, 'write-worker'), { workerData: data, transferList: [channel.port2] });
  try {
    for await (const m of messagesOf<WriteWorkerMessage>(writer)) {
      if (m.type === 'progress') input.onProgress?.(m.rows, 'importing', m);
      else if (m.type === 'error') throw fromWireError(m.error);
      else if (m.type === 'result') return m.result;
    }
    throw new Error('the write worker stopped before the end of the import');
  } catch (err) {
    await parser.terminate(); // a dead parser's 'error' has been emitted once it has exited
    throw parserDeath.error ?? err;
  } finally {
    // Awaited: the next import starts only once both threads (and the writer's connection) are gone.
    await Promise.all([parser.terminate(), writer.terminate()]);
  }
}

/**
 * PostgreSQL (or an in-memory SQLite database): parse worker → this thread writes. On PostgreSQL
 * on a connection of its own, so that rows go in by COPY inside the import's transaction.
 */
async function writeHere(ctx: AppCtx, input: ImportInput, setup: ScanSetup, job: WriteJob, scanInWriter: boolean): Promise<WriteResult> {
  const parser = startParser(input, setup, null, !scanInWriter);
  const own = ctx.dialect === 'postgres' && ctx.config.databaseUrl ? await openPgConnection({ databaseUrl: ctx.config.databaseUrl, pgSchema: ctx.config.pgSchema }) : null;
  try {
    const messages = messagesOf<ParseMessage>(parser);
    const ack = () => parser.postMessage({ type: 'ack' });
    const progress = (p: ProgressMessage) => input.onProgress?.(p.rows, 'importing', p);
    const scanHere = scanInWriter ? setup : undefined;
    return own ? await writeImport(own.db, undefined, job, messages, ack, progress, own.client, scanHere) : await writeImport(ctx.db, ctx.sqlite, job, messages, ack, progress, undefined, scanHere);
  } finally {
    await parser.terminate();
    await own?.close();
  }
}

export async function importFile(ctx: AppCtx, auth: AuthInfo, input: ImportInput): Promise<ImportReport> {
  let batchId = input.batchId ?? null;
  try {
    const unit = await getOrgUnit(ctx.db, input.orgUnitId);
    if (!unit || !inScope(auth.scope, unit.path)) throw notFound('单位不存在');
    if (unit.level !== 'community' && unit.level !== 'street' && unit.level !== 'district') throw invalidInput('请选择区、街道或社区作为导入单位');
    batchId ??= await createImportBatch(ctx, auth, { fileName: input.fileName, orgUnitId: input.orgUnitId, mode: input.mode, status: 'running' });
    const fileSha = await sha256File(input.path);
    await ctx.db.updateTable('import_batch').set({ status: 'running', file_sha256: fileSha }).where('id', '=', batchId).execute();
    return await runImport(ctx, auth, input, unit, batchId, fileSha);
  } catch (caught) {
    const err = workerFailure(caught);
    if (batchId !== null) await failBatch(ctx, auth, batchId, input.fileName, err).catch((e: unknown) => console.error('could not record the failed import', e));
    else await recordAudit(ctx.db, ctx.dialect, auth.actor, { event: 'registration.import', success: false, after: { fileName: input.fileName, code: err.code, message: err.message } }).catch(() => undefined);
    throw err;
  }
}

async function runImport(ctx: AppCtx, auth: AuthInfo, input: ImportInput, unit: OrgUnitRow, batchId: number, fileSha: string): Promise<ImportReport> {
  const at = nowIso();
  const communities: OrgUnitRow[] =
    unit.level === 'community' ? [unit] : await ctx.db.selectFrom('org_unit').selectAll().where(pathPrefixFilter(unit.path)).where('level', '=', 'community').orderBy('code').execute();
  const district = await districtOf(ctx.db, unit);
  const setup: ScanSetup = { unit: { name: unit.name, level: unit.level, code: unit.code }, communities: communities.map((c) => ({ code: c.code, name: c.name })), today: todayShanghai() };
  const job: WriteJob = {
    dialect: ctx.dialect,
    actor: auth.actor,
    userId: Number(auth.user.id),
    orgUnitId: Number(unit.id),
    batchId,
    units: communities.map((c) => ({ id: Number(c.id), path: c.path, districtId: district ? Number(district.id) : null })),
    fileName: input.fileName,
    fileSha256: fileSha,
    mode: input.mode,
    overwriteNames: input.overwriteNames === true,
    at,
  };
  const build = (r: { batchId: number; committed: boolean; total: number; imported: number; updated: number; unchanged: number; rejectedRows: number; rejects: ImportReject[]; sheet: SheetChoice | null; problemRows?: ProblemRows }): ImportReport => ({
    batchId: r.batchId,
    committed: r.committed,
    total: r.total,
    imported: r.imported,
    updated: r.updated,
    unchanged: r.unchanged,
    rejects: r.rejects,
    fileName: input.fileName,
    mode: input.mode,
    rejected: r.rejectedRows,
    sheet: r.sheet,
  });
  // The problem rows, as the user wrote them, kept for the error workbook before the upload goes.
  const report = async (r: Parameters<typeof build>[0]): Promise<ImportReport> => {
    if (r.rejects.length) {
      await keepProblemRows(ctx, batchId, input.path, r.rejects, { ...(input.limits ? { limits: input.limits } : {}), ...(r.sheet ? { sheet: r.sheet.name } : {}), ...(r.problemRows ? { given: r.problemRows } : {}) }).catch((err: unknown) => console.error('could not keep the problem rows of import batch', batchId, err));
    }
    return build(r);
  };

  let sheet: SheetChoice | null = null;
  if (input.mode === 'all') {
    // All-or-nothing: a first pass only checks; if anything is wrong nothing is written but the report.
    const check = await checkOnly(input, setup);
    sheet = check.sheet;
    if (check.rejectedRows > 0) {
      await rejectBatch(ctx, auth, batchId, input, check.total, check.rejectedRows, check.rejects, sheet);
      return await report({ batchId, committed: false, total: check.total, imported: 0, updated: 0, unchanged: 0, rejectedRows: check.rejectedRows, rejects: check.rejects, sheet, problemRows: check.problemRows });
    }
  }
  const onFile = ctx.dialect === 'sqlite' && ctx.config.sqlitePath !== ':memory:';
  // Reading an .xlsx (unzip, XML) is the slow part: the writer's thread validates its rows. A CSV
  // reads fast and validates slowly: the parse worker validates.
  const scanInWriter = (await detectKind(input.path)) === 'xlsx';
  try {
    const result = onFile ? await writeInWorker(ctx, input, setup, job, scanInWriter) : await writeHere(ctx, input, setup, job, scanInWriter);
    return await report({ ...result, committed: true });
  } catch (err) {
    // Mode 'all' with rows that name registered people differently: refused whole, like problem rows.
    const conflicts = conflictsOf(err);
    if (!conflicts) throw err;
    await rejectBatch(ctx, auth, batchId, input, conflicts.total, conflicts.rejects.length, conflicts.rejects, sheet);
    return await report({ batchId, committed: false, total: conflicts.total, imported: 0, updated: 0, unchanged: 0, rejectedRows: conflicts.rejects.length, rejects: conflicts.rejects, sheet });
  }
}
