import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { accuracyScore } from './accuracy.js';

describe('accuracyScore: 发现一例扣0.5分，本项扣完为止 (5 points)', () => {
  it('no error keeps the full 5 points', () => {
    expect(accuracyScore(0)).toBe(50);
  });
  it('each error costs 0.5 point: 1 → 4.5, 3 → 3.5', () => {
    expect(accuracyScore(1)).toBe(45);
    expect(accuracyScore(3)).toBe(35);
  });
  it('10 errors use up the 5 points exactly; 11 and more stay at 0', () => {
    expect(accuracyScore(9)).toBe(5);
    expect(accuracyScore(10)).toBe(0);
    expect(accuracyScore(11)).toBe(0);
    expect(accuracyScore(1_000_000)).toBe(0);
  });
  it('is never negative and never above the standard score', () => {
    fc.assert(
      fc.property(fc.nat({ max: 1_000_000 }), (e) => {
        const s = accuracyScore(e);
        expect(s).toBeGreaterThanOrEqual(0);
        expect(s).toBeLessThanOrEqual(50);
      }),
    );
  });
  it('is monotone: one more error never raises the score', () => {
    fc.assert(
      fc.property(fc.nat({ max: 100_000 }), (e) => {
        expect(accuracyScore(e + 1)).toBeLessThanOrEqual(accuracyScore(e));
      }),
    );
  });
  it('equals max(0, 50 − 5 × errors) and stays on the half-point grid', () => {
    fc.assert(
      fc.property(fc.nat({ max: 1000 }), (e) => {
        expect(accuracyScore(e)).toBe(Math.max(0, 50 - 5 * e));
        expect(accuracyScore(e) % 5).toBe(0);
      }),
    );
  });
  it('takes a campaign-specific standard score and deduction', () => {
    expect(accuracyScore(3, 100, 10)).toBe(70);
  });
  it('rejects negative or fractional error counts with a RangeError', () => {
    expect(() => accuracyScore(-1)).toThrow(RangeError);
    expect(() => accuracyScore(1.5)).toThrow(RangeError);
    expect(() => accuracyScore(Number.NaN)).toThrow(RangeError);
  });
});
