// Defect 1 of issue 12, proven: exceljs 4.4's streaming reader split multi-byte UTF-8 across chunks
// and stored U+FFFD in addresses and notes. canbao's own reader (xlsx.ts: zip guard + saxes, the
// text decoded with a streaming TextDecoder) is checked on a 100,000-row workbook of long Chinese
// text — 3-byte CJK, 4-byte characters (CJK Ext-B, emoji), cells of 1 to 400 characters so that
// characters fall on every chunk boundary — written by exceljs (shared strings, and inline strings)
// and read back: every cell equal to what was written, no U+FFFD anywhere.
// No database is used: the file is named .sqlite.test.ts so that it runs once, not per engine.
import { describe, expect, it } from 'vitest';
import ExcelJS from 'exceljs';
import { tempPath } from '../../testing/import-files.js';
import { readRowBatches } from './reader.js';

const POOL = Array.from('常州市新北区三井街道河海东路汇金花园小区北门进第二幢东单元租住房东王阿姨联系电话预约周末在家户籍外省农村已参加城乡居民基本养老保险医疗保险务工单位未缴纳职工社会保险𠀀𪚥𠮷😀👨‍👩‍👧（），。；：“”《》、abcXYZ0123456789 ');
const ROWS = 100_000;

/** A deterministic cell text of `len` characters (code points) from the pool. */
function text(seed: number, len: number): string {
  let s = '';
  let x = seed * 2654435761 >>> 0;
  for (let i = 0; i < len; i++) {
    x = (x * 1103515245 + 12345) >>> 0;
    s += POOL[x % POOL.length];
  }
  return s;
}
const cellsOf = (i: number): string[] => [`${i}`, text(i, 2 + (i % 5)), `3204111980${String(i).padStart(8, '0')}`, text(i + 7, 1 + ((i * 31) % 400)), text(i + 13, 20 + ((i * 17) % 120)), `尾${text(i + 29, 1 + (i % 3))}`];

async function write(file: string, useSharedStrings: boolean): Promise<void> {
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: file, useSharedStrings });
  const ws = wb.addWorksheet('登记表');
  ws.addRow(['序号', '姓名', '公民身份号码', '常住地址', '备注', '其他']).commit();
  for (let i = 1; i <= ROWS; i++) ws.addRow(cellsOf(i)).commit();
  ws.commit();
  await wb.commit();
}

describe('the .xlsx reader keeps every character of long Chinese text', () => {
  for (const shared of [true, false]) {
    it(`100,000 rows, ${shared ? 'shared strings' : 'inline strings'}: every cell read back as written`, async () => {
      const file = tempPath(`long-${shared}.xlsx`);
      await write(file, shared);
      let row = 0;
      let mismatches = 0;
      let replacement = 0;
      const examples: string[] = [];
      for await (const batch of readRowBatches(file)) {
        for (const cells of batch) {
          row++;
          if (row === 1) continue;
          const want = cellsOf(row - 1);
          for (let c = 0; c < want.length; c++) {
            const got = cells[c] ?? '';
            if (got.includes('\ufffd')) replacement++;
            if (got !== want[c]) {
              mismatches++;
              if (examples.length < 3) examples.push(`row ${row} col ${c + 1}: ${JSON.stringify(got.slice(0, 40))} ≠ ${JSON.stringify(want[c]!.slice(0, 40))}`);
            }
          }
        }
      }
      expect(row).toBe(ROWS + 1);
      expect(examples).toEqual([]);
      expect({ mismatches, replacement }).toEqual({ mismatches: 0, replacement: 0 });
    }, 240_000);
  }
});
