// Browser tests of the phone app (/m/, issue 15) at a phone's size under Chromium's offline
// emulation: the app opens offline once opened online, persons registered offline wait in the
// outbox across a restart of the app and upload once when the network returns (with the photo,
// the household and the surveyor); a conflict with a record a clerk entered meanwhile is settled
// field by field; a 天宁区 surveyor's phone holds nothing of 新北区; logging out with unsent
// records warns and keeps them; answers lost after the server committed create nothing twice.
import fs from 'node:fs';
import path from 'node:path';
import { Resvg } from '@resvg/resvg-js';
import { beforeAll, describe, expect, it } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';
import { dialogReady, serverAndBrowser } from './support.js';
import { FAILING, runAxe, settle, type Violation } from './axe.js';
import { loginAs, makeUser } from '../src/server/testing/harness.js';
import { fakeIdNumber } from '../src/server/testing/registration-factory.js';

const SHOT_DIR = process.env.CANBAO_E2E_SHOTS ?? 'test-results';
const HUASHAN_CODE = '320411002001'; // 新北区 三井街道 华山社区居委会
const HUASHAN = '华山社区居委会';

/** Width and height of a JPEG, from its start-of-frame segment. */
function jpegSize(b: Buffer): { width: number; height: number } | null {
  let i = 2;
  while (i + 9 < b.length) {
    if (b[i] !== 0xff) return null;
    const marker = b[i + 1]!;
    const len = b.readUInt16BE(i + 2);
    if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) return { height: b.readUInt16BE(i + 5), width: b.readUInt16BE(i + 7) };
    i += 2 + len;
  }
  return null;
}

type User = { id: number; username: string; password: string };
type Person = { idNumber: string; name: string; relation?: string };

describe('the phone app (field capture) offline', () => {
  const env = serverAndBrowser();
  const users = {} as Record<'xb' | 'xb2' | 'xb3' | 'xb4' | 'tn' | 'tn2' | 'clerk' | 'admin' | 'tnAdmin', User>;
  let huashanId = 0;
  let tnCommunity = { id: 0, name: '' };
  let photoFile = '';

  beforeAll(async () => {
    const { ctx, app } = env.server;
    users.admin = await makeUser(ctx, { username: 'ph_xb_admin', role: 'district_admin', orgCode: '320411' });
    users.tnAdmin = await makeUser(ctx, { username: 'ph_tn_admin', role: 'district_admin', orgCode: '320402' });
    users.clerk = await makeUser(ctx, { username: 'ph_xb_clerk', role: 'clerk', orgCode: '320411' });
    users.xb = await makeUser(ctx, { username: 'ph_xb_surveyor', role: 'surveyor', orgCode: '320411002', displayName: '新北调查员' });
    users.xb2 = await makeUser(ctx, { username: 'ph_xb_surveyor2', role: 'surveyor', orgCode: '320411002', displayName: '新北调查员二' });
    users.xb3 = await makeUser(ctx, { username: 'ph_xb_surveyor3', role: 'surveyor', orgCode: '320411002', displayName: '新北调查员三' });
    users.xb4 = await makeUser(ctx, { username: 'ph_xb_surveyor4', role: 'surveyor', orgCode: '320411002', displayName: '新北调查员四' });
    users.tn = await makeUser(ctx, { username: 'ph_tn_surveyor', role: 'surveyor', orgCode: '320402', displayName: '天宁调查员' });
    users.tn2 = await makeUser(ctx, { username: 'ph_tn_surveyor2', role: 'surveyor', orgCode: '320402', displayName: '天宁调查员二' });
    const huashan = await ctx.db.selectFrom('org_unit').select(['id']).where('code', '=', HUASHAN_CODE).executeTakeFirstOrThrow();
    huashanId = Number(huashan.id);
    const tn = await ctx.db.selectFrom('org_unit').select(['id', 'name']).where('code', 'like', '320402%').where('level', '=', 'community').orderBy('code').executeTakeFirstOrThrow();
    tnCommunity = { id: Number(tn.id), name: tn.name };
    const admin = await loginAs(app, users.admin.username, users.admin.password);
    for (const u of [users.xb, users.xb2, users.xb3, users.xb4]) expect((await admin.request('PUT', `/api/field/assignments/${u.id}`, { orgUnitIds: [huashanId] })).statusCode).toBe(200);
    const tnAdmin = await loginAs(app, users.tnAdmin.username, users.tnAdmin.password);
    for (const u of [users.tn, users.tn2]) expect((await tnAdmin.request('PUT', `/api/field/assignments/${u.id}`, { orgUnitIds: [tnCommunity.id] })).statusCode).toBe(200);
    // A camera picture of the signed form: larger than the phone keeps (it is made smaller there).
    fs.mkdirSync(SHOT_DIR, { recursive: true });
    photoFile = path.join(SHOT_DIR, 'field-phone-paper-form.png');
    const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="2400" height="3200"><rect width="2400" height="3200" fill="#fbfaf5"/>${Array.from({ length: 40 }, (_, i) => `<rect x="200" y="${200 + i * 70}" width="${1200 + (i % 5) * 150}" height="24" fill="#333"/>`).join('')}<path d="M1500 2900 q100 -120 200 0 t200 0" stroke="#1d39c4" stroke-width="14" fill="none"/></svg>`;
    fs.writeFileSync(photoFile, new Resvg(svg).render().asPng());
  });

  async function phone(opts: { bypassCSP?: boolean } = {}): Promise<BrowserContext> {
    return env.browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, ...opts });
  }

  /** Logs in on the phone app and waits until the service worker controls the page (the app is cached). */
  async function loginOnPhone(context: BrowserContext, user: User): Promise<Page> {
    const page = await context.newPage();
    await page.goto(`${env.server.baseUrl}/m/`);
    await page.fill('#m-username', user.username);
    await page.fill('#m-password', user.password);
    await page.getByTestId('login-submit').click();
    await page.getByText('我的社区/村').waitFor();
    await page.evaluate(async () => {
      await navigator.serviceWorker.ready;
    });
    // The first page load was not controlled; a reload online is (clientsClaim covers it too).
    await expect.poll(() => page.evaluate(() => navigator.serviceWorker.controller !== null), { timeout: 15_000 }).toBe(true);
    await expect.poll(() => page.getByTestId('offline-ready').innerText()).toBe('已可离线使用');
    await expect.poll(() => page.getByTestId('tasks-fetched').innerText()).toContain('任务更新于');
    return page;
  }

  async function selectCode(page: Page, key: string, text: string): Promise<void> {
    await page.click(`#reg-${key}`);
    await page.keyboard.type(text);
    await page.keyboard.press('Enter');
  }

  /** Fills one person (the household's fields too for the first member) with values that pass every rule. */
  async function fillPerson(page: Page, p: Person, first: boolean): Promise<void> {
    // The form puts the cursor in its first empty field (the household's, then the ID number): typing starts after that.
    await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe(first ? 'reg-householdHeadName' : 'reg-idNumber');
    if (first) {
      await page.fill('#reg-householdHeadName', p.name);
      await page.fill('#reg-householdHeadIdNumber', p.idNumber);
      await page.fill('#reg-householdAddress', '三井街道华山路18号');
      await selectCode(page, 'hukouType', '本地农业');
      await page.fill('#reg-residenceAddress', '三井街道华山路18号');
    }
    await page.fill('#reg-idNumber', p.idNumber);
    await page.fill('#reg-name', p.name);
    if (p.relation) await selectCode(page, 'relationToHead', p.relation);
    await page.fill('#reg-phone', '13912345678');
    await selectCode(page, 'personCategory', '工人');
    await selectCode(page, 'ins110Status', '正常参保');
    await page.fill('#reg-ins110Place', '常州市');
  }

  /** Confirms 「仍然保存」 once the confirmation has finished opening (a click during its animation can be lost). */
  async function confirmSave(page: Page): Promise<void> {
    const dialog = page.locator('.ant-modal-confirm').filter({ hasText: '仍然保存' });
    await dialogReady(dialog);
    await dialog.getByRole('button', { name: '仍然保存' }).click();
  }

  async function openCommunity(page: Page, name: string): Promise<void> {
    await page.getByTestId('task').filter({ hasText: name }).click();
    await page.getByTestId('community-name').filter({ hasText: name }).waitFor();
  }

  const count = async (page: Page, state: 'pending' | 'conflict' | 'rejected' | 'uploaded') => Number((await page.getByTestId(`count-${state}`).innerText()).replace(/\D/g, ''));

  async function dumpPhoneDb(page: Page, userId: number): Promise<string> {
    return page.evaluate(async (name) => {
      const db = await new Promise<IDBDatabase>((resolve, reject) => {
        const r = indexedDB.open(name);
        r.onsuccess = () => resolve(r.result);
        r.onerror = () => reject(r.error);
      });
      const out: Record<string, unknown> = {};
      for (const s of Array.from(db.objectStoreNames)) {
        out[s] = await new Promise((resolve) => {
          const q = db.transaction(s).objectStore(s).getAll();
          q.onsuccess = () => resolve(q.result);
        });
      }
      db.close();
      return JSON.stringify(out);
    }, `canbao-field-u${userId}`);
  }

  it('opens offline, keeps 3 persons of one household across a restart and uploads them once when online', async () => {
    const context = await phone();
    let page = await loginOnPhone(context, users.xb);
    await page.screenshot({ path: path.join(SHOT_DIR, 'field-phone-tasks.png'), fullPage: true });
    // Installable: the page names its manifest, with the zh-CN name, the scope and the icons.
    expect(await page.locator('link[rel=manifest]').getAttribute('href')).toBe('/m/manifest.webmanifest');
    const manifest = (await (await page.request.get(`${env.server.baseUrl}/m/manifest.webmanifest`)).json()) as { name: string; lang: string; start_url: string; scope: string; display: string; icons: Array<{ sizes: string }> };
    expect(manifest).toMatchObject({ lang: 'zh-CN', start_url: '/m/', scope: '/m/', display: 'standalone' });
    expect(manifest.name).toContain('参保');
    expect(manifest.icons.map((i) => i.sizes)).toEqual(expect.arrayContaining(['192x192', '512x512']));
    // Chromium itself finds nothing that keeps the app from being installed on the home screen.
    const cdp = await context.newCDPSession(page);
    const { installabilityErrors } = (await cdp.send('Page.getInstallabilityErrors')) as { installabilityErrors: Array<{ errorId: string }> };
    // (A test browser's context is incognito, where nothing is installed: that one reason is expected.)
    expect(installabilityErrors.map((e) => e.errorId).filter((id) => id !== 'in-incognito')).toEqual([]);
    await cdp.detach();

    await context.setOffline(true);
    await page.reload();
    await page.getByText('我的社区/村').waitFor();
    expect(await page.getByTestId('connection').innerText()).toBe('离线');
    await openCommunity(page, HUASHAN);
    await page.getByTestId('new-household').click();
    await page.getByTestId('phone-form').waitFor();

    const household: Person[] = [
      { idNumber: fakeIdNumber('320411', '19700305', 11), name: '华建国' },
      { idNumber: fakeIdNumber('320411', '19720811', 12), name: '李秀英', relation: '妻' },
      { idNumber: fakeIdNumber('320411', '19980214', 13), name: '华晓东', relation: '长子' },
    ];
    for (const [i, p] of household.entries()) {
      await fillPerson(page, p, i === 0);
      await page.getByTestId('photo-input').setInputFiles(photoFile);
      await page.getByTestId('photo-preview').waitFor();
      if (i === 0) await page.screenshot({ path: path.join(SHOT_DIR, 'field-phone-form.png'), fullPage: true });
      await page.getByTestId('save-next').click();
      await page.getByText(`已保存到本机：${p.name}`).waitFor();
      // The next member starts with the household's fields and an empty person.
      await expect.poll(() => page.inputValue('#reg-idNumber')).toBe('');
      expect(await page.inputValue('#reg-householdHeadName')).toBe(household[0]!.name);
      expect(await page.inputValue('#reg-residenceAddress')).toBe('三井街道华山路18号');
    }
    // A half-typed fourth member is kept as a draft across the restart too.
    await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe('reg-idNumber');
    await page.fill('#reg-name', '华小妹');
    await expect.poll(async () => (JSON.parse(await dumpPhoneDb(page, users.xb.id)) as { drafts: Array<{ values: { name: string } }> }).drafts.map((d) => d.values.name)).toEqual(['华小妹']);

    // Close the app and open it again, still offline.
    await page.close();
    page = await context.newPage();
    await page.goto(`${env.server.baseUrl}/m/`);
    await page.getByText('我的社区/村').waitFor();
    expect(await count(page, 'pending')).toBe(3);
    await openCommunity(page, HUASHAN);
    expect(await page.getByTestId('local-person').count()).toBe(3);
    await page.getByTestId('continue-draft').click();
    await expect.poll(() => page.inputValue('#reg-name')).toBe('华小妹');
    expect(await page.inputValue('#reg-householdHeadName')).toBe(household[0]!.name);
    await page.getByTestId('nav-outbox').click();
    await page.getByTestId('outbox-item').first().waitFor();
    await page.screenshot({ path: path.join(SHOT_DIR, 'field-phone-outbox-offline.png'), fullPage: true });

    // Back online: the outbox uploads by itself.
    await context.setOffline(false);
    await expect.poll(() => count(page, 'uploaded'), { timeout: 20_000 }).toBe(3);
    expect(await count(page, 'pending')).toBe(0);
    await page.screenshot({ path: path.join(SHOT_DIR, 'field-phone-outbox-uploaded.png'), fullPage: true });

    const { db } = env.server.ctx;
    const rows = await db
      .selectFrom('registration')
      .select(['id', 'id_number', 'name', 'household_id', 'entered_by', 'entry_source', 'is_valid', 'is_counted', 'org_unit_id'])
      .where('id_number', 'in', household.map((p) => p.idNumber))
      .where('deleted_at', 'is', null)
      .execute();
    expect(rows.map((r) => r.name).sort()).toEqual(household.map((p) => p.name).sort());
    for (const r of rows) {
      expect(Number(r.entered_by)).toBe(users.xb.id);
      expect(r.entry_source).toBe('field');
      expect(Number(r.org_unit_id)).toBe(huashanId);
      expect(Number(r.is_valid)).toBe(1);
      expect(Number(r.is_counted)).toBe(1);
    }
    expect(new Set(rows.map((r) => r.household_id)).size).toBe(1);
    expect(rows[0]!.household_id).not.toBeNull();
    // The photo of each person's signed form is on the server, made small on the phone.
    const clerk = await loginAs(env.server.app, users.clerk.username, users.clerk.password);
    for (const r of rows) {
      const photo = await clerk.request('GET', `/api/registrations/${r.id}/photo`);
      expect(photo.statusCode).toBe(200);
      expect(photo.headers['content-type']).toContain('image/jpeg');
      expect(photo.rawPayload.subarray(0, 3).toString('hex')).toBe('ffd8ff');
      // The 2400 × 3200 picture was made 1200 × 1600 on the phone.
      expect(jpegSize(photo.rawPayload)).toEqual({ width: 1200, height: 1600 });
    }
    // Statistics count them: the surveyor's task list and the work statistics.
    const surveyor = await loginAs(env.server.app, users.xb.username, users.xb.password);
    const tasks = (await surveyor.request('GET', '/api/field/tasks')).json() as { items: Array<{ orgUnitId: number; counted: number }> };
    expect(tasks.items.find((t) => t.orgUnitId === huashanId)?.counted).toBe(3);
    const admin = await loginAs(env.server.app, users.admin.username, users.admin.password);
    const work = (await admin.request('GET', '/api/statistics/work')).json() as { users: Array<{ userId: number; entered: number; fieldEntered: number; counted: number }> };
    expect(work.users.find((u) => u.userId === users.xb.id)).toMatchObject({ entered: 3, fieldEntered: 3, counted: 3 });
    // The phone keeps no photo once it is on the server.
    const dump = JSON.parse(await dumpPhoneDb(page, users.xb.id)) as { outbox: Array<{ photo?: unknown; photoUploaded?: boolean }> };
    expect(dump.outbox.every((i) => i.photo === undefined && i.photoUploaded === true)).toBe(true);
    await context.close();
  });

  it('a person registered online by a clerk meanwhile comes back as a conflict, settled field by field into one counted record', async () => {
    const context = await phone();
    const page = await loginOnPhone(context, users.xb2);
    await context.setOffline(true);
    await openCommunity(page, HUASHAN);
    await page.getByTestId('new-household').click();
    const person = { idNumber: fakeIdNumber('320411', '19850606', 21), name: '周明' };
    await fillPerson(page, person, true);
    await page.fill('#reg-phone', '13800001111');
    await page.getByTestId('save-done').click();
    await page.getByText('已保存到本机：周明').waitFor();

    // Meanwhile a clerk registers the same person online, with another phone number.
    const clerk = await loginAs(env.server.app, users.clerk.username, users.clerk.password);
    const created = await clerk.request('POST', '/api/registrations', {
      orgUnitId: huashanId,
      record: { idNumber: person.idNumber, name: '周明', hukouType: '21', residenceAddress: '华山路20号', phone: '13922223333', personCategory: '24', surveyDate: '2016-05-03', ins110Status: '1', ins110Place: '常州市' },
    });
    expect(created.statusCode).toBe(200);
    const serverId = (created.json() as { id: number }).id;

    await context.setOffline(false);
    await page.getByTestId('nav-outbox').click();
    await expect.poll(() => count(page, 'conflict'), { timeout: 20_000 }).toBe(1);
    await page.getByTestId('outbox-item').filter({ hasText: '周明' }).click();
    const conflict = page.getByTestId('conflict');
    await conflict.waitFor();
    await page.screenshot({ path: path.join(SHOT_DIR, 'field-phone-conflict.png'), fullPage: true });
    // The phone's phone number and address are kept, the rest stays as the server has it.
    await conflict.getByTestId('pick-mine-phone').click();
    await conflict.getByTestId('pick-mine-residenceAddress').click();
    await conflict.getByTestId('resolve-merge').click();
    await expect.poll(() => count(page, 'uploaded'), { timeout: 20_000 }).toBe(1);
    expect(await count(page, 'conflict')).toBe(0);

    const rows = await env.server.ctx.db.selectFrom('registration').select(['id', 'phone', 'residence_address', 'is_counted', 'version']).where('id_number', '=', person.idNumber).where('deleted_at', 'is', null).execute();
    expect(rows).toHaveLength(1);
    expect(Number(rows[0]!.id)).toBe(serverId);
    expect(rows[0]!.phone).toBe('13800001111');
    expect(rows[0]!.residence_address).toBe('三井街道华山路18号');
    expect(Number(rows[0]!.is_counted)).toBe(1);
    await context.close();
  });

  it("a 天宁区 surveyor's phone holds nothing of 新北区, and logging out with unsent records warns and keeps them", async () => {
    const context = await phone();
    const page = await loginOnPhone(context, users.tn);
    expect(await page.getByTestId('task').allInnerTexts()).toEqual([expect.stringContaining(tnCommunity.name)]);
    const cached = await dumpPhoneDb(page, users.tn.id);
    expect(cached).toContain(tnCommunity.name);
    expect(cached).not.toContain(HUASHAN);
    expect(cached).not.toMatch(/3204110/);
    expect(cached).not.toContain('新北');
    // Another user's database is not even opened by this login.
    const names = await page.evaluate(async () => (await indexedDB.databases()).map((d) => d.name));
    expect(names).toEqual([`canbao-field-u${users.tn.id}`]);

    await context.setOffline(true);
    await openCommunity(page, tnCommunity.name);
    await page.getByTestId('new-household').click();
    await page.fill('#reg-idNumber', fakeIdNumber('320402', '19900101', 31));
    await page.fill('#reg-name', '天宁人');
    await page.getByTestId('save-done').click();
    await confirmSave(page);
    await page.getByText('已保存到本机：天宁人').waitFor();
    await page.getByTestId('logout').click();
    const dialog = page.locator('.ant-modal-confirm');
    await dialog.locator('.ant-modal-confirm-title').filter({ hasText: '还有 1 条记录未上传' }).waitFor();
    await dialogReady(dialog);
    expect(await dialog.innerText()).toContain('不会删除');
    await page.screenshot({ path: path.join(SHOT_DIR, 'field-phone-logout-warning.png'), fullPage: true });
    await dialog.getByRole('button', { name: '取消' }).click();
    await dialog.waitFor({ state: 'hidden' });
    await page.getByTestId('logout').click();
    await dialogReady(dialog);
    await dialog.getByRole('button', { name: '退出登录' }).click();
    await page.locator('#m-username').waitFor();
    const after = JSON.parse(await dumpPhoneDb(page, users.tn.id)) as { outbox: Array<{ values: { name: string }; state: string }>; tasks: unknown[] };
    expect(after.outbox.map((i) => [i.values.name, i.state])).toEqual([['天宁人', 'pending']]);
    expect(after.tasks).toEqual([]);
    await context.close();
  });

  it('answers lost after the server committed create nothing twice', async () => {
    const context = await phone();
    const page = await loginOnPhone(context, users.xb);
    await context.setOffline(true);
    await openCommunity(page, HUASHAN);
    await page.getByTestId('new-household').click();
    const people: Person[] = [
      { idNumber: fakeIdNumber('320411', '19600101', 41), name: '钱一' },
      { idNumber: fakeIdNumber('320411', '19620202', 42), name: '钱二', relation: '妻' },
    ];
    for (const [i, p] of people.entries()) {
      await fillPerson(page, p, i === 0);
      await page.getByTestId('save-next').click();
      await page.getByText(`已保存到本机：${p.name}`).waitFor();
    }
    // The first two uploads reach the server, which writes them, but their answers are lost.
    let dropped = 0;
    await page.route('**/api/field/uploads', async (route) => {
      if (dropped < 2) {
        dropped += 1;
        await route.fetch();
        await route.abort('connectionreset');
      } else await route.continue();
    });
    await page.getByTestId('nav-outbox').click();
    await context.setOffline(false);
    await expect.poll(() => dropped, { timeout: 20_000 }).toBe(1);
    expect(await count(page, 'pending')).toBe(2);
    await page.getByTestId('upload-now').click();
    await expect.poll(() => dropped).toBe(2);
    await expect.poll(async () => (await page.getByTestId('upload-now').isEnabled()) || (await count(page, 'uploaded')) === 2).toBe(true);
    await page.getByTestId('upload-now').click();
    await expect.poll(() => count(page, 'uploaded'), { timeout: 20_000 }).toBe(2);
    const rows = await env.server.ctx.db.selectFrom('registration').select(['id_number']).where('id_number', 'in', people.map((p) => p.idNumber)).where('deleted_at', 'is', null).execute();
    expect(rows.map((r) => r.id_number).sort()).toEqual(people.map((p) => p.idNumber).sort());
    await context.close();
  });

  it('offline work goes on after the server session ended; the upload waits for a new login and then goes through', async () => {
    const context = await phone();
    const page = await loginOnPhone(context, users.xb3);
    await context.setOffline(true);
    // The session ends on the server meanwhile (timed out, or ended from another device).
    await env.server.ctx.db.updateTable('session').set({ ended_at: new Date().toISOString() }).where('user_id', '=', users.xb3.id).execute();
    await openCommunity(page, HUASHAN);
    await page.getByTestId('new-household').click();
    const person = { idNumber: fakeIdNumber('320411', '19770707', 51), name: '孙立' };
    await fillPerson(page, person, true);
    await page.getByTestId('save-done').click();
    await page.getByText('已保存到本机：孙立').waitFor();
    await page.getByRole('link', { name: '我的任务' }).click();
    await page.getByText('我的社区/村').waitFor();

    await context.setOffline(false);
    await page.getByTestId('relogin').waitFor({ timeout: 20_000 });
    expect(await count(page, 'pending')).toBe(1);
    // Reopened with the session gone, the app still opens on the phone's data.
    await page.reload();
    await page.getByTestId('relogin').waitFor();
    expect(await count(page, 'pending')).toBe(1);
    await page.getByTestId('relogin').click();
    expect(await page.inputValue('#m-username')).toBe(users.xb3.username);
    await page.fill('#m-password', users.xb3.password);
    await page.getByTestId('login-submit').click();
    await expect.poll(() => count(page, 'uploaded'), { timeout: 20_000 }).toBe(1);
    expect(await page.getByTestId('relogin').count()).toBe(0);
    const rows = await env.server.ctx.db.selectFrom('registration').select(['entered_by']).where('id_number', '=', person.idNumber).where('deleted_at', 'is', null).execute();
    expect(rows.map((r) => Number(r.entered_by))).toEqual([users.xb3.id]);
    await context.close();
  });

  it('the phone pages pass axe-core (WCAG 2.0/2.1 A and AA)', async () => {
    const context = await phone({ bypassCSP: true });
    const page = await context.newPage();
    const problems: string[] = [];
    const check = async (label: string) => {
      await settle(page);
      await page.screenshot({ path: path.join(SHOT_DIR, `field-phone-a11y-${label}.png`), fullPage: true });
      const found: Violation[] = await runAxe(page);
      for (const v of found) if (v.impact && FAILING.has(v.impact)) problems.push(`${label}: ${v.id} (${v.impact}) ${v.help} — ${v.targets.join(' | ')}`);
    };
    await page.goto(`${env.server.baseUrl}/m/`);
    await page.locator('#m-username').waitFor();
    await check('login');
    await page.fill('#m-username', users.tn2.username);
    await page.fill('#m-password', users.tn2.password);
    await page.getByTestId('login-submit').click();
    await page.getByText('我的社区/村').waitFor();
    await check('tasks');
    await openCommunity(page, tnCommunity.name);
    await check('community');
    await page.getByTestId('new-household').click();
    await page.getByTestId('phone-form').waitFor();
    await check('form');
    await page.fill('#reg-idNumber', fakeIdNumber('320402', '19910101', 61));
    await page.fill('#reg-name', '天宁二');
    await page.getByTestId('save-done').click();
    await confirmSave(page);
    await page.getByText('已保存到本机：天宁二').waitFor();
    await page.getByTestId('nav-outbox').click();
    await page.getByTestId('outbox-item').first().waitFor();
    await check('outbox');
    await page.getByTestId('outbox-item').first().click();
    await page.getByTestId('item-state').waitFor();
    await check('item');
    expect(problems).toEqual([]);
    await context.close();
  });

  it('an edit of a cached person, made offline while a clerk changed the record online, is merged field by field', async () => {
    const clerk = await loginAs(env.server.app, users.clerk.username, users.clerk.password);
    const idNumber = fakeIdNumber('320411', '19880808', 71);
    const created = await clerk.request('POST', '/api/registrations', {
      orgUnitId: huashanId,
      record: { idNumber, name: '吴芳', hukouType: '21', residenceAddress: '华山路30号', phone: '13922224444', personCategory: '24', surveyDate: '2016-05-03', ins110Status: '1', ins110Place: '常州市' },
    });
    expect(created.statusCode).toBe(200);
    const { id, version } = created.json() as { id: number; version: number };

    const context = await phone();
    const page = await loginOnPhone(context, users.xb4);
    await context.setOffline(true);
    await openCommunity(page, HUASHAN);
    // The cache shows the person masked.
    const cachedRow = page.getByTestId('server-person').filter({ hasText: '吴芳' });
    expect(await cachedRow.innerText()).toContain(`${idNumber.slice(0, 6)}********${idNumber.slice(-4)}`);
    await cachedRow.click();
    await page.fill('#reg-phone', '13700007777');
    await page.getByTestId('save-edit').click();
    await page.getByText('已保存到本机：吴芳 的修改').waitFor();

    // Meanwhile the clerk changes the address online.
    expect((await clerk.request('PUT', `/api/registrations/${id}`, { record: { residenceAddress: '华山路99号' }, version })).statusCode).toBe(200);

    await context.setOffline(false);
    await page.getByTestId('nav-outbox').click();
    await expect.poll(() => count(page, 'conflict'), { timeout: 20_000 }).toBe(1);
    await page.getByTestId('outbox-item').filter({ hasText: '吴芳' }).click();
    const conflict = page.getByTestId('conflict');
    await conflict.waitFor();
    // Only what the phone changed is compared: the phone number, the server's masked.
    expect(await conflict.locator('tr.ant-table-row').count()).toBe(1);
    expect(await conflict.innerText()).toContain('139****4444');
    await conflict.getByTestId('resolve-merge').click();
    await expect.poll(() => count(page, 'uploaded'), { timeout: 20_000 }).toBe(1);
    const row = await env.server.ctx.db.selectFrom('registration').select(['phone', 'residence_address', 'version', 'entry_source']).where('id', '=', id).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ phone: '13700007777', residence_address: '华山路99号', entry_source: 'form' });
    expect(Number(row.version)).toBe(version + 2);
    await context.close();
  });

  it('a record the server refuses stays on the phone with the reasons, and goes up once corrected', async () => {
    const context = await phone();
    const page = await loginOnPhone(context, users.xb2);
    // The server's answer for this upload: refused (as for a community no longer in the surveyor's scope).
    await page.route('**/api/field/uploads', async (route) => {
      const body = route.request().postDataJSON() as { items: Array<{ clientId: string }> };
      await route.fulfill({ json: { results: body.items.map((i) => ({ clientId: i.clientId, outcome: 'rejected', message: '只能登记到社区或村一级单位，未保存', errors: [{ field: 'phone', code: 'BAD_PHONE', message: '联系电话格式不正确' }] })) } });
    });
    await context.setOffline(true);
    await openCommunity(page, HUASHAN);
    await page.getByTestId('new-household').click();
    const person = { idNumber: fakeIdNumber('320411', '19930303', 81), name: '郑雨' };
    await fillPerson(page, person, true);
    await page.getByTestId('save-done').click();
    await page.getByText('已保存到本机：郑雨').waitFor();
    await page.getByTestId('nav-outbox').click();
    await context.setOffline(false);
    await expect.poll(() => count(page, 'rejected'), { timeout: 20_000 }).toBe(1);
    await page.reload();
    expect(await count(page, 'rejected')).toBe(1);
    await page.getByTestId('outbox-item').filter({ hasText: '郑雨' }).click();
    const reasons = page.getByTestId('rejected-reasons');
    await reasons.waitFor();
    expect(await reasons.innerText()).toContain('只能登记到社区或村一级单位');
    expect(await reasons.innerText()).toContain('联系电话格式不正确');
    await page.screenshot({ path: path.join(SHOT_DIR, 'field-phone-rejected.png'), fullPage: true });

    await page.unroute('**/api/field/uploads');
    await page.getByTestId('edit-item').click();
    await expect.poll(() => page.inputValue('#reg-name')).toBe('郑雨');
    await page.fill('#reg-phone', '13655556666');
    await page.getByTestId('save').click();
    await page.getByText('已保存到本机：郑雨').waitFor();
    await page.getByTestId('nav-outbox').click();
    await expect.poll(() => count(page, 'uploaded'), { timeout: 20_000 }).toBe(1);
    expect(await count(page, 'rejected')).toBe(0);
    const rows = await env.server.ctx.db.selectFrom('registration').select(['phone']).where('id_number', '=', person.idNumber).where('deleted_at', 'is', null).execute();
    expect(rows).toEqual([{ phone: '13655556666' }]);
    await context.close();
  });
});
