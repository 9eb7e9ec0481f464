// The audit log reads like a ledger (issue 14): every action in Chinese, the person beside the user
// name, objects by name, the action chosen from a list.
import { describe, expect, it } from 'vitest';
import { E2E_ADMIN_PASSWORD, loginInBrowser, serverAndBrowser } from './support.js';
import { makeUser } from '../src/server/testing/harness.js';
import { AUDIT_EVENT_LABELS } from '../src/shared/audit-events.js';

describe('audit ledger in the browser', () => {
  const env = serverAndBrowser();

  it('shows actions in Chinese, people and objects by name, and filters by an action picked from the list', async () => {
    await env.server.ctx.db.updateTable('app_user').set({ must_change_password: 0 }).where('username', '=', 'admin').execute();
    const clerk = await makeUser(env.server.ctx, { username: 'ledger_clerk', role: 'clerk', orgCode: '320411', displayName: '李小红' });
    const page = await env.browser.newPage({ viewport: { width: 1440, height: 900 } });
    await loginInBrowser(page, env.server.baseUrl, clerk.username, 'Wrong#pass2016'); // a failed login of the clerk
    await loginInBrowser(page, env.server.baseUrl, 'admin', E2E_ADMIN_PASSWORD);
    await page.waitForURL(`${env.server.baseUrl}/`);
    await page.goto(`${env.server.baseUrl}/audit`);
    const table = page.locator('.ant-table');
    await expect.poll(() => table.locator('tbody tr.ant-table-row').count()).toBeGreaterThan(1);
    const events = await table.locator('tbody tr.ant-table-row td:nth-child(5)').allInnerTexts();
    // No raw event code is shown: each is one of the Chinese names.
    for (const e of events) expect(Object.values(AUDIT_EVENT_LABELS), e).toContain(e.trim());
    expect(events.map((e) => e.trim())).toContain('登录');
    const admin = await env.server.ctx.db.selectFrom('app_user').select('display_name').where('username', '=', 'admin').executeTakeFirstOrThrow();
    expect(await table.getByText(`${admin.display_name}（admin）`).count()).toBeGreaterThan(0);
    // The clerk's failed login shows under the clerk's name.
    expect(await table.getByText('李小红（ledger_clerk）').count()).toBeGreaterThan(0);
    // Pick 登录 from the list: only logins remain.
    await page.getByTestId('audit-event-select').click();
    await page.keyboard.type('登录');
    await page.locator('.ant-select-item-option', { hasText: /^登录$/ }).click();
    await page.getByRole('button', { name: '查询' }).click();
    await page.screenshot({ path: 'test-results/audit-ledger.png' });
    await expect.poll(async () => [...new Set((await table.locator('tbody tr.ant-table-row td:nth-child(5)').allInnerTexts()).map((t) => t.trim()))]).toEqual(['登录']);
    await page.close();
  });
});
