// Rows crossing threads: packed and unpacked, they are the rows as flattened in place.
import { describe, expect, it } from 'vitest';
import { flattenRows, packRows, unpackRows } from './scan.js';

describe('packRows / unpackRows', () => {
  it('give back the flattened rows, nulls included', () => {
    const rows = [
      { row: 2, community: 0, values: ['张三', null, '320411198001010014'] },
      { row: 5, community: 3, values: [null, '常州市', null] },
    ];
    expect(unpackRows(packRows(rows))).toEqual(flattenRows(rows));
    expect(flattenRows(rows)).toEqual(['2', '0', '张三', null, '320411198001010014', '5', '3', null, '常州市', null]);
    expect(unpackRows(packRows([]))).toEqual([]);
  });
});
