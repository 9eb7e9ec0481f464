// The analysis report (分析报告, scorecard 汇总分析: "撰写本辖区全民参保登记工作分析报告并报送市人社部门"):
// a draft .docx generated from the unit's figures — work done, registration overview, insurance by
// type, the uninsured and their reasons, willingness, comparison between streets (or districts for
// the city-wide version), problems found, next steps — with tables and charts as images. Plain
// paragraphs, tables and PNG images only, so it opens cleanly in Word and WPS; the district edits it.
import { AlignmentType, BorderStyle, Document, ImageRun, Packer, Paragraph, Table, TableCell, TableRow, TextRun, WidthType } from 'docx';
import type { AuthInfo } from '../auth/access.js';
import type { AnyDb } from '../db/dialect.js';
import { INSURANCE_TYPES } from '../../shared/codes/index.js';
import { todayShanghai } from '../clock.js';
import { barChart, pieChart } from './charts.js';
import { pivotTable, statisticsOverview, workStatistics } from './service.js';

const pct = (part: number, whole: number) => (whole ? `${((part * 100) / whole).toFixed(1)}%` : '—');
const num = (n: number) => n.toLocaleString('zh-CN');
const FONT = { eastAsia: '宋体', ascii: 'Times New Roman', hAnsi: 'Times New Roman' };

function text(t: string, o: { bold?: boolean; size?: number; font?: typeof FONT } = {}) {
  return new TextRun({ text: t, bold: o.bold, size: o.size ?? 24, font: o.font ?? FONT });
}
const para = (t: string) => new Paragraph({ spacing: { after: 120, line: 360 }, indent: { firstLine: 480 }, children: [text(t)] });
const heading = (t: string) => new Paragraph({ spacing: { before: 240, after: 120 }, children: [text(t, { bold: true, size: 28, font: { eastAsia: '黑体', ascii: 'Arial', hAnsi: 'Arial' } })] });
const image = (png: Buffer) => new Paragraph({ alignment: AlignmentType.CENTER, spacing: { after: 120 }, children: [new ImageRun({ type: 'png', data: png, transformation: { width: 560, height: 266 } })] });
const caption = (t: string) => new Paragraph({ alignment: AlignmentType.CENTER, spacing: { after: 200 }, children: [text(t, { size: 21 })] });

function table(head: string[], rows: Array<Array<string | number>>): Table {
  const border = { style: BorderStyle.SINGLE, size: 4, color: '000000' };
  const cell = (v: string | number, bold = false) =>
    new TableCell({ borders: { top: border, bottom: border, left: border, right: border }, children: [new Paragraph({ alignment: typeof v === 'number' ? AlignmentType.RIGHT : AlignmentType.CENTER, children: [text(typeof v === 'number' ? num(v) : v, { bold, size: 21 })] })] });
  return new Table({ width: { size: 100, type: WidthType.PERCENTAGE }, rows: [new TableRow({ tableHeader: true, children: head.map((h) => cell(h, true)) }), ...rows.map((r) => new TableRow({ children: r.map((v) => cell(v)) }))] });
}

export async function analysisReportDocx(db: AnyDb, auth: AuthInfo, q: { orgUnitId?: number | undefined }): Promise<{ buffer: Buffer; title: string; orgUnitId: number; figures: Record<string, number> }> {
  const o = await statisticsOverview(db, auth, q);
  const unitId = o.unit.orgUnitId;
  const campaign = await db.selectFrom('campaign').select(['name', 'data_cutoff']).where('status', '=', 'active').orderBy('year', 'desc').executeTakeFirst();
  const work = await workStatistics(db, auth, { orgUnitId: unitId });
  const reason = await pivotTable(db, auth, { orgUnitId: unitId, dim: 'reason', measure: 'counted' });
  const willing = await pivotTable(db, auth, { orgUnitId: unitId, dim: 'willing', measure: 'counted' });
  const errors = await pivotTable(db, auth, { orgUnitId: unitId, dim: 'error', measure: 'registered' });
  const ins = await Promise.all(INSURANCE_TYPES.map(async (t) => ({ t, p: await pivotTable(db, auth, { orgUnitId: unitId, dim: `ins${t.code}` as 'ins110', measure: 'counted' }) })));
  const t = o.total;
  const today = todayShanghai();
  const rowWord = o.unit.level === 'city' ? '区' : o.unit.level === 'district' ? '街道（镇）' : '社区（村）';
  const title = `${o.unit.orgUnitName}全民参保登记工作分析报告`;
  const children: Array<Paragraph | Table> = [];

  children.push(new Paragraph({ alignment: AlignmentType.CENTER, spacing: { after: 120 }, children: [text(title, { bold: true, size: 36, font: { eastAsia: '黑体', ascii: 'Arial', hAnsi: 'Arial' } })] }));
  children.push(new Paragraph({ alignment: AlignmentType.CENTER, spacing: { after: 240 }, children: [text(`（初稿：由系统根据截至 ${today} 的登记数据生成，请核实、修改完善后报送）`, { size: 21 })] }));

  // 一、工作开展情况
  children.push(heading('一、工作开展情况'));
  const clerks = work.users.length;
  const first = work.users.map((u) => u.firstDay).filter((d): d is string => !!d).sort()[0];
  const last = work.users.map((u) => u.lastDay).filter((d): d is string => !!d).sort().reverse()[0];
  const after = work.users.reduce((a, u) => a + u.afterCutoff, 0);
  children.push(para(`${campaign ? `按照《${campaign.name}》的要求，` : ''}本${o.unit.level === 'city' ? '市' : '辖区'}组织开展全民参保登记入户调查和数据录入工作。系统记录共有 ${clerks} 名录入员、调查员参与数据录入，${work.surveyors.filter((s) => s.name !== '（未填采集人）').length} 名采集人完成入户调查，录入工作自 ${first ?? '—'} 开始，最近一次录入为 ${last ?? '—'}${campaign ? `；数据截止日为 ${campaign.data_cutoff}，截止日后录入 ${num(after)} 条` : ''}。`));
  if (work.users.length)
    children.push(
      table(
        ['录入人员', '所在单位', '录入', '有效', '有效率', '抽查差错'],
        work.users.slice(0, 20).map((u) => [u.displayName, u.orgUnitName, u.entered, u.valid, pct(u.valid, u.entered), `${u.spotWrong}/${u.spotChecked}`]),
      ),
    );

  // 二、登记总体情况
  children.push(heading('二、登记总体情况'));
  children.push(para(`截至 ${today}，共登记 ${num(t.registered)} 人，其中有效记录 ${num(t.valid)} 人，有效率 ${pct(t.valid, t.registered)}；无效记录 ${num(t.invalid)} 人；与其他单位重复、由他处计入的 ${num(t.duplicates)} 人；计入有效数据 ${num(t.counted)} 人${t.target ? `，登记目标 ${num(t.target)} 人，登记率 ${pct(t.counted, t.target)}` : ''}。`));
  children.push(table([rowWord.replace(/（.*）/, ''), '登记人数', '有效数据', '无效', '重复', '目标人数', '登记率'], [...o.rows.map((r) => [r.orgUnitName, r.registered, r.counted, r.invalid, r.duplicates, r.target ?? '—', r.target ? pct(r.counted, r.target) : '—']), ['合计', t.registered, t.counted, t.invalid, t.duplicates, t.target ?? '—', t.target ? pct(t.counted, t.target) : '—']]));
  const shown = o.rows.filter((r) => r.registered > 0).slice(0, 20);
  if (shown.length) {
    children.push(image(barChart(`各${rowWord.replace(/（.*）/, '')}有效数据`, shown.map((r) => r.orgUnitName), [{ name: '有效数据', data: shown.map((r) => r.counted) }, ...(shown.some((r) => r.target) ? [{ name: '目标人数', data: shown.map((r) => r.target ?? 0) }] : [])])));
    children.push(caption(`图1  各${rowWord.replace(/（.*）/, '')}有效数据`));
  }

  // 三、参保情况（分险种）
  children.push(heading('三、参保情况（分险种）'));
  const insRows = ins.map(({ t: it, p }) => {
    const v = (code: string) => p.totals[p.columns.findIndex((c) => c.value === code)] ?? 0;
    return { label: it.label, insured: v('1'), not: v('0'), other: p.total - v('1') - v('0') };
  });
  children.push(para(`在 ${num(t.counted)} 名有效登记人员中，${insRows.map((r) => `${r.label}正常参保 ${num(r.insured)} 人（${pct(r.insured, t.counted)}）`).join('，')}。`));
  children.push(table(['险种', '正常参保', '未参保', '暂停、终止或未填', '参保率'], insRows.map((r) => [r.label, r.insured, r.not, r.other, pct(r.insured, t.counted)])));
  children.push(image(barChart('分险种参保情况', insRows.map((r) => r.label.replace(/保险$/, '')), [{ name: '正常参保', data: insRows.map((r) => r.insured), stack: 'a', color: '#1677ff' }, { name: '未参保', data: insRows.map((r) => r.not), stack: 'a', color: '#f5222d' }, { name: '暂停、终止或未填', data: insRows.map((r) => r.other), stack: 'a', color: '#bfbfbf' }], { horizontal: true })));
  children.push(caption('图2  分险种参保情况'));

  // 四、未参保人员及原因
  children.push(heading('四、未参保人员及原因'));
  const reasons = reason.columns.map((c, i) => ({ name: c.label, value: reason.totals[i] ?? 0 })).filter((r) => r.name !== '未填' && r.value > 0);
  const uninsured = reasons.reduce((a, r) => a + r.value, 0);
  children.push(para(uninsured ? `登记为八个险种均未参保（填写了未参保原因）的有 ${num(uninsured)} 人，占有效数据的 ${pct(uninsured, t.counted)}。主要原因为：${reasons.sort((a, b) => b.value - a.value).slice(0, 3).map((r) => `${r.name} ${num(r.value)} 人（${pct(r.value, uninsured)}）`).join('；')}。` : '登记数据中暂无填写未参保原因的人员。'));
  if (reasons.length) {
    children.push(table(['未参保原因', '人数', '占比'], reasons.map((r) => [r.name, r.value, pct(r.value, uninsured)])));
    children.push(image(barChart('未参保原因', reasons.map((r) => r.name), [{ name: '人数', data: reasons.map((r) => r.value) }], { horizontal: true })));
    children.push(caption('图3  未参保原因'));
  }

  // 五、参保意愿
  children.push(heading('五、参保意愿'));
  const wills = willing.columns.map((c, i) => ({ name: c.label, value: willing.totals[i] ?? 0 })).filter((w) => w.name !== '未填' && w.value > 0);
  const willTotal = wills.reduce((a, w) => a + w.value, 0);
  children.push(para(willTotal ? `未参保人员中填写了参保意愿的 ${num(willTotal)} 人：${wills.map((w) => `${w.name} ${num(w.value)} 人（${pct(w.value, willTotal)}）`).join('，')}。有参保意愿的人员应作为下一步扩面工作的重点。` : '登记数据中暂无填写参保意愿的人员。'));
  if (wills.length) {
    children.push(image(pieChart('参保意愿', wills)));
    children.push(caption('图4  参保意愿'));
  }

  // 六、各单位比较
  children.push(heading(`六、各${rowWord.replace(/（.*）/, '')}比较`));
  const ranked = [...o.rows].filter((r) => r.registered > 0).sort((a, b) => b.counted - a.counted);
  children.push(para(ranked.length ? `有效数据最多的是${ranked[0]!.orgUnitName}（${num(ranked[0]!.counted)} 人）${ranked.length > 1 ? `，最少的是${ranked[ranked.length - 1]!.orgUnitName}（${num(ranked[ranked.length - 1]!.counted)} 人）` : ''}；无效率最高的是${[...ranked].sort((a, b) => b.invalid / b.registered - a.invalid / a.registered)[0]!.orgUnitName}。` : '暂无登记数据。'));
  if (ranked.length) children.push(table(['单位', '登记人数', '有效数据', '无效率', '重复率', '登记率'], ranked.map((r) => [r.orgUnitName, r.registered, r.counted, pct(r.invalid, r.registered), pct(r.duplicates, r.registered), r.target ? pct(r.counted, r.target) : '—'])));

  // 七、发现的问题
  children.push(heading('七、发现的问题'));
  const topErrors = errors.columns.map((c, i) => ({ name: c.label, value: errors.totals[i] ?? 0 })).filter((e) => e.value > 0).sort((a, b) => b.value - a.value).slice(0, 5);
  const problems: string[] = [];
  if (t.invalid) problems.push(`无效记录 ${num(t.invalid)} 条，问题集中在：${topErrors.map((e) => `${e.name}（${num(e.value)} 条）`).join('、') || '—'}，需组织核实更正。`);
  if (t.duplicates) problems.push(`有 ${num(t.duplicates)} 人在其他单位已有有效登记，需核实实际居住地，避免重复登记。`);
  if (after) problems.push(`数据截止日后录入 ${num(after)} 条，不计入本次考核的有效数据。`);
  const low = o.rows.filter((r) => r.target && r.counted / r.target < 0.8);
  if (low.length) problems.push(`${low.map((r) => r.orgUnitName).join('、')}的登记率低于 80%，进度偏慢。`);
  if (!problems.length) problems.push('（请根据实际情况补充。）');
  problems.forEach((p, i) => children.push(para(`${i + 1}. ${p}`)));

  // 八、下一步工作
  children.push(heading('八、下一步工作'));
  [
    '针对未参保人员，按原因分类建立跟进台账，对有参保意愿的人员逐户上门宣传，动员参保。',
    '对无效和重复记录组织复核，确保登记数据准确、完整，按时完成数据更新。',
    '加强基层一线宣传发动和业务培训，提高入户调查和数据录入质量。',
    '（请根据本地区实际情况补充完善。）',
  ].forEach((p, i) => children.push(para(`${i + 1}. ${p}`)));

  children.push(new Paragraph({ alignment: AlignmentType.RIGHT, spacing: { before: 480 }, children: [text(`${o.unit.orgUnitName}${o.unit.level === 'district' ? '人力资源和社会保障局' : ''}`)] }));
  children.push(new Paragraph({ alignment: AlignmentType.RIGHT, children: [text(`${today.slice(0, 4)}年${Number(today.slice(5, 7))}月${Number(today.slice(8, 10))}日`)] }));

  const doc = new Document({
    creator: 'canbao',
    title,
    styles: { default: { document: { run: { font: FONT, size: 24 } } } },
    sections: [{ properties: { page: { size: { width: 11906, height: 16838 }, margin: { top: 1440, bottom: 1440, left: 1587, right: 1587 } } }, children }],
  });
  return { buffer: await Packer.toBuffer(doc), title, orgUnitId: unitId, figures: { registered: t.registered, counted: t.counted, invalid: t.invalid, duplicates: t.duplicates, uninsured } };
}
