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
  snapshotParams,
} from '../../shared/api-fees.js';
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

}
