// The analysis report (issue 7 item 6): the generated .docx holds the district's right figures,
// tables and chart images and nothing of another district; the city's version compares the
// districts; the district uploads its final version and submits it (time and hash recorded).
import JSZip from 'jszip';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestEnv, newUserClient, orgId, testEngine, type Client, type TestEnv } from '../testing/harness.js';
import { multipart } from '../testing/multipart.js';
import { fakeIdNumber, makeRegistration } from '../testing/registration-factory.js';
import type { AnalysisReport } from '../../shared/api-statistics.js';
import { expectStoredFileHeaders } from '../testing/stored-file.js';

describe(`analysis report (${testEngine()})`, () => {
  let env: TestEnv;
  let xbAdmin: Client;
  let tnAdmin: Client;
  let city: Client;
  let campaignId: number;
  let xb: number;
  let draft: Buffer;

  beforeAll(async () => {
    env = await createTestEnv();
    xbAdmin = await newUserClient(env, 'rp_xb', 'district_admin', '320411');
    tnAdmin = await newUserClient(env, 'rp_tn', 'district_admin', '320402');
    city = await newUserClient(env, 'rp_city', 'city_admin', '320400-SSB');
    campaignId = Number((await env.ctx.db.selectFrom('campaign').select('id').where('code', '=', '2016').executeTakeFirstOrThrow()).id);
    xb = await orgId(env.ctx, '320411');
    // 新北区: 7 records (5 valid: 3 insured, 2 uninsured for 无参保意愿; 2 invalid phones); 天宁区: 2
    for (let i = 0; i < 7; i++)
      await makeRegistration(env.ctx, {
        orgCode: i < 4 ? '320411002001' : '320411003001',
        idNumber: fakeIdNumber('320411', '19600101', 700 + i),
        valid: i < 5,
        errors: i < 5 ? undefined : [{ field: 'phone', code: 'X', message: 'x' }],
        columns: { ins_110_status: i < 3 ? '1' : '0', uninsured_reason: i === 3 || i === 4 ? '07' : null, willingness: i === 3 ? '1' : i === 4 ? '2' : null },
      });
    for (let i = 0; i < 2; i++) await makeRegistration(env.ctx, { orgCode: '320402001001', idNumber: fakeIdNumber('320402', '19600101', 750 + i) });
  });
  afterAll(async () => env?.close());

  const docText = async (buf: Buffer) => {
    const zip = await JSZip.loadAsync(buf);
    const xml = await zip.file('word/document.xml')!.async('string');
    return { text: xml.replace(/<[^>]+>/g, ''), media: Object.keys(zip.files).filter((f) => f.startsWith('word/media/') && f.endsWith('.png')) };
  };

  it('the district draft: its figures, its streets, chart images, nothing of 天宁区; generation logged', async () => {
    const res = await xbAdmin.request('GET', '/api/statistics/report.docx');
    expect(res.statusCode, res.body.slice(0, 200)).toBe(200);
    draft = res.rawPayload;
    const { text, media } = await docText(draft);
    expect(text).toContain('新北区全民参保登记工作分析报告');
    expect(text).toContain('共登记 7 人，其中有效记录 5 人，有效率 71.4%；无效记录 2 人');
    expect(text).toContain('计入有效数据 5 人');
    expect(text).toContain('企业职工基本养老保险正常参保 3 人（60.0%）');
    expect(text).toContain('无参保意愿 2 人（100.0%）');
    expect(text).toContain('联系电话（2 条）');
    expect(text).toContain('三井街道');
    expect(text).not.toContain('天宁区');
    expect(media.length).toBeGreaterThanOrEqual(3);
    expect(await env.ctx.db.selectFrom('audit_log').select('event').where('event', '=', 'statistics.report.generate').execute()).toHaveLength(1);
  });

  it('the city-wide version compares the districts', async () => {
    const res = await city.request('GET', '/api/statistics/report.docx');
    expect(res.statusCode).toBe(200);
    const { text } = await docText(res.rawPayload);
    expect(text).toContain('共登记 9 人');
    expect(text).toContain('新北区');
    expect(text).toContain('天宁区');
    expect(text).toContain('六、各区比较');
  });

  it('upload the final version, submit it (time and hash recorded); refused for others and after submission', async () => {
    const up = (client: Client, body: Buffer, name: string, unit = xb) => {
      const m = multipart(body, name, {});
      return env.app.inject({ method: 'POST', url: `/api/campaigns/${campaignId}/analysis-reports/${unit}/file`, headers: { cookie: client.cookie, ...m.headers }, payload: m.payload });
    };
    expect((await up(tnAdmin, draft, '报告.docx')).statusCode).toBe(404);
    expect((await up(city, draft, '报告.docx')).statusCode).toBe(403);
    expect((await up(xbAdmin, Buffer.from('not a document'), '报告.docx')).statusCode).toBe(400);
    const ok = await up(xbAdmin, draft, '新北区分析报告（定稿）.docx');
    expect(ok.statusCode, ok.body).toBe(200);
    const r = ok.json() as AnalysisReport;
    expect(r).toMatchObject({ status: 'uploaded', fileName: '新北区分析报告（定稿）.docx', version: 1 });
    const sub = await xbAdmin.request('POST', `/api/campaigns/${campaignId}/analysis-reports/${xb}/submit`, { version: r.version });
    expect(sub.statusCode, sub.body).toBe(200);
    expect(sub.json()).toMatchObject({ status: 'submitted', submittedAt: expect.any(String), sha256: r.sha256 });
    expect((await up(xbAdmin, draft, 'again.docx')).statusCode).toBe(400);
    const list = (await city.request('GET', `/api/campaigns/${campaignId}/analysis-reports`)).json().items as AnalysisReport[];
    expect(list.find((x) => x.orgUnitId === xb)).toMatchObject({ status: 'submitted', sha256: r.sha256 });
    expect((await tnAdmin.request('GET', `/api/campaigns/${campaignId}/analysis-reports`)).json().items.map((x: AnalysisReport) => x.orgUnitName)).toEqual(['天宁区']);
    expect((await tnAdmin.request('GET', `/api/analysis-reports/${r.id}/file`)).statusCode).toBe(404);
    const file = await city.request('GET', `/api/analysis-reports/${r.id}/file`);
    expect(file.statusCode).toBe(200);
    expect(file.rawPayload.equals(draft)).toBe(true);
    expectStoredFileHeaders(file, { disposition: 'attachment', name: '新北区分析报告（定稿）.docx', fallback: `report-${r.id}.docx`, mime: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document' });
    // the assessment shows it beside the 汇总分析 items
    const ev = (await xbAdmin.request('GET', `/api/campaigns/${campaignId}/assessments/${xb}/system-evidence`)).json();
    expect(ev).toMatchObject({ statisticsExports: 1, report: { status: 'submitted', sha256: r.sha256, submittedAt: expect.any(String) } });
  });
});
