// The one ordered list of migrations, shared by both engines.
import type { Migration, MigrationProvider } from 'kysely';
import * as m001 from './001_backbone.js';
import * as m002 from './002_totp.js';
import * as m003 from './003_registration.js';
import * as m004 from './004_import_speed.js';
import * as m005 from './005_assessment.js';
import * as m006 from './006_count_snapshot.js';
import * as m007 from './007_nomination.js';
import * as m008 from './008_money.js';
import * as m009 from './009_statistics.js';
import * as m010 from './010_detail_tables.js';
import * as m011 from './011_audit_mac.js';
import * as m012 from './012_invalid_index.js';
import * as m015 from './015_import_lifecycle.js';
import * as m016 from './016_stat_trigger_when.js';
import * as m017 from './017_award_conditions.js';
import * as m018 from './018_field_capture.js';
import * as m019 from './019_field_photo.js';

const migrations: Record<string, Migration> = {
  '001_backbone': m001,
  '002_totp': m002,
  '003_registration': m003,
  '004_import_speed': m004,
  '005_assessment': m005,
  '006_count_snapshot': m006,
  '007_nomination': m007,
  '008_money': m008,
  '009_statistics': m009,
  '010_detail_tables': m010,
  '011_audit_mac': m011,
  '012_invalid_index': m012,
  '015_import_lifecycle': m015,
  '016_stat_trigger_when': m016,
  '017_award_conditions': m017,
  '018_field_capture': m018,
  '019_field_photo': m019,
};

export const migrationProvider: MigrationProvider = {
  getMigrations: () => Promise.resolve(migrations),
};
