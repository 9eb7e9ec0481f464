// What the assessment shows beside the district's own evidence and what it prints or exports:
// - the system's own record of the work (数据录入 items: entry timeline against the data cutoff,
//   imports, surveyors; 汇总分析 items: exports of the detail table), SPEC §2 / issue 4 item 2;
// - the scorecard (考核表, 附件2) and the city's overview as .xlsx;
// - the notifications a user sees (what is due, what was returned, what arrived).
import ExcelJS from 'exceljs';
import { sql } from 'kysely';
import type { AuthInfo } from '../auth/access.js';
import { shanghaiDay, type AnyDb } from '../db/dialect.js';
import type { DialectName } from '../db/index.js';
import { formatScore } from '../../domain/score.js';
import { ASSESSMENT_STATUS_LABELS } from '../../shared/api-assessment.js';
import { endOfDayShanghai } from '../registration/counts.js';
import { todayShanghai } from '../clock.js';
import { inScope } from '../orgs/store.js';
import { neutraliseCell } from '../export/cells.js';
import { assessmentOverview, getAssessment, resolveKey, type AssessmentKey } from './service.js';

/** Records entered per day (Asia/Shanghai) by the district, imports and exports: the system's evidence. */
export async function systemEvidence(db: AnyDb, dialect: DialectName, auth: AuthInfo, key: AssessmentKey) {
  const { campaign, district } = await resolveKey(db, auth, key);
  const cutoff = endOfDayShanghai(campaign.dataCutoff);
  // entered_at is UTC; +8 h gives the Shanghai calendar day.
  const day = shanghaiDay('entered_at', dialect);
  const perDay = await db
    .selectFrom('registration')
    .select([day.as('day'), (eb) => eb.fn.countAll<number>().as('n')])
    .where('district_id', '=', Number(district.id))
    .where('deleted_at', 'is', null)
    .groupBy(day)
    .orderBy(day)
    .execute();
  const totals = await db
    .selectFrom('registration')
    .select([
      (eb) => eb.fn.countAll<number>().as('entered'),
      sql<number>`sum(case when entered_at <= ${cutoff} then 1 else 0 end)`.as('by_cutoff'),
      sql<number>`sum(case when is_counted = 1 and entered_at <= ${cutoff} then 1 else 0 end)`.as('valid_by_cutoff'),
      sql<number>`count(distinct surveyor_name)`.as('surveyors'),
    ])
    .where('district_id', '=', Number(district.id))
    .where('deleted_at', 'is', null)
    .executeTakeFirstOrThrow();
  const imports = await db
    .selectFrom('import_batch as b')
    .innerJoin('org_unit as o', 'o.id', 'b.org_unit_id')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('b.status', '=', 'done')
    .where(sql<boolean>`o.path like ${district.path + '%'}`)
    .executeTakeFirstOrThrow();
  const exports = await db
    .selectFrom('audit_log as a')
    .innerJoin('app_user as u', 'u.id', 'a.user_id')
    .innerJoin('org_unit as o', 'o.id', 'u.org_unit_id')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('a.event', '=', 'registration.export')
    .where('a.success', '=', 1)
    .where(sql<boolean>`o.path like ${district.path + '%'}`)
    .executeTakeFirstOrThrow();
  return {
    dataCutoff: campaign.dataCutoff,
    entered: Number(totals.entered ?? 0),
    enteredByCutoff: Number(totals.by_cutoff ?? 0),
    validByCutoff: Number(totals.valid_by_cutoff ?? 0),
    surveyors: Number(totals.surveyors ?? 0),
    imports: Number(imports.n),
    detailExports: Number(exports.n),
    perDay: perDay.map((r) => ({ day: r.day, count: Number(r.n) })),
  };
}

/** The scorecard (考核表, 附件2) of a district, filled in, as .xlsx: the seed's columns and totals. */
export async function scorecardWorkbook(db: AnyDb, auth: AuthInfo, key: AssessmentKey): Promise<{ buffer: Buffer; title: string }> {
  const a = await getAssessment(db, auth, key);
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('考核表', { pageSetup: { paperSize: 9, orientation: 'portrait', fitToPage: true, fitToWidth: 1, fitToHeight: 0 } });
  ws.columns = [{ width: 14 }, { width: 60 }, { width: 8 }, { width: 8 }, { width: 8 }, { width: 30 }];
  ws.mergeCells('A1:F1');
  ws.getCell('A1').value = '常州市市本级全民参保登记工作考核表';
  ws.getCell('A1').font = { bold: true, size: 16 };
  ws.getCell('A1').alignment = { horizontal: 'center' };
  ws.mergeCells('A2:F2');
  ws.getCell('A2').value = `单位名称（章）：${a.orgUnitName}\u3000\u3000考核批次：${a.campaignName}\u3000\u3000状态：${ASSESSMENT_STATUS_LABELS[a.status]}`;
  const header = ws.addRow(['考核项目', '考核内容与标准', '标准分', '自评分', '考核分', '考核意见']);
  header.font = { bold: true };
  for (const c of a.categories) {
    const first = ws.rowCount + 1;
    for (const i of c.items) {
      ws.addRow([`${c.name}（${formatScore(c.maxScore)}分）`, neutraliseCell(i.text), Number(formatScore(i.maxScore)), i.selfScore === null ? '' : Number(formatScore(i.selfScore)), i.assessedScore === null ? '' : Number(formatScore(i.assessedScore)), neutraliseCell(i.assessedComment)]);
    }
    if (c.items.length > 1) ws.mergeCells(first, 1, ws.rowCount, 1);
    ws.addRow(['', `${c.name} 小计`, Number(formatScore(c.maxScore)), Number(formatScore(c.selfTotal)), Number(formatScore(c.assessedTotal)), '']).font = { italic: true };
  }
  const total = a.categories.reduce((s, c) => s + c.maxScore, 0);
  ws.addRow(['合计', '', Number(formatScore(total)), Number(formatScore(a.selfTotal)), Number(formatScore(a.assessedTotal)), '']).font = { bold: true };
  ws.addRow([]);
  ws.addRow(['考核人：', '', '被考核单位负责人：', '', '日期：', '']);
  ws.eachRow((row, n) => {
    if (n < 3) return;
    row.eachCell((cell) => {
      cell.alignment = { vertical: 'middle', wrapText: true };
      cell.border = { top: { style: 'thin' }, left: { style: 'thin' }, bottom: { style: 'thin' }, right: { style: 'thin' } };
    });
  });
  return { buffer: Buffer.from(await wb.xlsx.writeBuffer()), title: `考核表-${a.orgUnitName}-${a.campaignName}` };
}

/** The city's overview as .xlsx. */
export async function overviewWorkbook(db: AnyDb, auth: AuthInfo, campaignId: number): Promise<{ buffer: Buffer; title: string }> {
  const o = await assessmentOverview(db, auth, campaignId);
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('考核总览');
  ws.columns = [
    { header: '区', width: 12 },
    { header: '状态', width: 16 },
    { header: '自评分', width: 10 },
    { header: '考核分', width: 10 },
    { header: '未自评项', width: 10 },
    { header: '未考核项', width: 10 },
    { header: '佐证材料', width: 10 },
    { header: '提交时间', width: 22 },
    { header: '完成时间', width: 22 },
  ];
  ws.getRow(1).font = { bold: true };
  for (const i of o.items) {
    ws.addRow([i.orgUnitName, ASSESSMENT_STATUS_LABELS[i.status], Number(formatScore(i.selfTotal)), Number(formatScore(i.assessedTotal)), i.missingSelf, i.missingAssessed, i.evidenceCount, i.submittedAt ?? '', i.finalizedAt ?? '']);
  }
  return { buffer: Buffer.from(await wb.xlsx.writeBuffer()), title: `考核总览-${o.campaignName}` };
}

export type Notification = { kind: 'due' | 'returned' | 'arrived' | 'locked'; title: string; detail: string; link: string };

/** What needs the user's attention in the active campaigns: derived from the state, never stored. */
export async function notificationsFor(db: AnyDb, auth: AuthInfo): Promise<Notification[]> {
  const campaigns = await db.selectFrom('campaign').selectAll().where('status', '=', 'active').orderBy('year', 'desc').execute();
  const districts = (await db.selectFrom('org_unit').selectAll().where('level', '=', 'district').orderBy('code').execute()).filter((d) => inScope(auth.scope, d.path));
  const today = todayShanghai();
  const out: Notification[] = [];
  for (const c of campaigns) {
    for (const d of districts) {
      const a = await getAssessment(db, auth, { campaignId: Number(c.id), orgUnitId: Number(d.id) });
      const link = `/assessments/${Number(c.id)}/${Number(d.id)}`;
      if (auth.role === 'district_admin') {
        if (a.status === 'returned') out.push({ kind: 'returned', title: `${c.name}：自评被退回`, detail: a.returnReason ?? '', link });
        else if (a.status === 'draft' && a.can.editSelf) {
          const days = Math.round((Date.parse(a.windowUntil && a.windowUntil > a.deadline ? a.windowUntil : a.deadline) - Date.parse(today)) / 86_400_000);
          out.push({ kind: 'due', title: `${c.name}：自查自评待提交`, detail: days === 0 ? '今天截止' : `还有 ${days} 天截止（${a.windowUntil ?? a.deadline}）`, link });
        } else if (a.status === 'draft') out.push({ kind: 'locked', title: `${c.name}：自查自评已过截止日期`, detail: a.lockedReason ?? '', link });
      }
      if ((auth.role === 'city_assessor' || auth.role === 'city_admin') && a.status === 'submitted') {
        out.push({ kind: 'arrived', title: `${c.name}：${a.orgUnitName}已提交自评，待考核`, detail: a.submittedAt ? `提交于 ${a.submittedAt.slice(0, 10)}` : '', link });
      }
    }
  }
  return out;
}
