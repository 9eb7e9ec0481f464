// The registration list as officials use it (issue 14): page numbers and page size kept in the URL,
// the total for the filters, sorting by 姓名 / 录入时间, column settings remembered, ticked rows
// exported alone and invalid ones deleted after a confirmation.
import fs from 'node:fs';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { loginInBrowser, serverAndBrowser } from './support.js';
import { makeUser } from '../src/server/testing/harness.js';
import { fakeIdNumber, makeRegistration } from '../src/server/testing/registration-factory.js';

const SHOT_DIR = process.env.CANBAO_E2E_SHOTS ?? 'test-results';
const SURNAMES = ['张', '李', '王', '赵', '钱', '孙', '周', '吴'];
const COUNT = 65;

type Made = { id: number; name: string; valid: boolean; category: string };

describe('registration list: pages, totals, sorting, columns, bulk actions', () => {
  const env = serverAndBrowser();
  const made: Made[] = [];
  let user: { username: string; password: string };

  beforeAll(async () => {
    user = await makeUser(env.server.ctx, { username: 'list_clerk', role: 'clerk', orgCode: '320411' });
    for (let i = 0; i < COUNT; i++) {
      const name = `${SURNAMES[i % SURNAMES.length]}测${String.fromCharCode(0x4e00 + i)}`;
      const valid = i % 6 !== 2;
      const category = i % 3 === 0 ? '11' : '24';
      const id = await makeRegistration(env.server.ctx, {
        orgCode: i % 2 ? '320411002001' : '320411002002',
        idNumber: fakeIdNumber('320411', '19750101', 300 + i),
        valid,
        enteredAt: new Date(Date.UTC(2016, 4, 3, 1, i)).toISOString(),
        columns: { name, person_category: category, surveyor_name: '王调查' },
      });
      made.push({ id, name, valid, category });
    }
  });

  const rowNames = (page: Page) => page.getByTestId('registrations-table').locator('tbody tr.ant-table-row td:nth-child(2) a').allInnerTexts();
  const totalText = (page: Page) => page.locator('.ant-pagination-total-text').innerText();

  async function open(): Promise<Page> {
    const page = await env.browser.newPage({ viewport: { width: 1440, height: 900 } });
    await loginInBrowser(page, env.server.baseUrl, user.username, user.password);
    await page.waitForSelector('[data-testid=user-menu]');
    await page.goto(`${env.server.baseUrl}/registrations`);
    await expect.poll(() => totalText(page)).toBe(`共 ${COUNT} 条`);
    return page;
  }

  it('pages by number and size; the page survives a refresh; the total follows the filters', async () => {
    const page = await open();
    const newestFirst = [...made].sort((a, b) => b.id - a.id).map((m) => m.name);
    await expect.poll(() => rowNames(page)).toEqual(newestFirst.slice(0, 50));
    await page.locator('.ant-pagination-item-2').click();
    await expect.poll(() => rowNames(page)).toEqual(newestFirst.slice(50));
    expect(new URL(page.url()).searchParams.get('page')).toBe('2');
    await page.reload();
    await expect.poll(() => rowNames(page)).toEqual(newestFirst.slice(50));
    // 20 a page: back to page 1, four pages.
    await page.locator('.ant-pagination-options .ant-select').click();
    await page.locator('.ant-select-item-option', { hasText: '20 条/页' }).click();
    await expect.poll(() => rowNames(page)).toEqual(newestFirst.slice(0, 20));
    await expect.poll(() => page.locator('.ant-pagination-item').count()).toBe(4);
    // A filter: the total is the filter's, exact.
    await page.getByTestId('more-filters').click();
    await page.getByLabel('个人身份').click();
    // The code table's options show the label then the code: search by the code, Enter takes it.
    await page.keyboard.type('11');
    await page.locator('.ant-select-item-option-active').filter({ hasText: /11$/ }).waitFor();
    await page.keyboard.press('Enter');
    const workers = made.filter((m) => m.category === '11').length;
    await expect.poll(() => totalText(page)).toBe(`共 ${workers} 条`);
    fs.mkdirSync(SHOT_DIR, { recursive: true });
    await page.screenshot({ path: path.join(SHOT_DIR, 'registration-list-pages.png'), fullPage: true });
    await page.close();
  });

  it('sorts by 姓名 both ways and back to newest first, in the URL', async () => {
    const page = await open();
    const header = page.locator('th.ant-table-column-has-sorters', { hasText: '姓名' });
    await header.click();
    const byName = [...made].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : b.id - a.id)).map((m) => m.name);
    await expect.poll(() => rowNames(page)).toEqual(byName.slice(0, 50));
    expect(new URL(page.url()).searchParams.get('sort')).toBe('name');
    await header.click();
    const byNameDesc = [...made].sort((a, b) => (a.name < b.name ? 1 : a.name > b.name ? -1 : b.id - a.id)).map((m) => m.name);
    await expect.poll(() => rowNames(page)).toEqual(byNameDesc.slice(0, 50));
    await page.locator('th.ant-table-column-has-sorters', { hasText: '录入时间' }).click();
    await expect.poll(() => new URL(page.url()).searchParams.get('sort')).toBe(null);
    await page.close();
  });

  it('column settings add and hide columns, remembered after a reload', async () => {
    const page = await open();
    const headers = () => page.getByTestId('registrations-table').locator('thead th').allInnerTexts();
    expect((await headers()).map((h) => h.trim())).toContain('公民身份号码');
    await page.getByTestId('column-settings-button').click();
    const settings = page.getByTestId('column-settings');
    await settings.getByLabel('公民身份号码').uncheck();
    await settings.getByLabel('采集人').check();
    await expect.poll(async () => (await headers()).map((h) => h.trim())).toContain('采集人');
    expect((await headers()).map((h) => h.trim())).not.toContain('公民身份号码');
    await page.reload();
    await expect.poll(async () => (await headers()).map((h) => h.trim())).toContain('采集人');
    expect((await headers()).map((h) => h.trim())).not.toContain('公民身份号码');
    expect(await page.getByTestId('registrations-table').locator('tbody tr.ant-table-row').first().innerText()).toContain('王调查');
    await page.close();
  });

  it('ticked rows export alone; ticked invalid rows are deleted after a confirmation; a valid one blocks deletion', async () => {
    const page = await open();
    const rows = page.getByTestId('registrations-table').locator('tbody tr.ant-table-row');
    const newestFirst = [...made].sort((a, b) => b.id - a.id);
    const invalid = newestFirst.filter((m) => !m.valid).slice(0, 2);
    for (const m of invalid) await rows.filter({ hasText: m.name }).locator('input[type=checkbox]').check();
    await expect.poll(() => page.getByTestId('bulk-actions').innerText()).toContain('已选 2 条');

    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-selected').click()]);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile((await download.path())!);
    const ws = wb.worksheets[0]!;
    const nameCol = (ws.getRow(1).values as unknown[]).map(String).indexOf('姓名');
    const exported: string[] = [];
    ws.eachRow((row, n) => {
      if (n > 1) exported.push(String(row.getCell(nameCol).value));
    });
    expect(exported.sort()).toEqual(invalid.map((m) => m.name).sort());

    // A valid row ticked too: deletion is refused before asking.
    const valid = newestFirst.find((m) => m.valid)!;
    await rows.filter({ hasText: valid.name }).locator('input[type=checkbox]').check();
    await expect.poll(() => page.getByTestId('delete-selected').isDisabled()).toBe(true);
    await rows.filter({ hasText: valid.name }).locator('input[type=checkbox]').uncheck();

    await page.getByTestId('delete-selected').click();
    const dialog = page.locator('.ant-modal-confirm');
    await expect.poll(() => dialog.innerText()).toContain('删除所选的 2 条无效记录');
    await dialog.getByRole('button', { name: '删除' }).click();
    await expect.poll(() => totalText(page)).toBe(`共 ${COUNT - 2} 条`);
    const names = await rowNames(page);
    for (const m of invalid) expect(names).not.toContain(m.name);
    expect(await page.getByTestId('bulk-actions').count()).toBe(0);
    await page.close();
  });
});
