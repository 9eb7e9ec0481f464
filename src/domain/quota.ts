// 五、其他事宜: "评选全民参保登记工作先进个人23名" and （二）名额分配: 新北区 8, 天宁区 7, 钟楼区 6,
// 市社保 2. （三）申报评定: "由各地区、单位结合工作实际分配名额" — a unit may not recommend more
// people than its quota.

/** "先进个人23名". */
export const TOTAL_AWARDS_2016 = 23;

/** 名额分配 of 2016, the table in 五（二）. */
export const DEFAULT_QUOTAS_2016: ReadonlyArray<{ unit: string; quota: number }> = [
  { unit: '新北区', quota: 8 },
  { unit: '天宁区', quota: 7 },
  { unit: '钟楼区', quota: 6 },
  { unit: '市社保', quota: 2 },
];

/** Whether `adding` more nominations fit in the quota after `used` ones. */
export function checkQuota(
  quota: number,
  used: number,
  adding = 1,
): { ok: true; remaining: number } | { ok: false; message: string } {
  for (const [name, v] of [['quota', quota], ['used', used], ['adding', adding]] as const) {
    if (!Number.isSafeInteger(v) || v < 0) throw new RangeError(`${name} must be a non-negative integer`);
  }
  if (used + adding > quota) {
    return { ok: false, message: `已超出名额：本单位名额 ${quota} 名，已推荐 ${used} 名` };
  }
  return { ok: true, remaining: quota - used - adding };
}

/** Quotas are non-negative whole numbers for distinct named units and, if given, add up to the total. */
export function validateQuotas(
  quotas: Array<{ unit: string; quota: number }>,
  expectedTotal?: number,
): { ok: true } | { ok: false; errors: string[] } {
  const errors: string[] = [];
  const seen = new Set<string>();
  let sum = 0;
  quotas.forEach((q, i) => {
    const unit = q.unit.trim();
    const label = unit === '' ? `第 ${i + 1} 个单位` : `“${unit}”`;
    if (unit === '') errors.push(`第 ${i + 1} 个单位没有名称`);
    else if (seen.has(unit)) errors.push(`单位${label}重复`);
    seen.add(unit);
    if (!Number.isSafeInteger(q.quota) || q.quota < 0) errors.push(`${label}的名额须为不小于 0 的整数`);
    else sum += q.quota;
  });
  if (expectedTotal !== undefined && errors.length === 0 && sum !== expectedTotal) {
    errors.push(`各单位名额合计 ${sum} 名，与评选总数 ${expectedTotal} 名不符`);
  }
  return errors.length === 0 ? { ok: true } : { ok: false, errors };
}
