// HTTP: upload an .xlsx/.csv for import (multipart), read a batch's report, download its rejected
// rows as .xlsx. The upload is stored under a generated name, never the one sent (uploads.ts).
import fs from 'node:fs';
import type { FastifyInstance } from 'fastify';
import ExcelJS from 'exceljs';
import { idParam } from '../../../shared/api.js';
import type { AppCtx } from '../../context.js';
import { zapp, stdErrors } from '../../http.js';
import { requireAuth } from '../../auth/access.js';
import { AppError, invalidInput, notFound } from '../../errors.js';
import { recordAudit } from '../../audit/store.js';
import { getOrgUnit, inScope, pathPrefixFilter } from '../../orgs/store.js';
import { neutraliseCell } from '../../export/cells.js';
import { startImportJob, getImportJob } from './jobs.js';
import { batchOutcome, rejectsFor } from './batches.js';
import { problemWorkbook } from './problem-rows.js';
import { FULL_VIEW_ROLES } from '../service.js';
import { z } from 'zod';
import { importBatchSummary, importJob, importReport, type ImportBatchStatus } from '../../../shared/api-registration.js';
import { DEFAULT_LIMITS, detectKind } from './reader.js';
import { receiveFile } from '../../uploads.js';
import { sendDownload } from '../../export/send.js';

const WRITERS = ['city_admin', 'district_admin', 'clerk', 'surveyor'] as const;


async function batchInScope(ctx: AppCtx, req: Parameters<typeof requireAuth>[0], id: number) {
  const auth = requireAuth(req);
  const batch = await ctx.db.selectFrom('import_batch').selectAll().where('id', '=', id).executeTakeFirst();
  if (!batch) throw notFound('导入批次不存在');
  const unit = await getOrgUnit(ctx.db, batch.org_unit_id);
  if (!unit || !inScope(auth.scope, unit.path)) throw notFound('导入批次不存在');
  return { auth, batch };
}

export async function importRoutes(app: FastifyInstance, { ctx }: { ctx: AppCtx }) {
  const r = zapp(app);

  r.post('/api/registrations/imports', {
    config: { access: { roles: WRITERS } },
    schema: {
      tags: ['registration'],
      summary: '导入登记表（multipart/form-data：file、orgUnitId、mode=all|valid、overwriteNames=true 允许更正已登记人员的姓名/出生日期/性别、sheet=工作表名称）；后台执行，轮询 import-jobs 查看进度与结果',
      consumes: ['multipart/form-data'],
      response: { 202: importJob, 413: stdErrors[400], ...stdErrors },
    },
    handler: async (req, reply) => {
      const auth = requireAuth(req);
      const { path: stored, fileName, fields } = await receiveFile(req, ctx.config.dataDir, {
        maxBytes: DEFAULT_LIMITS.maxBytes,
        maxFields: 10,
        tooLarge: `文件超过 ${DEFAULT_LIMITS.maxBytes / 1024 / 1024} MB 上限，请拆分后分批导入`,
        noFile: '请选择要导入的文件',
        defaultName: '上传文件',
      });
      let started = false;
      try {
        const orgUnitId = Number(fields.orgUnitId);
        if (!Number.isInteger(orgUnitId) || orgUnitId <= 0) throw invalidInput('请选择导入到的单位');
        const mode = fields.mode === 'valid' ? 'valid' : fields.mode === 'all' || fields.mode === undefined ? 'all' : null;
        if (!mode) throw invalidInput('导入方式应为 all（全部成功才导入）或 valid（只导入有效行）');
        const overwriteNames = fields.overwriteNames === 'true';
        const sheet = typeof fields.sheet === 'string' && fields.sheet.trim() !== '' ? fields.sheet.trim().slice(0, 100) : undefined;
        // What can be refused at once is refused here; the rest is reported by the job.
        const unit = await getOrgUnit(ctx.db, orgUnitId);
        if (!unit || !inScope(auth.scope, unit.path)) throw notFound('单位不存在');
        if ((await fs.promises.stat(stored)).size === 0) throw invalidInput('文件为空');
        await detectKind(stored);
        const job = await startImportJob(ctx, auth, { path: stored, fileName, orgUnitId, mode, overwriteNames, ...(sheet ? { sheet } : {}) }, () => fs.rmSync(stored, { force: true }));
        started = true;
        return reply.code(202).send(job);
      } catch (err) {
        // A file refused before its job exists (empty, not a spreadsheet, no such unit) is still traced.
        if (err instanceof AppError) await recordAudit(ctx.db, ctx.dialect, auth.actor, { event: 'registration.import', success: false, after: { fileName, code: err.code, message: err.message } });
        throw err;
      } finally {
        if (!started) fs.rmSync(stored, { force: true });
      }
    },
  });

  r.get('/api/registrations/import-jobs/:jobId', {
    config: { access: { roles: WRITERS } },
    schema: { tags: ['registration'], summary: '导入任务的进度与结果（仅发起人可见）', params: z.object({ jobId: z.string().regex(/^[0-9a-f]{24}$/) }), response: { 200: importJob, ...stdErrors } },
    handler: async (req) => {
      const auth = requireAuth(req);
      const job = await getImportJob(ctx, auth, req.params.jobId);
      if (!job) throw notFound('导入任务不存在或已过期');
      return job;
    },
  });

  r.get('/api/registrations/imports', {
    config: { access: { roles: 'any' } },
    schema: { tags: ['registration'], summary: '最近的导入批次（本人可见范围内，最新的 50 个）', response: { 200: z.object({ items: z.array(importBatchSummary) }), ...stdErrors } },
    handler: async (req) => {
      const auth = requireAuth(req);
      const rows = await ctx.db
        .selectFrom('import_batch as b')
        .innerJoin('org_unit as o', 'o.id', 'b.org_unit_id')
        .innerJoin('app_user as u', 'u.id', 'b.user_id')
        .select(['b.id', 'b.file_name', 'b.mode', 'b.status', 'o.name as org_name', 'u.display_name', 'u.username', 'b.rows_total', 'b.rows_imported', 'b.rows_updated', 'b.rows_unchanged', 'b.rows_rejected', 'b.created_at', 'b.finished_at', 'b.error_message'])
        .where(pathPrefixFilter(auth.scope.isCity ? '/' : auth.scope.rootPath, 'o.path'))
        .orderBy('b.id', 'desc')
        .limit(50)
        .execute();
      return {
        items: rows.map((b) => ({
          batchId: Number(b.id),
          fileName: b.file_name,
          mode: b.mode as 'all' | 'valid',
          status: b.status as ImportBatchStatus,
          error: b.error_message,
          orgUnitName: b.org_name,
          userName: b.display_name || b.username,
          total: Number(b.rows_total),
          imported: Number(b.rows_imported),
          updated: Number(b.rows_updated),
          unchanged: Number(b.rows_unchanged),
          rejected: Number(b.rows_rejected),
          createdAt: b.created_at,
          finishedAt: b.finished_at,
        })),
      };
    },
  });

  r.get('/api/registrations/imports/:id', {
    config: { access: { roles: 'any' } },
    schema: { tags: ['registration'], summary: '导入批次结果', params: idParam, response: { 200: importReport, ...stdErrors } },
    handler: async (req) => {
      const { auth, batch } = await batchInScope(ctx, req, req.params.id);
      return batchOutcome(auth, batch);
    },
  });

  r.get('/api/registrations/imports/:id/rejects.xlsx', {
    config: { access: { roles: 'any' } },
    schema: {
      tags: ['registration'],
      summary: '下载问题行（.xlsx）：可查看完整信息的角色得到文件中的原始行（原有各列、出错单元格标红并加批注、问题列），改正后可直接重新导入；其他角色得到行号/列/问题清单',
      params: idParam,
    },
    handler: async (req, reply) => {
      const { auth, batch } = await batchInScope(ctx, req, req.params.id);
      const rejects = rejectsFor(auth, batch.rejects_json);
      const title = `问题行-${batch.file_name.replace(/\.[^.]*$/, '')}`;
      // The user's own rows hold full ID numbers: only for the roles with the full view.
      const own = FULL_VIEW_ROLES.includes(auth.role) ? await problemWorkbook(ctx, Number(batch.id), rejects) : null;
      if (own) {
        await recordAudit(ctx.db, ctx.dialect, auth.actor, { event: 'registration.import.rejects.export', objectType: 'import_batch', objectId: Number(batch.id), after: { rows: rejects.length, fullRows: true } });
        return sendDownload(reply, 'xlsx', { buffer: own, title }, `rejects-${batch.id}`);
      }
      const wb = new ExcelJS.Workbook();
      const ws = wb.addWorksheet('未导入行');
      ws.columns = [
        { header: '行号', key: 'row', width: 8 },
        { header: '列', key: 'column', width: 24 },
        { header: '问题', key: 'message', width: 80 },
      ];
      ws.getRow(1).font = { bold: true };
      for (const x of rejects) ws.addRow({ row: x.row, column: neutraliseCell(x.column ?? ''), message: neutraliseCell(x.message) });
      const buf = Buffer.from(await wb.xlsx.writeBuffer());
      await recordAudit(ctx.db, ctx.dialect, auth.actor, { event: 'registration.import.rejects.export', objectType: 'import_batch', objectId: Number(batch.id), after: { rows: rejects.length } });
      return sendDownload(reply, 'xlsx', { buffer: buf, title }, `rejects-${batch.id}`);
    },
  });
}
