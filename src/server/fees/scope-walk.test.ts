// Route by route (issue 6 item 11): with 新北区's money and nominations in place — a frozen count,
// an approved sheet, a site fund, a payment with its voucher, an allocation, nominations with an
// attachment — every fee and award route answers 天宁区's users 403 or 404 (an object of another
// district answers like a missing one), a collection never shows 新北区, and nothing changes.
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RouteInfo } from '../app.js';
import { createTestEnv, newUserClient, orgId, testEngine, type Client, type TestEnv } from '../testing/harness.js';
import { multipart } from '../testing/multipart.js';
import { fakeIdNumber, makeRegistration } from '../testing/registration-factory.js';
import { makeFinalAssessment } from '../testing/fees-fixtures.js';

const PNG = Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082', 'hex');
const PREFIXES = ['/api/campaigns/:campaignId/money', '/api/campaigns/:campaignId/fees', '/api/campaigns/:campaignId/count-snapshots', '/api/campaigns/:campaignId/nominations', '/api/campaigns/:campaignId/commendation-list', '/api/campaigns/:campaignId/special-fund', '/api/fee-sheets', '/api/payments', '/api/site-funds', '/api/nominations', '/api/nomination-attachments'];

describe(`fees and awards: another district's users, route by route (${testEngine()})`, () => {
  let env: TestEnv;
  let others: Record<string, Client>;
  let ids: { campaign: number; xb: number; sheet: number; payment: number; siteFund: number; nomination: number; attachment: number };

  beforeAll(async () => {
    env = await createTestEnv();
    const city = (await newUserClient(env, 'sw_city', 'city_admin', '320400-SSB')).alwaysReauth();
    const assessor = (await newUserClient(env, 'sw_assessor', 'city_assessor', '320400-SSB')).alwaysReauth();
    const xbAdmin = (await newUserClient(env, 'sw_xb', 'district_admin', '320411')).alwaysReauth();
    others = {
      district_admin: await newUserClient(env, 'sw_tn_admin', 'district_admin', '320402'),
      clerk: await newUserClient(env, 'sw_tn_clerk', 'clerk', '320402001'),
      viewer: await newUserClient(env, 'sw_tn_viewer', 'viewer', '320402'),
    };
    for (const c of Object.values(others)) await c.reauth();
    await city.reauth();
    const c = await env.ctx.db.selectFrom('campaign').select('id').where('code', '=', '2016').executeTakeFirstOrThrow();
    const campaign = Number(c.id);
    await env.ctx.db.updateTable('campaign').set({ nomination_deadline: '2099-06-10' }).where('id', '=', campaign).execute();
    const xb = await orgId(env.ctx, '320411');
    for (let i = 0; i < 3; i++) await makeRegistration(env.ctx, { orgCode: '320411002001', idNumber: fakeIdNumber('320411', '19720101', 500 + i), enteredAt: '2016-06-01T02:00:00.000Z' });
    const money = `/api/campaigns/${campaign}/money/${xb}`;
    const ok = <T extends { statusCode: number; body: string }>(r: T): T => {
      if (r.statusCode !== 200) throw new Error(r.body);
      return r;
    };
    ok(await city.request('POST', `/api/campaigns/${campaign}/count-snapshots/${xb}`, {}));
    await makeFinalAssessment(env.ctx, campaign, xb, 930);
    const siteFund = ok(await city.request('POST', `${money}/site-funds`, { orgUnitId: await orgId(env.ctx, '320411002'), amountFen: 10_000, reason: '示范点' })).json().siteFunds[0].id;
    const s = ok(await assessor.request('POST', `${money}/compute`)).json();
    const checked = ok(await city.request('POST', `/api/fee-sheets/${s.id}/check`, { version: s.version })).json();
    ok(await city.request('POST', `/api/fee-sheets/${s.id}/approve`, { version: checked.version, acknowledgeOverFund: true }));
    const payment = ok(await city.request('POST', `${money}/payments`, { paidOn: '2016-07-01', amountFen: 5_000, voucherNo: 'PZ-1', note: '' })).json().payments[0].id;
    const up = multipart(PNG, '凭证.png', {});
    ok(await env.app.inject({ method: 'POST', url: `/api/payments/${payment}/attachment`, headers: { cookie: city.cookie, ...up.headers }, payload: up.payload }));
    ok(await xbAdmin.request('PUT', `${money}/allocation`, { version: 0, purposes: [{ purpose: 'survey', amountFen: 5_000, note: '' }], units: [] }));
    const n = ok(await xbAdmin.request('POST', `/api/campaigns/${campaign}/nominations`, { orgUnitId: xb, name: '张三', phone: '13912345678', workUnit: '新北区', position: '科员', deeds: '事迹', unitOpinion: '同意' })).json();
    const up2 = multipart(PNG, '事迹.png', {});
    const attachment = ok(await env.app.inject({ method: 'POST', url: `/api/nominations/${n.id}/attachments`, headers: { cookie: xbAdmin.cookie, ...up2.headers }, payload: up2.payload })).json().attachments[0].id;
    ids = { campaign, xb, sheet: s.id, payment, siteFund, nomination: n.id, attachment };
  });
  afterAll(async () => env?.close());

  function urlOf(r: RouteInfo): string {
    const id = r.url.startsWith('/api/fee-sheets') ? ids.sheet : r.url.startsWith('/api/payments') ? ids.payment : r.url.startsWith('/api/site-funds') ? ids.siteFund : r.url.startsWith('/api/nomination-attachments') ? ids.attachment : ids.nomination;
    const url = r.url.replace(':campaignId', String(ids.campaign)).replace(':orgUnitId', String(ids.xb)).replace(':id', String(id));
    return url.endsWith('/linkable-users') ? `${url}?orgUnitId=${ids.xb}` : url;
  }
  function bodyOf(r: RouteInfo): object | undefined {
    if (r.method === 'GET' || r.method === 'DELETE') return undefined;
    const bodies: Record<string, object> = {
      'POST /api/campaigns/:campaignId/nominations': { orgUnitId: ids.xb, name: '冒名', phone: '13912345678', workUnit: 'x', position: 'x', deeds: 'x', unitOpinion: '' },
      'PUT /api/nominations/:id': { name: '改名', phone: '13912345678', workUnit: 'x', position: 'x', deeds: 'x', unitOpinion: '', version: 0 },
      'POST /api/nominations/:id/submit': { version: 0 },
      'PUT /api/campaigns/:campaignId/money/:orgUnitId/allocation': { version: 1, purposes: [], units: [] },
      'POST /api/campaigns/:campaignId/money/:orgUnitId/payments': { paidOn: '2016-07-02', amountFen: 1, voucherNo: 'X', note: '' },
      'POST /api/campaigns/:campaignId/money/:orgUnitId/site-funds': { orgUnitId: ids.xb, amountFen: 1, reason: '冒领' },
      'POST /api/campaigns/:campaignId/count-snapshots/:orgUnitId': { reason: '冒名重新冻结' },
      'PUT /api/campaigns/:campaignId/special-fund': { amountFen: 1 },
    };
    return bodies[`${r.method} ${r.url}`] ?? {};
  }
  async function state() {
    const db = env.ctx.db;
    const all = async (t: 'fee_sheet' | 'payment' | 'site_fund' | 'allocation' | 'allocation_line' | 'nomination' | 'nomination_attachment' | 'count_snapshot' | 'campaign' | 'printed_document') => db.selectFrom(t).selectAll().orderBy('id').execute();
    return Promise.all(['fee_sheet', 'payment', 'site_fund', 'allocation', 'allocation_line', 'nomination', 'nomination_attachment', 'count_snapshot', 'campaign', 'printed_document'].map((t) => all(t as 'payment')));
  }

  it('every route: 403 or 404 for an object of 新北区, no 新北区 in a collection, nothing changed', async () => {
    const routes = env.routes.filter((r) => PREFIXES.some((p) => r.url.startsWith(p)));
    expect(routes.length).toBeGreaterThan(30);
    const before = await state();
    const seen: string[] = [];
    for (const r of routes) {
      const ofXinbei = r.url.includes(':orgUnitId') || r.url.includes(':id');
      for (const [role, client] of Object.entries(others)) {
        const up = r.url.endsWith('/attachment') || r.url.endsWith('/attachments');
        const res =
          up && r.method === 'POST'
            ? await env.app.inject({ method: 'POST', url: urlOf(r), headers: { cookie: client.cookie, ...multipart(PNG, 'x.png', {}).headers }, payload: multipart(PNG, 'x.png', {}).payload })
            : await client.request(r.method, urlOf(r), bodyOf(r));
        const label = `${role} ${r.method} ${r.url}: ${res.statusCode} ${res.body.slice(0, 160)}`;
        if (ofXinbei) {
          expect([403, 404], label).toContain(res.statusCode);
        } else if (res.statusCode === 200) {
          // a collection in scope: nothing of 新北区 in it, also in the files
          let text = res.body;
          if (r.url.endsWith('.xlsx')) {
            const wb = new ExcelJS.Workbook();
            await wb.xlsx.load(res.rawPayload as unknown as ExcelJS.Buffer);
            text = JSON.stringify(wb.worksheets.map((w) => w.getSheetValues()));
          }
          expect(text, label).not.toContain('新北区');
          expect(text, label).not.toContain('张三');
        } else {
          expect([400, 403, 404], label).toContain(res.statusCode);
        }
        seen.push(`${r.method} ${r.url}`);
      }
    }
    expect(await state()).toEqual(before);
    expect(new Set(seen).size).toBe(routes.length);
  });
});
