// Soak load: concurrent editors of one record (lost updates), list readers during and after a large
// import (latency, errors, throughput), and on SQLite a save while the import holds the write lock.
import fs from 'node:fs';
import { Client, importForm, msSince, sleep, stats, type Engine, type Stats } from './soak-lib.js';
import type { Units, Users } from './soak-setup.js';

type Detail = { id: number; version: number; record: Record<string, string | null>; history: Array<{ action: string; changes: Record<string, [string | null, string | null]> }> };

/** A valid record of 新北区 (the editors' and the save timing's subject). */
export async function createSubject(users: Users, units: Units, seq: number): Promise<number> {
  const { checkDigit } = await import('../src/domain/id-number.js');
  const first17 = `110101198001${String(10 + (seq % 18)).padStart(2, '0')}${String(100 + seq).slice(-3)}`;
  const record = {
    idNumber: first17 + checkDigit(first17),
    name: '张伟',
    hukouType: '21',
    hukouAddress: '常州市龙锦路1号',
    residenceAddress: '龙锦路1号',
    phone: '13912345678',
    personCategory: '24',
    surveyDate: '2016-05-01',
    remarks: 'soak',
  };
  const r = await users.clerk.must<{ id: number }>('POST', '/api/registrations', { orgUnitId: units.xbCommunity, record });
  return r.id;
}

export type EditorResult = { editors: number; accepted: number; conflicts: number; otherErrors: number; historyUpdates: number; lost: number; duplicatedInHistory: number; seconds: number };

/**
 * `editors` concurrent editors of one record, each saving its own value of 备注 with the version it
 * read, re-reading after a 409 until its save is accepted. Every accepted save must be in the
 * record's history exactly once: lost = accepted − history entries carrying an editor's value.
 */
export async function editors(users: Users, id: number, editors = 50): Promise<EditorResult> {
  const clients = [users.clerk, users.xbAdmin];
  let accepted = 0;
  let conflicts = 0;
  let otherErrors = 0;
  const values: string[] = [];
  const t = process.hrtime.bigint();
  await Promise.all(
    Array.from({ length: editors }, async (_, i) => {
      const c = clients[i % clients.length]!;
      for (let attempt = 0; attempt < 500; attempt++) {
        const d = await c.request('GET', `/api/registrations/${id}`);
        if (d.status !== 200) {
          otherErrors++;
          continue;
        }
        const value = `editor ${i} attempt ${attempt}`;
        const r = await c.request('PUT', `/api/registrations/${id}`, { record: { remarks: value }, version: (d.body as Detail).version });
        if (r.status === 200) {
          accepted++;
          values.push(value);
          return;
        }
        if (r.status === 409) conflicts++;
        else otherErrors++;
      }
    }),
  );
  const seconds = msSince(t) / 1000;
  const d = await users.clerk.must<Detail>('GET', `/api/registrations/${id}`);
  const written = d.history.filter((h) => h.action === 'update' && h.changes.remarks?.[1]?.startsWith('editor ')).map((h) => h.changes.remarks![1]!);
  const seen = new Map<string, number>();
  for (const w of written) seen.set(w, (seen.get(w) ?? 0) + 1);
  const lost = values.filter((v) => !seen.has(v)).length;
  const duplicatedInHistory = [...seen.values()].filter((n) => n > 1).length;
  return { editors, accepted, conflicts, otherErrors, historyUpdates: written.length, lost, duplicatedInHistory, seconds: Math.round(seconds * 10) / 10 };
}

export type ReaderPhase = { phase: string; seconds: number; overall: Stats; byCase: Record<string, Stats>; statusCounts: Record<string, number>; serverCpuMsPerRequest: number | null };
export type SaveTiming = { saves: number; ok: number; busy503: number; other: number; maxMs: number; p50Ms: number; busyMessage: string | null };
export type ReadersResult = { rows: number; importSeconds: number; importStatus: string; imported: number; tableSize: number; phases: ReaderPhase[]; saveDuringImport: SaveTiming | null };

type Case = { name: string; client: Client; url: () => string };

/**
 * `readers` concurrent readers (first pages of the city, a district, a street, a community; deeper
 * pages; the valid-count summary the list page loads) while `file` is imported into 新北区, then
 * for `afterSeconds` once the import is done. On SQLite, one registration save per second while
 * the import runs, timed (it must answer — saved or 503 BUSY — within the stated 5 s).
 */
export async function readersDuringImport(opts: { engine: Engine; users: Users; units: Units; file: string; rows: number; readers: number; afterSeconds: number; maxDuringSeconds: number; subjectId: number; maxTopId: () => number; serverPid: number }): Promise<ReadersResult> {
  const { users, units } = opts;
  const deep = () => `/api/registrations?limit=50&before=${Math.max(2, Math.floor(Math.random() * opts.maxTopId()))}`;
  const cases: Case[] = [
    { name: '市 first page', client: users.admin, url: () => '/api/registrations?limit=50' },
    { name: '区 first page', client: users.xbAdmin, url: () => '/api/registrations?limit=50' },
    { name: '街道 first page', client: users.admin, url: () => `/api/registrations?limit=50&orgUnitId=${units.xbStreet}` },
    { name: '社区 first page', client: users.clerk, url: () => `/api/registrations?limit=50&orgUnitId=${units.xbCommunity}` },
    { name: 'deeper page', client: users.assessor, url: deep },
    { name: '区 deeper page', client: users.xbAdmin, url: () => `/api/registrations?limit=50&orgUnitId=${units.xb}&before=${Math.max(2, Math.floor(Math.random() * opts.maxTopId()))}` },
    { name: 'valid-count 区', client: users.xbAdmin, url: () => `/api/registrations/valid-count?orgUnitId=${units.xb}` },
  ];
  // The list is what the readers load; the summary once per ten pages.
  const weights = [3, 3, 2, 2, 2, 2, 1];
  const pickList = weights.flatMap((w, i) => Array<number>(w).fill(i));

  let phase = 'during';
  const samples: Record<string, Record<string, number[]>> = { during: {}, after: {} };
  const errors: Record<string, Record<string, number>> = { during: {}, after: {} };
  const statusCounts: Record<string, Record<string, number>> = { during: {}, after: {} };
  let stop = false;
  const loop = async (k: number) => {
    let n = k;
    while (!stop) {
      const c = cases[pickList[n++ % pickList.length]!]!;
      const p = phase;
      const r = await c.client.request('GET', c.url(), undefined, { timeoutMs: 30_000 });
      const key = String(r.status || r.error || 'error');
      statusCounts[p]![key] = (statusCounts[p]![key] ?? 0) + 1;
      if (r.status === 200) (samples[p]![c.name] ??= []).push(r.ms);
      else errors[p]![c.name] = (errors[p]![c.name] ?? 0) + 1;
    }
  };

  // The import starts; the readers start with it.
  const cpu0 = cpuSeconds(opts.serverPid);
  const t0 = process.hrtime.bigint();
  const job = await users.xbAdmin.must<{ jobId: string }>('POST', '/api/registrations/imports', await importForm(opts.file, units.xb, 'valid'), [202]);
  let running = Array.from({ length: opts.readers }, (_, k) => loop(k));
  let capped = false;
  const saves: Array<{ ms: number; status: number; message: string | null }> = [];
  let finished: { status: string; report: { imported: number } | null; error: unknown } | null = null;
  let nextSave = Date.now() + 500;
  while (!finished) {
    const j = await users.xbAdmin.request('GET', `/api/registrations/import-jobs/${job.jobId}`);
    const body = j.body as { status: string; report: { imported: number } | null; error: unknown } | null;
    if (body && (body.status === 'done' || body.status === 'failed')) finished = body;
    else if (!capped && msSince(t0) > opts.maxDuringSeconds * 1000) {
      // Bounded: the readers stop; the import finishes on its own.
      capped = true;
      stop = true;
      await Promise.all(running);
    } else if (opts.engine === 'sqlite' && body?.status === 'importing' && Date.now() >= nextSave) {
      nextSave = Date.now() + 1000;
      const d = await users.clerk.request('GET', `/api/registrations/${opts.subjectId}`);
      const version = (d.body as Detail | null)?.version ?? 0;
      const s = await users.clerk.request('PUT', `/api/registrations/${opts.subjectId}`, { record: { remarks: `save during import ${saves.length}` }, version }, { timeoutMs: 30_000 });
      saves.push({ ms: s.ms, status: s.status, message: s.status === 503 ? ((s.body as { error?: { message?: string } })?.error?.message ?? null) : null });
    } else await sleep(250);
  }
  const importSeconds = msSince(t0) / 1000;
  const cpu1 = cpuSeconds(opts.serverPid);
  phase = 'after';
  if (capped) {
    stop = false;
    running = Array.from({ length: opts.readers }, (_, k) => loop(k));
  }
  const t1 = process.hrtime.bigint();
  await sleep(opts.afterSeconds * 1000);
  stop = true;
  await Promise.all(running);
  const afterSeconds = msSince(t1) / 1000;
  const cpu2 = cpuSeconds(opts.serverPid);
  // One reader at a time: each request's own time, without the queue (10 of each case).
  samples.single = {};
  errors.single = {};
  statusCounts.single = {};
  const t2 = process.hrtime.bigint();
  for (let i = 0; i < 10; i++)
    for (const c of cases) {
      const r = await c.client.request('GET', c.url());
      statusCounts.single[String(r.status)] = (statusCounts.single[String(r.status)] ?? 0) + 1;
      if (r.status === 200) (samples.single[c.name] ??= []).push(r.ms);
      else errors.single[c.name] = (errors.single[c.name] ?? 0) + 1;
    }
  const singleSeconds = msSince(t2) / 1000;
  const cpu3 = cpuSeconds(opts.serverPid);
  const cpuPer = (p: string, cpu: number) => {
    const n = Object.values(statusCounts[p]!).reduce((a, b) => a + b, 0);
    return n ? Math.round((cpu * 1000 * 100) / n) / 100 : null;
  };

  const phaseOf = (p: string, seconds: number, label = p): ReaderPhase => {
    const byCase: Record<string, Stats> = {};
    for (const c of cases) byCase[c.name] = stats(samples[p]![c.name] ?? [], errors[p]![c.name] ?? 0, seconds);
    const all = cases.flatMap((c) => samples[p]![c.name] ?? []);
    const errs = Object.values(errors[p]!).reduce((a, b) => a + b, 0);
    return { phase: label, seconds: Math.round(seconds * 10) / 10, overall: stats(all, errs, seconds), byCase, statusCounts: statusCounts[p]!, serverCpuMsPerRequest: null };
  };
  const phases = [phaseOf('during', capped ? opts.maxDuringSeconds : importSeconds, capped ? `during (first ${opts.maxDuringSeconds} s)` : 'during'), phaseOf('after', afterSeconds), phaseOf('single', singleSeconds)];
  phases[0]!.serverCpuMsPerRequest = null; // the import's threads share the process: not the readers' cost
  phases[1]!.serverCpuMsPerRequest = cpuPer('after', cpu2 - cpu1);
  phases[2]!.serverCpuMsPerRequest = cpuPer('single', cpu3 - cpu2);
  void cpu0;
  const count = await users.admin.must<{ entered: number }>('GET', `/api/registrations/valid-count?orgUnitId=${units.xb}`);
  return {
    rows: opts.rows,
    importSeconds: Math.round(importSeconds * 10) / 10,
    importStatus: finished.status,
    imported: finished.report?.imported ?? 0,
    tableSize: count.entered,
    phases,
    saveDuringImport: opts.engine === 'sqlite' ? timingOf(saves) : null,
  };
}

/** CPU seconds (user + system) a process has used so far (Linux /proc). */
export function cpuSeconds(pid: number): number {
  const f = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = f.slice(f.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100; // utime, stime in clock ticks (USER_HZ = 100)
}

/**
 * On SQLite, saves while an import holds the write lock and nothing else runs: each must answer —
 * saved once the lock is free, or 503 BUSY after the README's 5 s — within 5 s and a margin.
 */
export async function savesDuringImport(opts: { users: Users; units: Units; file: string; subjectId: number }): Promise<SaveTiming> {
  const { users, units } = opts;
  const job = await users.clerk.must<{ jobId: string }>('POST', '/api/registrations/imports', await importForm(opts.file, units.xbCommunity, 'valid'), [202]);
  const saves: Array<{ ms: number; status: number; message: string | null }> = [];
  for (;;) {
    const j = await users.clerk.request('GET', `/api/registrations/import-jobs/${job.jobId}`);
    const status = (j.body as { status?: string } | null)?.status;
    if (status === 'done' || status === 'failed' || j.status !== 200) break;
    if (status !== 'importing') {
      await sleep(100);
      continue;
    }
    const d = await users.clerk.request('GET', `/api/registrations/${opts.subjectId}`);
    const version = (d.body as Detail | null)?.version ?? 0;
    const s = await users.clerk.request('PUT', `/api/registrations/${opts.subjectId}`, { record: { remarks: `save during import (quiet) ${saves.length}` }, version }, { timeoutMs: 30_000 });
    saves.push({ ms: s.ms, status: s.status, message: s.status === 503 ? ((s.body as { error?: { message?: string } })?.error?.message ?? null) : null });
  }
  return timingOf(saves);
}

function timingOf(saves: Array<{ ms: number; status: number; message: string | null }>): SaveTiming {
  const sorted = saves.map((s) => s.ms).sort((a, b) => a - b);
  return {
    saves: saves.length,
    ok: saves.filter((s) => s.status === 200).length,
    busy503: saves.filter((s) => s.status === 503).length,
    other: saves.filter((s) => s.status !== 200 && s.status !== 503).length,
    maxMs: Math.round(sorted[sorted.length - 1] ?? 0),
    p50Ms: Math.round(sorted[Math.floor(sorted.length / 2)] ?? 0),
    busyMessage: saves.find((s) => s.message)?.message ?? null,
  };
}
