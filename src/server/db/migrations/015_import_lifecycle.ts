// Frozen in time. Every import is accounted for (issue 12, defect 6): the batch row is written when
// the job is created, before the file is read, so a refusal, a crash or a kill leaves a trace —
// status queued → running → done | rejected | failed, or interrupted when a server restarts and
// finds it unfinished. job_id lets the page still find a job's outcome after a restart; the error
// is what its user was told. rows_updated: records the file changed (rows_imported counts the new
// ones only from here on; before, it held both and the report said updated 0). sheet_name: the
// worksheet of an .xlsx that was read (a workbook may start with a 说明 sheet).
import type { Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('import_batch').addColumn('job_id', 'text').execute();
  await db.schema.alterTable('import_batch').addColumn('error_code', 'text').execute();
  await db.schema.alterTable('import_batch').addColumn('error_message', 'text').execute();
  await db.schema.alterTable('import_batch').addColumn('rows_updated', 'integer', (c) => c.notNull().defaultTo(0)).execute();
  await db.schema.alterTable('import_batch').addColumn('sheet_name', 'text').execute();
  await db.schema.createIndex('import_batch_job_idx').on('import_batch').column('job_id').execute();
  await db.schema.createIndex('import_batch_status_idx').on('import_batch').column('status').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('import_batch_status_idx').execute();
  await db.schema.dropIndex('import_batch_job_idx').execute();
  for (const c of ['sheet_name', 'rows_updated', 'error_message', 'error_code', 'job_id']) await db.schema.alterTable('import_batch').dropColumn(c).execute();
}
