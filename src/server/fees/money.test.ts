// Money (issue 6 items 2–8, 11, 12): the tiers at 90 / 89.5 / 80 / 79.5, an exact fen amount from a
// known count, site funds as a separate line, compute → check (not by the computer) → approve (with
// reauth, warned above the special fund) → locked, reopen with a reason (printed copies superseded),
// payments never above the approved amount also when two arrive at once, the district's allocation
// never above what it received, and scope/roles route by route.
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestEnv, newUserClient, orgId, testEngine, type Client, type TestEnv } from '../testing/harness.js';
import { fakeIdNumber, makeRegistration } from '../testing/registration-factory.js';
import { makeFinalAssessment } from '../testing/fees-fixtures.js';
import { rmbCapital } from '../../domain/rmb-capital.js';
import { multipart } from '../testing/multipart.js';
import { PDF, expectStoredFileHeaders } from '../testing/stored-file.js';

describe(`fees, payments and allocation (${testEngine()})`, () => {
  let env: TestEnv;
  let cityAdmin: Client;
  let assessor: Client;
  let xbAdmin: Client;
  let xbClerk: Client;
  let tnAdmin: Client;
  let campaignId: number;
  let xb: number;
  let street: number;
  let money: string;
  let sheetId: number;
  let docNumber: string;

  beforeAll(async () => {
    env = await createTestEnv();
    cityAdmin = (await newUserClient(env, 'm_city', 'city_admin', '320400-SSB')).alwaysReauth();
    assessor = (await newUserClient(env, 'm_assessor', 'city_assessor', '320400-SSB')).alwaysReauth();
    xbAdmin = (await newUserClient(env, 'm_xb', 'district_admin', '320411')).alwaysReauth();
    xbClerk = await newUserClient(env, 'm_xb_clerk', 'clerk', '320411');
    tnAdmin = (await newUserClient(env, 'm_tn', 'district_admin', '320402')).alwaysReauth();
    const c = await env.ctx.db.selectFrom('campaign').select('id').where('code', '=', '2016').executeTakeFirstOrThrow();
    campaignId = Number(c.id);
    xb = await orgId(env.ctx, '320411');
    street = await orgId(env.ctx, '320411002');
    money = `/api/campaigns/${campaignId}/money/${xb}`;
    for (let i = 0; i < 7; i++) await makeRegistration(env.ctx, { orgCode: '320411002001', idNumber: fakeIdNumber('320411', '19700101', 100 + i), enteredAt: '2016-06-01T02:00:00.000Z' });
  });
  afterAll(async () => env?.close());

  const feeOf = async () => (await xbAdmin.request('GET', `/api/campaigns/${campaignId}/fees/${xb}`)).json();

  it('totals of 90, 89.5, 80 and 79.5 give 100 %, 90 %, 90 % and 80 % of 7 × 3 元, to the fen', async () => {
    expect((await cityAdmin.request('POST', `/api/campaigns/${campaignId}/count-snapshots/${xb}`, {})).statusCode).toBe(200);
    const cases: Array<[number, number, number]> = [
      [900, 100, 2100],
      [895, 90, 1890],
      [800, 90, 1890],
      [795, 80, 1680],
    ];
    for (const [total, percent, fen] of cases) {
      await makeFinalAssessment(env.ctx, campaignId, xb, total);
      expect(await feeOf()).toMatchObject({ ready: true, validCount: 7, assessedTotal: total, tier: { percent }, feeBaseFen: 2100, feeFen: fen, feeCapital: rmbCapital(fen) });
    }
  });

  it('a known count and rate give the exact amount: 12,345 × 3 元 × 90 % = 33,331.50 元 (叁万叁仟叁佰叁拾壹元伍角)', async () => {
    await env.ctx.db.updateTable('count_snapshot').set({ valid_count: 12_345 }).where('org_unit_id', '=', xb).where('superseded_at', 'is', null).execute();
    await makeFinalAssessment(env.ctx, campaignId, xb, 850);
    expect(await feeOf()).toMatchObject({ feeBaseFen: 3_703_500, feeFen: 3_333_150, feeCapital: '叁万叁仟叁佰叁拾壹元伍角' });
    await env.ctx.db.updateTable('count_snapshot').set({ valid_count: 7 }).where('org_unit_id', '=', xb).where('superseded_at', 'is', null).execute();
    await makeFinalAssessment(env.ctx, campaignId, xb, 920);
  });

  it('site funds: a street of the district, city admin only, a separate line', async () => {
    expect((await assessor.request('POST', `${money}/site-funds`, { orgUnitId: street, amountFen: 500_000, reason: '示范点' })).statusCode).toBe(403);
    const other = await orgId(env.ctx, '320402001');
    expect((await cityAdmin.request('POST', `${money}/site-funds`, { orgUnitId: other, amountFen: 500_000, reason: '不是本区的街道' })).statusCode).toBe(400);
    const r = await cityAdmin.request('POST', `${money}/site-funds`, { orgUnitId: street, amountFen: 500_000, reason: '全民参保登记工作示范点' });
    expect(r.statusCode, r.body).toBe(200);
    expect(r.json()).toMatchObject({ siteFundsFen: 500_000, computation: { feeFen: 2100 } });
  });

  it('compute → check by another city user → approve with reauth, warned above the special fund → locked', async () => {
    expect((await xbAdmin.request('POST', `${money}/compute`)).statusCode).toBe(403);
    const computed = await assessor.request('POST', `${money}/compute`);
    expect(computed.statusCode, computed.body).toBe(200);
    const s = computed.json();
    sheetId = s.id;
    docNumber = s.docNumber;
    expect(s).toMatchObject({ status: 'computed', validCount: 7, assessedTotal: 920, tierPercent: 100, feeFen: 2100, siteFundsFen: 500_000, totalFen: 502_100, totalCapital: '伍仟零贰拾壹元整' });
    expect(s.units.find((u: { level: string }) => u.level === 'street')).toMatchObject({ orgUnitId: street, validCount: 7 });
    const self = await assessor.request('POST', `/api/fee-sheets/${sheetId}/check`, { version: s.version });
    expect(self.statusCode).toBe(403);
    expect(self.json().error.message).toContain('核算人不能复核');
    const checked = await cityAdmin.request('POST', `/api/fee-sheets/${sheetId}/check`, { version: s.version });
    expect(checked.statusCode, checked.body).toBe(200);
    // a special fund below the total: the approval warns first
    await cityAdmin.reauth();
    expect((await cityAdmin.request('PUT', `/api/campaigns/${campaignId}/special-fund`, { amountFen: 400_000 })).statusCode).toBe(200);
    const warned = await cityAdmin.request('POST', `/api/fee-sheets/${sheetId}/approve`, { version: checked.json().version });
    expect(warned.statusCode).toBe(409);
    expect(warned.json().error.details.overFundWarning).toContain('超出全民参保登记专项工作经费');
    expect((await cityAdmin.request('GET', `/api/fee-sheets/${sheetId}`)).json().status).toBe('checked');
    expect((await assessor.request('POST', `/api/fee-sheets/${sheetId}/approve`, { version: checked.json().version, acknowledgeOverFund: true })).statusCode).toBe(403);
    const approved = await cityAdmin.request('POST', `/api/fee-sheets/${sheetId}/approve`, { version: checked.json().version, acknowledgeOverFund: true });
    expect(approved.statusCode, approved.body).toBe(200);
    expect(approved.json()).toMatchObject({ status: 'approved', approvedBy: 'm_city', checkedBy: 'm_city', computedBy: 'm_assessor' });
    const overview = (await cityAdmin.request('GET', `/api/campaigns/${campaignId}/money`)).json();
    expect(overview.overFundWarning).toContain('超出');
    expect(overview.rows.find((r: { districtId: number }) => r.districtId === xb)).toMatchObject({ sheetStatus: 'approved', approvedFen: 502_100, disbursementStatus: 'approved' });
    // locked: no recompute, no new site funds
    expect((await assessor.request('POST', `${money}/compute`)).statusCode).toBe(400);
    expect((await cityAdmin.request('POST', `${money}/site-funds`, { orgUnitId: street, amountFen: 100, reason: '审批后追加' })).statusCode).toBe(400);
  });

  it('a record edited after approval moves neither the frozen count nor the sheet', async () => {
    const rec = await env.ctx.db.selectFrom('registration').select('id').where('id_number', '=', fakeIdNumber('320411', '19700101', 100)).executeTakeFirstOrThrow();
    await env.ctx.db.updateTable('registration').set({ is_valid: 0, is_counted: 0 }).where('id', '=', rec.id).execute();
    const m = (await xbAdmin.request('GET', money)).json();
    expect(m.sheet).toMatchObject({ id: sheetId, validCount: 7, totalFen: 502_100 });
    expect(m.computation.validCount).toBe(7);
  });

  it('payments: never above the approved amount, also two at the same moment; a refused one changes nothing', async () => {
    const pay = (amountFen: number, voucherNo: string) => cityAdmin.request('POST', `${money}/payments`, { paidOn: '2016-07-01', amountFen, voucherNo, note: '' });
    const over = await pay(502_101, 'PZ-0');
    expect(over.statusCode).toBe(409);
    expect(over.json().error.message).toContain('最多还可拨付 5,021.00 元');
    expect(await env.ctx.db.selectFrom('payment').selectAll().execute()).toEqual([]);
    expect((await assessor.request('POST', `${money}/payments`, { paidOn: '2016-07-01', amountFen: 100, voucherNo: 'X', note: '' })).statusCode).toBe(403);
    expect((await pay(100, 'PZ-F')).statusCode).toBe(200);
    expect((await cityAdmin.request('POST', `${money}/payments`, { paidOn: '2999-01-01', amountFen: 100, voucherNo: 'X', note: '' })).statusCode).toBe(400);
    expect((await cityAdmin.request('POST', `${money}/payments`, { paidOn: '2016-02-30', amountFen: 100, voucherNo: 'X', note: '' })).json().error.message).toContain('不是有效日期');
    // 100 paid; two of 300,000 at once: only one fits under 502,100
    const [a, b] = await Promise.all([pay(300_000, 'PZ-A'), pay(300_000, 'PZ-B')]);
    expect([a.statusCode, b.statusCode].sort()).toEqual([200, 409]);
    const m = (await cityAdmin.request('GET', money)).json();
    expect(m).toMatchObject({ paidFen: 300_100, disbursementStatus: 'partly_paid' });
    expect((await pay(202_000, 'PZ-C')).statusCode).toBe(200);
    expect((await cityAdmin.request('GET', money)).json()).toMatchObject({ paidFen: 502_100, disbursementStatus: 'paid' });
  });

  it('allocation: the district admin splits what it received, never more (also two saves at once), with a suggestion by street', async () => {
    const m = (await xbAdmin.request('GET', money)).json();
    expect(m.allocation).toMatchObject({ version: 0, receivedFen: 502_100 });
    expect(m.allocation.suggestedUnits.find((u: { orgUnitId: number }) => u.orgUnitId === street)).toMatchObject({ validCount: 7, amountFen: 502_100 });
    const body = (purposes: number[], unitFen: number, version: number) => ({
      version,
      purposes: (['publicity', 'survey', 'entry', 'analysis'] as const).map((p, i) => ({ purpose: p, amountFen: purposes[i] ?? 0, note: '' })),
      units: [{ orgUnitId: street, amountFen: unitFen }],
    });
    const over = await xbAdmin.request('PUT', `${money}/allocation`, body([200_000, 200_000, 100_000, 2_101], 0, 0));
    expect(over.statusCode).toBe(409);
    expect(over.json().error.message).toContain('超过已到账');
    expect((await xbAdmin.request('GET', money)).json().allocation.version).toBe(0);
    expect((await cityAdmin.request('PUT', `${money}/allocation`, body([1], 0, 0))).statusCode).toBe(403);
    expect((await tnAdmin.request('PUT', `${money}/allocation`, body([1], 0, 0))).statusCode).toBe(404);
    const [x, y] = await Promise.all([xbAdmin.request('PUT', `${money}/allocation`, body([100_000, 200_000, 100_000, 102_100], 502_100, 0)), xbAdmin.request('PUT', `${money}/allocation`, body([1, 1, 1, 1], 4, 0))]);
    expect([x.statusCode, y.statusCode].sort()).toEqual([200, 409]);
    const saved = (await cityAdmin.request('GET', money)).json().allocation;
    expect(saved.version).toBe(1);
    expect([saved.purposesFen, saved.unitsFen]).toEqual(x.statusCode === 200 ? [502_100, 502_100] : [4, 4]);
    if (x.statusCode !== 200) expect((await xbAdmin.request('PUT', `${money}/allocation`, body([100_000, 200_000, 100_000, 102_100], 502_100, 1))).statusCode).toBe(200);
    // voiding a payment below what is allocated is refused
    const p = (await cityAdmin.request('GET', money)).json().payments.find((q: { voucherNo: string }) => q.voucherNo === 'PZ-C');
    const v = await cityAdmin.request('POST', `/api/payments/${p.id}/void`, { reason: '凭证号录错' });
    expect(v.statusCode).toBe(409);
    expect(v.json().error.message).toContain('请区人社部门先调整分配');
  });

  it('reopen with a reason: the sheet and its printed copies are superseded; a new computation points the old number to the new one', async () => {
    const pub = await env.app.inject({ method: 'GET', url: `/api/verify/${docNumber}` });
    expect(pub.statusCode).toBe(200);
    expect(pub.json()).toMatchObject({ state: 'valid', kind: 'fee_sheet' });
    expect(pub.json().lines).toEqual(expect.arrayContaining([{ label: '合计', value: '5,021.00 元（伍仟零贰拾壹元整）' }, { label: '当前核算状态', value: '已审批（金额锁定）' }]));
    expect((await env.app.inject({ method: 'GET', url: '/api/verify/FS-2016-320411-XXXXXX' })).statusCode).toBe(404);
    const s = (await cityAdmin.request('GET', `/api/fee-sheets/${sheetId}`)).json();
    expect((await cityAdmin.request('POST', `/api/fee-sheets/${sheetId}/reopen`, { version: s.version })).statusCode).toBe(400); // no reason
    const re = await cityAdmin.request('POST', `/api/fee-sheets/${sheetId}/reopen`, { version: s.version, reason: '示范点经费需要调整' });
    expect(re.statusCode, re.body).toBe(200);
    expect(re.json()).toMatchObject({ status: 'superseded', supersedeReason: '示范点经费需要调整' });
    expect((await env.app.inject({ method: 'GET', url: `/api/verify/${docNumber}` })).json()).toMatchObject({ state: 'superseded', supersededBy: null });
    const again = await assessor.request('POST', `${money}/compute`);
    expect(again.statusCode, again.body).toBe(200);
    expect((await env.app.inject({ method: 'GET', url: `/api/verify/${docNumber}` })).json()).toMatchObject({ state: 'superseded', supersededBy: again.json().docNumber });
    const m = (await cityAdmin.request('GET', money)).json();
    expect(m.earlierSheets.map((x: { id: number }) => x.id)).toEqual([sheetId]);
    expect(m.disbursementStatus).toBe('not_approved');
  });

  it('a district reads only its own money: another district gets 404 on the page, the sheet, the print and the files; the overview shows its own row', async () => {
    expect((await tnAdmin.request('GET', money)).statusCode).toBe(404);
    expect((await tnAdmin.request('GET', `/api/fee-sheets/${sheetId}`)).statusCode).toBe(404);
    expect((await tnAdmin.request('GET', `/api/fee-sheets/${sheetId}/xlsx`)).statusCode).toBe(404);
    expect((await tnAdmin.request('POST', `/api/fee-sheets/${sheetId}/document`)).statusCode).toBe(404);
    const p = (await cityAdmin.request('GET', money)).json().payments[0];
    // the voucher (a PDF uploaded as .html) is offered as .pdf, under a CSP, not sniffed
    const voucher = multipart(PDF, '拨付凭证.html', {});
    const up = await env.app.inject({ method: 'POST', url: `/api/payments/${p.id}/attachment`, headers: { cookie: cityAdmin.cookie, ...voucher.headers }, payload: voucher.payload });
    expect(up.statusCode, up.body).toBe(200);
    expectStoredFileHeaders(await xbAdmin.request('GET', `/api/payments/${p.id}/attachment`), { disposition: 'inline', name: '拨付凭证.pdf', fallback: `payment-${p.id}.pdf`, mime: 'application/pdf' });
    expectStoredFileHeaders(await xbAdmin.request('GET', `/api/payments/${p.id}/attachment?download=1`), { disposition: 'attachment', name: '拨付凭证.pdf', fallback: `payment-${p.id}.pdf`, mime: 'application/pdf' });
    expect((await tnAdmin.request('GET', `/api/payments/${p.id}/attachment`)).statusCode).toBe(404);
    expect((await xbClerk.request('POST', `/api/payments/${p.id}/void`, { reason: '无权' })).statusCode).toBe(403);
    const o = (await tnAdmin.request('GET', `/api/campaigns/${campaignId}/money`)).json();
    expect(o.rows.map((r: { districtName: string }) => r.districtName)).toEqual(['天宁区']);
    expect((await xbAdmin.request('GET', `/api/fee-sheets/${sheetId}`)).statusCode).toBe(200);
  });

  it('the calculation sheet and the overview as .xlsx: the numbers, the 大写 and the document number', async () => {
    const res = await xbAdmin.request('GET', `/api/fee-sheets/${sheetId}/xlsx`);
    expect(res.statusCode).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.rawPayload as unknown as ExcelJS.Buffer);
    const text: string[] = [];
    wb.worksheets[0]!.eachRow((row) => row.eachCell((c) => text.push(String(c.value))));
    expect(text).toEqual(expect.arrayContaining(['合计（人民币大写）', '伍仟零贰拾壹元整', `文书编号：${docNumber}`, '7 人', '92 分', '核算人（签字）：', '复核人（签字）：', '审批人（签字）：']));
    // No internal references (record numbers) on the sheet; only streets with records in its breakdown.
    expect(text.some((t) => /#\d/.test(t))).toBe(false);
    const sheet = (await xbAdmin.request('GET', `/api/fee-sheets/${sheetId}`)).json() as { units: Array<{ orgUnitName: string; level: string; entered: number }> };
    const ws = wb.worksheets[0]!;
    const breakdown: string[] = [];
    let inside = false;
    ws.eachRow((row) => {
      const first = String(row.getCell(1).value ?? '');
      if (first === '有效数据构成（截至数据截止日）') inside = true;
      else if (inside && first === '') inside = false;
      else if (inside) breakdown.push(first);
    });
    const streets = sheet.units.filter((x) => x.level === 'street');
    expect(streets.some((u) => u.entered === 0) && streets.some((u) => u.entered > 0)).toBe(true);
    for (const u of streets) expect(breakdown.includes(u.orgUnitName), u.orgUnitName).toBe(u.entered > 0);
    const doc = (await xbAdmin.request('POST', `/api/fee-sheets/${sheetId}/document`)).json();
    expect(doc).toMatchObject({ docNumber, verifyUrl: expect.stringContaining(`/verify/${docNumber}`), qrSvg: expect.stringContaining('<svg') });
    const ov = await cityAdmin.request('GET', `/api/campaigns/${campaignId}/money.xlsx`);
    expect(ov.statusCode).toBe(200);
    const wb2 = new ExcelJS.Workbook();
    await wb2.xlsx.load(ov.rawPayload as unknown as ExcelJS.Buffer);
    const names = [3, 4, 5, 6].map((r) => wb2.worksheets[0]!.getRow(r).getCell(1).value);
    expect(names).toEqual(['天宁区', '钟楼区', '新北区', '合计']);
  });
});
