import { describe, expect, it } from 'vitest';
import { isShanghaiDay, shanghaiDayOf, shanghaiDayRange, shanghaiDayStart, shanghaiNextDayStart } from './shanghai-day.js';

describe('Shanghai day boundaries (half-open, UTC ISO text)', () => {
  it('a day runs from 00:00 +08:00 to the next day 00:00 +08:00, exclusive', () => {
    expect(shanghaiDayRange('2016-06-10')).toEqual({ start: '2016-06-09T16:00:00.000Z', end: '2016-06-10T16:00:00.000Z' });
    expect(shanghaiNextDayStart('2016-12-31')).toBe('2016-12-31T16:00:00.000Z');
    expect(shanghaiDayStart('2016-03-01')).toBe('2016-02-29T16:00:00.000Z');
  });

  it('the last millisecond of the Shanghai day is inside, 00:00:00.000 of the next day is not (compared as text)', () => {
    const { start, end } = shanghaiDayRange('2016-06-10');
    const last = new Date('2016-06-10T23:59:59.999+08:00').toISOString();
    const next = new Date('2016-06-11T00:00:00.000+08:00').toISOString();
    expect(last >= start && last < end).toBe(true);
    expect(next >= start && next < end).toBe(false);
    expect(shanghaiDayOf(last)).toBe('2016-06-10');
    expect(shanghaiDayOf(next)).toBe('2016-06-11');
  });

  it('only real calendar dates are days (2016-02-30 and 2016-13-01 are refused)', () => {
    expect(isShanghaiDay('2016-02-29')).toBe(true);
    expect(isShanghaiDay('2016-02-30')).toBe(false);
    expect(isShanghaiDay('2015-02-29')).toBe(false);
    expect(isShanghaiDay('2016-13-01')).toBe(false);
    expect(() => shanghaiNextDayStart('2016-02-30')).toThrow(RangeError);
  });
});
