// Browser test of the assessment (issue 4): a 新北区 district admin fills the 14 self scores of the
// 附件2 scorecard by keyboard (with the inline checks of a score), attaches a PNG as evidence,
// saves, submits and is then locked out; a city assessor enters the assessed scores and finalises,
// and prints the scorecard (A4 PDF); a 天宁区 district admin sees neither 新北区's row nor its
// scorecard nor its evidence file.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { cspViolations, dialogReady, launchBrowser, loginInBrowser, startServer, type E2eServer } from './support.js';
import { makeUser, orgId } from '../src/server/testing/harness.js';
import { fakeIdNumber, makeRegistration } from '../src/server/testing/registration-factory.js';
import { formatScore } from '../src/domain/score.js';
import { PDF } from '../src/server/testing/stored-file.js';
import type { Assessment } from '../src/shared/api-assessment.js';

const SHOT_DIR = process.env.CANBAO_E2E_SHOTS ?? 'test-results';
// A 1×1 transparent PNG.
const PNG = Buffer.from(
  '89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082',
  'hex',
);

describe('assessment in the browser', () => {
  let server: E2eServer;
  let browser: Browser;
  let campaignId: number;
  let xinbei: number;
  let sheetUrl: string;
  let items: Array<{ criterionId: number; maxScore: number; kind: string; text: string }>;
  let users: Record<'xb' | 'assessor' | 'tn', { username: string; password: string }>;

  beforeAll(async () => {
    server = await startServer();
    browser = await launchBrowser();
    const c = await server.ctx.db.selectFrom('campaign').select('id').where('code', '=', '2016').executeTakeFirstOrThrow();
    campaignId = Number(c.id);
    // The 2016 deadline (2016-06-10) is long past: give the test a deadline still to come.
    await server.ctx.db.updateTable('campaign').set({ self_assessment_deadline: '2099-06-10' }).where('id', '=', campaignId).execute();
    xinbei = await orgId(server.ctx, '320411');
    sheetUrl = `${server.baseUrl}/assessments/${campaignId}/${xinbei}`;
    users = {
      xb: await makeUser(server.ctx, { username: 'xb_admin', role: 'district_admin', orgCode: '320411', displayName: '新北管理员' }),
      assessor: await makeUser(server.ctx, { username: 'city_assessor1', role: 'city_assessor', orgCode: '320400-SSB', displayName: '市考核员' }),
      tn: await makeUser(server.ctx, { username: 'tn_admin', role: 'district_admin', orgCode: '320402', displayName: '天宁管理员' }),
    };
    fs.mkdirSync(SHOT_DIR, { recursive: true });
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  async function login(page: Page, who: keyof typeof users) {
    await loginInBrowser(page, server.baseUrl, users[who].username, users[who].password);
    await page.waitForSelector('[data-testid=user-menu]');
  }

  async function readAssessment(page: Page): Promise<Assessment> {
    return page.evaluate(async (url) => (await (await fetch(url)).json()) as Assessment, `/api/campaigns/${campaignId}/assessments/${xinbei}`);
  }

  const activeTestId = (page: Page) => page.evaluate(() => document.activeElement?.getAttribute('data-testid') ?? null);

  it('a 新北区 district admin fills the scorecard, attaches evidence, saves and submits, and is then locked out', async () => {
    const page = await browser.newPage({ viewport: { width: 1600, height: 1000 } });
    await login(page, 'xb');

    // The menu leads to the overview; the district sees its own row.
    await page.getByRole('menuitem', { name: /考核评估/ }).click();
    await page.waitForURL('**/assessments');
    const overview = page.getByTestId('assessments-table');
    await overview.getByRole('link', { name: '新北区' }).waitFor();
    expect(await overview.locator('tbody tr.ant-table-row').count()).toBe(1);
    expect(await overview.textContent()).toContain('自评中');
    await overview.getByRole('link', { name: '新北区' }).click();
    await page.waitForURL(`**/assessments/${campaignId}/${xinbei}`);
    await page.getByTestId('assessment-sheet').waitFor();

    const a = await readAssessment(page);
    items = a.categories.flatMap((c) => c.items);
    expect(items).toHaveLength(14);
    const first = items[0]!;
    const firstBox = page.getByTestId(`self-score-${first.criterionId}`);

    // Inline checks with the domain's rules: out of range, not a half point; full-width digits are fine.
    await firstBox.fill('6');
    expect(await page.getByTestId(`self-score-error-${first.criterionId}`).textContent()).toBe('得分须在 0 至 5 分之间');
    await firstBox.fill('4.3');
    expect(await page.getByTestId(`self-score-error-${first.criterionId}`).textContent()).toBe('得分须以 0.5 分为单位');
    await firstBox.fill('４．５');
    expect(await page.getByTestId(`self-score-error-${first.criterionId}`).count()).toBe(0);
    expect(await page.getByTestId('self-total').textContent()).toBe('4.5');
    expect(await page.getByTestId(`self-subtotal-${a.categories[0]!.id}`).textContent()).toBe('4.5');

    // All 14 by keyboard: type the 标准分, Enter moves to the next item's score.
    await firstBox.selectText();
    for (const [n, item] of items.entries()) {
      await page.keyboard.type(formatScore(item.maxScore));
      await page.keyboard.press('Enter');
      if (n === 0) expect(await activeTestId(page)).toBe(`self-score-${items[1]!.criterionId}`);
    }
    for (const item of items) expect(await page.getByTestId(`self-score-${item.criterionId}`).inputValue()).toBe(formatScore(item.maxScore));
    expect(await page.getByTestId('self-total').textContent()).toBe('100');
    for (const c of a.categories) expect(await page.getByTestId(`self-subtotal-${c.id}`).textContent()).toBe(formatScore(c.maxScore));
    await page.getByTestId(`self-note-${first.criterionId}`).fill('已印发实施方案（见附件）');

    // Evidence for the first item: a PNG, listed with its size and SHA-256, previewed in a modal.
    const pngPath = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'canbao-e2e-png-')), '实施方案.png');
    fs.writeFileSync(pngPath, PNG);
    const sha = createHash('sha256').update(PNG).digest('hex');
    const evidence = page.getByTestId(`evidence-${first.criterionId}`);
    await evidence.locator('input[type=file]').setInputFiles(pngPath);
    await evidence.getByTestId('evidence-file').waitFor();
    expect(await evidence.textContent()).toContain('实施方案.png');
    expect(await evidence.textContent()).toContain(`SHA-256 ${sha.slice(0, 10)}…`);
    expect(await evidence.locator('[data-sha256]').getAttribute('data-sha256')).toBe(sha);
    await evidence.getByRole('button', { name: '实施方案.png', exact: true }).click();
    const img = page.getByTestId('evidence-preview-image');
    await img.waitFor();
    await expect.poll(() => img.evaluate((el) => (el as HTMLImageElement).naturalWidth)).toBe(1);
    await page.getByTestId('preview-close').click();
    await img.waitFor({ state: 'detached' });

    // A PDF for the second item: previewed by Chromium's PDF viewer inside the sandboxing CSP of
    // stored files (the page itself refuses an .html name; the server's rule is tested there).
    const pdfPath = path.join(path.dirname(pngPath), '会议纪要.pdf');
    fs.writeFileSync(pdfPath, PDF);
    const second = page.getByTestId(`evidence-${items[1]!.criterionId}`);
    await second.locator('input[type=file]').setInputFiles(pdfPath);
    await second.getByTestId('evidence-file').waitFor();
    await second.getByRole('button', { name: '会议纪要.pdf', exact: true }).click();
    const frame = page.getByTestId('evidence-preview-pdf');
    await frame.waitFor();
    const src = (await frame.getAttribute('src'))!;
    const res = await page.request.get(`${server.baseUrl}${src}`);
    expect(res.headers()['content-security-policy']).toMatch(/^default-src 'none';.*; sandbox$/);
    expect(res.headers()['content-disposition']).toContain("filename*=UTF-8''%E4%BC%9A%E8%AE%AE%E7%BA%AA%E8%A6%81.pdf");
    // the viewer (an extension frame inside the iframe) opened the file
    await expect.poll(() => page.frames().some((f) => f.url().startsWith('chrome-extension://'))).toBe(true);
    await page.screenshot({ path: path.join(SHOT_DIR, 'assessment-pdf-preview.png') });
    await page.getByTestId('preview-close').click();
    await frame.waitFor({ state: 'detached' });

    // 保存草稿.
    await page.getByTestId('save-self').click();
    await page.getByText('自评草稿已保存').waitFor();
    const saved = await readAssessment(page);
    expect(saved.selfTotal).toBe(1000);
    expect(saved.categories[0]!.items[0]!.selfNote).toBe('已印发实施方案（见附件）');
    expect(saved.categories[0]!.items[0]!.evidence.map((e) => e.sha256)).toEqual([sha]);
    await page.screenshot({ path: path.join(SHOT_DIR, 'assessment-district.png'), fullPage: true });

    // 提交自评 asks first, then locks the scorecard for the district.
    await page.getByTestId('submit-self').click();
    const confirm = page.getByRole('dialog').filter({ hasText: '提交自评？' });
    await dialogReady(confirm);
    expect(await confirm.textContent()).toContain('不能再修改');
    await confirm.getByRole('button', { name: '确认提交' }).click();
    await page.getByTestId('locked-reason').waitFor();
    await confirm.waitFor({ state: 'hidden' });
    expect(await page.getByTestId('locked-reason').textContent()).toContain('自评已提交');
    expect(await page.getByTestId('assessment-status').textContent()).toBe('已提交，待考核');
    expect(await page.locator('input[data-score-kind]').count()).toBe(0);
    expect(await page.getByTestId('save-self').count()).toBe(0);
    expect(await page.getByTestId('submit-self').count()).toBe(0);
    expect(await evidence.getByRole('button', { name: /上传佐证材料/ }).count()).toBe(0);
    expect(await page.getByTestId('assessment-events').textContent()).toContain('新北管理员 提交');
    // Nothing assessed yet: no assessed total, not 0.
    expect(await page.getByTestId('assessed-total').textContent()).toBe('—');
    await page.screenshot({ path: path.join(SHOT_DIR, 'assessment-district-submitted.png'), fullPage: true });
    await page.close();
  });

  it('a city assessor enters the assessed scores, finalises, and prints the scorecard on A4', async () => {
    const context = await browser.newContext({ viewport: { width: 1600, height: 1000 } });
    const page = await context.newPage();
    await login(page, 'assessor');
    await page.goto(`${server.baseUrl}/assessments`);
    const overview = page.getByTestId('assessments-table');
    await overview.getByRole('link', { name: '新北区' }).waitFor();
    // The city sees every district; 新北区 is waiting for the review.
    expect(await overview.locator('tbody tr.ant-table-row').count()).toBeGreaterThanOrEqual(3);
    const row = overview.locator('tbody tr.ant-table-row').filter({ has: page.getByRole('link', { name: '新北区' }) });
    expect(await row.textContent()).toContain('已提交，待考核');
    await overview.getByRole('link', { name: '新北区' }).click();
    await page.getByTestId('assessment-sheet').waitFor();
    await page.getByTestId('save-review').waitFor();

    // Someone else saves first (here the same assessor in a second tab): this page's save is a
    // conflict, and the dialog loads the current version.
    const other = await context.newPage();
    await other.goto(sheetUrl);
    await other.getByTestId(`assessed-note-${items[1]!.criterionId}`).fill('材料齐全');
    await other.getByTestId('save-review').click();
    await other.getByText('考核评分已保存').waitFor();
    await other.close();
    await page.getByTestId(`assessed-score-${items[0]!.criterionId}`).fill('5');
    await page.getByTestId('save-review').click();
    const conflict = page.getByRole('dialog').filter({ hasText: '考核表已被他人修改' });
    await conflict.waitFor();
    expect(await conflict.textContent()).toContain('材料齐全');
    await page.getByTestId('conflict-reload').click();
    await conflict.waitFor({ state: 'hidden' });
    expect(await page.getByTestId(`assessed-note-${items[1]!.criterionId}`).inputValue()).toBe('材料齐全');
    expect(await page.getByTestId(`assessed-score-${items[0]!.criterionId}`).inputValue()).toBe('');

    // The accuracy item says how it is scored; here it is typed (no spot check yet).
    const accuracy = items.find((i) => i.kind === 'accuracy')!;
    expect(await page.getByTestId('assessment-sheet').textContent()).toContain('按抽查结果自动计算：每发现一例错误扣 0.5 分');
    await page.getByTestId(`assessed-score-${items[0]!.criterionId}`).focus();
    for (const item of items) {
      await page.keyboard.type(item.criterionId === accuracy.criterionId ? '4.5' : formatScore(item.maxScore));
      await page.keyboard.press('Enter');
    }
    await page.getByTestId(`assessed-note-${accuracy.criterionId}`).fill('抽查发现 1 例录入错误');
    expect(await page.getByTestId('assessed-total').textContent()).toBe('99.5');
    await page.getByTestId('save-review').click();
    await page.getByText('考核评分已保存').waitFor();
    await page.screenshot({ path: path.join(SHOT_DIR, 'assessment-review.png'), fullPage: true });

    await page.getByTestId('finalize').click();
    const confirm = page.getByRole('dialog').filter({ hasText: '完成考核？' });
    await dialogReady(confirm);
    expect(await confirm.textContent()).toContain('考核总分 99.5 分');
    await confirm.getByRole('button', { name: '完成考核' }).click();
    await expect.poll(() => page.getByTestId('assessment-status').textContent()).toBe('考核完成');
    await confirm.waitFor({ state: 'hidden' });
    expect(await page.getByTestId('locked-reason').textContent()).toContain('考核已完成');
    expect(await page.locator('input[data-score-kind]').count()).toBe(0);
    const events = (await page.getByTestId('assessment-events').textContent()) ?? '';
    expect(events).toContain('新北管理员 提交');
    expect(events).toContain('市考核员 完成考核');
    const final = await readAssessment(page);
    expect(final).toMatchObject({ status: 'final', selfTotal: 1000, assessedTotal: 995 });
    expect(final.categories.flatMap((c) => c.items)[1]!.assessedComment).toBe('材料齐全');
    expect(await page.getByTestId('fee-tier').textContent()).toContain(`${final.feeTier!.percent}%`);

    // The print view: only the form (title, unit, table, totals, signatures), no menu or buttons.
    await page.emulateMedia({ media: 'print' });
    const print = page.getByTestId('assessment-print');
    expect(await print.isVisible()).toBe(true);
    expect(await page.locator('.ant-layout-sider').isVisible()).toBe(false);
    expect(await page.getByTestId('assessment-sheet').isVisible()).toBe(false);
    expect(await page.getByTestId('print').isVisible()).toBe(false);
    const printed = (await print.textContent()) ?? '';
    expect(printed).toContain('常州市市本级全民参保登记工作考核表');
    expect(printed).toContain('单位名称（章）：新北区');
    expect(printed).toContain('抽查发现 1 例录入错误');
    expect(printed).toContain('考核人：');
    expect(printed).toContain('被考核单位负责人：');
    expect(printed).not.toContain('实施方案.png');
    expect(await print.locator('.print-total').textContent()).toBe('合计10010099.5');
    const pdfPath = path.join(SHOT_DIR, 'assessment-print.pdf');
    await page.pdf({ path: pdfPath, format: 'A4', printBackground: true });
    const pdf = fs.readFileSync(pdfPath, 'latin1');
    expect(pdf.startsWith('%PDF-')).toBe(true);
    // A4 portrait: 595 × 842 points.
    expect(pdf).toMatch(/\/MediaBox \[0 0 595(\.\d+)? 841(\.\d+)?\]|\/MediaBox \[0 0 595(\.\d+)? 842(\.\d+)?\]/);
    await page.emulateMedia({ media: 'screen' });
    await context.close();
  });

  it('a 天宁区 district admin sees neither 新北区’s row, nor its scorecard, nor its evidence', async () => {
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    await login(page, 'tn');
    await page.goto(`${server.baseUrl}/assessments`);
    const overview = page.getByTestId('assessments-table');
    await overview.getByRole('link', { name: '天宁区' }).waitFor();
    expect(await overview.locator('tbody tr.ant-table-row').count()).toBe(1);
    expect(await overview.getByRole('link', { name: '新北区' }).count()).toBe(0);

    await page.goto(sheetUrl);
    await page.getByTestId('assessment-not-found').waitFor();
    expect(await page.getByTestId('assessment-not-found').textContent()).toContain('考核表不存在');
    expect(await page.getByTestId('assessment-sheet').count()).toBe(0);

    const file = await server.ctx.db.selectFrom('evidence_file').select('id').executeTakeFirstOrThrow();
    const res = await page.request.get(`${server.baseUrl}/api/evidence/${Number(file.id)}`);
    expect(res.status()).toBe(404);
    expect(((await res.json()) as { error: { message: string } }).error.message).toBe('佐证材料不存在');
    await page.close();
  });

  it('a city assessor draws a seeded spot check of 钟楼区, marks 3 errors and the accuracy item becomes 3.5; the district verifies the draw', async () => {
    const zl = await orgId(server.ctx, '320404');
    for (let i = 0; i < 20; i++) {
      await makeRegistration(server.ctx, { orgCode: '320404001001', idNumber: fakeIdNumber('320404', '19750101', 600 + i), name: `抽查对象${i}`, enteredAt: '2016-05-02T02:00:00.000Z' });
    }
    const at = new Date().toISOString();
    await server.ctx.db.insertInto('assessment').values({ campaign_id: campaignId, org_unit_id: zl, status: 'submitted', submitted_at: at, created_at: at, updated_at: at, version: 1 }).execute();
    const zlAdmin = await makeUser(server.ctx, { username: 'zl_admin', role: 'district_admin', orgCode: '320404', displayName: '钟楼管理员' });

    const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
    await login(page, 'assessor');
    await page.goto(`${server.baseUrl}/assessments/${campaignId}/${zl}`);
    const panel = page.getByTestId('spot-check-panel');
    await panel.waitFor();
    await panel.getByLabel('抽取条数').fill('8');
    await panel.getByLabel('种子').fill('e2e-seed-2016');
    await panel.getByRole('button', { name: '抽取样本' }).click();
    await page.getByRole('button', { name: '抽取', exact: true }).click();
    const check = panel.getByTestId('spot-check');
    await check.waitFor({ timeout: 10_000 }).catch(async (e: unknown) => {
      await page.screenshot({ path: path.join(SHOT_DIR, 'spot-check-failed.png'), fullPage: true });
      throw e;
    });
    await expect.poll(() => check.locator('tbody tr.ant-table-row').count()).toBe(8);
    for (const seq of [1, 2, 3]) {
      await check.getByRole('button', { name: `第 ${seq} 条错误` }).click();
      const dialog = page.getByRole('dialog', { name: new RegExp(`标记为错误：第 ${seq} 条`) });
      await dialogReady(dialog);
      await dialog.getByRole('combobox').fill('联系电话');
      await page.keyboard.press('Enter');
      await dialog.getByLabel('错误情况').fill('与纸质登记表不符');
      await dialog.getByRole('button', { name: '标记为错误' }).click();
      await dialog.waitFor({ state: 'hidden' });
    }
    await check.getByRole('button', { name: '第 4 条正确' }).click();
    // the photo of the first record's paper form
    const photo = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'canbao-e2e-photo-')), '登记表.png');
    fs.writeFileSync(photo, PNG);
    const [chooser] = await Promise.all([page.waitForEvent('filechooser'), check.locator('tbody tr.ant-table-row').first().getByRole('button', { name: /上传/ }).click()]);
    await chooser.setFiles(photo);
    await check.getByRole('link', { name: '第 1 条的照片' }).waitFor();
    await expect.poll(() => panel.getByTestId('spot-check-accuracy').textContent(), { timeout: 10_000 }).toContain('发现错误 3 例，得分 3.5');
    const a = await page.evaluate(async (url) => (await (await fetch(url)).json()) as Assessment, `/api/campaigns/${campaignId}/assessments/${zl}`);
    expect(a.categories.flatMap((c) => c.items).find((i) => i.kind === 'accuracy')?.assessedScore).toBe(35);
    await page.screenshot({ path: path.join(SHOT_DIR, 'spot-check.png'), fullPage: true }).catch(() => undefined);
    await page.close();

    // The district sees the seed and re-derives the same sample.
    const district = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
    await loginInBrowser(district, server.baseUrl, zlAdmin.username, zlAdmin.password);
    await district.waitForSelector('[data-testid=user-menu]');
    await district.goto(`${server.baseUrl}/assessments/${campaignId}/${zl}`);
    const theirs = district.getByTestId('spot-check');
    await theirs.waitFor();
    expect(await theirs.textContent()).toContain('e2e-seed-2016');
    expect(await district.getByRole('button', { name: '第 1 条错误' }).count()).toBe(0); // a district marks nothing
    await theirs.getByRole('button', { name: /校验抽样/ }).click();
    await expect.poll(() => theirs.textContent(), { timeout: 10_000 }).toContain('结果与记录一致');
    await district.close();
  });

  it('no page above reported a Content Security Policy violation', () => {
    expect(cspViolations).toEqual([]);
  });
});
