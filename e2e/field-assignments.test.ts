// Browser test of 调查员分配 (issue 15): a district admin gives a surveyor of the district two
// communities with the keyboard (search, Enter to check), the choice is on the server and still shown
// after a reload; another district's admin does not see that surveyor; a clerk has no menu item and
// a direct URL tells the clerk the page is not for their role.
import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { BrowserContext, Locator, Page } from 'playwright-core';
import { dialogReady, loginInBrowser, serverAndBrowser } from './support.js';
import { loginAs, makeUser } from '../src/server/testing/harness.js';
import type { FieldSurveyor } from '../src/shared/api-field.js';

const SHOT_DIR = process.env.CANBAO_E2E_SHOTS ?? 'test-results';
const SANJING = '320411002'; // 新北区 三井街道
const HUASHAN = '华山社区居委会'; // 320411002001
const FEILONG = '飞龙社区居委会'; // 320411002002

type Who = 'xb' | 'tn' | 'zl' | 'clerk' | 'surveyor';

describe('调查员分配 in the browser', () => {
  const env = serverAndBrowser();
  const users = {} as Record<Who, { id: number; username: string; password: string }>;

  beforeAll(async () => {
    const { ctx } = env.server;
    users.xb = await makeUser(ctx, { username: 'fa_xb', role: 'district_admin', orgCode: '320411', displayName: '新北管理员' });
    users.tn = await makeUser(ctx, { username: 'fa_tn', role: 'district_admin', orgCode: '320402', displayName: '天宁管理员' });
    users.zl = await makeUser(ctx, { username: 'fa_zl', role: 'district_admin', orgCode: '320404', displayName: '钟楼管理员' });
    users.clerk = await makeUser(ctx, { username: 'fa_clerk', role: 'clerk', orgCode: '320411', displayName: '新北录入员' });
    users.surveyor = await makeUser(ctx, { username: 'fa_xb_surveyor', role: 'surveyor', orgCode: SANJING, displayName: '新北调查员' });
    await makeUser(ctx, { username: 'fa_tn_surveyor', role: 'surveyor', orgCode: '320402', displayName: '天宁调查员' });
    fs.mkdirSync(SHOT_DIR, { recursive: true });
  });

  async function session(who: Who): Promise<{ context: BrowserContext; page: Page }> {
    const context = await env.browser.newContext({ viewport: { width: 1440, height: 900 } });
    const page = await context.newPage();
    await loginInBrowser(page, env.server.baseUrl, users[who].username, users[who].password);
    await page.waitForSelector('[data-testid=user-menu]');
    return { context, page };
  }

  const shot = (page: Page, name: string) => page.screenshot({ path: path.join(SHOT_DIR, `field-assignments-${name}.png`), fullPage: true });
  const row = (page: Page, username: string): Locator => page.getByTestId('surveyors-table').locator('tr.ant-table-row').filter({ hasText: username });
  const tagsOf = (r: Locator) => r.locator('.ant-tag').allInnerTexts();

  it('a 新北区 admin assigns two communities to a 新北区 surveyor; they are saved and shown after a reload', async () => {
    const { context, page } = await session('xb');
    await page.getByRole('menuitem', { name: /调查员分配/ }).click();
    await page.waitForURL(`${env.server.baseUrl}/field/assignments`);
    const mine = row(page, 'fa_xb_surveyor');
    await mine.waitFor();
    expect(await mine.getByText('未分配').count()).toBe(1);
    expect(await row(page, 'fa_tn_surveyor').count()).toBe(0);

    await mine.getByRole('button', { name: '分配社区' }).click();
    const drawer = page.getByRole('dialog').filter({ hasText: '分配社区：新北调查员' });
    await dialogReady(drawer);
    expect(await drawer.getByText('三井街道').count()).toBeGreaterThan(0);
    // The picker is found by its label; a community is searched by name and checked with Enter.
    const picker = drawer.getByLabel('负责社区/村');
    await picker.focus();
    for (const name of ['华山', '飞龙']) {
      await page.keyboard.type(name);
      await expect.poll(() => page.locator('.ant-select-tree-treenode-active').innerText()).toContain(name);
      await page.keyboard.press('Enter');
      await expect.poll(() => drawer.locator('.ant-select-selection-item').allInnerTexts()).toContain(`${name}社区居委会`);
    }
    // Only communities have a checkbox: the street above them has none.
    expect(await page.locator('.ant-select-tree-treenode').filter({ hasText: '三井街道' }).locator('.ant-select-tree-checkbox').count()).toBe(0);
    await shot(page, 'drawer');
    // Escape closes the list, not the drawer: 保存 is still there to click.
    await page.keyboard.press('Escape');
    await page.locator('.ant-select-dropdown').waitFor({ state: 'hidden' });
    await drawer.getByRole('button', { name: '保存' }).click();
    await page.getByText('已保存').waitFor();
    await drawer.waitFor({ state: 'hidden' });
    expect((await tagsOf(mine)).filter((t) => t !== '正常').sort()).toEqual([FEILONG, HUASHAN].sort());

    // On the server: the admin's list and the surveyor's own task list have the two communities.
    const api = await loginAs(env.server.app, users.xb.username, users.xb.password);
    const listed = (await api.request('GET', '/api/field/assignments')).json() as { items: FieldSurveyor[] };
    const saved = listed.items.find((s) => s.userId === users.surveyor.id);
    expect(saved?.communities.map((c) => c.name).sort()).toEqual([FEILONG, HUASHAN].sort());
    const surveyor = await loginAs(env.server.app, users.surveyor.username, users.surveyor.password);
    const tasks = (await surveyor.request('GET', '/api/field/tasks')).json() as { items: Array<{ name: string }> };
    expect(tasks.items.map((t) => t.name).sort()).toEqual([FEILONG, HUASHAN].sort());

    await page.reload();
    await mine.waitFor();
    expect((await tagsOf(mine)).filter((t) => t !== '正常').sort()).toEqual([FEILONG, HUASHAN].sort());
    // Opened again, the drawer shows the saved communities checked.
    await mine.getByRole('button', { name: '分配社区' }).click();
    await dialogReady(drawer);
    expect((await drawer.locator('.ant-select-selection-item').allInnerTexts()).sort()).toEqual([FEILONG, HUASHAN].sort());
    await shot(page, 'saved');
    await context.close();
  });

  it('the name search narrows the list, and a 天宁区 admin does not see the 新北区 surveyor', async () => {
    const { context, page } = await session('tn');
    await page.goto(`${env.server.baseUrl}/field/assignments`);
    await row(page, 'fa_tn_surveyor').waitFor();
    expect(await row(page, 'fa_xb_surveyor').count()).toBe(0);
    expect(await page.getByText('新北调查员').count()).toBe(0);
    await page.getByLabel('搜索调查员').fill('没有这个人');
    await page.getByText('没有符合搜索条件的调查员').waitFor();
    expect(await page.getByTestId('surveyors-table').locator('tr.ant-table-row').count()).toBe(0);
    await page.getByLabel('搜索调查员').fill('天宁');
    await row(page, 'fa_tn_surveyor').waitFor();
    await shot(page, 'tianning');
    await context.close();
  });

  it('a district without surveyors says so and points to 用户管理', async () => {
    const { context, page } = await session('zl');
    await page.goto(`${env.server.baseUrl}/field/assignments`);
    await page.getByText('没有调查员', { exact: true }).waitFor();
    const link = page.getByTestId('surveyors-table').getByRole('link', { name: '用户管理' });
    await link.click();
    await page.waitForURL(`${env.server.baseUrl}/users`);
    await context.close();
  });

  it('a clerk has no 调查员分配 menu item, and the page opened directly says it is not for the clerk', async () => {
    const { context, page } = await session('clerk');
    await page.getByRole('menuitem', { name: /登记记录/ }).waitFor();
    expect(await page.getByRole('menuitem', { name: /调查员分配/ }).count()).toBe(0);
    await page.goto(`${env.server.baseUrl}/field/assignments`);
    await page.getByText('无权访问此页面').waitFor();
    expect(await page.getByText('此页面供市级管理员、区级管理员使用，您当前的角色是录入员。').count()).toBe(1);
    expect(await page.getByTestId('surveyors-table').count()).toBe(0);
    await shot(page, 'clerk');
    await context.close();
  });
});
