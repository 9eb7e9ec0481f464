// Scores of 附件2 《常州市市本级全民参保登记工作考核表》. All scores are integer tenths of a point
// (5 分 = 50, 0.5 分 = 5) so that sums are exact; convert only when reading or showing them.
// Seed: "考核总分为100分" (三); the scorecard lists 标准分 per item and a 自评分 / 考核分 per item.
// The half-point step comes from the only deduction the seed names: "发现一例扣0.5分".
import { toHalfWidth } from './text.js';

export type Criterion = { id: string | number; /** tenths */ maxScore: number };
export type Category = { id: string | number; name: string; /** tenths */ maxScore: number; criteria: Criterion[] };

/** "考核总分为100分" — 100 points in tenths. */
export const DEFAULT_TOTAL_SCORE = 1000;
/** Half a point: "扣0.5分". */
export const SCORE_STEP = 5;

/** 45 → '4.5', 50 → '5', 1000 → '100'. */
export function formatScore(tenths: number): string {
  const sign = tenths < 0 ? '-' : '';
  const abs = Math.abs(Math.round(tenths));
  const whole = Math.floor(abs / 10);
  const frac = abs % 10;
  return frac === 0 ? `${sign}${whole}` : `${sign}${whole}.${frac}`;
}

export function validateScore(
  value: number,
  maxScore: number,
):
  | { ok: true }
  | { ok: false; code: 'NOT_INTEGER_TENTHS' | 'OUT_OF_RANGE' | 'NOT_HALF_STEP'; message: string } {
  if (!Number.isInteger(value)) {
    return { ok: false, code: 'NOT_INTEGER_TENTHS', message: '得分最多保留一位小数，且须以 0.5 分为单位' };
  }
  // Each item is scored between 0 and its 标准分.
  if (value < 0 || value > maxScore) {
    return { ok: false, code: 'OUT_OF_RANGE', message: `得分须在 0 至 ${formatScore(maxScore)} 分之间` };
  }
  if (value % SCORE_STEP !== 0) {
    return { ok: false, code: 'NOT_HALF_STEP', message: '得分须以 0.5 分为单位' };
  }
  return { ok: true };
}

/**
 * What an official types → tenths. '4.5' → 45, '5' → 50, '４．５' → 45, '4.50' → 45, '4.5分' → 45.
 * Returns null for '', text, negatives and more than one significant decimal ('4.25').
 * '4.3' parses to 43 so that validateScore can say "须以 0.5 分为单位".
 */
export function parseScoreInput(text: string): number | null {
  const s = toHalfWidth(text).replace(/。/g, '.').trim().replace(/\s*分$/, '');
  const m = /^(\d*)(?:\.(\d)0*)?$/.exec(s);
  if (!m) return null;
  const whole = m[1] ?? '';
  const frac = m[2];
  if (whole === '' && frac === undefined) return null;
  const value = Number(whole === '' ? '0' : whole) * 10 + (frac === undefined ? 0 : Number(frac));
  return Number.isSafeInteger(value) ? value : null;
}

/** Missing scores count 0. */
export function sumScores(scores: Array<number | null | undefined>): number {
  let total = 0;
  for (const s of scores) total += s ?? 0;
  return total;
}

/**
 * A scorecard template is consistent: every category's items add up to the category's score, the
 * categories add up to the total ("考核总分为100分"; 附件2: 组织领导 15, 基础管理 15, 入户调查 30,
 * 数据录入 20, 汇总分析 20, 合计 100), every score is a positive multiple of 0.5.
 */
export function validateScorecard(
  categories: Category[],
  expectedTotal: number = DEFAULT_TOTAL_SCORE,
): { ok: true } | { ok: false; errors: string[] } {
  const errors: string[] = [];
  if (categories.length === 0) errors.push('考核表至少应有一个考核项目');
  const seenIds = new Set<string>();
  let total = 0;
  categories.forEach((category, ci) => {
    const name = category.name.trim();
    const label = name === '' ? `第 ${ci + 1} 个考核项目` : `考核项目“${name}”`;
    if (name === '') errors.push(`第 ${ci + 1} 个考核项目没有名称`);
    if (!isPositiveStep(category.maxScore)) {
      errors.push(`${label}的标准分须为正数，且以 0.5 分为单位`);
    }
    if (category.criteria.length === 0) errors.push(`${label}至少应有一条考核标准`);
    let sum = 0;
    category.criteria.forEach((criterion, i) => {
      const key = String(criterion.id);
      if (seenIds.has(key)) errors.push(`${label}第 ${i + 1} 条考核标准的编号 ${key} 重复`);
      seenIds.add(key);
      if (!isPositiveStep(criterion.maxScore)) {
        errors.push(`${label}第 ${i + 1} 条考核标准的标准分须为正数，且以 0.5 分为单位`);
      }
      sum += criterion.maxScore;
    });
    if (category.criteria.length > 0 && sum !== category.maxScore) {
      errors.push(
        `${label}各条标准分合计 ${formatScore(sum)} 分，与该项目标准分 ${formatScore(category.maxScore)} 分不符`,
      );
    }
    total += category.maxScore;
  });
  if (categories.length > 0 && total !== expectedTotal) {
    errors.push(`各考核项目标准分合计 ${formatScore(total)} 分，应为 ${formatScore(expectedTotal)} 分`);
  }
  return errors.length === 0 ? { ok: true } : { ok: false, errors };
}

function isPositiveStep(v: number): boolean {
  return Number.isInteger(v) && v > 0 && v % SCORE_STEP === 0;
}

/**
 * Totals are computed, never typed (SPEC §2). Keys of `scores` are String(criterion.id);
 * a missing or null score counts 0 and makes the card incomplete.
 */
export function computeTotals(
  categories: Category[],
  scores: Record<string, number | null | undefined>,
): { byCategory: Record<string, number>; total: number; complete: boolean } {
  const byCategory: Record<string, number> = {};
  let total = 0;
  let complete = true;
  for (const category of categories) {
    let sum = 0;
    for (const criterion of category.criteria) {
      const s = scores[String(criterion.id)];
      if (s === null || s === undefined) complete = false;
      else sum += s;
    }
    byCategory[String(category.id)] = sum;
    total += sum;
  }
  return { byCategory, total, complete };
}
