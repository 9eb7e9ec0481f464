import { describe, expect, it } from 'vitest';
import { neutraliseCell } from './cells.js';

describe('export cells are neutralised against formula injection', () => {
  it('prefixes = + - @ tab and CR with an apostrophe', () => {
    for (const v of ['=1+1', '+86139', '-2', '@SUM(A1)', '\tx', '\rx']) expect(neutraliseCell(v)).toBe(`'${v}`);
  });
  it('leaves ordinary text alone', () => {
    for (const v of ['张三', '320411198001010019', '', 'a=b']) expect(neutraliseCell(v)).toBe(v);
  });
});
