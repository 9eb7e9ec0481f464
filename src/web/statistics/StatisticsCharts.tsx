// The charts of the statistics page, for the unit shown: registration progress against the target
// and the data cutoff, the child units compared, insurance status by type, reasons not insured and
// willingness to enrol. A click on a bar or slice opens the matching registration list.
import { Card, Col, Empty, Row, Spin, Typography } from 'antd';
import { useEffect, useMemo, useState } from 'react';
import { useNavigate } from 'react-router-dom';
import type { Pivot, StatDimension, StatRow } from '../../shared/api-statistics';
import { INSURANCE_TYPES } from '../../shared/codes/index';
import { api } from '../api/client';
import { CHART_COLORS, EChart, type EChartOption } from '../common/EChart';
import { useNotifyError } from '../common/useNotifyError';
import { INSURANCE_STACK, insuranceOption, insuranceTypeAt, progressOption, reasonOption, reasonsOf, unitsOption, type Progress } from './chartOptions';
import { cellListPath, formatCount } from './labels';
import { useStatGet } from './useStatGet';

type Props = {
  /** The unit asked for in the URL (undefined: the user's own root). */
  orgUnitId: number | undefined;
  rows: readonly StatRow[];
  /** Changes after a target is saved. */
  refreshKey: number;
};

const INS_DIMS = INSURANCE_TYPES.map((t) => `ins${t.code}` as StatDimension);
const WILLING_COLORS = [CHART_COLORS.green, CHART_COLORS.gold, CHART_COLORS.blue, CHART_COLORS.purple, CHART_COLORS.cyan];

/** The pivots the charts need (measure 有效数据): the eight insurance types, reasons, willingness. */
function useChartPivots(orgUnitId: number | undefined) {
  const notifyError = useNotifyError();
  const [pivots, setPivots] = useState<{ ins: Pivot[]; reason: Pivot; willing: Pivot } | null>(null);
  useEffect(() => {
    let alive = true;
    const get = (dim: StatDimension) => api.get<Pivot>('/api/statistics/pivot', { orgUnitId, dim, measure: 'counted' });
    Promise.all([Promise.all(INS_DIMS.map(get)), get('reason'), get('willing')])
      .then(([ins, reason, willing]) => {
        if (alive) setPivots({ ins, reason, willing });
      })
      .catch((err: unknown) => {
        if (alive) notifyError(err);
      });
    return () => {
      alive = false;
    };
  }, [orgUnitId, notifyError]);
  return pivots;
}

function ChartCard({ title, extra, children, testId }: { title: string; extra?: React.ReactNode; children: React.ReactNode; testId: string }) {
  return (
    <Card title={title} size="small" extra={extra} data-testid={testId} styles={{ body: { minHeight: 300 } }}>
      {children}
    </Card>
  );
}

function willingOption(p: Pivot): EChartOption {
  const data = p.columns.map((c, i) => ({ name: c.label, value: p.totals[i] ?? 0, code: c.value })).filter((d) => d.value > 0);
  return {
    tooltip: { trigger: 'item', formatter: '{b}：{c} 人（{d}%）' },
    legend: { bottom: 0, type: 'plain' },
    color: data.map((d, i) => (d.code === '' ? CHART_COLORS.grey : (WILLING_COLORS[i] ?? CHART_COLORS.darkGrey))),
    series: [
      {
        name: '参保意愿',
        type: 'pie',
        radius: ['38%', '66%'],
        center: ['50%', '45%'],
        label: { formatter: '{b}\n{c} 人' },
        data,
      },
    ],
  } as EChartOption;
}

export function StatisticsCharts({ orgUnitId, rows, refreshKey }: Props) {
  const navigate = useNavigate();
  const progress = useStatGet<Progress>('/api/statistics/progress', { orgUnitId }, refreshKey);
  const pivots = useChartPivots(orgUnitId);

  const progressOpt = useMemo(() => (progress.data ? progressOption(progress.data) : null), [progress.data]);
  const unitsOpt = useMemo(() => unitsOption(rows), [rows]);
  const insOpt = useMemo(() => (pivots ? insuranceOption(pivots.ins) : null), [pivots]);
  const reasons = useMemo(() => (pivots ? reasonsOf(pivots.reason) : []), [pivots]);
  const reasonOpt = useMemo(() => reasonOption(reasons), [reasons]);
  const willingOpt = useMemo(() => (pivots ? willingOption(pivots.willing) : null), [pivots]);
  const willingAny = !!pivots && pivots.willing.total > 0;
  const unitId = pivots?.reason.unit.orgUnitId;
  const p = progress.data;

  return (
    <Row gutter={[16, 16]} className="stat-charts">
      <Col span={24}>
        <ChartCard
          title="登记进度"
          testId="chart-progress-card"
          extra={
            p && (
              <Typography.Text type="secondary" style={{ fontSize: 13 }}>
                {p.target !== null ? `目标 ${formatCount(p.target)} 人` : '未设置目标人数'}
                {p.dataCutoff ? `，数据截止日 ${p.dataCutoff}` : ''}
              </Typography.Text>
            )
          }
        >
          {!p ? (
            <Spin />
          ) : p.days.length === 0 ? (
            <Empty description="暂无登记记录" />
          ) : (
            progressOpt && <EChart option={progressOpt} height={320} title={`${p.unit.orgUnitName}登记进度`} data-testid="chart-progress" />
          )}
        </ChartCard>
      </Col>
      <Col xs={24} xl={12}>
        <ChartCard title="各单位对比" testId="chart-units-card">
          {rows.length === 0 ? <Empty description="暂无数据" /> : <EChart option={unitsOpt} height={300} title="各单位有效数据与目标人数对比" data-testid="chart-units" />}
        </ChartCard>
      </Col>
      <Col xs={24} xl={12}>
        <ChartCard title="参保状况（有效数据，按险种）" testId="chart-insurance-card">
          {!insOpt ? (
            <Spin />
          ) : pivots?.ins.every((t) => t.total === 0) ? (
            <Empty description="暂无数据" />
          ) : (
            <EChart
              option={insOpt}
              height={300}
              title="各险种参保状况"
              data-testid="chart-insurance"
              onItemClick={(e) => {
                const code = insuranceTypeAt(e.dataIndex);
                const status = INSURANCE_STACK[e.seriesIndex ?? -1]?.value;
                if (unitId !== undefined && code && status !== undefined) navigate(cellListPath(unitId, `ins${code}` as StatDimension, status, 'counted'));
              }}
            />
          )}
        </ChartCard>
      </Col>
      <Col xs={24} xl={12}>
        <ChartCard title="未参保原因" testId="chart-reason-card">
          {!pivots ? (
            <Spin />
          ) : reasons.length === 0 ? (
            <Empty description="没有填写未参保原因的记录" />
          ) : (
            <EChart
              option={reasonOpt}
              height={Math.max(220, reasons.length * 34 + 40)}
              title="未参保原因"
              data-testid="chart-reason"
              onItemClick={(e) => {
                const r = [...reasons].reverse()[e.dataIndex];
                if (unitId !== undefined && r) navigate(cellListPath(unitId, 'reason', r.value, 'counted'));
              }}
            />
          )}
        </ChartCard>
      </Col>
      <Col xs={24} xl={12}>
        <ChartCard title="参保意愿" testId="chart-willing-card">
          {!pivots ? (
            <Spin />
          ) : !willingAny || !willingOpt ? (
            <Empty description="暂无数据" />
          ) : (
            <EChart
              option={willingOpt}
              height={300}
              title="参保意愿"
              data-testid="chart-willing"
              onItemClick={(e) => {
                const label = e.name;
                const col = pivots.willing.columns.find((c) => c.label === label);
                if (unitId !== undefined && col) navigate(cellListPath(unitId, 'willing', col.value, 'counted'));
              }}
            />
          )}
        </ChartCard>
      </Col>
    </Row>
  );
}
