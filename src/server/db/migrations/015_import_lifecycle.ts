// Frozen in time. Every import is accounted for (issue 12, defect 6): the batch row is written when
// the job is created, before the file is read, so a refusal, a crash or a kill leaves a trace —
// status queued → running → done | rejected | failed, or interrupted when a server restarts and
// finds it unfinished. job_id lets the page still find a job's outcome after a restart; the error
// is what its user was told (import_problem_row: see below). rows_updated: records the file changed (rows_imported counts the new
// ones only from here on; before, it held both and the report said updated 0). sheet_name: the
// worksheet of an .xlsx that was read (a workbook may start with a 说明 sheet).
import type { Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('import_batch').addColumn('job_id', 'text').execute();
  await db.schema.alterTable('import_batch').addColumn('error_code', 'text').execute();
  await db.schema.alterTable('import_batch').addColumn('error_message', 'text').execute();
  await db.schema.alterTable('import_batch').addColumn('rows_updated', 'integer', (c) => c.notNull().defaultTo(0)).execute();
  await db.schema.alterTable('import_batch').addColumn('sheet_name', 'text').execute();
  // The rows of a file that had problems, as the user wrote them (every cell, in their columns), and
  // the rows above the data (title and header): the error workbook gives them back to be fixed and
  // imported again. row_no is the file's row; header rows have is_header 1.
  await db.schema
    .createTable('import_problem_row')
    .addColumn('batch_id', 'integer', (c) => c.notNull().references('import_batch.id'))
    .addColumn('row_no', 'integer', (c) => c.notNull())
    .addColumn('is_header', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('cells_json', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('import_problem_row_pk', ['batch_id', 'row_no'])
    .execute();
  await db.schema.createIndex('import_batch_job_idx').on('import_batch').column('job_id').execute();
  await db.schema.createIndex('import_batch_status_idx').on('import_batch').column('status').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('import_problem_row').execute();
  await db.schema.dropIndex('import_batch_status_idx').execute();
  await db.schema.dropIndex('import_batch_job_idx').execute();
  for (const c of ['sheet_name', 'rows_updated', 'error_message', 'error_code', 'job_id']) await db.schema.alterTable('import_batch').dropColumn(c).execute();
}
