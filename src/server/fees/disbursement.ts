// Disbursement (拨付, seed 四（三）1: "以区为单位进行拨付，费用拨付至各区人社部门") and the district's
// allocation (分配, 四（三）2: "重点用于基层一线宣传发动、入户调查、数据录入、汇总分析"). Two ceilings that
// hold under concurrency, each checked and written under the district's money lock (IMMEDIATE
// transactions on SQLite, an advisory lock on PostgreSQL):
//   Σ payments (not voided) ≤ the approved amount;  Σ allocation (by use, and by unit) ≤ Σ payments.
import type { AppCtx } from '../context.js';
import type { AuthInfo } from '../auth/access.js';
import { lockForWrite, type AnyDb } from '../db/dialect.js';
import type { Allocation, AllocationPurpose, Payment } from '../../shared/api-fees.js';
import { ALLOCATION_PURPOSES, ALLOCATION_PURPOSE_LABELS } from '../../shared/api-fees.js';
import { checkCeiling, splitProportionally } from '../../domain/allocation.js';
import { formatFen } from '../../domain/fees.js';
import { isRealDate } from '../../domain/id-number.js';
import { audited } from '../audit/audited.js';
import { conflict, forbidden, invalidInput, notFound } from '../errors.js';
import { nowIso, todayShanghai } from '../clock.js';
import { getOrgUnit, inScope } from '../orgs/store.js';
import { resolveKey } from '../assessments/service.js';
import { currentSheetRow, districtMoneyLock, paidFen } from './sheets.js';
import { snapshotById } from './snapshots.js';

export async function paymentsOf(db: AnyDb, campaignId: number, districtId: number): Promise<Payment[]> {
  const rows = await db
    .selectFrom('payment as p')
    .innerJoin('app_user as u', 'u.id', 'p.created_by')
    .selectAll('p')
    .select('u.display_name')
    .where('p.campaign_id', '=', campaignId)
    .where('p.district_id', '=', districtId)
    .orderBy('p.paid_on')
    .orderBy('p.id')
    .execute();
  return rows.map((p) => ({
    id: Number(p.id),
    campaignId: Number(p.campaign_id),
    districtId: Number(p.district_id),
    paidOn: p.paid_on,
    amountFen: Number(p.amount_fen),
    voucherNo: p.voucher_no,
    note: p.note,
    attachment: p.attachment_sha256 ? { fileName: p.attachment_name ?? '', mime: p.attachment_mime ?? '', sizeBytes: Number(p.attachment_size ?? 0) } : null,
    createdBy: p.display_name,
    createdAt: p.created_at,
    voidedAt: p.voided_at,
    voidReason: p.void_reason,
  }));
}

/** Records a payment: never more, in all, than the approved amount. */
export async function addPayment(ctx: AppCtx, auth: AuthInfo, campaignId: number, districtId: number, input: { paidOn: string; amountFen: number; voucherNo: string; note: string }): Promise<void> {
  await audited(ctx, auth.actor, 'fees.payment.add', async (trx) => {
    await resolveKey(trx, auth, { campaignId, orgUnitId: districtId });
    if (!isRealDate(...(input.paidOn.split('-').map(Number) as [number, number, number]))) throw invalidInput('拨付日期不是有效日期');
    if (input.paidOn > todayShanghai()) throw invalidInput('拨付日期不能晚于今天');
    await lockForWrite(trx, ctx.dialect, districtMoneyLock(campaignId, districtId));
    const sheet = await currentSheetRow(trx, campaignId, districtId);
    if (!sheet || sheet.status !== 'approved') throw conflict('该区考核费用尚未审批，审批后才能拨付');
    const paid = await paidFen(trx, campaignId, districtId);
    const approved = Number(sheet.total_fen);
    const check = checkCeiling([paid, input.amountFen], approved);
    if (!check.ok) throw conflict(`拨付金额超出核定金额：核定 ${formatFen(approved)} 元，已拨付 ${formatFen(paid)} 元，本次最多还可拨付 ${formatFen(Math.max(0, approved - paid))} 元`);
    const row = await trx
      .insertInto('payment')
      .values({ campaign_id: campaignId, district_id: districtId, paid_on: input.paidOn, amount_fen: input.amountFen, voucher_no: input.voucherNo, note: input.note, attachment_sha256: null, attachment_name: null, attachment_mime: null, attachment_size: null, created_by: Number(auth.user.id), created_at: nowIso(), voided_at: null, voided_by: null, void_reason: null })
      .returning('id')
      .executeTakeFirstOrThrow();
    return { result: null, objectType: 'payment', objectId: Number(row.id), after: { districtId, paidOn: input.paidOn, amountFen: input.amountFen, voucherNo: input.voucherNo, paidFen: check.sumFen, approvedFen: approved } };
  });
}

/** A payment the caller may see (404 otherwise). */
export async function paymentInScope(db: AnyDb, auth: AuthInfo, id: number) {
  const p = await db.selectFrom('payment').selectAll().where('id', '=', id).executeTakeFirst();
  const district = p ? await getOrgUnit(db, Number(p.district_id)) : undefined;
  if (!p || !district || !inScope(auth.scope, district.path)) throw notFound('拨付记录不存在');
  return p;
}

export async function setPaymentAttachment(ctx: AppCtx, auth: AuthInfo, id: number, file: { fileName: string; sha256: string; mime: string; sizeBytes: number }) {
  return audited(ctx, auth.actor, 'fees.payment.attach', async (trx) => {
    const p = await paymentInScope(trx, auth, id);
    if (p.voided_at) throw invalidInput('该拨付记录已作废');
    await trx.updateTable('payment').set({ attachment_sha256: file.sha256, attachment_name: file.fileName.slice(0, 255), attachment_mime: file.mime, attachment_size: file.sizeBytes }).where('id', '=', id).execute();
    return { result: { campaignId: Number(p.campaign_id), districtId: Number(p.district_id) }, objectType: 'payment', objectId: id, before: { attachment: p.attachment_name }, after: { attachment: file.fileName, sha256: file.sha256 } };
  });
}

/** Voids a mistaken payment (kept, with the reason) — not below what the district has allocated. */
export async function voidPayment(ctx: AppCtx, auth: AuthInfo, id: number, reason: string) {
  return audited(ctx, auth.actor, 'fees.payment.void', async (trx) => {
    const first = await paymentInScope(trx, auth, id);
    await lockForWrite(trx, ctx.dialect, districtMoneyLock(Number(first.campaign_id), Number(first.district_id)));
    const p = (await trx.selectFrom('payment').selectAll().where('id', '=', id).executeTakeFirst())!;
    if (p.voided_at) throw invalidInput('该拨付记录已作废');
    const received = (await paidFen(trx, Number(p.campaign_id), Number(p.district_id))) - Number(p.amount_fen);
    const allocated = await allocatedFen(trx, Number(p.campaign_id), Number(p.district_id));
    if (allocated > received) throw conflict(`该区已分配 ${formatFen(allocated)} 元，作废后到账金额只有 ${formatFen(received)} 元；请区人社部门先调整分配`);
    await trx.updateTable('payment').set({ voided_at: nowIso(), voided_by: Number(auth.user.id), void_reason: reason }).where('id', '=', id).execute();
    return { result: { campaignId: Number(p.campaign_id), districtId: Number(p.district_id) }, objectType: 'payment', objectId: id, before: { amountFen: Number(p.amount_fen) }, after: { voided: true, reason } };
  });
}

/** The larger of the two splits (by use, by unit): what the allocation has spent of the money. */
async function allocatedFen(db: AnyDb, campaignId: number, districtId: number): Promise<number> {
  const rows = await db
    .selectFrom('allocation_line as l')
    .innerJoin('allocation as a', 'a.id', 'l.allocation_id')
    .select(['l.kind', (eb) => eb.fn.sum<number>('l.amount_fen').as('t')])
    .where('a.campaign_id', '=', campaignId)
    .where('a.district_id', '=', districtId)
    .groupBy('l.kind')
    .execute();
  return Math.max(0, ...rows.map((r) => Number(r.t ?? 0)));
}

export async function allocationOf(db: AnyDb, campaignId: number, districtId: number): Promise<Allocation> {
  const header = await db
    .selectFrom('allocation as a')
    .innerJoin('app_user as u', 'u.id', 'a.updated_by')
    .select(['a.id', 'a.version', 'a.updated_at', 'u.display_name'])
    .where('a.campaign_id', '=', campaignId)
    .where('a.district_id', '=', districtId)
    .executeTakeFirst();
  const lines = header
    ? await db
        .selectFrom('allocation_line as l')
        .leftJoin('org_unit as o', 'o.id', 'l.org_unit_id')
        .select(['l.kind', 'l.purpose', 'l.org_unit_id', 'l.amount_fen', 'l.note', 'o.name', 'o.level', 'o.path'])
        .where('l.allocation_id', '=', Number(header.id))
        .orderBy('o.path')
        .orderBy('l.id')
        .execute()
    : [];
  const received = await paidFen(db, campaignId, districtId);
  const byPurpose = new Map(lines.filter((l) => l.kind === 'purpose').map((l) => [l.purpose as AllocationPurpose, l]));
  const purposes = ALLOCATION_PURPOSES.map((p) => ({ purpose: p, label: ALLOCATION_PURPOSE_LABELS[p], amountFen: Number(byPurpose.get(p)?.amount_fen ?? 0), note: byPurpose.get(p)?.note ?? '' }));
  const units = lines.filter((l) => l.kind === 'unit').map((l) => ({ orgUnitId: Number(l.org_unit_id), orgUnitName: l.name ?? '', level: l.level ?? '', amountFen: Number(l.amount_fen) }));
  // The suggestion: what was received, in proportion to each street's frozen valid count.
  const snap = await db.selectFrom('count_snapshot').select('id').where('campaign_id', '=', campaignId).where('org_unit_id', '=', districtId).where('superseded_at', 'is', null).executeTakeFirst();
  const streets = snap ? ((await snapshotById(db, Number(snap.id)))?.units.filter((u) => u.level === 'street') ?? []) : [];
  const shares = splitProportionally(received, streets.map((s) => s.validCount));
  return {
    campaignId,
    districtId,
    version: header ? Number(header.version) : 0,
    updatedBy: header?.display_name ?? null,
    updatedAt: header?.updated_at ?? null,
    receivedFen: received,
    purposes,
    purposesFen: purposes.reduce((a, p) => a + p.amountFen, 0),
    units,
    unitsFen: units.reduce((a, u) => a + u.amountFen, 0),
    suggestedUnits: streets.map((s, i) => ({ orgUnitId: s.orgUnitId, orgUnitName: s.orgUnitName, validCount: s.validCount, amountFen: shares[i] ?? 0 })),
  };
}

/** The district's allocation, replaced as a whole: each split within what was received. */
export async function saveAllocation(
  ctx: AppCtx,
  auth: AuthInfo,
  campaignId: number,
  districtId: number,
  input: { version: number; purposes: Array<{ purpose: AllocationPurpose; amountFen: number; note: string }>; units: Array<{ orgUnitId: number; amountFen: number }> },
): Promise<void> {
  await audited(ctx, auth.actor, 'fees.allocation.save', async (trx) => {
    const { district } = await resolveKey(trx, auth, { campaignId, orgUnitId: districtId });
    if (auth.role !== 'district_admin' || !inScope(auth.scope, district.path)) throw forbidden('考核费用的分配由本区人社部门（区级管理员）填写');
    if (new Set(input.purposes.map((p) => p.purpose)).size !== input.purposes.length) throw invalidInput('同一用途不能重复填写');
    if (new Set(input.units.map((u) => u.orgUnitId)).size !== input.units.length) throw invalidInput('同一单位不能重复填写');
    const unitRows = input.units.length ? await trx.selectFrom('org_unit').select(['id', 'path', 'level', 'name']).where('id', 'in', input.units.map((u) => u.orgUnitId)).execute() : [];
    const okUnits = new Set(unitRows.filter((u) => u.path.startsWith(district.path) && (u.level === 'street' || u.level === 'community')).map((u) => Number(u.id)));
    const bad = input.units.filter((u) => !okUnits.has(u.orgUnitId));
    if (bad.length) throw invalidInput(`分配对象应为${district.name}的街道（镇）或社区（村）`);
    await lockForWrite(trx, ctx.dialect, districtMoneyLock(campaignId, districtId));
    const header = await trx.selectFrom('allocation').selectAll().where('campaign_id', '=', campaignId).where('district_id', '=', districtId).executeTakeFirst();
    const version = header ? Number(header.version) : 0;
    if (version !== input.version) throw conflict('分配方案已被他人修改，请刷新后重试（您的修改未保存）', { current: await allocationOf(trx, campaignId, districtId) });
    const received = await paidFen(trx, campaignId, districtId);
    const byUse = checkCeiling(input.purposes.map((p) => p.amountFen), received);
    if (!byUse.ok) throw conflict(`按用途分配合计 ${formatFen(byUse.sumFen)} 元，超过已到账的 ${formatFen(received)} 元（超出 ${formatFen(byUse.overFen)} 元）`);
    const byUnit = checkCeiling(input.units.map((u) => u.amountFen), received);
    if (!byUnit.ok) throw conflict(`按街道、社区分配合计 ${formatFen(byUnit.sumFen)} 元，超过已到账的 ${formatFen(received)} 元（超出 ${formatFen(byUnit.overFen)} 元）`);
    const at = nowIso();
    let allocationId: number;
    if (header) {
      allocationId = Number(header.id);
      await trx.updateTable('allocation').set({ updated_by: Number(auth.user.id), updated_at: at, version: version + 1 }).where('id', '=', allocationId).execute();
      await trx.deleteFrom('allocation_line').where('allocation_id', '=', allocationId).execute();
    } else {
      const row = await trx.insertInto('allocation').values({ campaign_id: campaignId, district_id: districtId, updated_by: Number(auth.user.id), updated_at: at, version: 1 }).returning('id').executeTakeFirstOrThrow();
      allocationId = Number(row.id);
    }
    const lines = [
      ...input.purposes.map((p) => ({ allocation_id: allocationId, kind: 'purpose', purpose: p.purpose, org_unit_id: null, amount_fen: p.amountFen, note: p.note })),
      ...input.units.map((u) => ({ allocation_id: allocationId, kind: 'unit', purpose: null, org_unit_id: u.orgUnitId, amount_fen: u.amountFen, note: '' })),
    ];
    for (let i = 0; i < lines.length; i += 200) await trx.insertInto('allocation_line').values(lines.slice(i, i + 200)).execute();
    return { result: null, objectType: 'allocation', objectId: allocationId, after: { receivedFen: received, purposesFen: byUse.sumFen, unitsFen: byUnit.sumFen, purposes: input.purposes, units: input.units } };
  });
}
