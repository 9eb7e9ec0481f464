// Opens the database, migrates, seeds: what `serve`, `migrate`, `seed` and tests share.
import { loadConfig, type Config } from './config.js';
import { migrateToLatest, openDatabase, type Db } from './db/index.js';
import type { AppCtx } from './context.js';
import { seed, type SeedResult } from './seed/seed.js';
import { useAuditKey } from './audit/key.js';

export async function openContext(config: Config = loadConfig()): Promise<{ ctx: AppCtx; handle: Db }> {
  // Before anything writes an audit entry (the seed, the CLI): the key its MACs are made with.
  useAuditKey(config);
  const handle = openDatabase({ databaseUrl: config.databaseUrl, sqlitePath: config.sqlitePath, pgSchema: config.pgSchema });
  return { ctx: { db: handle.db, dialect: handle.dialect, config, sqlite: handle.sqlite }, handle };
}

export async function prepare(config: Config = loadConfig()): Promise<{ ctx: AppCtx; handle: Db; seeded: SeedResult }> {
  const { ctx, handle } = await openContext(config);
  try {
    await migrateToLatest(ctx.db, config.pgSchema);
    const seeded = await seed(ctx, { adminPassword: config.adminPassword });
    return { ctx, handle, seeded };
  } catch (err) {
    await handle.destroy();
    throw err;
  }
}
