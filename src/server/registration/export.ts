// The person detail table (人员明细数据表) with the list's filters, streamed as .xlsx or .csv so a
// whole district's table works in constant memory. Codes are written as their labels; ID numbers
// and phones are masked (and the birth date reduced to its year) unless the role needs them; cells are neutralised against formula
// injection; every export is logged.
import { PassThrough, type Readable } from 'node:stream';
import ExcelJS from 'exceljs';
import type { AnyDb } from '../db/dialect.js';
import { REGISTRATION_FIELDS } from '../../shared/registration.js';
import { CODE_TABLES, labelOf } from '../../shared/codes/index.js';
import { maskRegistrationErrors, maskRegistrationRecord, registrationSecrets } from '../../domain/masking.js';
import { neutraliseCell } from '../export/cells.js';
import { fromColumns, HOUSEHOLD_KEYS } from './columns.js';
import { applyFilter, liveRegistrations, type RegistrationFilter } from './store.js';
import type { RegistrationRow } from '../db/schema.js';


const FIELDS = REGISTRATION_FIELDS.filter((f) => !HOUSEHOLD_KEYS.has(f.key));
const HEADER = ['序号', '社区/村', ...FIELDS.map((f) => f.label), '数据状态', '问题', '录入时间'];
/** Rows read and written per page (exported for the progress tests). */
export const EXPORT_PAGE_ROWS = 2000;
const PAGE = EXPORT_PAGE_ROWS;

function cellsOf(row: RegistrationRow & { org_unit_name: string }, n: number, mask: boolean): string[] {
  const out: string[] = [String(n), row.org_unit_name];
  const values = fromColumns(row);
  // Masked: the same reduction as every masked response (ID 6 + 4, phone 3 + 4, birth date year only).
  const shown = mask ? maskRegistrationRecord(values) : values;
  for (const f of FIELDS) {
    let v = shown[f.key] ?? '';
    if (v && f.codeTable) v = labelOf(CODE_TABLES[f.codeTable], v) ?? v;
    out.push(v);
  }
  const status = Number(row.is_valid) !== 1 ? '无效' : Number(row.is_counted) === 1 ? '有效' : '重复（他处计入）';
  const errors = row.errors_json ? (JSON.parse(row.errors_json) as Array<{ message: string }>) : [];
  const problems = (mask ? maskRegistrationErrors(errors, registrationSecrets(values)) : errors).map((e) => e.message).join('；');
  out.push(status, problems, row.entered_at);
  return out.map(neutraliseCell);
}

type StreamState = { _writableState?: { length: number }; _readableState?: { length: number } };

/**
 * Waits, between pages, until what the workbook wrote has gone on: exceljs's streaming writer pipes
 * each sheet into the zip without back-pressure, and the pages arrive as resolved promises, so
 * without this the rows pile up in memory ahead of the compressor (2.9 GB for a 1 M-row table); with
 * it a table is written in constant memory. Waits on short timers so the compressor's callbacks run.
 */
async function drain(out: NodeJS.WritableStream, ws: unknown): Promise<void> {
  const pipes = ((ws as { stream?: { pipes?: StreamState[] } }).stream?.pipes ?? []) as StreamState[];
  const backlog = () => pipes.reduce((a, p) => a + (p._writableState?.length ?? 0) + (p._readableState?.length ?? 0), 0);
  await new Promise((resolve) => setImmediate(resolve));
  for (let i = 0; i < 10_000 && backlog() > 1 << 20; i++) await new Promise((resolve) => setTimeout(resolve, 2));
  const w = out as NodeJS.WritableStream & { writableNeedDrain?: boolean };
  if (w.writableNeedDrain) await new Promise((resolve) => w.once('drain', resolve));
}

let pageFault: ((page: number) => void) | null = null;

/** Tests only: `fault(page)` runs before each page is read (0, 1, …); throwing fails the export there. */
export function setExportFaultForTests(fault: ((page: number) => void) | null): void {
  pageFault = fault;
}

async function* pages(db: AnyDb, f: RegistrationFilter) {
  let after = 0;
  for (let page = 0; ; page++) {
    pageFault?.(page);
    const q = applyFilter(liveRegistrations(db, f.unitPath), f).where('registration.id', '>', after);
    const rows = await q.orderBy('registration.id').limit(PAGE).execute();
    if (!rows.length) return;
    yield rows;
    after = Number(rows[rows.length - 1]!.id);
  }
}

function csvLine(cells: string[]): string {
  return cells.map((c) => (/[",\r\n]/.test(c) ? `"${c.replace(/"/g, '""')}"` : c)).join(',') + '\r\n';
}

/**
 * A detail table as an .xlsx file of one or more sheets (e.g. one per street), streamed to `out` in
 * constant memory; `onRows` is told how many rows are written so far. Returns the row count.
 */
export async function writeDetailXlsx(db: AnyDb, sheets: Array<{ name: string; filter: RegistrationFilter }>, out: NodeJS.WritableStream, opts: { mask: boolean; onRows?: (rows: number) => void }): Promise<number> {
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out as never, useSharedStrings: false, useStyles: true });
  let n = 0;
  const used = new Set<string>();
  for (const sheet of sheets) {
    // Sheet names: at most 31 characters, none of []:*?/\, unique.
    let name = sheet.name.replace(/[[\]:*?/\\]/g, ' ').slice(0, 31) || 'Sheet';
    for (let k = 2; used.has(name); k++) name = `${name.slice(0, 27)}(${k})`;
    used.add(name);
    const ws = wb.addWorksheet(name, { pageSetup: { paperSize: 9, orientation: 'landscape', fitToPage: true, fitToWidth: 1, fitToHeight: 0 } });
    ws.columns = HEADER.map((h) => ({ header: h, width: Math.min(30, Math.max(8, h.length * 2 + 2)) }));
    ws.getRow(1).font = { bold: true };
    ws.getRow(1).commit();
    let inSheet = 0;
    for await (const rows of pages(db, sheet.filter)) {
      for (const r of rows) ws.addRow(cellsOf(r, ++inSheet, opts.mask)).commit();
      n += rows.length;
      opts.onRows?.(n);
      await drain(out, ws);
    }
    ws.commit();
  }
  await wb.commit();
  return n;
}

/** The last line of a CSV export that failed part-way: whoever opens the file sees it is incomplete. */
export const CSV_FAILURE_LINE = '导出失败：服务器在导出过程中出错，本文件不完整，请重新导出';

/** Resolves once everything written to `out` has been read by its consumer (piped on to the response). */
async function flushed(out: PassThrough): Promise<void> {
  for (let i = 0; i < 500 && out.readableLength > 0 && !out.destroyed; i++) await new Promise((resolve) => setTimeout(resolve, 2));
  await new Promise((resolve) => setImmediate(resolve));
}

/**
 * Starts the export; the returned stream ends when the table is written. `onDone` gets the row
 * count and runs before the end. When the export fails part-way, the download must not look
 * complete: a CSV gets CSV_FAILURE_LINE as its last line, then the stream is destroyed with the error
 * (the HTTP response is cut without its terminating chunk, so the browser marks the download as
 * failed; an .xlsx is then also an unreadable zip); `onFail` (log, audit) runs before that.
 * `onRows` is told the rows written after each page (the export's progress).
 */
export function exportDetailTable(
  db: AnyDb,
  f: RegistrationFilter,
  opts: { format: 'xlsx' | 'csv'; mask: boolean; sheetName: string; onDone: (rows: number) => Promise<void>; onFail: (err: Error, rowsWritten: number) => Promise<void>; onRows?: (rowsWritten: number) => void },
): Readable {
  const out = new PassThrough();
  let n = 0;
  let written = 0;
  const run = async () => {
    if (opts.format === 'csv') {
      out.write('\ufeff' + csvLine(HEADER)); // BOM: Excel opens UTF-8 CSV correctly with it
      for await (const rows of pages(db, f)) {
        let chunk = '';
        for (const r of rows) chunk += csvLine(cellsOf(r, ++n, opts.mask));
        if (!out.write(chunk)) await new Promise((res) => (out.once('drain', res), out.once('close', res)));
        if (out.destroyed) throw new Error('the download was cancelled (the client closed the connection)');
        written = n;
        opts.onRows?.(n);
      }
      await opts.onDone(n); // logged before the download completes
      out.end();
    } else {
      const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useSharedStrings: false, useStyles: true });
      const ws = wb.addWorksheet(opts.sheetName.slice(0, 31));
      ws.columns = HEADER.map((h) => ({ header: h, width: Math.min(30, Math.max(8, h.length * 2 + 2)) }));
      ws.getRow(1).font = { bold: true };
      ws.getRow(1).commit();
      for await (const rows of pages(db, f)) {
        for (const r of rows) ws.addRow(cellsOf(r, ++n, opts.mask)).commit();
        written = n;
        await drain(out, ws);
        opts.onRows?.(n);
      }
      await opts.onDone(n); // logged before the download completes
      ws.commit();
      await wb.commit();
    }
  };
  run().catch(async (e: unknown) => {
    const err = e instanceof Error ? e : new Error(String(e));
    try {
      await opts.onFail(err, written);
    } catch {
      // the failure itself is what the client must see; a failing audit write must not hide it
    }
    if (opts.format === 'csv' && !out.destroyed) {
      out.write(csvLine([CSV_FAILURE_LINE]));
      await flushed(out);
    }
    out.destroy(err);
  });
  return out;
}
