// 三（二）考核评估: "通过查阅资料、抽查数据等方式，对各区工作情况进行考核评估". The spot check draws
// a random sample of a district's records. The draw is reproducible from a recorded seed, so the
// district can re-derive exactly which records were drawn.
//
// How to re-derive a draw (any language, 32-bit unsigned arithmetic):
//   1. Hash the seed string (its UTF-16 code units) with cyrb128 into four 32-bit words a, b, c, d.
//   2. Run sfc32(a, b, c, d) (PractRand's: counter = d); each call gives a 32-bit word w.
//   3. Sort the population by record id ascending. For i = 0 … size−1:
//        j = i + floor(w × (n − i) / 2^32)  (exact integer arithmetic);
//        swap items i and j; item i is the i-th record drawn.
//      (partial Fisher–Yates shuffle; the sample is returned in draw order)
// cyrb128 and sfc32 are public-domain (bryc/code, "PRNGs" and "cyrb53/cyrb128"); they are
// not cryptographic, which is fine: the seed itself comes from crypto.getRandomValues.

/** 16 hex characters (64 bits) from the platform's cryptographic random source. */
export function generateSeed(): string {
  const bytes = new Uint8Array(8);
  globalThis.crypto.getRandomValues(bytes);
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

/** cyrb128: a 128-bit hash of a string as four 32-bit unsigned words. */
export function cyrb128(str: string): [number, number, number, number] {
  let h1 = 1779033703;
  let h2 = 3144134277;
  let h3 = 1013904242;
  let h4 = 2773480762;
  for (let i = 0; i < str.length; i++) {
    const k = str.charCodeAt(i);
    h1 = h2 ^ Math.imul(h1 ^ k, 597399067);
    h2 = h3 ^ Math.imul(h2 ^ k, 2869860233);
    h3 = h4 ^ Math.imul(h3 ^ k, 951274213);
    h4 = h1 ^ Math.imul(h4 ^ k, 2716044179);
  }
  h1 = Math.imul(h3 ^ (h1 >>> 18), 597399067);
  h2 = Math.imul(h4 ^ (h2 >>> 22), 2869860233);
  h3 = Math.imul(h1 ^ (h3 >>> 17), 951274213);
  h4 = Math.imul(h2 ^ (h4 >>> 19), 2716044179);
  h1 ^= h2 ^ h3 ^ h4;
  h2 ^= h1;
  h3 ^= h1;
  h4 ^= h1;
  return [h1 >>> 0, h2 >>> 0, h3 >>> 0, h4 >>> 0];
}

/** Deterministic PRNG: sfc32 seeded with cyrb128(seed). Returns numbers in [0, 1) with 32-bit resolution. */
export function createRng(seed: string): () => number {
  const next = createWordRng(seed);
  return () => next() / 4294967296;
}

/** The same generator as 32-bit unsigned words. */
export function createWordRng(seed: string): () => number {
  let [a, b, c, d] = cyrb128(seed);
  // sfc32 as in PractRand: tmp = a + b + counter++; a = b ^ (b >> 9); b = c + (c << 3);
  // c = rotl(c, 21) + tmp; return tmp.
  return () => {
    const t = (((a + b) | 0) + d) | 0;
    d = (d + 1) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (((c << 21) | (c >>> 11)) + t) | 0;
    return t >>> 0;
  };
}

/**
 * A reproducible sample of `size` items (clamped to the population) in draw order.
 * The caller passes the population in a stable order: sort by record id ascending.
 */
export function drawSample<T>(population: readonly T[], size: number, seed: string): T[] {
  if (!Number.isInteger(size) || size < 0) throw new RangeError('size must be a non-negative integer');
  const n = population.length;
  const k = Math.min(size, n);
  const items = population.slice();
  const next = createWordRng(seed);
  for (let i = 0; i < k; i++) {
    // floor(w × (n − i) / 2^32) in BigInt: exact for any population size.
    const j = i + Number((BigInt(next()) * BigInt(n - i)) >> 32n);
    const tmp = items[i] as T;
    items[i] = items[j] as T;
    items[j] = tmp;
  }
  return items.slice(0, k);
}

/**
 * Sample size for a ratio in percent (0 < r ≤ 100): ceil(n × r / 100), at least 1 when there is
 * anyone to check, never more than n. A tiny relative tolerance keeps float noise such as 1000 × 0.7 / 100
 * = 7.000000000000001 from rounding up.
 */
export function sampleSizeFromRatio(populationSize: number, ratioPercent: number): number {
  if (!Number.isSafeInteger(populationSize) || populationSize < 0) {
    throw new RangeError('populationSize must be a non-negative integer');
  }
  if (!Number.isFinite(ratioPercent) || ratioPercent <= 0 || ratioPercent > 100) {
    throw new RangeError('ratioPercent must be greater than 0 and at most 100');
  }
  if (populationSize === 0) return 0;
  // Ratios are entered with at most 4 decimals (e.g. 0.7 %): work in exact integers, so float
  // noise such as 0.7 / 100 * 1000 = 7.000000000000001 never rounds a size up.
  const scaled = Math.round(ratioPercent * 10_000);
  const exactScale = Math.abs(ratioPercent * 10_000 - scaled) < 1e-6;
  const raw = exactScale
    ? Number((BigInt(populationSize) * BigInt(scaled) + 999_999n) / 1_000_000n)
    : Math.ceil((populationSize * ratioPercent) / 100);
  return Math.min(populationSize, Math.max(1, raw));
}
