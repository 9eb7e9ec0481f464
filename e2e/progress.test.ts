// Long jobs show rows done of total, percentage and time left (issue 14): an import of a few
// thousand rows shows its progress with the file's row count, then its report; an export from the
// list shows its progress in a notification while the browser downloads the file, then clears it.
// The import is held at its end (holdImportEndsForTests) so that its progress can be seen however
// fast the machine is; the export's notification stays a few seconds after the end with the count.
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { loginInBrowser, serverAndBrowser } from './support.js';
import { makeUser } from '../src/server/testing/harness.js';
import { writeCsv } from '../src/server/testing/import-files.js';
import { fakeIdNumber } from '../src/server/testing/registration-factory.js';
import { holdImportEndsForTests } from '../src/server/registration/import/jobs.js';
import { groupDigits } from '../src/shared/progress.js';

const SHOT_DIR = process.env.CANBAO_E2E_SHOTS ?? 'test-results';
const ROWS = 3000;
const DIGITS = '零一二三四五六七八九';

describe('progress of long jobs in the browser', () => {
  const env = serverAndBrowser();
  let user: { username: string; password: string } | null = null;
  afterEach(() => holdImportEndsForTests(null));

  async function open(pathName: string): Promise<Page> {
    user ??= await makeUser(env.server.ctx, { username: 'progress_clerk', role: 'clerk', orgCode: '320411002001' });
    const page = await env.browser.newPage({ viewport: { width: 1400, height: 1000 } });
    await loginInBrowser(page, env.server.baseUrl, user.username, user.password);
    await page.waitForSelector('[data-testid=user-menu]');
    await page.goto(`${env.server.baseUrl}${pathName}`);
    return page;
  }

  it('an import of a few thousand rows shows rows read of the file’s rows, then its report', async () => {
    const header = ['姓名', '公民身份号码', '户口性质', '常住地址', '联系电话', '个人身份', '调查日期', '企业职工基本养老保险参保状态', '企业职工基本养老保险参保地'];
    const rows = [header];
    for (let i = 0; i < ROWS; i++) {
      const birth = `1966${String(1 + Math.floor(i / 1000)).padStart(2, '0')}01`;
      rows.push([`进${[...String(i)].map((d) => DIGITS[Number(d)]).join('')}`, fakeIdNumber('320411', birth, i % 1000), '21', `华山路${i}号`, '13912345678', '24', '2016-05-03', '1', '常州市']);
    }
    const file = writeCsv(rows, { name: '进度测试.csv' });
    let release!: () => void;
    holdImportEndsForTests(new Promise<void>((r) => (release = r)));

    const page = await open('/registrations/import');
    await page.locator('input[type=file]').setInputFiles(file);
    await page.getByText(/进度测试\.csv/).waitFor();
    await page.getByTestId('import-start').click();
    // Held at its end: the writing pass has read every row, and the total is the check pass's count.
    const progress = page.getByTestId('import-job-progress');
    await expect.poll(() => progress.textContent(), { timeout: 60_000 }).toContain(`导入：已处理 ${groupDigits(rows.length)} / ${groupDigits(rows.length)} 行`);
    expect(await progress.textContent()).not.toContain('约');
    expect(await progress.locator('.ant-progress').getAttribute('aria-valuenow')).toBe('99'); // never 100 before the end
    fs.mkdirSync(SHOT_DIR, { recursive: true });
    await page.screenshot({ path: path.join(SHOT_DIR, 'import-progress.png'), fullPage: true }).catch(() => undefined);

    release();
    const summary = page.getByTestId('import-summary');
    await expect.poll(() => summary.textContent(), { timeout: 60_000 }).toContain('导入完成');
    expect(await summary.textContent()).toContain(`新增 ${ROWS}`);
    expect(await page.getByTestId('import-processing').count()).toBe(0);
    await page.close();
  });

  it('an export from the list shows its progress until it ends, with the rows written, then clears it', async () => {
    const page = await open('/registrations');
    const live = await env.server.ctx.db.selectFrom('registration').select((eb) => eb.fn.countAll<number>().as('n')).where('deleted_at', 'is', null).executeTakeFirstOrThrow();
    const total = Number(live.n);
    expect(total).toBeGreaterThanOrEqual(ROWS);
    await expect.poll(() => page.locator('.ant-pagination-total-text').innerText()).toBe(`共 ${total.toLocaleString('zh-CN')} 条`);

    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-csv').click()]);
    const note = page.locator('.ant-notification-notice').filter({ has: page.getByTestId('export-progress') });
    await note.waitFor();
    await expect.poll(() => note.textContent(), { timeout: 60_000 }).toContain('导出完成');
    expect(await note.textContent()).toContain(`已处理 ${groupDigits(total)} / ${groupDigits(total)} 行`);
    expect(await note.locator('.ant-progress').getAttribute('aria-valuenow')).toBe('100');
    await page.screenshot({ path: path.join(SHOT_DIR, 'export-progress.png') }).catch(() => undefined);
    // The file is the browser's own download, whole.
    const lines = fs.readFileSync((await download.path())!, 'utf8').split('\r\n').filter(Boolean);
    expect(lines).toHaveLength(total + 1);
    // The notification goes by itself.
    await note.waitFor({ state: 'detached', timeout: 30_000 });
    await page.close();
  });
});
