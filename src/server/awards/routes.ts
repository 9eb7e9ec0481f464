// HTTP: nominations of outstanding individuals (先进个人, 附件3) — the forms with attachments, the
// submission within the quota, the city's evaluation, the published commendation list and its
// files, the printed form's document number. Scope on every route: another district's form answers
// 404, also for its attachments.
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { idParam } from '../../shared/api.js';
import { commendationList as commendationListSchema, linkableUsers as linkableUsersSchema, nomination, nominationEvaluate, nominationInput, nominationList, nominationSubmit, nominationUpdate } from '../../shared/api-awards.js';
import { printedDocument as printedDocumentSchema } from '../../shared/api-documents.js';
import {
  addNominationAttachment,
  commendationList,
  createNomination,
  evaluateNomination,
  findNominationAttachment,
  getNomination,
  linkableUsers,
  listNominations,
  nominationDocument,
  publishNominations,
  readNomination,
  removeNominationAttachment,
  submitNomination,
  updateNomination,
} from './nominations.js';
import { commendationDocx, commendationWorkbook } from './commendation-files.js';
import type { AppCtx } from '../context.js';
import { zapp, stdErrors } from '../http.js';
import { requireAuth } from '../auth/access.js';
import { evidenceStream, receiveEvidence } from '../assessments/evidence.js';
import { sendDownload, sendStoredFile } from '../export/send.js';
import { baseUrlOf, printedDocument } from '../documents/service.js';
import { recordAudit } from '../audit/store.js';

const FILLERS = ['district_admin', 'city_admin'] as const;

export async function awardRoutes(app: FastifyInstance, { ctx }: { ctx: AppCtx }) {
  const r = zapp(app);
  const tags = ['awards'];
  const campaignParam = z.object({ campaignId: idParam.shape.id });

  r.get('/api/campaigns/:campaignId/nominations', {
    config: { access: { roles: 'any' } },
    schema: { tags, summary: '先进个人推荐：本人可见单位的推荐表与名额使用情况', params: campaignParam, response: { 200: nominationList, ...stdErrors } },
    handler: async (req) => listNominations(ctx.db, requireAuth(req), req.params.campaignId),
  });

  r.post('/api/campaigns/:campaignId/nominations', {
    config: { access: { roles: FILLERS } },
    schema: { tags, summary: '填写先进个人推荐表（草稿；conditionAnswers 按本批次申报条件的顺序逐条填写符合情况，草稿可暂空）', params: campaignParam, body: nominationInput, response: { 200: nomination, ...stdErrors } },
    handler: async (req) => createNomination(ctx, requireAuth(req), req.params.campaignId, req.body),
  });

  r.get('/api/nominations/:id', {
    config: { access: { roles: 'any' } },
    schema: { tags, summary: '推荐表（联系电话：本单位填报人和市级看完整号码并记入审计日志，其他角色脱敏）', params: idParam, response: { 200: nomination, ...stdErrors } },
    handler: async (req) => readNomination(ctx, requireAuth(req), req.params.id),
  });

  r.put('/api/nominations/:id', {
    config: { access: { roles: FILLERS } },
    schema: { tags, summary: '修改推荐表（草稿；不带 conditionAnswers 时申报条件的符合情况不变）', params: idParam, body: nominationUpdate, response: { 200: nomination, ...stdErrors } },
    handler: async (req) => updateNomination(ctx, requireAuth(req), req.params.id, req.body),
  });

  r.post('/api/nominations/:id/submit', {
    config: { access: { roles: FILLERS } },
    schema: { tags, summary: '提交推荐（截止日期前，不超过本单位名额，每条申报条件的符合情况都已填写）', params: idParam, body: nominationSubmit, response: { 200: nomination, ...stdErrors } },
    handler: async (req) => submitNomination(ctx, requireAuth(req), req.params.id, req.body.version),
  });

  r.post('/api/nominations/:id/evaluate', {
    config: { access: { roles: ['city_admin', 'city_assessor'] } },
    schema: { tags, summary: '市级评审：通过或不通过，附意见', params: idParam, body: nominationEvaluate, response: { 200: nomination, ...stdErrors } },
    handler: async (req) => evaluateNomination(ctx, requireAuth(req), req.params.id, req.body),
  });

  r.post('/api/nominations/:id/attachments', {
    config: { access: { roles: FILLERS } },
    schema: { tags, summary: '上传推荐表附件（事迹材料：图片、PDF 或 Office 文档，multipart：file）', consumes: ['multipart/form-data'], params: idParam, response: { 200: nomination, 413: stdErrors[400], ...stdErrors } },
    handler: async (req) => {
      const auth = requireAuth(req);
      await getNomination(ctx.db, auth, req.params.id); // 404 before reading the upload
      const stored = await receiveEvidence(ctx, req, {}, '事迹材料');
      return addNominationAttachment(ctx, auth, req.params.id, stored);
    },
  });

  r.get('/api/nomination-attachments/:id', {
    config: { access: { roles: 'any' } },
    schema: { tags, summary: '查看/下载推荐表附件', params: idParam, querystring: z.object({ download: z.enum(['1']).optional() }) },
    handler: async (req, reply) => {
      const auth = requireAuth(req);
      const a = await findNominationAttachment(ctx.db, auth, req.params.id);
      await recordAudit(ctx.db, ctx.dialect, auth.actor, { event: 'award.attachment.view', objectType: 'nomination_attachment', objectId: Number(a.id) });
      return sendStoredFile(reply, evidenceStream(ctx.config.dataDir, a.sha256), { mime: a.mime, sizeBytes: Number(a.size_bytes), fileName: a.file_name, fallback: `attachment-${a.id}` }, !!req.query.download);
    },
  });

  r.delete('/api/nomination-attachments/:id', {
    config: { access: { roles: FILLERS } },
    schema: { tags, summary: '删除推荐表附件（提交前）', params: idParam, response: { 200: nomination, ...stdErrors } },
    handler: async (req) => removeNominationAttachment(ctx, requireAuth(req), req.params.id),
  });

  r.get('/api/campaigns/:campaignId/nominations/linkable-users', {
    config: { access: { roles: FILLERS } },
    schema: { tags, summary: '可关联的系统用户（本单位范围内），关联后推荐表显示其在系统中记录的工作', params: campaignParam, querystring: z.object({ orgUnitId: idParam.shape.id }), response: { 200: linkableUsersSchema, ...stdErrors } },
    handler: async (req) => linkableUsers(ctx.db, requireAuth(req), req.params.campaignId, req.query.orgUnitId),
  });

  r.post('/api/campaigns/:campaignId/nominations/publish', {
    config: { access: { roles: ['city_admin'], reauth: true } },
    schema: { tags, summary: '发布表彰名单（所有已推荐的均已评定后）', params: campaignParam, response: { 200: nominationList, ...stdErrors } },
    handler: async (req) => publishNominations(ctx, requireAuth(req), req.params.campaignId),
  });

  r.get('/api/campaigns/:campaignId/commendation-list', {
    config: { access: { roles: 'any' } },
    schema: { tags, summary: '表彰名单（市级随时可见，其他用户发布后可见）', params: campaignParam, response: { 200: commendationListSchema, ...stdErrors } },
    handler: async (req) => commendationList(ctx.db, requireAuth(req), req.params.campaignId),
  });

  r.get('/api/campaigns/:campaignId/commendation-list.xlsx', {
    config: { access: { roles: 'any' } },
    schema: { tags, summary: '表彰名单 .xlsx', params: campaignParam },
    handler: async (req, reply) => sendDownload(reply, 'xlsx', await commendationWorkbook(await commendationList(ctx.db, requireAuth(req), req.params.campaignId)), 'commendation'),
  });

  r.get('/api/campaigns/:campaignId/commendation-list.docx', {
    config: { access: { roles: 'any' } },
    schema: { tags, summary: '表彰名单 .docx', params: campaignParam },
    handler: async (req, reply) => sendDownload(reply, 'docx', await commendationDocx(await commendationList(ctx.db, requireAuth(req), req.params.campaignId)), 'commendation'),
  });

  r.post('/api/nominations/:id/document', {
    config: { access: { roles: 'any' } },
    schema: { tags, summary: '打印推荐表（附件3）：文书编号与核验二维码（内容变化后换发新编号，旧编号显示为已作废）', params: idParam, response: { 200: printedDocumentSchema, ...stdErrors } },
    handler: async (req) => {
      const doc = await nominationDocument(ctx, requireAuth(req), req.params.id);
      return printedDocument(doc.docNumber, doc.issuedAt, 'nomination', baseUrlOf(ctx, req));
    },
  });
}
