// What every store and service receives explicitly: the database, its engine and the config.
import type { Kysely } from 'kysely';
import type SQLite from 'better-sqlite3';
import type { Database } from './db/schema.js';
import type { DialectName } from './db/index.js';
import type { Config } from './config.js';

export type AppCtx = {
  db: Kysely<Database>;
  dialect: DialectName;
  config: Config;
  /** The raw connection on SQLite, for the few bulk paths that need prepared statements. */
  sqlite?: SQLite.Database | undefined;
};
