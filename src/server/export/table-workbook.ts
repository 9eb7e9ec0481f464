// A plain table as an .xlsx download (users, org units, work statistics): a bold, frozen header row
// with filters, every text cell neutralised against formula injection (cells.ts).
import ExcelJS from 'exceljs';
import { neutraliseCell } from './cells.js';

export type TableColumn = { header: string; width?: number };
export type TableCell = string | number | null | undefined;
export type TableSheet = { name: string; columns: TableColumn[]; rows: TableCell[][] };

export async function tableWorkbook(title: string, sheets: TableSheet[]): Promise<{ buffer: Buffer; title: string }> {
  const wb = new ExcelJS.Workbook();
  for (const s of sheets) {
    const ws = wb.addWorksheet(s.name, { views: [{ state: 'frozen', ySplit: 1 }] });
    ws.columns = s.columns.map((c) => ({ header: c.header, width: c.width ?? 14 }));
    ws.getRow(1).font = { bold: true };
    for (const row of s.rows) ws.addRow(row.map((v) => (typeof v === 'string' ? neutraliseCell(v) : (v ?? null))));
    if (s.columns.length) ws.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: s.columns.length } };
  }
  return { buffer: Buffer.from(await wb.xlsx.writeBuffer()), title };
}
