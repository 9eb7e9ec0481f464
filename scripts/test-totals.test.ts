import { describe, expect, it } from 'vitest';
// @ts-expect-error plain ES module of the test runner, no declarations
import { totalsOf } from './test-totals.mjs';

const file = (status: string, results: Array<{ status: string }>) => ({ status, assertionResults: results });

describe('npm test totals', () => {
  it('counts skipped database tests as failed (PostgreSQL down: setup fails, tests skipped)', () => {
    const report = {
      numPassedTests: 10,
      numFailedTests: 0,
      numPendingTests: 168,
      numTodoTests: 0,
      testResults: [file('failed', Array.from({ length: 168 }, () => ({ status: 'skipped' }))), file('passed', [{ status: 'passed' }])],
    };
    expect(totalsOf(report)).toMatchObject({ passed: 10, failed: 168 });
  });

  it('counts a test file that failed to load once', () => {
    const report = { numPassedTests: 3, numFailedTests: 0, numPendingTests: 0, numTodoTests: 0, testResults: [file('failed', []), file('passed', [{ status: 'passed' }])] };
    expect(totalsOf(report)).toMatchObject({ passed: 3, failed: 1, unloaded: 1 });
  });

  it('counts todo tests as not run, hence failed', () => {
    expect(totalsOf({ numPassedTests: 1, numFailedTests: 1, numPendingTests: 0, numTodoTests: 2, testResults: [] }).failed).toBe(3);
  });

  it('a clean report has no failures', () => {
    expect(totalsOf({ numPassedTests: 5, numFailedTests: 0, numPendingTests: 0, numTodoTests: 0, testResults: [file('passed', [])] })).toEqual({ passed: 5, failed: 0, skipped: 0, unloaded: 0 });
  });
});
