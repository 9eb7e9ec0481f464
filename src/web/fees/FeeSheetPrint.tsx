// 考核费用核算表 as printed (A4 portrait), outside the app's layout: every number that led to the amount
// (seed 四（一）（二）, SPEC §3 "A printable calculation sheet per district"), the signatures of who
// computed, checked and approved it, and the document number with the QR code of its public
// verification page (opening the view registers the printed document). A sheet not approved carries
// a 草稿 mark; a superseded one says so.
import { PrinterOutlined } from '@ant-design/icons';
import { Alert, Button, Result, Space, Spin } from 'antd';
import { useEffect, useState } from 'react';
import { Link, useParams } from 'react-router-dom';
import type { FeeSheet } from '../../shared/api-fees';
import type { PrintedDocument } from '../../shared/api-documents';
import { api, ApiError, errorMessage } from '../api/client';
import { formatScore, formatTime, todayShanghai } from '../common/format';
import { districtPagePath, fenText, yuan } from './labels';
import './fee-print.css';

export const FEE_SHEET_TITLE = '常州市市本级全民参保登记工作考核费用核算表';

function dateOf(iso: string | null): string {
  return iso ? formatTime(iso).slice(0, 10) : '';
}

/** A blank line for the handwritten signature, the name of who did it in the system printed under it. */
function Signature({ role, name, at }: { role: string; name: string | null; at: string | null }) {
  return (
    <div className="sig">
      <span>{role}（签字）：</span>
      <span className="sig-box">
        <span className="sig-line" />
        <span className="sig-name" data-testid={`print-sig-${role}`}>
          {name ?? ''}
        </span>
      </span>
      <span className="sig-date">日期：</span>
      <span className="sig-line sig-line-date">{dateOf(at)}</span>
    </div>
  );
}

export function FeeSheetSheet({ s, doc }: { s: FeeSheet; doc: PrintedDocument | null }) {
  // The streets the count is made of (a street with no record adds nothing to the sheet).
  const streets = s.units.filter((u) => u.level === 'street' && u.entered > 0);
  const draft = s.status !== 'approved';
  const mark = s.status === 'superseded' ? '已作废' : draft ? '草稿 · 未审批' : null;
  return (
    <div className="fee-print-sheet" data-testid="fee-print">
      {mark && (
        <div className="fee-print-watermark" aria-hidden>
          {mark}
        </div>
      )}
      <h1>{FEE_SHEET_TITLE}</h1>
      <div className="fee-print-meta">
        <span>
          单位（章）：<strong>{s.districtName}</strong>
        </span>
        <span>{s.campaignName}</span>
        <span>
          文书编号：<strong data-testid="print-doc-number">{doc?.docNumber ?? s.docNumber}</strong>
        </span>
      </div>
      <table className="fee-print-table">
        <colgroup>
          <col style={{ width: '12mm' }} />
          <col style={{ width: '52mm' }} />
          <col />
          <col style={{ width: '38mm' }} />
        </colgroup>
        <thead>
          <tr>
            <th>序号</th>
            <th>项 目</th>
            <th>计 算 依 据</th>
            <th>金额（元）/ 数值</th>
          </tr>
        </thead>
        <tbody>
          <tr>
            <td className="c">1</td>
            <td>
              实际录入人数
              <br />
              <span className="small">（有效数据，截至 {s.cutoff}）</span>
            </td>
            <td>
              截至 {s.cutoff} 冻结的有效数据
              {streets.length > 0 && (
                <table className="fee-print-breakdown" data-testid="print-breakdown">
                  <tbody>
                    {pairs(streets).map(([a, b]) => (
                      <tr key={a.orgUnitId}>
                        <td>{a.orgUnitName}</td>
                        <td className="n">{a.validCount} 人</td>
                        <td>{b?.orgUnitName ?? ''}</td>
                        <td className="n">{b ? `${b.validCount} 人` : ''}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              )}
            </td>
            <td className="n">
              <strong>{s.validCount.toLocaleString('zh-CN')} 人</strong>
            </td>
          </tr>
          <tr>
            <td className="c">2</td>
            <td>考核总分</td>
            <td>考核评估确定的最终考核分</td>
            <td className="n">{formatScore(s.assessedTotal)} 分</td>
          </tr>
          <tr>
            <td className="c">3</td>
            <td>档次及发放比例</td>
            <td>{s.tierLabel}</td>
            <td className="n">{s.tierPercent}%</td>
          </tr>
          <tr>
            <td className="c">4</td>
            <td>入户调查基准费用</td>
            <td>元/人（考核批次规定）</td>
            <td className="n">{fenText(s.baseRateFen)}</td>
          </tr>
          <tr>
            <td className="c">5</td>
            <td>计发基数</td>
            <td>
              实际录入人数 × 入户调查基准费用 = {s.validCount} × {fenText(s.baseRateFen)}
            </td>
            <td className="n">{fenText(s.feeBaseFen)}</td>
          </tr>
          <tr>
            <td className="c">6</td>
            <td>考核费用</td>
            <td>
              计发基数 × 发放比例 = {fenText(s.feeBaseFen)} × {s.tierPercent}%
            </td>
            <td className="n" data-testid="print-fee">
              {fenText(s.feeFen)}
            </td>
          </tr>
          <tr>
            <td className="c">7</td>
            <td>示范点工作经费</td>
            <td>
              {s.siteFunds.length === 0
                ? '无'
                : s.siteFunds.map((f) => (
                    <div key={f.id}>
                      {f.orgUnitName}：{fenText(f.amountFen)} 元<span className="small">（{f.reason}）</span>
                    </div>
                  ))}
            </td>
            <td className="n">{fenText(s.siteFundsFen)}</td>
          </tr>
          <tr className="fee-print-total">
            <td className="c">8</td>
            <td>合计</td>
            <td>考核费用 + 示范点工作经费</td>
            <td className="n" data-testid="print-total">
              {fenText(s.totalFen)}
            </td>
          </tr>
          <tr className="fee-print-total">
            <td className="c">9</td>
            <td>合计（人民币大写）</td>
            <td colSpan={2} data-testid="print-capital">
              {s.totalCapital}
            </td>
          </tr>
        </tbody>
      </table>
      <div className="fee-print-signatures">
        <Signature role="核算人" name={s.computedBy} at={s.computedAt} />
        <Signature role="复核人" name={s.checkedBy} at={s.checkedAt} />
        <Signature role="审批人" name={s.approvedBy} at={s.approvedAt} />
      </div>
      <div className="fee-print-foot">
        <div className="fee-print-note">
          {s.status === 'superseded' ? (
            <p className="warn" data-testid="print-state">
              本表已于 {dateOf(s.supersededAt)} 作废{s.supersedeReason ? `（${s.supersedeReason}）` : ''}，不得作为拨付依据。
            </p>
          ) : draft ? (
            <p className="warn" data-testid="print-state">
              本表尚未审批（当前：{s.status === 'computed' ? '已核算，待复核' : '已复核，待审批'}），仅供核对，不作为拨付依据。
            </p>
          ) : (
            <p data-testid="print-state">本表已审批，金额锁定，作为考核费用拨付依据。</p>
          )}
          <p>
            依据：《常州市市本级全民参保登记工作考核办法》四、考核费用。计发基数 = 各区实际录入人数 × 入户调查基准费用；考核总分 90 分以上按 100%、80 分以上不满 90 分按 90%、不满 80 分按 80% 发放。
          </p>
          <p>
            核验地址：<span className="url" data-testid="print-verify-url">{doc?.verifyUrl ?? ''}</span>
          </p>
          <p>打印日期：{todayShanghai()}</p>
        </div>
        <div className="fee-print-qr">
          {doc ? <div className="qr" data-testid="print-qr" dangerouslySetInnerHTML={{ __html: doc.qrSvg }} /> : <div className="qr qr-missing">二维码未生成</div>}
          <div>扫码核验</div>
          <div className="small">{doc?.docNumber ?? s.docNumber}</div>
        </div>
      </div>
    </div>
  );
}

/** Streets two per row, so that the breakdown stays short on paper. */
function pairs<T>(items: readonly T[]): Array<[T, T | undefined]> {
  const out: Array<[T, T | undefined]> = [];
  for (let i = 0; i < items.length; i += 2) out.push([items[i]!, items[i + 1]]);
  return out;
}

export function FeeSheetPrintPage() {
  const params = useParams();
  const id = Number(params.id);
  const [sheet, setSheet] = useState<FeeSheet | null>(null);
  const [doc, setDoc] = useState<PrintedDocument | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [docError, setDocError] = useState<string | null>(null);
  useEffect(() => {
    if (!Number.isInteger(id) || id <= 0) return;
    let alive = true;
    api
      .get<FeeSheet>(`/api/fee-sheets/${id}`)
      .then((s) => {
        if (!alive) return;
        setSheet(s);
        document.title = `${FEE_SHEET_TITLE} · ${s.districtName}`;
        return api.post<PrintedDocument>(`/api/fee-sheets/${id}/document`).then(
          (d) => alive && setDoc(d),
          (err: unknown) => alive && setDocError(errorMessage(err)),
        );
      })
      .catch((err: unknown) => {
        if (alive) setError(err);
      });
    return () => {
      alive = false;
    };
  }, [id]);

  if (!Number.isInteger(id) || id <= 0 || (error instanceof ApiError && error.status === 404)) {
    return <Result status="404" title="404" subTitle="核算表不存在，或您无权查看。" data-testid="fee-print-not-found" extra={<Link to="/fees">返回考核费用</Link>} />;
  }
  if (error) return <Result status="error" title="加载失败" subTitle={errorMessage(error)} />;
  if (!sheet) {
    return (
      <div style={{ display: 'flex', justifyContent: 'center', padding: 80 }}>
        <Spin size="large" />
      </div>
    );
  }
  return (
    <div className="fee-print-page">
      <div className="fee-print-toolbar no-print">
        <Space wrap>
          <Button type="primary" icon={<PrinterOutlined />} onClick={() => window.print()} data-testid="print-button" disabled={!doc}>
            打印
          </Button>
          <Link to={districtPagePath(sheet.campaignId, sheet.districtId)}>返回 {sheet.districtName} 考核费用</Link>
          <span className="hint">请使用 A4 纸纵向打印；核算表合计 {yuan(sheet.totalFen)}。</span>
        </Space>
        {docError && <Alert type="error" showIcon title={`文书编号和二维码未能生成：${docError}`} style={{ marginTop: 8 }} />}
      </div>
      <FeeSheetSheet s={sheet} doc={doc} />
    </div>
  );
}
