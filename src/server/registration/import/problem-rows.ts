// The error workbook (issue 12, "beyond the anchors"): a file's problem rows given back as the user
// wrote them — the rows above the data (title, one- or two-row header) and every rejected row with
// all of its cells in their columns — each bad cell highlighted with a note, and a 问题 column, so
// that a clerk fixes the marked cells and imports the same workbook again. Also for CSV uploads.
//
// The rows are kept with the batch (import_problem_row) when the import ends — as the scan read
// them, or read once more from the upload before it is deleted for rows found to conflict while
// writing; the workbook is built when it is downloaded. They hold full ID
// numbers like the upload itself: only roles with the full view get them (routes.ts).
import ExcelJS from 'exceljs';
import type { AppCtx } from '../../context.js';
import type { ImportReject } from '../../../shared/api-registration.js';
import { findHeader, mapHeader } from '../../../domain/import-headers.js';
import { neutraliseCell } from '../../export/cells.js';
import { readRowBatches, type ReadLimits } from './reader.js';
import type { ProblemRows } from './scan.js';

/** The rows above the data are looked for in the first rows, as the import does (findHeader). */
const HEAD_ROWS = 10;
const INSERT_CHUNK = 200;

/**
 * Keeps, for the batch, the rows above the data and the rows that have a reject (the first 20,000
 * reasons' rows). `given` are the rows the scan kept as it read them; rows rejected later (a
 * conflict with a registered person, found while writing) are read from the file once more —
 * only then. Returns the number of problem rows kept.
 */
export async function keepProblemRows(ctx: AppCtx, batchId: number, path: string, rejects: readonly ImportReject[], opts: { limits?: ReadLimits; sheet?: string; given?: ProblemRows } = {}): Promise<number> {
  if (!rejects.length) return 0;
  const wanted = new Set(rejects.map((r) => r.row));
  const given = opts.given ?? { header: [], rows: [] };
  const rows = new Map(given.rows.filter((r) => wanted.has(r.row)).map((r) => [r.row, r.json]));
  let header = given.header;
  if ([...wanted].some((n) => !rows.has(n)) || !header.length) {
    const head: string[][] = [];
    let rowNo = 0;
    for await (const batch of readRowBatches(path, opts.limits, opts.sheet ? { sheet: opts.sheet } : {})) {
      for (const cells of batch) {
        rowNo++;
        if (rowNo <= HEAD_ROWS) head.push(cells);
        if (wanted.has(rowNo) && !rows.has(rowNo)) rows.set(rowNo, JSON.stringify(cells));
      }
    }
    const found = findHeader(head);
    header = head.slice(0, found ? found.start + found.depth : 0);
  }
  const headerEnd = header.length;
  const all = [
    ...header.map((cells, i) => ({ row_no: i + 1, json: JSON.stringify(cells), is_header: 1 })),
    ...[...rows].filter(([n]) => n > headerEnd).sort((a, b) => a[0] - b[0]).map(([row_no, json]) => ({ row_no, json, is_header: 0 })),
  ];
  await ctx.db.transaction().execute(async (trx) => {
    await trx.deleteFrom('import_problem_row').where('batch_id', '=', batchId).execute();
    for (let i = 0; i < all.length; i += INSERT_CHUNK) {
      await trx
        .insertInto('import_problem_row')
        .values(all.slice(i, i + INSERT_CHUNK).map((r) => ({ batch_id: batchId, row_no: r.row_no, is_header: r.is_header, cells_json: r.json })))
        .execute();
    }
  });
  return all.length - headerEnd;
}

const BAD_FILL: ExcelJS.Fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFFFC7CE' } };
const BAD_FONT: Partial<ExcelJS.Font> = { color: { argb: 'FF9C0006' } };
const HEADER_FILL: ExcelJS.Fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFF2F2F2' } };

/**
 * The error workbook of a batch: sheet 1 the user's rows (header rows first, then each problem row
 * in file order) with the bad cells marked and noted and a 问题 and 原行号 column after the user's
 * last column; sheet 2 the list of problems. null when nothing was kept.
 */
export async function problemWorkbook(ctx: AppCtx, batchId: number, rejects: readonly ImportReject[]): Promise<Buffer | null> {
  const stored = await ctx.db.selectFrom('import_problem_row').selectAll().where('batch_id', '=', batchId).orderBy('row_no').execute();
  if (!stored.length) return null;
  const headerRows = stored.filter((r) => Number(r.is_header) === 1).map((r) => JSON.parse(r.cells_json) as string[]);
  const rows = stored.filter((r) => Number(r.is_header) !== 1).map((r) => ({ rowNo: Number(r.row_no), cells: JSON.parse(r.cells_json) as string[] }));
  const found = findHeader(headerRows);
  const names = found?.names ?? [];
  const mapping = mapHeader(names);
  const byRow = new Map<number, ImportReject[]>();
  for (const r of rejects) {
    const list = byRow.get(r.row);
    if (list) list.push(r);
    else byRow.set(r.row, [r]);
  }
  /** The column (0-based) of a problem: by its field, else by the header text it names. */
  const columnOf = (r: ImportReject): number => {
    const byField = r.field ? mapping.columns.find((c) => c.field === r.field) : undefined;
    if (byField) return byField.index;
    return r.column ? names.findIndex((n) => n === r.column || n.endsWith(`/${r.column}`)) : -1;
  };
  const width = Math.max(names.length, ...headerRows.map((h) => h.length), ...rows.map((r) => r.cells.length));
  const problemCol = width + 1; // 1-based
  const rowNoCol = width + 2;

  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('问题行（修改后重新导入）', { views: [{ state: 'frozen', ySplit: headerRows.length }] });
  headerRows.forEach((cells, i) => {
    const row = ws.getRow(i + 1);
    cells.forEach((v, c) => (row.getCell(c + 1).value = neutraliseCell(v)));
    if (i === headerRows.length - 1) {
      row.getCell(problemCol).value = '问题';
      row.getCell(rowNoCol).value = '原行号';
    }
    for (let c = 1; c <= rowNoCol; c++) {
      row.getCell(c).font = { bold: true };
      row.getCell(c).fill = HEADER_FILL;
    }
  });
  // A merged group in the user's header stays merged (the import reads a group over the blank
  // cells to its right either way).
  for (let i = 0; i < rows.length; i++) {
    // 20,000 rows take about two seconds: other requests get their turn every 500 rows.
    if (i % 500 === 499) await new Promise((resolve) => setImmediate(resolve));
    const r = rows[i]!;
    const row = ws.getRow(headerRows.length + i + 1);
    for (let c = 0; c < r.cells.length; c++) {
      const cell = row.getCell(c + 1);
      cell.value = neutraliseCell(r.cells[c] ?? '');
      cell.numFmt = '@'; // text: an ID number stays 18 digits, a leading zero stays
    }
    const problems = byRow.get(r.rowNo) ?? [];
    const notes = new Map<number, string[]>();
    for (const p of problems) {
      const c = columnOf(p);
      if (c < 0) continue;
      const list = notes.get(c);
      if (list) list.push(p.message);
      else notes.set(c, [p.message]);
    }
    for (const [c, messages] of notes) {
      const cell = row.getCell(c + 1);
      if (cell.value === null || cell.value === undefined) cell.value = '';
      cell.fill = BAD_FILL;
      cell.font = BAD_FONT;
      cell.note = messages.join('\n');
    }
    row.getCell(problemCol).value = neutraliseCell(problems.map((p) => (p.column ? `【${p.column}】${p.message}` : p.message)).join('；'));
    row.getCell(problemCol).font = BAD_FONT;
    row.getCell(rowNoCol).value = r.rowNo;
  }
  for (let c = 1; c <= width; c++) ws.getColumn(c).width = 14;
  ws.getColumn(problemCol).width = 60;
  ws.getColumn(rowNoCol).width = 8;

  const list = wb.addWorksheet('问题清单');
  list.columns = [
    { header: '行号', key: 'row', width: 8 },
    { header: '列', key: 'column', width: 24 },
    { header: '问题', key: 'message', width: 80 },
  ];
  list.getRow(1).font = { bold: true };
  for (const x of rejects) list.addRow({ row: x.row, column: neutraliseCell(x.column ?? ''), message: neutraliseCell(x.message) });
  return Buffer.from(await wb.xlsx.writeBuffer());
}
