// How a vitest JSON report counts in `npm test`'s totals. Every test that did not pass is a failure:
// a failed test, a skipped one (with PostgreSQL down every database test of a file is skipped after
// its failing setup; nothing is skipped on purpose — engine-specific test files are left out by name
// in vitest.config.ts), and a file that failed to load counts once, as its tests are unknown.
export function totalsOf(report) {
  const passed = report.numPassedTests ?? 0;
  const skipped = (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0);
  const unloaded = (report.testResults ?? []).filter((f) => f.status === 'failed' && (f.assertionResults ?? []).length === 0).length;
  return { passed, failed: (report.numFailedTests ?? 0) + skipped + unloaded, skipped, unloaded };
}
