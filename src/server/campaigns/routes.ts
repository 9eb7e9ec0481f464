// HTTP: campaigns. Everyone reads; the city admin copies, edits and changes status.
import type { FastifyInstance } from 'fastify';
import { campaign, campaignCopy, campaignList, campaignTransition, campaignUpdate, idParam } from '../../shared/api.js';
import type { AppCtx } from '../context.js';
import { zapp, stdErrors } from '../http.js';
import { requireAuth } from '../auth/access.js';
import { notFound } from '../errors.js';
import { getCampaignRow, listCampaignRows, loadCampaign } from './store.js';
import { copyCampaign, transitionCampaign, updateCampaign } from './service.js';

export async function campaignRoutes(app: FastifyInstance, { ctx }: { ctx: AppCtx }) {
  const r = zapp(app);

  r.get('/api/campaigns', {
    config: { access: { roles: 'any' } },
    schema: { tags: ['campaigns'], summary: '考核批次列表', response: { 200: campaignList, ...stdErrors } },
    handler: async () => {
      const rows = await listCampaignRows(ctx.db);
      return {
        items: rows.map((r) => ({
          id: Number(r.id),
          code: r.code,
          name: r.name,
          year: Number(r.year),
          status: r.status as 'draft' | 'active' | 'closed',
          selfAssessmentDeadline: r.self_assessment_deadline,
          dataCutoff: r.data_cutoff,
          updatedAt: r.updated_at,
        })),
      };
    },
  });

  r.get('/api/campaigns/:id', {
    config: { access: { roles: 'any' } },
    schema: { tags: ['campaigns'], summary: '考核批次详情（考核表、费用规则、名额、先进个人申报条件、材料报送联系人）', params: idParam, response: { 200: campaign, ...stdErrors } },
    handler: async (req) => {
      const row = await getCampaignRow(ctx.db, req.params.id);
      if (!row) throw notFound('考核批次不存在');
      return loadCampaign(ctx.db, row);
    },
  });

  r.post('/api/campaigns', {
    config: { access: { roles: ['city_admin'], reauth: true } },
    schema: { tags: ['campaigns'], summary: '复制为新批次（草稿）', body: campaignCopy, response: { 200: campaign, ...stdErrors } },
    handler: async (req) => copyCampaign(ctx, requireAuth(req).actor, req.body),
  });

  r.put('/api/campaigns/:id', {
    config: { access: { roles: ['city_admin'], reauth: true } },
    schema: { tags: ['campaigns'], summary: '修改批次（考核表、费用规则、名额和申报条件只在草稿时可改；时间安排和材料报送联系人随时可改）', params: idParam, body: campaignUpdate, response: { 200: campaign, ...stdErrors } },
    handler: async (req) => updateCampaign(ctx, requireAuth(req).actor, req.params.id, req.body),
  });

  r.post('/api/campaigns/:id/status', {
    config: { access: { roles: ['city_admin'], reauth: true } },
    schema: { tags: ['campaigns'], summary: '启用或结束批次', params: idParam, body: campaignTransition, response: { 200: campaign, ...stdErrors } },
    handler: async (req) => transitionCampaign(ctx, requireAuth(req).actor, req.params.id, req.body.status, req.body.version),
  });
}
