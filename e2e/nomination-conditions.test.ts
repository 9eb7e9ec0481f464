// Browser test of the 申报条件 (seed 五（一）) and the contact for submissions (五（三）) as campaign
// data, and of 附件3 printed with them: the city admin edits a draft campaign's conditions and its
// contact (the active 2016 campaign's conditions are locked, its contact is not); a district admin's
// nomination form asks how the person meets each condition and refuses to submit before every one
// is answered; the city's evaluation shows the answers; the printed form fills the 先进事迹概述 box
// and continues a 5,000-character text on a 附页 with the person's name, every character once and in
// order; a short text prints on exactly one page. The contact shows on the nomination and the
// self-assessment pages.
import fs from 'node:fs';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { dialogReady, loginInBrowser, serverAndBrowser } from './support.js';
import { loginAs, makeUser, orgId, type Client } from '../src/server/testing/harness.js';
import type { Campaign } from '../src/shared/api.js';
import type { Nomination } from '../src/shared/api-awards.js';

const SHOT_DIR = process.env.CANBAO_E2E_SHOTS ?? 'test-results';
const SEED_CONDITIONS = ['积极组织、宣传全民参保登记工作', '认真做好全民参保登记入户调查、数据录入等工作', '及时完成各项工作任务，成绩突出'];
const EDITED = ['积极组织、宣传全民参保登记工作', '认真做好入户调查、数据录入和资料归档等工作', '及时完成各项工作任务，成绩突出', '遵守工作纪律，保护被调查对象个人信息'];
const ANSWERS = ['组织社区宣传活动 12 场，张贴通告 300 余份。', '带领 8 名调查员入户走访 2300 余户，录入数据准确。', '提前 10 天完成辖区登记任务。', '全年无泄露个人信息事件。'];

/** 5,000 characters of Chinese text in paragraphs: phrases picked by a fixed pseudo-random sequence, so that every stretch is different and order is checkable. */
function longDeeds(): string {
  const phrases = ['组织社区调查员入户走访', '宣传全民参保登记政策', '逐户核对家庭成员信息', '如实填写全民参保登记表', '及时录入信息系统', '复核录入数据的准确性', '整理归档登记资料', '耐心解答群众咨询', '动员未参保人员参保', '协调街道和社区力量', '利用休息日上门补登', '对外出务工人员电话登记'];
  let seed = 7;
  let text = '';
  let para = 0;
  while (text.length < 5000) {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    text += phrases[seed % phrases.length]!;
    para++;
    text += para % 6 === 0 ? '。' : '，';
    if (para % 30 === 0) text += '\n';
  }
  return `${text.slice(0, 4999)}。`;
}

describe('申报条件 and the submission contact in the browser', () => {
  const env = serverAndBrowser();
  let users: Record<'city' | 'xb' | 'assessor', { id: number; username: string; password: string }>;
  let id2016: number;
  let xinbei: number;
  let draft: Campaign;
  let submittedId: number;

  beforeAll(async () => {
    const { server } = env;
    users = {
      city: await makeUser(server.ctx, { username: 'nc_city', role: 'city_admin', orgCode: '320400-SSB', displayName: '市管理员' }),
      xb: await makeUser(server.ctx, { username: 'nc_xb', role: 'district_admin', orgCode: '320411', displayName: '新北管理员' }),
      assessor: await makeUser(server.ctx, { username: 'nc_assessor', role: 'city_assessor', orgCode: '320400-SSB', displayName: '市考核员' }),
    };
    const c = await server.ctx.db.selectFrom('campaign').select('id').where('code', '=', '2016').executeTakeFirstOrThrow();
    id2016 = Number(c.id);
    xinbei = await orgId(server.ctx, '320411');
    const city = (await client('city')).alwaysReauth();
    draft = (await city.request('POST', '/api/campaigns', { sourceId: id2016, code: '2017', name: '2017年度常州市市本级全民参保登记工作考核', year: 2017 })).json() as Campaign;
    fs.mkdirSync(SHOT_DIR, { recursive: true });
  });

  const client = (who: keyof typeof users): Promise<Client> => loginAs(env.server.app, users[who].username, users[who].password);
  async function login(who: keyof typeof users, viewport = { width: 1440, height: 900 }): Promise<Page> {
    const page = await env.browser.newPage({ viewport });
    await loginInBrowser(page, env.server.baseUrl, users[who].username, users[who].password);
    await page.waitForSelector('[data-testid=user-menu]');
    return page;
  }
  const shot = (page: Page, name: string) => page.screenshot({ path: path.join(SHOT_DIR, `nomination-conditions-${name}.png`), fullPage: true });
  const campaignOf = async (id: number) => (await (await client('city')).request('GET', `/api/campaigns/${id}`)).json() as Campaign;
  async function reauthIfAsked(page: Page) {
    const prompt = page.getByRole('dialog', { name: '安全验证' });
    await dialogReady(prompt);
    await page.fill('#reauth-password', users.city.password);
    await page.press('#reauth-password', 'Enter');
    await prompt.waitFor({ state: 'hidden' });
  }

  it('the city admin edits a draft campaign’s conditions and contact; the active 2016 campaign keeps its conditions locked', async () => {
    const page = await login('city');
    await page.goto(`${env.server.baseUrl}/campaigns/${draft.id}`);
    await page.getByRole('tab', { name: '申报条件与联系人' }).click();
    const list = page.getByTestId('award-conditions');
    await list.waitFor();
    expect(await list.locator('li').allTextContents()).toEqual(SEED_CONDITIONS);
    expect(await page.getByTestId('submission-contact').textContent()).toBe('联系人吴卫琴电话88112733');

    await page.getByTestId('conditions-edit').click();
    await page.getByTestId('condition-input-1').fill(EDITED[1]!);
    await page.getByTestId('condition-add').click();
    await page.getByTestId('condition-input-3').fill(EDITED[3]!);
    await shot(page, 'campaign-edit');
    await page.getByTestId('conditions-save').click();
    await reauthIfAsked(page);
    await expect.poll(async () => (await page.getByTestId('award-conditions').locator('li').allTextContents()).join('|')).toBe(EDITED.join('|'));
    expect((await campaignOf(draft.id)).awardConditions).toEqual(EDITED);

    // An empty condition is refused in the form.
    await page.getByTestId('conditions-edit').click();
    await page.getByTestId('condition-add').click();
    await page.getByTestId('conditions-save').click();
    await page.getByText('申报条件不能为空').waitFor();
    await page.getByRole('button', { name: '取消' }).click();

    await page.getByTestId('contact-edit').click();
    await page.getByTestId('contact-name').fill('李明');
    await page.getByTestId('contact-phone').fill('0519-88112799');
    await page.getByTestId('contact-save').click();
    await expect.poll(() => page.getByTestId('submission-contact').textContent()).toBe('联系人李明电话0519-88112799');
    expect(await campaignOf(draft.id)).toMatchObject({ contactName: '李明', contactPhone: '0519-88112799', awardConditions: EDITED });
    await shot(page, 'campaign-tab');

    // The active 2016 campaign: the conditions cannot be edited, the contact can.
    await page.goto(`${env.server.baseUrl}/campaigns/${id2016}`);
    await page.getByRole('tab', { name: '申报条件与联系人' }).click();
    await page.getByTestId('award-conditions').waitFor();
    expect(await page.getByTestId('conditions-edit').count()).toBe(0);
    expect(await page.getByTestId('contact-edit').count()).toBe(1);
    expect(await page.getByText('申报条件不能再修改').count()).toBe(1);
    await page.close();

    // The draft goes live for nominations.
    const city = (await client('city')).alwaysReauth();
    const current = await campaignOf(draft.id);
    expect((await city.request('POST', `/api/campaigns/${draft.id}/status`, { status: 'active', version: current.version })).statusCode).toBe(200);
    await env.server.ctx.db.updateTable('campaign').set({ nomination_deadline: '2099-06-10' }).where('id', 'in', [draft.id, id2016]).execute();
  });

  it('a district admin answers each condition; a submission with one unanswered is refused, then goes in; the contact is shown', async () => {
    const page = await login('xb');
    await page.goto(`${env.server.baseUrl}/awards/nominations/new?campaignId=${draft.id}&orgUnitId=${xinbei}`);
    await page.getByTestId('field-name').waitFor();
    expect(await page.getByTestId('submission-contact').textContent()).toBe('李明，电话：0519-88112799');
    const labels = await page.getByTestId('condition-answers').locator('.ant-form-item-label').allTextContents();
    expect(labels).toEqual(EDITED.map((c, i) => `${i + 1}. ${c}`));
    await page.getByTestId('field-name').fill('王晓燕');
    await page.getByTestId('field-phone').fill('13912345678');
    await page.getByTestId('field-workUnit').fill('新北区三井街道劳动保障所');
    await page.getByTestId('field-position').fill('劳动保障协理员');
    for (let i = 0; i < 3; i++) await page.getByTestId(`field-condition-${i}`).fill(ANSWERS[i]!);
    await page.getByTestId('field-deeds').fill('组织社区调查员开展入户调查，走访住户 2300 余户。');
    await page.getByTestId('save').click();
    await page.waitForURL(/\/awards\/nominations\/\d+$/);
    submittedId = Number(new URL(page.url()).pathname.split('/').pop());
    await page.getByTestId('field-condition-3').waitFor();

    await page.getByTestId('submit').click();
    await page.getByText('请填写被推荐人符合本条申报条件的情况').waitFor();
    await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('field-condition-3');
    expect(await page.getByRole('dialog').filter({ hasText: '提交 王晓燕 的推荐表？' }).count()).toBe(0);
    await shot(page, 'form-unanswered');
    await page.getByTestId('field-condition-3').fill(ANSWERS[3]!);
    await page.getByTestId('submit').click();
    const confirm = page.getByRole('dialog').filter({ hasText: '提交 王晓燕 的推荐表？' });
    await dialogReady(confirm);
    await confirm.getByRole('button', { name: '确认提交' }).click();
    await expect.poll(() => page.getByTestId('nomination-status').textContent()).toBe('已推荐，待评审');
    await confirm.waitFor({ state: 'hidden' });
    const n = (await (await client('xb')).request('GET', `/api/nominations/${submittedId}`)).json() as Nomination;
    expect(n.conditions).toEqual(EDITED.map((text, i) => ({ text, answer: ANSWERS[i] })));
    const shown = page.getByTestId('readonly-conditions');
    expect(await shown.locator('.award-condition-answer').allTextContents()).toEqual(ANSWERS);
    await shot(page, 'form-submitted');

    // The self-assessment page names the contact too.
    await page.goto(`${env.server.baseUrl}/assessments/${draft.id}/${xinbei}`);
    await expect.poll(() => page.getByTestId('submission-contact').textContent()).toBe('李明，电话：0519-88112799');
    await page.close();
  });

  it('the city’s evaluation shows each condition with the answer', async () => {
    const page = await login('assessor');
    await page.goto(`${env.server.baseUrl}/awards/nominations/${submittedId}`);
    await page.getByTestId('evaluate').click();
    const dialog = page.getByRole('dialog').filter({ hasText: '评审推荐表：王晓燕' });
    await dialogReady(dialog);
    const items = dialog.getByTestId('evaluate-conditions').locator('li');
    expect(await items.locator('.award-condition-text').allTextContents()).toEqual(EDITED);
    expect(await items.locator('.award-condition-answer').allTextContents()).toEqual(ANSWERS);
    await shot(page, 'evaluate');
    await page.close();
  });

  async function printPdf(page: Page, nominationId: number, name: string): Promise<{ pdfPath: string; pages: number }> {
    await page.goto(`${env.server.baseUrl}/awards/nominations/${nominationId}/print`);
    await page.getByTestId('doc-number').waitFor();
    await page.locator('.np-sheets[data-layout=ready]').waitFor();
    await shot(page, `${name}-screen`);
    await page.emulateMedia({ media: 'print' });
    const pdfPath = path.join(SHOT_DIR, `nomination-conditions-${name}.pdf`);
    await page.pdf({ path: pdfPath, preferCSSPageSize: true, printBackground: true });
    await page.emulateMedia({ media: 'screen' });
    const pdf = fs.readFileSync(pdfPath, 'latin1');
    for (const box of pdf.match(/\/MediaBox \[[^\]]*\]/g) ?? []) expect(box).toMatch(/^\/MediaBox \[0 0 59[45](\.\d+)? 84[12](\.\d+)?\]$/);
    const pages = pdf.match(/\/Type \/Page\b/g)?.length ?? 0;
    // A picture of each page to look at.
    execFileSync('pdftoppm', ['-png', '-r', '60', pdfPath, pdfPath.replace(/\.pdf$/, '')]);
    return { pdfPath, pages };
  }
  /** A page's text without white space; from `xMm` millimetres from the left edge of the paper to its right edge when given. */
  const pdfPageText = (pdfPath: string, pageNo: number, crop?: { xMm: number }) => {
    const pt = (mm: number) => String(Math.round((mm * 72) / 25.4));
    const area = crop ? ['-x', pt(crop.xMm), '-y', '0', '-W', pt(210 - crop.xMm), '-H', pt(297)] : [];
    return execFileSync('pdftotext', ['-f', String(pageNo), '-l', String(pageNo), ...area, '-enc', 'UTF-8', pdfPath, '-'], { encoding: 'utf8' }).replace(/\s+/g, '');
  };

  it('附件3 with 5,000 characters: page 1’s box is full, the rest goes on a 附页 with the name, every character once and in order', async () => {
    const deeds = longDeeds();
    expect(deeds.length).toBe(5000);
    const xb = await client('xb');
    const made = await xb.request('POST', `/api/campaigns/${id2016}/nominations`, { orgUnitId: xinbei, name: '周建国', phone: '13812345678', workUnit: '新北区河海街道社区服务中心', position: '社区专管员', deeds, conditionAnswers: ANSWERS.slice(0, 3), unitOpinion: '同意推荐。', unitOpinionDate: '2016-06-05' });
    expect(made.statusCode, made.body).toBe(200);
    const id = (made.json() as Nomination).id;

    const page = await login('xb', { width: 1100, height: 1400 });
    const { pdfPath, pages } = await printPdf(page, id, 'long');
    // The box: full (its last line reaches its last line's room) and not overflowing.
    const fill = await page.getByTestId('print-deeds-box').evaluate((box) => {
      const r = box.getBoundingClientRect();
      const range = document.createRange();
      range.selectNodeContents(box);
      const rects = Array.from(range.getClientRects()).filter((x) => x.height > 0);
      const lastBottom = Math.max(...rects.map((x) => x.bottom));
      return { room: r.bottom - lastBottom, lineHeight: parseFloat(getComputedStyle(box).lineHeight), overflow: box.scrollHeight - box.clientHeight };
    });
    expect(fill.overflow).toBeLessThanOrEqual(1);
    expect(fill.room).toBeLessThan(fill.lineHeight);
    expect(await page.getByTestId('print-deeds-more').textContent()).toBe('（下转附页）');
    expect(await page.getByTestId('print-annex-head').textContent()).toContain('姓名：周建国');
    expect(await page.getByTestId('print-annex').locator('.np-annex-title').textContent()).toBe('附\u2003页');

    // The box and the 附页 together: the conditions with their answers, then the deeds — all of it, in order, once.
    const whole = ['一、符合申报条件情况', ...SEED_CONDITIONS.map((c, i) => `${i + 1}. ${c}：${ANSWERS[i]}`), '二、主要事迹', deeds.replace(/\n/g, '')].join('');
    const boxText = (await page.getByTestId('print-deeds-box').textContent()) ?? '';
    const annexText = (await page.getByTestId('print-annex-text').textContent()) ?? '';
    expect(boxText.length).toBeGreaterThan(300);
    expect(annexText.length).toBeGreaterThan(1000);
    expect(boxText + annexText).toBe(whole);
    expect(await page.getByTestId('print-deeds-box').locator('.np-condition').count()).toBe(3);

    // The PDF: page 1 is the form, the 附页 follows on 2 or more pages.
    expect(pages).toBeGreaterThanOrEqual(2);
    const page1 = pdfPageText(pdfPath, 1);
    expect(page1).toContain('常州市市本级全民参保登记先进个人申报表');
    expect(page1).toContain('区人社部门推荐意见');
    expect(page1).toContain('（下转附页）');
    expect(page1).not.toContain('附页姓名');
    const page2 = pdfPageText(pdfPath, 2);
    expect(page2).toMatch(/^附页姓名：周建国/);
    // Every character of the deeds once, in order, across the PDF's pages: on page 1 the box (right of
    // the label column, 43 mm from the paper's edge) up to 下转附页, then each 附页 without its
    // repeated head and the foot.
    const box = pdfPageText(pdfPath, 1, { xMm: 43 });
    const onPage1 = box.slice(box.indexOf('二、主要事迹') + '二、主要事迹'.length, box.indexOf('（下转附页）'));
    let onAnnex = '';
    for (let p = 2; p <= pages; p++) onAnnex += pdfPageText(pdfPath, p);
    onAnnex = onAnnex.replace(/附页姓名：周建国工作单位：新北区河海街道社区服务中心先进事迹概述（续）/g, '').replace(/常州市市本级全民参保登记先进个人申报表附页文书编号：[A-Z0-9-]+$/, '');
    expect(onPage1.length).toBeGreaterThan(100);
    expect(onPage1 + onAnnex).toBe(deeds.replace(/\n/g, ''));
    await page.close();
  });

  it('附件3 with a short text prints on exactly one page, with no 附页', async () => {
    const page = await login('xb', { width: 1100, height: 1400 });
    const { pdfPath, pages } = await printPdf(page, submittedId, 'short');
    expect(pages).toBe(1);
    expect(await page.getByTestId('print-annex').count()).toBe(0);
    expect(await page.getByTestId('print-deeds-more').textContent()).toBe('');
    const text = pdfPageText(pdfPath, 1);
    for (const [i, c] of EDITED.entries()) expect(text).toContain(`${i + 1}.${c}：${ANSWERS[i]}`.replace(/\s+/g, ''));
    expect(text).toContain('组织社区调查员开展入户调查');
    await page.close();
  });
});
