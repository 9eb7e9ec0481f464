// Browser check of issue 13 item 6: when the audit log fails its verification (here: entries
// deleted from its end behind the application's back), the city admin's home page shows a red
// alert with the reason and the time of the check; the audit page shows the state and the export.
import { describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { E2E_ADMIN_PASSWORD, loginInBrowser, serverAndBrowser } from './support.js';
import { checkAudit } from '../src/server/audit/guard.js';

describe('audit log alert in the browser', () => {
  const env = serverAndBrowser();

  it('a tail deletion shows as a red alert card on the city admin’s home page and on the audit page', async () => {
    const page = await env.browser.newPage({ viewport: { width: 1400, height: 900 } });
    await loginInBrowser(page, env.server.baseUrl, 'admin', E2E_ADMIN_PASSWORD);
    await page.waitForURL('**/password');
    await page.getByLabel('原密码').fill(E2E_ADMIN_PASSWORD);
    await page.getByLabel('新密码', { exact: true }).fill('Cz#Changed2016');
    await page.getByLabel('确认新密码').fill('Cz#Changed2016');
    await page.getByLabel('确认新密码').press('Enter');
    await page.waitForURL(`${env.server.baseUrl}/`);
    await page.waitForSelector('[data-testid=districts-card]');
    expect(await page.getByTestId('audit-alert-card').count()).toBe(0);

    // a head at the current end, then the attacker removes the last entries
    expect((await checkAudit(env.server.ctx, null, { full: true, headReason: 'test' })).ok).toBe(true);
    await sql`DROP TRIGGER audit_log_no_delete`.execute(env.server.ctx.db);
    await sql`DELETE FROM audit_log WHERE id > (SELECT max(id) - 2 FROM audit_log)`.execute(env.server.ctx.db);
    expect((await checkAudit(env.server.ctx, null, { full: true })).code).toBe('tail_missing');

    await page.reload();
    await page.waitForSelector('[data-testid=audit-alert-card]');
    const text = await page.getByTestId('audit-alert-reason').textContent();
    expect(text).toMatch(/日志末尾的记录被删除/);
    expect(text).toMatch(/校验时间 \d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}/);
    await page.screenshot({ path: 'test-results/home-audit-alert.png' }).catch(() => undefined);

    await page.getByTestId('audit-alert-card').getByRole('link', { name: '查看审计日志' }).click();
    await page.waitForSelector('[data-testid=audit-status]');
    expect(await page.getByTestId('audit-status').textContent()).toMatch(/校验失败/);
    expect(await page.getByTestId('audit-export-json').getAttribute('href')).toMatch(/^\/api\/audit\/export\?format=json&from=\d{4}-\d{2}-\d{2}&to=/);
    await page.close();
  });
});
