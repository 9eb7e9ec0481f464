// The scorecard as printed (A4 portrait, SPEC "Printing"): the layout of 附件2 《常州市市本级全民参保
// 登记工作考核表》 filled in — 考核项目, 考核标准, 标准分, 自评分, 考核分, with the notes in small
// type — the 合计 row and lines for the signatures. Hidden on screen; assessment.css shows it in print.
import type { Assessment } from '../../shared/api-assessment';
import { formatScore } from '../../domain/score';
import { ASSESSMENT_STATUS_LABELS } from '../../shared/api-assessment';
import { formatTime, todayShanghai } from '../common/format';
import { sumText, type Effective } from './AssessmentSheet';
import { showScore } from './labels';

export const SCORECARD_TITLE = '常州市市本级全民参保登记工作考核表';

export function AssessmentPrint({
  assessment: a,
  selfValues,
  assessedValues,
}: {
  assessment: Assessment;
  selfValues: Record<number, Effective>;
  assessedValues: Record<number, Effective>;
}) {
  const showAssessed = a.status !== 'draft';
  const maxTotal = a.categories.reduce((s, c) => s + c.maxScore, 0);
  const items = a.categories.flatMap((c) => c.items);
  // A blank form stays blank on paper: no total before there is a score.
  const blankDash = (t: string) => (t === '—' ? '' : t);
  const selfTotal = blankDash(sumText(items, selfValues));
  const assessedTotal = showAssessed ? blankDash(sumText(items, assessedValues)) : '';
  return (
    <div className="assessment-print" data-testid="assessment-print">
      <h1>{SCORECARD_TITLE}</h1>
      <div className="print-meta">
        <span>
          单位名称（章）：<strong>{a.orgUnitName}</strong>
        </span>
        <span>
          {a.campaignName} · {ASSESSMENT_STATUS_LABELS[a.status]}
        </span>
      </div>
      <table>
        <colgroup>
          <col style={{ width: '17mm' }} />
          <col />
          <col style={{ width: '12mm' }} />
          <col style={{ width: '12mm' }} />
          <col style={{ width: '27mm' }} />
          <col style={{ width: '12mm' }} />
          <col style={{ width: '27mm' }} />
        </colgroup>
        <thead>
          <tr>
            <th>考核项目</th>
            <th>考 核 标 准</th>
            <th>标准分</th>
            <th>自评分</th>
            <th>自评说明</th>
            <th>考核分</th>
            <th>考核意见</th>
          </tr>
        </thead>
        <tbody>
          {a.categories.map((c) =>
            c.items.map((i, n) => (
              <tr key={i.criterionId}>
                {n === 0 && (
                  <td rowSpan={c.items.length} className="print-category">
                    {c.name}
                    <br />（{formatScore(c.maxScore)}分）
                  </td>
                )}
                <td>{i.text}</td>
                <td className="num">{formatScore(i.maxScore)}</td>
                <td className="num">{selfValues[i.criterionId]?.score == null ? '' : showScore(selfValues[i.criterionId]?.score)}</td>
                <td className="note">{selfValues[i.criterionId]?.note}</td>
                <td className="num">{showAssessed && assessedValues[i.criterionId]?.score != null ? showScore(assessedValues[i.criterionId]?.score) : ''}</td>
                <td className="note">{assessedValues[i.criterionId]?.note}</td>
              </tr>
            )),
          )}
          <tr className="print-total">
            <td colSpan={2}>合计</td>
            <td className="num">{formatScore(maxTotal)}</td>
            <td className="num">{selfTotal}</td>
            <td />
            <td className="num">{assessedTotal}</td>
            <td />
          </tr>
        </tbody>
      </table>
      <div className="print-signatures">
        <div>
          考核人：<span className="sig-line" />
        </div>
        <div>
          被考核单位负责人：<span className="sig-line" />
        </div>
        <div>
          日期：<span className="sig-line sig-year" />年<span className="sig-line sig-day" />月<span className="sig-line sig-day" />日
        </div>
      </div>
      <div className="print-footnote">
        自查自评截止日期 {a.deadline}
        {a.submittedAt ? `；自评提交 ${formatTime(a.submittedAt).slice(0, 10)}` : ''}
        {a.finalizedAt ? `；考核完成 ${formatTime(a.finalizedAt).slice(0, 10)}` : ''}；打印日期 {todayShanghai()}
      </div>
    </div>
  );
}
