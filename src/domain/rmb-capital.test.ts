import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { parseRmbCapital, rmbCapital } from './rmb-capital.js';

describe('人民币大写 (rmbCapital)', () => {
  it('writes the examples of the issue and of the central bank’s rules', () => {
    const cases: Array<[number, string]> = [
      [100_040_000, '壹佰万零肆佰元整'], // 1,000,400.00
      [3_333_150, '叁万叁仟叁佰叁拾壹元伍角'], // 33,331.50
      [10_700_053, '壹拾万柒仟元零伍角叁分'], // 107,000.53
      [1_609, '壹拾陆元零玖分'], // 16.09
      [168_032, '壹仟陆佰捌拾元零叁角贰分'], // 1,680.32
      [0, '零元整'],
      [50, '伍角'],
      [7, '柒分'],
      [100, '壹元整'],
      [1_000, '壹拾元整'],
      [100_000_000_00, '壹亿元整'],
      [100_000_001_00, '壹亿零壹元整'],
      [100_100_000_00, '壹亿零壹拾万元整'],
      [303_000_00, '叁拾万叁仟元整'],
      [300_300_00, '叁拾万零叁佰元整'],
      [2_000_500_00, '贰佰万零伍佰元整'],
      [1_020_304_05, '壹佰零贰万零叁佰零肆元零伍分'],
    ];
    for (const [fen, text] of cases) expect(rmbCapital(fen), String(fen)).toBe(text);
  });

  it('reads back to the same amount, for any amount up to 9999亿 (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 99_999_999_999_99 }), (fen) => {
        expect(parseRmbCapital(rmbCapital(fen))).toBe(fen);
      }),
      { numRuns: 2000 },
    );
  });

  it('never writes two 零 in a row, never ends in 零, 整 exactly when there are no 角 and 分 (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 99_999_999_999_99 }), (fen) => {
        const t = rmbCapital(fen);
        expect(t).not.toContain('零零');
        expect(t.endsWith('零')).toBe(false);
        expect(t.startsWith('零')).toBe(false);
        expect(t.endsWith('整')).toBe(fen % 100 === 0);
        expect(/^[零壹贰叁肆伍陆柒捌玖拾佰仟万亿元角分整]+$/.test(t)).toBe(true);
        // a leading ten is 壹拾, never 拾 alone
        expect(/(^|[^零壹贰叁肆伍陆柒捌玖])拾/.test(t)).toBe(false);
      }),
      { numRuns: 2000 },
    );
  });

  it('refuses negative, fractional and oversized amounts', () => {
    expect(() => rmbCapital(-1)).toThrow(RangeError);
    expect(() => rmbCapital(1.5)).toThrow(RangeError);
    expect(() => rmbCapital(1_000_000_000_000_00)).toThrow(RangeError);
  });
});
