// Browser test of the login page under issue 13: a source that keeps failing sees the 429 message
// (with the waiting time) before the account's lock; a locked city admin who enrolled TOTP is
// offered the code field and gets in with password + code. Shipped throttle defaults (startServer).
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { loginInBrowser, serverAndBrowser } from './support.js';
import { makeUser } from '../src/server/testing/harness.js';
import { generateTotpSecret, hotp, totpStep } from '../src/server/auth/totp.js';

describe('login page: throttling and TOTP unlock', () => {
  const env = serverAndBrowser();

  const alert = (page: Page) => page.getByRole('alert');

  it('after a few wrong passwords from this computer the page shows the 429 message; the account itself is not locked', async () => {
    const u = await makeUser(env.server.ctx, { username: 'thr_clerk', role: 'clerk', orgCode: '320411' });
    const page = await env.browser.newPage();
    for (let i = 0; i < env.server.ctx.config.authThrottle.perAccount; i++) {
      await loginInBrowser(page, env.server.baseUrl, u.username, 'Wrong#pass99');
      await expect.poll(() => alert(page).textContent()).toContain('用户名或密码错误');
    }
    await loginInBrowser(page, env.server.baseUrl, u.username, u.password);
    await expect.poll(() => alert(page).textContent()).toMatch(/尝试次数过多，请 \d+ 分钟后再试/);
    expect(page.url()).toContain('/login');
    const row = await env.server.ctx.db.selectFrom('login_throttle').selectAll().where('username', '=', u.username).executeTakeFirst();
    expect(row?.locked_until ?? null).toBeNull();
    await page.close();
  });

  it('a locked city admin with TOTP sees the code field and unlocks with password + code', async () => {
    const u = await makeUser(env.server.ctx, { username: 'thr_city', role: 'city_admin', orgCode: '320400-SSB' });
    const secret = generateTotpSecret();
    await env.server.ctx.db.updateTable('app_user').set({ totp_secret: secret }).where('id', '=', u.id).execute();
    // Locked by someone else's five wrong passwords (from other places).
    const lockedUntil = new Date(Date.now() + 30 * 60_000).toISOString();
    await env.server.ctx.db.insertInto('login_throttle').values({ username: u.username, failures: 0, locked_until: lockedUntil, updated_at: new Date().toISOString() }).execute();
    const page = await env.browser.newPage();
    await loginInBrowser(page, env.server.baseUrl, u.username, u.password);
    await expect.poll(() => alert(page).textContent()).toContain('登录失败次数过多');
    const field = page.locator('#login-totp');
    await field.waitFor();
    expect(await page.getByText('动态验证码（解锁）').count()).toBe(1);
    await page.fill('#login-password', u.password);
    await field.fill(hotp(secret, totpStep(new Date())));
    await page.press('#login-totp', 'Enter');
    await page.waitForSelector('[data-testid=user-menu]');
    const audit = await env.server.ctx.db.selectFrom('audit_log').select(['event', 'success']).where('event', '=', 'auth.unlock').where('user_id', '=', u.id).execute();
    expect(audit.map((a) => [a.event, Number(a.success)])).toEqual([['auth.unlock', 1]]);
    await page.close();
  });
});
