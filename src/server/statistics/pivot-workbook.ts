// A pivot table as .xlsx: the title, a two-row header (单位 | the dimension's values | 合计, the
// dimension's name merged over its values), a row per unit, the totals and each column's share;
// A4 landscape, fitted to the page width.
import ExcelJS from 'exceljs';
import type { Pivot } from '../../shared/api-statistics.js';
import { STAT_MEASURE_LABELS } from '../../shared/api-statistics.js';

const border = { top: { style: 'thin' }, left: { style: 'thin' }, bottom: { style: 'thin' }, right: { style: 'thin' } } as const;

export async function pivotWorkbook(p: Pivot, asOfText: string): Promise<{ buffer: Buffer; title: string }> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('汇总表', { pageSetup: { paperSize: 9, orientation: 'landscape', fitToPage: true, fitToWidth: 1, fitToHeight: 0 } });
  const width = p.columns.length + 2;
  const title = `${p.unit.orgUnitName}${STAT_MEASURE_LABELS[p.measure]}按${p.dimLabel}统计表`;
  ws.mergeCells(1, 1, 1, width);
  ws.getCell(1, 1).value = title;
  ws.getCell(1, 1).font = { bold: true, size: 14 };
  ws.getCell(1, 1).alignment = { horizontal: 'center' };
  ws.mergeCells(2, 1, 2, width);
  ws.getCell(2, 1).value = asOfText;
  ws.getCell(2, 1).alignment = { horizontal: 'right' };
  // header rows 3–4
  ws.mergeCells(3, 1, 4, 1);
  ws.getCell(3, 1).value = '单位';
  if (p.columns.length) {
    ws.mergeCells(3, 2, 3, p.columns.length + 1);
    ws.getCell(3, 2).value = p.dimLabel;
  }
  ws.mergeCells(3, width, 4, width);
  ws.getCell(3, width).value = '合计';
  p.columns.forEach((c, i) => (ws.getCell(4, i + 2).value = c.label));
  for (const r of p.rows) ws.addRow([r.orgUnitName, ...r.cells, r.total]);
  ws.addRow(['合计', ...p.totals, p.total]).font = { bold: true };
  ws.addRow(['占比', ...p.totals.map((t) => (p.total ? t / p.total : 0)), p.total ? 1 : 0]);
  const shareRow = ws.rowCount;
  for (let c = 2; c <= width; c++) ws.getCell(shareRow, c).numFmt = '0.0%';
  for (let r = 3; r <= ws.rowCount; r++)
    for (let c = 1; c <= width; c++) {
      const cell = ws.getCell(r, c);
      cell.border = border;
      if (r <= 4) {
        cell.font = { bold: true };
        cell.alignment = { horizontal: 'center', vertical: 'middle', wrapText: true };
      }
    }
  ws.getColumn(1).width = 18;
  for (let c = 2; c <= width; c++) ws.getColumn(c).width = 12;
  return { buffer: Buffer.from(await wb.xlsx.writeBuffer()), title };
}
