// Issue 13 item 6: a chain recomputed by someone with database access but without the audit key is
// detected (the MACs do not match); entries older than the MAC column are accepted only as the
// beginning of the chain, closed by an audit.mac_start entry at the first start after migration 011.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { createHmac, randomBytes } from 'node:crypto';
import { adminClient, auditCount, createTestEnv, testEngine, type Client, type TestEnv } from '../testing/harness.js';
import { openDatabase } from '../db/index.js';
import { buildApp } from '../app.js';
import type { AppCtx } from '../context.js';
import { entryHash } from './store.js';
import fs from 'node:fs';
import { auditHeadsPath } from './heads.js';

async function dropUpdateTrigger(ctx: AppCtx): Promise<void> {
  if (ctx.dialect === 'postgres') await sql`DROP TRIGGER IF EXISTS audit_log_no_update ON audit_log`.execute(ctx.db);
  else await sql`DROP TRIGGER IF EXISTS audit_log_no_update`.execute(ctx.db);
}

describe(`audit MACs (${testEngine()})`, () => {
  let env: TestEnv;
  let admin: Client & { password: string };

  beforeAll(async () => {
    env = await createTestEnv();
    admin = await adminClient(env.app);
    for (let i = 0; i < 6; i++) await env.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: `nobody${i}`, password: 'Wrong#pass99' } });
  });
  afterAll(async () => env?.close());

  it('entries without a MAC (written before migration 011) pass as the start of the chain, closed by audit.mac_start at the next start', async () => {
    await dropUpdateTrigger(env.ctx);
    // what a database migrated from an older version looks like: no MAC anywhere (hashes unchanged)
    await env.ctx.db.updateTable('audit_log').set({ mac: null }).execute();
    const legacy = await auditCount(env.ctx);
    const handle = openDatabase({ databaseUrl: env.config.databaseUrl, sqlitePath: env.config.sqlitePath, pgSchema: env.config.pgSchema });
    const ctx: AppCtx = { db: handle.db, dialect: handle.dialect, config: env.config, sqlite: handle.sqlite };
    const { app } = await buildApp({ ctx, webRoot: null });
    try {
      const rows = await env.ctx.db.selectFrom('audit_log').selectAll().orderBy('id').execute();
      const start = rows.find((r) => r.event === 'audit.mac_start')!;
      expect(JSON.parse(start.after_json!)).toMatchObject({ legacyEntries: legacy });
      expect(start.mac).toMatch(/^[0-9a-f]{64}$/);
      expect(rows.filter((r) => r.mac === null)).toHaveLength(legacy);
    } finally {
      await app.close();
      await handle.destroy();
    }
    const res = (await admin.request('GET', '/api/audit/verify')).json();
    expect(res).toMatchObject({ ok: true, code: 'ok', total: await auditCount(env.ctx) });
  });

  it('an entry without a MAC after MAC’d ones is refused by the verification', async () => {
    await admin.request('GET', '/api/audit/verify');
    await dropUpdateTrigger(env.ctx); // re-created by the restart above
    const last = await env.ctx.db.selectFrom('audit_log').select('id').orderBy('id', 'desc').limit(1).executeTakeFirstOrThrow();
    const mac = (await env.ctx.db.selectFrom('audit_log').select('mac').where('id', '=', last.id).executeTakeFirstOrThrow()).mac;
    await env.ctx.db.updateTable('audit_log').set({ mac: null }).where('id', '=', last.id).execute();
    const res = (await admin.request('GET', '/api/audit/verify')).json();
    expect(res).toMatchObject({ ok: false, code: 'mac_invalid', firstBadId: Number(last.id) });
    // put it back: the verification passes again (a full walk clears a failure)
    await env.ctx.db.updateTable('audit_log').set({ mac }).where('id', '=', last.id).execute();
    expect((await admin.request('GET', '/api/audit/verify')).json()).toMatchObject({ ok: true });
  });

  it('a recorded head edited in the heads file (count lowered to hide a deletion) is reported as a forged head', async () => {
    await admin.request('GET', '/api/audit/verify');
    const file = auditHeadsPath(env.config);
    const original = fs.readFileSync(file, 'utf8');
    const lines = original.trim().split('\n');
    const last = JSON.parse(lines.at(-1)!) as { count: number };
    lines[lines.length - 1] = JSON.stringify({ ...last, count: last.count - 1 });
    fs.writeFileSync(file, lines.join('\n') + '\n');
    const res = (await admin.request('GET', '/api/audit/verify')).json();
    expect(res).toMatchObject({ ok: false, code: 'heads_forged' });
    expect(res.reason).toContain(`第 ${lines.length} 行`);
    fs.writeFileSync(file, original);
    expect((await admin.request('GET', '/api/audit/verify')).json()).toMatchObject({ ok: true });
  });

  // Last: it damages this file's log on purpose.
  it('a chain recomputed with a wrong key (one entry changed, every later hash and MAC redone) is detected', async () => {
    const wrongKey = randomBytes(32);
    const rows = await env.ctx.db.selectFrom('audit_log').selectAll().orderBy('id').execute();
    await dropUpdateTrigger(env.ctx);
    const k = rows.findIndex((r) => r.mac !== null && r.username !== null);
    expect(k).toBeGreaterThan(0);
    let prev = rows[k - 1]!.hash;
    for (let i = k; i < rows.length; i++) {
      const { id, hash: _h, prev_hash: _p, mac: _m, ...fields } = rows[i]!;
      const changed = i === k ? { ...fields, username: 'someone_else' } : fields;
      const hash = entryHash(prev, { ...changed, success: Number(changed.success) });
      const mac = createHmac('sha256', wrongKey).update(hash).digest('hex');
      await env.ctx.db.updateTable('audit_log').set({ username: changed.username, prev_hash: prev, hash, mac }).where('id', '=', id).execute();
      prev = hash;
    }
    const res = (await admin.request('GET', '/api/audit/verify')).json();
    expect(res).toMatchObject({ ok: false, code: 'mac_invalid', firstBadId: Number(rows[k]!.id) });
    const health = (await env.app.inject({ method: 'GET', url: '/api/health' })).json();
    expect(health.audit).toMatchObject({ ok: false, reason: expect.stringMatching(/校验码/) });
  });
});
