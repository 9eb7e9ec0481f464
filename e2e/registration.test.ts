// Browser test of the registration import (issue 3): a 新北区 clerk uploads a GBK CSV with a title
// row, keeps the good rows, downloads the list of problems, sees the new people in the list; a
// 天宁区 clerk sees none of them, neither on the page nor through the API; a viewer sees them masked,
// the birth date as its year (issue 13 item 2).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { loginInBrowser, serverAndBrowser } from './support.js';
import { makeUser } from '../src/server/testing/harness.js';
import { writeCsv } from '../src/server/testing/import-files.js';
import { fakeIdNumber } from '../src/server/testing/registration-factory.js';

const SHOT_DIR = process.env.CANBAO_E2E_SHOTS ?? 'test-results';

describe('registration import in the browser', () => {
  const env = serverAndBrowser();

  async function login(page: Page, username: string, password: string) {
    await loginInBrowser(page, env.server.baseUrl, username, password);
    await page.waitForSelector('[data-testid=user-menu]');
  }

  const good = [
    { name: '张三丰', id: fakeIdNumber('320411', '19800101', 101) },
    { name: '李四海', id: fakeIdNumber('320411', '19850612', 102) },
    { name: '王五岳', id: fakeIdNumber('320411', '19900923', 103) },
  ];
  const badCheck = fakeIdNumber('320411', '19750304', 104);
  const wrongCheckDigit = badCheck.slice(0, 17) + (badCheck[17] === '1' ? '2' : '1');

  it('a 新北区 clerk imports a GBK CSV (only the valid rows) and downloads the problems', async () => {
    const clerk = await makeUser(env.server.ctx, { username: 'xb_clerk', role: 'clerk', orgCode: '320411' });
    const header = ['社区', '姓名', '公民身份号码', '户口性质', '常住地址', '联系电话', '个人身份', '调查日期', '企业职工基本养老保险参保状态', '企业职工基本养老保险参保地'];
    const row = (name: string, id: string, phone = '13912345678') => ['320411002001', name, id, '21', '常州市新北区华山路1号', phone, '24', '2016-05-03', '1', '常州市'];
    const file = writeCsv(
      [
        ['常州市全民参保登记表（新北区）'],
        header,
        ...good.map((g) => row(g.name, g.id)),
        row('赵六安', wrongCheckDigit),
        row('钱七星', fakeIdNumber('320411', '19700808', 105), ''),
      ],
      { encoding: 'gbk', name: '新北区登记表.csv' },
    );

    const page = await env.browser.newPage({ viewport: { width: 1400, height: 1000 } });
    await login(page, clerk.username, clerk.password);
    await page.goto(`${env.server.baseUrl}/registrations`);
    await page.getByTestId('import-registrations').click();
    await page.waitForURL('**/registrations/import');
    // The clerk's own district is preselected: the file must name the community of each row.
    await page.getByTestId('community-column-hint').waitFor();
    expect(await page.getByTestId('community-column-hint').textContent()).toContain('新北区');
    // The template: a UTF-8 CSV (with BOM) whose header names every field, plus 社区 for a district.
    const [tpl] = await Promise.all([page.waitForEvent('download'), page.getByTestId('import-template').click()]);
    const tplText = fs.readFileSync((await tpl.path())!, 'utf8');
    expect(tplText.startsWith('\ufeff社区,证件类型,公民身份号码,姓名,')).toBe(true);
    expect(tplText).toContain('企业职工基本养老保险参保地');

    const summary = page.getByTestId('import-summary');

    // The default mode (all or nothing) refuses the file and writes nothing.
    expect(await page.getByRole('radio', { name: /全部无误才导入/ }).isChecked()).toBe(true);
    await page.locator('input[type=file]').setInputFiles(file);
    await page.getByText(/新北区登记表\.csv/).waitFor();
    await page.getByTestId('import-start').click();
    await summary.waitFor({ timeout: 30_000 });
    expect(await summary.textContent()).toBe('未导入：文件中有 2 行存在问题，请修改后重新导入（或选择“只导入无误的行”）');
    fs.mkdirSync(SHOT_DIR, { recursive: true });
    await page.screenshot({ path: path.join(SHOT_DIR, 'import-refused.png'), fullPage: true }).catch(() => undefined);
    expect(await env.server.ctx.db.selectFrom('registration').select('id').execute()).toEqual([]);

    // Only the valid rows.
    await page.getByRole('radio', { name: /只导入无误的行/ }).check();
    await page.locator('input[type=file]').setInputFiles(file);
    await page.getByTestId('import-start').click();
    await expect.poll(() => summary.textContent(), { timeout: 30_000 }).toContain('导入完成');
    const text = (await summary.textContent()) ?? '';
    expect(text).toContain('导入完成');
    expect(text).toContain('共 5 行');
    expect(text).toContain('新增 3');
    expect(text).toContain('问题行 2');
    const rejects = page.getByTestId('import-rejects');
    expect(await rejects.getByText('公民身份号码', { exact: true }).count()).toBe(1);
    expect(await rejects.getByText('联系电话', { exact: true }).count()).toBe(1);
    await page.screenshot({ path: path.join(SHOT_DIR, 'import-result.png'), fullPage: true }).catch(() => undefined);

    // The problems as .xlsx: the clerk's own rows (title, header, the two problem rows with all their
    // cells), the bad cells noted, a 问题 and a 原行号 column; then the list of problems.
    expect(await page.getByTestId('download-rejects').textContent()).toContain('改正后可直接重新导入');
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('download-rejects').click()]);
    const saved = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'canbao-e2e-dl-')), 'rejects.xlsx');
    await download.saveAs(saved);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(saved);
    const ws = wb.worksheets[0]!;
    expect(ws.getRow(1).getCell(1).value).toBe('常州市全民参保登记表（新北区）');
    expect((ws.getRow(2).values as unknown[]).slice(1)).toEqual([...header, '问题', '原行号']);
    expect(ws.getRow(3).getCell(3).value).toBe(wrongCheckDigit);
    expect(ws.getRow(3).getCell(3).note).toBeTruthy();
    expect(ws.getRow(4).getCell(2).value).toBe('钱七星');
    expect([ws.getRow(3).getCell(header.length + 2).value, ws.getRow(4).getCell(header.length + 2).value]).toEqual([6, 7]); // title + header + three good rows come first
    const list = wb.worksheets[1]!;
    expect((list.getRow(1).values as unknown[]).slice(1)).toEqual(['行号', '列', '问题']);
    expect(list.actualRowCount).toBe(3);

    // The list shows the three new people.
    await page.goto(`${env.server.baseUrl}/registrations`);
    const table = page.getByTestId('registrations-table');
    for (const g of good) await table.getByRole('link', { name: g.name }).waitFor();
    expect(await table.getByRole('link', { name: /赵六安|钱七星/ }).count()).toBe(0);
    await page.screenshot({ path: path.join(SHOT_DIR, 'registrations-list.png') }).catch(() => undefined);

    // 导出 CSV with the list's filters: the three people, nobody else.
    expect(await page.getByTestId('export-csv').getAttribute('href')).toBe('/api/registrations/export?format=csv');
    const [csvDownload] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-csv').click()]);
    const csvPath = path.join(path.dirname(saved), 'export.csv');
    await csvDownload.saveAs(csvPath);
    const csv = fs.readFileSync(csvPath, 'utf8');
    for (const g of good) expect(csv).toContain(g.name);
    expect(csv.trim().split(/\r?\n/).length).toBe(4);

    // More filters live in the URL: 个人身份 80 matches none of the three (they are 24), and the
    // export follows the filters.
    await page.goto(`${env.server.baseUrl}/registrations?category=80`);
    await page.getByTestId('filters-more').waitFor();
    await expect.poll(() => page.getByTestId('registrations-table').getByText('没有符合条件的登记记录').count()).toBe(1);
    expect(await page.getByTestId('export-csv').getAttribute('href')).toBe('/api/registrations/export?personCategory=80&format=csv');
    await page.goto(`${env.server.baseUrl}/registrations?category=24&from=2016-01-01`);
    for (const g of good) await page.getByTestId('registrations-table').getByRole('link', { name: g.name }).waitFor();
    await page.screenshot({ path: path.join(SHOT_DIR, 'registrations-filters.png') }).catch(() => undefined);
    await page.close();
  });

  it('a 天宁区 clerk sees none of them', async () => {
    const clerk = await makeUser(env.server.ctx, { username: 'tn_clerk', role: 'clerk', orgCode: '320402' });
    const page = await env.browser.newPage({ viewport: { width: 1400, height: 900 } });
    await login(page, clerk.username, clerk.password);
    await page.goto(`${env.server.baseUrl}/registrations`);
    await expect.poll(() => page.getByTestId('registrations-table').getByText('暂无登记记录').count()).toBe(1);
    for (const g of good) expect(await page.getByText(g.name).count()).toBe(0);
    // The three are there (in 新北区), but the API does not hand them to this clerk.
    const xinbei = await env.server.ctx.db.selectFrom('org_unit').select('id').where('code', '=', '320411').executeTakeFirstOrThrow();
    const stored = await env.server.ctx.db.selectFrom('registration').select('name').where('district_id', '=', Number(xinbei.id)).execute();
    expect(stored.map((r) => r.name).sort()).toEqual(good.map((g) => g.name).sort());
    const res = await page.evaluate(async () => {
      const r = await fetch('/api/registrations?limit=200');
      return { status: r.status, body: (await r.json()) as { items: Array<{ districtId: number | null; record: { name?: string | null } }> } };
    });
    expect(res.status).toBe(200);
    expect(res.body.items.filter((x) => x.districtId === Number(xinbei.id) || good.some((g) => g.name === x.record.name))).toEqual([]);
    await page.close();
  });

  it('a 新北区 viewer sees the year of birth only, in the list and on the detail page, and cannot open the editor', async () => {
    const viewer = await makeUser(env.server.ctx, { username: 'xb_viewer', role: 'viewer', orgCode: '320411' });
    const page = await env.browser.newPage({ viewport: { width: 1400, height: 900 } });
    await login(page, viewer.username, viewer.password);
    const person = good[1]!; // 李四海, born 1985-06-12
    await page.goto(`${env.server.baseUrl}/registrations`);
    const row = page.getByTestId('registrations-table').locator('tr.ant-table-row', { hasText: person.name });
    await row.waitFor();
    expect(await row.textContent()).toContain('1985年');
    expect(await row.textContent()).not.toContain('1985-06-12');
    await row.getByText(person.name).click();
    await page.waitForURL('**/registrations/*');
    await page.getByText('证件号码和电话按个人信息保护要求脱敏显示，出生日期只显示年份。').waitFor();
    const body = (await page.locator('body').textContent()) ?? '';
    expect(body).toContain('1985年');
    for (const secret of [person.id, person.id.slice(6, 14), '1985-06-12']) expect(body).not.toContain(secret);
    expect(await page.getByTestId('edit').count()).toBe(0);
    // the editor, which would save what it loaded, is not for a masked view
    await page.goto(`${page.url()}/edit`);
    await page.locator('.ant-result-403').waitFor();
    await page.close();
  });
});
