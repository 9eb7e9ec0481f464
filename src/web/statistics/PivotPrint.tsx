// The pivot as printed (A4 landscape): a plain table with the merged header of the .xlsx — 单位 and
// 合计 over two header rows, the dimension over its values. Hidden on screen; statistics.css shows
// only this sheet on paper.
import type { Pivot } from '../../shared/api-statistics';
import { STAT_MEASURE_LABELS } from '../../shared/api-statistics';
import { todayShanghai } from '../common/format';
import { formatCount, formatShare } from './labels';

export function PivotPrint({ pivot: p, percent }: { pivot: Pivot; percent: boolean }) {
  const isError = p.dim === 'error';
  const single = p.rows.length === 1 && p.rows[0]?.orgUnitId === p.unit.orgUnitId;
  const cell = (n: number, whole: number) => (
    <>
      {formatCount(n)}
      {percent && whole > 0 && n > 0 && <span className="share">（{formatShare(n, whole)}）</span>}
    </>
  );
  return (
    <section className="stat-print-sheet" aria-hidden data-testid="pivot-print-sheet">
      <h1>
        {p.unit.orgUnitName}全民参保登记汇总表（{p.dimLabel}）
      </h1>
      <div className="stat-print-meta">
        <span>统计单位：{p.unit.orgUnitName}</span>
        <span>指标：{isError ? '无效记录（按存在问题的项目）' : STAT_MEASURE_LABELS[p.measure]}</span>
        <span>统计日期：{todayShanghai()}</span>
        <span>单位：人{percent ? '（括号内为占本行合计的百分比）' : ''}</span>
      </div>
      <table>
        <thead>
          <tr>
            <th rowSpan={2} className="unit">
              单位
            </th>
            <th colSpan={p.columns.length}>{p.dimLabel}</th>
            <th rowSpan={2}>{isError ? '合计（项次）' : '合计'}</th>
          </tr>
          <tr>
            {p.columns.map((c) => (
              <th key={c.value}>{c.label}</th>
            ))}
          </tr>
        </thead>
        <tbody>
          {p.rows.map((r) => (
            <tr key={r.orgUnitId}>
              <td className="unit">{r.orgUnitName}</td>
              {r.cells.map((n, i) => (
                <td key={p.columns[i]?.value ?? i} className="n">
                  {cell(n, r.total)}
                </td>
              ))}
              <td className="n total">{formatCount(r.total)}</td>
            </tr>
          ))}
          {!single && (
            <tr className="total">
              <td className="unit">合计</td>
              {p.totals.map((n, i) => (
                <td key={p.columns[i]?.value ?? i} className="n">
                  {cell(n, p.total)}
                </td>
              ))}
              <td className="n total">{formatCount(p.total)}</td>
            </tr>
          )}
        </tbody>
      </table>
      <div className="stat-print-foot">
        <span>制表单位：{p.unit.orgUnitName}</span>
        <span>制表人：</span>
        <span>审核人：</span>
        <span>打印日期：{todayShanghai()}</span>
      </div>
    </section>
  );
}
