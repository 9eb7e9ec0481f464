// The calculation sheet (考核费用核算表) as .xlsx: every number that led to the amount, with where it
// came from, the total in 人民币大写, the signatures, the document number and its QR code.
import ExcelJS from 'exceljs';
import type { FeeSheet } from '../../shared/api-fees.js';
import { FEE_SHEET_STATUS_LABELS } from '../../shared/api-fees.js';
import { formatFen } from '../../domain/fees.js';
import { formatScore } from '../../domain/score.js';
import { qrPng } from '../documents/service.js';
import { neutraliseCell } from '../export/cells.js';

const border = { top: { style: 'thin' }, left: { style: 'thin' }, bottom: { style: 'thin' }, right: { style: 'thin' } } as const;
const LEVEL: Record<string, string> = { district: '区', street: '街道/镇', community: '社区/村' };

export async function feeSheetWorkbook(s: FeeSheet, verifyUrl: string): Promise<{ buffer: Buffer; title: string }> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('考核费用核算表', { pageSetup: { paperSize: 9, orientation: 'portrait', fitToPage: true, fitToWidth: 1, fitToHeight: 0, margins: { left: 0.6, right: 0.6, top: 0.7, bottom: 0.7, header: 0.3, footer: 0.3 } } });
  ws.columns = [{ width: 26 }, { width: 40 }, { width: 22 }];
  const title = ws.addRow(['常州市市本级全民参保登记工作考核费用核算表']);
  ws.mergeCells(title.number, 1, title.number, 3);
  title.font = { bold: true, size: 15 };
  title.alignment = { horizontal: 'center' };
  ws.addRow([`考核批次：${s.campaignName}`, `单位名称（章）：${s.districtName}`, `文书编号：${s.docNumber}`]);
  ws.addRow([]);
  const head = ws.addRow(['项目', '金额 / 数值', '依据']);
  head.font = { bold: true };
  const lines: Array<[string, string, string]> = [
    [`实际录入人数（有效数据）`, `${s.validCount} 人`, `截至 ${s.cutoff} 冻结的有效数据`],
    ['考核总分', `${formatScore(s.assessedTotal)} 分`, '考核评估确定的最终考核分'],
    ['档次', `${s.tierLabel}`, '考核办法 四（二）'],
    ['入户调查基准费用', `${formatFen(s.baseRateFen)} 元/人`, '考核办法 四（一）'],
    ['计发基数', `${formatFen(s.feeBaseFen)} 元`, `${s.validCount} 人 × ${formatFen(s.baseRateFen)} 元`],
    ['发放比例', `${s.tierPercent}%`, s.tierLabel],
    ['考核费用', `${formatFen(s.feeFen)} 元`, `计发基数 × ${s.tierPercent}%（四舍五入到分）`],
    ...s.siteFunds.map((f): [string, string, string] => [`示范点工作经费：${f.orgUnitName}`, `${formatFen(f.amountFen)} 元`, neutraliseCell(f.reason)]),
    ['示范点工作经费小计', `${formatFen(s.siteFundsFen)} 元`, '单列，不计入计发基数'],
    ['合计', `${formatFen(s.totalFen)} 元`, '考核费用 + 示范点工作经费'],
    ['合计（人民币大写）', s.totalCapital, ''],
  ];
  for (const l of lines) ws.addRow(l);
  for (let r = head.number; r <= ws.rowCount; r++) ws.getRow(r).eachCell({ includeEmpty: true }, (c) => ((c.border = border), (c.alignment = { vertical: 'middle', wrapText: true })));
  ws.getRow(ws.rowCount - 1).font = { bold: true };
  ws.getRow(ws.rowCount).font = { bold: true };
  ws.addRow([]);
  const sub = ws.addRow(['有效数据构成（截至数据截止日）', '', '']);
  sub.font = { bold: true };
  const h2 = ws.addRow(['单位', '录入 / 无效 / 重复（他区计） / 有效', '层级']);
  h2.font = { bold: true };
  // The district and the streets the count is made of (a street with no record adds nothing).
  for (const u of s.units.filter((u) => u.level !== 'community' && (u.level !== 'street' || u.entered > 0))) ws.addRow([u.orgUnitName, `${u.entered} / ${u.invalid} / ${u.duplicates} / ${u.validCount}`, LEVEL[u.level] ?? u.level]);
  for (let r = h2.number; r <= ws.rowCount; r++) ws.getRow(r).eachCell({ includeEmpty: true }, (c) => (c.border = border));
  ws.addRow([]);
  // Lines for the handwritten signatures, the names of who did it in the system under them.
  const signed = ws.addRow(['核算人（签字）：', '复核人（签字）：', '审批人（签字）：']);
  signed.height = 30;
  signed.alignment = { vertical: 'top' };
  ws.addRow([`${s.computedBy}  ${s.computedAt.slice(0, 10)}`, `${s.checkedBy ?? ''}  ${s.checkedAt?.slice(0, 10) ?? ''}`, `${s.approvedBy ?? ''}  ${s.approvedAt?.slice(0, 10) ?? ''}`]).font = { size: 9 };
  ws.addRow([`状态：${FEE_SHEET_STATUS_LABELS[s.status]}`]);
  const qrRow = ws.addRow([`扫码核验：${verifyUrl}`]);
  const image = wb.addImage({ buffer: (await qrPng(verifyUrl)) as unknown as ExcelJS.Buffer, extension: 'png' });
  ws.addImage(image, { tl: { col: 2, row: qrRow.number - 1 }, ext: { width: 110, height: 110 } });
  return { buffer: Buffer.from(await wb.xlsx.writeBuffer()), title: `考核费用核算表-${s.districtName}-${s.campaignName}` };
}
