// Browser test of 统计分析 (issue 7): records seeded in communities of 新北区 and 天宁区 (some invalid,
// one person entered in both districts), then a city admin sees the three districts with the right
// figures (today and as of the data cutoff), turns the pivot to 性别 / 有效数据, clicks a cell and lands
// on the registration list filtered to exactly those people (tags 性别：女 …, as many rows as the cell),
// drills into 新北区 (its streets), sets 新北区's target and sees 登记率; the charts render (SVG); the
// pivot prints on one A4 landscape page and downloads as .xlsx; the home dashboard shows the figures.
// A 新北区 admin sees 新北区's streets only, and 天宁区 is "not found".
import fs from 'node:fs';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { cspViolations, launchBrowser, loginInBrowser, startServer, type E2eServer } from './support.js';
import { makeUser, orgId } from '../src/server/testing/harness.js';
import { fakeIdNumber, makeRegistration } from '../src/server/testing/registration-factory.js';
import type { NewRegistration } from '../src/server/db/schema.js';

const SHOT_DIR = process.env.CANBAO_E2E_SHOTS ?? 'test-results';
const HUASHAN = '320411002001'; // 三井街道 华山社区
const FEILONG = '320411002002'; // 三井街道 飞龙社区
const LONGHUTANG = '320411003001'; // 龙虎塘街道
const DIAOZHUANG = '320402001001'; // 天宁区 雕庄街道
const QINGLONG = '320402002002'; // 天宁区 青龙街道
const BEFORE_CUTOFF = '2016-05-20T02:00:00.000Z';
const AFTER_CUTOFF = '2016-06-20T02:00:00.000Z'; // the 2016 campaign's data cutoff is 2016-06-10

// What is inserted, per district (registered / valid / invalid / duplicates / counted).
const XINBEI = { registered: 22, valid: 19, invalid: 3, duplicates: 1, counted: 18, afterCutoff: 3 };
const TIANNING = { registered: 9, valid: 8, invalid: 1, duplicates: 0, counted: 8 };
const XINBEI_WOMEN_COUNTED = 10; // 5 华山 + 2 飞龙 + 3 龙虎塘 (the two invalid women are not counted)
const XINBEI_WOMEN_REGISTERED = 12;
const XINBEI_STREETS = 10;

type Who = 'admin' | 'xb';

describe('statistics in the browser', () => {
  let server: E2eServer;
  let browser: Browser;
  let xinbei: number;
  let tianning: number;
  let zhonglou: number;
  let sanjing: number;
  let longhutang: number;
  let users: Record<Who, { username: string; password: string }>;

  let seq = 0;
  /** One record: sex 1/2 (the ID number's 17th digit agrees), born 1980 (30—44 this decade), other coded fields. */
  async function add(orgCode: string, sex: '1' | '2', opts: { valid?: boolean; enteredAt?: string; idNumber?: string; columns?: Partial<NewRegistration> } = {}) {
    seq += 1;
    const region = orgCode.slice(0, 6);
    const serial = sex === '1' ? seq * 2 + 1 : seq * 2; // odd: a man, even: a woman
    const idNumber = opts.idNumber ?? fakeIdNumber(region, '19800101', serial % 1000);
    return makeRegistration(server.ctx, {
      orgCode,
      idNumber,
      name: `测试${seq}`,
      valid: opts.valid ?? true,
      errors: [{ field: 'phone', code: 'X', message: 'x' }],
      enteredAt: opts.enteredAt ?? BEFORE_CUTOFF,
      columns: {
        sex,
        birth_date: '1980-01-01',
        hukou_type: '21',
        person_category: seq % 3 === 0 ? '70' : '24',
        ins_110_status: seq % 3 === 0 ? '0' : '1',
        ins_390_status: '1',
        uninsured_reason: seq % 3 === 0 ? (seq % 2 === 0 ? '07' : '08') : null,
        willingness: seq % 3 === 0 ? '2' : '1',
        phone: '13912345678',
        ...opts.columns,
      },
    });
  }

  beforeAll(async () => {
    server = await startServer();
    browser = await launchBrowser();
    xinbei = await orgId(server.ctx, '320411');
    tianning = await orgId(server.ctx, '320402');
    zhonglou = await orgId(server.ctx, '320404');
    sanjing = await orgId(server.ctx, '320411002');
    longhutang = await orgId(server.ctx, '320411003');
    users = {
      admin: await makeUser(server.ctx, { username: 'stat_admin', role: 'city_admin', orgCode: '320400-SSB', displayName: '市管理员' }),
      xb: await makeUser(server.ctx, { username: 'stat_xb', role: 'district_admin', orgCode: '320411', displayName: '新北管理员' }),
    };

    // One person entered in 天宁区 first (counted there) and again in 新北区 (a duplicate there).
    const shared = fakeIdNumber('320402', '19750505', 991);
    await add(DIAOZHUANG, '1', { idNumber: shared, enteredAt: '2016-05-02T02:00:00.000Z' });
    await add(HUASHAN, '1', { idNumber: shared, enteredAt: '2016-05-25T02:00:00.000Z' });

    // 新北区: 三井街道 华山 5 women + 3 men + 2 invalid women; 飞龙 2 + 2; 龙虎塘 3 + 3 (3 of them after
    // the cutoff) + 1 invalid man.
    for (let i = 0; i < 5; i++) await add(HUASHAN, '2', { enteredAt: `2016-05-0${i + 3}T02:00:00.000Z` });
    for (let i = 0; i < 3; i++) await add(HUASHAN, '1', { enteredAt: `2016-05-1${i}T02:00:00.000Z` });
    for (let i = 0; i < 2; i++) await add(HUASHAN, '2', { valid: false });
    for (let i = 0; i < 2; i++) await add(FEILONG, '2');
    for (let i = 0; i < 2; i++) await add(FEILONG, '1', { enteredAt: '2016-06-01T02:00:00.000Z' });
    for (let i = 0; i < 3; i++) await add(LONGHUTANG, '2', { enteredAt: AFTER_CUTOFF });
    for (let i = 0; i < 3; i++) await add(LONGHUTANG, '1', { enteredAt: '2016-06-05T02:00:00.000Z' });
    await add(LONGHUTANG, '1', { valid: false, enteredAt: '2016-06-08T02:00:00.000Z' });
    // 天宁区: 雕庄 (the shared man) + 1 woman + 3 men + 1 invalid; 青龙 3 women.
    await add(DIAOZHUANG, '2');
    for (let i = 0; i < 3; i++) await add(DIAOZHUANG, '1', { enteredAt: '2016-05-28T02:00:00.000Z' });
    await add(DIAOZHUANG, '1', { valid: false });
    for (let i = 0; i < 3; i++) await add(QINGLONG, '2', { enteredAt: '2016-06-09T02:00:00.000Z' });

    // The figures above are what the database holds (the factory resolves which record counts).
    const rows = await server.ctx.db.selectFrom('registration').select(['district_id', 'is_valid', 'is_counted']).execute();
    const of = (district: number) => rows.filter((r) => Number(r.district_id) === district);
    expect(of(xinbei).length).toBe(XINBEI.registered);
    expect(of(xinbei).filter((r) => Number(r.is_counted) === 1).length).toBe(XINBEI.counted);
    expect(of(tianning).filter((r) => Number(r.is_valid) === 1).length).toBe(TIANNING.valid);
    fs.mkdirSync(SHOT_DIR, { recursive: true });
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  async function session(who: Who): Promise<{ context: BrowserContext; page: Page }> {
    const context = await browser.newContext({ viewport: { width: 1440, height: 1000 } });
    const page = await context.newPage();
    await loginInBrowser(page, server.baseUrl, users[who].username, users[who].password);
    await page.waitForSelector('[data-testid=user-menu]');
    return { context, page };
  }

  const shot = (page: Page, name: string) => page.screenshot({ path: path.join(SHOT_DIR, `statistics-${name}.png`), fullPage: true });

  /** 登记人数 / 有效记录 / 无效 / 重复 / 有效数据 of an overview row. */
  async function figures(page: Page, orgUnitId: number) {
    const row = page.getByTestId('overview-table').locator(`tr[data-row-key="${orgUnitId}"]`);
    await row.waitFor();
    const cells = await row.locator('td').allTextContents();
    const n = (i: number) => Number((cells[i] ?? '').replace(/,/g, ''));
    return { registered: n(1), valid: n(2), invalid: n(3), duplicates: n(4), counted: n(5) };
  }

  async function fillNumber(loc: Locator, text: string): Promise<void> {
    const tag = await loc.evaluate((el) => el.tagName);
    const input = tag === 'INPUT' ? loc : loc.locator('input').first();
    await input.fill(text);
  }

  it('a city admin sees the districts, turns the pivot, opens a cell’s list, drills down and sets a target', async () => {
    const { context, page } = await session('admin');
    await page.getByRole('menuitem', { name: /统计分析/ }).click();
    await page.waitForURL('**/statistics');

    // The three districts, with what was inserted.
    const { afterCutoff: _after, ...xb } = XINBEI;
    await expect.poll(() => figures(page, xinbei)).toEqual(xb);
    expect(await figures(page, tianning)).toEqual(TIANNING);
    expect(await figures(page, zhonglou)).toEqual({ registered: 0, valid: 0, invalid: 0, duplicates: 0, counted: 0 });
    expect(await page.getByTestId('overview-table').locator('tbody tr.ant-table-row').count()).toBe(3);
    const total = await page.getByTestId('overview-total').locator('td').allTextContents();
    expect(total.slice(1, 6)).toEqual(['31', '27', '4', '1', '26']);
    expect(await page.getByTestId('stat-breadcrumb').textContent()).toBe('常州市市本级');
    await page.getByTestId('chart-progress').locator('svg').first().waitFor();
    await page.getByTestId('chart-units').locator('svg').first().waitFor();
    await page.getByTestId('chart-insurance').locator('svg').first().waitFor();
    await page.getByTestId('chart-reason').locator('svg').first().waitFor();
    // The progress chart marks the data cutoff.
    await expect.poll(() => page.getByTestId('chart-progress').locator('svg').textContent()).toContain('数据截止 2016-06-10');
    await shot(page, 'city');

    // As of the data cutoff, the three 龙虎塘 records entered after it are not there yet.
    await page.getByTestId('stat-basis').getByText(/截至数据截止日/).click();
    await expect.poll(async () => (await figures(page, xinbei)).registered).toBe(XINBEI.registered - XINBEI.afterCutoff);
    expect(await page.getByTestId('stat-basis-text').textContent()).toContain('截至 2016-06-10');
    await page.getByTestId('stat-basis').getByText('今日').click();
    await expect.poll(async () => (await figures(page, xinbei)).registered).toBe(XINBEI.registered);

    // The pivot: 性别, first 登记人数, then 有效数据.
    await page.getByTestId('pivot-dim').click();
    await page.locator('.ant-select-dropdown .ant-select-item-option[title="性别"]').click();
    await page.getByTestId('pivot-measure').getByText('登记人数').click();
    const womenCell = page.getByTestId(`pivot-cell-${xinbei}-2`);
    await expect.poll(() => womenCell.textContent()).toBe(String(XINBEI_WOMEN_REGISTERED));
    await page.getByTestId('pivot-measure').getByText('有效数据').click();
    await expect.poll(() => womenCell.textContent()).toBe(String(XINBEI_WOMEN_COUNTED));
    expect(await page.getByTestId(`pivot-rowtotal-${xinbei}`).textContent()).toBe(String(XINBEI.counted));
    expect(await page.getByTestId('pivot-total').textContent()).toBe(String(XINBEI.counted + TIANNING.counted));
    expect(await page.getByTestId(`pivot-cell-${zhonglou}-2`).textContent()).toBe('0');
    expect(await page.getByTestId(`pivot-cell-${zhonglou}-2`).locator('a').count()).toBe(0); // zero: no link
    // Shares of the row total.
    await page.getByTestId('pivot-percent').click();
    await expect.poll(() => womenCell.locator('xpath=..').textContent()).toBe(`${XINBEI_WOMEN_COUNTED}55.6%`);
    await shot(page, 'pivot');

    // The .xlsx of the same table.
    const xlsxHref = await page.getByTestId('pivot-xlsx').getAttribute('href');
    expect(xlsxHref).toBe(`/api/statistics/pivot.xlsx?orgUnitId=${await cityId()}&dim=sex&measure=counted`);
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('pivot-xlsx').click()]);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile((await download.path())!);
    const sheetText = JSON.stringify(wb.worksheets[0]!.getSheetValues());
    expect(sheetText).toContain('新北区');
    expect(sheetText).toContain('性别');

    // The print view: the pivot alone, on one A4 landscape page.
    await page.emulateMedia({ media: 'print' });
    await page.getByTestId('pivot-print-sheet').waitFor();
    await shot(page, 'print');
    const pdfPath = path.join(SHOT_DIR, 'statistics-pivot-print.pdf');
    await page.pdf({ path: pdfPath, preferCSSPageSize: true, printBackground: true });
    await page.emulateMedia({ media: 'screen' });
    const pdf = fs.readFileSync(pdfPath, 'latin1');
    expect(pdf.startsWith('%PDF-')).toBe(true);
    const boxes = pdf.match(/\/MediaBox \[[^\]]*\]/g) ?? [];
    expect(boxes.length).toBeGreaterThan(0);
    for (const box of boxes) expect(box).toMatch(/^\/MediaBox \[0 0 84[12](\.\d+)? 59[45](\.\d+)?\]$/);
    expect(pdf.match(/\/Type\s*\/Page[^s]/g)?.length).toBe(1);
    await page.getByTestId('pivot-percent').click();

    // A cell opens the list of exactly its people.
    await womenCell.click(); // the figure is a link
    await page.waitForURL('**/registrations?**');
    const url = new URL(page.url());
    expect(Object.fromEntries(url.searchParams)).toEqual({ orgUnitId: String(xinbei), valid: 'true', duplicate: 'false', sex: '2' });
    const tags = page.getByTestId('filter-tags');
    await tags.waitFor();
    expect(await page.getByTestId('filter-tag-sex').textContent()).toBe('性别：女');
    const listRows = page.getByTestId('registrations-table').locator('tbody tr.ant-table-row');
    await expect.poll(() => listRows.count()).toBe(XINBEI_WOMEN_COUNTED);
    // The list's total for the cell's filter is the cell's figure, exact (one coded dimension).
    await expect.poll(() => page.locator('.ant-pagination-total-text').innerText()).toBe(`共 ${XINBEI_WOMEN_COUNTED} 条`);
    expect(await page.getByTestId('export-csv').getAttribute('href')).toBe(`/api/registrations/export?orgUnitId=${xinbei}&valid=true&duplicate=false&sex=2&format=csv`);
    await shot(page, 'list');
    // Closing the tag drops the filter: the women and men of 新北区 (valid, counted).
    await page.getByTestId('filter-tag-sex').locator('.ant-tag-close-icon').click();
    await expect.poll(() => listRows.count()).toBe(XINBEI.counted);
    expect(new URL(page.url()).searchParams.get('sex')).toBeNull();

    // Back on the statistics: drill into 新北区, whose rows are its streets.
    await page.goto(`${server.baseUrl}/statistics`);
    await page.getByTestId(`drill-${xinbei}`).click();
    await expect.poll(() => page.getByTestId('overview-table').locator('tbody tr.ant-table-row').count()).toBe(XINBEI_STREETS);
    expect(new URL(page.url()).searchParams.get('orgUnitId')).toBe(String(xinbei));
    expect(await figures(page, sanjing)).toEqual({ registered: 15, valid: 13, invalid: 2, duplicates: 1, counted: 12 });
    expect(await figures(page, longhutang)).toEqual({ registered: 7, valid: 6, invalid: 1, duplicates: 0, counted: 6 });
    expect(await page.getByTestId('stat-breadcrumb').textContent()).toBe('常州市市本级›新北区');
    await shot(page, 'xinbei');

    // Up again by the breadcrumb, and a target for 新北区: 36 people → 18 / 36 = 50.0 %.
    await page.getByTestId('stat-breadcrumb').getByText('常州市市本级').click();
    await expect.poll(() => page.getByTestId('overview-table').locator('tbody tr.ant-table-row').count()).toBe(3);
    expect(await page.getByTestId(`coverage-${xinbei}`).textContent()).toBe('—');
    await page.getByTestId(`target-edit-${xinbei}`).click();
    await fillNumber(page.getByTestId(`target-input-${xinbei}`), '36');
    await page.getByTestId(`target-save-${xinbei}`).click();
    await expect.poll(() => page.getByTestId(`coverage-${xinbei}`).textContent()).toBe('50.0%');
    expect(await page.getByTestId(`target-${xinbei}`).textContent()).toBe('36');
    // The progress chart draws the target too.
    await expect.poll(() => page.getByTestId('chart-progress').locator('svg').textContent()).toContain('目标 36 人');
    await shot(page, 'target');

    // Clearing asks first.
    await page.getByTestId(`target-edit-${xinbei}`).click();
    await fillNumber(page.getByTestId(`target-input-${xinbei}`), '');
    await page.getByTestId(`target-save-${xinbei}`).click();
    const confirm = page.locator('.ant-modal-confirm').filter({ hasText: '清除目标人数？' });
    await confirm.getByRole('button', { name: '取消' }).click();
    await confirm.waitFor({ state: 'hidden' });
    await page.getByTestId(`target-editor-${xinbei}`).getByRole('button', { name: '取消' }).click(); // leave the editor
    expect(await page.getByTestId(`target-${xinbei}`).textContent()).toBe('36');

    // The home page's dashboard: the city's figures and its districts compared.
    await page.goto(server.baseUrl);
    const card = page.getByTestId('dashboard-card');
    await card.getByTestId('dashboard-chart').locator('svg').first().waitFor();
    expect(await card.getByTestId('dashboard-registered').textContent()).toContain('31');
    expect(await card.getByTestId('dashboard-counted').textContent()).toContain('26');
    expect(await card.getByTestId('dashboard-duplicates').textContent()).toContain('1');
    await shot(page, 'home-city');
    await context.close();
  });

  it('a 新北区 admin sees 新北区’s streets only; 天宁区 is not found', async () => {
    const { context, page } = await session('xb');
    await page.goto(`${server.baseUrl}/statistics`);
    await expect.poll(() => page.getByTestId('overview-table').locator('tbody tr.ant-table-row').count()).toBe(XINBEI_STREETS);
    expect(await page.getByTestId('stat-breadcrumb').textContent()).toBe('新北区');
    const total = await page.getByTestId('overview-total').locator('td').allTextContents();
    expect(total[0]).toBe('合计（新北区）');
    expect(total.slice(1, 6)).toEqual(['22', '19', '3', '1', '18']);
    expect(await page.getByTestId(`drill-${tianning}`).count()).toBe(0);
    // The pivot's column totals are 新北区's alone.
    expect(await page.getByTestId('pivot-total').textContent()).toBe(String(XINBEI.counted));
    await page.getByTestId('chart-progress').locator('svg').first().waitFor();
    await shot(page, 'district');

    await page.goto(`${server.baseUrl}/statistics?orgUnitId=${tianning}`);
    await page.getByTestId('statistics-not-found').waitFor();
    expect(await page.getByText('天宁区').count()).toBe(0);
    await shot(page, 'not-found');

    await page.goto(server.baseUrl);
    const card = page.getByTestId('dashboard-card');
    await card.getByTestId('dashboard-chart').locator('svg').first().waitFor();
    expect(await card.getByTestId('dashboard-registered').textContent()).toContain('22');
    expect(await card.getByTestId('dashboard-counted').textContent()).toContain('18');
    await shot(page, 'home-district');
    await context.close();
  });

  async function cityId(): Promise<number> {
    return orgId(server.ctx, '320400');
  }

  it('no page above reported a Content Security Policy violation', () => {
    expect(cspViolations).toEqual([]);
  });
});
