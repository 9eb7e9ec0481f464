// Money split and ceilings for the district's allocation (seed 四（三）2) and the city's payments
// (四（三）1). Integer fen only.

/**
 * Splits totalFen in proportion to the weights (e.g. each street's frozen valid count) to the fen,
 * by the largest-remainder method: every share is floor(total × w / Σw), and the fen left over go
 * one each to the largest remainders (ties to the earlier entry). The shares always add up to
 * totalFen exactly; with all weights 0 every share is 0 (nothing to go by).
 */
export function splitProportionally(totalFen: number, weights: readonly number[]): number[] {
  if (!Number.isSafeInteger(totalFen) || totalFen < 0) throw new RangeError('totalFen must be a non-negative integer');
  for (const w of weights) if (!Number.isSafeInteger(w) || w < 0) throw new RangeError('weights must be non-negative integers');
  const sum = weights.reduce((a, b) => a + b, 0);
  if (sum === 0) return weights.map(() => 0);
  const total = BigInt(totalFen);
  const big = BigInt(sum);
  const shares = weights.map((w) => (total * BigInt(w)) / big);
  const remainders = weights.map((w, i) => ({ i, r: (total * BigInt(w)) % big }));
  let left = Number(total - shares.reduce((a, b) => a + b, 0n));
  remainders.sort((a, b) => (a.r === b.r ? a.i - b.i : a.r > b.r ? -1 : 1));
  for (const { i } of remainders) {
    if (left === 0) break;
    shares[i] = (shares[i] ?? 0n) + 1n;
    left--;
  }
  return shares.map(Number);
}

/** A sum of amounts against a ceiling: ok, or by how much it goes over. */
export function checkCeiling(amountsFen: readonly number[], ceilingFen: number): { ok: true; sumFen: number } | { ok: false; sumFen: number; overFen: number } {
  const sumFen = amountsFen.reduce((a, b) => a + b, 0);
  if (!Number.isSafeInteger(sumFen)) throw new RangeError('sum out of range');
  return sumFen <= ceilingFen ? { ok: true, sumFen } : { ok: false, sumFen, overFen: sumFen - ceilingFen };
}
