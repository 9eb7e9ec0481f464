// HTTP: statistics (汇总分析) by org unit — the overview, a pivot table (and its .xlsx), the progress
// over time, the target population. Everyone reads within their own subtree; a unit outside it
// answers 404. Exports are recorded (they count as the district's 汇总分析 work).
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { idParam, okBody } from '../../shared/api.js';
import { pivot, pivotQuery, progress, progressQuery, statisticsOverview as overviewSchema, statisticsQuery, targetInput, workStatistics as workSchema, detailTable, detailTableInput } from '../../shared/api-statistics.js';
import { detailTableFile, getDetailTable, listDetailTables, requestDetailTable } from './detail-tables.js';
import { analysisReportFile, listAnalysisReports, submitAnalysisReport, uploadAnalysisReport } from './analysis-reports.js';
import { analysisReportDocx } from './report.js';
import { analysisReport, analysisReportList, analysisReportQuery } from '../../shared/api-statistics.js';
import { evidenceStream, receiveEvidence } from '../assessments/evidence.js';
import { sendStoredFile } from '../export/send.js';
import { audited } from '../audit/audited.js';
import { resolveKey } from '../assessments/service.js';
import fs from 'node:fs';
import type { AppCtx } from '../context.js';
import { zapp, stdErrors } from '../http.js';
import { requireAuth } from '../auth/access.js';
import { sendDownload } from '../export/send.js';
import { todayShanghai } from '../clock.js';
import { pivotTable, progressOf, recordStatisticsView, setTarget, statisticsOverview, workStatistics } from './service.js';
import { pivotWorkbook } from './pivot-workbook.js';
import { tableWorkbook } from '../export/table-workbook.js';

export async function statisticsRoutes(app: FastifyInstance, { ctx }: { ctx: AppCtx }) {
  const r = zapp(app);
  const tags = ['statistics'];

  r.get('/api/statistics', {
    config: { access: { roles: 'any' } },
    schema: { tags, summary: '按单位统计：登记、有效、无效、重复、有效数据（不含重复）、目标人数与登记率（今日，或截至某日）', querystring: statisticsQuery, response: { 200: overviewSchema, ...stdErrors } },
    handler: async (req) => statisticsOverview(ctx.db, requireAuth(req), req.query),
  });

  r.get('/api/statistics/pivot', {
    config: { access: { roles: 'any' } },
    schema: { tags, summary: '汇总表：下级单位 × 一个维度（性别、个人身份、户口性质、年龄段、各险种参保状态、未参保原因、参保意愿、无效原因）', querystring: pivotQuery, response: { 200: pivot, ...stdErrors } },
    handler: async (req) => pivotTable(ctx.db, requireAuth(req), req.query),
  });

  r.get('/api/statistics/pivot.xlsx', {
    config: { access: { roles: 'any' } },
    schema: { tags, summary: '汇总表 .xlsx（A4 横向）', querystring: pivotQuery },
    handler: async (req, reply) => {
      const auth = requireAuth(req);
      const p = await pivotTable(ctx.db, auth, req.query);
      await recordStatisticsView(ctx, auth, `pivot.xlsx:${p.dim}:${p.measure}`, p.unit.orgUnitId);
      return sendDownload(reply, 'xlsx', await pivotWorkbook(p, p.asOf ? `统计口径：截至 ${p.asOf} 录入的记录（按其当前状态）` : `统计日期：${todayShanghai()}`), 'statistics');
    },
  });

  r.get('/api/statistics/progress', {
    config: { access: { roles: 'any' } },
    schema: { tags, summary: '登记进度：按录入日期的录入数与累计数，对照目标人数与数据截止日', querystring: progressQuery, response: { 200: progress, ...stdErrors } },
    handler: async (req) => progressOf(ctx.db, requireAuth(req), req.query),
  });

  r.get('/api/statistics/work', {
    config: { access: { roles: 'any' } },
    schema: { tags, summary: '工作量统计：每位录入员/调查员的录入数、有效率、按日录入、数据截止日后录入、抽查差错；按采集人统计', querystring: progressQuery, response: { 200: workSchema, ...stdErrors } },
    handler: async (req) => workStatistics(ctx.db, requireAuth(req), req.query),
  });

  r.get('/api/statistics/work.xlsx', {
    config: { access: { roles: 'any' } },
    schema: { tags, summary: '工作量统计 .xlsx（录入人员一表、采集人一表）', querystring: progressQuery },
    handler: async (req, reply) => {
      const w = await workStatistics(ctx.db, requireAuth(req), req.query);
      const rate = (p: number | null) => (p === null ? '' : `${(p / 10).toFixed(1)}%`);
      const file = await tableWorkbook(`工作量统计-${w.unit.orgUnitName}-${todayShanghai()}`, [
        {
          name: '录入人员',
          columns: [
            { header: '姓名' },
            { header: '角色' },
            { header: '所属单位', width: 22 },
            { header: '录入条数' },
            { header: '手机采集' },
            { header: '有效条数' },
            { header: '有效率' },
            { header: '有效数据（计入人数）', width: 20 },
            { header: `数据截止日（${w.dataCutoff ?? '无'}）后录入`, width: 26 },
            { header: '抽查数' },
            { header: '抽查差错' },
            { header: '首次录入' },
            { header: '最近录入' },
          ],
          rows: w.users.map((u) => [u.displayName, u.roleLabel, u.orgUnitName, u.entered, u.fieldEntered, u.valid, rate(u.validPermille), u.counted, u.afterCutoff, u.spotChecked, u.spotWrong, u.firstDay ?? '', u.lastDay ?? '']),
        },
        {
          name: '采集人',
          columns: [{ header: '采集人（登记表上所填）', width: 24 }, { header: '登记条数' }, { header: '有效条数' }, { header: '有效数据（计入人数）', width: 20 }],
          rows: w.surveyors.map((s) => [s.name, s.entered, s.valid, s.counted]),
        },
      ]);
      return sendDownload(reply, 'xlsx', file, 'work-statistics');
    },
  });

  r.put('/api/statistics/targets/:orgUnitId', {
    config: { access: { roles: ['city_admin', 'district_admin'] } },
    schema: { tags, summary: '设置单位的登记目标人数（null 为清除）', params: z.object({ orgUnitId: z.coerce.number().int().positive().max(2_147_483_647) }), body: targetInput, response: { 200: okBody, ...stdErrors } },
    handler: async (req) => {
      await setTarget(ctx, requireAuth(req), req.params.orgUnitId, req.body.target);
      return { ok: true as const };
    },
  });

  r.post('/api/statistics/detail-tables', {
    config: { access: { roles: 'any' } },
    schema: { tags, summary: '生成人员明细数据表（后台生成，可按街道分表；身份证号、电话按角色脱敏；记入审计日志）', body: detailTableInput, response: { 202: detailTable, ...stdErrors } },
    handler: async (req, reply) => reply.code(202).send(await requestDetailTable(ctx, requireAuth(req), req.body)),
  });

  r.get('/api/statistics/detail-tables', {
    config: { access: { roles: 'any' } },
    schema: { tags, summary: '本人生成的人员明细数据表（最近 50 份）及进度', response: { 200: z.object({ items: z.array(detailTable) }), ...stdErrors } },
    handler: async (req) => ({ items: await listDetailTables(ctx.db, requireAuth(req)) }),
  });

  r.get('/api/statistics/detail-tables/:id', {
    config: { access: { roles: 'any' } },
    schema: { tags, summary: '人员明细数据表的生成进度', params: idParam, response: { 200: detailTable, ...stdErrors } },
    handler: async (req) => getDetailTable(ctx.db, requireAuth(req), req.params.id),
  });

  r.get('/api/statistics/detail-tables/:id/file', {
    config: { access: { roles: 'any' } },
    schema: { tags, summary: '下载人员明细数据表 .xlsx（记入审计日志）', params: idParam },
    handler: async (req, reply) => {
      const f = await detailTableFile(ctx, requireAuth(req), req.params.id);
      return sendStoredFile(reply, fs.createReadStream(f.file), { mime: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', sizeBytes: f.sizeBytes, fileName: f.fileName, fallback: 'detail-table' }, true);
    },
  });

  const campaignDistrict = z.object({ campaignId: idParam.shape.id, orgUnitId: idParam.shape.id });

  r.get('/api/statistics/report.docx', {
    config: { access: { roles: 'any' } },
    schema: { tags, summary: '生成分析报告初稿 .docx（按本单位统计数据，含表格和图表；市级生成全市各区对比版；记入审计日志）', querystring: analysisReportQuery },
    handler: async (req, reply) => {
      const auth = requireAuth(req);
      const doc = await analysisReportDocx(ctx.db, auth, req.query);
      await audited(ctx, auth.actor, 'statistics.report.generate', async () => ({ result: null, objectType: 'org_unit', objectId: doc.orgUnitId, after: doc.figures }));
      return sendDownload(reply, 'docx', { buffer: doc.buffer, title: `${doc.title}（初稿）-${todayShanghai()}` }, 'report');
    },
  });

  r.get('/api/campaigns/:campaignId/analysis-reports', {
    config: { access: { roles: 'any' } },
    schema: { tags, summary: '各区分析报告的上传与报送情况', params: z.object({ campaignId: idParam.shape.id }), response: { 200: analysisReportList, ...stdErrors } },
    handler: async (req) => ({ items: await listAnalysisReports(ctx.db, requireAuth(req), req.params.campaignId) }),
  });

  r.post('/api/campaigns/:campaignId/analysis-reports/:orgUnitId/file', {
    config: { access: { roles: ['district_admin'] } },
    schema: { tags, summary: '上传修改完善后的分析报告（Word 或 PDF，multipart：file；报送前可替换）', consumes: ['multipart/form-data'], params: campaignDistrict, response: { 200: analysisReport, 413: stdErrors[400], ...stdErrors } },
    handler: async (req) => {
      const auth = requireAuth(req);
      await resolveKey(ctx.db, auth, { campaignId: req.params.campaignId, orgUnitId: req.params.orgUnitId }); // 404 before reading the upload
      const stored = await receiveEvidence(ctx, req, {}, '分析报告');
      return uploadAnalysisReport(ctx, auth, req.params.campaignId, req.params.orgUnitId, stored);
    },
  });

  r.post('/api/campaigns/:campaignId/analysis-reports/:orgUnitId/submit', {
    config: { access: { roles: ['district_admin'] } },
    schema: { tags, summary: '报送分析报告（记录报送时间与文件 SHA-256）', params: campaignDistrict, body: z.strictObject({ version: z.number().int().nonnegative() }), response: { 200: analysisReport, ...stdErrors } },
    handler: async (req) => submitAnalysisReport(ctx, requireAuth(req), req.params.campaignId, req.params.orgUnitId, req.body.version),
  });

  r.get('/api/analysis-reports/:id/file', {
    config: { access: { roles: 'any' } },
    schema: { tags, summary: '下载分析报告', params: idParam, querystring: z.object({ download: z.enum(['1']).optional() }) },
    handler: async (req, reply) => {
      const f = await analysisReportFile(ctx.db, requireAuth(req), req.params.id);
      return sendStoredFile(reply, evidenceStream(ctx.config.dataDir, f.sha256), { mime: f.mime, sizeBytes: Number(f.size_bytes), fileName: f.file_name, fallback: `report-${f.id}` }, !!req.query.download);
    },
  });
}
