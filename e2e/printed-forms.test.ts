// Printed forms (issue 14): 附件2 《常州市市本级全民参保登记工作考核表》 on one A4 page in the seed's five
// columns and proportions, 考核标准 never broken inside a word, the seal areas under the table and the
// notes of both sides on a 附页 that follows only when there are any; 《常州市社会保险全民参保登记表》 of
// one person (masked for a viewer, as the detail page is) and blank, each on one A4 page with boxed
// fields and the signature lines, no buttons or tags. Each form is rendered to PDF (saved with a PNG
// of its print view in the screenshot directory).
import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Locator, Page } from 'playwright-core';
import { loginInBrowser, serverAndBrowser } from './support.js';
import { loginAs, makeUser, orgId, type Client } from '../src/server/testing/harness.js';
import { fakeIdNumber } from '../src/server/testing/registration-factory.js';
import type { Assessment } from '../src/shared/api-assessment.js';

const SHOT_DIR = process.env.CANBAO_E2E_SHOTS ?? 'test-results';
/** A4's width less 15 mm margins each side, in CSS pixels: the width the scorecard is laid out in on paper. */
const SCORECARD_WIDTH_PX = Math.round((180 / 25.4) * 96);
/** The seed's 附件2 columns: 考核项目 narrow, 考核标准 wide, 标准分 / 自评分 / 考核分 narrow and equal. */
const SEED_PROPORTIONS = [0.1, 0.6, 0.1, 0.1, 0.1];
// Where a line of Chinese may break when words are kept whole: after closing punctuation or a space,
// before an opening bracket.
const BREAK_AFTER = new Set([...'，。；：、！？）》」』”’ ', '\u3000']);
const BREAK_BEFORE = new Set([...'（《「『“‘']);

/** Pages of a PDF written by Chromium (one /Type /Page object each). */
function pdfPageCount(file: string): number {
  return (fs.readFileSync(file, 'latin1').match(/\/Type\s*\/Page\b/g) ?? []).length;
}

async function printPdf(page: Page, name: string): Promise<{ pages: number; file: string }> {
  const file = path.join(SHOT_DIR, `${name}.pdf`);
  await page.pdf({ path: file, format: 'A4', printBackground: true, preferCSSPageSize: true });
  const pdf = fs.readFileSync(file, 'latin1');
  expect(pdf.startsWith('%PDF-')).toBe(true);
  // A4 portrait: 595 × 842 points, on every page.
  for (const box of pdf.match(/\/MediaBox \[[^\]]*\]/g) ?? []) {
    const [, , w, h] = box.replace(/[^\d. ]/g, '').trim().split(/\s+/).map(Number);
    expect(Math.abs(w! - 595.28), box).toBeLessThan(1);
    expect(Math.abs(h! - 841.89), box).toBeLessThan(1);
  }
  return { pages: pdfPageCount(file), file };
}

/** Index of the first character of every line of a cell's text after the first (as laid out now). */
async function lineStarts(cell: Locator): Promise<{ text: string; starts: number[] }> {
  return cell.evaluate((el) => {
    const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
    let text = '';
    const starts: number[] = [];
    let top: number | null = null;
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const t = node.textContent ?? '';
      for (let i = 0; i < t.length; i++) {
        const range = document.createRange();
        range.setStart(node, i);
        range.setEnd(node, i + 1);
        const rect = [...range.getClientRects()].find((r) => r.width > 0);
        if (rect) {
          if (top !== null && rect.top > top + rect.height / 2) starts.push(text.length + i);
          top = rect.top;
        }
      }
      text += t;
    }
    return { text, starts };
  });
}

/** Nothing of the screen is printed: no button, tag, menu, or input. */
async function expectNothingOfTheScreen(page: Page): Promise<void> {
  for (const sel of ['button', '.ant-btn', '.ant-tag', '.ant-layout-sider', '.ant-layout-header', 'input', '.ant-timeline']) {
    expect(await page.locator(`${sel}:visible`).count(), sel).toBe(0);
  }
}

describe('printed forms', () => {
  const env = serverAndBrowser();
  let campaignId: number;
  let xinbei: number;
  let community: number;
  let users: Record<'district' | 'assessor' | 'clerk' | 'viewer', { username: string; password: string }>;
  let district: Client;
  let assessor: Client;
  let recordId: number;
  const idNumber = fakeIdNumber('320411', '19850612', 201);
  const headId = fakeIdNumber('320411', '19580302', 113);

  beforeAll(async () => {
    const { ctx, app } = env.server;
    fs.mkdirSync(SHOT_DIR, { recursive: true });
    const c = await ctx.db.selectFrom('campaign').select('id').where('code', '=', '2016').executeTakeFirstOrThrow();
    campaignId = Number(c.id);
    // The 2016 deadline is long past: a deadline still to come lets the district submit.
    await ctx.db.updateTable('campaign').set({ self_assessment_deadline: '2099-06-10' }).where('id', '=', campaignId).execute();
    xinbei = await orgId(ctx, '320411');
    community = await orgId(ctx, '320411002001');
    users = {
      district: await makeUser(ctx, { username: 'pf_xb_admin', role: 'district_admin', orgCode: '320411', displayName: '新北管理员' }),
      assessor: await makeUser(ctx, { username: 'pf_assessor', role: 'city_assessor', orgCode: '320400-SSB', displayName: '市考核员' }),
      clerk: await makeUser(ctx, { username: 'pf_xb_clerk', role: 'clerk', orgCode: '320411', displayName: '新北录入员' }),
      viewer: await makeUser(ctx, { username: 'pf_xb_viewer', role: 'viewer', orgCode: '320411', displayName: '新北查看' }),
    };
    district = await loginAs(app, users.district.username, users.district.password);
    assessor = await loginAs(app, users.assessor.username, users.assessor.password);
    const clerk = await loginAs(app, users.clerk.username, users.clerk.password);
    const res = await clerk.request('POST', '/api/registrations', {
      orgUnitId: community,
      record: {
        householdHeadName: '张建国',
        householdHeadIdNumber: headId,
        householdAddress: '常州市新北区三井街道华山路18号锦绣花园3幢2单元501室',
        idType: '01',
        idNumber,
        name: '张小明',
        sex: '1',
        ethnicity: '01',
        birthDate: '1985-06-12',
        relationToHead: '20',
        hukouType: '21',
        hukouAddress: '江苏省常州市新北区三井街道华山路18号',
        residenceAddress: '常州市新北区三井街道华山路18号锦绣花园3幢2单元501室',
        phone: '13912345678',
        personCategory: '24',
        employer: '常州市某某机械制造有限公司',
        ins110Status: '1',
        ins110Place: '常州市新北区',
        ins110Since: '2008-07',
        ins210Status: '1',
        ins210Place: '常州市新北区',
        ins210Since: '2008-07',
        ins310Status: '1',
        ins310Place: '常州市新北区',
        ins310Since: '2008-07',
        ins390Status: '0',
        surveyDate: '2016-05-03',
        surveyorName: '李调查',
        remarks: '该户共3人，户主长期在外地务工，由本人代为提供户籍信息；已发放全民参保登记宣传材料并讲解参保政策。',
      },
    });
    expect(res.statusCode, res.body).toBe(200);
    recordId = (res.json() as { id: number; isValid: boolean }).id;
    expect((res.json() as { isValid: boolean }).isValid).toBe(true);
  });

  async function login(page: Page, who: keyof typeof users) {
    await loginInBrowser(page, env.server.baseUrl, users[who].username, users[who].password);
    await page.waitForSelector('[data-testid=user-menu]');
  }

  const base = () => `/api/campaigns/${campaignId}/assessments/${xinbei}`;
  async function readAssessment(): Promise<Assessment> {
    const r = await district.request('GET', base());
    expect(r.statusCode, r.body).toBe(200);
    return r.json() as Assessment;
  }

  it('附件2 prints on one A4 page in the seed’s five columns and proportions, 考核标准 never broken inside a word, the seals under the table', async () => {
    // Self scores without notes: the sheet as the district fills it in.
    const a = await readAssessment();
    const items = a.categories.flatMap((c) => c.items);
    const saved = await district.request('PUT', `${base()}/self`, {
      items: items.map((i) => ({ criterionId: i.criterionId, selfScore: i.maxScore, selfNote: '' })),
      version: a.version,
    });
    expect(saved.statusCode, saved.body).toBe(200);

    const page = await env.browser.newPage({ viewport: { width: 1440, height: 900 } });
    await login(page, 'district');
    await page.goto(`${env.server.baseUrl}/assessments/${campaignId}/${xinbei}`);
    await page.getByTestId('assessment-sheet').waitFor();
    // Laid out at the width of the A4 page's text area, as on paper.
    await page.setViewportSize({ width: SCORECARD_WIDTH_PX, height: 1000 });
    await page.emulateMedia({ media: 'print' });
    const print = page.getByTestId('assessment-print');
    expect(await print.isVisible()).toBe(true);
    await expectNothingOfTheScreen(page);

    // The five columns of the seed, no more, at its proportions.
    const table = page.getByTestId('scorecard-table');
    const heads = await table.locator('thead th').evaluateAll((ths) => ths.map((th) => ({ text: (th as HTMLElement).innerText.replace(/\s+/g, ''), width: th.getBoundingClientRect().width })));
    expect(heads.map((h) => h.text)).toEqual(['考核项目', '考核标准', '标准分', '自评分', '考核分']);
    const tableWidth = (await table.boundingBox())!.width;
    expect(tableWidth).toBeGreaterThan(SCORECARD_WIDTH_PX * 0.9);
    heads.forEach((h, n) => expect(Math.abs(h.width / tableWidth - SEED_PROPORTIONS[n]!), h.text).toBeLessThan(0.01));
    expect(heads[2]!.width).toBeCloseTo(heads[3]!.width, 0);
    expect(heads[3]!.width).toBeCloseTo(heads[4]!.width, 0);
    // 14 items, 100 points, the 合计 row; no notes in the main table.
    expect(await table.locator('td.criterion').count()).toBe(14);
    expect(await table.locator('.print-total').textContent()).toBe('合计100100');
    expect(await page.getByTestId('scorecard-appendix').count()).toBe(0);

    // 考核标准: words kept whole, no hyphens, nothing overflowing its box; some items do wrap.
    const cells = table.locator('td.criterion');
    let wrapped = 0;
    for (let n = 0; n < (await cells.count()); n++) {
      const cell = cells.nth(n);
      const style = await cell.evaluate((el) => {
        const s = getComputedStyle(el);
        return { wordBreak: s.wordBreak, lineBreak: s.lineBreak, hyphens: s.hyphens, overflow: el.scrollWidth - el.clientWidth };
      });
      expect(style).toEqual({ wordBreak: 'keep-all', lineBreak: 'strict', hyphens: 'none', overflow: 0 });
      const { text, starts } = await lineStarts(cell);
      if (starts.length > 0) wrapped++;
      for (const i of starts) {
        const ok = BREAK_AFTER.has(text[i - 1]!) || BREAK_BEFORE.has(text[i]!);
        expect(ok, `${text}: a line starts inside a word at “${text.slice(Math.max(0, i - 3), i)}|${text.slice(i, i + 3)}”`).toBe(true);
      }
    }
    // With a Chinese font (a character a full em wide) the longer items wrap at this width, so the
    // check above has lines to judge; without one (a bare CI image draws narrow boxes) nothing wraps.
    const cjkFont = await page.evaluate(() => {
      const ctx = document.createElement('canvas').getContext('2d')!;
      ctx.font = '14px serif';
      return ctx.measureText('国').width >= 13;
    });
    if (cjkFont) expect(wrapped).toBeGreaterThan(0);

    // 单位名称（章） above the table; the seal areas below it.
    const main = page.getByTestId('scorecard-main');
    const mainText = (await main.textContent()) ?? '';
    expect(mainText).toContain('常州市市本级全民参保登记工作考核表');
    expect(mainText).toContain('单位名称（章）：新北区');
    const seals = (await page.getByTestId('scorecard-seals').textContent()) ?? '';
    for (const s of ['被考核单位负责人：', '单位（盖章）', '考核人：', '考核单位（盖章）']) expect(seals).toContain(s);
    expect(seals.match(/年月日/g)).toHaveLength(2);
    const tableBottom = (await table.boundingBox())!.y + (await table.boundingBox())!.height;
    expect((await page.getByTestId('scorecard-seals').boundingBox())!.y).toBeGreaterThan(tableBottom);

    await page.screenshot({ path: path.join(SHOT_DIR, 'print-scorecard.png'), fullPage: true });
    const { pages } = await printPdf(page, 'print-scorecard');
    expect(pages).toBe(1);
    await page.close();
  });

  it('附件2 with 自评说明 and 考核意见: the main table stays one page without them, and a 附页 lists them on the next page', async () => {
    const a = await readAssessment();
    const items = a.categories.flatMap((c) => c.items);
    const selfNote = '已印发《新北区全民参保登记工作实施方案》（新人社〔2016〕12号），明确各街道、社区的工作职责和时间安排。';
    const saved = await district.request('PUT', `${base()}/self`, {
      items: items.map((i, n) => ({ criterionId: i.criterionId, selfScore: i.maxScore, selfNote: n === 0 ? selfNote : n === 8 ? '入户调查 12,345 户，填写登记表 31,020 份。' : '' })),
      version: a.version,
    });
    expect(saved.statusCode, saved.body).toBe(200);
    const submitted = await district.request('POST', `${base()}/submit`, { version: (saved.json() as Assessment).version });
    expect(submitted.statusCode, submitted.body).toBe(200);
    const comment = '材料齐全，方案内容具体。';
    const reviewed = await assessor.request('PUT', `${base()}/review`, {
      items: items.map((i, n) => ({ criterionId: i.criterionId, assessedScore: i.maxScore, assessedComment: n === 0 ? comment : n === 13 ? '分析报告已报送。' : '' })),
      version: (submitted.json() as Assessment).version,
    });
    expect(reviewed.statusCode, reviewed.body).toBe(200);

    const page = await env.browser.newPage({ viewport: { width: 1440, height: 900 } });
    await login(page, 'assessor');
    await page.goto(`${env.server.baseUrl}/assessments/${campaignId}/${xinbei}`);
    await page.getByTestId('assessment-sheet').waitFor();
    await page.setViewportSize({ width: SCORECARD_WIDTH_PX, height: 1000 });
    await page.emulateMedia({ media: 'print' });
    await expectNothingOfTheScreen(page);

    const main = page.getByTestId('scorecard-main');
    const mainText = (await main.textContent()) ?? '';
    expect(mainText).not.toContain(selfNote);
    expect(mainText).not.toContain(comment);
    expect(mainText).toContain('自评说明和考核意见见附页');
    expect(await page.getByTestId('scorecard-table').locator('thead th').count()).toBe(5);

    const appendix = page.getByTestId('scorecard-appendix');
    expect(await appendix.locator('h2').textContent()).toBe('附页');
    expect(await appendix.locator('thead th').evaluateAll((ths) => ths.map((th) => (th as HTMLElement).innerText.replace(/\s+/g, '')))).toEqual(['考核项目', '考核标准', '自评说明', '考核意见']);
    // Only the items with a note or a comment: items 1, 9 and 14.
    const rows = appendix.locator('tbody tr');
    expect(await rows.count()).toBe(3);
    expect(await rows.nth(0).locator('td').allTextContents()).toEqual([a.categories[0]!.name, items[0]!.text, selfNote, comment]);
    expect(await rows.nth(2).locator('td').allTextContents()).toEqual([a.categories[4]!.name, items[13]!.text, '', '分析报告已报送。']);
    expect(await appendix.evaluate((el) => getComputedStyle(el).breakBefore)).toBe('page');

    await page.screenshot({ path: path.join(SHOT_DIR, 'print-scorecard-appendix.png'), fullPage: true });
    const { pages } = await printPdf(page, 'print-scorecard-appendix');
    expect(pages).toBe(2);
    await page.close();
  });

  it('the 登记表 of one person prints from its own page (also opened directly and reloaded) as a form on one A4 page', async () => {
    const page = await env.browser.newPage({ viewport: { width: 1440, height: 900 } });
    await login(page, 'clerk');
    // The detail page links to the print page; the print page is not a screen dump of the detail.
    await page.goto(`${env.server.baseUrl}/registrations/${recordId}`);
    const link = page.getByTestId('print-registration');
    await link.waitFor();
    expect(await link.textContent()).toContain('打印登记表');
    expect(await link.getAttribute('href')).toBe(`/registrations/${recordId}/print`);
    await page.goto(`${env.server.baseUrl}/registrations/${recordId}/print`);
    await page.getByTestId('reg-form').waitFor();
    await page.reload();
    const form = page.getByTestId('reg-form');
    await form.waitFor();
    await page.screenshot({ path: path.join(SHOT_DIR, 'print-registration-screen.png'), fullPage: true });

    await page.emulateMedia({ media: 'print' });
    await expectNothingOfTheScreen(page);
    const text = (await form.textContent()) ?? '';
    expect(await form.locator('h1').textContent()).toBe('常州市社会保险全民参保登记表');
    // The record's fields in their groups, as the detail page shows them (full: the clerk has the full view).
    for (const [testId, values] of [
      ['reg-form-household', ['户主姓名', '张建国', headId, '家庭地址']],
      ['reg-form-person', ['姓名', '张小明', '性别', '男', '民族', '汉族', '居民身份证', idNumber, '1985-06-12', '子', '本地农业', '13912345678', '工人', '常州市某某机械制造有限公司']],
      ['reg-form-insurance', ['企业职工基本养老保险', '正常参保', '常州市新北区', '2008-07', '城乡居民基本医疗保险', '未参保', '未参保原因', '参保意愿']],
      ['reg-form-remarks', ['该户共3人']],
    ] as const) {
      const section = (await page.getByTestId(testId).textContent()) ?? '';
      for (const v of values) expect(section, `${testId}: ${v}`).toContain(v);
    }
    expect(await page.getByTestId('reg-form-place').textContent()).toContain('新北区');
    const signatures = (await page.getByTestId('reg-form-signatures').textContent()) ?? '';
    expect(signatures).toContain('被调查人（签字）：');
    expect(signatures).toContain('调查员（签字）：');
    expect(signatures).toContain('李调查');
    expect(signatures.replace(/\s+/g, '')).toContain('调查日期：2016年5月3日');
    // Not the detail page: no status tags, no change history, no record number.
    for (const s of ['修改记录', '有效', '计入有效数据', '记录编号', '录入人']) expect(text).not.toContain(s);
    // Every value box holds its text: nothing overflows.
    const overflowing = await form.locator('td').evaluateAll((tds) => tds.filter((td) => td.scrollWidth > td.clientWidth + 1).length);
    expect(overflowing).toBe(0);

    await page.screenshot({ path: path.join(SHOT_DIR, 'print-registration.png'), fullPage: true });
    const { pages } = await printPdf(page, 'print-registration');
    expect(pages).toBe(1);
    await page.close();
  });

  it('a viewer’s printed 登记表 is masked as the detail page is: ID numbers 6 + 4, the phone 3 + 4, the birth date as its year', async () => {
    const page = await env.browser.newPage({ viewport: { width: 1440, height: 900 } });
    await login(page, 'viewer');
    await page.goto(`${env.server.baseUrl}/registrations/${recordId}/print`);
    const form = page.getByTestId('reg-form');
    await form.waitFor();
    await page.emulateMedia({ media: 'print' });
    const text = (await form.textContent()) ?? '';
    expect(text).toContain(`${idNumber.slice(0, 6)}********${idNumber.slice(-4)}`);
    expect(text).toContain('139****5678');
    expect(text).toContain('1985年');
    for (const secret of [idNumber, headId, '13912345678', '1985-06-12', idNumber.slice(6, 14)]) expect(text).not.toContain(secret);
    expect(await page.getByTestId('reg-form-masked').textContent()).toContain('脱敏');
    const { pages } = await printPdf(page, 'print-registration-masked');
    expect(pages).toBe(1);
    // A record outside the user's tree answers like one that does not exist.
    await page.emulateMedia({ media: 'screen' });
    await page.goto(`${env.server.baseUrl}/registrations/999999/print`);
    await page.getByTestId('reg-print-not-found').waitFor();
    await page.close();
  });

  it('the blank 登记表 (from the list’s toolbar, opened directly and reloaded) has empty boxes, tick boxes for the code tables and fits one A4 page', async () => {
    const page = await env.browser.newPage({ viewport: { width: 1440, height: 900 } });
    await login(page, 'clerk');
    await page.goto(`${env.server.baseUrl}/registrations`);
    const button = page.getByTestId('print-blank-form');
    await button.waitFor();
    expect(await button.textContent()).toContain('打印空白登记表');
    expect(await button.getAttribute('href')).toBe('/registrations/form/blank');
    await page.goto(`${env.server.baseUrl}/registrations/form/blank`);
    await page.getByTestId('reg-form').waitFor();
    await page.reload();
    const form = page.getByTestId('reg-form');
    await form.waitFor();

    await page.emulateMedia({ media: 'print' });
    await expectNothingOfTheScreen(page);
    const options = async (key: string) => ((await page.getByTestId(`options-${key}`).textContent()) ?? '').replace(/\s+/g, ' ');
    expect(await options('sex')).toBe('□ 男□ 女');
    expect(await options('idType')).toBe('□ 居民身份证□ 户口簿');
    expect(await options('willingness')).toBe('□ 愿意参保□ 暂不愿意□ 已在他处参保');
    expect(await options('ins110Status')).toBe('□ 未参保□ 正常参保□ 暂停参保□ 终止参保');
    expect(await options('ethnicity')).toContain('□ 汉族□ 其他：');
    for (const label of ['本地农业', '外地非农业', '居民户']) expect(await options('hukouType')).toContain(`□ ${label}`);
    for (const label of ['公务员', '学生', '退(离)休人员']) expect(await options('personCategory')).toContain(`□ ${label}`);
    expect(await options('uninsuredReason')).toContain('□ 其他（说明：）');
    // 18 boxes for each ID number (person, 户主, 监护人); no value printed anywhere.
    expect(await form.locator('.reg-id-box').count()).toBe(54);
    for (const testId of ['reg-form-household', 'reg-form-guardian', 'reg-form-remarks']) {
      const filled = await page.getByTestId(testId).locator('td.reg-value').evaluateAll((tds) => tds.filter((td) => !td.querySelector('.reg-id-boxes, .reg-options, .reg-date-blank') && !td.classList.contains('reg-hint-cell') && (td.textContent ?? '').trim() !== '').length);
      expect(filled, testId).toBe(0);
    }
    expect(await page.getByTestId('reg-form-place').textContent()).toBe('区街道（镇）社区（村）');
    const signatures = ((await page.getByTestId('reg-form-signatures').textContent()) ?? '').replace(/\s+/g, '');
    expect(signatures).toBe('被调查人（签字）：调查员（签字）：调查日期：年月日');

    await page.screenshot({ path: path.join(SHOT_DIR, 'print-registration-blank.png'), fullPage: true });
    const { pages } = await printPdf(page, 'print-registration-blank');
    expect(pages).toBe(1);
    await page.close();
  });

  it('a viewer has no blank form to print: neither the button nor the page', async () => {
    const page = await env.browser.newPage({ viewport: { width: 1440, height: 900 } });
    await login(page, 'viewer');
    await page.goto(`${env.server.baseUrl}/registrations`);
    await page.getByTestId('export-xlsx').waitFor();
    expect(await page.getByTestId('print-blank-form').count()).toBe(0);
    await page.goto(`${env.server.baseUrl}/registrations/form/blank`);
    await page.getByText('无权访问此页面').waitFor();
    expect(await page.getByTestId('reg-form').count()).toBe(0);
    await page.close();
  });
});
