// Pure helpers over a campaign's rules: scorecard sums and the fee tiers' wording.
import type { Campaign } from '../api/types';
import { formatScore } from '../common/format';

export type CriterionLike = { maxScore: number };
export type CategoryLike = { name: string; maxScore: number; criteria: readonly CriterionLike[] };

export function criteriaSum(c: CategoryLike): number {
  return c.criteria.reduce((s, x) => s + x.maxScore, 0);
}

export function scorecardSums(categories: readonly CategoryLike[]) {
  const categoriesTotal = categories.reduce((s, c) => s + c.maxScore, 0);
  const criteriaTotal = categories.reduce((s, c) => s + criteriaSum(c), 0);
  const criteriaCount = categories.reduce((s, c) => s + c.criteria.length, 0);
  return { categoriesTotal, criteriaTotal, criteriaCount };
}

/** Chinese warnings when the scorecard does not add up (all values in tenths). */
export function scorecardProblems(categories: readonly CategoryLike[], totalScore: number): string[] {
  const out: string[] = [];
  for (const c of categories) {
    const sum = criteriaSum(c);
    if (sum !== c.maxScore) {
      out.push(`“${c.name || '未命名项目'}”的分值为 ${formatScore(c.maxScore)} 分，但其考核标准的标准分合计为 ${formatScore(sum)} 分`);
    }
  }
  const { categoriesTotal, criteriaTotal } = scorecardSums(categories);
  if (categoriesTotal !== totalScore) {
    out.push(`各考核项目分值合计 ${formatScore(categoriesTotal)} 分，与考核总分 ${formatScore(totalScore)} 分不一致`);
  }
  if (criteriaTotal !== totalScore && criteriaTotal !== categoriesTotal) {
    out.push(`各考核标准的标准分合计 ${formatScore(criteriaTotal)} 分，与考核总分 ${formatScore(totalScore)} 分不一致`);
  }
  return out;
}

export type FeeTier = Campaign['feeTiers'][number];

/** Tiers sorted from the highest minimum score down. */
export function sortTiers<T extends { minScore: number }>(tiers: readonly T[]): T[] {
  return [...tiers].sort((a, b) => b.minScore - a.minScore);
}

/**
 * The score band of each tier in the regulation's wording: "90分以上" includes 90,
 * "不满90分" excludes it (seed 四(二)).
 */
export function tierRangeLabel(sortedDesc: readonly { minScore: number }[], i: number): string {
  const t = sortedDesc[i];
  if (!t) return '';
  const upper = i > 0 ? sortedDesc[i - 1] : undefined;
  const min = formatScore(t.minScore);
  if (!upper) return t.minScore === 0 ? '全部分数' : `${min}分以上`;
  const max = formatScore(upper.minScore);
  return t.minScore === 0 ? `不满${max}分` : `${min}分以上-不满${max}分`;
}
