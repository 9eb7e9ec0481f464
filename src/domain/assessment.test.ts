import { describe, expect, it } from 'vitest';
import { assessmentPermissions, missingScores, selfAssessmentOpen } from './assessment.js';

const at = (status: Parameters<typeof assessmentPermissions>[0]['status'], actor: Parameters<typeof assessmentPermissions>[0]['actor'], today = '2016-06-01', windowUntil: string | null = null) =>
  assessmentPermissions({ status, actor, today, deadline: '2016-06-10', windowUntil });

describe('assessment workflow', () => {
  it('the district edits and submits its draft until the deadline day included, then not until the city reopens the window', () => {
    expect(selfAssessmentOpen('draft', '2016-06-10', '2016-06-10', null)).toBe(true);
    expect(selfAssessmentOpen('draft', '2016-06-11', '2016-06-10', null)).toBe(false);
    expect(selfAssessmentOpen('draft', '2016-06-11', '2016-06-10', '2016-06-15')).toBe(true);
    expect(selfAssessmentOpen('draft', '2016-06-16', '2016-06-10', '2016-06-15')).toBe(false);
    expect(at('draft', 'district')).toMatchObject({ editSelf: true, submit: true, review: false, lockedReason: null });
    const late = at('draft', 'district', '2016-06-11');
    expect(late).toMatchObject({ editSelf: false, submit: false });
    expect(late.lockedReason).toContain('2016-06-10');
    expect(at('draft', 'cityAdmin', '2016-06-11').reopenWindow).toBe(true);
    expect(at('draft', 'assessor', '2016-06-11').reopenWindow).toBe(false);
    expect(at('draft', 'cityAdmin', '2016-06-01').reopenWindow).toBe(false);
  });

  it('submitted: locked for the district, reviewed, returned or finalised by the city', () => {
    expect(at('submitted', 'district')).toMatchObject({ editSelf: false, submit: false, review: false });
    expect(at('submitted', 'assessor')).toMatchObject({ review: true, returnToDistrict: true, finalize: true, reopen: false });
    expect(at('submitted', 'other')).toMatchObject({ review: false, finalize: false });
  });

  it('returned: the district edits and resubmits even after the deadline', () => {
    expect(at('returned', 'district', '2016-07-01')).toMatchObject({ editSelf: true, submit: true, lockedReason: null });
    expect(at('returned', 'assessor')).toMatchObject({ review: false, finalize: false });
  });

  it('final: locked for everyone; only a city admin reopens', () => {
    expect(at('final', 'district')).toMatchObject({ editSelf: false, submit: false });
    expect(at('final', 'assessor')).toMatchObject({ review: false, reopen: false });
    expect(at('final', 'cityAdmin')).toMatchObject({ review: false, reopen: true });
  });

  it('lists the items without a score', () => {
    const items = [{ selfScore: 50, assessedScore: null }, { selfScore: null, assessedScore: 40 }];
    expect(missingScores(items, 'self')).toEqual([items[1]]);
    expect(missingScores(items, 'assessed')).toEqual([items[0]]);
  });
});
