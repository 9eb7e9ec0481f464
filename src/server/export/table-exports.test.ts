// The .xlsx exports users expect beside their tables (issue 14): 用户管理, 组织机构, 工作量统计 —
// each limited to the caller's scope like the page, text cells neutralised, read back cell by cell.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import ExcelJS from 'exceljs';
import { adminClient, createTestEnv, makeUser, newUserClient, orgId, testEngine, type Client, type TestEnv } from '../testing/harness.js';

async function sheets(res: { statusCode: number; rawPayload: Buffer; headers: Record<string, unknown> }) {
  expect(res.statusCode).toBe(200);
  expect(String(res.headers['content-type'])).toContain('spreadsheetml');
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
  return wb.worksheets.map((ws) => {
    const rows: Array<Array<string | number | null>> = [];
    ws.eachRow((row) => rows.push((row.values as Array<string | number | null>).slice(1)));
    return { name: ws.name, rows };
  });
}

describe(`table exports (${testEngine()})`, () => {
  let env: TestEnv;
  let admin: Client;
  let xinbeiAdmin: Client;
  let clerk: Client;

  beforeAll(async () => {
    env = await createTestEnv();
    admin = await adminClient(env.app);
    xinbeiAdmin = await newUserClient(env, 'export_xb_admin', 'district_admin', '320411');
    clerk = await newUserClient(env, 'export_xb_clerk', 'clerk', '320411');
    await makeUser(env.ctx, { username: 'export_tn_clerk', role: 'clerk', orgCode: '320402', displayName: '天宁录入员' });
    await makeUser(env.ctx, { username: 'export_formula', role: 'clerk', orgCode: '320411', displayName: '=1+1', phone: '13912345678' });
  });
  afterAll(async () => env?.close());

  it('用户管理: a district admin gets their district’s users only, phones masked, formulas neutralised; a clerk is refused', async () => {
    const [users] = await sheets(await xinbeiAdmin.request('GET', '/api/users.xlsx'));
    expect(users!.rows[0]).toEqual(['用户名', '姓名', '角色', '所属单位', '联系电话', '状态', '最近登录', '创建时间']);
    const names = users!.rows.slice(1).map((r) => r[0]);
    expect(names).toContain('export_xb_clerk');
    expect(names).not.toContain('export_tn_clerk');
    const formula = users!.rows.find((r) => r[0] === 'export_formula')!;
    expect(formula[1]).toBe("'=1+1");
    expect(formula[2]).toBe('录入员');
    expect(formula[4]).toBe('139****5678');
    for (const r of users!.rows.slice(1)) expect(String(r[3])).not.toContain('天宁');
    expect((await clerk.request('GET', '/api/users.xlsx')).statusCode).toBe(403);
    // The city sees both districts.
    const [all] = await sheets(await admin.request('GET', '/api/users.xlsx'));
    expect(all!.rows.map((r) => r[0])).toEqual(expect.arrayContaining(['export_xb_clerk', 'export_tn_clerk']));
  });

  it('组织机构: the caller’s subtree with level, parent and full name', async () => {
    const [orgs] = await sheets(await clerk.request('GET', '/api/orgs.xlsx'));
    expect(orgs!.rows[0]).toEqual(['代码', '名称', '层级', '上级单位', '上级代码', '全称']);
    const body = orgs!.rows.slice(1);
    const inDistrict = await env.ctx.db.selectFrom('org_unit').select('code').where('code', 'like', '320411%').execute();
    expect(body.map((r) => r[0]).sort()).toEqual(inDistrict.map((u) => u.code).sort());
    for (const r of body) expect(String(r[5]).startsWith('新北区')).toBe(true);
    const community = body.find((r) => r[2] === '社区/村')!;
    expect(String(community[5]).split(' / ')).toHaveLength(3);
    const [cityOrgs] = await sheets(await admin.request('GET', '/api/orgs.xlsx'));
    expect(cityOrgs!.rows.some((r) => r[1] === '天宁区')).toBe(true);
  });

  it('工作量统计: two sheets for the caller’s unit; another district’s unit is not found', async () => {
    const xinbei = await orgId(env.ctx, '320411');
    const tianning = await orgId(env.ctx, '320402');
    const book = await sheets(await xinbeiAdmin.request('GET', `/api/statistics/work.xlsx?orgUnitId=${xinbei}`));
    expect(book.map((s) => s.name)).toEqual(['录入人员', '采集人']);
    expect(book[0]!.rows[0]!.slice(0, 7)).toEqual(['姓名', '角色', '所属单位', '录入条数', '手机采集', '有效条数', '有效率']);
    expect((await xinbeiAdmin.request('GET', `/api/statistics/work.xlsx?orgUnitId=${tianning}`)).statusCode).toBe(404);
  });
});
