// The assessment workflow over HTTP (issue 4): a district fills and submits its self-assessment with
// evidence and can no longer edit; the city reviews, returns, finalises and reopens; deadlines and
// the reopened window; stale saves; scope (another district, guessed evidence ids) and roles.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestEnv, loginAs, makeUser, newUserClient, orgId, testEngine, type Client, type TestEnv } from '../testing/harness.js';
import { multipart } from '../testing/multipart.js';
import { fakeIdNumber, makeRegistration } from '../testing/registration-factory.js';
import type { Assessment } from '../../shared/api-assessment.js';
import ExcelJS from 'exceljs';
import fs from 'node:fs';
import { PDF, expectStoredFileHeaders } from '../testing/stored-file.js';

const PNG = Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082', 'hex');

describe(`assessments (${testEngine()})`, () => {
  let env: TestEnv;
  let xbAdmin: Client;
  let xbClerk: Client;
  let tnAdmin: Client;
  let assessor: Client;
  let cityAdmin: Client;
  let campaignId: number;
  let xb: number;
  let base: string;

  beforeAll(async () => {
    env = await createTestEnv();
    xbAdmin = await newUserClient(env, 'xb_admin', 'district_admin', '320411');
    xbClerk = await newUserClient(env, 'xb_clerk', 'clerk', '320411');
    tnAdmin = await newUserClient(env, 'tn_admin', 'district_admin', '320402');
    assessor = await newUserClient(env, 'assessor1', 'city_assessor', '320400-SSB');
    cityAdmin = (await newUserClient(env, 'cityadm1', 'city_admin', '320400-SSB')).alwaysReauth();
    const c = await env.ctx.db.selectFrom('campaign').select('id').where('code', '=', '2016').executeTakeFirstOrThrow();
    campaignId = Number(c.id);
    // The 2016 deadline (2016-06-10) is long past: give the test a deadline still to come.
    await env.ctx.db.updateTable('campaign').set({ self_assessment_deadline: '2099-06-10' }).where('id', '=', campaignId).execute();
    xb = await orgId(env.ctx, '320411');
    base = `/api/campaigns/${campaignId}/assessments/${xb}`;
  });
  afterAll(async () => env?.close());

  const get = async (client: Client, url = base): Promise<Assessment> => {
    const r = await client.request('GET', url);
    expect(r.statusCode, r.body).toBe(200);
    return r.json();
  };
  const items = (a: Assessment) => a.categories.flatMap((c) => c.items);
  const fullSelf = (a: Assessment, score: (maxScore: number) => number | null) => ({
    items: items(a).map((i) => ({ criterionId: i.criterionId, selfScore: score(i.maxScore), selfNote: '已落实' })),
    version: a.version,
  });

  it('before anything is saved the assessment reads as an empty draft with the campaign’s 14 items', async () => {
    const a = await get(xbAdmin);
    expect(a).toMatchObject({ id: null, status: 'draft', orgUnitName: '新北区', selfTotal: 0, version: 0, can: { editSelf: true, submit: true, review: false } });
    expect(items(a)).toHaveLength(14);
    expect(a.categories.map((c) => c.maxScore).reduce((s, x) => s + x, 0)).toBe(1000);
  });

  it('a district admin saves scores, bad scores are refused whole, a stale save is a conflict', async () => {
    let a = await get(xbAdmin);
    const first = items(a)[0]!;
    const bad = await xbAdmin.request('PUT', `${base}/self`, { items: [{ criterionId: first.criterionId, selfScore: 45, selfNote: '' }, { criterionId: items(a)[1]!.criterionId, selfScore: 43, selfNote: '' }], version: 0 });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.message).toContain('0.5');
    const over = await xbAdmin.request('PUT', `${base}/self`, { items: [{ criterionId: first.criterionId, selfScore: first.maxScore + 5, selfNote: '' }], version: 0 });
    expect(over.statusCode).toBe(400);
    expect((await get(xbAdmin)).id).toBeNull(); // nothing written
    const ok = await xbAdmin.request('PUT', `${base}/self`, { items: [{ criterionId: first.criterionId, selfScore: 45, selfNote: '会议纪要见附件' }], version: 0 });
    expect(ok.statusCode, ok.body).toBe(200);
    a = ok.json();
    expect(a).toMatchObject({ selfTotal: 45, version: 1 });
    const stale = await xbAdmin.request('PUT', `${base}/self`, { items: [{ criterionId: first.criterionId, selfScore: 50, selfNote: '' }], version: 0 });
    expect(stale.statusCode).toBe(409);
    expect(stale.json().error.details.current.selfTotal).toBe(45);
    // a clerk of the district may read but not fill it; another district's admin cannot even see it
    expect((await xbClerk.request('PUT', `${base}/self`, fullSelf(a, () => 0))).statusCode).toBe(403);
    expect((await tnAdmin.request('GET', base)).statusCode).toBe(404);
    expect((await tnAdmin.request('PUT', `${base}/self`, fullSelf(a, () => 0))).statusCode).toBe(404);
  });

  it('evidence: the download name takes the extension of the detected type (evil.html holding a PDF is offered as evil.pdf), shown inline under a CSP', async () => {
    const a = await get(xbAdmin);
    const body = multipart(PDF, 'evil.html', { criterionId: String(items(a)[0]!.criterionId) });
    const up = await env.app.inject({ method: 'POST', url: `${base}/evidence`, headers: { cookie: xbAdmin.cookie, ...body.headers }, payload: body.payload });
    expect(up.statusCode, up.body).toBe(200);
    const file = up.json();
    expect(file.mime).toBe('application/pdf');
    expectStoredFileHeaders(await xbAdmin.request('GET', `/api/evidence/${file.id}`), { disposition: 'inline', name: 'evil.pdf', fallback: `evidence-${file.id}.pdf`, mime: 'application/pdf' });
    expectStoredFileHeaders(await xbAdmin.request('GET', `/api/evidence/${file.id}?download=1`), { disposition: 'attachment', name: 'evil.pdf', fallback: `evidence-${file.id}.pdf`, mime: 'application/pdf' });
    expect((await xbAdmin.request('DELETE', `/api/evidence/${file.id}`)).statusCode).toBeLessThan(300);
  });

  it('evidence: an image is stored by its SHA-256 and previewed inline; a text file is refused; another district gets 404 by id', async () => {
    const a = await get(xbAdmin);
    const criterionId = items(a)[0]!.criterionId;
    const body = multipart(PNG, '会议照片.png', { criterionId: String(criterionId) });
    const up = await env.app.inject({ method: 'POST', url: `${base}/evidence`, headers: { cookie: xbAdmin.cookie, ...body.headers }, payload: body.payload });
    expect(up.statusCode, up.body).toBe(200);
    const file = up.json();
    expect(file).toMatchObject({ fileName: '会议照片.png', mime: 'image/png', sizeBytes: PNG.length, sha256: expect.stringMatching(/^[0-9a-f]{64}$/) });
    const view = await xbAdmin.request('GET', `/api/evidence/${file.id}`);
    expect(view.statusCode).toBe(200);
    expect(view.headers['content-type']).toBe('image/png');
    expect(String(view.headers['content-disposition'])).toMatch(/^inline/);
    expect(view.headers['x-frame-options']).toBe('SAMEORIGIN'); // previewed inside the app's page, by no other site
    expectStoredFileHeaders(view, { disposition: 'inline', name: '会议照片.png', fallback: `evidence-${file.id}.png`, mime: 'image/png' });
    expectStoredFileHeaders(await xbAdmin.request('GET', `/api/evidence/${file.id}?download=1`), { disposition: 'attachment', name: '会议照片.png', fallback: `evidence-${file.id}.png`, mime: 'image/png' });
    expect((await xbAdmin.request('GET', base)).headers['x-frame-options']).toBe('DENY');
    expect(view.rawPayload.equals(PNG)).toBe(true);
    expect((await assessor.request('GET', `/api/evidence/${file.id}`)).statusCode).toBe(200);
    expect((await tnAdmin.request('GET', `/api/evidence/${file.id}`)).statusCode).toBe(404);
    expect((await tnAdmin.request('GET', `/api/evidence/${file.id + 1}`)).statusCode).toBe(404);
    const text = multipart(Buffer.from('just text'), 'notes.txt', { criterionId: String(criterionId) });
    const refused = await env.app.inject({ method: 'POST', url: `${base}/evidence`, headers: { cookie: xbAdmin.cookie, ...text.headers }, payload: text.payload });
    expect(refused.statusCode).toBe(400);
    expect(refused.json().error.message).toContain('PDF');
    // over 20 MB: refused whole, nothing kept
    const big = multipart(Buffer.concat([PNG, Buffer.alloc(20 * 1024 * 1024)]), 'big.png', { criterionId: String(criterionId) });
    const tooLarge = await env.app.inject({ method: 'POST', url: `${base}/evidence`, headers: { cookie: xbAdmin.cookie, ...big.headers }, payload: big.payload });
    expect(tooLarge.statusCode).toBe(413);
    expect(tooLarge.json().error.message).toContain('20 MB');
    expect(fs.readdirSync(`${env.config.dataDir}/uploads`)).toEqual([]);
    expect(items(await get(xbAdmin))[0]!.evidence).toHaveLength(1);
  });

  it('submit needs every item; after submitting the district can no longer edit or add evidence', async () => {
    let a = await get(xbAdmin);
    const partial = await xbAdmin.request('POST', `${base}/submit`, { version: a.version });
    expect(partial.statusCode).toBe(400);
    expect(partial.json().error.message).toContain('13 项');
    a = (await xbAdmin.request('PUT', `${base}/self`, fullSelf(a, (max) => max))).json();
    expect(a.selfTotal).toBe(1000);
    const sub = await xbAdmin.request('POST', `${base}/submit`, { version: a.version });
    expect(sub.statusCode, sub.body).toBe(200);
    a = sub.json();
    expect(a).toMatchObject({ status: 'submitted', can: { editSelf: false, submit: false }, lockedReason: expect.stringContaining('已提交') });
    expect((await xbAdmin.request('PUT', `${base}/self`, fullSelf(a, () => 0))).statusCode).toBe(403);
    const body = multipart(PNG, 'late.png', { criterionId: String(items(a)[0]!.criterionId) });
    const up = await env.app.inject({ method: 'POST', url: `${base}/evidence`, headers: { cookie: xbAdmin.cookie, ...body.headers }, payload: body.payload });
    expect(up.statusCode).toBe(403);
  });

  it('the city reviews, returns with a reason, the district fixes and resubmits, the city finalises; a city admin reopens with a reason', async () => {
    let a = await get(assessor);
    expect(a.can).toMatchObject({ review: true, returnToDistrict: true, finalize: true, reopen: false });
    expect((await xbAdmin.request('PUT', `${base}/review`, { items: [], version: a.version })).statusCode).toBe(403);
    expect((await assessor.request('POST', `${base}/return`, { version: a.version })).statusCode).toBe(400); // no reason
    a = (await assessor.request('POST', `${base}/return`, { version: a.version, reason: '第一项佐证材料不全' })).json();
    expect(a).toMatchObject({ status: 'returned', returnReason: '第一项佐证材料不全' });
    let d = await get(xbAdmin);
    expect(d.can.editSelf).toBe(true);
    d = (await xbAdmin.request('PUT', `${base}/self`, { items: [{ criterionId: items(d)[0]!.criterionId, selfScore: 40, selfNote: '补充材料' }], version: d.version })).json();
    d = (await xbAdmin.request('POST', `${base}/submit`, { version: d.version })).json();
    expect(d).toMatchObject({ status: 'submitted', selfTotal: 990 });

    a = await get(assessor);
    const unfinished = await assessor.request('POST', `${base}/finalize`, { version: a.version });
    expect(unfinished.statusCode).toBe(400);
    // 0.5 off every item and 3.5 more off the largest: 89.5 — one half point under the 90 tier
    const largest = Math.max(...items(a).map((i) => i.maxScore));
    let took = false;
    const scores = items(a).map((i) => {
      const extra = !took && i.maxScore === largest ? ((took = true), 35) : 0;
      return { criterionId: i.criterionId, assessedScore: i.maxScore - 5 - extra, assessedComment: '' };
    });
    const review = await assessor.request('PUT', `${base}/review`, { items: scores, version: a.version });
    expect(review.statusCode, review.body).toBe(200);
    a = review.json();
    expect(a.assessedTotal).toBe(895);
    expect(a.feeTier).toBeNull(); // not final yet
    a = (await assessor.request('POST', `${base}/finalize`, { version: a.version })).json();
    expect(a).toMatchObject({ status: 'final', finalizedAt: expect.any(String), can: { review: false } });
    // the final total decides the fee tier exactly as src/domain does: 89.5 is 80–90, paid 90 %
    expect(a.feeTier).toEqual({ label: '80分以上不满90分', percent: 90 });
    expect((await assessor.request('PUT', `${base}/review`, { items: [], version: a.version })).statusCode).toBe(403);
    expect((await assessor.request('POST', `${base}/reopen`, { version: a.version, reason: '复核' })).statusCode).toBe(403); // assessor: wrong role
    const c = await get(cityAdmin);
    expect(c.can.reopen).toBe(true);
    const reopened = await cityAdmin.request('POST', `${base}/reopen`, { version: c.version, reason: '区里申请复核第三项' });
    expect(reopened.statusCode, reopened.body).toBe(200);
    expect(reopened.json()).toMatchObject({ status: 'submitted' });
    expect(reopened.json().events.map((e: { action: string }) => e.action)).toEqual(['submit', 'return', 'submit', 'finalize', 'reopen']);
    const audit = await env.ctx.db.selectFrom('audit_log').select('event').where('event', '=', 'assessment.reopen').execute();
    expect(audit).toHaveLength(1);
  });

  it('after the deadline a draft is locked for the district until a city admin reopens the window, which is recorded', async () => {
    const tn = await orgId(env.ctx, '320402');
    const tnBase = `/api/campaigns/${campaignId}/assessments/${tn}`;
    await env.ctx.db.updateTable('campaign').set({ self_assessment_deadline: '2016-06-10' }).where('id', '=', campaignId).execute();
    try {
      const a = await get(tnAdmin, tnBase);
      expect(a.can.editSelf).toBe(false);
      expect(a.lockedReason).toContain('2016-06-10');
      expect((await tnAdmin.request('PUT', `${tnBase}/self`, fullSelf(a, () => 0))).statusCode).toBe(403);
      expect((await assessor.request('POST', `${tnBase}/window`, { until: '2099-01-01', reason: '补报', version: 0 })).statusCode).toBe(403);
      const bad = await cityAdmin.request('POST', `${tnBase}/window`, { until: '2016-01-01', reason: '补报', version: 0 });
      expect(bad.statusCode).toBe(400);
      const w = await cityAdmin.request('POST', `${tnBase}/window`, { until: '2099-01-01', reason: '系统故障补报', version: 0 });
      expect(w.statusCode, w.body).toBe(200);
      expect(w.json()).toMatchObject({ windowUntil: '2099-01-01', events: [{ action: 'window', reason: expect.stringContaining('系统故障补报') }] });
      const open = await get(tnAdmin, tnBase);
      expect(open.can.editSelf).toBe(true);
      expect((await tnAdmin.request('PUT', `${tnBase}/self`, fullSelf(open, () => 10))).statusCode).toBe(200);
    } finally {
      await env.ctx.db.updateTable('campaign').set({ self_assessment_deadline: '2099-06-10' }).where('id', '=', campaignId).execute();
    }
  });

  it('the overview: every district of the caller’s scope side by side', async () => {
    const all = (await cityAdmin.request('GET', `/api/campaigns/${campaignId}/assessments`)).json();
    expect(all.items.map((i: { orgUnitName: string }) => i.orgUnitName).sort()).toEqual(['天宁区', '新北区', '钟楼区'].sort());
    const xbRow = all.items.find((i: { orgUnitId: number }) => i.orgUnitId === xb);
    expect(xbRow).toMatchObject({ status: 'submitted', selfTotal: 990, missingSelf: 0, evidenceCount: 1 });
    const mine = (await tnAdmin.request('GET', `/api/campaigns/${campaignId}/assessments`)).json();
    expect(mine.items.map((i: { orgUnitName: string }) => i.orgUnitName)).toEqual(['天宁区']);
  });

  it('spot check: a seeded draw the district can re-derive; 3 errors give 3.5 for the accuracy item, 11 give 0; the item cannot be typed over', async () => {
    const zl = await orgId(env.ctx, '320404');
    const zlBase = `/api/campaigns/${campaignId}/assessments/${zl}`;
    for (let i = 0; i < 30; i++) {
      await makeRegistration(env.ctx, { orgCode: '320404001001', idNumber: fakeIdNumber('320404', '19700101', 500 + i), name: `抽查${i}`, enteredAt: '2016-05-01T02:00:00.000Z' });
    }
    const u = await makeUser(env.ctx, { username: 'zl_admin', role: 'district_admin', orgCode: '320404', displayName: 'zl_admin' });
    const zlAdmin = await loginAs(env.app, u.username, u.password);
    let a = await get(zlAdmin, zlBase);
    expect((await assessor.request('POST', `${zlBase}/spot-checks`, { method: 'size', size: 5 })).statusCode).toBe(403); // not submitted yet
    a = (await zlAdmin.request('PUT', `${zlBase}/self`, fullSelf(a, (max) => max))).json();
    expect((await zlAdmin.request('POST', `${zlBase}/submit`, { version: a.version })).json().status).toBe('submitted');
    expect((await zlAdmin.request('POST', `${zlBase}/spot-checks`, { method: 'size', size: 5 })).statusCode).toBe(403); // a district cannot draw

    const drawn = await assessor.request('POST', `${zlBase}/spot-checks`, { method: 'size', size: 12, seed: 'seed-2016-zl' });
    expect(drawn.statusCode, drawn.body).toBe(200);
    const check = drawn.json().items[0];
    expect(check).toMatchObject({ seed: 'seed-2016-zl', population: 30, requested: 12, errors: 0 });
    expect(check.records).toHaveLength(12);
    expect(check.records[0].idNumber).toMatch(/^\d{17}[\dX]$/); // in full for the city assessor, who compares it with the paper form (issue 14; the read is logged)
    // the same seed over the same population draws the same records; the district verifies it
    const again = (await assessor.request('POST', `${zlBase}/spot-checks`, { method: 'ratio', ratioPercent: 40, seed: 'seed-2016-zl' })).json().items[1];
    expect(again.records.map((r: { registrationId: number }) => r.registrationId)).toEqual(check.records.map((r: { registrationId: number }) => r.registrationId));
    const verify = await zlAdmin.request('GET', `${zlBase}/spot-checks/${check.id}/verify`);
    expect(verify.json()).toMatchObject({ matches: true, population: 30 });

    const accuracyOf = async () => items(await get(assessor, zlBase)).find((i) => i.kind === 'accuracy')!;
    expect((await accuracyOf()).assessedScore).toBe(50);
    const mark = (rec: { id: number; version: number }, wrong: boolean) =>
      assessor.request('PUT', `/api/spot-check-records/${rec.id}`, wrong ? { result: 'wrong', field: '联系电话', problem: '与纸质登记表不符', version: rec.version } : { result: 'correct', version: rec.version });
    expect((await assessor.request('PUT', `/api/spot-check-records/${check.records[0].id}`, { result: 'wrong', version: 0 })).statusCode).toBe(400); // which field, what
    for (const rec of check.records.slice(0, 3)) expect((await mark(rec, true)).statusCode).toBe(200);
    expect((await mark(check.records[3], false)).statusCode).toBe(200);
    expect((await mark(check.records[0], false)).statusCode).toBe(409); // stale version
    let acc = await accuracyOf();
    expect(acc.assessedScore).toBe(35);
    expect(acc.assessedComment).toContain('3 例');
    for (const rec of [...check.records.slice(4), ...again.records.slice(0, 1)].slice(0, 8)) expect((await mark(rec, true)).statusCode).toBe(200);
    acc = await accuracyOf();
    expect(acc.assessedScore).toBe(0); // 11 errors: 5 − 5.5 floored at 0
    // the photo of the paper form of a wrong record
    const photo = multipart(PNG, '登记表.png', {});
    const up = await env.app.inject({ method: 'POST', url: `/api/spot-check-records/${check.records[0].id}/photo`, headers: { cookie: assessor.cookie, ...photo.headers }, payload: photo.payload });
    expect(up.statusCode, up.body).toBe(200);
    const seen = await zlAdmin.request('GET', `/api/spot-check-records/${check.records[0].id}/photo`);
    expect(seen.statusCode).toBe(200);
    expectStoredFileHeaders(seen, { disposition: 'inline', name: `抽查照片-${check.records[0].id}.png`, fallback: `photo-${check.records[0].id}.png`, mime: 'image/png' });
    expect((await xbAdmin.request('GET', `/api/spot-check-records/${check.records[0].id}/photo`)).statusCode).toBe(404);
    // typing over it is refused; sending it back unchanged is fine
    a = await get(assessor, zlBase);
    const over = await assessor.request('PUT', `${zlBase}/review`, { items: [{ criterionId: acc.criterionId, assessedScore: 50, assessedComment: '' }], version: a.version });
    expect(over.statusCode).toBe(400);
    expect(over.json().error.message).toContain('抽查');
    const same = await assessor.request('PUT', `${zlBase}/review`, { items: items(a).map((i) => ({ criterionId: i.criterionId, assessedScore: i.kind === 'accuracy' ? 0 : i.maxScore, assessedComment: '' })), version: a.version });
    expect(same.statusCode, same.body).toBe(200);
    // another district sees none of it
    expect((await xbAdmin.request('GET', `${zlBase}/spot-checks`)).statusCode).toBe(404);
    expect((await xbAdmin.request('GET', `${zlBase}/spot-checks/${check.id}/verify`)).statusCode).toBe(404);
  });

  it('the system\'s own evidence, the scorecard and the overview as .xlsx, and each user\'s notifications', async () => {
    const zl = await orgId(env.ctx, '320404');
    const zlBase = `/api/campaigns/${campaignId}/assessments/${zl}`;
    const ev = await assessor.request('GET', `${zlBase}/system-evidence`);
    expect(ev.statusCode, ev.body).toBe(200);
    expect(ev.json()).toMatchObject({ dataCutoff: '2016-06-10', entered: 30, enteredByCutoff: 30, validByCutoff: 30, perDay: [{ day: '2016-05-01', count: 30 }] });
    expect((await xbAdmin.request('GET', `${zlBase}/system-evidence`)).statusCode).toBe(404);

    const x = await xbAdmin.request('GET', `${base}/scorecard.xlsx`);
    expect(x.statusCode).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(x.rawPayload as unknown as ArrayBuffer);
    const ws = wb.worksheets[0]!;
    expect(ws.getCell('A1').value).toBe('常州市市本级全民参保登记工作考核表');
    expect(String(ws.getCell('A2').value)).toContain('新北区');
    const values = ws.getSheetValues().filter(Boolean) as unknown[][];
    const totalRow = values.find((r) => r[1] === '合计')!;
    expect(totalRow.slice(3, 6)).toEqual([100, 99, 89.5]);
    expect((await tnAdmin.request('GET', `${base}/scorecard.xlsx`)).statusCode).toBe(404);
    const o = await cityAdmin.request('GET', `/api/campaigns/${campaignId}/assessments.xlsx`);
    expect(o.statusCode).toBe(200);

    const mine = (await assessor.request('GET', '/api/notifications')).json().items;
    expect(mine.map((n: { kind: string; title: string }) => [n.kind, n.title.includes('新北区') || n.title.includes('钟楼区')])).toEqual([
      ['arrived', true],
      ['arrived', true],
    ]);
    const tn = (await tnAdmin.request('GET', '/api/notifications')).json().items;
    expect(tn).toEqual([expect.objectContaining({ kind: 'due', link: expect.stringContaining(`/assessments/${campaignId}/`) })]);
    expect((await xbClerk.request('GET', '/api/notifications')).json().items).toEqual([]);
  });
});

