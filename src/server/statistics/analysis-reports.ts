// The districts' analysis reports (分析报告): the district's admin uploads the final version (Word or
// PDF, checked by content) of the draft the system generated, then submits it to the city (报送);
// the submission is recorded with its time and the file's SHA-256. The city sees every district's.
import type { AppCtx } from '../context.js';
import type { AuthInfo } from '../auth/access.js';
import type { AnyDb } from '../db/dialect.js';
import type { AnalysisReport } from '../../shared/api-statistics.js';
import { audited } from '../audit/audited.js';
import { conflict, forbidden, invalidInput, notFound } from '../errors.js';
import { nowIso } from '../clock.js';
import { inScope } from '../orgs/store.js';
import { resolveKey } from '../assessments/service.js';
import { startedCampaignRow } from '../campaigns/store.js';

const REPORT_TYPES = new Set(['application/vnd.openxmlformats-officedocument.wordprocessingml.document', 'application/msword', 'application/pdf']);

async function rowOf(db: AnyDb, campaignId: number, districtId: number) {
  return db
    .selectFrom('analysis_report as a')
    .leftJoin('app_user as u', 'u.id', 'a.uploaded_by')
    .leftJoin('app_user as s', 's.id', 'a.submitted_by')
    .selectAll('a')
    .select(['u.display_name as uploader', 's.display_name as submitter'])
    .where('a.campaign_id', '=', campaignId)
    .where('a.org_unit_id', '=', districtId)
    .executeTakeFirst();
}

function view(unit: { id: number; name: string }, r: Awaited<ReturnType<typeof rowOf>>): AnalysisReport {
  return {
    orgUnitId: Number(unit.id),
    orgUnitName: unit.name,
    status: r ? (r.status as 'uploaded' | 'submitted') : 'none',
    id: r ? Number(r.id) : null,
    fileName: r?.file_name ?? null,
    sizeBytes: r ? Number(r.size_bytes) : null,
    sha256: r?.sha256 ?? null,
    uploadedBy: r?.uploader ?? null,
    uploadedAt: r?.uploaded_at ?? null,
    submittedBy: r?.submitter ?? null,
    submittedAt: r?.submitted_at ?? null,
    version: r ? Number(r.version) : 0,
  };
}

/** Every district in the caller's scope with its report's state. */
export async function listAnalysisReports(db: AnyDb, auth: AuthInfo, campaignId: number): Promise<AnalysisReport[]> {
  await startedCampaignRow(db, campaignId);
  const districts = (await db.selectFrom('org_unit').selectAll().where('level', '=', 'district').orderBy('code').execute()).filter((d) => inScope(auth.scope, d.path));
  return Promise.all(districts.map(async (d) => view({ id: Number(d.id), name: d.name }, await rowOf(db, campaignId, Number(d.id)))));
}

function mayWrite(auth: AuthInfo, districtPath: string): void {
  if (auth.role !== 'district_admin' || !inScope(auth.scope, districtPath)) throw forbidden('分析报告由本区人社部门（区级管理员）上传和报送');
}

/** Uploads (or replaces, before submission) the district's final report. */
export async function uploadAnalysisReport(ctx: AppCtx, auth: AuthInfo, campaignId: number, districtId: number, file: { fileName: string; sha256: string; mime: string; sizeBytes: number }): Promise<AnalysisReport> {
  await audited(ctx, auth.actor, 'statistics.report.upload', async (trx) => {
    const { district } = await resolveKey(trx, auth, { campaignId, orgUnitId: districtId });
    mayWrite(auth, district.path);
    if (!REPORT_TYPES.has(file.mime)) throw invalidInput('分析报告应为 Word（.docx、.doc）或 PDF 文件');
    const before = await rowOf(trx, campaignId, districtId);
    if (before?.status === 'submitted') throw invalidInput('分析报告已报送，不能再替换');
    const values = { status: 'uploaded', sha256: file.sha256, file_name: file.fileName.slice(0, 255), mime: file.mime, size_bytes: file.sizeBytes, uploaded_by: Number(auth.user.id), uploaded_at: nowIso() };
    if (before) await trx.updateTable('analysis_report').set({ ...values, version: Number(before.version) + 1 }).where('id', '=', Number(before.id)).execute();
    else await trx.insertInto('analysis_report').values({ ...values, campaign_id: campaignId, org_unit_id: districtId, submitted_by: null, submitted_at: null, version: 1 }).execute();
    return { result: null, objectType: 'analysis_report', objectId: districtId, before: before ? { sha256: before.sha256 } : undefined, after: { fileName: file.fileName, sha256: file.sha256 } };
  });
  const { district } = await resolveKey(ctx.db, auth, { campaignId, orgUnitId: districtId });
  return view({ id: Number(district.id), name: district.name }, await rowOf(ctx.db, campaignId, districtId));
}

/** 报送: the uploaded version goes to the city, recorded with its time and hash. */
export async function submitAnalysisReport(ctx: AppCtx, auth: AuthInfo, campaignId: number, districtId: number, version: number): Promise<AnalysisReport> {
  await audited(ctx, auth.actor, 'statistics.report.submit', async (trx) => {
    const { district } = await resolveKey(trx, auth, { campaignId, orgUnitId: districtId });
    mayWrite(auth, district.path);
    const r = await rowOf(trx, campaignId, districtId);
    if (!r) throw invalidInput('请先上传修改完善后的分析报告');
    if (r.status === 'submitted') throw invalidInput('分析报告已报送');
    if (Number(r.version) !== version) throw conflict('分析报告已被替换，请刷新后确认再报送');
    const at = nowIso();
    await trx.updateTable('analysis_report').set({ status: 'submitted', submitted_by: Number(auth.user.id), submitted_at: at, version: version + 1 }).where('id', '=', Number(r.id)).execute();
    return { result: null, objectType: 'analysis_report', objectId: Number(r.id), after: { submittedAt: at, sha256: r.sha256, fileName: r.file_name } };
  });
  const { district } = await resolveKey(ctx.db, auth, { campaignId, orgUnitId: districtId });
  return view({ id: Number(district.id), name: district.name }, await rowOf(ctx.db, campaignId, districtId));
}

/** A report file the caller may see (404 otherwise). */
export async function analysisReportFile(db: AnyDb, auth: AuthInfo, id: number) {
  const r = await db.selectFrom('analysis_report as a').innerJoin('org_unit as o', 'o.id', 'a.org_unit_id').selectAll('a').select('o.path').where('a.id', '=', id).executeTakeFirst();
  if (!r || !inScope(auth.scope, r.path)) throw notFound('分析报告不存在');
  return r;
}
