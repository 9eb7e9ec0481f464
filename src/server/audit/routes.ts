// HTTP: browse, verify and export the audit log (city admin). There is no route that changes or
// deletes it.
import type { FastifyInstance } from 'fastify';
import { auditExportQuery, auditPage, auditQuery, auditStatus as auditStatusBody, auditVerify } from '../../shared/api.js';
import type { AppCtx } from '../context.js';
import { zapp, stdErrors } from '../http.js';
import { requireAuth } from '../auth/access.js';
import { invalidInput } from '../errors.js';
import { now, nowIso, todayShanghai } from '../clock.js';
import { listAudit, recordAudit, toIsoBefore, toIsoStart } from './store.js';
import { auditKeyOf, auditStatus, checkAudit, latestAuditHead } from './guard.js';
import { archiveSpan, exportAuditJson, exportAuditXlsx } from './archive.js';
import type { AuditCheck } from './verify.js';

const checkBody = (c: AuditCheck) => ({
  ok: c.ok,
  code: c.code,
  reason: c.reason,
  mode: c.mode,
  checked: c.checked,
  firstBadId: c.firstBadId,
  checkedAt: c.checkedAt,
  total: c.position.count,
});

export async function auditRoutes(app: FastifyInstance, { ctx }: { ctx: AppCtx }) {
  const r = zapp(app);

  r.get('/api/audit', {
    config: { access: { roles: ['city_admin'] } },
    schema: { tags: ['audit'], summary: '审计日志（按时间倒序或正序 order=desc|asc，键集分页：倒序用 before、正序用 after）', querystring: auditQuery, response: { 200: auditPage, ...stdErrors } },
    handler: async (req) => {
      const q = req.query;
      return listAudit(ctx.db, { ...q, success: q.success === undefined ? undefined : q.success === 'true' });
    },
  });

  r.get('/api/audit/verify', {
    config: { access: { roles: ['city_admin'] } },
    schema: { tags: ['audit'], summary: '完整校验审计日志（哈希链、校验码、已记录的锚点）', response: { 200: auditVerify, ...stdErrors } },
    handler: async () => checkBody(await checkAudit(ctx, app.log, { full: true, headReason: 'verify' })),
  });

  r.get('/api/audit/status', {
    config: { access: { roles: ['city_admin'] } },
    schema: { tags: ['audit'], summary: '审计日志最近一次校验结果（首页告警用）', response: { 200: auditStatusBody, ...stdErrors } },
    handler: async () => {
      const check = auditStatus(ctx);
      const head = latestAuditHead(ctx);
      return {
        check: check ? checkBody(check) : null,
        lastHead: head ? { at: head.at, count: head.count, lastId: head.lastId, reason: head.reason } : null,
      };
    },
  });

  r.get('/api/audit/export', {
    config: { access: { roles: ['city_admin'] } },
    schema: {
      tags: ['audit'],
      summary: '导出审计日志（.xlsx 或签名的 JSON 归档；导出本身记入审计日志）',
      querystring: auditExportQuery,
    },
    handler: async (req, reply) => {
      const auth = requireAuth(req);
      const { format } = req.query;
      // By default the last 180 days (网络安全法 §21), in Shanghai days.
      const to = req.query.to ?? todayShanghai();
      const from = req.query.from ?? todayShanghai(new Date(now().getTime() - 180 * 86_400_000));
      const range = { fromIso: toIsoStart(from), beforeIso: toIsoBefore(to) };
      if (range.fromIso >= range.beforeIso) throw invalidInput('开始日期不能晚于结束日期');
      const span = (await archiveSpan(ctx.db, range)) ?? { firstId: 1, lastId: 0, count: 0 };
      await recordAudit(ctx.db, ctx.dialect, auth.actor, {
        event: 'audit.export',
        objectType: 'audit_log',
        after: { format, from, to, entries: span.count, firstId: span.count ? span.firstId : null, lastId: span.count ? span.lastId : null },
      });
      const title = `审计日志-${from}-${to}`.replace(/[^\w\u4e00-\u9fff-]/g, '_');
      const stream =
        format === 'json'
          ? exportAuditJson(ctx.db, auditKeyOf(ctx), span, { from, to, createdAt: nowIso(), createdBy: auth.actor.username })
          : exportAuditXlsx(ctx.db, span);
      return reply
        .header('Content-Type', format === 'json' ? 'application/json; charset=utf-8' : 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
        .header('Content-Disposition', `attachment; filename="audit-log.${format}"; filename*=UTF-8''${encodeURIComponent(`${title}.${format}`)}`)
        .send(stream);
    },
  });
}
