// HTTP contracts of registration records (SPEC §1). The record's fields are REGISTRATION_FIELDS;
// ID numbers and phones come back masked unless the caller's role needs them (and then the view is
// logged on the server).
import { z } from 'zod';
import { REGISTRATION_FIELDS } from './registration.js';
import { INSURANCE_TYPES, type InsuranceTypeCode } from './codes/index.js';

const MAX_ID = 2_147_483_647;

/** Every field optional, as typed: the server normalises and validates (validateRegistration). */
export const registrationFields = z.strictObject(
  Object.fromEntries(REGISTRATION_FIELDS.map((f) => [f.key, z.string().max(Math.max(f.maxLength ?? 60, 60) * 2).nullable().optional()])) as Record<
    string,
    z.ZodOptional<z.ZodNullable<z.ZodString>>
  >,
);

export const registrationError = z.object({ field: z.string(), code: z.string(), message: z.string() });

export const registrationCreate = z.strictObject({
  orgUnitId: z.number().int().positive().max(MAX_ID),
  record: registrationFields,
});

export const registrationUpdate = z.strictObject({
  record: registrationFields,
  version: z.number().int().nonnegative(),
});

export const registration = z.object({
  id: z.number().int(),
  orgUnitId: z.number().int(),
  orgUnitName: z.string(),
  districtId: z.number().int().nullable(),
  householdId: z.number().int().nullable(),
  record: z.record(z.string(), z.string().nullable()),
  isValid: z.boolean(),
  errors: z.array(registrationError),
  isCounted: z.boolean(),
  /** For a valid record not counted: where the same person is counted (visible to both districts). */
  countedElsewhere: z.object({ registrationId: z.number().int(), orgUnitName: z.string(), districtName: z.string().nullable(), enteredAt: z.string() }).nullable(),
  countedByCity: z.boolean(),
  enteredBy: z.number().int(),
  enteredAt: z.string(),
  entrySource: z.string(),
  updatedAt: z.string(),
  version: z.number().int(),
  masked: z.boolean(),
});
export type Registration = z.infer<typeof registration>;

export const registrationHistoryEntry = z.object({
  id: z.number().int(),
  at: z.string(),
  userId: z.number().int().nullable(),
  username: z.string().nullable(),
  action: z.string(),
  changes: z.record(z.string(), z.tuple([z.string().nullable(), z.string().nullable()])),
});
/** The other records of the same person (ID number), in any district: only where and which counts. */
export const otherRecord = z.object({
  registrationId: z.number().int(),
  orgUnitName: z.string(),
  districtName: z.string().nullable(),
  isValid: z.boolean(),
  isCounted: z.boolean(),
  enteredAt: z.string(),
  /** Whether the caller may open that record. */
  inScope: z.boolean(),
});
export type OtherRecord = z.infer<typeof otherRecord>;
export const registrationDetail = registration.extend({
  history: z.array(registrationHistoryEntry),
  otherRecords: z.array(otherRecord),
  /** A photo of the signed paper form came with the record from a surveyor's phone (GET …/photo). */
  hasPhoto: z.boolean(),
});

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, '日期格式应为 YYYY-MM-DD');
const insuranceTypeCodes = INSURANCE_TYPES.map((t) => t.code) as [InsuranceTypeCode, ...InsuranceTypeCode[]];

/** The list's filters; the export of the detail table takes the same. Dates are Asia/Shanghai days, inclusive. */
/** A code of a code table, or 'none' for records where the field is empty. */
const codeOrNone = z.string().regex(/^(\d{1,3}|none)$/);

export const registrationFilterQuery = z.object({
  orgUnitId: z.coerce.number().int().positive().max(MAX_ID).optional(),
  valid: z.enum(['true', 'false']).optional(),
  duplicate: z.enum(['true', 'false']).optional(),
  /** Name (prefix) or ID number. */
  q: z.string().trim().max(40).optional(),
  /** With insStatus: records whose status for this insurance type is insStatus. */
  insType: z.enum(insuranceTypeCodes).optional(),
  insStatus: z.string().regex(/^(\d|none)$/).optional(),
  personCategory: codeOrNone.optional(),
  enteredFrom: isoDate.optional(),
  enteredTo: isoDate.optional(),
  surveyor: z.string().trim().min(1).max(30).optional(),
  // The filters a statistics cell opens the list with ('none' = not filled in).
  sex: codeOrNone.optional(),
  hukouType: codeOrNone.optional(),
  uninsuredReason: codeOrNone.optional(),
  willingness: codeOrNone.optional(),
  /** Born in these years (inclusive): an age band of the statistics. */
  birthYearFrom: z.coerce.number().int().min(1850).max(2100).optional(),
  birthYearTo: z.coerce.number().int().min(1850).max(2100).optional(),
  /** No birth date recorded. */
  birthUnknown: z.enum(['true']).optional(),
  /** Invalid records with a problem in this field (a RegistrationKey). */
  errorField: z.string().regex(/^[a-zA-Z0-9]{2,40}$/).optional(),
});
export type RegistrationFilterQuery = z.infer<typeof registrationFilterQuery>;

/** The list's orders: 录入时间 (records are appended in entry order, so the id's), 姓名, 社区/村; '-' = descending. */
export const REGISTRATION_SORTS = ['-enteredAt', 'enteredAt', 'name', '-name', 'orgUnit', '-orgUnit'] as const;
export type RegistrationSort = (typeof REGISTRATION_SORTS)[number];
/** How deep page numbers reach (rows skipped); beyond it the user narrows the filters or exports. */
export const MAX_LIST_OFFSET = 100_000;

export const registrationListQuery = registrationFilterQuery.extend({
  /** Keyset paging, newest first: the last id of the previous page. */
  before: z.coerce.number().int().positive().max(MAX_ID).optional(),
  /** Page numbers (1-based), with `sort`; not with `before`. */
  page: z.coerce.number().int().min(1).optional(),
  sort: z.enum(REGISTRATION_SORTS).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
/** Selected records: ids separated by commas (at most 500). */
const idList = z
  .string()
  .regex(/^\d{1,15}(,\d{1,15}){0,499}$/, '所选记录的编号格式不正确（最多 500 条）')
  .transform((s) => [...new Set(s.split(',').map(Number))]);
/** A token the page chooses for an export, to ask for its progress (GET /api/registrations/export-progress/:token). */
export const exportProgressToken = z.string().regex(/^[A-Za-z0-9_-]{16,64}$/, '导出进度标识无效');
export const registrationExportQuery = registrationFilterQuery.extend({ format: z.enum(['xlsx', 'csv']).default('xlsx'), ids: idList.optional(), progress: exportProgressToken.optional() });
/** An export's progress (issue 14): rows written of the rows in all, for the user who started it. */
export const exportProgress = z.object({
  rowsWritten: z.number().int(),
  /** Null until counted; an estimate (rowsTotalEstimated) when the filters could not be counted exactly at once. */
  rowsTotal: z.number().int().nullable(),
  rowsTotalEstimated: z.boolean(),
  startedAt: z.string(),
  /** Milliseconds since the export began (until it ended), measured by the server. */
  elapsedMs: z.number().int(),
  /** The export has ended: written whole, or failed part-way (failed). */
  done: z.boolean(),
  failed: z.boolean(),
});
export type ExportProgress = z.infer<typeof exportProgress>;
export const registrationPage = z.object({ items: z.array(registration), nextCursor: z.number().int().nullable() });

/** How many records the list's filters match: exact from the statistics tables or a direct count, else an estimate. */
export const registrationCount = z.object({
  total: z.number().int(),
  /** exact: counted; estimate: from the statistics tables assuming the filters independent; atLeast: the count stopped at `total`. */
  kind: z.enum(['exact', 'estimate', 'atLeast']),
});
export type RegistrationCount = z.infer<typeof registrationCount>;

/** Delete selected records that fail validation (bulk delete is for records still to be fixed). */
export const registrationBulkDelete = z.strictObject({
  items: z
    .array(z.strictObject({ id: z.number().int().positive().max(MAX_ID), version: z.number().int().nonnegative() }))
    .min(1, '请选择要删除的记录')
    .max(500, '一次最多删除 500 条'),
});

export const validCountResponse = z.object({
  orgUnitId: z.number().int(),
  asOf: z.string().nullable(),
  entered: z.number().int(),
  invalid: z.number().int(),
  duplicates: z.number().int(),
  validCount: z.number().int(),
  invalidByReason: z.array(z.object({ code: z.string(), count: z.number().int() })),
});
export const validCountQuery = z.object({
  orgUnitId: z.coerce.number().int().positive().max(MAX_ID),
  asOf: z.string().regex(/^\d{4}-\d{2}-\d{2}$/).optional(),
});

// ---------- import ----------
export const importReject = z.object({ row: z.number().int(), column: z.string().nullable(), field: z.string().nullable(), message: z.string() });
export type ImportReject = z.infer<typeof importReject>;
export const importReport = z.object({
  batchId: z.number().int(),
  fileName: z.string(),
  mode: z.enum(['all', 'valid']),
  committed: z.boolean(),
  total: z.number().int(),
  imported: z.number().int(),
  updated: z.number().int(),
  unchanged: z.number().int(),
  rejected: z.number().int(),
  rejects: z.array(importReject),
  /** An .xlsx: the sheet read, the sheets whose first rows hold a registration header, and all sheets. */
  sheet: z.object({ name: z.string(), candidates: z.array(z.string()), all: z.array(z.string()) }).nullable(),
});
export type ImportReport = z.infer<typeof importReport>;
export type ImportMode = ImportReport['mode'];

export const IMPORT_BATCH_STATUSES = ['queued', 'running', 'done', 'rejected', 'failed', 'interrupted'] as const;
export type ImportBatchStatus = (typeof IMPORT_BATCH_STATUSES)[number];

export const importBatchSummary = z.object({
  batchId: z.number().int(),
  fileName: z.string(),
  mode: z.enum(['all', 'valid']),
  /**
   * queued: waiting for another import; running: being read and written; done; rejected: mode 'all'
   * with problem rows (nothing written); failed: refused or stopped by an error (nothing written);
   * interrupted: the server stopped while it ran (nothing written).
   */
  status: z.enum(IMPORT_BATCH_STATUSES),
  /** failed: what its user was told. */
  error: z.string().nullable(),
  orgUnitName: z.string(),
  userName: z.string(),
  total: z.number().int(),
  imported: z.number().int(),
  updated: z.number().int(),
  unchanged: z.number().int(),
  rejected: z.number().int(),
  createdAt: z.string(),
  finishedAt: z.string().nullable(),
});
export type ImportBatchSummary = z.infer<typeof importBatchSummary>;

/** An import runs in the background: the upload answers with the job, the page polls it. */
export const importJob = z.object({
  jobId: z.string(),
  /** The import batch that records it (written when the job is created). */
  batchId: z.number().int().nullable(),
  fileName: z.string(),
  /**
   * queued: waiting for another import to finish; checking: mode 'all' reads the file once before
   * writing; interrupted: the server stopped while it ran (found again after a restart by its batch).
   */
  status: z.enum(['queued', 'checking', 'importing', 'done', 'failed', 'interrupted']),
  /** Rows of the file read so far in the current pass (mode 'all' reads it twice: the check, then the import). */
  rowsRead: z.number().int(),
  /**
   * The file's rows in all (issue 14): exact once a pass has read the whole file — in mode 'all' from
   * the check pass on, so the writing pass shows an exact total — else estimated from how far into
   * the file (a CSV's bytes, an .xlsx worksheet's inflated bytes) the rows read reach; null before
   * the first rows.
   */
  rowsTotal: z.number().int().nullable(),
  /** rowsTotal is an estimate (the page shows 约). */
  rowsTotalEstimated: z.boolean(),
  /** Milliseconds since the current pass began, measured by the server when it answered (null when not running). */
  elapsedMs: z.number().int().nullable(),
  startedAt: z.string(),
  report: importReport.nullable(),
  /** missing: the required columns the file lacks; template: the page offers the import template. */
  error: z.object({ code: z.string(), message: z.string(), missing: z.array(z.string()).optional(), template: z.boolean().optional() }).nullable(),
});
export type ImportJob = z.infer<typeof importJob>;
