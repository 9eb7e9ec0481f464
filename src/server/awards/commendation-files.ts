// The commendation list (表彰名单) as .xlsx and as .docx (a Word document the office edits into
// its notice): 序号, 单位, 姓名, 工作单位, 职务, grouped as the list is ordered (by unit).
import ExcelJS from 'exceljs';
import { AlignmentType, Document, Packer, Paragraph, Table, TableCell, TableRow, TextRun, WidthType } from 'docx';
import type { CommendationList } from '../../shared/api-awards.js';
import { neutraliseCell } from '../export/cells.js';

const HEAD = ['序号', '单位', '姓名', '工作单位', '职务'];
const title = (l: CommendationList) => `${l.campaignName}全民参保登记工作先进个人表彰名单`;
const row = (i: CommendationList['items'][number]) => [String(i.seq), i.orgUnitName, i.name, i.workUnit, i.position];

export async function commendationWorkbook(l: CommendationList): Promise<{ buffer: Buffer; title: string }> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('表彰名单', { pageSetup: { paperSize: 9, orientation: 'portrait', fitToPage: true, fitToWidth: 1, fitToHeight: 0 } });
  ws.mergeCells('A1:E1');
  ws.getCell('A1').value = title(l);
  ws.getCell('A1').font = { bold: true, size: 14 };
  ws.getCell('A1').alignment = { horizontal: 'center' };
  ws.addRow(HEAD).font = { bold: true };
  for (const i of l.items) ws.addRow([i.seq, ...row(i).slice(1).map(neutraliseCell)]);
  ws.columns.forEach((c, k) => (c.width = [6, 14, 12, 30, 16][k]));
  for (let r = 2; r <= ws.rowCount; r++)
    ws.getRow(r).eachCell((cell) => {
      cell.border = { top: { style: 'thin' }, left: { style: 'thin' }, bottom: { style: 'thin' }, right: { style: 'thin' } };
      cell.alignment = { vertical: 'middle', horizontal: 'center', wrapText: true };
    });
  ws.addRow([]);
  ws.addRow([`共 ${l.items.length} 名${l.publishedAt ? '' : '（名单尚未发布，仅供审核）'}`]);
  return { buffer: Buffer.from(await wb.xlsx.writeBuffer()), title: `表彰名单-${l.campaignName}` };
}

export async function commendationDocx(l: CommendationList): Promise<{ buffer: Buffer; title: string }> {
  const text = (t: string, bold = false, size = 24) => new TextRun({ text: t, bold, size, font: { eastAsia: '宋体', ascii: 'Times New Roman' } });
  const cell = (t: string, bold = false) => new TableCell({ children: [new Paragraph({ alignment: AlignmentType.CENTER, children: [text(t, bold)] })] });
  const table = new Table({
    width: { size: 100, type: WidthType.PERCENTAGE },
    rows: [new TableRow({ tableHeader: true, children: HEAD.map((h) => cell(h, true)) }), ...l.items.map((i) => new TableRow({ children: row(i).map((v) => cell(v)) }))],
  });
  const doc = new Document({
    creator: 'canbao',
    title: title(l),
    sections: [
      {
        properties: { page: { size: { width: 11906, height: 16838 }, margin: { top: 1440, bottom: 1440, left: 1440, right: 1440 } } },
        children: [
          new Paragraph({ alignment: AlignmentType.CENTER, spacing: { after: 240 }, children: [text(title(l), true, 32)] }),
          table,
          new Paragraph({ spacing: { before: 240 }, children: [text(`共 ${l.items.length} 名。${l.publishedAt ? '' : '（名单尚未发布，仅供审核）'}`)] }),
        ],
      },
    ],
  });
  return { buffer: await Packer.toBuffer(doc), title: `表彰名单-${l.campaignName}` };
}
