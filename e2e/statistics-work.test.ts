// Browser test of 汇总分析's work pages (issue 7 items 4–6): a clerk of 新北区 entered records (two
// after the data cutoff 2016-06-10, one invalid, three uninsured with reason 07 and willingness 1).
// 新北区's admin sees the clerk's figures on 工作量统计 (with the entries after the cutoff flagged and
// the day chart), generates the 未参保人员明细表 one sheet per street, waits for it and downloads it
// (the uninsured rows, nobody else); downloads the analysis report's draft (a .docx titled for
// 新北区), uploads it back as the final version and submits it. The city admin sees 新北区 as 已报送;
// 天宁区's admin sees nothing of 新北区's report and cannot open 新北区's work statistics.
import fs from 'node:fs';
import path from 'node:path';
import ExcelJS from 'exceljs';
import JSZip from 'jszip';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { dialogReady, launchBrowser, loginInBrowser, startServer, type E2eServer } from './support.js';
import { makeUser, orgId } from '../src/server/testing/harness.js';
import { fakeIdNumber, makeRegistration } from '../src/server/testing/registration-factory.js';
import type { NewRegistration } from '../src/server/db/schema.js';

const SHOT_DIR = process.env.CANBAO_E2E_SHOTS ?? 'test-results';
const HUASHAN = '320411002001'; // 新北区 三井街道 华山社区
const LONGHUTANG = '320411003001'; // 新北区 龙虎塘街道
const DIAOZHUANG = '320402001001'; // 天宁区 雕庄街道
const AFTER_CUTOFF = '2016-06-20T02:00:00.000Z'; // the 2016 campaign's data cutoff is 2016-06-10

// The clerk's records: 8 entered, 7 valid, 2 after the cutoff (李调查 surveyed all but one of them).
const CLERK = { entered: 8, valid: 7, afterCutoff: 2, rate: '87.5%' };
const UNINSURED = ['未保甲', '未保乙', '未保丙'];

type Who = 'xb' | 'tn' | 'city';

describe('work statistics, detail tables and the analysis report in the browser', () => {
  let server: E2eServer;
  let browser: Browser;
  let xinbei: number;
  let clerkId: number;
  let users: Record<Who, { username: string; password: string }>;

  let seq = 0;
  async function add(orgCode: string, name: string, opts: { enteredBy?: number; enteredAt: string; valid?: boolean; uninsured?: boolean; columns?: Partial<NewRegistration> }) {
    seq += 1;
    return makeRegistration(server.ctx, {
      orgCode,
      idNumber: fakeIdNumber(orgCode.slice(0, 6), '19800101', 100 + seq * 2),
      name,
      valid: opts.valid ?? true,
      enteredAt: opts.enteredAt,
      columns: {
        sex: '2',
        birth_date: '1980-01-01',
        hukou_type: '21',
        person_category: '24',
        phone: '13912345678',
        surveyor_name: '李调查',
        ins_110_status: opts.uninsured ? '0' : '1',
        ins_390_status: opts.uninsured ? '0' : '1',
        uninsured_reason: opts.uninsured ? '07' : null,
        willingness: opts.uninsured ? '1' : null,
        ...(opts.enteredBy !== undefined ? { entered_by: opts.enteredBy } : {}),
        ...opts.columns,
      },
    });
  }

  beforeAll(async () => {
    server = await startServer();
    browser = await launchBrowser();
    xinbei = await orgId(server.ctx, '320411');
    const clerk = await makeUser(server.ctx, { username: 'work_clerk', role: 'clerk', orgCode: '320411002', displayName: '王录入' });
    clerkId = clerk.id;
    users = {
      xb: await makeUser(server.ctx, { username: 'work_xb', role: 'district_admin', orgCode: '320411', displayName: '新北管理员' }),
      tn: await makeUser(server.ctx, { username: 'work_tn', role: 'district_admin', orgCode: '320402', displayName: '天宁管理员' }),
      city: await makeUser(server.ctx, { username: 'work_city', role: 'city_admin', orgCode: '320400-SSB', displayName: '市管理员' }),
    };

    // The clerk: 3 insured + 1 invalid before the cutoff, 3 uninsured (one after it), 1 insured after it.
    await add(HUASHAN, '参保甲', { enteredBy: clerkId, enteredAt: '2016-05-20T02:00:00.000Z' });
    await add(HUASHAN, '参保乙', { enteredBy: clerkId, enteredAt: '2016-05-20T03:00:00.000Z' });
    await add(HUASHAN, '参保丙', { enteredBy: clerkId, enteredAt: '2016-05-23T02:00:00.000Z' });
    await add(HUASHAN, '无效丁', { enteredBy: clerkId, enteredAt: '2016-05-23T04:00:00.000Z', valid: false });
    await add(HUASHAN, UNINSURED[0]!, { enteredBy: clerkId, enteredAt: '2016-06-01T02:00:00.000Z', uninsured: true });
    await add(LONGHUTANG, UNINSURED[1]!, { enteredBy: clerkId, enteredAt: '2016-06-08T02:00:00.000Z', uninsured: true });
    await add(LONGHUTANG, UNINSURED[2]!, { enteredBy: clerkId, enteredAt: AFTER_CUTOFF, uninsured: true });
    await add(LONGHUTANG, '参保戊', { enteredBy: clerkId, enteredAt: AFTER_CUTOFF, columns: { surveyor_name: '赵调查' } });
    // 天宁区 (entered by the seed's admin): an uninsured person 新北区 must never see.
    await add(DIAOZHUANG, '天宁未保', { enteredAt: '2016-05-25T02:00:00.000Z', uninsured: true });
    fs.mkdirSync(SHOT_DIR, { recursive: true });
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  async function session(who: Who): Promise<{ context: BrowserContext; page: Page }> {
    const context = await browser.newContext({ viewport: { width: 1440, height: 1000 }, acceptDownloads: true });
    const page = await context.newPage();
    await loginInBrowser(page, server.baseUrl, users[who].username, users[who].password);
    await page.waitForSelector('[data-testid=user-menu]');
    return { context, page };
  }

  /** A full-page screenshot once antd's open/close animations have ended. */
  async function shot(page: Page, name: string) {
    await page.waitForFunction(() => !document.querySelector('[class*="-appear"], [class*="-enter"], [class*="-leave"]'));
    await page.screenshot({ path: path.join(SHOT_DIR, `statistics-work-${name}.png`), fullPage: true });
  }

  it('a 新北区 admin sees the clerk’s work, generates and downloads the uninsured table, and submits the report', async () => {
    const { context, page } = await session('xb');
    await page.goto(`${server.baseUrl}/statistics`);
    await page.getByTestId('statistics-nav').getByRole('tab', { name: '工作量统计' }).click();
    await page.waitForURL('**/statistics/work');

    // 工作量统计: the clerk's row.
    const row = page.getByTestId('work-users').locator(`tr[data-row-key="${clerkId}"]`);
    await row.waitFor();
    const cells = await row.locator('td').allTextContents();
    // expand, 录入人员, 角色, 所在单位, 录入, 手机采集, 有效, 有效率, 有效数据, 首次, 最近, 截止日后, 抽查
    expect(cells.slice(1, 13)).toEqual(['王录入', '录入员', '三井街道', String(CLERK.entered), '0', String(CLERK.valid), CLERK.rate, String(CLERK.valid), '2016-05-20', '2016-06-20', String(CLERK.afterCutoff), '未抽查']);
    // Entries after the cutoff are flagged (a tag), and summed above.
    expect(await page.getByTestId(`work-after-${clerkId}`).evaluate((el) => el.classList.contains('ant-tag'))).toBe(true);
    expect(await page.getByTestId('work-deadline').textContent()).toContain(`数据截止日 2016-06-10 之后录入 ${CLERK.afterCutoff} 条`);
    // The timeline marks the cutoff.
    await expect.poll(() => page.getByTestId('work-timeline').locator('svg').textContent()).toContain('数据截止 2016-06-10');
    // The surveyors named on the forms.
    const surveyor = page.getByTestId('work-surveyors').locator('tr[data-row-key="李调查"] td');
    expect((await surveyor.allTextContents()).slice(0, 5)).toEqual(['李调查', '7', '6', '85.7%', '6']);
    // The clerk's days, expanded.
    await row.locator('.ant-table-row-expand-icon').click();
    const days = page.getByTestId(`work-days-chart-${clerkId}`);
    await expect.poll(() => days.locator('svg').textContent()).toContain('数据截止 2016-06-10');
    expect(await page.getByTestId(`work-days-${clerkId}`).textContent()).toContain('截止日后（2 条）');
    await shot(page, 'work');

    // 人员明细数据表: the uninsured, one sheet per street of 新北区.
    await page.getByTestId('statistics-nav').getByRole('tab', { name: '人员明细数据表' }).click();
    await page.waitForURL('**/statistics/detail-tables');
    await page.getByTestId('detail-kind').getByText('未参保人员明细表').click();
    await page.getByTestId('detail-per-street').click();
    expect(await page.getByTestId('detail-audit-note').textContent()).toContain('审计日志');
    await page.getByTestId('detail-generate').click();
    await page.getByTestId('detail-current').waitFor();
    await page.getByTestId('detail-current-download').waitFor({ timeout: 60_000 });
    const current = await page.getByTestId('detail-current').textContent();
    expect(current).toContain('已完成');
    expect(current).toContain(`${UNINSURED.length} 行`);
    const listRow = page.getByTestId('detail-tables').locator('tbody tr.ant-table-row').first();
    const listText = await listRow.textContent();
    expect(listText).toContain('新北区');
    expect(listText).toContain('未参保人员明细表');
    expect(listText).toContain('完整'); // a district admin sees full ID numbers (the view is logged)
    await shot(page, 'detail-tables');
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('detail-current-download').click()]);
    expect(download.suggestedFilename()).toMatch(/^新北区未参保人员明细表-\d{4}-\d{2}-\d{2}\.xlsx$/);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile((await download.path())!);
    const sheetNames = wb.worksheets.map((s) => s.name);
    expect(sheetNames).toContain('三井街道');
    expect(sheetNames).toContain('龙虎塘街道');
    const all = JSON.stringify(wb.worksheets.map((s) => s.getSheetValues()));
    for (const name of UNINSURED) expect(all).toContain(name);
    expect(all).not.toContain('参保甲');
    expect(all).not.toContain('天宁未保');
    expect(all).toContain('无参保意愿');
    expect(all).toContain('愿意参保');
    const sanjing = JSON.stringify(wb.getWorksheet('三井街道')!.getSheetValues());
    expect(sanjing).toContain(UNINSURED[0]);
    expect(sanjing).not.toContain(UNINSURED[1]);

    // 分析报告: the draft, uploaded back as the final version, then submitted.
    await page.getByTestId('statistics-nav').getByRole('tab', { name: '分析报告' }).click();
    await page.waitForURL('**/statistics/reports');
    await expect.poll(() => page.getByTestId('report-status').textContent()).toBe('未上传');
    const [draft] = await Promise.all([page.waitForEvent('download'), page.getByTestId('report-draft').click()]);
    expect(draft.suggestedFilename()).toMatch(/^新北区全民参保登记工作分析报告（初稿）.*\.docx$/);
    const docx = fs.readFileSync((await draft.path())!);
    expect(docx.subarray(0, 2).toString('latin1')).toBe('PK');
    const xml = await (await JSZip.loadAsync(docx)).file('word/document.xml')!.async('string');
    expect(xml.replace(/<[^>]+>/g, '')).toContain('新北区全民参保登记工作分析报告');

    const finalName = '新北区全民参保登记工作分析报告（定稿）.docx';
    await page.getByTestId('report-card').locator('input[type=file]').setInputFiles({ name: finalName, mimeType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', buffer: docx });
    await expect.poll(() => page.getByTestId('report-status').textContent()).toBe('已上传，未报送');
    expect(await page.getByTestId('report-file').textContent()).toBe(finalName);
    expect(await page.getByTestId('report-card').textContent()).toContain('新北管理员');
    await page.getByTestId('report-submit').click();
    const confirm = page.locator('.ant-modal-confirm').filter({ hasText: '报送分析报告？' });
    await dialogReady(confirm);
    expect(await confirm.textContent()).toContain(finalName);
    expect(await confirm.textContent()).toContain('报送后不能再替换或修改');
    await shot(page, 'report-confirm');
    await confirm.getByRole('button', { name: '报送' }).click();
    await confirm.waitFor({ state: 'hidden' });
    await page.getByTestId('report-submitted').waitFor();
    expect(await page.getByTestId('report-status').textContent()).toBe('已报送');
    expect(await page.getByTestId('report-submitted-at').textContent()).toMatch(/^新北管理员，\d{4}-\d{2}-\d{2} \d{2}:\d{2}$/);
    expect(await page.getByTestId('report-upload').count()).toBe(0); // no replacing after submission
    await shot(page, 'report-district');
    await context.close();
  });

  it('the city admin sees 新北区’s report as submitted', async () => {
    const { context, page } = await session('city');
    await page.goto(`${server.baseUrl}/statistics/reports`);
    const status = page.getByTestId(`report-status-${xinbei}`);
    await expect.poll(() => status.textContent()).toBe('已报送');
    expect(await page.getByTestId(`report-submitted-${xinbei}`).textContent()).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}新北管理员$/);
    expect(await page.getByTestId(`report-file-${xinbei}`).textContent()).toBe('新北区全民参保登记工作分析报告（定稿）.docx');
    expect(await page.getByTestId('reports-table').locator('tbody tr.ant-table-row').count()).toBe(3);
    expect(await page.getByTestId('reports-submitted-count').textContent()).toBe('已报送 1 / 3');
    await page.getByTestId('report-city-draft').waitFor();
    await shot(page, 'report-city');

    // The city sees the clerk on the city's work statistics too.
    await page.getByTestId('statistics-nav').getByRole('tab', { name: '工作量统计' }).click();
    await page.getByTestId('work-users').locator(`tr[data-row-key="${clerkId}"]`).waitFor();
    await context.close();
  });

  it('a 天宁区 admin sees nothing of 新北区’s report and cannot open 新北区’s work statistics', async () => {
    const { context, page } = await session('tn');
    await page.goto(`${server.baseUrl}/statistics/reports`);
    await expect.poll(() => page.getByTestId('report-status').textContent()).toBe('未上传');
    expect(await page.getByTestId('report-card').textContent()).toContain('天宁区');
    expect(await page.getByText('新北区').count()).toBe(0);
    expect(await page.getByTestId(`report-status-${xinbei}`).count()).toBe(0);
    await shot(page, 'report-tianning');

    await page.goto(`${server.baseUrl}/statistics/work?orgUnitId=${xinbei}`);
    await page.getByTestId('statistics-not-found').waitFor();
    expect(await page.getByText('王录入').count()).toBe(0);
    await shot(page, 'not-found');
    // Their own work statistics hold nobody of 新北区.
    await page.goto(`${server.baseUrl}/statistics/work`);
    await page.getByTestId('work-users').waitFor();
    expect(await page.getByTestId('work-users').locator(`tr[data-row-key="${clerkId}"]`).count()).toBe(0);
    await context.close();
  });
});
