// Browser test of the nominations of outstanding individuals (先进个人, seed 五, 附件3): a 新北区
// district admin fills a form by keyboard, links a clerk whose recorded work is shown, attaches a
// PNG and submits it; with the quota of 8 used up a 9th submission is refused with the server's
// message and stays a draft; a city assessor approves the form with an opinion; the city admin
// publishes the list; the printed form (A4) shows the filled 附件3 with a document number and QR
// code; the commendation list shows the person and downloads as .xlsx; a 天宁区 district admin
// sees none of 新北区's forms.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { dialogReady, launchBrowser, loginInBrowser, startServer, type E2eServer } from './support.js';
import { loginAs, makeUser, orgId, type Client } from '../src/server/testing/harness.js';
import { fakeIdNumber, makeRegistration } from '../src/server/testing/registration-factory.js';
import type { Nomination } from '../src/shared/api-awards.js';

const SHOT_DIR = process.env.CANBAO_E2E_SHOTS ?? 'test-results';
// A 1×1 transparent PNG.
const PNG = Buffer.from(
  '89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082',
  'hex',
);
const PERSON = { name: '王晓燕', phone: '13912345678', workUnit: '新北区三井街道劳动保障所', position: '劳动保障协理员' };
const DEEDS = ['组织社区调查员开展入户调查，走访住户 2300 余户。', '按时完成辖区登记数据录入，抽查准确率 100%。'];
/** How the person meets each of the 2016 campaign's three 申报条件 (seed 五（一）). */
const ANSWERS = ['组织社区宣传活动 12 场。', '入户调查 2300 余户，录入准确。', '提前完成辖区登记任务。'];

describe('nominations of outstanding individuals in the browser', () => {
  let server: E2eServer;
  let browser: Browser;
  let campaignId: number;
  let xinbei: number;
  let tianning: number;
  let firstId: number;
  let ninthId: number;
  let users: Record<'xb' | 'clerk' | 'assessor' | 'city' | 'tn', { id: number; username: string; password: string }>;

  beforeAll(async () => {
    server = await startServer();
    browser = await launchBrowser();
    const c = await server.ctx.db.selectFrom('campaign').select('id').where('code', '=', '2016').executeTakeFirstOrThrow();
    campaignId = Number(c.id);
    // The 2016 deadline (2016-06-10) is long past: give the test a deadline still to come.
    await server.ctx.db.updateTable('campaign').set({ nomination_deadline: '2099-06-10' }).where('id', '=', campaignId).execute();
    xinbei = await orgId(server.ctx, '320411');
    tianning = await orgId(server.ctx, '320402');
    users = {
      xb: await makeUser(server.ctx, { username: 'xb_admin', role: 'district_admin', orgCode: '320411', displayName: '新北管理员' }),
      clerk: await makeUser(server.ctx, { username: 'xb_clerk', role: 'clerk', orgCode: '320411002001', displayName: '新北录入员' }),
      assessor: await makeUser(server.ctx, { username: 'city_assessor1', role: 'city_assessor', orgCode: '320400-SSB', displayName: '市考核员' }),
      city: await makeUser(server.ctx, { username: 'city_admin1', role: 'city_admin', orgCode: '320400-SSB', displayName: '市管理员' }),
      tn: await makeUser(server.ctx, { username: 'tn_admin', role: 'district_admin', orgCode: '320402', displayName: '天宁管理员' }),
    };
    // The clerk's recorded work: three records entered before the data cutoff.
    for (let i = 0; i < 3; i++) {
      await makeRegistration(server.ctx, { orgCode: '320411002001', idNumber: fakeIdNumber('320411', '19800101', 500 + i), name: `登记对象${i}`, enteredAt: '2016-05-02T02:00:00.000Z', columns: { entered_by: users.clerk.id } });
    }
    fs.mkdirSync(SHOT_DIR, { recursive: true });
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  async function login(page: Page, who: keyof typeof users) {
    await loginInBrowser(page, server.baseUrl, users[who].username, users[who].password);
    await page.waitForSelector('[data-testid=user-menu]');
  }
  const client = (who: keyof typeof users): Promise<Client> => loginAs(server.app, users[who].username, users[who].password);
  const readNomination = (page: Page, id: number) => page.evaluate(async (url) => (await (await fetch(url)).json()) as Nomination, `/api/nominations/${id}`);
  const activeTestId = (page: Page) => page.evaluate(() => document.activeElement?.getAttribute('data-testid') ?? document.activeElement?.id ?? null);
  const shot = (page: Page, name: string) => page.screenshot({ path: path.join(SHOT_DIR, name), fullPage: true });
  const rowOf = (page: Page, text: string) => page.getByTestId('nominations-table').locator('tbody tr.ant-table-row').filter({ hasText: text });

  it('a 新北区 district admin fills a nomination by keyboard, links a clerk, attaches a PNG and submits it', async () => {
    const page = await browser.newPage({ viewport: { width: 1440, height: 1000 } });
    await login(page, 'xb');
    await page.getByRole('menuitem', { name: /先进个人/ }).click();
    await page.waitForURL('**/awards');
    const quota = page.getByTestId(`quota-${xinbei}`);
    await quota.waitFor();
    // The district sees its own quota only.
    expect(await page.getByTestId('quota-cards').locator('.ant-card').count()).toBe(1);
    expect(await quota.textContent()).toMatch(/新北区名额\s*8已推荐\s*0剩余\s*8/);
    expect(await page.getByTestId('nomination-deadline').textContent()).toContain('2099-06-10');
    await shot(page, 'awards-district-empty.png');

    await page.getByTestId('new-nomination').click();
    await page.waitForURL(/\/awards\/nominations\/new\?campaignId=\d+&orgUnitId=\d+$/);
    await page.getByTestId('field-name').waitFor();
    expect(await page.getByTestId('nomination-quota').textContent()).toBe('名额 8 名，已推荐 0 名，剩余 8 名');
    await expect.poll(() => activeTestId(page)).toBe('field-name');

    // Enter moves on through the fields; the select filters as typed and Enter picks.
    await page.keyboard.type(PERSON.name);
    await page.keyboard.press('Enter');
    expect(await activeTestId(page)).toBe('field-phone');
    await page.keyboard.type(PERSON.phone);
    await page.keyboard.press('Enter');
    await page.keyboard.type(PERSON.workUnit);
    await page.keyboard.press('Enter');
    await page.keyboard.type(PERSON.position);
    await page.keyboard.press('Enter');
    await page.keyboard.type('新北录入员');
    await page.locator('.ant-select-item-option').filter({ hasText: '新北录入员' }).waitFor();
    await page.keyboard.press('Enter');
    // How the person meets each 申报条件, then the summary (text areas: Tab moves on).
    await expect.poll(() => activeTestId(page)).toBe('field-condition-0');
    for (const a of ANSWERS) {
      await page.keyboard.type(a);
      await page.keyboard.press('Tab');
    }
    expect(await activeTestId(page)).toBe('field-deeds');
    // In the summary Enter makes a new line; Tab moves on.
    await page.keyboard.type(DEEDS[0]!);
    await page.keyboard.press('Enter');
    await page.keyboard.type(DEEDS[1]!);
    await page.keyboard.press('Tab');
    expect(await activeTestId(page)).toBe('field-unitOpinion');
    await page.keyboard.type('同意推荐。');
    await page.keyboard.press('Tab');
    await page.keyboard.type('2016-06-05');
    await page.keyboard.press('Enter');
    expect(await activeTestId(page)).toBe('save');
    await expect.poll(() => page.locator('.ant-picker-dropdown:not(.ant-picker-dropdown-hidden)').count()).toBe(0);
    await shot(page, 'award-form-new.png');
    // Ctrl+Enter saves the draft; the form continues on its own page.
    await page.keyboard.press('Control+Enter');
    await page.waitForURL(/\/awards\/nominations\/\d+$/);
    firstId = Number(new URL(page.url()).pathname.split('/').pop());
    await page.getByTestId('save').waitFor();
    const saved = await readNomination(page, firstId);
    expect(saved.conditions.map((c) => c.answer)).toEqual(ANSWERS);
    expect(saved).toMatchObject({ ...PERSON, deeds: DEEDS.join('\n'), unitOpinion: '同意推荐。', unitOpinionDate: '2016-06-05', linkedUserId: users.clerk.id, status: 'draft', orgUnitId: xinbei });
    expect(await page.getByTestId('nomination-status').textContent()).toBe('草稿');

    // The clerk's recorded work beside the deeds.
    const work = page.getByTestId('linked-work');
    expect(await work.textContent()).toContain('新北录入员');
    expect(await work.textContent()).toMatch(/录入登记3条/);

    // A PNG as 事迹材料, listed with its SHA-256 and previewed.
    const pngPath = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'canbao-e2e-png-')), '事迹照片.png');
    fs.writeFileSync(pngPath, PNG);
    const sha = createHash('sha256').update(PNG).digest('hex');
    const attachments = page.getByTestId('attachments');
    await attachments.locator('input[type=file]').setInputFiles(pngPath);
    await attachments.getByTestId('attachment').waitFor();
    expect(await attachments.textContent()).toContain('事迹照片.png');
    expect(await attachments.locator('[data-sha256]').getAttribute('data-sha256')).toBe(sha);
    await attachments.getByRole('button', { name: '事迹照片.png', exact: true }).click();
    const img = page.getByTestId('attachment-preview-image');
    await img.waitFor();
    await expect.poll(() => img.evaluate((el) => (el as HTMLImageElement).naturalWidth)).toBe(1);
    await page.getByTestId('preview-close').click();
    await img.waitFor({ state: 'detached' });
    await shot(page, 'award-form-draft.png');

    // 提交推荐 asks first, stating the quota left.
    await page.getByTestId('submit').click();
    const confirm = page.getByRole('dialog').filter({ hasText: `提交 ${PERSON.name} 的推荐表？` });
    await dialogReady(confirm);
    expect(await confirm.textContent()).toContain('新北区名额 8 名，已推荐 0 名，提交后剩余 7 名');
    await confirm.getByRole('button', { name: '确认提交' }).click();
    await expect.poll(() => page.getByTestId('nomination-status').textContent()).toBe('已推荐，待评审');
    await confirm.waitFor({ state: 'hidden' });
    expect(await page.getByTestId('locked-reason').textContent()).toContain('等待市社保经办机构评审');
    expect(await page.getByTestId('save').count()).toBe(0);
    expect(await page.getByTestId('submit').count()).toBe(0);
    expect(await page.getByTestId('attachment-upload').count()).toBe(0);
    expect(await page.getByTestId('readonly-deeds').textContent()).toBe(DEEDS.join('\n'));
    expect(await page.getByTestId('nomination-quota').textContent()).toBe('名额 8 名，已推荐 1 名，剩余 7 名');
    await shot(page, 'award-form-submitted.png');
    await page.close();
  });

  it('with the quota of 8 used, a 9th submission is refused with the server’s message and stays a draft', async () => {
    const xb = await client('xb');
    const body = { orgUnitId: xinbei, phone: '0519-85123456', workUnit: '新北区河海街道', position: '社区专管员', deeds: '认真做好入户调查和数据录入工作。', conditionAnswers: ANSWERS, unitOpinion: '同意推荐。' };
    for (let i = 2; i <= 8; i++) {
      const d = (await xb.request('POST', `/api/campaigns/${campaignId}/nominations`, { ...body, name: `推荐人${i}` })).json() as Nomination;
      const s = await xb.request('POST', `/api/nominations/${d.id}/submit`, { version: d.version });
      expect(s.statusCode).toBe(200);
    }
    const ninth = (await xb.request('POST', `/api/campaigns/${campaignId}/nominations`, { ...body, name: '第九人' })).json() as Nomination;
    ninthId = ninth.id;

    const page = await browser.newPage({ viewport: { width: 1440, height: 1000 } });
    await login(page, 'xb');
    await page.goto(`${server.baseUrl}/awards?campaignId=${campaignId}`);
    await rowOf(page, '第九人').waitFor();
    expect(await page.getByTestId(`quota-${xinbei}`).getByTestId('quota-left').textContent()).toBe('0');
    expect(await page.getByTestId('nominations-table').locator('tbody tr.ant-table-row').count()).toBe(9);
    await page.getByTestId(`submit-${ninthId}`).click();
    const confirm = page.getByRole('dialog').filter({ hasText: '提交 第九人 的推荐表？' });
    await dialogReady(confirm);
    expect(await confirm.textContent()).toContain('新北区名额 8 名，已推荐 8 名，名额已用完');
    await confirm.getByRole('button', { name: '确认提交' }).click();
    const refused = page.getByRole('dialog').filter({ hasText: '未能提交' });
    await dialogReady(refused);
    const text = (await refused.textContent()) ?? '';
    expect(text).toContain('新北区');
    expect(text).toContain('名额 8 名');
    expect(text).toContain('不能再提交');
    await shot(page, 'awards-quota-refused.png');
    await refused.getByRole('button', { name: '知道了' }).click();
    await refused.waitFor({ state: 'hidden' });
    expect(await rowOf(page, '第九人').getByTestId('nomination-status').textContent()).toBe('草稿');
    expect((await readNomination(page, ninthId)).status).toBe('draft');
    // Before the city publishes, a district sees no publication button and no list link.
    expect(await page.getByTestId('publish').count()).toBe(0);
    expect(await page.getByTestId('commendation-link').count()).toBe(0);
    await shot(page, 'awards-district-full.png');
    await page.close();
  });

  it('a city assessor approves the nomination with an opinion', async () => {
    const page = await browser.newPage({ viewport: { width: 1440, height: 1000 } });
    await login(page, 'assessor');
    await page.goto(`${server.baseUrl}/awards`);
    await rowOf(page, PERSON.name).waitFor();
    // The city sees every unit's quota.
    expect(await page.getByTestId('quota-cards').locator('.ant-card').count()).toBe(4);
    expect(await page.getByTestId('new-nomination').count()).toBe(0);
    expect(await page.getByTestId('publish').count()).toBe(0);
    await page.getByTestId(`evaluate-${firstId}`).click();
    const dialog = page.getByRole('dialog').filter({ hasText: `评审推荐表：${PERSON.name}` });
    await dialogReady(dialog);
    await dialog.getByLabel('通过（列入表彰名单）').check();
    await dialog.getByTestId('evaluate-opinion').fill('事迹突出，同意评为全民参保登记工作先进个人。');
    await shot(page, 'awards-evaluate.png');
    await dialog.getByRole('button', { name: '确定' }).click();
    await dialog.waitFor({ state: 'hidden' });
    await expect.poll(() => rowOf(page, PERSON.name).getByTestId('nomination-status').textContent()).toBe('评审通过');
    const n = await readNomination(page, firstId);
    expect(n).toMatchObject({ status: 'approved', cityOpinion: '事迹突出，同意评为全民参保登记工作先进个人。' });
    expect(n.cityOpinionDate).toMatch(/^\d{4}-\d{2}-\d{2}$/);

    // The other seven are decided through the API (two approved, five not).
    const assessor = await client('assessor');
    const list = (await assessor.request('GET', `/api/campaigns/${campaignId}/nominations`)).json() as { items: Nomination[] };
    const rest = list.items.filter((x) => x.status === 'submitted');
    expect(rest).toHaveLength(7);
    for (const [i, x] of rest.entries()) {
      const r = await assessor.request('POST', `/api/nominations/${x.id}/evaluate`, { result: i < 2 ? 'approved' : 'rejected', opinion: i < 2 ? '同意。' : '事迹不够突出。', version: x.version });
      expect(r.statusCode).toBe(200);
    }
    await page.reload();
    await rowOf(page, PERSON.name).waitFor();
    await shot(page, 'awards-city.png');
    await page.close();
  });

  it('the city admin publishes the commendation list', async () => {
    const page = await browser.newPage({ viewport: { width: 1440, height: 1000 } });
    await login(page, 'city');
    await page.goto(`${server.baseUrl}/awards`);
    await rowOf(page, PERSON.name).waitFor();
    expect(await page.getByTestId('published-state').textContent()).toContain('未发布');
    await page.getByTestId('publish').click();
    const confirm = page.getByRole('dialog').filter({ hasText: '发布表彰名单？' });
    await dialogReady(confirm);
    expect(await confirm.textContent()).toContain('评审通过的 3 人');
    await confirm.getByRole('button', { name: '确认发布' }).click();
    // Publishing makes the list final: the password is asked again.
    const prompt = page.getByRole('dialog', { name: '安全验证' });
    await dialogReady(prompt);
    await page.fill('#reauth-password', users.city.password);
    await page.press('#reauth-password', 'Enter');
    await prompt.waitFor({ state: 'hidden' });
    await expect.poll(() => page.getByTestId('published-state').textContent()).toContain('已发布');
    expect(await page.getByTestId('publish').count()).toBe(0);
    expect(await page.getByTestId(`evaluate-${firstId}`).count()).toBe(0);
    await shot(page, 'awards-published.png');
    await page.close();
  });

  it('the printed form is 附件3 filled in, with a document number and a QR code, on one A4 page', async () => {
    const page = await browser.newPage({ viewport: { width: 1100, height: 1400 } });
    await login(page, 'xb');
    await page.goto(`${server.baseUrl}/awards/nominations/${firstId}`);
    await page.getByTestId('print').click();
    await page.waitForURL(`**/awards/nominations/${firstId}/print`);
    const sheet = page.getByTestId('nomination-print');
    await sheet.waitFor();
    await page.getByTestId('doc-number').waitFor();
    // Outside the app's layout: no menu.
    expect(await page.locator('.ant-layout-sider').count()).toBe(0);
    const printed = ((await sheet.textContent()) ?? '').replace(/\u2003/g, ' ');
    expect(printed).toContain('常州市市本级全民参保登记先进个人申报表');
    for (const label of ['姓  名', '联系电话', '工作单位', '职  务', '先进事迹概述', '区人社部门推荐意见', '市社保经办机构评定意见']) expect(printed).toContain(label);
    expect(await page.getByTestId('print-name').textContent()).toBe(PERSON.name);
    expect(await page.getByTestId('print-phone').textContent()).toBe(PERSON.phone);
    expect(await page.getByTestId('print-workUnit').textContent()).toBe(PERSON.workUnit);
    expect(await page.getByTestId('print-position').textContent()).toBe(PERSON.position);
    expect(await page.getByTestId('print-deeds').locator('p').allTextContents()).toEqual(DEEDS);
    expect(await page.getByTestId('print-unit-opinion').textContent()).toBe('同意推荐。单位（盖章）：新北区2016年6月5日');
    const n = await readNomination(page, firstId);
    const [y, m, d] = n.cityOpinionDate!.split('-').map(Number);
    expect(await page.getByTestId('print-city-opinion').textContent()).toBe(`事迹突出，同意评为全民参保登记工作先进个人。单位（盖章）：${y}年${m}月${d}日`);
    expect(printed).toContain('注：先进事迹概述主要围绕申报条件展开，如文字过多可另行附纸。');
    expect(await page.getByTestId('doc-number').textContent()).toMatch(/^[A-Z0-9-]{8,60}$/);
    expect(await page.getByTestId('doc-qr').locator('svg').count()).toBe(1);
    expect(await page.getByTestId('print-doc').textContent()).toContain('扫码核验：');
    expect(await page.getByTestId('print-doc').textContent()).toContain('/verify');
    await shot(page, 'award-print.png');

    await page.emulateMedia({ media: 'print' });
    expect(await page.getByTestId('print-button').isVisible()).toBe(false);
    expect(await sheet.isVisible()).toBe(true);
    const pdfPath = path.join(SHOT_DIR, 'award-print.pdf');
    await page.pdf({ path: pdfPath, preferCSSPageSize: true, printBackground: true });
    const pdf = fs.readFileSync(pdfPath, 'latin1');
    expect(pdf.startsWith('%PDF-')).toBe(true);
    // A4 portrait (595 × 842 points), one page.
    const boxes = pdf.match(/\/MediaBox \[[^\]]*\]/g) ?? [];
    expect(boxes.length).toBeGreaterThan(0);
    for (const box of boxes) expect(box).toMatch(/^\/MediaBox \[0 0 59[45](\.\d+)? 84[12](\.\d+)?\]$/);
    expect(pdf.match(/\/Type \/Page\b/g)).toHaveLength(1);
    await page.emulateMedia({ media: 'screen' });
    await page.close();
  });

  it('the commendation list shows the person and downloads as .xlsx', async () => {
    const page = await browser.newPage({ viewport: { width: 1440, height: 1000 }, acceptDownloads: true });
    await login(page, 'xb');
    await page.goto(`${server.baseUrl}/awards`);
    await page.getByTestId('commendation-link').click();
    await page.waitForURL(/\/awards\/commendation-list\?campaignId=\d+$/);
    const table = page.getByTestId('commendation-table');
    await table.locator('tbody tr.ant-table-row').first().waitFor();
    expect(await table.locator('tbody tr.ant-table-row').count()).toBe(3);
    const row = table.locator('tbody tr.ant-table-row').filter({ hasText: PERSON.name });
    expect(await row.textContent()).toContain(PERSON.workUnit);
    expect(await row.textContent()).toContain('新北区');
    expect(await page.getByTestId('commendation-xlsx').getAttribute('aria-disabled')).toBe('false');
    await shot(page, 'awards-commendation-list.png');
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('commendation-xlsx').click()]);
    expect(download.suggestedFilename()).toMatch(/\.xlsx$/);
    const file = path.join(SHOT_DIR, 'commendation-list.xlsx');
    await download.saveAs(file);
    expect(fs.readFileSync(file).subarray(0, 2).toString('latin1')).toBe('PK');
    await page.close();
  });

  it('a 天宁区 district admin sees none of 新北区’s nominations', async () => {
    const page = await browser.newPage({ viewport: { width: 1440, height: 1000 } });
    await login(page, 'tn');
    await page.goto(`${server.baseUrl}/awards/nominations/${firstId}`);
    await page.getByTestId('nomination-not-found').waitFor();
    expect(await page.getByTestId('nomination-not-found').textContent()).toContain('推荐表不存在');
    expect(await page.getByText(PERSON.name).count()).toBe(0);
    await shot(page, 'awards-other-district.png');
    await page.goto(`${server.baseUrl}/awards/nominations/${firstId}/print`);
    await page.getByTestId('nomination-not-found').waitFor();

    await page.goto(`${server.baseUrl}/awards`);
    await page.getByTestId(`quota-${tianning}`).waitFor();
    expect(await page.getByTestId('quota-cards').locator('.ant-card').count()).toBe(1);
    await page.getByTestId('nominations-table').locator('.ant-table-placeholder, tbody tr.ant-table-row').first().waitFor();
    expect(await page.getByTestId('nominations-table').locator('tbody tr.ant-table-row').count()).toBe(0);
    expect(await page.getByTestId('nominations-table').textContent()).not.toContain('新北区');
    await page.close();
  });
});
