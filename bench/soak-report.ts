// The soak's figures as text tables (bench/soak.ts; also for a saved --json output:
// npx tsx bench/soak-report.ts FILE).
import fs from 'node:fs';
import { table, type Engine } from './soak-lib.js';
import type { EditorResult, ReadersResult, SaveTiming } from './soak-load.js';
import type { KillRun } from './soak-kills.js';

export type EngineResult = { engine: Engine; editors: EditorResult | null; readers: ReadersResult | null; quietSaves: SaveTiming | null; kills: KillRun[]; approvedFen: number | null; seconds: number };
export type Machine = { date: string; nproc: number; cpu: string; node: string; loadavg: number[] };

export function render(machine: Machine, results: EngineResult[]): string {
  const out: string[] = [];
  out.push(`canbao soak — ${machine.date}, ${machine.nproc} cores (${machine.cpu}), Node ${machine.node}, load average at the end ${machine.loadavg.join(' ')} (shared machine)`);
  for (const r of results) {
    out.push('', `== ${r.engine} (${r.seconds} s) ==`);
    if (r.editors) {
      const e = r.editors;
      out.push(`editors: ${e.editors} concurrent editors of one record: ${e.accepted} saves accepted, ${e.conflicts} × 409 (re-read and retried), ${e.otherErrors} other errors, ${e.historyUpdates} history entries, lost updates ${e.lost}, duplicated ${e.duplicatedInHistory} (${e.seconds} s)`);
    }
    if (r.readers) {
      const x = r.readers;
      out.push(`readers: ${x.rows}-row import ${x.importStatus} in ${x.importSeconds} s (${x.imported} imported); records in the table after: ${x.tableSize}`);
      out.push(table(['phase', 'case', 'n', 'req/s', 'p50 ms', 'p95 ms', 'p99 ms', 'max ms', 'errors'], x.phases.flatMap((p) => [
        [p.phase, 'all', p.overall.n, p.overall.perSecond, p.overall.p50, p.overall.p95, p.overall.p99, p.overall.max, p.overall.errors],
        ...Object.entries(p.byCase).map(([name, s]) => ['', name, s.n, s.perSecond, s.p50, s.p95, s.p99, s.max, s.errors]),
      ])));
      for (const p of x.phases) out.push(`  ${p.phase} (${p.seconds} s): statuses ${JSON.stringify(p.statusCounts)}${p.serverCpuMsPerRequest !== null ? `; server CPU ${p.serverCpuMsPerRequest} ms per request` : ''}`);
      const s = x.saveDuringImport;
      if (s) out.push(`save during import, among the readers: ${s.saves} saves, ${s.ok} saved, ${s.busy503} × 503 BUSY, ${s.other} other; p50 ${s.p50Ms} ms, max ${s.maxMs} ms (stated: 5 s)${s.busyMessage ? `; message “${s.busyMessage}”` : ''}`);
    }
    if (r.quietSaves) {
      const s = r.quietSaves;
      out.push(`save during import, nothing else running: ${s.saves} saves, ${s.ok} saved, ${s.busy503} × 503 BUSY, ${s.other} other; p50 ${s.p50Ms} ms, max ${s.maxMs} ms (stated: 5 s)${s.busyMessage ? `; message “${s.busyMessage}”` : ''}`);
    }
    if (r.kills.length) {
      out.push(table(['run', 'workload', 'kill at ms', '2xx', '4xx', 'cut', 'integrity', 'restart ms', 'batches', 'paid/approved fen', 'allocated', 'over quota', 'audit', 'result'], r.kills.map((k) => [k.run, k.workload, k.killAfterMs, k.ok, k.refused, k.cut, k.integrity, k.restartMs, k.batches, `${k.paidFen}/${k.approvedFen}`, k.allocatedFen, k.nominationsOverQuota, `${k.auditOk ? 'ok' : 'BROKEN'} (${k.auditChecked})`, k.pass ? 'ok' : k.problems.join('; ')])));
      const passed = r.kills.filter((k) => k.pass).length;
      out.push(`${r.engine}: ${passed}/${r.kills.length} kill -9 runs consistent (integrity, import all-or-nothing, Σ payments ≤ approved, Σ allocation ≤ received, nominations ≤ quota, audit chain)`);
    }
  }
  return out.join('\n');
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const saved = JSON.parse(fs.readFileSync(process.argv[2]!, 'utf8')) as { machine: Machine; results: EngineResult[] };
  console.log(render(saved.machine, saved.results));
}
