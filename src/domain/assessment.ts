// The assessment's workflow (SPEC §2; seed 三 考核方式: 自查自评 by the districts by the deadline,
// then 考核评估 by the city — 查阅资料、抽查数据). Who may do what, in which state, on which day.
// Pure: the server asks, the page shows the answer.
//   draft ──submit──▶ submitted ──finalize──▶ final
//     ▲                  │  ▲                   │
//     └──(returned)◀─return  └──────reopen───────┘ (city admin, with a reason)
// After the deadline a draft is locked for the district until the city reopens the window.
import type { AssessmentStatus } from '../shared/api-assessment.js';

export type AssessmentActor = 'district' | 'assessor' | 'cityAdmin' | 'other';

export type AssessmentPermissions = {
  editSelf: boolean;
  submit: boolean;
  review: boolean;
  returnToDistrict: boolean;
  finalize: boolean;
  reopen: boolean;
  reopenWindow: boolean;
  lockedReason: string | null;
};

/** 'YYYY-MM-DD' dates compare as text. The deadline day itself is still open. */
export function selfAssessmentOpen(status: AssessmentStatus, today: string, deadline: string, windowUntil: string | null): boolean {
  if (status === 'returned') return true; // returned by the city: the district fixes it whatever the date
  if (status !== 'draft') return false;
  return today <= deadline || (windowUntil !== null && today <= windowUntil);
}

export function assessmentPermissions(input: { status: AssessmentStatus; actor: AssessmentActor; today: string; deadline: string; windowUntil: string | null }): AssessmentPermissions {
  const { status, actor, today, deadline, windowUntil } = input;
  const open = selfAssessmentOpen(status, today, deadline, windowUntil);
  const district = actor === 'district';
  const city = actor === 'assessor' || actor === 'cityAdmin';
  let lockedReason: string | null = null;
  if (status === 'submitted') lockedReason = '自评已提交，等待市级考核';
  else if (status === 'final') lockedReason = '考核已完成，结果已锁定';
  else if (!open) lockedReason = windowUntil ? `自查自评补报期限（${windowUntil}）已过，如需提交请联系市社保经办机构` : `自查自评截止日期（${deadline}）已过，如需提交请联系市社保经办机构重新开放`;
  return {
    editSelf: district && open,
    submit: district && open,
    review: city && status === 'submitted',
    returnToDistrict: city && status === 'submitted',
    finalize: city && status === 'submitted',
    reopen: actor === 'cityAdmin' && status === 'final',
    reopenWindow: actor === 'cityAdmin' && status === 'draft' && !open,
    lockedReason,
  };
}

/** Items still without a score (self or assessed). */
export function missingScores<T extends { selfScore: number | null; assessedScore: number | null }>(items: readonly T[], which: 'self' | 'assessed'): T[] {
  return items.filter((i) => (which === 'self' ? i.selfScore : i.assessedScore) === null);
}
