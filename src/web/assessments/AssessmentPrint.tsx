// The scorecard as printed (A4 portrait, SPEC "Printing"): 附件2 《常州市市本级全民参保登记工作考核表》
// in the seed's layout — 单位名称（章） above the table, the five columns 考核项目 / 考核标准 / 标准分 /
// 自评分 / 考核分, the 合计 row, and the seal areas of the assessed unit and the assessor under it, on
// one page. The notes of either side do not fit the seed's boxes, so they go to a 附页 on the
// following page (only when there is any). Hidden on screen; assessment.css shows it in print.
import type { Assessment } from '../../shared/api-assessment';
import { formatScore } from '../../domain/score';
import { ASSESSMENT_STATUS_LABELS } from '../../shared/api-assessment';
import { formatTime, todayShanghai } from '../common/format';
import { sumText, type Effective } from './AssessmentSheet';
import { showScore } from './labels';

export const SCORECARD_TITLE = '常州市市本级全民参保登记工作考核表';

/**
 * The seed's column proportions: 考核项目 narrow (two characters a line, as the seed's 考核/项目),
 * 考核标准 wide, the three score columns narrow and equal. Percent of the table's width.
 */
export const SCORECARD_COLUMN_PERCENT = [10, 60, 10, 10, 10] as const;

/** 组织领导 → 组织 / 领导, as the seed sets a category's name in its narrow column. */
function categoryLines(name: string): string[] {
  const chars = Array.from(name);
  if (chars.length > 6 || chars.length % 2 !== 0) return [name];
  const out: string[] = [];
  for (let i = 0; i < chars.length; i += 2) out.push(chars.slice(i, i + 2).join(''));
  return out;
}

function SealBlock({ signer, unit }: { signer: string; unit: string }) {
  return (
    <div className="seal-block">
      <div>
        {signer}：<span className="sig-line" />
      </div>
      <div className="seal-unit">{unit}</div>
      <div className="seal-date">
        <span className="sig-line sig-year" />年<span className="sig-line sig-day" />月<span className="sig-line sig-day" />日
      </div>
    </div>
  );
}

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
  const selfNote = (id: number) => (selfValues[id]?.note ?? '').trim();
  const assessedNote = (id: number) => (showAssessed ? (assessedValues[id]?.note ?? '').trim() : '');
  const noted = a.categories.flatMap((c) => c.items.filter((i) => selfNote(i.criterionId) || assessedNote(i.criterionId)).map((i) => ({ category: c, item: i })));
  const cols = SCORECARD_COLUMN_PERCENT.map((p, n) => <col key={n} style={{ width: `${p}%` }} />);
  return (
    <div className="assessment-print" data-testid="assessment-print">
      <section className="print-page-main" data-testid="scorecard-main">
        <h1>{SCORECARD_TITLE}</h1>
        <div className="print-meta">
          单位名称（章）：<strong>{a.orgUnitName}</strong>
        </div>
        <table className="scorecard-table" data-testid="scorecard-table">
          <colgroup>{cols}</colgroup>
          <thead>
            <tr>
              <th>
                考核
                <br />
                项目
              </th>
              <th>考 核 标 准</th>
              <th>标准分</th>
              <th>自评分</th>
              <th>考核分</th>
            </tr>
          </thead>
          <tbody>
            {a.categories.map((c) =>
              c.items.map((i, n) => (
                <tr key={i.criterionId}>
                  {n === 0 && (
                    <td rowSpan={c.items.length} className="print-category">
                      {categoryLines(c.name).map((line) => (
                        <div key={line}>{line}</div>
                      ))}
                      <div className="print-category-score">（{formatScore(c.maxScore)}分）</div>
                    </td>
                  )}
                  <td className="criterion" data-testid="criterion-text">
                    {i.text}
                  </td>
                  <td className="num">{formatScore(i.maxScore)}</td>
                  <td className="num">{selfValues[i.criterionId]?.score == null ? '' : showScore(selfValues[i.criterionId]?.score)}</td>
                  <td className="num">{showAssessed && assessedValues[i.criterionId]?.score != null ? showScore(assessedValues[i.criterionId]?.score) : ''}</td>
                </tr>
              )),
            )}
            <tr className="print-total">
              <td colSpan={2}>合计</td>
              <td className="num">{formatScore(maxTotal)}</td>
              <td className="num">{selfTotal}</td>
              <td className="num">{assessedTotal}</td>
            </tr>
          </tbody>
        </table>
        {noted.length > 0 && <div className="print-see-appendix">自评说明和考核意见见附页。</div>}
        <div className="print-seals" data-testid="scorecard-seals">
          <SealBlock signer="被考核单位负责人" unit="单位（盖章）" />
          <SealBlock signer="考核人" unit="考核单位（盖章）" />
        </div>
        <div className="print-footnote">
          {a.campaignName} · {ASSESSMENT_STATUS_LABELS[a.status]}；自查自评截止日期 {a.deadline}
          {a.submittedAt ? `；自评提交 ${formatTime(a.submittedAt).slice(0, 10)}` : ''}
          {a.finalizedAt ? `；考核完成 ${formatTime(a.finalizedAt).slice(0, 10)}` : ''}；打印日期 {todayShanghai()}
        </div>
      </section>
      {noted.length > 0 && (
        <section className="print-appendix" data-testid="scorecard-appendix">
          <h2>附页</h2>
          <div className="print-appendix-sub">
            《{SCORECARD_TITLE}》自评说明和考核意见
          </div>
          <div className="print-meta">
            单位名称：<strong>{a.orgUnitName}</strong>
          </div>
          <table className="appendix-table" data-testid="appendix-table">
            <colgroup>
              <col style={{ width: '10%' }} />
              <col style={{ width: '30%' }} />
              <col style={{ width: '30%' }} />
              <col style={{ width: '30%' }} />
            </colgroup>
            <thead>
              <tr>
                <th>
                  考核
                  <br />
                  项目
                </th>
                <th>考 核 标 准</th>
                <th>自评说明</th>
                <th>考核意见</th>
              </tr>
            </thead>
            <tbody>
              {noted.map(({ category, item }) => (
                <tr key={item.criterionId}>
                  <td className="print-category">{category.name}</td>
                  <td className="criterion-ref">{item.text}</td>
                  <td className="note">{selfNote(item.criterionId)}</td>
                  <td className="note">{assessedNote(item.criterionId)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      )}
    </div>
  );
}
