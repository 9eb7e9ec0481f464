// Forms as officials expect them (issue 14): Enter in a date field does not save the whole campaign
// schedule; the password page lists every rule the server enforces and refuses a password with the
// user name before sending it; the sessions page names the browser and the system; the entry form
// opens without a list of problems, at its first empty field, and "保存并录入同户下一人" carries
// every household field over.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { E2E_ADMIN_PASSWORD, dialogReady, launchBrowser, loginInBrowser, startServer, type E2eServer } from './support.js';
import { makeUser } from '../src/server/testing/harness.js';
import ExcelJS from 'exceljs';

describe('forms', () => {
  let server: E2eServer;
  let browser: Browser;
  let page: Page;
  beforeAll(async () => {
    server = await startServer();
    browser = await launchBrowser();
    page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    await loginInBrowser(page, server.baseUrl, 'admin', E2E_ADMIN_PASSWORD);
    await page.waitForURL(/\/password$/); // the seeded admin changes the one-time password first
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('the password page lists every rule and refuses the user name inside the password before sending it', async () => {
    await page.getByLabel('原密码').waitFor();
    const rules = await page.locator('li').allInnerTexts();
    for (const rule of ['不能包含用户名', '不能是常见密码', '首尾不能是空格', '不能与最近 5 次密码相同', '每 90 天须更换']) {
      expect(rules.some((r) => r.includes(rule)), rule).toBe(true);
    }
    let sent = 0;
    page.on('request', (r) => {
      if (r.url().endsWith('/api/auth/password')) sent++;
    });
    await page.getByLabel('原密码').fill(E2E_ADMIN_PASSWORD);
    await page.getByLabel('新密码', { exact: true }).fill('Myadmin#2016');
    await page.getByLabel('确认新密码').fill('Myadmin#2016');
    await page.getByLabel('确认新密码').press('Enter');
    await expect.poll(() => page.getByText('密码不能包含用户名').count()).toBeGreaterThan(0);
    expect(sent).toBe(0);
    await page.getByLabel('新密码', { exact: true }).fill('Cz#Forms2016x');
    await page.getByLabel('确认新密码').fill('Cz#Forms2016x');
    await page.getByLabel('确认新密码').press('Enter');
    await page.waitForURL(`${server.baseUrl}/`);
    expect(sent).toBe(1);
  });

  it('Enter in a date field of the campaign schedule confirms the date and saves nothing', async () => {
    const campaign = await server.ctx.db.selectFrom('campaign').select(['id', 'data_cutoff']).orderBy('id').executeTakeFirstOrThrow();
    const writes: string[] = [];
    page.on('request', (r) => {
      if (r.method() !== 'GET' && r.url().includes(`/api/campaigns/${campaign.id}`)) writes.push(r.url());
    });
    await page.goto(`${server.baseUrl}/campaigns/${campaign.id}`);
    await page.getByRole('tab', { name: '时间安排' }).click();
    await page.getByRole('button', { name: '编辑' }).click();
    const cutoff = page.getByLabel('数据截止日期');
    await cutoff.click();
    await cutoff.fill('2016-11-30');
    await cutoff.press('Enter');
    await page.waitForTimeout(500); // a save would have been sent by now
    expect(writes).toEqual([]);
    await expect.poll(() => page.getByRole('button', { name: '保存' }).count()).toBe(1);
    expect(await cutoff.inputValue()).toBe('2016-11-30');
    await page.getByRole('button', { name: '保存' }).click();
    // Changing a campaign asks for the password again (re-authentication) unless just given.
    const prompt = page.getByRole('dialog', { name: '安全验证' });
    const done = page.getByRole('button', { name: '编辑' });
    if ((await Promise.race([prompt.waitFor().then(() => 'prompt'), done.waitFor().then(() => 'done')])) === 'prompt') {
      await dialogReady(prompt);
      await page.fill('#reauth-password', 'Cz#Forms2016x');
      await page.press('#reauth-password', 'Enter');
    }
    await done.waitFor();
    expect(writes.length).toBeGreaterThan(0);
    await expect.poll(async () => (await server.ctx.db.selectFrom('campaign').select('data_cutoff').where('id', '=', campaign.id).executeTakeFirstOrThrow()).data_cutoff).toBe('2016-11-30');
  });

  it('users, org units and work statistics download as .xlsx from their pages', async () => {
    for (const [url, testId, name, header, minRows] of [
      ['/users', 'users-export', /^用户列表-\d{4}-\d{2}-\d{2}\.xlsx$/, '用户名', 2],
      ['/orgs', 'orgs-export', /^组织机构-\d{4}-\d{2}-\d{2}\.xlsx$/, '代码', 400],
      ['/statistics/work', 'work-export', /^工作量统计-.+\.xlsx$/, '姓名', 1], // nothing entered yet: the header
    ] as const) {
      await page.goto(`${server.baseUrl}${url}`);
      const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId(testId).click()]);
      expect(download.suggestedFilename()).toMatch(name);
      const path = await download.path();
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.readFile(path);
      expect(wb.worksheets[0]!.getRow(1).getCell(1).value).toBe(header);
      expect(wb.worksheets[0]!.rowCount).toBeGreaterThanOrEqual(minRows);
    }
  });

  it('the unit picker: a search lists the matches with their path, and Enter picks the highlighted one', async () => {
    await page.goto(`${server.baseUrl}/users`);
    const picker = page.locator('#users-filter-org');
    await picker.click();
    await page.keyboard.type('飞龙');
    const options = page.locator('.ant-select-tree-treenode:not(.ant-select-tree-treenode-disabled) .ant-select-tree-title');
    await expect.poll(() => options.allInnerTexts()).toEqual([expect.stringMatching(/新北区 \/ .+ \/ 飞龙社区居委会$/)]);
    await page.keyboard.press('Enter');
    const shown = () => page.locator('.ant-select', { has: picker }).innerText();
    await expect.poll(shown).toContain('飞龙社区居委会');
    expect(await shown()).not.toContain('新北区');
    // By code, and the arrow keys move the highlight among the matches.
    await picker.click();
    await page.keyboard.type('32041100200');
    await expect.poll(() => options.count()).toBeGreaterThan(2);
    const second = (await options.allInnerTexts())[1]!;
    // The first arrow key highlights the first match, the second one the next.
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowDown');
    await expect.poll(() => page.locator('.ant-select-tree-treenode-active .ant-select-tree-title').innerText()).toBe(second);
    await page.keyboard.press('Enter');
    const name = second.split(' / ').pop()!;
    await expect.poll(shown).toContain(name);
  });

  it('the sessions page names the browser and the system', async () => {
    await page.goto(`${server.baseUrl}/sessions`);
    await expect.poll(() => page.getByText('Chrome（无界面）').count()).toBeGreaterThan(0);
    expect(await page.getByText('· Linux').count()).toBeGreaterThan(0);
    expect(await page.getByText('Mozilla/5.0').count()).toBe(0);
  });

  it('the entry form starts at its first empty field with no problems listed, and the next member inherits the household', async () => {
    const surveyor = await makeUser(server.ctx, { username: 'forms_surveyor', role: 'surveyor', orgCode: '320411002001' });
    const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
    const p = await context.newPage();
    await loginInBrowser(p, server.baseUrl, surveyor.username, surveyor.password);
    await p.waitForURL(`${server.baseUrl}/`);
    await p.goto(`${server.baseUrl}/registrations/new`);
    // The community is the surveyor's own: the first empty field is the household head's name.
    await expect.poll(() => p.evaluate(() => document.activeElement?.id)).toBe('reg-householdHeadName');
    expect(await p.getByTestId('problem-summary').count()).toBe(0);
    expect(await p.getByText(/处问题/).count()).toBe(0);
    const household = { householdHeadName: '王建国', householdHeadIdNumber: '320411198004228574', householdAddress: '常州市新北区青洋北路161号', hukouAddress: '常州市新北区青洋北路161号', residenceAddress: '青洋北路161号' };
    for (const [k, v] of Object.entries(household)) await p.fill(`#reg-${k}`, v);
    await p.click('#reg-hukouType');
    await p.keyboard.type('外地城镇');
    await p.keyboard.press('Enter');
    await p.fill('#reg-idNumber', '320411198004228574');
    await p.fill('#reg-name', '王建国');
    await p.fill('#reg-phone', '12345');
    await p.locator('#reg-phone').blur();
    // A field left with a problem (the phone, too short) is listed; untouched ones are not.
    await expect.poll(() => p.getByTestId('problem-summary').count()).toBe(1);
    expect(await p.getByTestId('problem-summary').locator('li').allInnerTexts()).toEqual([expect.stringContaining('联系电话')]);
    await p.getByTestId('save-next').click();
    const confirm = p.locator('.ant-modal-confirm');
    if (await confirm.count().then((n) => n > 0, () => false)) await confirm.getByRole('button', { name: '确定保存' }).click();
    await p.getByText('请录入同户下一人').waitFor();
    for (const [k, v] of Object.entries(household)) expect(await p.inputValue(`#reg-${k}`), k).toBe(v);
    expect(await p.locator('.ant-select', { has: p.locator('#reg-hukouType') }).innerText()).toContain('外地非农业');
    expect(await p.inputValue('#reg-idNumber')).toBe('');
    expect(await p.inputValue('#reg-name')).toBe('');
    // The household is there, so the next member starts at the ID number.
    await expect.poll(() => p.evaluate(() => document.activeElement?.id)).toBe('reg-idNumber');
    expect(await p.getByTestId('problem-summary').count()).toBe(0);
    await context.close();
  });
});
