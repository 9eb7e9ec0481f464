// Rows crossing threads: packed and unpacked, they are the rows as flattened in place.
import { describe, expect, it } from 'vitest';
import { RowScanner, SeenIds, flattenRows, packRows, unpackRows, type ScanSetup, type ScannedRow } from './scan.js';
import { convert15To18 } from '../../../domain/id-number.js';
import { fakeIdNumber } from '../../testing/registration-factory.js';

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

describe('SeenIds: the first row of every ID number, as a plain Map would say', () => {
  it('agrees with a Map over 300,000 numbers with repeats, through several growths of its table', () => {
    const seen = new SeenIds();
    const reference = new Map<string, number>();
    let state = 12345;
    const next = () => (state = (Math.imul(state, 1103515245) + 12345) >>> 0);
    let repeats = 0;
    const wrong: number[] = [];
    for (let row = 1; row <= 300_000; row++) {
      // Few regions and birth dates (the table's hash sees many equal heads), ~10 % repeats.
      const region = ['320411', '320402', '110101', '650102'][next() % 4]!;
      const birth = `19${String(50 + (next() % 50))}0${1 + (next() % 9)}1${next() % 10}`;
      const id17 = `${region}${birth}${String(next() % 1000).padStart(3, '0')}`;
      const id = `${id17}X`;
      const expected = reference.get(id17);
      if (expected === undefined) reference.set(id17, row);
      else repeats++;
      if (seen.firstOrAdd(id, row) !== expected) wrong.push(row);
    }
    expect(wrong).toEqual([]);
    expect(repeats).toBeGreaterThan(1000);
    // The 18th character is not part of the key: it follows from the first 17.
    const [someId17, someRow] = reference.entries().next().value as [string, number];
    expect(seen.firstOrAdd(`${someId17}0`, 999_999)).toBe(someRow);
  });
});

describe('RowScanner: every problem of a row, in words a clerk can act on', () => {
  const HEADER = ['姓名', '公民身份号码', '性别', '户口性质', '常住地址', '手机号码', '人员类别', '采集日期', '企业养老', '企业养老参保地'];
  const setup = (code = '320411002001'): ScanSetup => ({ unit: { name: '三井社区', level: 'community', code }, communities: [{ code, name: '三井社区' }], today: '2016-06-01' });
  const scan = (rows: string[][], code?: string) => {
    const s = new RowScanner(setup(code));
    const out: ScannedRow[] = [];
    rows.forEach((cells, i) => s.push(cells, i + 1, out));
    s.finish(out);
    return { s, out };
  };
  const person = (name: string, id: string, sex = '', more: Partial<Record<number, string>> = {}) => {
    const r = [name, id, sex, '21', '地址1号', '13912345678', '24', '2016-05-03', '1', '常州'];
    for (const [k, v] of Object.entries(more)) r[Number(k)] = v!;
    return r;
  };

  it('a repeated ID number does not hide a wrong sex on the same row: both are reported, the row counted once', () => {
    const id = fakeIdNumber('320411', '19800101', 1); // odd 17th digit: male
    const { s, out } = scan([HEADER, person('王一', id), person('王二', id, '女')]);
    expect(out).toHaveLength(1);
    expect(s.rejectedRows).toBe(1);
    expect(s.rejects.filter((r) => r.row === 3).map((r) => [r.field, r.column])).toEqual([
      ['idNumber', '公民身份号码'],
      ['sex', '性别'],
    ]);
    expect(s.rejects[0]!.message).toBe('公民身份号码与第 2 行重复');
  });

  it('a 15-digit number that collides once converted to 18 digits says so', () => {
    const id18 = convert15To18('320411800101123');
    const { s } = scan([HEADER, person('李一', id18), person('李一', '320411800101123')]);
    expect(s.rejects).toEqual([{ row: 3, column: '公民身份号码', field: 'idNumber', message: `公民身份号码 320411800101123 为 15 位旧号码，换算为 18 位 ${id18} 后与第 2 行重复` }]);
  });

  it('the rules of the uninsured name their column, also when the file has none', () => {
    const uninsured = person('赵一', fakeIdNumber('320411', '19800101', 3), '', { 8: '0', 9: '' }); // 企业养老: 未参保, the others blank
    const { s } = scan([HEADER, uninsured]);
    const byField = new Map(s.rejects.map((r) => [r.field, r]));
    expect(byField.get('uninsuredReason')).toMatchObject({ column: '未参保原因', message: expect.stringContaining('文件中没有“未参保原因”列') });
    expect(byField.get('willingness')).toMatchObject({ column: '参保意愿', message: expect.stringContaining('文件中没有“参保意愿”列') });
    // With the columns there, the reject names the file's own header.
    const { s: s2 } = scan([[...HEADER, '未参保原因（代码）', '参保意愿'], [...uninsured, '', '']]);
    expect(s2.rejects.find((r) => r.field === 'uninsuredReason')).toMatchObject({ column: '未参保原因（代码）' });
    expect(s2.rejects.find((r) => r.field === 'uninsuredReason')!.message).not.toContain('文件中没有');
  });

  it("the hint for an ID number a spreadsheet turned into a number shows the importing unit's own code", () => {
    const { s } = scan([HEADER, person('钱一', '3.20402E+17')], '320402001001');
    expect(s.rejects[0]).toMatchObject({ field: 'idNumber', message: expect.stringContaining('类似 3.20402E+17 的形式') });
  });
});
