// Frozen in time. Field capture (入户调查, issue 15): the photo of the paper form a resident signed,
// taken on the surveyor's phone and sent after the record's upload. One photo per record (a new
// one replaces it); the bytes are kept like every other stored file, once per content under
// DATA_DIR/evidence by SHA-256 (backups take them from there), the row keeps who sent which photo
// for which upload. Also a partial index over the records entered on phones, for the work
// statistics' per-person count of them (PostgreSQL: text_pattern_ops so that the subtree's
// `org_path like 'prefix%'` can use it, as registration_invalid_idx does).
import { sql, type Kysely } from 'kysely';
import { PostgresAdapter } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  const pg = db.getExecutor().adapter instanceof PostgresAdapter;
  await db.schema
    .createTable('field_photo')
    .addColumn('registration_id', 'integer', (c) => c.primaryKey().references('registration.id'))
    .addColumn('client_id', 'varchar(36)', (c) => c.notNull().references('field_upload.client_id'))
    .addColumn('mime', 'varchar(32)', (c) => c.notNull())
    .addColumn('size_bytes', 'integer', (c) => c.notNull())
    .addColumn('sha256', 'varchar(64)', (c) => c.notNull())
    .addColumn('uploaded_by', 'integer', (c) => c.notNull().references('app_user.id'))
    .addColumn('uploaded_at', 'varchar(32)', (c) => c.notNull())
    .execute();
  await sql.raw(`CREATE INDEX registration_field_idx ON registration (org_path${pg ? ' text_pattern_ops' : ''}, entered_by) WHERE entry_source = 'field' AND deleted_at IS NULL`).execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`DROP INDEX registration_field_idx`.execute(db);
  await db.schema.dropTable('field_photo').execute();
}
