import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  computeFee,
  DEFAULT_BASE_RATE_FEN,
  DEFAULT_FEE_TIERS_2016,
  formatFen,
  selectFeeTier,
  validateFeeTiers,
  yuanToFen,
  type FeeTier,
} from './fees.js';

const fee2016 = (validCount: number, totalScore: number) =>
  computeFee({ validCount, baseRateFen: DEFAULT_BASE_RATE_FEN, totalScore, tiers: DEFAULT_FEE_TIERS_2016 });

describe('2016 fee tiers: 90分以上 100 %, 80分以上不满90分 90 %, 不满80分 80 %', () => {
  it('the 2016 tiers and the 3 元/人 base rate are valid campaign data', () => {
    expect(validateFeeTiers(DEFAULT_FEE_TIERS_2016)).toEqual({ ok: true });
    expect(DEFAULT_BASE_RATE_FEN).toBe(300);
  });
  it('以上 includes the number: exactly 90 is paid 100 %', () => {
    expect(selectFeeTier(900, DEFAULT_FEE_TIERS_2016).percent).toBe(100);
    expect(selectFeeTier(1000, DEFAULT_FEE_TIERS_2016).percent).toBe(100);
  });
  it('不满90分 excludes 90: 89.5 is paid 90 %', () => {
    expect(selectFeeTier(895, DEFAULT_FEE_TIERS_2016).percent).toBe(90);
  });
  it('80分以上 includes 80: exactly 80 is paid 90 %', () => {
    expect(selectFeeTier(800, DEFAULT_FEE_TIERS_2016).percent).toBe(90);
  });
  it('不满80分: 79.5 and 0 are paid 80 %', () => {
    expect(selectFeeTier(795, DEFAULT_FEE_TIERS_2016).percent).toBe(80);
    expect(selectFeeTier(0, DEFAULT_FEE_TIERS_2016).percent).toBe(80);
  });
  it('selects by score, not by the order the tiers are listed in', () => {
    const shuffled = [...DEFAULT_FEE_TIERS_2016].reverse();
    expect(selectFeeTier(850, shuffled).label).toBe('80分以上不满90分');
  });
  it('rejects a negative or fractional score and a score no tier covers', () => {
    expect(() => selectFeeTier(-5, DEFAULT_FEE_TIERS_2016)).toThrow(RangeError);
    expect(() => selectFeeTier(89.5, DEFAULT_FEE_TIERS_2016)).toThrow(RangeError);
    expect(() => selectFeeTier(500, [{ minScore: 800, percent: 90, label: 'x' }])).toThrow(RangeError);
  });
});

describe('computeFee: 计发基数=实际录入人数×3元/人, fee = base × tier %', () => {
  it('10,000 valid persons × 3 元 at 85 points → base 30,000 元, fee 27,000 元', () => {
    expect(fee2016(10_000, 850)).toMatchObject({ feeBaseFen: 3_000_000, feeFen: 2_700_000 });
  });
  it('pays 100 % / 90 % / 80 % at the boundaries 90, 89.5, 80, 79.5', () => {
    expect(fee2016(1000, 900).feeFen).toBe(300_000);
    expect(fee2016(1000, 895).feeFen).toBe(270_000);
    expect(fee2016(1000, 800).feeFen).toBe(270_000);
    expect(fee2016(1000, 795).feeFen).toBe(240_000);
  });
  it('no valid records, no fee', () => {
    expect(fee2016(0, 1000)).toMatchObject({ feeBaseFen: 0, feeFen: 0 });
  });
  it('rounds half up to the fen (四舍五入到分)', () => {
    const tiers: FeeTier[] = [{ minScore: 0, percent: 85, label: '85%' }];
    // 1 fen × 85 % = 0.85 → 1; 10 fen × 85 % = 8.5 → 9; 3 fen × 85 % = 2.55 → 3; 1 fen × 50 % = 0.5 → 1
    expect(computeFee({ validCount: 1, baseRateFen: 1, totalScore: 0, tiers }).feeFen).toBe(1);
    expect(computeFee({ validCount: 10, baseRateFen: 1, totalScore: 0, tiers }).feeFen).toBe(9);
    expect(computeFee({ validCount: 3, baseRateFen: 1, totalScore: 0, tiers }).feeFen).toBe(3);
    expect(computeFee({ validCount: 1, baseRateFen: 1, totalScore: 0, tiers: [{ minScore: 0, percent: 50, label: '' }] }).feeFen).toBe(1);
    expect(computeFee({ validCount: 7, baseRateFen: 1, totalScore: 0, tiers }).feeFen).toBe(6); // 5.95 → 6
    expect(computeFee({ validCount: 9, baseRateFen: 1, totalScore: 0, tiers }).feeFen).toBe(8); // 7.65 → 8
  });
  it('matches exact rational arithmetic rounded half up, for any count, rate and percent', () => {
    fc.assert(
      fc.property(fc.nat(10_000_000), fc.nat(10_000), fc.integer({ min: 0, max: 100 }), (n, rate, percent) => {
        const r = computeFee({ validCount: n, baseRateFen: rate, totalScore: 0, tiers: [{ minScore: 0, percent, label: '' }] });
        const exact = BigInt(n) * BigInt(rate) * BigInt(percent); // hundredths of a fen
        const rounded = exact / 100n + (exact % 100n >= 50n ? 1n : 0n);
        expect(r.feeFen).toBe(Number(rounded));
        expect(r.feeBaseFen).toBe(n * rate);
      }),
    );
  });
  it('the fee never exceeds the fee base and is never negative', () => {
    fc.assert(
      fc.property(fc.nat(10_000_000), fc.integer({ min: 0, max: 1000 }), (n, score) => {
        const r = fee2016(n, score);
        expect(r.feeFen).toBeLessThanOrEqual(r.feeBaseFen);
        expect(r.feeFen).toBeGreaterThanOrEqual(0);
        expect(Number.isSafeInteger(r.feeFen)).toBe(true);
      }),
    );
  });
  it('a higher score never earns less', () => {
    fc.assert(
      fc.property(fc.nat(1_000_000), fc.integer({ min: 0, max: 999 }), (n, score) => {
        expect(fee2016(n, score + 1).feeFen).toBeGreaterThanOrEqual(fee2016(n, score).feeFen);
      }),
    );
  });
  it('rejects negative or fractional counts and rates, and a base beyond the safe integer range', () => {
    expect(() => fee2016(-1, 900)).toThrow(RangeError);
    expect(() => fee2016(1.5, 900)).toThrow(RangeError);
    expect(() => computeFee({ validCount: 1, baseRateFen: 2.5, totalScore: 900, tiers: DEFAULT_FEE_TIERS_2016 })).toThrow(RangeError);
    expect(() =>
      computeFee({ validCount: Number.MAX_SAFE_INTEGER, baseRateFen: 300, totalScore: 900, tiers: DEFAULT_FEE_TIERS_2016 }),
    ).toThrow(RangeError);
  });
});

describe('validateFeeTiers', () => {
  it('rejects no tiers at all', () => {
    expect(validateFeeTiers([]).ok).toBe(false);
  });
  it('requires a tier starting at 0 so every score has a percent', () => {
    const r = validateFeeTiers([{ minScore: 800, percent: 100, label: 'a' }]);
    expect(!r.ok && r.errors.join()).toContain('从 0 分起');
  });
  it('rejects duplicate starting scores', () => {
    const r = validateFeeTiers([
      { minScore: 0, percent: 80, label: 'a' },
      { minScore: 0, percent: 90, label: 'b' },
    ]);
    expect(!r.ok && r.errors.join()).toContain('不能重复');
  });
  it('rejects scores outside 0-100 points or not in tenths, and percents outside 0-100 or fractional', () => {
    const r = validateFeeTiers([
      { minScore: 0, percent: 101, label: 'a' },
      { minScore: 1005, percent: 100, label: 'b' },
      { minScore: 85.5, percent: 90.5, label: 'c' },
    ]);
    const text = !r.ok ? r.errors.join('\n') : '';
    expect(text).toContain('第 1 档“a”的发放比例');
    expect(text).toContain('第 2 档“b”的起点分数');
    expect(text).toContain('第 3 档“c”的起点分数');
    expect(text).toContain('第 3 档“c”的发放比例');
  });
  it('rejects a higher tier paying a smaller percent than a lower one', () => {
    const r = validateFeeTiers([
      { minScore: 0, percent: 90, label: 'a' },
      { minScore: 900, percent: 80, label: 'b' },
    ]);
    expect(!r.ok && r.errors).toEqual(['90 分以上的发放比例 80% 低于 0 分档的 90%']);
  });
});

describe('formatFen / yuanToFen: convert at the edges only', () => {
  it('formats with thousand separators and two decimals', () => {
    expect(formatFen(100_040_000)).toBe('1,000,400.00');
    expect(formatFen(2_700_000)).toBe('27,000.00');
    expect(formatFen(5)).toBe('0.05');
    expect(formatFen(0)).toBe('0.00');
    expect(formatFen(-12345)).toBe('-123.45');
  });
  it('reads yuan as fen: 3 → 300, 3.5 → 350, 3.05 → 305', () => {
    expect(yuanToFen('3')).toBe(300);
    expect(yuanToFen('3.5')).toBe(350);
    expect(yuanToFen('3.05')).toBe(305);
    expect(yuanToFen('１,０００.００')).toBe(100_000);
    expect(yuanToFen('￥3元')).toBe(300);
  });
  it('rejects more than two decimals, negatives, empty text and misplaced commas', () => {
    for (const bad of ['3.505', '-3', '', 'abc', '1,00', '3.', '1e3']) {
      expect(() => yuanToFen(bad), bad).toThrow(RangeError);
    }
  });
  it('yuanToFen reads back what formatFen writes', () => {
    fc.assert(
      fc.property(fc.nat(Number.MAX_SAFE_INTEGER), (fen) => {
        expect(yuanToFen(formatFen(fen))).toBe(fen);
      }),
    );
  });
});
