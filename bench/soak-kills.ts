// kill -9 drills: start the server, start a workload (an import, a burst of payments and
// allocations, a burst of nominations and submissions), SIGKILL the server at a random moment in it,
// check the database as the crash left it (SQLite: PRAGMA integrity_check on the file), restart, then
// check the invariants (import batches all-or-nothing, Σ payments ≤ approved, Σ allocation ≤
// received, submitted nominations ≤ quota) and that the audit chain verifies.
import path from 'node:path';
import SQLite from 'better-sqlite3';
import pg from 'pg';
import { importForm, msSince, PG_URL, sleep, startServer, type Instance, type Server } from './soak-lib.js';
import type { Units, Users } from './soak-setup.js';
import { writeCsvFile } from './generate.js';

export type Workload = 'import' | 'payments' | 'nominations';
export type KillRun = {
  run: number;
  workload: Workload;
  killAfterMs: number;
  /** Requests answered before the kill: 2xx, 4xx (refused by a rule), failed by the kill. */
  ok: number;
  refused: number;
  cut: number;
  integrity: string;
  restartMs: number;
  batches: string;
  paidFen: number;
  approvedFen: number;
  allocatedFen: number;
  nominationsOverQuota: number;
  auditOk: boolean;
  auditChecked: number;
  pass: boolean;
  problems: string[];
};

type Q = (sqlText: string) => Promise<Array<Record<string, unknown>>>;

async function withQuery<T>(inst: Instance, fn: (q: Q) => Promise<T>): Promise<T> {
  if (inst.engine === 'sqlite') {
    const db = new SQLite(path.join(inst.dataDir, 'canbao.db'));
    try {
      return await fn(async (s) => db.prepare(s).all() as Array<Record<string, unknown>>);
    } finally {
      db.close();
    }
  }
  const client = new pg.Client({ connectionString: PG_URL, options: `-c search_path=${inst.pgSchema}` });
  await client.connect();
  try {
    return await fn(async (s) => (await client.query(s)).rows as Array<Record<string, unknown>>);
  } finally {
    await client.end();
  }
}

/** The invariants, straight from the tables. */
async function invariants(q: Q, units: Units) {
  const problems: string[] = [];
  const running = await q(`select id from import_batch where status not in ('done', 'rejected')`);
  if (running.length) problems.push(`${running.length} import batch(es) left ${'running'}`);
  const batches = await q(`select b.id, b.status, b.rows_imported, (select count(*) from registration r where r.import_batch_id = b.id) as n from import_batch b`);
  const bad = batches.filter((b) => (b.status === 'done' ? Number(b.n) !== Number(b.rows_imported) : Number(b.n) !== 0));
  if (bad.length) problems.push(`import batches not all-or-nothing: ${bad.map((b) => `#${b.id} ${b.status} ${b.n}/${b.rows_imported}`).join(', ')}`);
  const done = batches.filter((b) => b.status === 'done').length;
  const money = await q(`select f.district_id, f.total_fen,
      coalesce((select sum(p.amount_fen) from payment p where p.campaign_id = f.campaign_id and p.district_id = f.district_id and p.voided_at is null), 0) as paid
    from fee_sheet f where f.status = 'approved' and f.superseded_at is null`);
  let paidFen = 0;
  let approvedFen = 0;
  for (const m of money) {
    paidFen += Number(m.paid);
    approvedFen += Number(m.total_fen);
    if (Number(m.paid) > Number(m.total_fen)) problems.push(`district ${m.district_id}: paid ${m.paid} > approved ${m.total_fen}`);
  }
  const unapproved = await q(`select count(*) as n from payment p where p.voided_at is null and not exists (select 1 from fee_sheet f where f.campaign_id = p.campaign_id and f.district_id = p.district_id and f.status = 'approved' and f.superseded_at is null)`);
  if (Number(unapproved[0]!.n) > 0) problems.push(`${unapproved[0]!.n} payment(s) without an approved sheet`);
  const alloc = await q(`select a.district_id, l.kind, sum(l.amount_fen) as t,
      coalesce((select sum(p.amount_fen) from payment p where p.campaign_id = a.campaign_id and p.district_id = a.district_id and p.voided_at is null), 0) as received
    from allocation a join allocation_line l on l.allocation_id = a.id group by a.campaign_id, a.district_id, l.kind`);
  let allocatedFen = 0;
  for (const a of alloc) {
    allocatedFen = Math.max(allocatedFen, Number(a.t));
    if (Number(a.t) > Number(a.received)) problems.push(`district ${a.district_id}: allocated (${a.kind}) ${a.t} > received ${a.received}`);
  }
  const quota = await q(`select q.org_unit_id, q.quota, (select count(*) from nomination n where n.campaign_id = q.campaign_id and n.org_unit_id = q.org_unit_id and n.status in ('submitted', 'approved', 'rejected')) as used from award_quota q where q.campaign_id = ${units.campaignId}`);
  const over = quota.filter((x) => Number(x.used) > Number(x.quota));
  for (const o of over) problems.push(`unit ${o.org_unit_id}: ${o.used} nominations submitted > quota ${o.quota}`);
  return { problems, batches: `${done} done`, paidFen, approvedFen, allocatedFen, nominationsOverQuota: over.length };
}

type Counter = { ok: number; refused: number; cut: number };
const tally = (c: Counter, status: number) => {
  if (status >= 200 && status < 300) c.ok++;
  else if (status >= 400 && status < 500) c.refused++;
  else c.cut++;
};

/** The workload of one run, started; resolves when its requests have all answered or failed. */
async function startWorkload(kind: Workload, run: number, users: Users, units: Units, opts: { dir: string; importRows: number; importRowsPerMs: number }, c: Counter): Promise<{ started: Promise<unknown>; expectedMs: number }> {
  if (kind === 'import') {
    // A file of its own per run (its own ID-number region: no row of another batch matches).
    const file = path.join(opts.dir, `kill-${run}.csv`);
    await writeCsvFile(file, opts.importRows, { seed: `kill-${run}`, invalidRate: 0.03, region: `3205${String(10 + (run % 80)).padStart(2, '0')}` });
    const form = await importForm(file, units.xbCommunity, 'valid');
    const started = users.clerk.request('POST', '/api/registrations/imports', form).then((r) => tally(c, r.status));
    return { started, expectedMs: opts.importRows / opts.importRowsPerMs }; // the rate of an earlier import in this run
  }
  if (kind === 'payments') {
    const money = `/api/campaigns/${units.campaignId}/money/${units.tn}`;
    await users.admin.reauth(); // valid 5 minutes: renewed before each burst
    const burst = Array.from({ length: 30 }, async (_, i) => {
      if (i % 5 === 4) {
        // The district allocates what it received meanwhile (a stale version is refused: 409).
        const m = await users.tnAdmin.request('GET', money);
        const body = m.body as { allocation?: { version: number }; paidFen?: number } | null;
        const received = Number(body?.paidFen ?? 0);
        const share = Math.floor(received / 4);
        const r = await users.tnAdmin.request('PUT', `${money}/allocation`, {
          version: body?.allocation?.version ?? 0,
          purposes: ['publicity', 'survey', 'entry', 'analysis'].map((purpose) => ({ purpose, amountFen: share, note: '' })),
          units: [{ orgUnitId: units.tnStreet, amountFen: share * 4 }],
        });
        return tally(c, r.status);
      }
      const r = await users.admin.request('POST', `${money}/payments`, { paidOn: '2016-07-01', amountFen: 1_000 + Math.floor(Math.random() * 99_000), voucherNo: `SOAK-${run}-${i}`, note: '' });
      tally(c, r.status);
    });
    return { started: Promise.all(burst), expectedMs: 600 };
  }
  const district = [
    { id: units.xb, client: users.xbAdmin },
    { id: units.tn, client: users.tnAdmin },
    { id: units.zl, client: users.zlAdmin },
  ][run % 3]!;
  const burst = Array.from({ length: 10 }, async (_, i) => {
    const r = await district.client.request('POST', `/api/campaigns/${units.campaignId}/nominations`, { orgUnitId: district.id, name: `先进${run}_${i}`, phone: '13912345678', workUnit: '社区居委会', position: '调查员', deeds: '入户调查认真负责，登记数据准确。', conditionAnswers: ['宣传到户。', '入户调查认真负责。', '按时完成。'], unitOpinion: '同意推荐' });
    tally(c, r.status);
    if (r.status !== 200) return;
    const n = r.body as { id: number; version: number };
    const s = await district.client.request('POST', `/api/nominations/${n.id}/submit`, { version: n.version });
    tally(c, s.status);
  });
  return { started: Promise.all(burst), expectedMs: 800 };
}

export async function killRuns(opts: { inst: Instance; users: Users; units: Units; runs: number; importRows: number; importRowsPerMs: number; deadline: number; onServer: (s: Server) => void; log: (s: string) => void }): Promise<KillRun[]> {
  const { inst, users, units } = opts;
  const out: KillRun[] = [];
  const kinds: Workload[] = ['import', 'payments', 'nominations'];
  let server = await startServer(inst);
  opts.onServer(server);
  await users.admin.reauth();
  for (let run = 1; run <= opts.runs; run++) {
    if (Date.now() > opts.deadline) {
      opts.log(`  time budget reached after ${run - 1} kill runs`);
      break;
    }
    const workload = kinds[(run - 1) % kinds.length]!;
    const c: Counter = { ok: 0, refused: 0, cut: 0 };
    const { started, expectedMs } = await startWorkload(workload, run, users, units, { dir: inst.dataDir, importRows: opts.importRows, importRowsPerMs: opts.importRowsPerMs }, c);
    const killAfterMs = Math.round(20 + Math.random() * expectedMs);
    await sleep(killAfterMs);
    await server.kill9();
    await started;
    const integrity = inst.engine === 'sqlite' ? await withQuery(inst, async (q) => (await q('pragma integrity_check')).map((r) => String(r.integrity_check)).join('; ')) : 'n/a';
    const t = process.hrtime.bigint();
    server = await startServer(inst);
    opts.onServer(server);
    const restartMs = Math.round(msSince(t));
    const inv = await withQuery(inst, (q) => invariants(q, units));
    const audit = await users.admin.must<{ ok: boolean; checked: number; firstBadId: number | null }>('GET', '/api/audit/verify');
    const problems = [...inv.problems, ...(inst.engine === 'sqlite' && integrity !== 'ok' ? [`integrity_check: ${integrity}`] : []), ...(audit.ok ? [] : [`audit chain broken at ${audit.firstBadId}`])];
    const r: KillRun = { run, workload, killAfterMs, ...c, integrity, restartMs, batches: inv.batches, paidFen: inv.paidFen, approvedFen: inv.approvedFen, allocatedFen: inv.allocatedFen, nominationsOverQuota: inv.nominationsOverQuota, auditOk: audit.ok, auditChecked: audit.checked, pass: problems.length === 0, problems };
    out.push(r);
    opts.log(`  kill ${run}/${opts.runs} ${workload} at ${killAfterMs} ms: ${r.pass ? 'ok' : 'FAIL ' + problems.join('; ')}`);
  }
  await server.stop();
  return out;
}
