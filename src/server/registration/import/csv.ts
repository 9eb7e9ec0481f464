// A CSV reader for large imports (RFC 4180: "," separated, fields optionally in double quotes,
// "" for a quote inside quotes, line breaks inside quotes, CRLF or LF). Rows come in batches: one
// await per batch instead of one per row. A line without any quote takes the fast path (split);
// a quoted field is read character by character and may continue over following chunks.
// Deliberately lenient like Excel: a quote in the middle of an unquoted field is kept as text.
import fs from 'node:fs';
import iconv from 'iconv-lite';
import { invalidInput } from '../../errors.js';

const BATCH = 2000;

/**
 * `maxRowChars`: a row still open after this many characters is refused (a file of one endless
 * line would otherwise be held whole). Checked once per chunk, never per row. `onBytes` is told,
 * before each batch, about how many bytes of the file its rows came from (a chunk's bytes shared
 * among its rows) and the file's size: the page's estimate of the rows in all (issue 14).
 */
export async function* csvRowBatches(path: string, encoding: 'utf8' | 'gb18030', maxRowChars = Infinity, onBytes?: (read: number, size: number) => void): AsyncGenerator<string[][]> {
  const size = onBytes ? (await fs.promises.stat(path)).size : 0;
  let before = 0; // bytes of the chunks whose rows have all been handed on
  const source = fs.createReadStream(path, { highWaterMark: 1 << 20 });
  const decoder = encoding === 'utf8' ? new TextDecoder('utf-8') : null;
  const gbk = encoding === 'gb18030' ? iconv.getDecoder('gb18030') : null;
  const parser = new CsvParser();
  let first = true;
  let open = 0; // characters read since the last complete row
  for await (const chunk of source as AsyncIterable<Buffer>) {
    let text = decoder ? decoder.decode(chunk, { stream: true }) : gbk!.write(chunk);
    if (first) {
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1); // BOM
      first = false;
    }
    const rows = parser.push(text);
    open = rows.length ? 0 : open + text.length;
    if (open > maxRowChars) {
      source.destroy();
      throw invalidInput(`文件中有一行超过 ${Math.round(maxRowChars / 10_000)} 万个字符（可能缺少换行或引号不配对），不是有效的登记表，请检查后重新导入`);
    }
    for (let i = 0; i < rows.length; i += BATCH) {
      const end = Math.min(rows.length, i + BATCH);
      onBytes?.(before + Math.round((chunk.length * end) / rows.length), size);
      yield rows.slice(i, end);
    }
    before += chunk.length;
  }
  const tail = parser.push((decoder ? decoder.decode() : (gbk!.end() ?? '')), true);
  onBytes?.(size, size);
  if (tail.length) yield tail;
}

/** Incremental parser: push text, get the rows completed so far. */
export class CsvParser {
  private rest = '';
  // State of a row cut by the end of a chunk inside a quoted field.
  private row: string[] = [];
  private field = '';
  private inQuotes = false;
  private pending = false;

  push(text: string, end = false): string[][] {
    const out: string[][] = [];
    const s = this.rest + text;
    this.rest = '';
    let pos = 0;
    if (this.pending) {
      pos = this.slow(s, 0, out, end);
      if (pos < 0) return out;
    }
    const n = s.length;
    while (pos < n) {
      const nl = s.indexOf('\n', pos);
      if (nl < 0 && !end) break;
      const lineEnd = nl < 0 ? n : nl;
      const line = s.charCodeAt(lineEnd - 1) === 13 ? s.slice(pos, lineEnd - 1) : s.slice(pos, lineEnd);
      if (line.indexOf('"') < 0) {
        out.push(line === '' ? [] : line.split(','));
        pos = lineEnd + 1;
        continue;
      }
      this.row = [];
      this.field = '';
      this.inQuotes = false;
      this.pending = true;
      const next = this.slow(s, pos, out, end);
      if (next < 0) return out;
      pos = next;
    }
    if (pos < n) this.rest = s.slice(pos);
    return out;
  }

  /**
   * Reads one row from `pos` honouring quotes; returns where the next row starts, or -1 when the
   * text ran out inside the row (the state is kept for the next push).
   */
  private slow(s: string, pos: number, out: string[][], end: boolean): number {
    let field = this.field;
    let inQuotes = this.inQuotes;
    const row = this.row;
    let i = pos;
    const n = s.length;
    while (i < n) {
      const c = s.charCodeAt(i);
      if (inQuotes) {
        if (c === 34) {
          if (i + 1 >= n && !end) break; // "" or " + separator: need the next character
          if (s.charCodeAt(i + 1) === 34) {
            field += '"';
            i += 2;
            continue;
          }
          inQuotes = false;
          i++;
          continue;
        }
        const q = s.indexOf('"', i);
        const stop = q < 0 ? n : q;
        field += s.slice(i, stop);
        i = stop;
        continue;
      }
      if (c === 44) {
        row.push(field);
        field = '';
        i++;
      } else if (c === 10 || c === 13) {
        if (c === 13 && i + 1 >= n && !end) break;
        row.push(field);
        this.pending = false;
        this.row = [];
        this.field = '';
        this.inQuotes = false;
        out.push(row);
        return c === 13 && s.charCodeAt(i + 1) === 10 ? i + 2 : i + 1;
      } else if (c === 34 && field === '') {
        inQuotes = true;
        i++;
      } else {
        field += s[i];
        i++;
      }
    }
    if (end) {
      row.push(field);
      out.push(row);
      this.pending = false;
      this.row = [];
      this.field = '';
      return n;
    }
    // Out of text inside the row: keep the state, re-read the unconsumed tail next time.
    this.field = field;
    this.inQuotes = inQuotes;
    this.rest = s.slice(i);
    return -1;
  }
}
