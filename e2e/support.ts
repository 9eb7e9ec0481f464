// Browser-test support: a real server on a free port (SQLite in a temp dir, the built web app)
// and Debian's Chromium driven by playwright-core.
import fs from 'node:fs';
import { afterAll, beforeAll } from 'vitest';
import os from 'node:os';
import path from 'node:path';
import { chromium, type Browser, type Locator, type Page } from 'playwright-core';
import type { FastifyInstance } from 'fastify';
import { loadConfig } from '../src/server/config.js';
import { migrateToLatest, openDatabase, type Db } from '../src/server/db/index.js';
import { seed } from '../src/server/seed/seed.js';
import { buildApp } from '../src/server/app.js';
import type { AppCtx } from '../src/server/context.js';
import { useAuditKey } from '../src/server/audit/key.js';

export const CHROMIUM = process.env.CANBAO_CHROMIUM ?? '/usr/bin/chromium';
export const E2E_ADMIN_PASSWORD = 'Seed#2016pass';

export type E2eServer = { baseUrl: string; ctx: AppCtx; app: FastifyInstance; close(): Promise<void> };

export async function startServer(): Promise<E2eServer> {
  const webRoot = path.resolve('dist/web');
  if (!fs.existsSync(path.join(webRoot, 'index.html'))) throw new Error('dist/web is missing: run npm run build:web first');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'canbao-e2e-'));
  const config = loadConfig({ CANBAO_DATA_DIR: dir });
  useAuditKey(config);
  const handle: Db = openDatabase({ sqlitePath: config.sqlitePath });
  const ctx: AppCtx = { db: handle.db, dialect: handle.dialect, config, sqlite: handle.sqlite };
  await migrateToLatest(ctx.db);
  await seed(ctx, { adminPassword: E2E_ADMIN_PASSWORD });
  const { app } = await buildApp({ ctx, webRoot });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const addr = app.server.address();
  const port = typeof addr === 'object' && addr ? addr.port : 0;
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    ctx,
    app,
    async close() {
      await app.close();
      await handle.destroy();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * A server and a browser for the tests of one describe block: started before the first test, closed
 * after the last (call it in the describe block; read `env.server` and `env.browser` in the tests).
 */
export function serverAndBrowser(): { server: E2eServer; browser: Browser } {
  const env = {} as { server: E2eServer; browser: Browser };
  beforeAll(async () => {
    env.server = await startServer();
    env.browser = await launchBrowser();
  });
  afterAll(async () => {
    await env.browser?.close();
    await env.server?.close();
  });
  return env;
}

/**
 * Content Security Policy violations seen in any page of the browsers this file launched: the
 * console errors Chromium writes for them, and the pages' own `securitypolicyviolation` events
 * (reported through the console by an init script, which CSP does not govern). A test asserts the
 * list is empty after walking the pages.
 */
export const cspViolations: string[] = [];

function watchCsp(page: Page): void {
  page.on('console', (m) => {
    if (/Content Security Policy|securitypolicyviolation/i.test(m.text())) cspViolations.push(`${page.url()}: ${m.text()}`);
  });
}

export async function launchBrowser(): Promise<Browser> {
  const browser = await launchChromium();
  // Every context (browser.newPage makes one too) reports CSP violations of all its pages. Its pages
  // ask for reduced motion, as a user may in the system's settings: the app then turns Ant Design's
  // animations off, and a click is never sent to a dialog or a list still zooming in (on a loaded
  // machine such clicks were lost). A test that needs the animations passes reducedMotion itself.
  const newContext = browser.newContext.bind(browser);
  browser.newContext = async (options) => {
    const context = await newContext({ reducedMotion: 'reduce', ...options });
    await context.addInitScript(() => {
      document.addEventListener('securitypolicyviolation', (e) => console.error(`securitypolicyviolation: ${e.violatedDirective} blocked ${e.blockedURI || '(inline)'} in ${e.documentURI}`));
    });
    context.on('page', watchCsp);
    return context;
  };
  return browser;
}

function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--no-first-run',
      '--disable-sync',
      '--disable-quic',
    ],
  });
}

/** Fills the login form and submits it (the caller waits for what should follow). */
export async function loginInBrowser(page: Page, baseUrl: string, username: string, password: string): Promise<void> {
  await page.goto(`${baseUrl}/login`);
  await page.fill('#login-username', username);
  await page.fill('#login-password', password);
  await page.press('#login-password', 'Enter');
}

/**
 * Waits until a dialog is shown and its opening animation has ended. On a slow machine a click or a
 * keystroke sent while antd's zoom animation still runs can be lost (seen in CI: a radio that did
 * not change, a reason that was not typed). A drawer slides in on an element around its dialog, and
 * a list opened while it still moves is placed where the drawer was.
 */
export async function dialogReady(dialog: Locator): Promise<void> {
  await dialog.waitFor();
  const deadline = Date.now() + 10_000;
  while ((await dialog.evaluate((el) => (el.closest('.ant-modal-wrap, .ant-drawer') ?? el).getAnimations({ subtree: true }).length)) > 0) {
    if (Date.now() > deadline) throw new Error('the dialog is still animating after 10 s');
    await new Promise((r) => setTimeout(r, 50));
  }
}
