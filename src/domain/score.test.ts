import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  computeTotals,
  formatScore,
  parseScoreInput,
  sumScores,
  validateScore,
  validateScorecard,
  type Category,
} from './score.js';
import { SCORECARD_2016 } from './scorecard-2016.js';

/** A small consistent template: 2 categories, 10 points. */
const makeCard = (): Category[] => [
  { id: 'a', name: '甲', maxScore: 50, criteria: [{ id: 1, maxScore: 20 }, { id: 2, maxScore: 30 }] },
  { id: 'b', name: '乙', maxScore: 50, criteria: [{ id: 3, maxScore: 50 }] },
];
const clone = (c: readonly Category[]): Category[] => c.map((x) => ({ ...x, criteria: x.criteria.map((y) => ({ ...y })) }));

describe('validateScore: 0 ≤ score ≤ 标准分, in steps of 0.5', () => {
  it('accepts 0, 0.5 steps and the standard score itself', () => {
    expect(validateScore(0, 50)).toEqual({ ok: true });
    expect(validateScore(45, 50)).toEqual({ ok: true });
    expect(validateScore(50, 50)).toEqual({ ok: true });
  });
  it('rejects above the standard score and below 0 with "得分须在 0 至 5 分之间"', () => {
    expect(validateScore(55, 50)).toMatchObject({ ok: false, code: 'OUT_OF_RANGE', message: '得分须在 0 至 5 分之间' });
    expect(validateScore(-5, 50)).toMatchObject({ ok: false, code: 'OUT_OF_RANGE' });
    expect(validateScore(155, 150)).toMatchObject({ ok: false, message: '得分须在 0 至 15 分之间' });
  });
  it('rejects a value not on the half-point grid with "得分须以 0.5 分为单位"', () => {
    expect(validateScore(43, 50)).toMatchObject({ ok: false, code: 'NOT_HALF_STEP', message: '得分须以 0.5 分为单位' });
  });
  it('rejects a fractional number of tenths', () => {
    expect(validateScore(4.5, 50)).toMatchObject({ ok: false, code: 'NOT_INTEGER_TENTHS' });
    expect(validateScore(Number.NaN, 50)).toMatchObject({ ok: false, code: 'NOT_INTEGER_TENTHS' });
  });
  it('accepts exactly the multiples of 5 in [0, max]', () => {
    fc.assert(
      fc.property(fc.integer({ min: -100, max: 300 }), fc.integer({ min: 1, max: 30 }), (v, steps) => {
        const max = steps * 5;
        expect(validateScore(v, max).ok).toBe(v >= 0 && v <= max && v % 5 === 0);
      }),
    );
  });
});

describe('parseScoreInput / formatScore', () => {
  it('reads points as tenths, including full-width digits', () => {
    expect(parseScoreInput('4.5')).toBe(45);
    expect(parseScoreInput('5')).toBe(50);
    expect(parseScoreInput('０')).toBe(0);
    expect(parseScoreInput('４．５')).toBe(45);
    expect(parseScoreInput(' 4.50 ')).toBe(45);
    expect(parseScoreInput('4.5分')).toBe(45);
    expect(parseScoreInput('.5')).toBe(5);
  });
  it('rejects two decimals, empty text, words and negatives', () => {
    for (const bad of ['4.25', '', ' ', 'abc', '-1', '-0.5', '4.', '.', '1e1', '4,5']) {
      expect(parseScoreInput(bad), bad).toBeNull();
    }
  });
  it('reads 4.3 as 43 so validation can say it is not a half step', () => {
    expect(parseScoreInput('4.3')).toBe(43);
  });
  it('formats tenths without a trailing .0', () => {
    expect(formatScore(45)).toBe('4.5');
    expect(formatScore(50)).toBe('5');
    expect(formatScore(1000)).toBe('100');
    expect(formatScore(5)).toBe('0.5');
  });
  it('formatScore and parseScoreInput are inverse for every non-negative score', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 100000 }), (t) => {
        expect(parseScoreInput(formatScore(t))).toBe(t);
      }),
    );
  });
});

describe('sums and totals: computed, never typed', () => {
  it('sumScores counts null and undefined as 0', () => {
    expect(sumScores([50, null, 45, undefined])).toBe(95);
    expect(sumScores([])).toBe(0);
  });
  it('computeTotals adds per category and overall and reports a complete card', () => {
    expect(computeTotals(makeCard(), { '1': 20, '2': 25, '3': 45 })).toEqual({
      byCategory: { a: 45, b: 45 },
      total: 90,
      complete: true,
    });
  });
  it('computeTotals marks a card with a missing or null score as incomplete and counts it 0', () => {
    expect(computeTotals(makeCard(), { '1': 20, '2': null })).toEqual({
      byCategory: { a: 20, b: 0 },
      total: 20,
      complete: false,
    });
  });
  it('the total is the sum of the category totals for any scores', () => {
    fc.assert(
      fc.property(fc.array(fc.option(fc.integer({ min: 0, max: 10 }).map((x) => x * 5)), { minLength: 3, maxLength: 3 }), (s) => {
        const r = computeTotals(makeCard(), { '1': s[0], '2': s[1], '3': s[2] });
        expect(r.total).toBe(Object.values(r.byCategory).reduce((a, b) => a + b, 0));
        expect(r.total).toBe(sumScores(s));
      }),
    );
  });
});

describe('validateScorecard: items add up to categories, categories to 100 points', () => {
  it('the 2016 scorecard of 附件2 is consistent: 5 categories, 14 items, 100 points', () => {
    expect(validateScorecard(clone(SCORECARD_2016))).toEqual({ ok: true });
    expect(SCORECARD_2016).toHaveLength(5);
    expect(SCORECARD_2016.flatMap((c) => c.criteria)).toHaveLength(14);
    expect(SCORECARD_2016.map((c) => [c.name, c.maxScore])).toEqual([
      ['组织领导', 150],
      ['基础管理', 150],
      ['入户调查', 300],
      ['数据录入', 200],
      ['汇总分析', 200],
    ]);
  });
  it('accepts a small consistent card against its own total', () => {
    expect(validateScorecard(makeCard(), 100)).toEqual({ ok: true });
  });
  it('names the category whose items do not add up', () => {
    const card = makeCard();
    card[0]!.criteria[0]!.maxScore = 25;
    const r = validateScorecard(card, 100);
    expect(r.ok).toBe(false);
    expect(!r.ok && r.errors.join('\n')).toContain('考核项目“甲”各条标准分合计 5.5 分，与该项目标准分 5 分不符');
  });
  it('rejects categories that do not add up to the expected total (default 100 points)', () => {
    const r = validateScorecard(makeCard());
    expect(!r.ok && r.errors).toEqual(['各考核项目标准分合计 10 分，应为 100 分']);
  });
  it('rejects an empty card, a category without items or name, and non-positive or off-grid scores', () => {
    expect(validateScorecard([]).ok).toBe(false);
    const card = makeCard();
    card[1] = { id: 'b', name: ' ', maxScore: 50, criteria: [] };
    card[0]!.criteria[0]!.maxScore = 0;
    card[0]!.criteria[1]!.maxScore = 53;
    const r = validateScorecard(card, 100);
    const text = !r.ok ? r.errors.join('\n') : '';
    expect(text).toContain('第 2 个考核项目没有名称');
    expect(text).toContain('至少应有一条考核标准');
    expect(text).toContain('第 1 条考核标准的标准分须为正数');
    expect(text).toContain('第 2 条考核标准的标准分须为正数');
  });
  it('rejects duplicate item ids, because scores are keyed by item id', () => {
    const card = makeCard();
    card[1]!.criteria[0]!.id = '1';
    const r = validateScorecard(card, 100);
    expect(!r.ok && r.errors.join('\n')).toContain('编号 1 重复');
  });
});
