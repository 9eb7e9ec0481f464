// Browser test of the overview tables (issue 14): clicking a column header sorts (Chinese names in
// pinyin order, numbers numerically, the 合计 row staying at the bottom), a column filter narrows the
// rows, the audit log sorts by time on the server; at 1440×900 every 考核意见 box of the assessor's
// sheet lies inside the window without scrolling sideways; the pivot scrolled to its end shows its
// last column beside (not under) the fixed 合计 column; at 390×844 the pages do not overflow sideways.
import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { BrowserContext, Locator, Page } from 'playwright-core';
import { loginInBrowser, serverAndBrowser } from './support.js';
import { makeUser, orgId } from '../src/server/testing/harness.js';
import { fakeIdNumber, makeRegistration } from '../src/server/testing/registration-factory.js';
import type { Assessment } from '../src/shared/api-assessment.js';

const SHOT_DIR = process.env.CANBAO_E2E_SHOTS ?? 'test-results';
const zh = new Intl.Collator('zh-CN', { numeric: true });

type Who = 'admin' | 'assessor' | 'xb';

describe('overview tables in the browser', () => {
  const env = serverAndBrowser();
  let campaignId: number;
  let xinbei: number;
  let users: Record<Who, { username: string; password: string }>;

  beforeAll(async () => {
    const { ctx } = env.server;
    const c = await ctx.db.selectFrom('campaign').select('id').where('code', '=', '2016').executeTakeFirstOrThrow();
    campaignId = Number(c.id);
    await ctx.db.updateTable('campaign').set({ self_assessment_deadline: '2099-06-10' }).where('id', '=', campaignId).execute();
    xinbei = await orgId(ctx, '320411');
    users = {
      admin: await makeUser(ctx, { username: 'ot_admin', role: 'city_admin', orgCode: '320400-SSB', displayName: '市管理员' }),
      assessor: await makeUser(ctx, { username: 'ot_assessor', role: 'city_assessor', orgCode: '320400-SSB', displayName: '市考核员' }),
      xb: await makeUser(ctx, { username: 'ot_xb', role: 'district_admin', orgCode: '320411', displayName: '新北管理员' }),
    };
    // Users in three districts (the user list's 所属单位 filter), with names that sort by pinyin.
    await makeUser(ctx, { username: 'ot_tn_clerk', role: 'clerk', orgCode: '320402', displayName: '张三' });
    await makeUser(ctx, { username: 'ot_zl_clerk', role: 'clerk', orgCode: '320404', displayName: '艾青' });
    await makeUser(ctx, { username: 'ot_tn_viewer', role: 'viewer', orgCode: '320402', displayName: '王五' });
    // Registrations: 新北区 5, 天宁区 2, 钟楼区 1 (the overview's 登记人数 sort), in several categories.
    const add = async (org: string, n: number, serial: number) => {
      for (let i = 0; i < n; i++) {
        await makeRegistration(ctx, {
          orgCode: org,
          idNumber: fakeIdNumber(org.slice(0, 6), '19800101', serial + i * 2),
          name: `统计${serial + i}`,
          enteredAt: '2016-05-20T02:00:00.000Z',
          columns: { sex: '2', birth_date: '1980-01-01', person_category: i % 2 ? '24' : '70' },
        });
      }
    };
    await add('320411002001', 5, 100);
    await add('320402001001', 2, 200);
    await add('320404001001', 1, 300);
    fs.mkdirSync(SHOT_DIR, { recursive: true });
  });

  async function session(who: Who, viewport = { width: 1440, height: 900 }): Promise<{ context: BrowserContext; page: Page }> {
    const context = await env.browser.newContext({ viewport });
    const page = await context.newPage();
    await loginInBrowser(page, env.server.baseUrl, users[who].username, users[who].password);
    await page.waitForSelector('[data-testid=user-menu]');
    return { context, page };
  }

  const shot = (page: Page, name: string, fullPage = true) => page.screenshot({ path: path.join(SHOT_DIR, `overview-tables-${name}.png`), fullPage });

  /** The texts of one column (0-based) of a table's body rows, in the order shown. */
  const column = (table: Locator, i: number) => table.locator('tbody tr.ant-table-row').evaluateAll((rows, n) => rows.map((r) => (r.querySelectorAll(':scope > td')[n]?.textContent ?? '').trim()), i);
  const header = (table: Locator, title: string) => table.locator('thead th').filter({ hasText: title }).first();
  const num = (s: string) => Number(s.replace(/,/g, ''));

  it('the statistics overview sorts by a number and by the unit’s name, the 合计 row staying last', async () => {
    const { context, page } = await session('admin');
    await page.goto(`${env.server.baseUrl}/statistics`);
    const table = page.getByTestId('overview-table');
    await expect.poll(async () => (await column(table, 1)).map(num)).toEqual([2, 1, 5]); // 天宁 钟楼 新北: the code order
    await header(table, '登记人数').click();
    expect((await column(table, 1)).map(num)).toEqual([1, 2, 5]);
    await header(table, '登记人数').click();
    expect((await column(table, 1)).map(num)).toEqual([5, 2, 1]);
    expect(await header(table, '登记人数').getAttribute('aria-sort')).toBe('descending');
    // The 合计 row is not a row of the sort: it stays at the bottom.
    const total = table.getByTestId('overview-total');
    expect((await total.locator('td').first().textContent())?.startsWith('合计')).toBe(true);
    expect(await table.evaluate((t) => {
      const rows = [...t.querySelectorAll('tr')];
      return rows[rows.length - 1]?.getAttribute('data-testid');
    })).toBe('overview-total');
    await header(table, '单位').click();
    const names = await column(table, 0);
    expect(names).toEqual([...names].sort(zh.compare));
    expect(names).toEqual(['天宁区', '新北区', '钟楼区']); // pinyin: tian, xin, zhong
    await shot(page, 'statistics-sorted');
    await context.close();
  });

  it('the user list sorts by name in pinyin order and its 所属单位 filter narrows the rows', async () => {
    const { context, page } = await session('admin');
    await page.goto(`${env.server.baseUrl}/users`);
    const table = page.getByTestId('users-table');
    await table.getByText('ot_tn_clerk').waitFor();
    await header(table, '姓名').click();
    const names = await column(table, 1);
    expect(names.length).toBeGreaterThanOrEqual(6);
    expect(names).toEqual([...names].sort(zh.compare));
    expect(names.indexOf('艾青')).toBeLessThan(names.indexOf('王五'));
    expect(names.indexOf('王五')).toBeLessThan(names.indexOf('张三'));
    // Filter 所属单位 = 天宁区: its two users only.
    await header(table, '所属单位').locator('.ant-table-filter-trigger').click();
    const dropdown = page.locator('.ant-table-filter-dropdown:visible');
    await dropdown.getByText('天宁区', { exact: true }).click();
    await dropdown.getByRole('button', { name: /确\s*定/ }).click();
    await expect.poll(() => column(table, 3)).toEqual(['天宁区', '天宁区']);
    expect((await column(table, 0)).sort()).toEqual(['ot_tn_clerk', 'ot_tn_viewer']);
    await shot(page, 'users-filtered');
    await context.close();
  });

  it('the audit log sorts by time on the server (oldest first), and its 结果 filter is the form’s', async () => {
    // Two failed logins (wrong password): the log has failed entries among the successful ones.
    for (let i = 0; i < 2; i++) {
      const r = await fetch(`${env.server.baseUrl}/api/auth/login`, { method: 'POST', headers: { 'Content-Type': 'application/json', origin: env.server.baseUrl }, body: JSON.stringify({ username: 'ot_tn_clerk', password: 'wrong-password-1' }) });
      expect(r.status).toBe(401);
    }
    const { context, page } = await session('admin');
    await page.goto(`${env.server.baseUrl}/audit`);
    const table = page.getByTestId('audit-table');
    await table.locator('tbody tr.ant-table-row').first().waitFor();
    const ids = async () => (await column(table, 1)).map(Number);
    const newest = await ids();
    expect(newest).toEqual([...newest].sort((a, b) => b - a));
    await header(table, '时间').click();
    await expect.poll(async () => (await ids())[0]).toBe(Math.min(...newest));
    const oldest = await ids();
    expect(oldest).toEqual([...oldest].sort((a, b) => a - b));
    expect(await header(table, '时间').getAttribute('aria-sort')).toBe('ascending');
    const times = await column(table, 2);
    expect(times).toEqual([...times].sort());
    // 结果 = 失败 from the column: every row failed, and the form shows the same choice.
    await header(table, '结果').locator('.ant-table-filter-trigger').click();
    const dropdown = page.locator('.ant-table-filter-dropdown:visible');
    await dropdown.getByText('失败', { exact: true }).click();
    await dropdown.getByRole('button', { name: /确\s*定/ }).click();
    await expect.poll(async () => [...new Set(await column(table, 6))]).toEqual(['失败']);
    expect(await page.locator('form[id=auditFilter]').getByText('失败').count()).toBe(1);
    await context.close();
  });

  /** The district submits its self-assessment (through the API, in the browser's session). */
  async function submitSelfAssessment(): Promise<void> {
    const { context, page } = await session('xb');
    const url = `/api/campaigns/${campaignId}/assessments/${xinbei}`;
    const status = await page.evaluate(async (u) => {
      const json = { 'Content-Type': 'application/json' };
      let a = (await (await fetch(u)).json()) as Assessment;
      const items = a.categories.flatMap((k) => k.items).map((i) => ({ criterionId: i.criterionId, selfScore: i.maxScore, selfNote: '已落实，见佐证材料' }));
      a = (await (await fetch(`${u}/self`, { method: 'PUT', headers: json, body: JSON.stringify({ items, version: a.version }) })).json()) as Assessment;
      return (await fetch(`${u}/submit`, { method: 'POST', headers: json, body: JSON.stringify({ version: a.version }) })).status;
    }, url);
    expect(status).toBe(200);
    await context.close();
  }

  it('at 1440×900 every 考核意见 box of the assessor’s sheet is inside the window, scrolling the page down only', async () => {
    await submitSelfAssessment();
    const { context, page } = await session('assessor');
    await page.goto(`${env.server.baseUrl}/assessments/${campaignId}/${xinbei}`);
    await page.getByTestId('assessment-sheet').waitFor();
    const notes = page.locator('[data-testid^=assessed-note-]');
    await notes.first().waitFor();
    expect(await notes.count()).toBe(14);
    const width = 1440;
    // The page itself does not scroll sideways, nor does the sheet's table.
    expect(await page.evaluate(() => document.scrollingElement!.scrollWidth)).toBeLessThanOrEqual(width);
    const content = page.getByTestId('assessment-sheet').locator('.ant-table-content, .ant-table-body').first();
    expect(await content.evaluate((el) => el.scrollWidth - el.clientWidth)).toBeLessThanOrEqual(0);
    for (let i = 0; i < 14; i++) {
      const note = notes.nth(i);
      await note.evaluate((el) => el.scrollIntoView({ block: 'center', inline: 'nearest' }));
      expect(await page.evaluate(() => window.scrollX)).toBe(0);
      const box = (await note.boundingBox())!;
      expect(box.x).toBeGreaterThanOrEqual(0);
      expect(box.x + box.width).toBeLessThanOrEqual(width);
      expect(box.y).toBeGreaterThanOrEqual(0);
      expect(box.y + box.height).toBeLessThanOrEqual(900);
    }
    // The score boxes beside them too.
    for (const score of await page.locator('[data-score-kind=assessed]').all()) {
      const box = (await score.boundingBox())!;
      expect(box.x + box.width).toBeLessThanOrEqual(width);
    }
    await page.evaluate(() => window.scrollTo(0, 0));
    await shot(page, 'assessment-review', false);
    await shot(page, 'assessment-review-full');
    await context.close();
  });

  it('the pivot scrolled to its end shows its last column left of the fixed 合计 column, not under it', async () => {
    const { context, page } = await session('admin');
    await page.goto(`${env.server.baseUrl}/statistics?dim=category&measure=registered`);
    const pivot = page.getByTestId('pivot-table');
    await pivot.locator('tbody tr.ant-table-row').first().waitFor();
    const scroller = pivot.locator('.ant-table-content, .ant-table-body').first();
    const overflow = await scroller.evaluate((el) => el.scrollWidth - el.clientWidth);
    expect(overflow).toBeGreaterThan(0); // 14 columns do not fit: the table scrolls
    await scroller.evaluate((el) => el.scrollTo({ left: el.scrollWidth }));
    await expect.poll(() => scroller.evaluate((el) => Math.ceil(el.scrollLeft + el.clientWidth) >= el.scrollWidth)).toBe(true);
    // In every body row, the last data cell ends where the fixed 合计 cell begins (no overlap), and
    // lies inside the visible part of the table.
    const rows = pivot.locator('tbody tr.ant-table-row');
    for (const row of await rows.all()) {
      const cells = row.locator(':scope > td');
      const n = await cells.count();
      const last = (await cells.nth(n - 2).boundingBox())!;
      const total = (await cells.nth(n - 1).boundingBox())!;
      expect(last.x + last.width).toBeLessThanOrEqual(total.x + 1);
      expect(last.width).toBeGreaterThan(40);
    }
    // The header: the last dimension value's cell is beside 合计 too, and readable.
    const heads = pivot.locator('thead tr').last().locator('th');
    const lastHead = (await heads.last().boundingBox())!;
    const totalHead = (await pivot.locator('thead th').filter({ hasText: /^合计/ }).first().boundingBox())!;
    expect(lastHead.x + lastHead.width).toBeLessThanOrEqual(totalHead.x + 1);
    const visible = (await scroller.boundingBox())!;
    expect(lastHead.x).toBeGreaterThanOrEqual(visible.x);
    await pivot.scrollIntoViewIfNeeded();
    await shot(page, 'pivot-scrolled', false);
    await context.close();
  });

  it('at 390×844 the pages do not overflow sideways (wide tables scroll inside their card)', async () => {
    const { context, page } = await session('assessor', { width: 390, height: 844 });
    for (const url of [`/assessments/${campaignId}/${xinbei}`, '/assessments', '/statistics', '/fees']) {
      await page.goto(`${env.server.baseUrl}${url}`);
      await page.locator('.ant-table-row').first().waitFor();
      await shot(page, `phone-${url.split('/')[1]}`);
      const wide = await page.evaluate(() =>
        [...document.querySelectorAll('body *')]
          .filter((e) => e.getBoundingClientRect().right > 391 && !e.closest('.ant-table-content, .ant-table-body, .ant-table-header'))
          .slice(0, 5)
          .map((e) => `${e.tagName}.${e.className}`),
      );
      expect(await page.evaluate(() => document.scrollingElement!.scrollWidth), `${url}: ${wide.join(' | ')}`).toBeLessThanOrEqual(390);
    }
    await context.close();
  });
});
