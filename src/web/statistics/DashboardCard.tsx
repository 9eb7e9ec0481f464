// 统计概览 on the home page, for every role: the key figures of the user's own root unit (the city,
// a district, a street …) and its children compared in a small chart, with a link to 统计分析.
import { Card, Col, Empty, Progress, Row, Spin, Statistic, Tooltip } from 'antd';
import { useMemo } from 'react';
import { Link } from 'react-router-dom';
import type { StatisticsOverview } from '../../shared/api-statistics';
import { ApiError } from '../api/client';
import { CHART_COLORS, EChart, type EChartOption } from '../common/EChart';
import { targetMarker } from './chartOptions';
import { formatCount, formatPermille, shortUnitName } from './labels';
import { useStatGet } from './useStatGet';

function childrenOption(o: StatisticsOverview): EChartOption {
  const rows = o.rows;
  const anyTarget = rows.some((r) => r.target !== null);
  return {
    tooltip: {
      trigger: 'axis',
      axisPointer: { type: 'shadow' },
      formatter: (params: unknown) => {
        const r = rows[(params as Array<{ dataIndex: number }>)[0]?.dataIndex ?? -1];
        if (!r) return '';
        return [
          `<strong>${r.orgUnitName}</strong>`,
          `登记人数：${formatCount(r.registered)} 人`,
          `有效数据：${formatCount(r.counted)} 人`,
          ...(r.target !== null ? [`目标人数：${formatCount(r.target)} 人`, `登记率：${formatPermille(r.coveragePermille)}`] : []),
        ].join('<br/>');
      },
    },
    legend: { top: 0, itemWidth: 12, itemHeight: 10, textStyle: { fontSize: 12 } },
    grid: { left: 8, right: 8, top: 32, bottom: 4, containLabel: true },
    xAxis: { type: 'category', data: rows.map((r) => shortUnitName(r.orgUnitName)), axisLabel: { interval: 0, rotate: rows.length > 5 ? 35 : 0, fontSize: 11 } },
    yAxis: { type: 'value', minInterval: 1, axisLabel: { fontSize: 11 } },
    series: [
      { name: '登记人数', type: 'bar', barMaxWidth: 22, itemStyle: { color: '#91caff' }, data: rows.map((r) => r.registered) },
      { name: '有效数据', type: 'bar', barMaxWidth: 22, itemStyle: { color: CHART_COLORS.green }, data: rows.map((r) => r.counted) },
      ...(anyTarget ? [{ ...targetMarker(rows), symbolSize: [48, 3] }] : []),
    ],
  } as EChartOption;
}

export function DashboardCard() {
  const { data, loading, error } = useStatGet<StatisticsOverview>('/api/statistics', {});
  const option = useMemo(() => (data ? childrenOption(data) : null), [data]);
  const t = data?.total;
  // A community has no children: its only row is itself, and there is nothing to compare.
  const compare = data && !(data.rows.length === 1 && data.rows[0]?.orgUnitId === data.unit.orgUnitId) && data.rows.length > 0;

  return (
    <Card title="统计概览" extra={<Link to="/statistics">统计分析</Link>} data-testid="dashboard-card">
      {!data ? (
        loading ? (
          <Spin />
        ) : (
          <Empty description={error instanceof ApiError && error.status === 404 ? '您所在的单位没有登记统计' : '统计数据暂时无法加载'} />
        )
      ) : (
        <>
          <div style={{ marginBottom: 12, color: 'rgba(0,0,0,0.65)' }}>{data.unit.orgUnitName}（今日）</div>
          <Row gutter={[16, 16]}>
            <Col xs={12} md={6}>
              <Statistic title="登记人数" value={t?.registered ?? 0} suffix="人" data-testid="dashboard-registered" />
            </Col>
            <Col xs={12} md={6}>
              <Statistic title="有效数据" value={t?.counted ?? 0} suffix="人" styles={{ content: { color: '#389e0d', fontWeight: 600 } }} data-testid="dashboard-counted" />
            </Col>
            <Col xs={12} md={6}>
              <Statistic
                title={
                  <Tooltip title="有效，但同一人已在其他记录中计入，不重复计算">
                    <span style={{ cursor: 'help' }}>重复</span>
                  </Tooltip>
                }
                value={t?.duplicates ?? 0}
                suffix="条"
                data-testid="dashboard-duplicates"
              />
            </Col>
            <Col xs={12} md={6} data-testid="dashboard-coverage">
              {t && t.coveragePermille !== null && t.target !== null ? (
                <Statistic
                  title={`登记率（目标 ${formatCount(t.target)} 人）`}
                  valueRender={() => <Progress aria-label="登记率" type="dashboard" size={64} percent={Math.min(100, t.coveragePermille! / 10)} format={() => formatPermille(t.coveragePermille)} />}
                />
              ) : (
                <Statistic title="登记率" value="未设目标" styles={{ content: { fontSize: 16, color: 'rgba(0,0,0,0.6)' } }} />
              )}
            </Col>
          </Row>
          {compare && option && <EChart option={option} height={220} title={`${data.unit.orgUnitName}各下级单位对比`} data-testid="dashboard-chart" style={{ marginTop: 12 }} />}
        </>
      )}
    </Card>
  );
}
