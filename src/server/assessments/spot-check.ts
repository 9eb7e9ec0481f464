// Spot checks (抽查数据, SPEC §2): the assessor draws a reproducible sample of a district's valid
// records (the counted ones entered by the campaign's data cutoff, in id order), marks each correct
// or wrong, and the item 录入信息系统的数据应准确 gets 5 − 0.5 × errors, never below 0
// (src/domain/accuracy.ts). The seed and a hash of the population are recorded, so the district
// can re-derive the same sample.
import { createHash } from 'node:crypto';
import type { AppCtx } from '../context.js';
import type { AuthInfo } from '../auth/access.js';
import type { AnyDb } from '../db/dialect.js';
import type { Transaction } from 'kysely';
import type { Database } from '../db/schema.js';
import { accuracyScore } from '../../domain/accuracy.js';
import { drawSample, generateSeed, sampleSizeFromRatio } from '../../domain/sampling.js';
import { maskIdNumber } from '../../domain/id-number.js';
import { registrationSecrets, scrubText } from '../../domain/masking.js';
import { FULL_VIEW_ROLES } from '../registration/service.js';
import { audited } from '../audit/audited.js';
import { recordAudit } from '../audit/store.js';
import { conflict, forbidden, invalidInput, notFound } from '../errors.js';
import { nowIso } from '../clock.js';
import { dayEnd } from '../clock.js';
import { inScope } from '../orgs/store.js';
import { tableWorkbook } from '../export/table-workbook.js';
import { shanghaiTimeText } from '../../domain/shanghai-day.js';
import { REGISTRATION_FIELDS } from '../../shared/registration.js';
import { assessmentRow, criteriaOf, getAssessment, resolveKey, type AssessmentKey } from './service.js';

/** The population of a district's spot check: valid counted records entered by the cutoff, by id. */
async function population(db: AnyDb, districtId: number, dataCutoff: string): Promise<number[]> {
  const rows = await db
    .selectFrom('registration')
    .select('id')
    .where('district_id', '=', districtId)
    .where('is_counted', '=', 1)
    .where('deleted_at', 'is', null)
    .where('entered_at', '<', dayEnd(dataCutoff))
    .orderBy('id')
    .execute();
  return rows.map((r) => Number(r.id));
}

const hashIds = (ids: readonly number[]) => createHash('sha256').update(ids.join(',')).digest('hex');

async function assessmentIdFor(db: AnyDb, key: AssessmentKey): Promise<number | null> {
  const a = await assessmentRow(db, key);
  return a ? Number(a.id) : null;
}

/** Sets the accuracy items' assessed score from the errors found in all the assessment's spot checks. */
async function applyAccuracy(trx: Transaction<Database>, assessmentId: number, criteria: Array<{ id: number; kind: string; maxScore: number }>): Promise<void> {
  const counts = await trx
    .selectFrom('spot_check_record as r')
    .innerJoin('spot_check as s', 's.id', 'r.spot_check_id')
    .select(['r.result', 'r.registration_id'])
    .where('s.assessment_id', '=', assessmentId)
    .execute();
  // A record drawn again in a later check is one record: counted once.
  const distinct = (rows: typeof counts) => new Set(rows.map((c) => Number(c.registration_id))).size;
  const errors = distinct(counts.filter((c) => c.result === 'wrong'));
  const checked = distinct(counts.filter((c) => c.result !== 'unchecked'));
  const drawn = distinct(counts);
  const at = nowIso();
  for (const k of criteria.filter((c) => c.kind === 'accuracy')) {
    const score = accuracyScore(errors, k.maxScore);
    const comment = `抽查 ${drawn} 条（已核 ${checked} 条），发现录入错误 ${errors} 例，每例扣 0.5 分`;
    const existing = await trx.selectFrom('assessment_item').select('id').where('assessment_id', '=', assessmentId).where('criterion_id', '=', k.id).executeTakeFirst();
    if (existing) await trx.updateTable('assessment_item').set({ assessed_score: score, assessed_comment: comment, updated_at: at }).where('id', '=', existing.id).execute();
    else await trx.insertInto('assessment_item').values({ assessment_id: assessmentId, criterion_id: k.id, assessed_score: score, assessed_comment: comment, self_note: '', updated_at: at }).execute();
  }
}

export async function drawSpotCheck(ctx: AppCtx, auth: AuthInfo, key: AssessmentKey, input: { method: 'size' | 'ratio'; size?: number | undefined; ratioPercent?: number | undefined; seed?: string | undefined }): Promise<number> {
  return audited(ctx, auth.actor, 'assessment.spotcheck.draw', async (trx) => {
    const { campaign, district } = await resolveKey(trx, auth, key);
    const view = await getAssessment(trx, auth, key);
    if (!view.can.review || view.id === null) throw forbidden('只能在自评提交后、考核完成前抽查数据');
    const ids = await population(trx, Number(district.id), campaign.dataCutoff);
    if (ids.length === 0) throw invalidInput(`${district.name}截至 ${campaign.dataCutoff} 没有有效数据，无从抽查`);
    let size: number;
    if (input.method === 'size') {
      if (!input.size) throw invalidInput('请填写抽查条数');
      size = Math.min(input.size, ids.length);
    } else {
      if (!input.ratioPercent) throw invalidInput('请填写抽查比例');
      size = sampleSizeFromRatio(ids.length, input.ratioPercent);
    }
    const seed = input.seed ?? generateSeed();
    const sample = drawSample(ids, size, seed);
    const at = nowIso();
    const s = await trx
      .insertInto('spot_check')
      .values({ assessment_id: view.id, seed, method: input.method, requested: size, population: ids.length, population_sha256: hashIds(ids), drawn_at: at, drawn_by: Number(auth.user.id) })
      .returning('id')
      .executeTakeFirstOrThrow();
    for (let i = 0; i < sample.length; i += 500) {
      await trx
        .insertInto('spot_check_record')
        .values(sample.slice(i, i + 500).map((registrationId, j) => ({ spot_check_id: Number(s.id), seq: i + j + 1, registration_id: registrationId, result: 'unchecked' })))
        .execute();
    }
    await applyAccuracy(trx, view.id, criteriaOf(campaign));
    return { result: Number(s.id), objectType: 'spot_check', objectId: Number(s.id), after: { seed, method: input.method, size, population: ids.length } };
  });
}

/**
 * The spot checks as a user reads them (screen, print): a read that shows ID numbers in full is
 * logged like a full record's view, with the records shown.
 */
export async function spotChecksViewed(ctx: AppCtx, auth: AuthInfo, key: AssessmentKey) {
  const list = await listSpotChecks(ctx.db, auth, key);
  const shown = list.items.flatMap((c) => c.records.map((r) => r.registrationId));
  if (shown.length && FULL_VIEW_ROLES.includes(auth.role)) {
    const assessmentId = await assessmentIdFor(ctx.db, key);
    await recordAudit(ctx.db, ctx.dialect, auth.actor, { event: 'assessment.spotcheck.view', objectType: 'assessment', objectId: assessmentId, after: { records: shown.length, registrationIds: shown } });
  }
  return list;
}

export async function listSpotChecks(db: AnyDb, auth: AuthInfo, key: AssessmentKey) {
  const { campaign } = await resolveKey(db, auth, key);
  const assessmentId = await assessmentIdFor(db, key);
  if (assessmentId === null) return { items: [], errors: 0, accuracyScore: null };
  const checks = await db
    .selectFrom('spot_check as s')
    .innerJoin('app_user as u', 'u.id', 's.drawn_by')
    .select(['s.id', 's.seed', 's.method', 's.requested', 's.population', 's.population_sha256', 's.drawn_at', 'u.display_name'])
    .where('s.assessment_id', '=', assessmentId)
    .orderBy('s.id')
    .execute();
  const records = await db
    .selectFrom('spot_check_record as r')
    .innerJoin('spot_check as s', 's.id', 'r.spot_check_id')
    .innerJoin('registration as g', 'g.id', 'r.registration_id')
    .innerJoin('org_unit as o', 'o.id', 'g.org_unit_id')
    .select(['r.id', 'r.spot_check_id', 'r.seq', 'r.registration_id', 'r.result', 'r.field', 'r.problem', 'r.checked_at', 'r.version', 'r.photo_sha256', 'g.name', 'g.id_number', 'g.birth_date', 'g.guardian_id_number', 'o.name as org_name'])
    .where('s.assessment_id', '=', assessmentId)
    .orderBy('r.spot_check_id')
    .orderBy('r.seq')
    .execute();
  let errors = 0;
  const items = checks.map((c) => {
    const list = records.filter((r) => Number(r.spot_check_id) === Number(c.id));
    const wrong = list.filter((r) => r.result === 'wrong').length;
    errors += wrong;
    return {
      id: Number(c.id),
      seed: c.seed,
      method: c.method as 'size' | 'ratio',
      requested: Number(c.requested),
      population: Number(c.population),
      populationSha256: c.population_sha256,
      drawnAt: c.drawn_at,
      drawnBy: c.display_name,
      checked: list.filter((r) => r.result !== 'unchecked').length,
      errors: wrong,
      records: list.map((r) => ({
        id: Number(r.id),
        seq: Number(r.seq),
        registrationId: Number(r.registration_id),
        name: r.name,
        // In full for the roles that may open the record in full (the city's assessors compare the
        // sample with the paper forms); each such read is logged (spotChecksViewed).
        idNumber: FULL_VIEW_ROLES.includes(auth.role) ? r.id_number : maskIdNumber(r.id_number),
        orgUnitName: r.org_name,
        result: r.result as 'unchecked' | 'correct' | 'wrong',
        field: r.field,
        // A viewer sees the sample masked: the assessor's note must not spell what the ID mask hides.
        problem: r.problem && !FULL_VIEW_ROLES.includes(auth.role) ? scrubText(r.problem, registrationSecrets({ idNumber: r.id_number, guardianIdNumber: r.guardian_id_number, birthDate: r.birth_date })) : r.problem,
        checkedAt: r.checked_at,
        hasPhoto: r.photo_sha256 !== null,
        version: Number(r.version),
      })),
    };
  });
  const accuracy = criteriaOf(campaign).find((k) => k.kind === 'accuracy');
  return { items, errors, accuracyScore: items.length && accuracy ? accuracyScore(errors, accuracy.maxScore) : null };
}

export async function markSpotCheckRecord(ctx: AppCtx, auth: AuthInfo, id: number, input: { result: 'correct' | 'wrong'; field?: string | undefined; problem?: string | undefined; version: number }): Promise<void> {
  await audited(ctx, auth.actor, 'assessment.spotcheck.mark', async (trx) => {
    const r = await trx
      .selectFrom('spot_check_record as r')
      .innerJoin('spot_check as s', 's.id', 'r.spot_check_id')
      .innerJoin('assessment as a', 'a.id', 's.assessment_id')
      .innerJoin('org_unit as o', 'o.id', 'a.org_unit_id')
      .select(['r.id', 'r.version', 'a.id as assessment_id', 'a.campaign_id', 'a.org_unit_id', 'o.path'])
      .where('r.id', '=', id)
      .executeTakeFirst();
    if (!r || !inScope(auth.scope, r.path)) throw notFound('抽查记录不存在');
    const key = { campaignId: Number(r.campaign_id), orgUnitId: Number(r.org_unit_id) };
    const { campaign } = await resolveKey(trx, auth, key);
    const view = await getAssessment(trx, auth, key);
    if (!view.can.review) throw forbidden('只能在自评提交后、考核完成前标记抽查结果');
    if (input.result === 'wrong' && (!input.field || !input.problem)) throw invalidInput('标记为错误时请填写出错的项目和错误情况');
    if (Number(r.version) !== input.version) throw conflict('该条抽查记录已被他人标记，请刷新后重试');
    await trx
      .updateTable('spot_check_record')
      .set({ result: input.result, field: input.result === 'wrong' ? input.field! : null, problem: input.result === 'wrong' ? input.problem! : null, checked_by: Number(auth.user.id), checked_at: nowIso(), version: Number(r.version) + 1 })
      .where('id', '=', id)
      .execute();
    await applyAccuracy(trx, Number(r.assessment_id), criteriaOf(campaign));
    return { result: null, objectType: 'spot_check_record', objectId: id, after: { result: input.result, field: input.field ?? null } };
  });
}

/** Re-derives a spot check's sample from its seed: the same population (by hash) gives the same records. */
export async function verifySpotCheck(db: AnyDb, auth: AuthInfo, key: AssessmentKey, spotCheckId: number) {
  const { campaign, district } = await resolveKey(db, auth, key);
  const assessmentId = await assessmentIdFor(db, key);
  const s = assessmentId === null ? undefined : await db.selectFrom('spot_check').selectAll().where('id', '=', spotCheckId).where('assessment_id', '=', assessmentId).executeTakeFirst();
  if (!s) throw notFound('抽查不存在');
  const ids = await population(db, Number(district.id), campaign.dataCutoff);
  const hash = hashIds(ids);
  const drawn = (await db.selectFrom('spot_check_record').select('registration_id').where('spot_check_id', '=', s.id).orderBy('seq').execute()).map((r) => Number(r.registration_id));
  const again = drawSample(ids, Number(s.requested), s.seed);
  const matches = hash === s.population_sha256 && again.length === drawn.length && again.every((x, i) => x === drawn[i]);
  const message = matches
    ? `按种子 ${s.seed} 从 ${ids.length} 条有效数据中重新抽取，结果与记录一致`
    : hash !== s.population_sha256
      ? '抽查后有效数据发生了变化（新增、删除或校验状态改变），按种子重新抽取的结果与记录不同'
      : '按种子重新抽取的结果与记录不一致';
  return { matches, population: ids.length, populationSha256: hash, message };
}

/** A spot-check record the caller may see, with what its photo needs; 404 outside the scope. */
export async function findSpotCheckRecord(db: AnyDb, auth: AuthInfo, id: number) {
  const r = await db
    .selectFrom('spot_check_record as r')
    .innerJoin('spot_check as s', 's.id', 'r.spot_check_id')
    .innerJoin('assessment as a', 'a.id', 's.assessment_id')
    .innerJoin('org_unit as o', 'o.id', 'a.org_unit_id')
    .select(['r.id', 'r.photo_sha256', 'a.campaign_id', 'a.org_unit_id', 'o.path'])
    .where('r.id', '=', id)
    .executeTakeFirst();
  if (!r || !inScope(auth.scope, r.path)) throw notFound('抽查记录不存在');
  return r;
}

/**
 * The photo of a record's paper form for reading: it shows the person's full data and cannot be
 * masked, so each read is logged like a full record's view (SPEC: reads of a person's full record
 * are logged, never the data itself). 404 outside the scope or without a photo.
 */
export async function readSpotCheckPhoto(ctx: AppCtx, auth: AuthInfo, id: number): Promise<string> {
  const r = await findSpotCheckRecord(ctx.db, auth, id);
  if (!r.photo_sha256) throw notFound('没有照片');
  await recordAudit(ctx.db, ctx.dialect, auth.actor, { event: 'assessment.spotcheck.photo.view', objectType: 'spot_check_record', objectId: id });
  return r.photo_sha256;
}

/** Attaches the photo of the paper form (stored like evidence) to a spot-check record. */
export async function setSpotCheckPhoto(ctx: AppCtx, auth: AuthInfo, id: number, photo: { sha256: string; mime: string }): Promise<void> {
  if (!photo.mime.startsWith('image/')) throw invalidInput('请上传纸质登记表的照片（JPG、PNG 或 GIF）');
  await audited(ctx, auth.actor, 'assessment.spotcheck.photo', async (trx) => {
    const r = await findSpotCheckRecord(trx, auth, id);
    const view = await getAssessment(trx, auth, { campaignId: Number(r.campaign_id), orgUnitId: Number(r.org_unit_id) });
    if (!view.can.review) throw forbidden('只能在自评提交后、考核完成前上传抽查照片');
    await trx.updateTable('spot_check_record').set({ photo_sha256: photo.sha256 }).where('id', '=', id).execute();
    return { result: null, objectType: 'spot_check_record', objectId: id, after: { photoSha256: photo.sha256 } };
  });
}

const RESULT_TEXT = { unchecked: '未核', correct: '正确', wrong: '错误' } as const;
const METHOD_TEXT = { size: '按条数', ratio: '按比例' } as const;
/** A field as recorded: a label, or (should a client have sent one) a field key, shown as its label. */
const FIELD_LABEL_BY_KEY = new Map<string, string>(REGISTRATION_FIELDS.map((f) => [f.key, f.label]));

/**
 * The spot checks of an assessment as an .xlsx (issue 14): the sample's records with their results
 * exactly as the screen shows them to the caller — listSpotChecks masks the ID numbers and scrubs the
 * notes by the same rules — and a sheet of the draws (seed, population and its hash, who, when), so
 * the district can check the draw offline. Every export is logged; one carrying full ID numbers
 * names its records, like the screen's read (assessment.spotcheck.view).
 */
export async function spotCheckWorkbook(ctx: AppCtx, auth: AuthInfo, key: AssessmentKey): Promise<{ buffer: Buffer; title: string }> {
  const { campaign, district } = await resolveKey(ctx.db, auth, key);
  const list = await listSpotChecks(ctx.db, auth, key);
  const full = FULL_VIEW_ROLES.includes(auth.role);
  const registrationIds = list.items.flatMap((c) => c.records.map((r) => r.registrationId));
  await recordAudit(ctx.db, ctx.dialect, auth.actor, {
    event: 'assessment.spotcheck.export',
    objectType: 'assessment',
    objectId: await assessmentIdFor(ctx.db, key),
    after: { records: registrationIds.length, masked: !full, ...(full && registrationIds.length ? { registrationIds } : {}) },
  });
  const time = (at: string | null) => (at ? shanghaiTimeText(at) : null);
  return tableWorkbook(`抽查结果-${district.name}-${campaign.name}`, [
    {
      name: '抽查结果',
      columns: [
        { header: '抽查', width: 10 },
        { header: '序号', width: 8 },
        { header: '姓名', width: 12 },
        { header: '身份证号', width: 22 },
        { header: '社区', width: 20 },
        { header: '核对结果', width: 10 },
        { header: '错误项目', width: 16 },
        { header: '错误情况', width: 40 },
        { header: '核对时间', width: 20 },
      ],
      rows: list.items.flatMap((c, i) =>
        c.records.map((r) => [
          `第 ${i + 1} 次`,
          r.seq,
          r.name,
          r.idNumber,
          r.orgUnitName,
          RESULT_TEXT[r.result],
          r.result === 'wrong' && r.field ? (FIELD_LABEL_BY_KEY.get(r.field) ?? r.field) : null,
          r.result === 'wrong' ? r.problem : null,
          time(r.checkedAt),
        ]),
      ),
    },
    {
      name: '抽取记录',
      columns: [
        { header: '抽查', width: 10 },
        { header: '种子', width: 24 },
        { header: '抽取方式', width: 10 },
        { header: '有效数据总数', width: 14 },
        { header: '样本条数', width: 10 },
        { header: '已核', width: 8 },
        { header: '错误', width: 8 },
        { header: '抽取人', width: 12 },
        { header: '抽取时间', width: 20 },
        { header: '有效数据校验值（SHA-256）', width: 70 },
      ],
      rows: list.items.map((c, i) => [`第 ${i + 1} 次`, c.seed, METHOD_TEXT[c.method], c.population, c.records.length, c.checked, c.errors, c.drawnBy, time(c.drawnAt), c.populationSha256]),
    },
  ]);
}
