// 四、考核费用. Money is integer fen (分) throughout; yuan appear only when reading or printing.
//   （一）"计发基数=各区实际录入人数×入户调查基准费用，其中，入户调查基准费用确定为3元/人，
//         实际录入人数以录入有效数据为依据。"
//   （二）"考核总分在90分以上的，按计发基数的100%发放" / "80分以上-不满90分的…90%" /
//         "不满80分的…80%". In Chinese legal usage 以上 includes the number, 不满 excludes it:
//         90 is in the top tier, 80 in the middle one.
import { formatScore } from './score.js';
import { removeWhitespace, toHalfWidth } from './text.js';

export type FeeTier = {
  /** tenths of a point, inclusive ("以上" includes; the tier below is "不满" this score) */
  minScore: number;
  /** integer percent of the fee base, e.g. 100, 90, 80 */
  percent: number;
  label: string;
};

/** （二）费用计算 of 2016. */
export const DEFAULT_FEE_TIERS_2016: FeeTier[] = [
  { minScore: 900, percent: 100, label: '90分以上' },
  { minScore: 800, percent: 90, label: '80分以上不满90分' },
  { minScore: 0, percent: 80, label: '不满80分' },
];

/** "入户调查基准费用确定为3元/人" — 300 fen. */
export const DEFAULT_BASE_RATE_FEN = 300;

const MAX_SCORE = 1000;

export function validateFeeTiers(tiers: FeeTier[]): { ok: true } | { ok: false; errors: string[] } {
  const errors: string[] = [];
  if (tiers.length === 0) return { ok: false, errors: ['至少应设置一个费用档次'] };
  tiers.forEach((t, i) => {
    const label = t.label.trim() === '' ? `第 ${i + 1} 档` : `第 ${i + 1} 档“${t.label.trim()}”`;
    if (!Number.isInteger(t.minScore) || t.minScore < 0 || t.minScore > MAX_SCORE) {
      errors.push(`${label}的起点分数须在 0 至 100 分之间，且最多一位小数`);
    }
    if (!Number.isInteger(t.percent) || t.percent < 0 || t.percent > 100) {
      errors.push(`${label}的发放比例须为 0 至 100 之间的整数`);
    }
  });
  if (!tiers.some((t) => t.minScore === 0)) errors.push('须有一个从 0 分起的档次，使任何总分都有对应比例');
  const mins = tiers.map((t) => t.minScore);
  if (new Set(mins).size !== mins.length) errors.push('各档次的起点分数不能重复');
  // A better score must never earn a smaller share of the fee base.
  const sorted = [...tiers].sort((a, b) => a.minScore - b.minScore);
  for (let i = 1; i < sorted.length; i++) {
    const lo = sorted[i - 1];
    const hi = sorted[i];
    if (lo && hi && hi.minScore !== lo.minScore && hi.percent < lo.percent) {
      errors.push(
        `${formatScore(hi.minScore)} 分以上的发放比例 ${hi.percent}% 低于 ${formatScore(lo.minScore)} 分档的 ${lo.percent}%`,
      );
    }
  }
  return errors.length === 0 ? { ok: true } : { ok: false, errors };
}

/** The tier with the highest minScore ≤ totalScore: 900 → 100 %, 895 → 90 %, 800 → 90 %, 795 → 80 %. */
export function selectFeeTier(totalScore: number, tiers: FeeTier[]): FeeTier {
  if (!Number.isInteger(totalScore) || totalScore < 0) {
    throw new RangeError('totalScore must be a non-negative integer number of tenths');
  }
  let best: FeeTier | undefined;
  for (const t of tiers) {
    if (t.minScore <= totalScore && (best === undefined || t.minScore > best.minScore)) best = t;
  }
  if (!best) throw new RangeError(`no fee tier covers the score ${totalScore}`);
  return best;
}

/**
 * feeBase = validCount × baseRateFen ("各区实际录入人数×入户调查基准费用");
 * fee = feeBase × percent / 100, 四舍五入到分 (half up to the fen). Integer arithmetic only.
 */
export function computeFee(input: {
  validCount: number;
  baseRateFen: number;
  totalScore: number;
  tiers: FeeTier[];
}): { feeBaseFen: number; tier: FeeTier; feeFen: number } {
  const { validCount, baseRateFen, totalScore, tiers } = input;
  if (!Number.isSafeInteger(validCount) || validCount < 0) throw new RangeError('validCount must be a non-negative integer');
  if (!Number.isSafeInteger(baseRateFen) || baseRateFen < 0) throw new RangeError('baseRateFen must be a non-negative integer (fen)');
  const tier = selectFeeTier(totalScore, tiers);
  if (!Number.isInteger(tier.percent) || tier.percent < 0 || tier.percent > 100) {
    throw new RangeError('tier percent must be an integer between 0 and 100');
  }
  const base = BigInt(validCount) * BigInt(baseRateFen);
  if (base > BigInt(Number.MAX_SAFE_INTEGER)) throw new RangeError('fee base exceeds the safe integer range');
  // Half up: floor((base × percent × 2 + 100) / 200) = floor(base × percent / 100 + 0.5).
  const fee = (base * BigInt(tier.percent) * 2n + 100n) / 200n;
  return { feeBaseFen: Number(base), tier, feeFen: Number(fee) };
}

/** 100040000 → '1,000,400.00'. */
export function formatFen(fen: number): string {
  if (!Number.isSafeInteger(fen)) throw new RangeError('fen must be a safe integer');
  const sign = fen < 0 ? '-' : '';
  const abs = Math.abs(fen);
  const yuan = Math.floor(abs / 100)
    .toString()
    .replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  const cents = (abs % 100).toString().padStart(2, '0');
  return `${sign}${yuan}.${cents}`;
}

/**
 * Yuan as typed → fen: '3' → 300, '3.5' → 350, '1,000.00' → 100000, '￥3元' → 300.
 * More than two decimals ('3.505'), negatives and anything else throw a RangeError.
 */
export function yuanToFen(text: string): number {
  const s = removeWhitespace(toHalfWidth(text)).replace(/^[¥￥]/, '').replace(/元$/, '');
  const m = /^(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d{1,2}))?$/.exec(s);
  if (!m) throw new RangeError(`金额“${text}”格式不正确，应为不超过两位小数的非负数，如 3 或 3.50`);
  const yuan = BigInt((m[1] ?? '0').replace(/,/g, ''));
  const cents = BigInt((m[2] ?? '').padEnd(2, '0'));
  const fen = yuan * 100n + cents;
  if (fen > BigInt(Number.MAX_SAFE_INTEGER)) throw new RangeError(`金额“${text}”过大`);
  return Number(fen);
}
