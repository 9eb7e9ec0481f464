#!/usr/bin/env node
// `npm test`: lint, typecheck, unit tests, database tests on SQLite and on PostgreSQL, browser
// tests. Prints each suite's result and, as the last line, the plain total "N passed, N failed".
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { totalsOf } from './test-totals.mjs';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'canbao-testrun-'));
const results = [];

function run(name, cmd, args, env = {}) {
  console.log(`\n=== ${name}: ${cmd} ${args.join(' ')}`);
  const r = spawnSync(cmd, args, { stdio: 'inherit', env: { ...process.env, ...env } });
  return r.status === 0;
}

function check(name, cmd, args) {
  const ok = run(name, cmd, args);
  results.push({ name, passed: ok ? 1 : 0, failed: ok ? 0 : 1 });
}

function vitest(name, project, env = {}) {
  const out = path.join(tmp, `${name}.json`);
  const ok = run(name, 'npx', ['vitest', 'run', '--project', project, '--reporter=default', '--reporter=json', `--outputFile.json=${out}`], env);
  let passed = 0;
  let failed = 0;
  try {
    const totals = totalsOf(JSON.parse(fs.readFileSync(out, 'utf8')));
    passed = totals.passed;
    failed = totals.failed;
    if (totals.skipped > 0) console.log(`${name}: ${totals.skipped} test(s) skipped, counted as failed`);
    if (totals.unloaded > 0) console.log(`${name}: ${totals.unloaded} test file(s) failed to load, counted as failed`);
  } catch {
    failed += 1;
  }
  if (!ok && failed === 0) failed = 1;
  if (passed + failed === 0) failed = 1; // a suite that ran nothing is not a pass
  results.push({ name, passed, failed });
}

const only = process.argv.slice(2);
const want = (s) => only.length === 0 || only.includes(s);

if (want('lint')) check('lint', 'npx', ['eslint', '.']);
if (want('typecheck')) check('typecheck', 'npm', ['run', '--silent', 'typecheck']);
if (want('unit')) vitest('unit', 'unit');
if (want('sqlite')) vitest('db-sqlite', 'db', { CANBAO_TEST_DB: 'sqlite' });
if (want('postgres')) vitest('db-postgres', 'db', { CANBAO_TEST_DB: 'postgres' });
if (want('e2e')) {
  const built = run('build-web', 'npm', ['run', '--silent', 'build:web']);
  if (built) vitest('e2e', 'e2e');
  else results.push({ name: 'e2e', passed: 0, failed: 1 });
}

console.log('\n=== summary');
for (const r of results) console.log(`${r.name.padEnd(12)} ${r.passed} passed, ${r.failed} failed`);
const passed = results.reduce((s, r) => s + r.passed, 0);
const failed = results.reduce((s, r) => s + r.failed, 0);
fs.rmSync(tmp, { recursive: true, force: true });
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
