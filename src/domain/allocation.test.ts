import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { checkCeiling, splitProportionally } from './allocation.js';

describe('splitProportionally', () => {
  it('splits by the weights to the fen, leftovers to the largest remainders', () => {
    expect(splitProportionally(1000, [1, 1, 1])).toEqual([334, 333, 333]);
    expect(splitProportionally(100_00, [3, 1])).toEqual([75_00, 25_00]);
    expect(splitProportionally(10, [1, 2, 7])).toEqual([1, 2, 7]);
    expect(splitProportionally(5, [0, 0])).toEqual([0, 0]);
    expect(splitProportionally(7, [2, 0, 1])).toEqual([5, 0, 2]);
  });
  it('always adds up to the total, no share negative, a zero weight gets nothing', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1e12 }), fc.array(fc.integer({ min: 0, max: 1e7 }), { minLength: 1, maxLength: 40 }), (total, weights) => {
        const s = splitProportionally(total, weights);
        const allZero = weights.every((w) => w === 0);
        expect(s.reduce((a, b) => a + b, 0)).toBe(allZero ? 0 : total);
        s.forEach((v, i) => {
          expect(v).toBeGreaterThanOrEqual(0);
          if (weights[i] === 0) expect(v).toBe(0);
        });
      }),
    );
  });
  it('refuses fractions and negatives', () => {
    expect(() => splitProportionally(1.5, [1])).toThrow(RangeError);
    expect(() => splitProportionally(10, [-1])).toThrow(RangeError);
  });
});

describe('checkCeiling', () => {
  it('allows exactly the ceiling and says by how much it goes over', () => {
    expect(checkCeiling([500, 500], 1000)).toEqual({ ok: true, sumFen: 1000 });
    expect(checkCeiling([500, 501], 1000)).toEqual({ ok: false, sumFen: 1001, overFen: 1 });
  });
});
