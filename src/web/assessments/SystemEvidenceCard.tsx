// 系统记录（佐证）: what the system itself recorded of a district's work — records entered in total
// and by the campaign's data cutoff, valid ones, surveyors, import batches, exports of the detail
// table, statistics exports and the analysis report — and a bar chart of records entered per day
// with the cutoff day marked.
import { Card, Col, Empty, Row, Spin, Statistic, Typography } from 'antd';
import dayjs from 'dayjs';
import { type CSSProperties } from 'react';
import type { z } from 'zod';
import type { systemEvidence } from '../../shared/api-assessment';
import { formatTime } from '../common/format';
import { useApiGet } from '../common/useApiGet';

type SystemEvidence = z.infer<typeof systemEvidence>;
type Day = { day: string; count: number };

const BEFORE_COLOR = '#1677ff';
const AFTER_COLOR = '#fa8c16';
const CUTOFF_COLOR = '#cf1322';
/** Gaps between days are filled with zero days up to this span; longer spans show the days as given. */
const MAX_FILLED_DAYS = 400;

export function SystemEvidenceCard(props: { campaignId: number; orgUnitId: number }) {
  const { campaignId, orgUnitId } = props;
  const { data, loading } = useApiGet<SystemEvidence>(`/api/campaigns/${campaignId}/assessments/${orgUnitId}/system-evidence`);

  const figures: Array<{ key: string; title: string; value: number | undefined; suffix: string }> = [
    { key: 'entered', title: '已录入', value: data?.entered, suffix: '条' },
    { key: 'byCutoff', title: '截止日前录入', value: data?.enteredByCutoff, suffix: '条' },
    { key: 'valid', title: '截止日前有效数据', value: data?.validByCutoff, suffix: '条' },
    { key: 'surveyors', title: '采集人数', value: data?.surveyors, suffix: '人' },
    { key: 'imports', title: '导入批次', value: data?.imports, suffix: '批' },
    { key: 'exports', title: '明细表导出/生成', value: data?.detailExports, suffix: '次' },
    { key: 'statistics', title: '统计表导出/报告生成', value: data?.statisticsExports, suffix: '次' },
  ];

  return (
    <Card title="系统记录（佐证）" data-testid="system-evidence" extra={data && <Typography.Text type="secondary">数据截止日期 {data.dataCutoff}</Typography.Text>}>
      {data === null ? (
        loading ? <Spin /> : <Empty description="无法读取系统记录" />
      ) : (
        <>
          <Row gutter={[16, 16]}>
            {figures.map((f) => (
              <Col key={f.key} xs={12} sm={8} xl={4}>
                <Statistic title={f.title} value={f.value ?? '—'} suffix={f.value === undefined ? undefined : f.suffix} />
              </Col>
            ))}
          </Row>
          <Typography.Paragraph style={{ marginTop: 16, marginBottom: 0 }} data-testid="report-evidence">
            分析报告：
            {data.report === null
              ? '尚未上传'
              : data.report.status === 'submitted'
                ? `已报送（${data.report.submittedAt ? formatTime(data.report.submittedAt) : ''}，${data.report.fileName}，SHA-256 ${data.report.sha256.slice(0, 16)}…）`
                : `已上传“${data.report.fileName}”，尚未报送`}
          </Typography.Paragraph>
          <Typography.Title level={5} style={{ marginTop: 24 }}>
            每日录入条数
          </Typography.Title>
          {data.perDay.length === 0 ? <Empty description="暂无录入记录" /> : <PerDayChart days={data.perDay} cutoff={data.dataCutoff} />}
        </>
      )}
    </Card>
  );
}

/** Every day from the first to the last with entries (zero when none), unless that span is very long. */
function fillDays(days: Day[]): Day[] {
  const sorted = [...days].sort((a, b) => (a.day < b.day ? -1 : a.day > b.day ? 1 : 0));
  const first = sorted[0];
  const last = sorted[sorted.length - 1];
  if (!first || !last) return [];
  const start = dayjs(first.day);
  const span = dayjs(last.day).diff(start, 'day');
  if (!start.isValid() || !(span >= 0) || span > MAX_FILLED_DAYS) return sorted;
  const counts = new Map(sorted.map((d) => [d.day, d.count]));
  const out: Day[] = [];
  for (let i = 0; i <= span; i++) {
    const day = start.add(i, 'day').format('YYYY-MM-DD');
    out.push({ day, count: counts.get(day) ?? 0 });
  }
  return out;
}

/**
 * Bars in percent of the width (so the chart fits any card), fixed pixel height. The cutoff is a
 * dashed line after the last day on or before it; days after it are drawn in another colour.
 */
function PerDayChart({ days: given, cutoff }: { days: Day[]; cutoff: string }) {
  const days = fillDays(given);
  const n = days.length;
  const max = Math.max(1, ...days.map((d) => d.count));
  const peak = days.reduce<Day | null>((p, d) => (p === null || d.count > p.count ? d : p), null);
  const beforeCount = days.filter((d) => d.day <= cutoff).length;
  const afterTotal = days.filter((d) => d.day > cutoff).reduce((s, d) => s + d.count, 0);

  const top = 22; // room for the cutoff label
  const plot = 140;
  const bottom = 20; // room for the first/last day
  const height = top + plot + bottom;
  const slot = 100 / n;
  const barWidth = Math.max(slot * 0.8, 0.15);
  const cutoffX = beforeCount * slot;
  const cutoffAnchor = cutoffX > 70 ? 'end' : 'start';
  const pct = (v: number) => `${v.toFixed(4)}%`;

  return (
    <div data-testid="per-day-chart">
      <svg width="100%" height={height} role="img" aria-label={`每日录入条数，共 ${n} 天，截止日 ${cutoff}`} style={{ display: 'block', overflow: 'visible' }}>
        <line x1="0" x2="100%" y1={top + plot} y2={top + plot} stroke="#d9d9d9" />
        {days.map((d, i) => {
          const h = d.count === 0 ? 0 : Math.max(1, (d.count / max) * plot);
          return (
            <rect key={d.day} x={pct(i * slot + (slot - barWidth) / 2)} y={top + plot - h} width={pct(barWidth)} height={h} fill={d.day <= cutoff ? BEFORE_COLOR : AFTER_COLOR}>
              <title>{`${d.day}：${d.count} 条${d.day > cutoff ? '（截止日后）' : ''}`}</title>
            </rect>
          );
        })}
        <line x1={pct(cutoffX)} x2={pct(cutoffX)} y1={top - 4} y2={top + plot} stroke={CUTOFF_COLOR} strokeDasharray="4 3" strokeWidth={1.5} />
        <text x={pct(cutoffX)} dx={cutoffAnchor === 'end' ? -4 : 4} y={top - 8} fontSize={12} fill={CUTOFF_COLOR} textAnchor={cutoffAnchor}>
          截止日 {cutoff}
        </text>
        <text x="0" y={height - 4} fontSize={12} fill="#8c8c8c">
          {days[0]?.day}
        </text>
        {n > 1 && (
          <text x="100%" y={height - 4} fontSize={12} fill="#8c8c8c" textAnchor="end">
            {days[n - 1]?.day}
          </text>
        )}
      </svg>
      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
        <Legend color={BEFORE_COLOR} /> 截止日及以前
        <Legend color={AFTER_COLOR} style={{ marginLeft: 16 }} /> 截止日后{afterTotal > 0 ? `（${afterTotal} 条）` : ''}
        {peak && <span style={{ marginLeft: 16 }}>最多一天 {peak.count} 条（{peak.day}）</span>}
      </Typography.Text>
    </div>
  );
}

function Legend({ color, style }: { color: string; style?: CSSProperties }) {
  return <span style={{ display: 'inline-block', width: 10, height: 10, background: color, verticalAlign: 'middle', ...style }} />;
}
