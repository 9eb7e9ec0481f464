// Phone app benchmark (issue 15): the built app served by canbao, a surveyor's phone in headless
// Chromium at a phone's size.
//  - the outbox's upload of 500 records saved offline, from the moment the network returns (on a
//    4 Mbps / 150 ms link) until all 500 are 已上传 — goal < 10 s — against the same 500 records'
//    JSON POSTed by bare fetch calls in the same batches on the same link (other ID numbers and
//    client ids, so the server does the same work);
//  - what the phone keeps of the app (the service worker's cache) — goal < 3 MB — against the whole
//    built web app (every page, uncompressed).
import fs from 'node:fs';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import type { Page } from 'playwright-core';
import { withWebServer } from './web-server.js';
import { loginAs, makeUser } from '../src/server/testing/harness.js';
import { fakeIdNumber } from '../src/server/testing/registration-factory.js';
import { REGISTRATION_KEYS } from '../src/shared/registration.js';
import { BENCH_PASSWORD, msSince, type BenchResult } from './import-bench.js';

const LINK = { latency: 150, downloadThroughput: (4 * 1000 * 1000) / 8, uploadThroughput: (4 * 1000 * 1000) / 8 };
const RECORDS = 500;
const BATCH = 100; // as the app sends them (src/web/field/phone/sync.ts UPLOAD_BATCH)

function values(i: number, region: string): Record<string, string> {
  const v: Record<string, string> = Object.fromEntries(REGISTRATION_KEYS.map((k) => [k, '']));
  Object.assign(v, {
    idType: '01',
    idNumber: fakeIdNumber(region, `19${String(50 + (i % 50)).padStart(2, '0')}0${1 + (i % 9)}1${i % 10}`, 100 + (i % 800)),
    name: `测试${'甲乙丙丁戊己庚辛壬癸'[i % 10]}${'子丑寅卯辰巳午未申酉戌亥'[Math.floor(i / 10) % 12]}${i}`.slice(0, 10).replace(/\d/g, ''),
    householdHeadName: '测试户主',
    householdAddress: '三井街道华山路18号',
    hukouType: '21',
    residenceAddress: `三井街道华山路${i}号`,
    phone: '13912345678',
    personCategory: '24',
    surveyDate: '2016-05-03',
    surveyorName: '调查员',
    ins110Status: '1',
    ins110Place: '常州市',
  });
  return v;
}

const kb = (bytes: number) => Math.round(bytes / 102.4) / 10;

function dirBytes(dir: string): number {
  let n = 0;
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) n += dirBytes(p);
    else if (!/\.(br|gz)$/.test(e.name)) n += fs.statSync(p).size;
  }
  return n;
}

async function emulate(page: Page, offline: boolean): Promise<void> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.emulateNetworkConditions', { offline, ...LINK });
}

export async function fieldBench(): Promise<BenchResult[]> {
  return withWebServer('field', 'm/sw.js', async ({ ctx, app, url, browser, webRoot }) => {
      const admin = await makeUser(ctx, { username: 'bench_admin', role: 'district_admin', orgCode: '320411', password: BENCH_PASSWORD });
      const surveyor = await makeUser(ctx, { username: 'bench_surveyor', role: 'surveyor', orgCode: '320411002', password: BENCH_PASSWORD });
      const community = await ctx.db.selectFrom('org_unit').select(['id', 'name']).where('code', '=', '320411002001').executeTakeFirstOrThrow();
      const orgUnitId = Number(community.id);
      const adminClient = await loginAs(app, admin.username, admin.password);
      const assigned = await adminClient.request('PUT', `/api/field/assignments/${surveyor.id}`, { orgUnitIds: [orgUnitId] });
      if (assigned.statusCode !== 200) throw new Error(`assignment failed: ${assigned.body}`);

      const context = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
      const page = await context.newPage();
      await page.goto(`${url}/m/`);
      await page.fill('#m-username', surveyor.username);
      await page.fill('#m-password', BENCH_PASSWORD);
      await page.getByTestId('login-submit').click();
      await page.getByText('我的社区/村').waitFor();
      await page.evaluate(async () => {
        await navigator.serviceWorker.ready;
      });

      // What the phone keeps of the app: every response in the service worker's caches.
      const cached = await page.evaluate(async () => {
        let bytes = 0;
        let files = 0;
        for (const name of await caches.keys()) {
          const cache = await caches.open(name);
          for (const req of await cache.keys()) {
            const res = await cache.match(req);
            if (res) {
              bytes += (await res.blob()).size;
              files += 1;
            }
          }
        }
        return { bytes, files };
      });
      const wholeApp = dirBytes(webRoot);

      // Baseline: the same amount of records POSTed by bare fetch, in the app's batches, on the link.
      await emulate(page, false);
      const baselineItems = Array.from({ length: RECORDS }, (_, i) => ({ clientId: randomUUID(), orgUnitId, record: Object.fromEntries(Object.entries(values(i, '320402')).filter(([, v]) => v !== '')) }));
      const t0 = process.hrtime.bigint();
      const statuses = await page.evaluate(
        async ({ items, batch }) => {
          const out: number[] = [];
          for (let i = 0; i < items.length; i += batch) {
            const r = await fetch('/api/field/uploads', { method: 'POST', headers: { 'Content-Type': 'application/json', Accept: 'application/json' }, body: JSON.stringify({ items: items.slice(i, i + batch) }) });
            await r.json();
            out.push(r.status);
          }
          return out;
        },
        { items: baselineItems, batch: BATCH },
      );
      const baselineMs = msSince(t0);
      if (statuses.some((s) => s !== 200)) throw new Error(`baseline upload failed: ${statuses.join(',')}`);

      // The app: 500 records in the outbox (as saved offline), the phone offline; then the network returns.
      await emulate(page, true);
      const now = new Date().toISOString();
      const outbox = Array.from({ length: RECORDS }, (_, i) => ({
        clientId: randomUUID(),
        orgUnitId,
        communityName: community.name,
        householdKey: randomUUID(),
        values: values(i, '320411'),
        localValid: true,
        state: 'pending',
        savedAt: now,
        updatedAt: now,
        photoUploaded: false,
        attempts: 0,
      }));
      await page.evaluate(
        async ({ name, items }) => {
          const db = await new Promise<IDBDatabase>((resolve, reject) => {
            const r = indexedDB.open(name);
            r.onsuccess = () => resolve(r.result);
            r.onerror = () => reject(r.error);
          });
          await new Promise<void>((resolve, reject) => {
            const tx = db.transaction('outbox', 'readwrite');
            for (const item of items) tx.objectStore('outbox').put(item);
            tx.oncomplete = () => resolve();
            tx.onerror = () => reject(tx.error);
          });
          db.close();
        },
        { name: `canbao-field-u${surveyor.id}`, items: outbox },
      );
      await page.reload();
      await page.getByText('我的社区/村').waitFor();
      const pending = async () => Number((await page.getByTestId('count-pending').innerText()).replace(/\D/g, ''));
      if ((await pending()) !== RECORDS) throw new Error(`expected ${RECORDS} pending records, saw ${await pending()}`);
      const t1 = process.hrtime.bigint();
      await emulate(page, false);
      const uploaded = page.getByTestId('count-uploaded');
      await page.waitForFunction((n) => document.querySelector('[data-testid=count-uploaded]')?.textContent?.replace(/\D/g, '') === String(n), RECORDS, { timeout: 300_000, polling: 50 });
      const appMs = msSince(t1);
      const onServer = await ctx.db.selectFrom('registration').select((eb) => eb.fn.countAll<number>().as('n')).where('entered_by', '=', surveyor.id).where('entry_source', '=', 'field').executeTakeFirstOrThrow();
      if (Number(onServer.n) !== RECORDS * 2) throw new Error(`expected ${RECORDS * 2} field records on the server, found ${onServer.n}`);
      void uploaded;
      await context.close();

      return [
        { name: `field: outbox upload of ${RECORDS} records, 4 Mbps / 150 ms, network back → all 已上传 (goal < 10 s)`, unit: 'ms', value: appMs, baseline: `the same records by bare fetch in batches of ${BATCH}, same link`, baselineValue: baselineMs, ratio: appMs / baselineMs },
        { name: `field: the phone app as cached on the phone, ${cached.files} files (goal < 3 MB)`, unit: 'KB', value: kb(cached.bytes), baseline: 'the whole built web app, uncompressed', baselineValue: kb(wholeApp), ratio: cached.bytes / wholeApp },
      ];
  });
}
