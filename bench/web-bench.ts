// Web app benchmark (issue 14, "speed felt"): the built app (dist/web) served by canbao, loaded by
// headless Chromium with an empty cache as a new user would, then again as a returning one.
//  - bytes transferred (headers + encoded bodies, as Chromium counts them) for the login page, for a
//    direct visit to the registration list (logged in, empty cache) and for a repeat visit;
//  - time until the login form can be typed in, on localhost and on a throttled phone link
//    (9 Mbps down, 1.5 Mbps up, 150 ms round trip; CPU slowed 4×), against the same app served
//    without compression (the browser told to accept no encoding) on the same link in the same run.
import type { BrowserContext, Page } from 'playwright-core';
import { withWebServer } from './web-server.js';
import { BENCH_PASSWORD, msSince, type BenchResult } from './import-bench.js';

const PHONE_LINK = { offline: false, latency: 150, downloadThroughput: (9 * 1024 * 1024) / 8, uploadThroughput: (1.5 * 1024 * 1024) / 8 };

/** Bytes Chromium received for every response of the page (headers and encoded body), from CDP. */
async function countBytes(page: Page): Promise<() => number> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Network.enable');
  let bytes = 0;
  cdp.on('Network.loadingFinished', (e: { encodedDataLength: number }) => (bytes += e.encodedDataLength));
  return () => bytes;
}

async function throttle(page: Page): Promise<void> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.emulateNetworkConditions', PHONE_LINK);
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: 4 });
}

/** Milliseconds from navigation until the login form's first field is visible. */
async function loginReady(context: BrowserContext, url: string, slow: boolean): Promise<number> {
  const page = await context.newPage();
  if (slow) await throttle(page);
  const t0 = process.hrtime.bigint();
  await page.goto(`${url}/login`, { waitUntil: 'commit' });
  await page.locator('#login-username').waitFor({ state: 'visible', timeout: 120_000 });
  const ms = msSince(t0);
  await page.close();
  return ms;
}

const kb = (bytes: number) => Math.round(bytes / 102.4) / 10;

export async function webBench(): Promise<BenchResult[]> {
  return withWebServer('web', 'index.html', async ({ url, browser }) => {
      // The login page, empty cache.
      const first = await browser.newContext();
      const loginPage = await first.newPage();
      const loginBytes = await countBytes(loginPage);
      await loginPage.goto(`${url}/login`, { waitUntil: 'networkidle' });
      const login = loginBytes();
      // Log in, then the registration list opened directly (a bookmark) in a new context with the
      // session cookie but an empty cache.
      await loginPage.fill('#login-username', 'admin');
      await loginPage.fill('#login-password', BENCH_PASSWORD);
      await loginPage.press('#login-password', 'Enter');
      await loginPage.waitForURL((u) => !u.pathname.startsWith('/login'));
      const cookies = await first.cookies();
      await first.close();

      const listContext = await browser.newContext();
      await listContext.addCookies(cookies);
      const listPage = await listContext.newPage();
      const listBytes = await countBytes(listPage);
      await listPage.goto(`${url}/registrations`, { waitUntil: 'networkidle' });
      await listPage.locator('.ant-table').first().waitFor();
      const list = listBytes();
      // The same page again (a returning user: the bundles come from the browser's cache).
      const repeatPage = await listContext.newPage();
      const repeatBytes = await countBytes(repeatPage);
      await repeatPage.goto(`${url}/registrations`, { waitUntil: 'networkidle' });
      await repeatPage.locator('.ant-table').first().waitFor();
      const repeat = repeatBytes();
      await listContext.close();

      // Time to a usable login form: localhost, the phone link, and the phone link without compression.
      const fresh = async (slow: boolean, identity = false) => {
        const c = await browser.newContext(identity ? { extraHTTPHeaders: { 'Accept-Encoding': 'identity' } } : {});
        try {
          return await loginReady(c, url, slow);
        } finally {
          await c.close();
        }
      };
      const localMs = await fresh(false);
      const phoneMs = await fresh(true);
      const phoneIdentityMs = await fresh(true, true);

      return [
        { name: 'web: login page, empty cache, bytes transferred (KB)', unit: 'KB', value: kb(login), baseline: 'target', baselineValue: 300, ratio: login / 1024 / 300 },
        { name: 'web: registration list opened directly, logged in, empty cache (KB)', unit: 'KB', value: kb(list), baseline: 'target', baselineValue: 700, ratio: list / 1024 / 700 },
        { name: 'web: registration list, repeat visit (KB)', unit: 'KB', value: kb(repeat), baseline: 'target', baselineValue: 20, ratio: repeat / 1024 / 20 },
        { name: 'web: login form usable, localhost', unit: 'ms', value: localMs, baseline: 'the same on the phone link', baselineValue: phoneMs, ratio: localMs / phoneMs },
        { name: 'web: login form usable, phone link (9/1.5 Mbps, 150 ms, CPU ÷4)', unit: 'ms', value: phoneMs, baseline: 'the same app sent uncompressed on the same link', baselineValue: phoneIdentityMs, ratio: phoneMs / phoneIdentityMs },
      ];
  });
}
