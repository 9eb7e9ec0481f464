import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkQuota, DEFAULT_QUOTAS_2016, TOTAL_AWARDS_2016, validateQuotas } from './quota.js';

describe('checkQuota: a unit cannot recommend more than its quota', () => {
  it('新北区 (8): the 8th nomination fits with 0 left, the 9th is refused with a message naming both numbers', () => {
    expect(checkQuota(8, 7)).toEqual({ ok: true, remaining: 0 });
    expect(checkQuota(8, 8)).toEqual({ ok: false, message: '已超出名额：本单位名额 8 名，已推荐 8 名' });
  });
  it('checks several nominations added at once', () => {
    expect(checkQuota(7, 3, 4)).toEqual({ ok: true, remaining: 0 });
    expect(checkQuota(7, 3, 5).ok).toBe(false);
  });
  it('a quota of 0 accepts nobody', () => {
    expect(checkQuota(0, 0).ok).toBe(false);
    expect(checkQuota(0, 0, 0)).toEqual({ ok: true, remaining: 0 });
  });
  it('accepts exactly when used + adding ≤ quota, and remaining is what is left', () => {
    fc.assert(
      fc.property(fc.nat(50), fc.nat(50), fc.nat(5), (quota, used, adding) => {
        const r = checkQuota(quota, used, adding);
        expect(r.ok).toBe(used + adding <= quota);
        if (r.ok) expect(r.remaining).toBe(quota - used - adding);
      }),
    );
  });
  it('rejects negative or fractional numbers as a programming error', () => {
    expect(() => checkQuota(-1, 0)).toThrow(RangeError);
    expect(() => checkQuota(8, 1.5)).toThrow(RangeError);
  });
});

describe('validateQuotas: 先进个人23名 split 8 / 7 / 6 / 2', () => {
  it('the 2016 quotas add up to 23', () => {
    expect(validateQuotas([...DEFAULT_QUOTAS_2016], TOTAL_AWARDS_2016)).toEqual({ ok: true });
    expect(DEFAULT_QUOTAS_2016.map((q) => q.quota)).toEqual([8, 7, 6, 2]);
  });
  it('names the sum and the expected total when they differ', () => {
    const quotas = DEFAULT_QUOTAS_2016.map((q) => ({ ...q }));
    quotas[0]!.quota = 7;
    expect(validateQuotas(quotas, 23)).toEqual({ ok: false, errors: ['各单位名额合计 22 名，与评选总数 23 名不符'] });
  });
  it('without an expected total any non-negative integers are fine', () => {
    expect(validateQuotas([{ unit: '新北区', quota: 0 }])).toEqual({ ok: true });
  });
  it('rejects negative or fractional quotas, blank and duplicate unit names', () => {
    const r = validateQuotas([
      { unit: '新北区', quota: -1 },
      { unit: '天宁区', quota: 1.5 },
      { unit: ' ', quota: 1 },
      { unit: '天宁区', quota: 1 },
    ]);
    expect(!r.ok && r.errors).toEqual([
      '“新北区”的名额须为不小于 0 的整数',
      '“天宁区”的名额须为不小于 0 的整数',
      '第 3 个单位没有名称',
      '单位“天宁区”重复',
    ]);
  });
});
