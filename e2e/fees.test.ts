// Browser test of the fees (考核费用, seed 四): a city admin sets the special work fund and freezes
// 新北区's valid count (25 persons) and adds a demonstration-site fund; an assessor computes the fee
// (25 × 3 元 × 100 % = 75.00 元), another city user checks it, the city admin approves it (password
// prompt, then the warning that the special fund is exceeded), records a payment above the approved
// amount (refused, in Chinese, no row) and a partial one (部分拨付); the 新北区 admin allocates the
// money with the suggested split by street (an over-allocation is refused); the print view carries the
// document number, a QR code and the total in 人民币大写 (A4 PDF); the public verification page says
// 有效, and 已作废 once the city admin reopens the sheet; a 天宁区 admin gets "not found" for 新北区's page.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { dialogReady, launchBrowser, loginInBrowser, startServer, type E2eServer } from './support.js';
import { makeUser, orgId } from '../src/server/testing/harness.js';
import { fakeIdNumber, makeRegistration } from '../src/server/testing/registration-factory.js';
import { rmbCapital } from '../src/domain/rmb-capital.js';
import type { DistrictMoney, MoneyOverview } from '../src/shared/api-fees.js';

const SHOT_DIR = process.env.CANBAO_E2E_SHOTS ?? 'test-results';
const VALID = 25; // 15 in 三井街道, 10 in 龙虎塘街道
const FEE_FEN = VALID * 300; // total 100 ≥ 90 → 100 % of 3 元/人
const SITE_FUND_FEN = 50_000; // 500.00 元 for 三井街道
const TOTAL_FEN = FEE_FEN + SITE_FUND_FEN;
const PAID_FEN = 20_000;
// A 1×1 transparent PNG.
const PNG = Buffer.from(
  '89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082',
  'hex',
);

type Who = 'admin' | 'assessor' | 'checker' | 'xb' | 'tn';

describe('fees in the browser', () => {
  let server: E2eServer;
  let browser: Browser;
  let campaignId: number;
  let xinbei: number;
  let sanjing: number;
  let longhutang: number;
  let districtUrl: string;
  let users: Record<Who, { username: string; password: string }>;
  let docNumber: string;
  let sheetId: number;

  beforeAll(async () => {
    server = await startServer();
    browser = await launchBrowser();
    const c = await server.ctx.db.selectFrom('campaign').select('id').where('code', '=', '2016').executeTakeFirstOrThrow();
    campaignId = Number(c.id);
    xinbei = await orgId(server.ctx, '320411');
    sanjing = await orgId(server.ctx, '320411002');
    longhutang = await orgId(server.ctx, '320411003');
    districtUrl = `${server.baseUrl}/fees/${campaignId}/${xinbei}`;
    users = {
      admin: await makeUser(server.ctx, { username: 'fee_admin', role: 'city_admin', orgCode: '320400-SSB', displayName: '市管理员' }),
      assessor: await makeUser(server.ctx, { username: 'fee_assessor', role: 'city_assessor', orgCode: '320400-SSB', displayName: '市考核员' }),
      checker: await makeUser(server.ctx, { username: 'fee_checker', role: 'city_assessor', orgCode: '320400-SSB', displayName: '市复核员' }),
      xb: await makeUser(server.ctx, { username: 'fee_xb', role: 'district_admin', orgCode: '320411', displayName: '新北管理员' }),
      tn: await makeUser(server.ctx, { username: 'fee_tn', role: 'district_admin', orgCode: '320402', displayName: '天宁管理员' }),
    };
    // Records entered before the 2016 data cutoff (2016-06-10): 25 valid, 2 invalid.
    const before = '2016-06-09T02:00:00.000Z';
    for (let i = 0; i < 15; i++) await makeRegistration(server.ctx, { orgCode: '320411002001', idNumber: fakeIdNumber('320411', '19800101', 100 + i), enteredAt: before });
    for (let i = 0; i < 10; i++) await makeRegistration(server.ctx, { orgCode: '320411003001', idNumber: fakeIdNumber('320411', '19810101', 200 + i), enteredAt: before });
    for (let i = 0; i < 2; i++) await makeRegistration(server.ctx, { orgCode: '320411002001', idNumber: fakeIdNumber('320411', '19820101', 300 + i), enteredAt: before, valid: false });
    // 新北区's assessment is final with every item at its standard score (100 points).
    const at = new Date().toISOString();
    const a = await server.ctx.db
      .insertInto('assessment')
      .values({ campaign_id: campaignId, org_unit_id: xinbei, status: 'final', created_at: at, updated_at: at, finalized_at: at, version: 3 })
      .returning('id')
      .executeTakeFirstOrThrow();
    const criteria = await server.ctx.db.selectFrom('scorecard_criterion').select(['id', 'max_score']).where('campaign_id', '=', campaignId).execute();
    for (const k of criteria) {
      await server.ctx.db
        .insertInto('assessment_item')
        .values({ assessment_id: Number(a.id), criterion_id: Number(k.id), self_score: Number(k.max_score), self_note: '', assessed_score: Number(k.max_score), assessed_comment: '', updated_at: at })
        .execute();
    }
    fs.mkdirSync(SHOT_DIR, { recursive: true });
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  async function session(who: Who): Promise<{ context: BrowserContext; page: Page }> {
    const context = await browser.newContext({ viewport: { width: 1500, height: 1000 } });
    const page = await context.newPage();
    await loginInBrowser(page, server.baseUrl, users[who].username, users[who].password);
    await page.waitForSelector('[data-testid=user-menu]');
    return { context, page };
  }

  const shot = (page: Page, name: string) => page.screenshot({ path: path.join(SHOT_DIR, `${name}.png`), fullPage: true });

  async function money(page: Page): Promise<DistrictMoney> {
    return page.evaluate(async (url) => (await (await fetch(url)).json()) as DistrictMoney, `/api/campaigns/${campaignId}/money/${xinbei}`);
  }

  /** An antd InputNumber by its test id (the id lands on the input or on its wrapper). */
  async function fillNumber(loc: Locator, text: string): Promise<void> {
    const tag = await loc.evaluate((el) => el.tagName);
    const input = tag === 'INPUT' ? loc : loc.locator('input').first();
    await input.fill(text);
    await input.blur();
  }

  /** Answers the password prompt if the server asks for it before `done` shows up. */
  async function passwordIfAsked(page: Page, who: Who, done: Locator): Promise<boolean> {
    const prompt = page.getByRole('dialog', { name: '安全验证' });
    const first = await Promise.race([prompt.waitFor().then(() => 'prompt' as const), done.waitFor().then(() => 'done' as const)]);
    if (first === 'done') return false;
    await dialogReady(prompt);
    await page.fill('#reauth-password', users[who].password);
    await page.press('#reauth-password', 'Enter');
    await prompt.waitFor({ state: 'hidden' });
    return true;
  }

  const confirmDialog = (page: Page, title: string) => page.locator('.ant-modal-confirm').filter({ hasText: title });

  it('a city admin sets the special work fund, freezes 新北区’s count and adds a demonstration-site fund', async () => {
    const { context, page } = await session('admin');
    await page.getByRole('menuitem', { name: /考核费用/ }).click();
    await page.waitForURL('**/fees');
    const table = page.getByTestId('money-table');
    await table.getByRole('link', { name: '新北区' }).waitFor();
    expect(await table.locator('tbody tr.ant-table-row').count()).toBeGreaterThanOrEqual(3);

    // 100.00 元: less than what 新北区 alone will get, so the approval will warn.
    await page.getByTestId('special-fund-edit').click();
    await fillNumber(page.getByTestId('special-fund-input'), '100');
    await page.getByTestId('special-fund-save').click();
    await confirmDialog(page, '修改专项工作经费？').getByRole('button', { name: '确认修改' }).click();
    await passwordIfAsked(page, 'admin', page.getByTestId('special-fund'));
    await expect.poll(() => page.getByTestId('special-fund').textContent()).toBe('100.00 元');
    await page.getByTestId('money-chart').waitFor();
    await shot(page, 'fees-overview-empty');

    // A row opens the district's page; nothing can be computed before the freeze.
    await table.locator('tbody tr.ant-table-row').filter({ hasText: '新北区' }).locator('td').nth(2).click();
    await page.waitForURL(`**/fees/${campaignId}/${xinbei}`);
    const missing = page.getByTestId('computation-missing');
    await missing.waitFor();
    expect(await missing.textContent()).toContain('有效数据尚未冻结');

    await page.getByTestId('freeze').click();
    await confirmDialog(page, '冻结有效数据？').getByRole('button', { name: '冻结' }).click();
    await page.getByTestId('snapshot-valid').waitFor();
    expect(await page.getByTestId('snapshot-valid').textContent()).toBe(`${VALID} 人`);
    const units = page.getByTestId('snapshot-units');
    const sanjingRow = units.locator('tr').filter({ hasText: '三井街道' });
    expect(await sanjingRow.locator('td').nth(2).textContent()).toBe('17'); // 已录入
    expect(await sanjingRow.locator('td').last().textContent()).toBe('15'); // 有效数据
    expect(await units.locator('tr').filter({ hasText: '龙虎塘街道' }).locator('td').last().textContent()).toBe('10');
    await page.getByTestId('computation').waitFor();
    expect(await page.getByTestId('computation-fee').textContent()).toBe('75.00 元');
    expect(await page.getByTestId('refreeze').isVisible()).toBe(true);

    // 示范点经费 for 三井街道: 500 元, with a reason.
    await page.getByTestId('add-site-fund').click();
    const dialog = page.getByRole('dialog', { name: /录入示范点工作经费/ });
    await dialogReady(dialog);
    await dialog.getByLabel('示范点（街道/镇或社区/村）').click();
    await page.locator('.ant-select-tree-title', { hasText: /^三井街道$/ }).click();
    await fillNumber(dialog.getByTestId('site-fund-amount'), '500');
    await dialog.getByTestId('site-fund-reason').fill('全民参保登记工作示范点');
    await dialog.getByRole('button', { name: '录入' }).click();
    await confirmDialog(page, '发放示范点工作经费？').getByRole('button', { name: '确认' }).click();
    await dialog.waitFor({ state: 'hidden' });
    const funds = page.getByTestId('site-funds-card');
    await funds.getByText('全民参保登记工作示范点').waitFor();
    expect(await funds.textContent()).toContain('500.00');
    const m = await money(page);
    expect(m.siteFunds.map((f) => [f.orgUnitId, f.amountFen])).toEqual([[sanjing, SITE_FUND_FEN]]);
    expect(await page.getByTestId('compute').count()).toBe(1); // a city admin may compute too
    await shot(page, 'fees-district-frozen');
    await context.close();
  });

  it('an assessor computes the fee sheet and may not check it; another city user checks it', async () => {
    const { context, page } = await session('assessor');
    await page.goto(districtUrl);
    await page.getByTestId('compute').click();
    await confirmDialog(page, '核算考核费用？').getByRole('button', { name: '核算' }).click();
    expect(await passwordIfAsked(page, 'assessor', page.getByTestId('sheet-status'))).toBe(true); // money: the password again
    await expect.poll(() => page.getByTestId('sheet-status').textContent()).toBe('已核算，待复核');
    expect(await page.getByTestId('sheet-fee').textContent()).toBe('75.00 元 × 100% = 75.00 元');
    expect(await page.getByTestId('sheet-total').textContent()).toBe('575.00 元');
    expect(await page.getByTestId('sheet-capital').textContent()).toBe(rmbCapital(TOTAL_FEN));
    expect(await page.getByTestId('check').isDisabled()).toBe(true); // not by the person who computed it
    expect(await page.getByTestId('approve').count()).toBe(0);
    const facts = (await page.getByTestId('sheet-facts').textContent()) ?? '';
    expect(facts).toContain(`${VALID} 人`);
    expect(facts).toContain('截至 2016-06-10');
    expect(facts).toContain('三井街道 15');
    expect(facts).toContain('100 分');
    await shot(page, 'fees-district-computed');
    // Printed before approval, the sheet says it is a draft.
    const draftId = (await money(page)).sheet!.id;
    await page.goto(`${server.baseUrl}/fees/sheets/${draftId}/print`);
    await page.getByTestId('print-qr').locator('svg').waitFor();
    expect(await page.getByTestId('print-state').textContent()).toContain('尚未审批');
    expect(await page.locator('.fee-print-watermark').textContent()).toBe('草稿 · 未审批');
    await shot(page, 'fees-print-draft');
    await context.close();

    const other = await session('checker');
    await other.page.goto(districtUrl);
    await other.page.getByTestId('check').click();
    await confirmDialog(other.page, '复核核算表？').getByRole('button', { name: '复核通过' }).click();
    expect(await passwordIfAsked(other.page, 'checker', other.page.getByTestId('sheet-status').filter({ hasText: '已复核，待审批' }))).toBe(true);
    await expect.poll(() => other.page.getByTestId('sheet-status').textContent()).toBe('已复核，待审批');
    expect(await other.page.getByTestId('sheet-steps').textContent()).toContain('市复核员');
    await other.context.close();
  });

  it('the city admin approves (password, then the over-fund warning), a payment above the approved amount is refused, a partial one is recorded', async () => {
    const { context, page } = await session('admin');
    await page.goto(districtUrl);
    await page.getByTestId('approve').click();
    await confirmDialog(page, '审批核算表？').getByRole('button', { name: '审批' }).click();
    const warning = page.getByTestId('over-fund-confirm');
    expect(await passwordIfAsked(page, 'admin', warning)).toBe(true);
    await warning.waitFor();
    expect(await warning.textContent()).toMatch(/专项工作经费/);
    await shot(page, 'fees-over-fund-warning');
    await confirmDialog(page, '超出专项工作经费').getByRole('button', { name: '仍然审批' }).click();
    await expect.poll(() => page.getByTestId('sheet-status').textContent()).toBe('已审批（金额锁定）');
    expect(await page.getByTestId('approved-amount').textContent()).toBe('575.00 元');
    expect(await page.getByTestId('disbursement-status').textContent()).toBe('已审批，未拨付');
    const approved = await money(page);
    expect(approved.approvedFen).toBe(TOTAL_FEN);
    sheetId = approved.sheet!.id;
    docNumber = approved.sheet!.docNumber;

    // 600 元 > 575 元: refused with a Chinese message, no row.
    const form = page.getByTestId('payment-form');
    await form.getByLabel('拨付日期').fill('2016-08-01');
    await form.getByLabel('拨付日期').press('Enter');
    await fillNumber(page.getByTestId('payment-amount'), '600');
    await page.getByTestId('payment-voucher').fill('记-2016-0801');
    await page.getByTestId('payment-submit').click();
    await confirmDialog(page, '登记拨付？').getByRole('button', { name: '登记拨付' }).click();
    const error = page.getByTestId('payment-error');
    await passwordIfAsked(page, 'admin', error);
    await error.waitFor();
    expect(await error.textContent()).toMatch(/[\u4e00-\u9fa5]/);
    expect(await page.getByTestId('payments-table').locator('tbody tr.ant-table-row').count()).toBe(0);
    expect((await money(page)).payments).toHaveLength(0);

    // 200 元: 部分拨付.
    await fillNumber(page.getByTestId('payment-amount'), '200');
    await page.getByTestId('payment-submit').click();
    await confirmDialog(page, '登记拨付？').getByRole('button', { name: '登记拨付' }).click();
    const row = page.getByTestId('payments-table').locator('tbody tr.ant-table-row');
    await passwordIfAsked(page, 'admin', row.first());
    await expect.poll(() => row.count()).toBe(1);
    expect(await row.first().textContent()).toContain('200.00');
    expect(await row.first().textContent()).toContain('记-2016-0801');
    await expect.poll(() => page.getByTestId('disbursement-status').textContent()).toBe('部分拨付');
    expect(await page.getByTestId('paid-amount').textContent()).toBe('200.00 元');
    const paid = await money(page);
    expect(paid).toMatchObject({ paidFen: PAID_FEN, disbursementStatus: 'partly_paid' });

    // The scan of the voucher, uploaded to the payment and served back.
    const scan = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'canbao-e2e-voucher-')), '拨付凭证.png');
    fs.writeFileSync(scan, PNG);
    await row.first().locator('input[type=file]').setInputFiles(scan);
    const link = page.getByTestId(`payment-attachment-${paid.payments[0]!.id}`);
    await link.waitFor();
    expect(await link.textContent()).toContain('拨付凭证.png');
    const file = await page.request.get(`${server.baseUrl}/api/payments/${paid.payments[0]!.id}/attachment`);
    expect(file.status()).toBe(200);
    expect(Buffer.from(await file.body()).equals(PNG)).toBe(true);
    // The calculation sheet and the overview as .xlsx.
    for (const url of [`/api/fee-sheets/${sheetId}/xlsx`, `/api/campaigns/${campaignId}/money.xlsx`]) {
      const x = await page.request.get(`${server.baseUrl}${url}`);
      expect(x.status(), url).toBe(200);
      expect(Buffer.from(await x.body()).subarray(0, 2).toString('latin1')).toBe('PK');
    }
    await shot(page, 'fees-district-paid');

    // The overview: the row, the totals and the warning that the special fund is exceeded.
    await page.goto(`${server.baseUrl}/fees?campaign=${campaignId}`);
    const xbRow = page.getByTestId('money-table').locator('tbody tr.ant-table-row').filter({ hasText: '新北区' });
    await xbRow.waitFor();
    const text = (await xbRow.textContent()) ?? '';
    for (const s of [`${VALID} 人`, '75.00', '500.00', '575.00', '200.00', '部分拨付']) expect(text).toContain(s);
    await page.getByTestId('over-fund-warning').waitFor();
    const overview = await page.evaluate(async (url) => (await (await fetch(url)).json()) as MoneyOverview, `/api/campaigns/${campaignId}/money`);
    expect(overview.totals).toMatchObject({ feeFen: FEE_FEN, siteFundsFen: SITE_FUND_FEN, totalFen: TOTAL_FEN, approvedFen: TOTAL_FEN, paidFen: PAID_FEN });
    expect(overview.overFundWarning).not.toBeNull();
    await shot(page, 'fees-overview');
    await context.close();
  });

  it('the 新北区 admin allocates the received money with the suggested split; an over-allocation is refused', async () => {
    const { context, page } = await session('xb');
    await page.goto(`${server.baseUrl}/fees`);
    const table = page.getByTestId('money-table');
    await table.getByRole('link', { name: '新北区' }).waitFor();
    expect(await table.locator('tbody tr.ant-table-row').count()).toBe(1);
    await table.getByRole('link', { name: '新北区' }).click();
    await page.getByTestId('allocation-card').waitFor();
    expect(await page.getByTestId('alloc-received').textContent()).toBe('200.00 元');
    // District users read the sheet but have no city buttons.
    for (const id of ['freeze', 'refreeze', 'compute', 'check', 'approve', 'reopen', 'add-site-fund', 'payment-form']) expect(await page.getByTestId(id).count()).toBe(0);

    // 按有效数据比例建议: 15 : 10 of 200 元.
    await page.getByTestId('alloc-suggest').click();
    const unitInput = (id: number) => page.getByTestId(`alloc-unit-${id}`);
    const valueOf = async (loc: Locator) => ((await loc.evaluate((el) => el.tagName)) === 'INPUT' ? loc : loc.locator('input').first()).inputValue();
    expect(await valueOf(unitInput(sanjing))).toBe('120.00');
    expect(await valueOf(unitInput(longhutang))).toBe('80.00');
    expect(await page.getByTestId('alloc-units-remaining').textContent()).toContain('剩余 0.00 元');

    // By purpose: 150 + 100 = 250 > 200 → shown red and refused.
    await fillNumber(page.getByTestId('alloc-purpose-publicity'), '150');
    await fillNumber(page.getByTestId('alloc-purpose-survey'), '100');
    const remaining = page.getByTestId('alloc-purposes-remaining');
    await expect.poll(() => remaining.getAttribute('data-over')).toBe('true');
    expect(await remaining.textContent()).toContain('超出已到位资金 50.00 元');
    expect(await remaining.evaluate((el) => getComputedStyle(el).color)).toBe('rgb(207, 19, 34)');
    await page.getByTestId('alloc-save').click();
    await page.getByTestId('alloc-error').waitFor();
    expect(await page.getByTestId('alloc-error').textContent()).toContain('超过已拨付到位的 200.00 元');
    await shot(page, 'fees-allocation-over');
    // The server refuses it as well (once the password is re-entered: saving an allocation is a money action).
    const reauth = await page.evaluate(
      async (password) => (await fetch('/api/auth/reauth', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ password }) })).status,
      users.xb.password,
    );
    expect(reauth).toBe(200);
    const refused = await page.evaluate(
      async ({ url, body }) => {
        const r = await fetch(url, { method: 'PUT', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
        return { status: r.status, body: (await r.json()) as { error?: { message?: string } } };
      },
      {
        url: `/api/campaigns/${campaignId}/money/${xinbei}/allocation`,
        body: { version: 0, purposes: [{ purpose: 'publicity', amountFen: 15_000, note: '' }, { purpose: 'survey', amountFen: 10_000, note: '' }], units: [] },
      },
    );
    expect(refused.status).toBe(409);
    expect(refused.body.error?.message).toMatch(/[\u4e00-\u9fa5]/);

    // 150 + 50 = 200: saved.
    await fillNumber(page.getByTestId('alloc-purpose-survey'), '50');
    await expect.poll(() => remaining.getAttribute('data-over')).toBe('false');
    await page.getByTestId('alloc-save').click();
    await confirmDialog(page, '保存分配方案？').getByRole('button', { name: '保存' }).click();
    await passwordIfAsked(page, 'xb', page.getByText('分配方案已保存'));
    await page.getByText('分配方案已保存').waitFor();
    const m = await money(page);
    expect(m.allocation.version).toBe(1);
    expect(m.allocation.purposesFen).toBe(PAID_FEN);
    expect(m.allocation.unitsFen).toBe(PAID_FEN);
    expect(m.allocation.units.filter((u) => u.amountFen > 0).map((u) => [u.orgUnitId, u.amountFen])).toEqual([
      [sanjing, 12_000],
      [longhutang, 8_000],
    ]);
    await shot(page, 'fees-allocation');
    await context.close();
  });

  it('the print view shows the document number, the QR code and the total in 人民币大写, on A4; the public page verifies it', async () => {
    const { context, page } = await session('admin');
    await page.goto(districtUrl);
    const [print] = await Promise.all([context.waitForEvent('page'), page.getByTestId('print-sheet').click()]);
    await print.waitForLoadState();
    expect(new URL(print.url()).pathname).toBe(`/fees/sheets/${sheetId}/print`);
    await print.getByTestId('print-qr').locator('svg').waitFor();
    expect(await print.getByTestId('print-doc-number').textContent()).toBe(docNumber);
    expect(await print.getByTestId('print-capital').textContent()).toBe(rmbCapital(TOTAL_FEN));
    expect(await print.getByTestId('print-total').textContent()).toBe('575.00');
    expect(await print.getByTestId('print-fee').textContent()).toBe('75.00');
    const printed = (await print.getByTestId('fee-print').textContent()) ?? '';
    for (const s of ['常州市市本级全民参保登记工作考核费用核算表', '单位（章）：新北区', '截至 2016-06-10', '三井街道', '龙虎塘街道', '扫码核验', '核算人', '复核人', '审批人', '市考核员', '市复核员', '市管理员']) {
      expect(printed).toContain(s);
    }
    // No internal references on paper; each signature line is blank, the name printed under it.
    expect(printed).not.toMatch(/编号\s*#/);
    for (const role of ['核算人', '复核人', '审批人']) {
      expect((await print.getByTestId(`print-sig-${role}`).textContent())?.trim()).toMatch(/^市(考核员|复核员|管理员)$/);
      expect(await print.getByTestId(`print-sig-${role}`).locator('xpath=preceding-sibling::span[contains(@class, "sig-line")]').textContent()).toBe('');
    }
    // Only streets with records are listed in the count's breakdown.
    const listed = await print.getByTestId('print-breakdown').locator('td:not(.n)').allInnerTexts();
    const sheetRow = await server.ctx.db.selectFrom('fee_sheet').select('snapshot_id').where('id', '=', sheetId).executeTakeFirstOrThrow();
    const withRecords = await server.ctx.db
      .selectFrom('count_snapshot_unit as c')
      .innerJoin('org_unit as o', 'o.id', 'c.org_unit_id')
      .select('o.name')
      .where('c.snapshot_id', '=', sheetRow.snapshot_id)
      .where('o.level', '=', 'street')
      .where('c.entered', '>', 0)
      .execute();
    expect(withRecords.length).toBeGreaterThan(0);
    expect(listed.filter((t) => t.trim()).sort()).toEqual(withRecords.map((w) => w.name).sort());
    const verifyUrl = (await print.getByTestId('print-verify-url').textContent()) ?? '';
    expect(verifyUrl).toContain(`/verify/${docNumber}`);
    expect(await print.getByTestId('print-state').textContent()).toContain('已审批');
    await print.setViewportSize({ width: 1000, height: 1300 });
    await shot(print, 'fees-print');
    // On paper: the sheet only, no toolbar.
    await print.emulateMedia({ media: 'print' });
    expect(await print.getByTestId('print-button').isVisible()).toBe(false);
    expect(await print.getByTestId('fee-print').isVisible()).toBe(true);
    const pdfPath = path.join(SHOT_DIR, 'fees-print.pdf');
    await print.pdf({ path: pdfPath, format: 'A4', printBackground: true });
    const pdf = fs.readFileSync(pdfPath, 'latin1');
    expect(pdf.startsWith('%PDF-')).toBe(true);
    expect(pdf).toMatch(/\/MediaBox \[0 0 595(\.\d+)? 84[12](\.\d+)?\]/);
    expect(pdf.match(/\/Type\s*\/Page[^s]/g)?.length).toBe(1); // one sheet of paper
    await context.close();

    // The verification page needs no login.
    const anon = await browser.newContext({ viewport: { width: 420, height: 900 } });
    const phone = await anon.newPage();
    await phone.goto(`${server.baseUrl}/verify/${encodeURIComponent(docNumber)}`);
    const result = phone.getByTestId('verify-result');
    await result.waitFor();
    expect(await result.getAttribute('data-state')).toBe('valid');
    expect(await phone.getByTestId('verify-state').textContent()).toContain('有效');
    expect(await phone.getByTestId('verify-doc-number').textContent()).toBe(docNumber);
    expect(await result.textContent()).toContain('新北区');
    expect(new URL(phone.url()).pathname).toBe(`/verify/${encodeURIComponent(docNumber)}`); // not sent to /login
    await shot(phone, 'fees-verify');
    await phone.goto(`${server.baseUrl}/verify/CB-UNKNOWN-00000000`);
    await phone.getByTestId('verify-not-found').waitFor();
    await shot(phone, 'fees-verify-not-found');
    await anon.close();
  });

  it('the city admin reopens the approved sheet with a reason: it is kept as superseded and its paper no longer verifies', async () => {
    const { context, page } = await session('admin');
    await page.goto(districtUrl);
    await page.getByTestId('reopen').click();
    const dialog = page.getByRole('dialog', { name: '重新打开已审批的核算表' });
    await dialogReady(dialog);
    await dialog.getByTestId('reason-input').fill('示范点经费需要调整');
    await dialog.getByRole('button', { name: '重新打开' }).click();
    const earlier = page.getByTestId('earlier-sheets');
    await passwordIfAsked(page, 'admin', earlier);
    await earlier.waitFor();
    await earlier.getByText(/已作废的核算表/).click();
    await earlier.getByText(docNumber, { exact: false }).first().waitFor();
    expect(await earlier.textContent()).toContain('示范点经费需要调整');
    expect(await page.getByTestId('compute').isEnabled()).toBe(true); // a new computation is needed
    const m = await money(page);
    expect(m.sheet).toBeNull();
    expect(m.earlierSheets.map((e) => [e.id, e.status])).toEqual([[sheetId, 'superseded']]);
    await shot(page, 'fees-district-reopened');

    // With the sheet reopened, a site fund can be withdrawn (with a reason, kept on the old sheet).
    const funds = page.getByTestId('site-funds-card');
    await funds.getByRole('button', { name: '撤销 三井街道 的示范点经费' }).click();
    const revoke = page.getByRole('dialog', { name: /撤销示范点经费/ });
    await revoke.getByTestId('reason-input').fill('示范点复核未通过');
    await revoke.getByRole('button', { name: '撤销' }).click();
    await revoke.waitFor({ state: 'hidden' });
    await expect.poll(async () => (await money(page)).siteFundsFen).toBe(0);
    expect((await money(page)).earlierSheets[0]!.siteFundsFen).toBe(SITE_FUND_FEN);
    await context.close();

    const anon = await browser.newContext({ viewport: { width: 420, height: 900 } });
    const phone = await anon.newPage();
    await phone.goto(`${server.baseUrl}/verify/${encodeURIComponent(docNumber)}`);
    const result = phone.getByTestId('verify-result');
    await result.waitFor();
    expect(await result.getAttribute('data-state')).toBe('superseded');
    expect(await phone.getByTestId('verify-state').textContent()).toContain('已作废');
    await shot(phone, 'fees-verify-superseded');
    await anon.close();
  });

  it('a 天宁区 district admin sees only 天宁区, and 新北区’s page answers "not found"', async () => {
    const { context, page } = await session('tn');
    await page.goto(`${server.baseUrl}/fees`);
    const table = page.getByTestId('money-table');
    await table.getByRole('link', { name: '天宁区' }).waitFor();
    expect(await table.locator('tbody tr.ant-table-row').count()).toBe(1);
    expect(await table.getByRole('link', { name: '新北区' }).count()).toBe(0);
    await page.goto(districtUrl);
    await page.getByTestId('fees-not-found').waitFor();
    expect(await page.getByTestId('fees-not-found').textContent()).toContain('不存在');
    expect(await page.getByTestId('sheet-card').count()).toBe(0);
    expect(await page.locator('body').textContent()).not.toContain('575.00');
    await page.goto(`${server.baseUrl}/fees/sheets/${sheetId}/print`);
    await page.getByTestId('fee-print-not-found').waitFor();
    await shot(page, 'fees-not-found');
    await context.close();
  });
});
