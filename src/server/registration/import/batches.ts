// An import batch as its readers see it: the report of a finished batch (the job's report, read
// back) with the rejected rows masked for roles without the full view.
import type { AuthInfo } from '../../auth/access.js';
import type { ImportBatchTable } from '../../db/schema.js';
import type { Selectable } from 'kysely';
import { scrubText } from '../../../domain/masking.js';
import { FULL_VIEW_ROLES } from '../service.js';
import type { ImportReject, ImportReport } from '../../../shared/api-registration.js';

/**
 * A batch's rejected rows as the caller may read them: roles without the full view (viewers) get
 * the messages scrubbed of ID numbers, phones and dates (they quote birth dates and ID digits).
 */
export function rejectsFor(auth: AuthInfo, json: string | null): ImportReject[] {
  const rejects = json ? (JSON.parse(json) as ImportReject[]) : [];
  if (FULL_VIEW_ROLES.includes(auth.role)) return rejects;
  return rejects.map((x) => ({ ...x, message: scrubText(x.message, undefined, { allDates: true }) }));
}

export function batchOutcome(auth: AuthInfo, batch: Selectable<ImportBatchTable>): ImportReport {
  return {
    batchId: Number(batch.id),
    fileName: batch.file_name,
    mode: batch.mode as 'all' | 'valid',
    committed: batch.status === 'done',
    total: Number(batch.rows_total),
    imported: Number(batch.rows_imported),
    updated: Number(batch.rows_updated),
    unchanged: Number(batch.rows_unchanged),
    rejected: Number(batch.rows_rejected),
    rejects: rejectsFor(auth, batch.rejects_json),
    // Which other sheets qualified is told when the import ends; the batch keeps the sheet read.
    sheet: batch.sheet_name === null ? null : { name: batch.sheet_name, candidates: [batch.sheet_name], all: [batch.sheet_name] },
  };
}
