// The import's CSV reader against csv-parse (the reference implementation) on tricky input cut
// into chunks at every possible place: quotes, "" inside quotes, separators and line breaks
// inside quotes, CRLF, empty fields, blank lines, a last line without a line break.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { parse } from 'csv-parse/sync';
import { CsvParser } from './csv.js';

function parseInChunks(text: string, cuts: number[]): string[][] {
  const p = new CsvParser();
  const rows: string[][] = [];
  let last = 0;
  for (const c of [...cuts].sort((a, b) => a - b)) {
    rows.push(...p.push(text.slice(last, c)));
    last = c;
  }
  rows.push(...p.push(text.slice(last), true));
  return rows;
}

const reference = (text: string): string[][] => parse(text, { relax_column_count: true, skip_empty_lines: false, record_delimiter: ['\r\n', '\n'] }) as string[][];
/** csv-parse gives a blank line as [''], this reader as []: the import skips both. */
const nonBlank = (rows: string[][]) => rows.filter((r) => !(r.length === 0 || (r.length === 1 && r[0] === '')));

describe('CsvParser', () => {
  const sample = '姓名,公民身份号码,备注\r\n张三,320411198001010014,"说明，含逗号"\r\n"李""四",320411198001010022,"第一行\n第二行"\n\n王五,,\n赵六,320411198001010030,末行无换行';

  it('reads quoted fields, "" inside quotes, line breaks inside quotes, CRLF and blank lines like csv-parse', () => {
    expect(nonBlank(parseInChunks(sample, []))).toEqual(nonBlank(reference(sample)));
    expect(parseInChunks(sample, [])[2]).toEqual(['李"四', '320411198001010022', '第一行\n第二行']);
  });

  it('gives the same rows however the text is cut into chunks', () => {
    const whole = parseInChunks(sample, []);
    for (let i = 0; i <= sample.length; i++) expect(parseInChunks(sample, [i])).toEqual(whole);
    fc.assert(fc.property(fc.array(fc.integer({ min: 0, max: sample.length }), { maxLength: 6 }), (cuts) => {
      expect(parseInChunks(sample, cuts)).toEqual(whole);
    }));
  });

  it('agrees with csv-parse on generated files', () => {
    const cell = fc.oneof(fc.constantFrom('', 'a', '张三', '1,2', 'x"y', 'line\nbreak', ' sp ', '\r\n'), fc.string({ maxLength: 4 }));
    const quoteIfNeeded = (v: string) => (/[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);
    fc.assert(
      fc.property(fc.array(fc.array(cell, { minLength: 1, maxLength: 4 }), { minLength: 1, maxLength: 5 }), fc.array(fc.nat(200), { maxLength: 3 }), (rows, cuts) => {
        const text = rows.map((r) => r.map(quoteIfNeeded).join(',')).join('\r\n') + '\r\n';
        const ours = parseInChunks(text, cuts.map((c) => c % (text.length + 1)));
        expect(nonBlank(ours)).toEqual(nonBlank(reference(text)));
      }),
      { numRuns: 300 },
    );
  });
});
