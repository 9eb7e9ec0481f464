// SQLite's write lock held by another connection (an import's write worker, the CLI): a write
// waits for it without stopping the server — reads of the same connection go on meanwhile — and
// answers SQLITE_BUSY (→ 503 BUSY) once the wait is over. PostgreSQL has row locks instead: the
// rule is SQLite's.
import SQLite from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestEnv, type TestEnv } from '../testing/harness.js';
import { openDatabase } from './index.js';

describe('waiting for the SQLite write lock (sqlite)', () => {
  let env: TestEnv;
  let other: SQLite.Database;
  beforeAll(async () => {
    env = await createTestEnv();
    other = new SQLite(env.config.sqlitePath);
  });
  afterAll(async () => {
    other?.close();
    await env?.close();
  });

  const rename = (db: TestEnv['ctx']['db'], name: string) => db.updateTable('campaign').set({ name }).where('code', '=', '2016').execute();
  const nameNow = async () => (await env.ctx.db.selectFrom('campaign').select('name').where('code', '=', '2016').executeTakeFirstOrThrow()).name;

  it('a write waiting for another connection’s write lock does not block reads: they answer while it waits, and it succeeds once the lock is released', async () => {
    other.exec('begin immediate');
    let settled = false;
    const write = rename(env.ctx.db, '等待写锁后保存').finally(() => (settled = true));
    const tx = env.ctx.db.transaction().execute(async (trx) => rename(trx, '事务中保存'));
    // Both writes are waiting; reads of the same connection still answer.
    const units = await env.ctx.db.selectFrom('org_unit').select('id').execute();
    expect(units.length).toBeGreaterThan(0);
    expect(settled).toBe(false);
    other.exec('commit');
    await write;
    await tx;
    expect(['等待写锁后保存', '事务中保存']).toContain(await nameNow());
  });

  it('a write still waiting when the wait is over fails with SQLITE_BUSY (answered as 503 BUSY), having changed nothing', async () => {
    const before = await nameNow();
    const short = openDatabase({ sqlitePath: env.config.sqlitePath, busyWaitMs: 30 });
    try {
      other.exec('begin immediate');
      await expect(short.db.transaction().execute(async (trx) => rename(trx, '不应保存'))).rejects.toMatchObject({ code: 'SQLITE_BUSY' });
      await expect(rename(short.db, '不应保存')).rejects.toMatchObject({ code: 'SQLITE_BUSY' });
    } finally {
      if (other.inTransaction) other.exec('rollback');
      await short.destroy();
    }
    expect(await nameNow()).toBe(before);
  });
});
