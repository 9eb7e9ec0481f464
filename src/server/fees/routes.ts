// HTTP: fees (考核费用) — so far the valid count frozen at the data cutoff. Everyone in scope reads;
// only a city admin freezes or re-freezes (with a reason).
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { idParam } from '../../shared/api.js';
import {
  countSnapshot,
  countSnapshotHistory,
  countSnapshotTake,
  feeComputation as feeComputationSchema,
  nomination,
  nominationEvaluate,
  nominationInput,
  nominationList,
  nominationSubmit,
  nominationUpdate,
  snapshotParams,
} from '../../shared/api-fees.js';
import { createNomination, evaluateNomination, getNomination, listNominations, submitNomination, updateNomination } from './nominations.js';
import { feeComputation } from './compute.js';
import type { AppCtx } from '../context.js';
import { zapp, stdErrors } from '../http.js';
import { requireAuth } from '../auth/access.js';
import { snapshotHistory, takeSnapshot } from './snapshots.js';

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
    config: { access: { roles: ['city_admin'] } },
    schema: { tags, summary: '冻结（或填写原因后重新冻结）某区截至数据截止日的有效数据', params: snapshotParams, body: countSnapshotTake, response: { 200: countSnapshot, ...stdErrors } },
    handler: async (req) => takeSnapshot(ctx, requireAuth(req), req.params.campaignId, req.params.orgUnitId, req.body.reason),
  });

  r.get('/api/campaigns/:campaignId/fees/:orgUnitId', {
    config: { access: { roles: 'any' } },
    schema: { tags, summary: '某区的考核费用：冻结的有效数据 × 基准费用 × 最终得分档次（未冻结或未完成考核时说明原因）', params: snapshotParams, response: { 200: feeComputationSchema, ...stdErrors } },
    handler: async (req) => feeComputation(ctx.db, requireAuth(req), req.params.campaignId, req.params.orgUnitId),
  });

  const campaignParam = z.object({ campaignId: snapshotParams.shape.campaignId });

  r.get('/api/campaigns/:campaignId/nominations', {
    config: { access: { roles: 'any' } },
    schema: { tags, summary: '先进个人推荐：本人可见单位的推荐表与名额使用情况', params: campaignParam, response: { 200: nominationList, ...stdErrors } },
    handler: async (req) => listNominations(ctx.db, requireAuth(req), req.params.campaignId),
  });

  r.post('/api/campaigns/:campaignId/nominations', {
    config: { access: { roles: ['district_admin', 'city_admin'] } },
    schema: { tags, summary: '填写先进个人推荐表（草稿）', params: campaignParam, body: nominationInput, response: { 200: nomination, ...stdErrors } },
    handler: async (req) => createNomination(ctx, requireAuth(req), req.params.campaignId, req.body),
  });

  r.get('/api/nominations/:id', {
    config: { access: { roles: 'any' } },
    schema: { tags, summary: '推荐表', params: idParam, response: { 200: nomination, ...stdErrors } },
    handler: async (req) => getNomination(ctx.db, requireAuth(req), req.params.id),
  });

  r.put('/api/nominations/:id', {
    config: { access: { roles: ['district_admin', 'city_admin'] } },
    schema: { tags, summary: '修改推荐表（草稿）', params: idParam, body: nominationUpdate, response: { 200: nomination, ...stdErrors } },
    handler: async (req) => updateNomination(ctx, requireAuth(req), req.params.id, req.body),
  });

  r.post('/api/nominations/:id/submit', {
    config: { access: { roles: ['district_admin', 'city_admin'] } },
    schema: { tags, summary: '提交推荐（截止日期前，不超过本单位名额）', params: idParam, body: nominationSubmit, response: { 200: nomination, ...stdErrors } },
    handler: async (req) => submitNomination(ctx, requireAuth(req), req.params.id, req.body.version),
  });

  r.post('/api/nominations/:id/evaluate', {
    config: { access: { roles: ['city_admin', 'city_assessor'] } },
    schema: { tags, summary: '市级评审：通过或不通过，附意见', params: idParam, body: nominationEvaluate, response: { 200: nomination, ...stdErrors } },
    handler: async (req) => evaluateNomination(ctx, requireAuth(req), req.params.id, req.body),
  });
}
