// Menus and pages by role (issue 14): each role sees in the menu only what it can use, and a page
// opened by direct URL that the role cannot use says so (which roles it is for, and the user's own)
// instead of an empty page with an 导出 button.
import { beforeAll, describe, expect, it } from 'vitest';
import { loginInBrowser, serverAndBrowser } from './support.js';
import { makeUser } from '../src/server/testing/harness.js';
import type { Role } from '../src/shared/roles.js';

const ALL = ['首页', '登记记录', '统计分析', '组织机构', '用户管理', '调查员分配', '考核批次', '考核评估', '考核费用', '先进个人', '审计日志', '帮助'];
const MENUS: Record<Role, string[]> = {
  city_admin: ALL,
  city_assessor: ['首页', '登记记录', '统计分析', '组织机构', '考核批次', '考核评估', '考核费用', '先进个人', '帮助'],
  district_admin: ['首页', '登记记录', '统计分析', '组织机构', '用户管理', '调查员分配', '考核批次', '考核评估', '考核费用', '先进个人', '帮助'],
  clerk: ['首页', '登记记录', '统计分析', '组织机构', '帮助'],
  surveyor: ['首页', '登记记录', '统计分析', '组织机构', '帮助'],
  viewer: ['首页', '登记记录', '统计分析', '组织机构', '帮助'],
};
const UNIT: Record<Role, string> = { city_admin: '320400', city_assessor: '320400', district_admin: '320411', clerk: '320411', surveyor: '320411', viewer: '320411' };

describe('menus and pages by role', () => {
  const env = serverAndBrowser();
  beforeAll(async () => {
    const city = await env.server.ctx.db.selectFrom('org_unit').select('code').where('level', '=', 'city').executeTakeFirstOrThrow();
    UNIT.city_admin = city.code;
    UNIT.city_assessor = city.code;
  });

  for (const role of Object.keys(MENUS) as Role[]) {
    it(`${role}: the menu holds exactly the pages the role uses`, async () => {
      const user = await makeUser(env.server.ctx, { username: `menu_${role}`, role, orgCode: UNIT[role] });
      const page = await env.browser.newPage({ viewport: { width: 1440, height: 900 } });
      await loginInBrowser(page, env.server.baseUrl, user.username, user.password);
      await page.waitForURL(`${env.server.baseUrl}/`);
      const menu = page.locator('.ant-layout-sider .ant-menu');
      await expect.poll(() => menu.locator('.ant-menu-item').count()).toBe(MENUS[role].length);
      const labels = (await menu.locator('.ant-menu-item .ant-menu-title-content').allInnerTexts()).map((t) => t.trim());
      expect(labels).toEqual(MENUS[role]);
      const denied = ALL.filter((l) => !MENUS[role].includes(l));
      if (denied.includes('考核费用')) {
        // A bookmark to a page the role cannot use: it says so, no table, no 导出.
        await page.goto(`${env.server.baseUrl}/fees`);
        await expect.poll(() => page.getByText('无权访问此页面').count()).toBe(1);
        expect(await page.getByText('此页面供市级管理员、市级考核员、区级管理员使用').count()).toBe(1);
        expect(await page.getByRole('button', { name: '导出' }).count()).toBe(0);
        await page.goto(`${env.server.baseUrl}/awards/nominations/new`);
        await expect.poll(() => page.getByText('无权访问此页面').count()).toBe(1);
        // The home page names no campaign page the role could not open.
        await page.goto(`${env.server.baseUrl}/`);
        await expect.poll(() => page.getByText('当前考核批次').count()).toBe(1);
        expect(await page.getByRole('button', { name: '查看考核批次' }).count()).toBe(0);
      }
      await page.close();
    });
  }
});
