// 附件2, 数据录入: "录入信息系统的数据应准确。录入错误的，发现一例扣0.5分，本项扣完为止
// （以录入数据库数据为依据）。" — 标准分 5. The errors are those found by the spot check (抽查数据).

/** "发现一例扣0.5分，本项扣完为止": max(0, maxScore − errors × 0.5), all in tenths. */
export function accuracyScore(errors: number, maxScore = 50, deductionPerError = 5): number {
  if (!Number.isSafeInteger(errors) || errors < 0) {
    throw new RangeError('errors must be a non-negative integer');
  }
  if (!Number.isSafeInteger(maxScore) || maxScore < 0) throw new RangeError('maxScore must be a non-negative integer');
  if (!Number.isSafeInteger(deductionPerError) || deductionPerError < 0) {
    throw new RangeError('deductionPerError must be a non-negative integer');
  }
  // "本项扣完为止": the deduction stops at zero, it never eats into other items.
  const deducted = errors * deductionPerError;
  return deducted >= maxScore ? 0 : maxScore - deducted;
}
