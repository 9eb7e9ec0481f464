import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createRng, createWordRng, cyrb128, drawSample, generateSeed, sampleSizeFromRatio } from './sampling.js';

const ids = (n: number) => Array.from({ length: n }, (_, i) => i + 1);

describe('spot-check seed and generator (抽查数据, reproducible)', () => {
  it('generateSeed gives 16 hex characters and a fresh value each time', () => {
    const a = generateSeed();
    expect(a).toMatch(/^[0-9a-f]{16}$/);
    expect(generateSeed()).not.toBe(a);
  });
  it('known answers pin cyrb128 + sfc32, so a district re-deriving the draw gets the same numbers', () => {
    expect(cyrb128('0123456789abcdef')).toEqual([3081985858, 110397452, 3388379164, 2742065373]);
    const next = createWordRng('0123456789abcdef');
    expect([next(), next(), next()]).toEqual([1639481387, 3283315746, 1291326776]);
    expect(drawSample(ids(100), 10, '0123456789abcdef')).toEqual([39, 77, 32, 95, 27, 1, 54, 99, 53, 51]);
  });
  it('createRng gives numbers in [0, 1) and the same sequence for the same seed', () => {
    fc.assert(
      fc.property(fc.string(), (seed) => {
        const a = createRng(seed);
        const b = createRng(seed);
        for (let i = 0; i < 20; i++) {
          const x = a();
          expect(x).toBeGreaterThanOrEqual(0);
          expect(x).toBeLessThan(1);
          expect(b()).toBe(x);
        }
      }),
    );
  });
});

describe('drawSample', () => {
  it('same seed and same population → same sample', () => {
    fc.assert(
      fc.property(fc.array(fc.integer(), { maxLength: 200 }), fc.nat(250), fc.string(), (pop, size, seed) => {
        expect(drawSample(pop, size, seed)).toEqual(drawSample(pop, size, seed));
      }),
    );
  });
  it('draws distinct records from the population, as many as asked but no more than exist', () => {
    fc.assert(
      fc.property(fc.nat(300), fc.nat(400), fc.string(), (n, size, seed) => {
        const pop = ids(n);
        const sample = drawSample(pop, size, seed);
        expect(sample).toHaveLength(Math.min(size, n));
        expect(new Set(sample).size).toBe(sample.length);
        for (const x of sample) expect(pop).toContain(x);
      }),
    );
  });
  it('a larger sample with the same seed starts with the smaller one (draw order is stable)', () => {
    fc.assert(
      fc.property(fc.nat(100), fc.nat(100), fc.string(), (a, b, seed) => {
        const small = Math.min(a, b);
        const large = Math.max(a, b);
        expect(drawSample(ids(150), large, seed).slice(0, small)).toEqual(drawSample(ids(150), small, seed));
      }),
    );
  });
  it('different seeds give different samples (almost always)', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 50; i++) seen.add(drawSample(ids(10_000), 20, `seed-${i}`).join(','));
    expect(seen.size).toBe(50);
  });
  it('does not change the caller\'s array', () => {
    const pop = ids(10);
    drawSample(pop, 5, 'x');
    expect(pop).toEqual(ids(10));
  });
  it('every record has a fair chance: each of 10 records is drawn first about 1/10 of the time', () => {
    const counts = new Array<number>(10).fill(0);
    for (let i = 0; i < 10_000; i++) {
      const first = drawSample(ids(10), 1, `s${i}`)[0] ?? 0;
      counts[first - 1] = (counts[first - 1] ?? 0) + 1;
    }
    for (const c of counts) expect(c).toBeGreaterThan(850);
  });
  it('rejects a negative or fractional size', () => {
    expect(() => drawSample(ids(5), -1, 'x')).toThrow(RangeError);
    expect(() => drawSample(ids(5), 1.5, 'x')).toThrow(RangeError);
  });
});

describe('sampleSizeFromRatio: ceil(n × r %), at least 1', () => {
  it('rounds up: 5 % of 1001 is 51, 5 % of 1000 is 50', () => {
    expect(sampleSizeFromRatio(1001, 5)).toBe(51);
    expect(sampleSizeFromRatio(1000, 5)).toBe(50);
  });
  it('does not round up float noise: 0.7 % of 1000 is 7', () => {
    expect(sampleSizeFromRatio(1000, 0.7)).toBe(7);
  });
  it('draws at least one record from a non-empty population and none from an empty one', () => {
    expect(sampleSizeFromRatio(3, 1)).toBe(1);
    expect(sampleSizeFromRatio(0, 50)).toBe(0);
  });
  it('100 % is the whole population', () => {
    expect(sampleSizeFromRatio(12345, 100)).toBe(12345);
  });
  it('rejects a ratio of 0, above 100 or not a number', () => {
    expect(() => sampleSizeFromRatio(10, 0)).toThrow(RangeError);
    expect(() => sampleSizeFromRatio(10, 100.5)).toThrow(RangeError);
    expect(() => sampleSizeFromRatio(10, Number.NaN)).toThrow(RangeError);
    expect(() => sampleSizeFromRatio(-1, 5)).toThrow(RangeError);
  });
  it('equals the exact integer ceil(n × r / 100), at least 1, for any population and ratio in tenths of a percent', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 10_000_000 }), fc.integer({ min: 1, max: 1000 }), (n, r10) => {
        const exact = Math.floor((n * r10 + 999) / 1000); // integer arithmetic, no float noise
        expect(sampleSizeFromRatio(n, r10 / 10)).toBe(Math.max(1, exact));
      }),
    );
  });
});
