// HTTP: assessments — the overview of a campaign, a district's assessment, the self-assessment,
// the review and the workflow's transitions, evidence files. Scope on every route: a district's
// users reach their own district only (another district answers 404, also for evidence by id).
import type { FastifyInstance, FastifyReply } from 'fastify';
import { z } from 'zod';
import { idParam, okBody } from '../../shared/api.js';
import {
  assessment,
  assessmentOverview,
  assessmentParams,
  assessmentTransition,
  assessmentWindow,
  evidenceFile,
  reviewSave,
  selfAssessmentSave,
  spotCheckCreate,
  spotCheckList,
  spotCheckMark,
  spotCheckVerify,
  systemEvidence as systemEvidenceSchema,
  notificationList,
} from '../../shared/api-assessment.js';
import { notificationsFor, overviewWorkbook, scorecardWorkbook, systemEvidence } from './reports.js';
import { drawSpotCheck, findSpotCheckRecord, markSpotCheckRecord, spotChecksViewed, spotCheckWorkbook, readSpotCheckPhoto, setSpotCheckPhoto, verifySpotCheck } from './spot-check.js';
import type { AppCtx } from '../context.js';
import { zapp, stdErrors } from '../http.js';
import { requireAuth } from '../auth/access.js';
import { invalidInput } from '../errors.js';
import { sendDownload, sendStoredFile } from '../export/send.js';
import { recordAudit } from '../audit/store.js';
import { evidenceStream, receiveEvidence, storedMime } from './evidence.js';
import {
  addEvidence,
  assessmentOverview as overview,
  finalizeAssessment,
  findEvidence,
  getAssessment,
  removeEvidence,
  reopenAssessment,
  reopenWindow,
  returnToDistrict,
  saveReview,
  saveSelfAssessment,
  submitSelfAssessment,
} from './service.js';

const DISTRICT = ['district_admin'] as const;
const ASSESSORS = ['city_assessor', 'city_admin'] as const;
const CITY_ADMIN = ['city_admin'] as const;
/** Who may export spot-check results: those who take part in assessments, and the read-only viewers (masked). */
const SPOT_CHECK_EXPORTERS = ['city_admin', 'city_assessor', 'district_admin', 'viewer'] as const;
const BASE = '/api/campaigns/:campaignId/assessments/:orgUnitId';

/** Receives one uploaded file (multipart) into the content store; `fields` get the form's text fields. */
export async function assessmentRoutes(app: FastifyInstance, { ctx }: { ctx: AppCtx }) {
  const r = zapp(app);
  const tags = ['assessment'];
  const key = (p: { campaignId: number; orgUnitId: number }) => ({ campaignId: p.campaignId, orgUnitId: p.orgUnitId });

  r.get('/api/campaigns/:campaignId/assessments', {
    config: { access: { roles: 'any' } },
    schema: { tags, summary: '考核总览：各区自评分、考核分、状态、缺项', params: z.object({ campaignId: assessmentParams.shape.campaignId }), response: { 200: assessmentOverview, ...stdErrors } },
    handler: async (req) => overview(ctx.db, requireAuth(req), req.params.campaignId),
  });

  r.get(BASE, {
    config: { access: { roles: 'any' } },
    schema: { tags, summary: '某区的考核表（自评、考核、佐证材料、流程记录）', params: assessmentParams, response: { 200: assessment, ...stdErrors } },
    handler: async (req) => getAssessment(ctx.db, requireAuth(req), key(req.params)),
  });

  r.put(`${BASE}/self`, {
    config: { access: { roles: DISTRICT } },
    schema: { tags, summary: '保存自评（草稿）', params: assessmentParams, body: selfAssessmentSave, response: { 200: assessment, ...stdErrors } },
    handler: async (req) => saveSelfAssessment(ctx, requireAuth(req), key(req.params), req.body),
  });

  r.post(`${BASE}/submit`, {
    config: { access: { roles: DISTRICT } },
    schema: { tags, summary: '提交自评（提交后本区不能再修改）', params: assessmentParams, body: assessmentTransition, response: { 200: assessment, ...stdErrors } },
    handler: async (req) => submitSelfAssessment(ctx, requireAuth(req), key(req.params), req.body.version),
  });

  r.put(`${BASE}/review`, {
    config: { access: { roles: ASSESSORS } },
    schema: { tags, summary: '保存考核评分与意见', params: assessmentParams, body: reviewSave, response: { 200: assessment, ...stdErrors } },
    handler: async (req) => saveReview(ctx, requireAuth(req), key(req.params), req.body),
  });

  r.post(`${BASE}/return`, {
    config: { access: { roles: ASSESSORS } },
    schema: { tags, summary: '退回区里修改（须填写原因）', params: assessmentParams, body: assessmentTransition, response: { 200: assessment, ...stdErrors } },
    handler: async (req) => returnToDistrict(ctx, requireAuth(req), key(req.params), req.body),
  });

  r.post(`${BASE}/finalize`, {
    config: { access: { roles: ASSESSORS } },
    schema: { tags, summary: '完成考核（考核分锁定）', params: assessmentParams, body: assessmentTransition, response: { 200: assessment, ...stdErrors } },
    handler: async (req) => finalizeAssessment(ctx, requireAuth(req), key(req.params), req.body.version),
  });

  r.post(`${BASE}/reopen`, {
    config: { access: { roles: CITY_ADMIN, reauth: true } },
    schema: { tags, summary: '重新开放已完成的考核（须填写原因，记录在案）', params: assessmentParams, body: assessmentTransition, response: { 200: assessment, ...stdErrors } },
    handler: async (req) => reopenAssessment(ctx, requireAuth(req), key(req.params), req.body),
  });

  r.post(`${BASE}/window`, {
    config: { access: { roles: CITY_ADMIN, reauth: true } },
    schema: { tags, summary: '截止日期后重新开放自评提交（补报期限与原因，记录在案）', params: assessmentParams, body: assessmentWindow, response: { 200: assessment, ...stdErrors } },
    handler: async (req) => reopenWindow(ctx, requireAuth(req), key(req.params), req.body),
  });

  r.post(`${BASE}/evidence`, {
    config: { access: { roles: DISTRICT } },
    schema: { tags, summary: '上传佐证材料（multipart：criterionId、file）', consumes: ['multipart/form-data'], params: assessmentParams, response: { 200: evidenceFile, 413: stdErrors[400], ...stdErrors } },
    handler: async (req) => {
      const auth = requireAuth(req);
      const fields: Record<string, string> = {};
      const stored = await receiveEvidence(ctx, req, fields);
      const criterionId = Number(fields.criterionId);
      if (!Number.isInteger(criterionId) || criterionId <= 0) throw invalidInput('请指明佐证材料对应的考核标准');
      const id = await addEvidence(ctx, auth, key(req.params), { criterionId, ...stored });
      const view = await getAssessment(ctx.db, auth, key(req.params));
      const file = view.categories.flatMap((c) => c.items).flatMap((i) => i.evidence).find((e) => e.id === id);
      if (!file) throw new Error('evidence not found after upload');
      return file;
    },
  });

  r.get('/api/evidence/:id', {
    config: { access: { roles: 'any' } },
    schema: { tags, summary: '查看/下载佐证材料（图片和 PDF 可在浏览器中预览）', params: idParam, querystring: z.object({ download: z.enum(['1']).optional() }) },
    handler: async (req, reply) => {
      const auth = requireAuth(req);
      const f = await findEvidence(ctx.db, auth, req.params.id);
      await recordAudit(ctx.db, ctx.dialect, auth.actor, { event: 'assessment.evidence.view', objectType: 'evidence_file', objectId: Number(f.id) });
      return sendStoredFile(reply, evidenceStream(ctx.config.dataDir, f.sha256), { mime: f.mime, sizeBytes: Number(f.size_bytes), fileName: f.file_name, fallback: `evidence-${f.id}` }, !!req.query.download);
    },
  });

  r.delete('/api/evidence/:id', {
    config: { access: { roles: DISTRICT } },
    schema: { tags, summary: '删除佐证材料（提交前）', params: idParam, response: { 200: okBody, ...stdErrors } },
    handler: async (req) => {
      await removeEvidence(ctx, requireAuth(req), req.params.id);
      return { ok: true as const };
    },
  });

  r.get(`${BASE}/spot-checks`, {
    config: { access: { roles: 'any' } },
    schema: { tags, summary: '抽查数据：各次抽取（种子、总体、样本）与标记结果', params: assessmentParams, response: { 200: spotCheckList, ...stdErrors } },
    handler: async (req) => spotChecksViewed(ctx, requireAuth(req), key(req.params)),
  });

  r.post(`${BASE}/spot-checks`, {
    config: { access: { roles: ASSESSORS } },
    schema: { tags, summary: '按条数或比例抽取有效数据（可指定种子以重复抽取）', params: assessmentParams, body: spotCheckCreate, response: { 200: spotCheckList, ...stdErrors } },
    handler: async (req) => {
      const auth = requireAuth(req);
      await drawSpotCheck(ctx, auth, key(req.params), req.body);
      return spotChecksViewed(ctx, auth, key(req.params));
    },
  });

  r.get(`${BASE}/spot-checks.xlsx`, {
    config: { access: { roles: SPOT_CHECK_EXPORTERS } },
    schema: { tags, summary: '抽查结果 .xlsx（与抽查页面相同的脱敏规则；每次导出记入审计日志）', params: assessmentParams },
    handler: async (req, reply) => sendDownload(reply, 'xlsx', await spotCheckWorkbook(ctx, requireAuth(req), key(req.params)), 'spot-checks'),
  });

  r.get(`${BASE}/spot-checks/:spotCheckId/verify`, {
    config: { access: { roles: 'any' } },
    schema: { tags, summary: '按记录的种子重新抽取，核对样本是否一致', params: assessmentParams.extend({ spotCheckId: assessmentParams.shape.campaignId }), response: { 200: spotCheckVerify, ...stdErrors } },
    handler: async (req) => verifySpotCheck(ctx.db, requireAuth(req), key(req.params), req.params.spotCheckId),
  });

  r.put('/api/spot-check-records/:id', {
    config: { access: { roles: ASSESSORS } },
    schema: { tags, summary: '标记一条抽查记录正确或错误（错误须写明项目与情况）', params: idParam, body: spotCheckMark, response: { 200: okBody, ...stdErrors } },
    handler: async (req) => {
      await markSpotCheckRecord(ctx, requireAuth(req), req.params.id, req.body);
      return { ok: true as const };
    },
  });

  r.get(`${BASE}/system-evidence`, {
    config: { access: { roles: 'any' } },
    schema: { tags, summary: '系统记录的工作情况（录入进度与截止日期、导入、采集人、明细表导出）', params: assessmentParams, response: { 200: systemEvidenceSchema, ...stdErrors } },
    handler: async (req) => systemEvidence(ctx.db, ctx.dialect, requireAuth(req), key(req.params)),
  });

  const xlsx = (reply: FastifyReply, file: { buffer: Buffer; title: string }) => sendDownload(reply, 'xlsx', file, 'assessment');

  r.get(`${BASE}/scorecard.xlsx`, {
    config: { access: { roles: 'any' } },
    schema: { tags, summary: '考核表（附件2）.xlsx', params: assessmentParams },
    handler: async (req, reply) => xlsx(reply, await scorecardWorkbook(ctx.db, requireAuth(req), key(req.params))),
  });

  r.get('/api/campaigns/:campaignId/assessments.xlsx', {
    config: { access: { roles: 'any' } },
    schema: { tags, summary: '考核总览 .xlsx', params: z.object({ campaignId: assessmentParams.shape.campaignId }) },
    handler: async (req, reply) => xlsx(reply, await overviewWorkbook(ctx.db, requireAuth(req), req.params.campaignId)),
  });

  r.get('/api/notifications', {
    config: { access: { roles: 'any' } },
    schema: { tags, summary: '待办与提醒（自评待提交、被退回、待考核）', response: { 200: notificationList, ...stdErrors } },
    handler: async (req) => ({ items: await notificationsFor(ctx.db, requireAuth(req)) }),
  });

  r.post('/api/spot-check-records/:id/photo', {
    config: { access: { roles: ASSESSORS } },
    schema: { tags, summary: '上传抽查记录对应的纸质登记表照片（multipart：file）', consumes: ['multipart/form-data'], params: idParam, response: { 200: okBody, 413: stdErrors[400], ...stdErrors } },
    handler: async (req) => {
      const auth = requireAuth(req);
      await findSpotCheckRecord(ctx.db, auth, req.params.id); // 404 before reading the upload
      const stored = await receiveEvidence(ctx, req, {});
      await setSpotCheckPhoto(ctx, auth, req.params.id, stored);
      return { ok: true as const };
    },
  });

  r.get('/api/spot-check-records/:id/photo', {
    config: { access: { roles: 'any' } },
    schema: { tags, summary: '查看抽查记录的纸质登记表照片（每次查看记入审计日志）', params: idParam },
    handler: async (req, reply) => {
      const sha256 = await readSpotCheckPhoto(ctx, requireAuth(req), req.params.id); // logged
      const mime = await storedMime(ctx.config.dataDir, sha256);
      return sendStoredFile(reply, evidenceStream(ctx.config.dataDir, sha256), { mime, fileName: `抽查照片-${req.params.id}`, fallback: `photo-${req.params.id}` });
    },
  });
}
