// How the built web app is delivered (issue 14, speed felt): bundles compressed at build time and
// sent as they are when the browser accepts it, the same bytes as the file once decompressed;
// hashed bundles cached for a year, index.html revalidated on every visit; API answers compressed;
// pages loaded on demand still open by direct URL (a bookmark, a refresh).
import http from 'node:http';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { E2E_ADMIN_PASSWORD, loginInBrowser, serverAndBrowser } from './support.js';

type Raw = { status: number; headers: http.IncomingHttpHeaders; body: Buffer };

/** A GET that keeps the body exactly as sent (no automatic decompression). */
function rawGet(url: string, headers: Record<string, string> = {}): Promise<Raw> {
  return new Promise((resolve, reject) => {
    http
      .get(url, { headers }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
        res.on('error', reject);
      })
      .on('error', reject);
  });
}

function decoded(r: Raw): Buffer {
  const enc = r.headers['content-encoding'];
  if (enc === 'br') return zlib.brotliDecompressSync(r.body);
  if (enc === 'gzip') return zlib.gunzipSync(r.body);
  return r.body;
}

describe('web app delivery', () => {
  const env = serverAndBrowser();

  it('index.html is revalidated; hashed bundles are sent precompressed and cached for a year', async () => {
    const index = await rawGet(`${env.server.baseUrl}/registrations`, { 'Accept-Encoding': 'br, gzip' });
    expect(index.status).toBe(200);
    expect(index.headers['cache-control']).toBe('no-cache');
    const html = decoded(index).toString('utf8');
    const scripts = [...html.matchAll(/src="(\/assets\/[^"]+\.js)"/g)].map((m) => m[1]!);
    expect(scripts.length).toBeGreaterThan(0);
    for (const src of scripts) {
      const onDisk = fs.readFileSync(path.join('dist/web', src));
      const br = await rawGet(`${env.server.baseUrl}${src}`, { 'Accept-Encoding': 'gzip, deflate, br' });
      expect(br.headers['content-encoding']).toBe('br');
      expect(br.headers['cache-control']).toBe('public, max-age=31536000, immutable');
      expect(br.headers.vary).toMatch(/accept-encoding/i);
      expect(br.body.length).toBeLessThan(onDisk.length / 2);
      expect(decoded(br).equals(onDisk)).toBe(true);
      const gz = await rawGet(`${env.server.baseUrl}${src}`, { 'Accept-Encoding': 'gzip' });
      expect(gz.headers['content-encoding']).toBe('gzip');
      expect(decoded(gz).equals(onDisk)).toBe(true);
      const plain = await rawGet(`${env.server.baseUrl}${src}`, { 'Accept-Encoding': 'identity' });
      expect(plain.headers['content-encoding']).toBeUndefined();
      expect(plain.body.equals(onDisk)).toBe(true);
      expect(plain.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    }
    const missing = await rawGet(`${env.server.baseUrl}/assets/nothing-12345678.js`);
    expect(missing.status).toBe(404);
  });

  it('API answers above 1 KB are compressed when accepted and say the same thing', async () => {
    await env.server.ctx.db.updateTable('app_user').set({ must_change_password: 0 }).where('username', '=', 'admin').execute();
    const login = await fetch(`${env.server.baseUrl}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json', origin: env.server.baseUrl }, body: JSON.stringify({ username: 'admin', password: E2E_ADMIN_PASSWORD }) });
    expect(login.status).toBe(200);
    const cookie = login.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
    const compressed = await rawGet(`${env.server.baseUrl}/api/orgs`, { cookie, 'Accept-Encoding': 'br, gzip' });
    const plain = await rawGet(`${env.server.baseUrl}/api/orgs`, { cookie });
    expect(compressed.status).toBe(200);
    expect(plain.body.length).toBeGreaterThan(1024);
    expect(compressed.headers['content-encoding']).toMatch(/^(br|gzip)$/);
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(compressed.body.length).toBeLessThan(plain.body.length / 3);
    expect(JSON.parse(decoded(compressed).toString('utf8'))).toEqual(JSON.parse(plain.body.toString('utf8')));
    expect(compressed.headers['cache-control']).toBe('no-store');
  });

  it('pages loaded on demand open by direct URL and on refresh', async () => {
    await env.server.ctx.db.updateTable('app_user').set({ must_change_password: 0 }).where('username', '=', 'admin').execute();
    const page = await env.browser.newPage({ viewport: { width: 1440, height: 900 } });
    await loginInBrowser(page, env.server.baseUrl, 'admin', E2E_ADMIN_PASSWORD);
    await page.waitForURL(`${env.server.baseUrl}/`);
    for (const [url, text] of [
      ['/registrations', '登记记录'],
      ['/statistics', '统计'],
      ['/audit', '审计日志'],
      ['/awards/nominations/new', '推荐'],
    ] as const) {
      await page.goto(`${env.server.baseUrl}${url}`);
      await expect.poll(() => page.getByText(text).count(), { timeout: 15_000 }).toBeGreaterThan(0);
      await page.reload();
      await expect.poll(() => page.getByText(text).count(), { timeout: 15_000 }).toBeGreaterThan(0);
      expect(await page.getByText('页面加载失败').count()).toBe(0);
      expect(await page.getByText('推荐表不存在').count()).toBe(0);
    }
    // The nomination opened without its campaign and unit: the current campaign and the admin's one
    // unit (市社保) are taken and put in the URL, and the form is there.
    await page.goto(`${env.server.baseUrl}/awards/nominations/new`);
    await page.waitForURL(/\/awards\/nominations\/new\?campaignId=\d+&orgUnitId=\d+$/);
    await expect.poll(() => page.getByText('先进事迹').count(), { timeout: 15_000 }).toBeGreaterThan(0);
    await page.close();
  });

  it('帮助: the regulation as issued, each role’s work, the import template and its rules', async () => {
    await env.server.ctx.db.updateTable('app_user').set({ must_change_password: 0 }).where('username', '=', 'admin').execute();
    const page = await env.browser.newPage({ viewport: { width: 1440, height: 900 } });
    await loginInBrowser(page, env.server.baseUrl, 'admin', E2E_ADMIN_PASSWORD);
    await page.waitForURL(`${env.server.baseUrl}/`);
    await page.goto(`${env.server.baseUrl}/help`);
    const regulation = page.getByTestId('help-regulation');
    await regulation.waitFor();
    const text = (await regulation.innerText()).replace(/\s+/g, '');
    const seed = fs.readFileSync('src/web/help/regulation.txt', 'utf8').replace(/\s+/g, '');
    expect(text).toBe(seed); // every word of the regulation, nothing added
    await page.getByRole('tab', { name: '各角色工作流程' }).click();
    await expect.poll(() => page.getByTestId('help-workflow').getByText('您的角色').count()).toBe(1);
    await page.getByRole('tab', { name: '导入模板与规则' }).click();
    const idRow = page.getByTestId('help-fields').locator('tr', { hasText: '公民身份号码' }).first();
    await idRow.waitFor();
    expect(await idRow.innerText()).toContain('必填');
    await page.screenshot({ path: 'test-results/help-import.png' });
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('help-template').click()]);
    expect(download.suggestedFilename()).toBe('全民参保登记导入模板.csv');
    const csv = fs.readFileSync(await download.path(), 'utf8');
    expect(csv.startsWith('\ufeff')).toBe(true);
    expect(csv).toContain('公民身份号码');
    await page.close();
  });
});
