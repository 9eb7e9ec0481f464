// Formula neutralisation of exports and its undoing on import are exact inverses (issue 12,
// defect 5), and nothing an export writes starts a formula.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { neutraliseCell } from './cells.js';
import { restoreNeutralisedCell } from '../../domain/import-cells.js';

const tricky = fc.oneof(
  fc.string(),
  fc.string({ unit: fc.constantFrom("'", '=', '+', '-', '@', '\t', '\r', 'a', '张', '1', ' ') }),
  fc.tuple(fc.constantFrom('', "'", "''", "'''"), fc.constantFrom('=', '+', '-', '@', '\t', '\r', 'x', '号'), fc.string()).map(([a, b, c]) => a + b + c),
);

describe('neutraliseCell / restoreNeutralisedCell', () => {
  it('restore(neutralise(v)) === v for every string', () => {
    fc.assert(fc.property(tricky, (v) => restoreNeutralisedCell(neutraliseCell(v)) === v), { numRuns: 5000 });
  });
  it('a neutralised cell never starts a formula', () => {
    fc.assert(fc.property(tricky, (v) => !/^[=+\-@\t\r]/.test(neutraliseCell(v))), { numRuns: 5000 });
  });
  it('prefixes = + - @ tab and CR with an apostrophe', () => {
    for (const v of ['=1+1', '+86139', '-2', '@SUM(A1)', '\tx', '\rx']) expect(neutraliseCell(v)).toBe(`'${v}`);
  });
  it('leaves ordinary text alone', () => {
    for (const v of ['张三', '320411198001010019', '', 'a=b']) expect(neutraliseCell(v)).toBe(v);
  });
  it('examples', () => {
    expect(neutraliseCell('=1+1')).toBe("'=1+1");
    expect(restoreNeutralisedCell("'=1+1")).toBe('=1+1');
    expect(neutraliseCell("'=1+1")).toBe("''=1+1");
    expect(restoreNeutralisedCell("''=1+1")).toBe("'=1+1");
    expect(neutraliseCell("'abc")).toBe("'abc");
    expect(restoreNeutralisedCell("'abc")).toBe("'abc");
    expect(neutraliseCell('-5号')).toBe("'-5号");
  });
});
