// Frozen in time. TOTP enrolment in progress, and the last step used (a code works only once).
import type { Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('app_user').addColumn('totp_pending', 'varchar(64)').execute();
  await db.schema.alterTable('app_user').addColumn('totp_last_step', 'integer').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('app_user').dropColumn('totp_last_step').execute();
  await db.schema.alterTable('app_user').dropColumn('totp_pending').execute();
}
