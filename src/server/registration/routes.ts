// HTTP: registration records and the valid count. Entry roles write in their own subtree; every
// role reads its subtree (viewer: masked); lists are always masked.
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { idParam, okBody } from '../../shared/api.js';
import {
  registration,
  registrationCreate,
  registrationDetail,
  registrationListQuery,
  registrationExportQuery,
  exportProgress,
  exportProgressToken,
  registrationFilterQuery,
  registrationCount,
  registrationBulkDelete,
  MAX_LIST_OFFSET,
  type RegistrationFilterQuery,
  registrationPage,
  registrationUpdate,
  validCountQuery,
  validCountResponse,
} from '../../shared/api-registration.js';
import type { AppCtx } from '../context.js';
import { zapp, stdErrors } from '../http.js';
import { requireAuth, type AuthInfo } from '../auth/access.js';
import { invalidInput, notFound } from '../errors.js';
import { dayEnd, dayStart } from '../clock.js';
import { getOrgUnit, inScope } from '../orgs/store.js';
import { maskIdNumber, normalizeIdNumber } from '../../domain/id-number.js';
import { countedElsewhere, listRegistrations, toRegistration, type RegistrationFilter } from './store.js';
import type { OrgUnitRow } from '../db/schema.js';
import { chooseCountedRecord, createRegistration, deleteRegistration, deleteRegistrations, getRegistration, updateRegistration } from './service.js';
import { countRegistrations } from './filter-count.js';
import { validCount } from './counts.js';
import { exportDetailTable } from './export.js';
import { exportHeaders } from '../export/send.js';
import { exportProgressFor, trackExport } from '../export/progress.js';
import { FULL_VIEW_ROLES } from './service.js';
import { recordAudit } from '../audit/store.js';
import { scrubText } from '../../domain/masking.js';
import { toHalfWidth } from '../../shared/text.js';

const WRITERS = ['city_admin', 'district_admin', 'clerk', 'surveyor'] as const;

export async function registrationRoutes(app: FastifyInstance, { ctx }: { ctx: AppCtx }) {
  const r = zapp(app);

  r.get('/api/registrations', {
    config: { access: { roles: 'any' } },
    schema: { tags: ['registration'], summary: '登记记录列表（键集分页，脱敏）', querystring: registrationListQuery, response: { 200: registrationPage, ...stdErrors } },
    handler: async (req) => {
      const auth = requireAuth(req);
      const { filter } = await resolveFilter(ctx, auth, req.query);
      const { before, page, sort, limit } = req.query;
      if (before !== undefined && (page !== undefined || (sort !== undefined && sort !== '-enteredAt'))) throw invalidInput('翻页参数 before 只用于默认排序，不能与页码或其他排序同时使用');
      const offset = page === undefined ? 0 : (page - 1) * limit;
      if (offset > MAX_LIST_OFFSET) throw invalidInput(`只能翻阅前 ${MAX_LIST_OFFSET.toLocaleString('en-US')} 条记录，请缩小筛选范围或导出明细`);
      const { rows, nextCursor } = await listRegistrations(ctx.db, { ...filter, before, limit, offset, sort });
      const elsewhere = await countedElsewhere(ctx.db, rows);
      return { items: rows.map((row) => toRegistration(row, { mask: true, elsewhere: elsewhere.get(row.id_number) ?? null })), nextCursor };
    },
  });

  r.get('/api/registrations/count', {
    config: { access: { roles: 'any' } },
    schema: {
      tags: ['registration'],
      summary: '符合列表筛选条件的记录数（由统计表得出；多个条件同时筛选大范围时为估算，并注明）',
      querystring: registrationFilterQuery,
      response: { 200: registrationCount, ...stdErrors },
    },
    handler: async (req) => {
      const { filter } = await resolveFilter(ctx, requireAuth(req), req.query);
      return countRegistrations(ctx.db, filter, { from: req.query.enteredFrom, to: req.query.enteredTo });
    },
  });

  r.post('/api/registrations/bulk-delete', {
    config: { access: { roles: WRITERS } },
    schema: {
      tags: ['registration'],
      summary: '批量删除所选的无效登记记录（全部成功或全部不删）',
      body: registrationBulkDelete,
      response: { 200: z.object({ deleted: z.number().int() }), ...stdErrors },
    },
    handler: async (req) => ({ deleted: await deleteRegistrations(ctx, requireAuth(req), req.body.items) }),
  });

  r.get('/api/registrations/:id', {
    config: { access: { roles: 'any' } },
    schema: { tags: ['registration'], summary: '登记记录详情及修改历史（查看完整信息会记入审计日志）', params: idParam, response: { 200: registrationDetail, ...stdErrors } },
    handler: async (req) => getRegistration(ctx, requireAuth(req), req.params.id),
  });

  r.post('/api/registrations', {
    config: { access: { roles: WRITERS } },
    schema: { tags: ['registration'], summary: '新增登记记录（保存校验结果）', body: registrationCreate, response: { 200: registration, ...stdErrors } },
    handler: async (req) => createRegistration(ctx, requireAuth(req), req.body),
  });

  r.put('/api/registrations/:id', {
    config: { access: { roles: WRITERS } },
    schema: { tags: ['registration'], summary: '修改登记记录（版本冲突时拒绝）', params: idParam, body: registrationUpdate, response: { 200: registration, ...stdErrors } },
    handler: async (req) => updateRegistration(ctx, requireAuth(req), req.params.id, req.body),
  });

  r.delete('/api/registrations/:id', {
    config: { access: { roles: WRITERS } },
    schema: {
      tags: ['registration'],
      summary: '删除登记记录',
      params: idParam,
      querystring: z.object({ version: z.coerce.number().int().nonnegative() }),
      response: { 200: okBody, ...stdErrors },
    },
    handler: async (req) => {
      await deleteRegistration(ctx, requireAuth(req), req.params.id, req.query.version);
      return { ok: true as const };
    },
  });

  r.post('/api/registrations/:id/count', {
    config: { access: { roles: ['city_admin'] } },
    schema: {
      tags: ['registration'],
      summary: '市级决定某人以哪条记录计入有效数据（须说明理由）',
      params: idParam,
      body: z.strictObject({ reason: z.string().trim().min(2, '请填写理由').max(200) }),
      response: { 200: registrationDetail, ...stdErrors },
    },
    handler: async (req) => chooseCountedRecord(ctx, requireAuth(req), req.params.id, req.body.reason),
  });

  r.get('/api/registrations/valid-count', {
    config: { access: { roles: 'any' } },
    schema: { tags: ['registration'], summary: '有效数据人数及构成（可指定截止日期）', querystring: validCountQuery, response: { 200: validCountResponse, ...stdErrors } },
    handler: async (req) => {
      const auth = requireAuth(req);
      const unit = await getOrgUnit(ctx.db, req.query.orgUnitId);
      if (!unit || !inScope(auth.scope, unit.path)) throw notFound('单位不存在');
      const c = await validCount(ctx.db, unit.path, req.query.asOf);
      return { orgUnitId: Number(unit.id), asOf: req.query.asOf ?? null, ...c };
    },
  });

  r.get('/api/registrations/export', {
    config: { access: { roles: 'any' } },
    schema: {
      tags: ['registration'],
      summary: '导出人员明细数据表（.xlsx 或 .csv，按列表筛选条件；导出记入审计日志）',
      querystring: registrationExportQuery,
    },
    handler: async (req, reply) => {
      const auth = requireAuth(req);
      const q = req.query;
      const resolved = await resolveFilter(ctx, auth, q);
      const { unit } = resolved;
      const filter = q.ids ? { ...resolved.filter, ids: q.ids } : resolved.filter;
      const mask = !FULL_VIEW_ROLES.includes(auth.role);
      const title = `人员明细数据表-${unit?.name ?? auth.orgUnit.name}`;
      // The filter as asked, but never the data: a search by ID number is logged masked.
      const exported = { format: q.format, masked: mask, filter: { ...q, format: undefined, ids: undefined, progress: undefined, q: q.q === undefined ? undefined : termForLog(q.q) }, selected: q.ids?.length };
      // The page asked to follow the export (issue 14): the rows in all from the list's own count
      // (exact, or an estimate labelled so), then the rows written after each page.
      const tracker = q.progress ? trackExport(Number(auth.user.id), q.progress) : null;
      if (tracker) {
        const count = await countRegistrations(ctx.db, filter, { from: q.enteredFrom, to: q.enteredTo }).catch((err: unknown) => {
          req.log.warn({ err }, 'could not count the export rows for its progress');
          return null;
        });
        if (count) tracker.total(count.total, count.kind !== 'exact');
      }
      const stream = exportDetailTable(ctx.db, filter, {
        format: q.format,
        mask,
        sheetName: '人员明细',
        onRows: (rows) => tracker?.rows(rows),
        onDone: async (rows) => {
          await recordAudit(ctx.db, ctx.dialect, auth.actor, {
            event: 'registration.export',
            objectType: 'org_unit',
            objectId: unit ? Number(unit.id) : null,
            after: { ...exported, rows },
          });
          tracker?.finish(rows);
        },
        // A failure part-way: logged, and recorded as a failed export with the rows sent until then.
        onFail: async (err, rowsWritten) => {
          tracker?.fail();
          req.log.error({ err, rowsWritten }, 'registration export failed part-way');
          await recordAudit(ctx.db, ctx.dialect, auth.actor, {
            event: 'registration.export',
            objectType: 'org_unit',
            objectId: unit ? Number(unit.id) : null,
            success: false,
            after: { ...exported, rowsWritten, error: '导出中途失败' },
          });
        },
      });
      return exportHeaders(reply, q.format, title, 'export').send(stream);
    },
  });

  r.get('/api/registrations/export-progress/:token', {
    config: { access: { roles: 'any' } },
    schema: {
      tags: ['registration'],
      summary: '导出进度（已写入行数 / 总行数；仅发起导出的用户可查询）',
      params: z.object({ token: exportProgressToken }),
      response: { 200: exportProgress, ...stdErrors },
    },
    handler: async (req) => {
      const auth = requireAuth(req);
      const p = exportProgressFor(Number(auth.user.id), req.params.token);
      if (!p) throw notFound('导出进度不存在（导出尚未开始或已结束超过一分钟）');
      return p;
    },
  });
}

/** A search term as the audit log keeps it: an ID number (however typed) masked 6 + 4, other text scrubbed. */
function termForLog(term: string): string {
  const t = toHalfWidth(term).trim();
  return /^[0-9xX ]{6,}$/.test(t) ? maskIdNumber(normalizeIdNumber(t)) : scrubText(t);
}

/** The API's filters → the store's, with the unit checked against the caller's scope (404 outside). */
async function resolveFilter(ctx: AppCtx, auth: AuthInfo, q: RegistrationFilterQuery): Promise<{ filter: RegistrationFilter; unit: OrgUnitRow | null }> {
  let unit: OrgUnitRow | null = null;
  if (q.orgUnitId) {
    unit = (await getOrgUnit(ctx.db, q.orgUnitId)) ?? null;
    if (!unit || !inScope(auth.scope, unit.path)) throw notFound('单位不存在');
  }
  // Without a unit: the caller's whole scope (the city, or their own unit).
  const listed = unit ?? (auth.scope.isCity ? null : auth.orgUnit);
  if (q.insStatus !== undefined && q.insType === undefined) throw invalidInput('按参保状态筛选时请同时选择险种');
  if (q.enteredFrom && q.enteredTo && q.enteredFrom > q.enteredTo) throw invalidInput('录入日期的起始日期不能晚于结束日期');
  const term = q.q?.trim();
  const looksLikeId = !!term && /^[0-9０-９xX ]{6,}$/.test(term);
  return {
    unit,
    filter: {
      unitPath: unit ? unit.path : auth.scope.rootPath,
      districtId: listed?.level === 'district' ? Number(listed.id) : undefined,
      valid: q.valid === undefined ? undefined : q.valid === 'true',
      duplicate: q.duplicate === undefined ? undefined : q.duplicate === 'true',
      idNumber: looksLikeId ? normalizeIdNumber(term) : undefined,
      name: term && !looksLikeId ? term : undefined,
      insurance: q.insType && q.insStatus !== undefined ? { type: q.insType, status: q.insStatus } : undefined,
      personCategory: q.personCategory,
      enteredFrom: q.enteredFrom ? dayStart(q.enteredFrom) : undefined,
      enteredBefore: q.enteredTo ? dayEnd(q.enteredTo) : undefined,
      surveyor: q.surveyor,
      coded: Object.fromEntries(
        ([['sex', q.sex], ['hukou_type', q.hukouType], ['uninsured_reason', q.uninsuredReason], ['willingness', q.willingness]] as const).filter(([, v]) => v !== undefined).map(([c, v]) => [c, v === 'none' ? null : v]),
      ),
      birthYearFrom: q.birthYearFrom,
      birthYearTo: q.birthYearTo,
      birthUnknown: q.birthUnknown === 'true' ? true : undefined,
      errorField: q.errorField,
    },
  };
}
