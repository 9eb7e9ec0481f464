// HTTP: fees (考核费用) — the valid count frozen at the data cutoff, the live computation, the fee
// sheet and its approval, demonstration-site funds, payments, the district's allocation and the
// city's overview. Everyone in scope reads (another district's objects answer 404); only city roles
// compute, approve and pay; only the district's own admin allocates. Money actions ask for the
// password again (reauth).
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { idParam } from '../../shared/api.js';
import { printedDocument as printedDocumentSchema } from '../../shared/api-documents.js';
import {
  countSnapshot,
  countSnapshotHistory,
  countSnapshotTake,
  allocationInput,
  districtMoney as districtMoneySchema,
  feeComputation as feeComputationSchema,
  feeSheet,
  feeSheetApprove,
  feeSheetReopen,
  moneyOverview as moneyOverviewSchema,
  paymentInput,
  reasonBody,
  siteFundInput,
  snapshotParams,
  specialFundInput,
  versionBody,
} from '../../shared/api-fees.js';
import { feeComputation } from './compute.js';
import type { AppCtx } from '../context.js';
import { zapp, stdErrors } from '../http.js';
import { requireAuth } from '../auth/access.js';
import { notFound } from '../errors.js';
import { snapshotHistory, takeSnapshot } from './snapshots.js';
import { addSiteFund, revokeSiteFund } from './site-funds.js';
import { approveFeeSheet, checkFeeSheet, computeFeeSheet, feeSheetDocument, getFeeSheet, reopenFeeSheet } from './sheets.js';
import { addPayment, paymentInScope, saveAllocation, setPaymentAttachment, voidPayment } from './disbursement.js';
import { districtMoney, moneyOverview, moneyOverviewWorkbook, setSpecialFund } from './money.js';
import { feeSheetWorkbook } from './sheet-workbook.js';
import { evidenceStream, receiveEvidence } from '../assessments/evidence.js';
import { sendDownload, sendStoredFile } from '../export/send.js';
import { baseUrlOf, printedDocument } from '../documents/service.js';
import { recordAudit } from '../audit/store.js';

const CITY = ['city_admin', 'city_assessor'] as const;
const CITY_ADMIN = ['city_admin'] as const;

export async function feeRoutes(app: FastifyInstance, { ctx }: { ctx: AppCtx }) {
  const r = zapp(app);
  const tags = ['fees'];
  const path = '/api/campaigns/:campaignId/count-snapshots/:orgUnitId';

  r.get(path, {
    config: { access: { roles: 'any' } },
    schema: { tags, summary: '冻结的有效数据（截至数据截止日，含各街道、社区构成）及历次冻结', params: snapshotParams, response: { 200: countSnapshotHistory, ...stdErrors } },
    handler: async (req) => snapshotHistory(ctx.db, requireAuth(req), req.params.campaignId, req.params.orgUnitId),
  });

  r.post(path, {
    config: { access: { roles: ['city_admin'], reauth: true } },
    schema: { tags, summary: '冻结（或填写原因后重新冻结）某区截至数据截止日的有效数据', params: snapshotParams, body: countSnapshotTake, response: { 200: countSnapshot, ...stdErrors } },
    handler: async (req) => takeSnapshot(ctx, requireAuth(req), req.params.campaignId, req.params.orgUnitId, req.body.reason),
  });

  r.get('/api/campaigns/:campaignId/fees/:orgUnitId', {
    config: { access: { roles: 'any' } },
    schema: { tags, summary: '某区的考核费用：冻结的有效数据 × 基准费用 × 最终得分档次（未冻结或未完成考核时说明原因）', params: snapshotParams, response: { 200: feeComputationSchema, ...stdErrors } },
    handler: async (req) => feeComputation(ctx.db, requireAuth(req), req.params.campaignId, req.params.orgUnitId),
  });


  const campaignParam = z.object({ campaignId: snapshotParams.shape.campaignId });
  const money = '/api/campaigns/:campaignId/money/:orgUnitId';
  const moneyOf = (req: { params: { campaignId: number; orgUnitId: number } } & Parameters<typeof requireAuth>[0]) => districtMoney(ctx.db, requireAuth(req), req.params.campaignId, req.params.orgUnitId);

  r.get('/api/campaigns/:campaignId/money', {
    config: { access: { roles: 'any' } },
    schema: { tags, summary: '考核费用总览：各区有效数据、得分、档次、费用、示范点经费、审批、拨付、分配，及专项工作经费', params: campaignParam, response: { 200: moneyOverviewSchema, ...stdErrors } },
    handler: async (req) => moneyOverview(ctx.db, requireAuth(req), req.params.campaignId),
  });

  r.get('/api/campaigns/:campaignId/money.xlsx', {
    config: { access: { roles: 'any' } },
    schema: { tags, summary: '考核费用总览 .xlsx', params: campaignParam },
    handler: async (req, reply) => sendDownload(reply, 'xlsx', await moneyOverviewWorkbook(ctx.db, requireAuth(req), req.params.campaignId), 'fees'),
  });

  r.put('/api/campaigns/:campaignId/special-fund', {
    config: { access: { roles: CITY_ADMIN, reauth: true } },
    schema: { tags, summary: '录入全民参保登记专项工作经费（null 为清除）', params: campaignParam, body: specialFundInput, response: { 200: moneyOverviewSchema, ...stdErrors } },
    handler: async (req) => {
      const auth = requireAuth(req);
      await setSpecialFund(ctx, auth, req.params.campaignId, req.body.amountFen);
      return moneyOverview(ctx.db, auth, req.params.campaignId);
    },
  });

  r.get(money, {
    config: { access: { roles: 'any' } },
    schema: { tags, summary: '某区的考核费用：核算、示范点经费、核算表、拨付与分配', params: snapshotParams, response: { 200: districtMoneySchema, ...stdErrors } },
    handler: async (req) => moneyOf(req),
  });

  r.post(`${money}/site-funds`, {
    config: { access: { roles: CITY_ADMIN, reauth: true } },
    schema: { tags, summary: '确定示范点（街道或社区）并发放工作经费（金额与理由）', params: snapshotParams, body: siteFundInput, response: { 200: districtMoneySchema, ...stdErrors } },
    handler: async (req) => {
      await addSiteFund(ctx, requireAuth(req), req.params.campaignId, req.params.orgUnitId, req.body);
      return moneyOf(req);
    },
  });

  r.post('/api/site-funds/:id/revoke', {
    config: { access: { roles: CITY_ADMIN, reauth: true } },
    schema: { tags, summary: '撤销示范点经费（审批前，须填写原因，记录保留）', params: idParam, body: reasonBody, response: { 200: districtMoneySchema, ...stdErrors } },
    handler: async (req) => {
      const auth = requireAuth(req);
      const k = await revokeSiteFund(ctx, auth, req.params.id, req.body.reason);
      return districtMoney(ctx.db, auth, k.campaignId, k.districtId);
    },
  });

  r.post(`${money}/compute`, {
    config: { access: { roles: CITY, reauth: true } },
    schema: { tags, summary: '核算（或重新核算）某区考核费用，生成核算表（未冻结或未完成考核时拒绝并说明原因）', params: snapshotParams, response: { 200: feeSheet, ...stdErrors } },
    handler: async (req) => computeFeeSheet(ctx, requireAuth(req), req.params.campaignId, req.params.orgUnitId),
  });

  r.get('/api/fee-sheets/:id', {
    config: { access: { roles: 'any' } },
    schema: { tags, summary: '考核费用核算表', params: idParam, response: { 200: feeSheet, ...stdErrors } },
    handler: async (req) => getFeeSheet(ctx.db, requireAuth(req), req.params.id),
  });

  r.post('/api/fee-sheets/:id/check', {
    config: { access: { roles: CITY, reauth: true } },
    schema: { tags, summary: '复核核算表（不能由核算人本人复核）', params: idParam, body: versionBody, response: { 200: feeSheet, ...stdErrors } },
    handler: async (req) => checkFeeSheet(ctx, requireAuth(req), req.params.id, req.body.version),
  });

  r.post('/api/fee-sheets/:id/approve', {
    config: { access: { roles: CITY_ADMIN, reauth: true } },
    schema: { tags, summary: '审批核算表（金额锁定）；超出专项工作经费时先提示，确认后再审批', params: idParam, body: feeSheetApprove, response: { 200: feeSheet, ...stdErrors } },
    handler: async (req) => approveFeeSheet(ctx, requireAuth(req), req.params.id, req.body),
  });

  r.post('/api/fee-sheets/:id/reopen', {
    config: { access: { roles: CITY_ADMIN, reauth: true } },
    schema: { tags, summary: '重新打开核算（原核算表作废并保留，须填写原因）', params: idParam, body: feeSheetReopen, response: { 200: feeSheet, ...stdErrors } },
    handler: async (req) => reopenFeeSheet(ctx, requireAuth(req), req.params.id, req.body),
  });

  r.post('/api/fee-sheets/:id/document', {
    config: { access: { roles: 'any' } },
    schema: { tags, summary: '打印核算表：文书编号与核验二维码', params: idParam, response: { 200: printedDocumentSchema, ...stdErrors } },
    handler: async (req) => {
      const doc = await feeSheetDocument(ctx, requireAuth(req), req.params.id);
      return printedDocument(doc.docNumber, doc.issuedAt, 'fee_sheet', baseUrlOf(ctx, req));
    },
  });

  r.get('/api/fee-sheets/:id/xlsx', {
    config: { access: { roles: 'any' } },
    schema: { tags, summary: '考核费用核算表 .xlsx（含文书编号与核验二维码）', params: idParam },
    handler: async (req, reply) => {
      const auth = requireAuth(req);
      const doc = await feeSheetDocument(ctx, auth, req.params.id);
      const printed = await printedDocument(doc.docNumber, doc.issuedAt, 'fee_sheet', baseUrlOf(ctx, req));
      return sendDownload(reply, 'xlsx', await feeSheetWorkbook(await getFeeSheet(ctx.db, auth, req.params.id), printed.verifyUrl), 'fee-sheet');
    },
  });

  r.post(`${money}/payments`, {
    config: { access: { roles: CITY_ADMIN, reauth: true } },
    schema: { tags, summary: '登记拨付（日期、金额、凭证号）；累计拨付不能超过审批金额', params: snapshotParams, body: paymentInput, response: { 200: districtMoneySchema, ...stdErrors } },
    handler: async (req) => {
      await addPayment(ctx, requireAuth(req), req.params.campaignId, req.params.orgUnitId, req.body);
      return moneyOf(req);
    },
  });

  r.post('/api/payments/:id/attachment', {
    config: { access: { roles: CITY_ADMIN } },
    schema: { tags, summary: '上传拨付凭证附件（multipart：file）', consumes: ['multipart/form-data'], params: idParam, response: { 200: districtMoneySchema, 413: stdErrors[400], ...stdErrors } },
    handler: async (req) => {
      const auth = requireAuth(req);
      await paymentInScope(ctx.db, auth, req.params.id); // 404 before reading the upload
      const stored = await receiveEvidence(ctx, req, {}, '拨付凭证');
      const k = await setPaymentAttachment(ctx, auth, req.params.id, stored);
      return districtMoney(ctx.db, auth, k.campaignId, k.districtId);
    },
  });

  r.get('/api/payments/:id/attachment', {
    config: { access: { roles: 'any' } },
    schema: { tags, summary: '查看/下载拨付凭证附件', params: idParam, querystring: z.object({ download: z.enum(['1']).optional() }) },
    handler: async (req, reply) => {
      const auth = requireAuth(req);
      const p = await paymentInScope(ctx.db, auth, req.params.id);
      if (!p.attachment_sha256) throw notFound('没有附件');
      await recordAudit(ctx.db, ctx.dialect, auth.actor, { event: 'fees.payment.attachment.view', objectType: 'payment', objectId: Number(p.id) });
      return sendStoredFile(reply, evidenceStream(ctx.config.dataDir, p.attachment_sha256), { mime: p.attachment_mime ?? 'application/octet-stream', sizeBytes: Number(p.attachment_size ?? 0), fileName: p.attachment_name ?? '凭证', fallback: `payment-${p.id}` }, !!req.query.download);
    },
  });

  r.post('/api/payments/:id/void', {
    config: { access: { roles: CITY_ADMIN, reauth: true } },
    schema: { tags, summary: '作废拨付记录（须填写原因，记录保留）', params: idParam, body: reasonBody, response: { 200: districtMoneySchema, ...stdErrors } },
    handler: async (req) => {
      const auth = requireAuth(req);
      const k = await voidPayment(ctx, auth, req.params.id, req.body.reason);
      return districtMoney(ctx.db, auth, k.campaignId, k.districtId);
    },
  });

  r.put(`${money}/allocation`, {
    config: { access: { roles: ['district_admin'], reauth: true } },
    schema: { tags, summary: '本区考核费用分配（按四项用途、按街道社区）；合计不能超过已到账金额', params: snapshotParams, body: allocationInput, response: { 200: districtMoneySchema, ...stdErrors } },
    handler: async (req) => {
      await saveAllocation(ctx, requireAuth(req), req.params.campaignId, req.params.orgUnitId, req.body);
      return moneyOf(req);
    },
  });
}
