// npm run soak -- [--engine sqlite|postgres|both] [--seconds N] [--kills N] [--rows N] [--readers N]
//                 [--after N] [--kill-rows N] [--save-rows N] [--only editors,readers,saves,kills] [--json] [--keep]
// Reliability figures of the real server process (node dist/cli/main.js serve, loopback only), per
// engine, each in its own temp data dir / PostgreSQL schema:
//  - editors: 50 concurrent editors of one record, re-reading after each 409: accepted saves,
//    409s, lost updates (accepted saves missing from the record's history);
//  - readers: --readers (200) concurrent list readers (city/district/street/community first pages,
//    deeper pages, the valid-count summary) during a --rows (200,000) CSV import and --after seconds
//    after it: p50/p95/p99/max, errors, requests/s, the table size; on SQLite a save per second
//    during the import, timed (answered — saved or 503 BUSY — within the README's 5 s), then the
//    same during a --save-rows import with nothing else running (saves);
//  - kills: --kills (20) runs of an import / payments burst / nominations burst killed with SIGKILL
//    at a random moment; after each: integrity_check, invariants, audit chain.
// --seconds caps each engine's run (the kill runs stop when it is spent). Defaults fit ~15 minutes
// for both engines on a 2-core machine.
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { type Engine, type Server } from './soak-lib.js';
import { approveFeeSheet, loginUsers, newInstance, prepareInstance, removeInstance } from './soak-setup.js';
import { createSubject, editors, readersDuringImport, savesDuringImport } from './soak-load.js';
import { killRuns } from './soak-kills.js';
import { writeCsvFile } from './generate.js';
import { startServer } from './soak-lib.js';
import { render, type EngineResult } from './soak-report.js';

const { values: args } = parseArgs({
  options: {
    engine: { type: 'string', default: 'both' },
    seconds: { type: 'string', default: '420' },
    kills: { type: 'string', default: '20' },
    rows: { type: 'string', default: '200000' },
    readers: { type: 'string', default: '200' },
    after: { type: 'string', default: '15' },
    'kill-rows': { type: 'string', default: '30000' },
    'save-rows': { type: 'string', default: '100000' },
    only: { type: 'string' },
    json: { type: 'boolean', default: false },
    keep: { type: 'boolean', default: false },
  },
});

function whole(name: string, v: string, min = 0): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < min) throw new Error(`--${name} must be a whole number ≥ ${min}, got ${v}`);
  return n;
}
const engines: Engine[] = args.engine === 'both' ? ['sqlite', 'postgres'] : args.engine === 'sqlite' || args.engine === 'postgres' ? [args.engine] : (() => { throw new Error('--engine sqlite|postgres|both'); })();
const budgetS = whole('seconds', args.seconds!, 30);
const kills = whole('kills', args.kills!);
const rows = whole('rows', args.rows!, 1000);
const readers = whole('readers', args.readers!, 1);
const afterS = whole('after', args.after!, 1);
const killRows = whole('kill-rows', args['kill-rows']!, 100);
const saveRows = whole('save-rows', args['save-rows']!, 1000);
const parts = new Set((args.only ?? 'editors,readers,saves,kills').split(',').map((s) => s.trim()));
const log = (s: string) => console.error(s);

if (!fs.existsSync(path.join(import.meta.dirname, '../dist/cli/main.js'))) throw new Error('dist/ missing: npm run build:server first (npm run soak does it)');

let current: Server | null = null;
const killCurrent = () => current?.proc.kill('SIGKILL');
process.on('exit', killCurrent);
process.on('SIGINT', () => {
  killCurrent();
  process.exit(130);
});


async function runEngine(engine: Engine, port: number): Promise<EngineResult> {
  const t0 = Date.now();
  const deadline = t0 + budgetS * 1000;
  const inst = await newInstance(engine, port);
  log(`[${engine}] instance in ${inst.dataDir}${inst.pgSchema ? `, schema ${inst.pgSchema}` : ''}`);
  const result: EngineResult = { engine, editors: null, readers: null, quietSaves: null, kills: [], approvedFen: null, seconds: 0 };
  try {
    const { units, initialPasswords } = await prepareInstance(inst);
    current = await startServer(inst);
    const users = await loginUsers(current.base, initialPasswords);
    const subject = await createSubject(users, units, 1);
    if (parts.has('editors')) {
      log(`[${engine}] 50 concurrent editors of one record`);
      result.editors = await editors(users, subject, 50);
    }
    if (parts.has('readers')) {
      const file = path.join(inst.dataDir, 'readers.csv');
      await writeCsvFile(file, rows, { seed: 'soak-readers', invalidRate: 0.03, region: '320411', communities: units.xbCommunities });
      const top = (await users.admin.must<{ items: Array<{ id: number }> }>('GET', '/api/registrations?limit=1')).items[0]?.id ?? 1;
      log(`[${engine}] ${readers} readers during a ${rows}-row import, then ${afterS} s after`);
      result.readers = await readersDuringImport({ engine, users, units, file, rows, readers, afterSeconds: afterS, maxDuringSeconds: Math.max(30, Math.floor(budgetS / 3)), subjectId: subject, maxTopId: () => top + rows, serverPid: current.proc.pid! });
      fs.rmSync(file, { force: true });
    }
    if (parts.has('saves') && engine === 'sqlite') {
      // The README's promise on its own: a save while an import holds the lock, nothing else running.
      const file = path.join(inst.dataDir, 'saves.csv');
      await writeCsvFile(file, saveRows, { seed: 'soak-saves', invalidRate: 0.03, region: '320599', communities: [] });
      log(`[${engine}] saves during a ${saveRows}-row import (no readers)`);
      result.quietSaves = await savesDuringImport({ users, units, file, subjectId: subject });
      fs.rmSync(file, { force: true });
    }
    if (parts.has('kills') && kills > 0) {
      result.approvedFen = await approveFeeSheet(users, units);
      await current.stop();
      current = null;
      log(`[${engine}] ${kills} kill -9 runs`);
      const rate = result.readers && result.readers.importSeconds > 0 ? result.readers.imported / (result.readers.importSeconds * 1000) : 20;
      result.kills = await killRuns({ inst, users, units, runs: kills, importRows: killRows, importRowsPerMs: Math.max(1, rate), deadline, onServer: (s) => (current = s), log });
    }
  } finally {
    await current?.stop();
    current = null;
    await removeInstance(inst, args.keep!);
    result.seconds = Math.round((Date.now() - t0) / 1000);
  }
  return result;
}

const started = new Date();
const results: EngineResult[] = [];
for (const [i, engine] of engines.entries()) results.push(await runEngine(engine, 38_000 + (process.pid % 1000) * 2 + i));

const cpu = (fs.readFileSync('/proc/cpuinfo', 'utf8').match(/model name\s*:\s*(.*)/) ?? [])[1] ?? 'unknown';
const machine = { date: started.toISOString(), nproc: (await import('node:os')).availableParallelism(), cpu, node: process.version, loadavg: (await import('node:os')).loadavg().map((x) => Math.round(x * 100) / 100) };

console.log(args.json ? JSON.stringify({ machine, results }, null, 2) : render(machine, results));
const failed = results.some((r) => (r.editors && r.editors.lost > 0) || r.kills.some((k) => !k.pass));
process.exitCode = failed ? 1 : 0;
