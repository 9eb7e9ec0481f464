// Accessibility (issue 14): every page of the app, as the roles that use it, with data in its tables,
// is checked by axe-core (WCAG 2.0/2.1 A and AA rules) in Chromium at 1440×900: no violation of
// impact serious or critical — text contrast at least 4.5:1 (AA), every input labelled, every
// button named. The daily dialogs and drawers (user edit, new user, new unit, copy campaign,
// evaluate a nomination, assign a surveyor's communities) are checked open. Per-page counts of every impact go to
// test-results/accessibility-summary.json.
import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';
import { FAILING, runAxe, settle } from './axe.js';
import { dialogReady, loginInBrowser, serverAndBrowser } from './support.js';
import { loginAs, makeUser, orgId, type Client } from '../src/server/testing/harness.js';
import { fakeIdNumber, makeRegistration } from '../src/server/testing/registration-factory.js';
import { makeFinalAssessment } from '../src/server/testing/fees-fixtures.js';
import type { NewRegistration } from '../src/server/db/schema.js';

const SHOT_DIR = process.env.CANBAO_E2E_SHOTS ?? 'test-results';

const HUASHAN = '320411002001'; // 新北区 三井街道 华山社区
const DIAOZHUANG = '320402001001'; // 天宁区 雕庄街道

type Who = 'city' | 'assessor' | 'xb' | 'tn' | 'zl' | 'surveyor';
/** One check: open `url` (or stay on the page), wait for `ready`, do `act`, then run axe. */
type Step = { label: string; url?: string; ready: string; act?: (page: Page) => Promise<void> };

describe('accessibility: axe-core on every page', () => {
  const env = serverAndBrowser();
  const users = {} as Record<Who, { id: number; username: string; password: string }>;
  const ids = { campaign: 0, draftCampaign: 0, xinbei: 0, tianning: 0, zhonglou: 0, record: 0, submittedNomination: 0, draftNomination: 0, sheet: 0 };
  const summary: Record<string, Record<string, number>> = {};
  let docNumber = '';

  beforeAll(async () => {
    const { ctx, app } = env.server;
    const campaign = await ctx.db.selectFrom('campaign').select('id').where('code', '=', '2016').executeTakeFirstOrThrow();
    ids.campaign = Number(campaign.id);
    // The 2016 deadlines are long past: deadlines still to come keep the district's forms editable.
    await ctx.db.updateTable('campaign').set({ self_assessment_deadline: '2099-06-10', nomination_deadline: '2099-06-10' }).where('id', '=', ids.campaign).execute();
    ids.xinbei = await orgId(ctx, '320411');
    ids.tianning = await orgId(ctx, '320402');
    ids.zhonglou = await orgId(ctx, '320404');
    const zlCommunity = await ctx.db.selectFrom('org_unit').select('code').where('level', '=', 'community').where('code', 'like', '320404%').orderBy('code').executeTakeFirstOrThrow();
    users.city = await makeUser(ctx, { username: 'a11y_city', role: 'city_admin', orgCode: '320400-SSB', displayName: '市管理员' });
    users.assessor = await makeUser(ctx, { username: 'a11y_assessor', role: 'city_assessor', orgCode: '320400-SSB', displayName: '市考核员' });
    users.xb = await makeUser(ctx, { username: 'a11y_xb', role: 'district_admin', orgCode: '320411', displayName: '新北管理员' });
    users.tn = await makeUser(ctx, { username: 'a11y_tn', role: 'district_admin', orgCode: '320402', displayName: '天宁管理员' });
    users.zl = await makeUser(ctx, { username: 'a11y_zl', role: 'district_admin', orgCode: '320404', displayName: '钟楼管理员' });
    users.surveyor = await makeUser(ctx, { username: 'a11y_surveyor', role: 'surveyor', orgCode: HUASHAN, displayName: '新北调查员' });

    // Records with the coded fields filled, before the 2016 data cutoff: valid and invalid ones,
    // insured and not, in three districts (so lists, pivots, charts and counts have figures).
    let seq = 0;
    const add = async (orgCode: string, opts: { valid?: boolean; columns?: Partial<NewRegistration> } = {}) => {
      seq += 1;
      const sex = seq % 2 === 0 ? '2' : '1';
      return makeRegistration(ctx, {
        orgCode,
        idNumber: fakeIdNumber(orgCode.slice(0, 6), '19800101', (sex === '1' ? seq * 2 + 1 : seq * 2) % 1000),
        name: `测试${seq}`,
        valid: opts.valid ?? true,
        enteredAt: `2016-05-${String(1 + (seq % 28)).padStart(2, '0')}T02:00:00.000Z`,
        columns: {
          sex,
          birth_date: '1980-01-01',
          ethnicity: '01',
          hukou_type: '21',
          residence_address: '常州市新北区华山路1号',
          person_category: seq % 3 === 0 ? '70' : '24',
          ins_110_status: seq % 3 === 0 ? '0' : '1',
          ins_390_status: '1',
          uninsured_reason: seq % 3 === 0 ? '07' : null,
          willingness: seq % 3 === 0 ? '2' : '1',
          phone: '13912345678',
          survey_date: '2016-05-01',
          surveyor_name: '新北调查员',
          entered_by: users.surveyor.id,
          ...opts.columns,
        },
      });
    };
    ids.record = await add(HUASHAN);
    for (let i = 0; i < 7; i++) await add(HUASHAN);
    for (let i = 0; i < 2; i++) await add(HUASHAN, { valid: false });
    for (let i = 0; i < 4; i++) await add(DIAOZHUANG);
    for (let i = 0; i < 5; i++) await add(zlCommunity.code);

    const client = async (who: Who): Promise<Client> => (await loginAs(app, users[who].username, users[who].password)).alwaysReauth();
    const ok = <T extends { statusCode: number; body: string }>(r: T): T => {
      if (r.statusCode !== 200) throw new Error(r.body);
      return r;
    };
    const city = await client('city');
    const assessor = await client('assessor');
    const xb = await client('xb');
    const tn = await client('tn');
    const zl = await client('zl');

    // 新北区: a final assessment, its valid count frozen, a site fund, a fee sheet computed, checked
    // and approved, a payment and the district's allocation of it.
    const money = `/api/campaigns/${ids.campaign}/money/${ids.xinbei}`;
    ok(await city.request('POST', `/api/campaigns/${ids.campaign}/count-snapshots/${ids.xinbei}`, {}));
    await makeFinalAssessment(ctx, ids.campaign, ids.xinbei, 930);
    ok(await city.request('POST', `${money}/site-funds`, { orgUnitId: await orgId(ctx, '320411002'), amountFen: 10_000, reason: '三井街道示范点' }));
    const sheet = ok(await assessor.request('POST', `${money}/compute`)).json() as { id: number; version: number };
    ids.sheet = sheet.id;
    const checked = ok(await city.request('POST', `/api/fee-sheets/${sheet.id}/check`, { version: sheet.version })).json() as { version: number };
    ok(await city.request('POST', `/api/fee-sheets/${sheet.id}/approve`, { version: checked.version, acknowledgeOverFund: true }));
    ok(await city.request('POST', `${money}/payments`, { paidOn: '2016-07-01', amountFen: 5_000, voucherNo: 'PZ-2016-001', note: '首次拨付' }));
    ok(await xb.request('PUT', `${money}/allocation`, { version: 0, purposes: [{ purpose: 'survey', amountFen: 5_000, note: '' }], units: [] }));

    // 钟楼区: a submitted self-assessment, and a spot check drawn by the city (the review view).
    const zlUrl = `/api/campaigns/${ids.campaign}/assessments/${ids.zhonglou}`;
    const zlSheet = ok(await zl.request('GET', zlUrl)).json() as { version: number; categories: Array<{ items: Array<{ criterionId: number; maxScore: number }> }> };
    const selfItems = zlSheet.categories.flatMap((c) => c.items).map((i) => ({ criterionId: i.criterionId, selfScore: i.maxScore, selfNote: '已完成' }));
    const saved = ok(await zl.request('PUT', `${zlUrl}/self`, { items: selfItems, version: zlSheet.version })).json() as { version: number };
    ok(await zl.request('POST', `${zlUrl}/submit`, { version: saved.version }));
    ok(await city.request('POST', `${zlUrl}/spot-checks`, { method: 'size', size: 3 }));

    // Nominations: 新北区's submitted, 天宁区's a draft.
    const body = { phone: '0519-85123456', workUnit: '新北区三井街道劳动保障所', position: '劳动保障协理员', deeds: '组织社区调查员开展入户调查，走访住户 2300 余户。', unitOpinion: '同意推荐。' };
    // A draft is made first, then each of the campaign's 申报条件 is answered (their number is data).
    const nominate = async (who: Client, orgUnitId: number, name: string) => {
      const draft = ok(await who.request('POST', `/api/campaigns/${ids.campaign}/nominations`, { ...body, orgUnitId, name })).json() as { id: number; version: number; conditions: unknown[] };
      const conditionAnswers = draft.conditions.map(() => '符合：连续两年担任社区劳动保障协理员，完成入户调查任务。');
      return ok(await who.request('PUT', `/api/nominations/${draft.id}`, { ...body, name, conditionAnswers, version: draft.version })).json() as { id: number; version: number };
    };
    const n1 = await nominate(xb, ids.xinbei, '王晓燕');
    ok(await xb.request('POST', `/api/nominations/${n1.id}/submit`, { version: n1.version }));
    ids.submittedNomination = n1.id;
    ids.draftNomination = (await nominate(tn, ids.tianning, '李明')).id;

    // A draft campaign (a copy of 2016): its rule tabs are editable forms.
    const copy = ok(await city.request('POST', '/api/campaigns', { sourceId: ids.campaign, code: '2017', name: '2017年度全民参保登记工作考核', year: 2017 })).json() as { id: number };
    ids.draftCampaign = copy.id;
    // A printed fee sheet's number: the public verification page shows it.
    docNumber = (ok(await city.request('POST', `/api/fee-sheets/${sheet.id}/document`)).json() as { docNumber: string }).docNumber;
    fs.mkdirSync(SHOT_DIR, { recursive: true });
  });

  async function session(who: Who | null): Promise<{ context: BrowserContext; page: Page }> {
    // axe is injected as an inline script, which the app's Content Security Policy refuses.
    const context = await env.browser.newContext({ viewport: { width: 1440, height: 900 }, bypassCSP: true });
    const page = await context.newPage();
    if (who) {
      await loginInBrowser(page, env.server.baseUrl, users[who].username, users[who].password);
      await page.waitForSelector('[data-testid=user-menu]');
    }
    return { context, page };
  }

  /** Runs the steps in one session; returns one line per serious or critical violation. */
  async function check(who: Who | null, steps: Step[]): Promise<string[]> {
    const { context, page } = await session(who);
    const problems: string[] = [];
    for (const step of steps) {
      const shot = path.join(SHOT_DIR, `a11y-${who ?? 'anon'}-${step.label.replace(/[^\p{L}\p{N}]+/gu, '-')}.png`);
      try {
        if (step.url) await page.goto(`${env.server.baseUrl}${step.url}`);
        await page.locator(step.ready).first().waitFor();
        await settle(page);
        if (step.act) {
          await step.act(page);
          await settle(page);
        }
      } catch (e) {
        // What the page showed instead helps more than the locator's timeout.
        await page.screenshot({ path: shot.replace(/\.png$/, '-failed.png') });
        throw e;
      }
      const violations = await runAxe(page);
      const label = `${who ?? '未登录'} ${step.label}`;
      const counts: Record<string, number> = {};
      for (const v of violations) counts[v.impact ?? 'none'] = (counts[v.impact ?? 'none'] ?? 0) + v.targets.length;
      summary[label] = counts;
      for (const v of violations.filter((x) => x.impact && FAILING.has(x.impact))) {
        problems.push(`${label} (${step.url ?? page.url()}): ${v.id} [${v.impact}] ${v.help} — ${v.targets.length} node(s): ${v.targets.slice(0, 8).join(' | ')}`);
      }
      await page.screenshot({ path: shot });
      fs.writeFileSync(path.join(SHOT_DIR, 'accessibility-summary.json'), JSON.stringify(summary, null, 2));
    }
    await context.close();
    return problems;
  }

  const card = (title: string) => `.ant-card-head-title:has-text("${title}")`;
  const openDialog = (button: string, dialogText: string) => async (page: Page) => {
    // An icon's own name (e.g. "copy") comes first in a button's accessible name.
    await page.getByRole('button', { name: new RegExp(`${button}$`) }).first().click();
    await dialogReady(page.getByRole('dialog').filter({ hasText: dialogText }).last());
  };
  const tab = (name: string) => async (page: Page) => {
    await page.getByRole('tab', { name }).click();
    await page.getByRole('tab', { name, selected: true }).waitFor();
  };

  it('the login page and the public verification page have no serious violation', async () => {
    const problems = await check(null, [
      { label: '登录', url: '/login', ready: '#login-username' },
      { label: '文书核验', url: `/verify/${docNumber}`, ready: `text=${docNumber}` },
    ]);
    expect(problems, problems.join('\n')).toEqual([]);
  });

  it('city admin: registration and statistics pages have no serious violation', async () => {
    const problems = await check('city', [
      { label: '首页', url: '/', ready: card('当前考核批次') },
      { label: '登记记录', url: '/registrations', ready: '.ant-table-row' },
      { label: '新建登记', url: '/registrations/new', ready: '[data-testid=registration-form] input' },
      { label: '登记详情', url: `/registrations/${ids.record}`, ready: '[data-testid=edit]' },
      { label: '修改登记', url: `/registrations/${ids.record}/edit`, ready: '[data-testid=registration-form] input' },
      { label: '导入登记表', url: '/registrations/import', ready: '[data-testid=import-form]' },
      { label: '统计分析', url: '/statistics', ready: '[data-testid=stat-breadcrumb]' },
      { label: '工作量统计', url: '/statistics/work', ready: '[data-testid=work-page]' },
      { label: '人员明细数据表', url: '/statistics/detail-tables', ready: '[data-testid=detail-form]' },
      { label: '分析报告', url: '/statistics/reports', ready: '[data-testid=reports-page]' },
    ]);
    expect(problems, problems.join('\n')).toEqual([]);
  });

  it('city admin: administration pages and their dialogs have no serious violation', async () => {
    const problems = await check('city', [
      { label: '组织机构', url: '/orgs', ready: '[data-testid=org-tree]' },
      {
        label: '组织机构-新增下级',
        ready: '[data-testid=org-tree]',
        act: async (page) => {
          await page.getByTestId('org-tree').getByText('新北区').first().click();
          await openDialog('新增下级', '新增下级单位')(page);
        },
      },
      { label: '用户管理', url: '/users', ready: '[data-testid=users-table] .ant-table-row' },
      { label: '用户管理-编辑', ready: '[data-testid=users-table] .ant-table-row', act: openDialog('编辑', '编辑') },
      { label: '用户管理-新建用户', url: '/users', ready: '[data-testid=users-table] .ant-table-row', act: openDialog('新建用户', '新建用户') },
      { label: '登录设备', url: '/sessions', ready: card('登录设备') },
      { label: '修改密码', url: '/password', ready: card('修改密码') },
      { label: '审计日志', url: '/audit', ready: '.ant-table-row' },
      { label: '帮助', url: '/help', ready: '[data-testid=help-regulation]' },
      { label: '页面不存在', url: '/no-such-page', ready: '.ant-result' },
    ]);
    expect(problems, problems.join('\n')).toEqual([]);
  });

  it('city admin: campaign, assessment, fee and award pages have no serious violation', async () => {
    const problems = await check('city', [
      { label: '考核批次', url: '/campaigns', ready: '.ant-table-row' },
      { label: '考核批次-复制', ready: '.ant-table-row', act: openDialog('复制为新批次', '复制为新批次') },
      { label: '2016批次-考核表', url: `/campaigns/${ids.campaign}`, ready: '[data-testid=campaign-status]' },
      { label: '2016批次-考核费用规则', ready: '[data-testid=campaign-status]', act: tab('考核费用规则') },
      { label: '2016批次-先进个人名额', ready: '[data-testid=campaign-status]', act: tab('先进个人名额') },
      { label: '2016批次-时间安排', ready: '[data-testid=campaign-status]', act: tab('时间安排') },
      { label: '草稿批次-考核表', url: `/campaigns/${ids.draftCampaign}`, ready: '[data-testid=campaign-status]' },
      { label: '草稿批次-考核费用规则', ready: '[data-testid=campaign-status]', act: tab('考核费用规则') },
      { label: '草稿批次-先进个人名额', ready: '[data-testid=campaign-status]', act: tab('先进个人名额') },
      { label: '草稿批次-时间安排', ready: '[data-testid=campaign-status]', act: tab('时间安排') },
      { label: '草稿批次-申报条件与联系人', ready: '[data-testid=campaign-status]', act: tab('申报条件与联系人') },
      { label: '考核评估', url: '/assessments', ready: '[data-testid=assessments-table] .ant-table-row' },
      { label: '钟楼区考核表（审核）', url: `/assessments/${ids.campaign}/${ids.zhonglou}`, ready: '[data-testid=assessment-sheet]' },
      { label: '新北区考核表（已完成）', url: `/assessments/${ids.campaign}/${ids.xinbei}`, ready: '[data-testid=assessment-sheet]' },
      { label: '考核费用', url: '/fees', ready: '.ant-table-row' },
      { label: '新北区考核费用', url: `/fees/${ids.campaign}/${ids.xinbei}`, ready: '[data-testid=district-title]' },
      { label: '核算表打印', url: `/fees/sheets/${ids.sheet}/print`, ready: '[data-testid=fee-print]' },
      { label: '先进个人', url: '/awards', ready: '[data-testid=nominations-table] .ant-table-row' },
      { label: '先进个人-评审', ready: '[data-testid=nominations-table] .ant-table-row', act: openDialog('评审', '评审推荐表') },
      { label: '推荐表（待评审）', url: `/awards/nominations/${ids.submittedNomination}`, ready: '[data-testid=nomination-status]' },
      { label: '新建推荐表', url: '/awards/nominations/new', ready: '[data-testid=nomination-page] input' },
      { label: '推荐表打印', url: `/awards/nominations/${ids.submittedNomination}/print`, ready: '[data-testid=nomination-print]' },
      { label: '表彰名单', url: `/awards/commendation-list?campaignId=${ids.campaign}`, ready: '[data-testid=commendation-table]' },
    ]);
    expect(problems, problems.join('\n')).toEqual([]);
  });

  it('district admins: their pages have no serious violation', async () => {
    const xb = await check('xb', [
      { label: '首页', url: '/', ready: card('当前考核批次') },
      { label: '登记记录', url: '/registrations', ready: '.ant-table-row' },
      {
        label: '登记记录-单位下拉',
        ready: '.ant-table-row',
        act: async (page) => {
          await page.click('#reg-filter-org');
          await page.locator('.ant-select-dropdown .ant-select-tree-treenode:not([aria-hidden=true])').first().waitFor();
        },
      },
      { label: '统计分析', url: '/statistics', ready: '[data-testid=stat-breadcrumb]' },
      { label: '用户管理', url: '/users', ready: '[data-testid=users-table] .ant-table-row' },
      { label: '调查员分配', url: '/field/assignments', ready: '[data-testid=surveyors-table] .ant-table-row' },
      { label: '调查员分配-分配社区', ready: '[data-testid=surveyors-table] .ant-table-row', act: openDialog('分配社区', '分配社区') },
      {
        label: '调查员分配-选择社区',
        ready: '#assignment-communities',
        act: async (page) => {
          await page.getByRole('combobox', { name: '负责社区/村' }).click();
          await page.locator('.ant-select-tree-treenode:not([aria-hidden=true])').first().waitFor();
        },
      },
      { label: '考核评估', url: '/assessments', ready: '[data-testid=assessments-table] .ant-table-row' },
      { label: '考核费用', url: `/fees/${ids.campaign}/${ids.xinbei}`, ready: '[data-testid=district-title]' },
      { label: '先进个人', url: '/awards', ready: '[data-testid=nominations-table] .ant-table-row' },
      { label: '新建推荐表', url: '/awards/nominations/new', ready: '[data-testid=nomination-page] input' },
    ]);
    const tn = await check('tn', [
      { label: '天宁区考核表（自评）', url: `/assessments/${ids.campaign}/${ids.tianning}`, ready: '[data-testid=assessment-sheet]' },
      { label: '推荐表（草稿）', url: `/awards/nominations/${ids.draftNomination}`, ready: '[data-testid=nomination-page] input' },
    ]);
    const problems = [...xb, ...tn];
    expect(problems, problems.join('\n')).toEqual([]);
  });

  it('a user who asks the system for reduced motion gets dialogs that do not move; others see them zoom in', async () => {
    /** Opens 新建用户 and returns the CSS animations that started on the way. */
    async function animationsOnOpen(reducedMotion: 'reduce' | 'no-preference'): Promise<string[]> {
      const context = await env.browser.newContext({ viewport: { width: 1440, height: 900 }, reducedMotion });
      const page = await context.newPage();
      await loginInBrowser(page, env.server.baseUrl, users.city.username, users.city.password);
      await page.waitForSelector('[data-testid=user-menu]');
      await page.goto(`${env.server.baseUrl}/users`);
      await page.locator('[data-testid=users-table] .ant-table-row').first().waitFor();
      await page.evaluate(() => {
        const w = window as unknown as { started: string[] };
        w.started = [];
        document.addEventListener('animationstart', (e) => w.started.push(e.animationName), true);
      });
      await page.getByRole('button', { name: /新建用户$/ }).first().click();
      const dialog = page.getByRole('dialog').filter({ hasText: '新建用户' }).last();
      await dialogReady(dialog);
      const started = await page.evaluate(() => (window as unknown as { started: string[] }).started);
      await context.close();
      return started;
    }
    expect(await animationsOnOpen('reduce')).toEqual([]);
    expect((await animationsOnOpen('no-preference')).some((name) => name.endsWith('antZoomIn'))).toBe(true);
  });

  it('surveyor: their pages have no serious violation', async () => {
    const problems = await check('surveyor', [
      { label: '首页', url: '/', ready: '[data-testid=user-menu]' },
      { label: '登记记录', url: '/registrations', ready: '.ant-table-row' },
      { label: '新建登记', url: '/registrations/new', ready: '[data-testid=registration-form] input' },
      { label: '登记详情', url: `/registrations/${ids.record}`, ready: '[data-testid=edit]' },
      { label: '统计分析', url: '/statistics', ready: '[data-testid=stat-breadcrumb]' },
      { label: '组织机构', url: '/orgs', ready: '[data-testid=org-tree]' },
      { label: '帮助', url: '/help', ready: '[data-testid=help-regulation]' },
    ]);
    expect(problems, problems.join('\n')).toEqual([]);
  });
});
