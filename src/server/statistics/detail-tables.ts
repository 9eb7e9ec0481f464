// Person detail tables (人员明细数据表, issue 7 item 5): the standard tables — all registered
// persons, the insured, the uninsured with reasons and willingness (the list communities follow
// up) — of a district, street or community, generated in the background (one at a time, in a
// worker thread) with progress, downloaded as .xlsx (one sheet per street where asked). ID numbers
// and phones are masked as SPEC says for the role; every generation and download is logged. A
// table belongs to the user who asked for it.
import fs from 'node:fs';
import path from 'node:path';
import type { AppCtx } from '../context.js';
import type { AuthInfo } from '../auth/access.js';
import type { AnyDb } from '../db/dialect.js';
import type { DetailTable, DetailTableKind } from '../../shared/api-statistics.js';
import { DETAIL_TABLE_KIND_LABELS } from '../../shared/api-statistics.js';
import type { RegistrationFilter } from '../registration/store.js';
import { FULL_VIEW_ROLES } from '../registration/service.js';
import { audited } from '../audit/audited.js';
import { invalidInput, notFound } from '../errors.js';
import { nowIso, todayShanghai } from '../clock.js';
import { getOrgUnit, inScope } from '../orgs/store.js';
import { siblingModule, startWorker } from '../workers.js';
import type { DetailWorkerData, DetailWorkerMessage } from './detail-worker.js';

const LEVELS = new Set(['city', 'district', 'street', 'community']);
/** Progress of the table being written (rows so far), kept in memory: the row is updated at the end. */
const progress = new Map<number, { total: number; written: number; startedMs: number }>();
let queue: Promise<void> = Promise.resolve();

export function detailTableDir(ctx: AppCtx): string {
  return path.join(ctx.config.dataDir, 'detail-tables');
}
/** Where a finished table lives under DATA_DIR (backups list and restore files by this path). */
export const detailTableRelPath = (id: number) => path.posix.join('detail-tables', `detail-${id}.xlsx`);
const fileOf = (ctx: AppCtx, id: number) => path.join(ctx.config.dataDir, detailTableRelPath(id));

function view(r: { [k: string]: unknown }, unitName: string): DetailTable {
  const live = progress.get(Number(r.id));
  return {
    id: Number(r.id),
    orgUnitId: Number(r.org_unit_id),
    orgUnitName: unitName,
    kind: r.kind as DetailTableKind,
    perStreet: Number(r.per_street) === 1,
    masked: Number(r.masked) === 1,
    status: r.status as DetailTable['status'],
    rowsTotal: live ? live.total : Number(r.rows_total),
    rowsWritten: live ? live.written : Number(r.rows_written),
    startedAt: live ? new Date(live.startedMs).toISOString() : null,
    elapsedMs: live ? Date.now() - live.startedMs : null,
    fileName: r.file_name as string,
    sizeBytes: r.size_bytes === null ? null : Number(r.size_bytes),
    sha256: (r.sha256 as string | null) ?? null,
    error: (r.error as string | null) ?? null,
    createdAt: r.created_at as string,
    finishedAt: (r.finished_at as string | null) ?? null,
  };
}

async function own(db: AnyDb, auth: AuthInfo, id: number) {
  const r = await db.selectFrom('detail_table as t').innerJoin('org_unit as o', 'o.id', 't.org_unit_id').selectAll('t').select(['o.name', 'o.path']).where('t.id', '=', id).executeTakeFirst();
  // Only its requester, and only while the unit is still in their scope.
  if (!r || Number(r.user_id) !== Number(auth.user.id) || !inScope(auth.scope, r.path)) throw notFound('明细表不存在');
  return r;
}

export async function getDetailTable(db: AnyDb, auth: AuthInfo, id: number): Promise<DetailTable> {
  const r = await own(db, auth, id);
  return view(r, r.name);
}

export async function listDetailTables(db: AnyDb, auth: AuthInfo): Promise<DetailTable[]> {
  const rows = await db.selectFrom('detail_table as t').innerJoin('org_unit as o', 'o.id', 't.org_unit_id').selectAll('t').select(['o.name', 'o.path']).where('t.user_id', '=', Number(auth.user.id)).orderBy('t.id', 'desc').limit(50).execute();
  return rows.filter((r) => inScope(auth.scope, r.path)).map((r) => view(r, r.name));
}

/** Asks for a table: recorded, queued, generated in a worker; answers at once with its state. */
export async function requestDetailTable(ctx: AppCtx, auth: AuthInfo, input: { orgUnitId: number; kind: DetailTableKind; perStreet: boolean }): Promise<DetailTable> {
  const unit = await getOrgUnit(ctx.db, input.orgUnitId);
  if (!unit || !inScope(auth.scope, unit.path) || !LEVELS.has(unit.level)) throw notFound('单位不存在');
  const children = input.perStreet ? (await ctx.db.selectFrom('org_unit').selectAll().where('parent_id', '=', Number(unit.id)).orderBy('code').execute()).filter((u) => LEVELS.has(u.level)) : [];
  if (input.perStreet && !children.length) throw invalidInput(`${unit.name}没有下级单位，不能按下级分表`);
  const mask = !FULL_VIEW_ROLES.includes(auth.role);
  const insured = input.kind === 'all' ? undefined : input.kind === 'insured';
  const filterOf = (u: typeof unit): RegistrationFilter => ({ unitPath: u.path, districtId: u.level === 'district' ? Number(u.id) : undefined, insured });
  const sheets = input.perStreet ? children.map((c) => ({ name: c.name, filter: filterOf(c) })) : [{ name: unit.name, filter: filterOf(unit) }];
  const kindName = DETAIL_TABLE_KIND_LABELS[input.kind].replace(/（.*）$/, '');
  const fileName = `${unit.name}${kindName}-${todayShanghai()}.xlsx`;
  const id = await audited(ctx, auth.actor, 'statistics.detail_table.generate', async (trx) => {
    const row = await trx
      .insertInto('detail_table')
      .values({ user_id: Number(auth.user.id), org_unit_id: Number(unit.id), kind: input.kind, per_street: input.perStreet ? 1 : 0, masked: mask ? 1 : 0, status: 'queued', rows_total: 0, rows_written: 0, file_name: fileName, sha256: null, size_bytes: null, error: null, created_at: nowIso(), finished_at: null })
      .returning('id')
      .executeTakeFirstOrThrow();
    return { result: Number(row.id), objectType: 'detail_table', objectId: Number(row.id), after: { orgUnitId: Number(unit.id), kind: input.kind, perStreet: input.perStreet, masked: mask } };
  });
  queue = queue.then(() => generate(ctx, id, sheets, mask)).catch(() => undefined);
  return getDetailTable(ctx.db, auth, id);
}

/** What the requester is told when a table could not be written: in Chinese, the details logged. */
function detailFailure(err: unknown): string {
  if ((err as { code?: string })?.code === 'ERR_WORKER_OUT_OF_MEMORY') return '生成明细表时超出了内存限制，请按下级单位分表或缩小范围后重新生成';
  console.error('detail table failed', err);
  return '生成明细表时发生内部错误，请重新生成；如仍失败请联系管理员';
}

async function generate(ctx: AppCtx, id: number, sheets: DetailWorkerData['sheets'], mask: boolean): Promise<void> {
  fs.mkdirSync(detailTableDir(ctx), { recursive: true });
  await ctx.db.updateTable('detail_table').set({ status: 'running' }).where('id', '=', id).execute();
  progress.set(id, { total: 0, written: 0, startedMs: Date.now() });
  const data: DetailWorkerData = { db: { databaseUrl: ctx.config.databaseUrl, sqlitePath: ctx.config.sqlitePath, pgSchema: ctx.config.pgSchema }, file: fileOf(ctx, id), sheets, mask };
  try {
    const result = await new Promise<Extract<DetailWorkerMessage, { type: 'done' }>>((resolve, reject) => {
      const worker = startWorker(siblingModule(import.meta.url, 'detail-worker'), { workerData: data, resourceLimits: { maxOldGenerationSizeMb: 128 } });
      worker.on('message', (m: DetailWorkerMessage) => {
        const p = progress.get(id)!;
        if (m.type === 'total') p.total = m.rows;
        else if (m.type === 'progress') p.written = m.rows;
        else if (m.type === 'done') resolve(m);
        else reject(new Error(m.message));
      });
      worker.on('error', reject);
      worker.on('exit', (code) => reject(new Error(`the detail worker exited (${code}) before the end`)));
    });
    const total = progress.get(id)!.total;
    await ctx.db.updateTable('detail_table').set({ status: 'done', rows_total: total, rows_written: result.rows, sha256: result.sha256, size_bytes: result.sizeBytes, finished_at: nowIso() }).where('id', '=', id).execute();
  } catch (err) {
    // A worker that died (out of memory) could not remove its partial file: done here.
    fs.rmSync(fileOf(ctx, id), { force: true });
    fs.rmSync(`${fileOf(ctx, id)}.partial`, { force: true, recursive: true });
    await ctx.db
      .updateTable('detail_table')
      .set({ status: 'failed', error: detailFailure(err), finished_at: nowIso() })
      .where('id', '=', id)
      .execute();
  } finally {
    progress.delete(id);
  }
}

/** Tables left queued or running by a stopped server can never finish: marked failed at start. */
export async function failInterruptedDetailTables(db: AnyDb): Promise<void> {
  await db.updateTable('detail_table').set({ status: 'failed', error: '服务重启，生成中断，请重新生成', finished_at: nowIso() }).where('status', 'in', ['queued', 'running']).execute();
}

/** Resolves when every table asked for so far is written (server shutdown, tests). */
export function detailTablesIdle(): Promise<void> {
  return queue;
}

/** The finished file, for its requester; the download is logged. */
export async function detailTableFile(ctx: AppCtx, auth: AuthInfo, id: number) {
  const r = await own(ctx.db, auth, id);
  if (r.status !== 'done') throw invalidInput('明细表尚未生成完成');
  const file = fileOf(ctx, id);
  if (!fs.existsSync(file)) throw notFound('明细表文件已不存在，请重新生成');
  await audited(ctx, auth.actor, 'statistics.detail_table.download', async () => ({ result: null, objectType: 'detail_table', objectId: id, after: { rows: Number(r.rows_written), masked: Number(r.masked) === 1, sha256: r.sha256 } }));
  return { file, fileName: r.file_name, sizeBytes: Number(r.size_bytes) };
}
