import { describe, expect, it } from 'vitest';
import { formatDuration, groupDigits, progressPercent, rowsText, shownTotal, timeLeftMs, timeLeftText } from './progress.js';

describe('progressPercent', () => {
  it('is the whole percent of rows done of the total', () => {
    expect(progressPercent({ done: 12_345, total: 340_000 })).toBe(3);
    expect(progressPercent({ done: 170_000, total: 340_000 })).toBe(50);
  });
  it('never shows 100 before the job is done, even with every row done', () => {
    expect(progressPercent({ done: 340_000, total: 340_000 })).toBe(99);
    expect(progressPercent({ done: 339_999, total: 340_000 })).toBe(99);
  });
  it('is 100 once the job is finished', () => {
    expect(progressPercent({ done: 5, total: 10, finished: true })).toBe(100);
  });
  it('is 0 while the total is unknown or nothing is done', () => {
    expect(progressPercent({ done: 500, total: null })).toBe(0);
    expect(progressPercent({ done: 0, total: 1000 })).toBe(0);
    expect(progressPercent({ done: 10, total: 0 })).toBe(0);
  });
  it('an estimated total already passed by the rows done counts as the rows done', () => {
    expect(shownTotal({ done: 1200, total: 1000 })).toBe(1200);
    expect(progressPercent({ done: 1200, total: 1000 })).toBe(99);
  });
});

describe('timeLeftMs', () => {
  it('extrapolates the rate so far: a quarter done in 10 s leaves 30 s', () => {
    expect(timeLeftMs({ done: 250, total: 1000, elapsedMs: 10_000 })).toBe(30_000);
  });
  it('is unknown under 2 s elapsed', () => {
    expect(timeLeftMs({ done: 500, total: 1000, elapsedMs: 1999 })).toBeNull();
    expect(timeLeftMs({ done: 500, total: 1000, elapsedMs: 2000 })).toBe(2000);
  });
  it('is unknown under 1% done', () => {
    expect(timeLeftMs({ done: 9, total: 1000, elapsedMs: 60_000 })).toBeNull();
    expect(timeLeftMs({ done: 10, total: 1000, elapsedMs: 60_000 })).toBe(5_940_000);
  });
  it('is unknown without a total or an elapsed time', () => {
    expect(timeLeftMs({ done: 10, total: null, elapsedMs: 60_000 })).toBeNull();
    expect(timeLeftMs({ done: 10, total: 100, elapsedMs: null })).toBeNull();
  });
  it('is 0 when the rows done reached the total', () => {
    expect(timeLeftMs({ done: 1000, total: 1000, elapsedMs: 8000 })).toBe(0);
    expect(timeLeftMs({ done: 1500, total: 1000, elapsedMs: 8000 })).toBe(0);
  });
});

describe('formatDuration', () => {
  it.each([
    [0, '0 秒'],
    [400, '1 秒'],
    [45_000, '45 秒'],
    [59_001, '1 分'],
    [60_000, '1 分'],
    [130_000, '2 分 10 秒'],
    [3_599_000, '59 分 59 秒'],
    [3_600_000, '1 小时'],
    [3_900_000, '1 小时 5 分'],
    [3_900_001, '1 小时 6 分'],
    [2 * 3_600_000 + 30 * 60_000, '2 小时 30 分'],
  ])('%i ms → %s (seconds rounded up, minutes past an hour)', (ms, text) => {
    expect(formatDuration(ms)).toBe(text);
  });
});

describe('timeLeftText', () => {
  it('says the time left at the rate so far', () => {
    expect(timeLeftText({ done: 100_000, total: 340_000, elapsedMs: 54_000 })).toBe('约剩 2 分 10 秒');
  });
  it('says it is still estimating while too early', () => {
    expect(timeLeftText({ done: 100, total: 340_000, elapsedMs: 60_000 })).toBe('正在估算剩余时间');
    expect(timeLeftText({ done: 100_000, total: 340_000, elapsedMs: 1000 })).toBe('正在估算剩余时间');
  });
  it('says it is nearly done under a second left, and nothing once finished', () => {
    expect(timeLeftText({ done: 999, total: 1000, elapsedMs: 5000 })).toBe('即将完成');
    expect(timeLeftText({ done: 1000, total: 1000, elapsedMs: 5000, finished: true })).toBeNull();
  });
});

describe('rowsText', () => {
  it('shows rows done of the total with thousands separators', () => {
    expect(rowsText({ done: 12_345, total: 340_000 })).toBe('已处理 12,345 / 340,000 行');
  });
  it('labels an estimated total with 约, but not once the job is finished', () => {
    expect(rowsText({ done: 12_345, total: 340_000, estimated: true })).toBe('已处理 12,345 / 约 340,000 行');
    expect(rowsText({ done: 339_870, total: 339_870, estimated: true, finished: true })).toBe('已处理 339,870 / 339,870 行');
  });
  it('shows the rows done alone while the total is unknown', () => {
    expect(rowsText({ done: 2000, total: null })).toBe('已处理 2,000 行');
  });
  it('groups digits the same whatever the size or sign', () => {
    expect(groupDigits(0)).toBe('0');
    expect(groupDigits(999)).toBe('999');
    expect(groupDigits(1000)).toBe('1,000');
    expect(groupDigits(1_234_567)).toBe('1,234,567');
    expect(groupDigits(-1234)).toBe('-1,234');
  });
});
