// Imports as background jobs: the upload is answered at once with a job id, the page polls the
// job for the rows read so far and finally the report. Imports run one at a time per server (on
// SQLite there is one writer anyway); the others wait as 'queued'. Jobs are kept in memory for an
// hour after they end; the outcome itself is in import_batch (written when the job is created, with
// the job's id) and the audit log, so a job no longer in memory — after a restart, or an hour
// later — is answered from its batch: done, rejected, failed or interrupted, never 404.
import { randomBytes } from 'node:crypto';
import type { AppCtx } from '../../context.js';
import type { AuthInfo } from '../../auth/access.js';
import type { ImportJob } from '../../../shared/api-registration.js';
import { AppError } from '../../errors.js';
import { createImportBatch, importFile, type ImportInput } from './service.js';
import { batchOutcome } from './batches.js';

/** passStartedMs: when the current pass began; exactTotal: the rows of the file, once a pass has read it whole. */
type Job = Omit<ImportJob, 'elapsedMs'> & { userId: number; passStartedMs: number | null; exactTotal: number | null };

const KEEP_MS = 60 * 60 * 1000;
const jobs = new Map<string, Job>();
let queue: Promise<unknown> = Promise.resolve();
let finishHold: Promise<void> | null = null;

/**
 * Tests only: every import that ends while `hold` is pending stays in its last state (its rows all
 * read, status checking/importing) until `hold` settles, so that a browser test can see the progress
 * of an import that would otherwise end between two polls. Its writes are committed already.
 */
export function holdImportEndsForTests(hold: Promise<void> | null): void {
  finishHold = hold;
}

function prune(now: number): void {
  for (const [id, j] of jobs) if ((j.status === 'done' || j.status === 'failed') && now - Date.parse(j.startedAt) > KEEP_MS) jobs.delete(id);
}

/** Starts the import; `cleanup` runs when it has ended, however it ended (removes the upload). */
export async function startImportJob(ctx: AppCtx, auth: AuthInfo, input: ImportInput, cleanup: () => void): Promise<ImportJob> {
  prune(Date.now());
  const jobId = randomBytes(12).toString('hex');
  const batchId = await createImportBatch(ctx, auth, { fileName: input.fileName, orgUnitId: input.orgUnitId, mode: input.mode, jobId, status: 'queued' });
  const job: Job = {
    jobId,
    batchId,
    userId: Number(auth.user.id),
    fileName: input.fileName,
    status: 'queued',
    rowsRead: 0,
    rowsTotal: null,
    rowsTotalEstimated: false,
    passStartedMs: null,
    exactTotal: null,
    startedAt: new Date().toISOString(),
    report: null,
    error: null,
  };
  jobs.set(job.jobId, job);
  const run = async () => {
    job.status = input.mode === 'all' ? 'checking' : 'importing';
    job.passStartedMs = Date.now();
    try {
      job.report = await importFile(ctx, auth, {
        ...input,
        batchId,
        onProgress: (rows, phase, read) => {
          if (job.status !== phase) job.passStartedMs = Date.now(); // mode 'all' reads the file twice: the check, then the import
          job.status = phase;
          job.rowsRead = rows;
          if (read.final) job.exactTotal = rows;
          Object.assign(job, rowsTotalOf(rows, job.exactTotal, read.fraction));
        },
      });
      if (finishHold) await finishHold.catch(() => undefined);
      job.status = 'done';
    } catch (err) {
      job.status = 'failed';
      job.error = err instanceof AppError ? { code: err.code, message: err.message, ...errorHints(err.details) } : { code: 'INTERNAL', message: '导入时发生内部错误，数据库未作任何改动，请稍后重试或联系管理员' };
      if (!(err instanceof AppError)) console.error('import failed', err);
    } finally {
      cleanup();
    }
  };
  queue = queue.then(run, run);
  return view(job);
}

/**
 * The job, only for the user who started it (anyone else: as if it did not exist). A job no longer
 * in memory is answered from its batch row.
 */
export async function getImportJob(ctx: AppCtx, auth: AuthInfo, jobId: string): Promise<ImportJob | null> {
  const userId = Number(auth.user.id);
  const job = jobs.get(jobId);
  if (job) return job.userId === userId ? view(job) : null;
  const batch = await ctx.db.selectFrom('import_batch').selectAll().where('job_id', '=', jobId).where('user_id', '=', userId).executeTakeFirst();
  if (!batch) return null;
  const outcome = batchOutcome(auth, batch);
  const status = batch.status === 'done' || batch.status === 'rejected' ? 'done' : batch.status === 'interrupted' ? 'interrupted' : batch.status === 'failed' ? 'failed' : 'interrupted';
  return {
    jobId,
    batchId: Number(batch.id),
    fileName: batch.file_name,
    status,
    rowsRead: Number(batch.rows_total),
    rowsTotal: Number(batch.rows_total),
    rowsTotalEstimated: false,
    elapsedMs: null,
    startedAt: batch.created_at,
    report: status === 'done' ? outcome : null,
    error: status === 'done' ? null : { code: batch.error_code ?? 'INTERRUPTED', message: batch.error_message ?? '服务在导入过程中停止，本次导入未写入任何数据，请重新导入' },
  };
}

/**
 * The rows in all: exact once known (the end of a pass), else extrapolated from the fraction of the
 * file the rows read so far came from, never below the rows read.
 */
export function rowsTotalOf(rows: number, exact: number | null, fraction: number | null): Pick<ImportJob, 'rowsTotal' | 'rowsTotalEstimated'> {
  if (exact !== null) return { rowsTotal: exact, rowsTotalEstimated: false };
  if (fraction === null || !(fraction > 0) || rows === 0) return { rowsTotal: null, rowsTotalEstimated: false };
  return { rowsTotal: Math.max(rows, Math.round(rows / fraction)), rowsTotalEstimated: true };
}

function view(job: Job): ImportJob {
  const { userId: _userId, passStartedMs, exactTotal: _exact, ...rest } = job;
  const running = job.status === 'checking' || job.status === 'importing';
  return { ...rest, elapsedMs: running && passStartedMs !== null ? Date.now() - passStartedMs : null };
}

/** What the page needs besides the message: the missing columns, and whether to offer the template. */
function errorHints(details: unknown): { missing?: string[]; template?: boolean } {
  const d = (details ?? {}) as { missing?: unknown; template?: unknown };
  return {
    ...(Array.isArray(d.missing) ? { missing: d.missing.map(String) } : {}),
    ...(d.template === true ? { template: true } : {}),
  };
}

/** Resolves when every import started so far has ended (server shutdown, tests). */
export function importsIdle(): Promise<void> {
  return queue.then(
    () => undefined,
    () => undefined,
  );
}

/** Tests: forget the jobs kept in memory, as a restarted server has (the batches stay). */
export function forgetImportJobsForTests(): void {
  jobs.clear();
}
