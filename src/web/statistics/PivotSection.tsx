// 汇总表: the child units × the values of one dimension, of one measure, with row and column totals
// and, on request, each cell's share of its row. Every non-zero figure opens the registration list
// filtered to exactly those records. Exported as .xlsx by the server; printed on A4 landscape.
import { FileExcelOutlined, PrinterOutlined } from '@ant-design/icons';
import { Button, Card, Segmented, Select, Space, Switch, Table, Tooltip, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { Link } from 'react-router-dom';
import { STAT_DIMENSION_LABELS, STAT_DIMENSIONS, STAT_MEASURE_LABELS, type Pivot, type StatDimension, type StatMeasure } from '../../shared/api-statistics';
import { withQuery } from '../api/client';
import { todayShanghai } from '../common/format';
import { useWidth } from '../common/useWidth';
import { cellListPath, formatCount, formatShare, MEASURE_HINTS, MEASURE_OPTIONS } from './labels';

type Row = Pivot['rows'][number];

type Props = {
  pivot: Pivot | null;
  loading: boolean;
  dim: StatDimension;
  measure: StatMeasure;
  percent: boolean;
  onDim: (d: StatDimension) => void;
  onMeasure: (m: StatMeasure) => void;
  onPercent: (on: boolean) => void;
};

const testKey = (v: string) => (v === '' ? 'none' : v);

const UNIT_WIDTH = 150;
const CELL_WIDTH = 96;
const TOTAL_WIDTH = 100;
/**
 * Room the fixed 单位 and 合计 columns must leave between them for the scrolled columns: two whole
 * columns. Narrower (a phone), fixing them would leave a gap smaller than one column, so every
 * column would always sit partly under a fixed one; the table then scrolls as a whole instead.
 */
const FIXED_MIN_WIDTH = UNIT_WIDTH + TOTAL_WIDTH + 2 * CELL_WIDTH;

/** A figure of the table: a link to its records when non-zero, and its share of the row when asked. */
function Figure({ n, to, share, testId, title }: { n: number; to: string | null; share: string | null; testId: string; title: string }) {
  const text = formatCount(n);
  return (
    <span className="stat-figure">
      {n === 0 ? (
        <span className="stat-zero" data-testid={testId}>
          0
        </span>
      ) : to === null ? (
        <span data-testid={testId}>{text}</span>
      ) : (
        <Link to={to} data-testid={testId} title={title}>
          {text}
        </Link>
      )}
      {share !== null && <span className="stat-share">{share}</span>}
    </span>
  );
}

export function PivotSection({ pivot, loading, dim, measure, percent, onDim, onMeasure, onPercent }: Props) {
  const isError = dim === 'error';
  // The pivot shown (it may still be the previous one while the next loads).
  const p = pivot;
  const cols = p?.columns ?? [];
  const rowShare = (n: number, total: number) => (percent && n > 0 ? formatShare(n, total) : null);
  const openTitle = '查看这些人员的登记记录';
  const [box, boxWidth] = useWidth<HTMLDivElement>();
  const fix = boxWidth === null || boxWidth >= FIXED_MIN_WIDTH;

  const columns: ColumnsType<Row> = [
    { title: '单位', dataIndex: 'orgUnitName', fixed: fix ? 'left' : undefined, width: UNIT_WIDTH },
    {
      title: p?.dimLabel ?? STAT_DIMENSION_LABELS[dim],
      align: 'center',
      children: cols.map((c, i) => ({
        key: `c-${c.value}`,
        title: c.label,
        align: 'right' as const,
        width: CELL_WIDTH,
        render: (_: unknown, r: Row) => {
          const n = r.cells[i] ?? 0;
          return <Figure n={n} to={p ? cellListPath(r.orgUnitId, p.dim, c.value, p.measure, p.year, p.asOf) : null} share={rowShare(n, r.total)} testId={`pivot-cell-${r.orgUnitId}-${testKey(c.value)}`} title={openTitle} />;
        },
      })),
    },
    {
      key: 'total',
      fixed: fix ? 'right' : undefined,
      title: isError ? (
        <Tooltip title="一条记录可能有多个项目存在问题，合计为问题项目的次数">
          <span style={{ cursor: 'help' }}>合计（项次）</span>
        </Tooltip>
      ) : (
        '合计'
      ),
      align: 'right',
      width: TOTAL_WIDTH,
      render: (_: unknown, r: Row) => (
        <strong>
          <Figure n={r.total} to={p && !isError ? cellListPath(r.orgUnitId, p.dim, null, p.measure, p.year, p.asOf) : null} share={null} testId={`pivot-rowtotal-${r.orgUnitId}`} title={openTitle} />
        </strong>
      ),
    },
  ];

  const exportHref = p ? withQuery('/api/statistics/pivot.xlsx', { orgUnitId: p.unit.orgUnitId, dim: p.dim, measure: p.measure }) : undefined;
  const unitId = p?.unit.orgUnitId;
  // A community is its own only row: no separate totals row then.
  const showTotals = p !== null && !(p.rows.length === 1 && p.rows[0]?.orgUnitId === unitId);

  return (
    <Card
      title="汇总表"
      className="stat-pivot-card"
      extra={
        <Space wrap className="no-print">
          <Button icon={<FileExcelOutlined />} href={exportHref} download disabled={!exportHref} data-testid="pivot-xlsx">
            导出 Excel
          </Button>
          <Button icon={<PrinterOutlined />} onClick={() => window.print()} disabled={!p} data-testid="pivot-print">
            打印
          </Button>
        </Space>
      }
    >
      <Space wrap size="middle" style={{ marginBottom: 12 }} className="no-print">
        <Space size={6}>
          <span>统计维度</span>
          <Select<StatDimension>
            aria-label="统计维度"
            data-testid="pivot-dim"
            value={dim}
            onChange={onDim}
            style={{ width: 240 }}
            options={STAT_DIMENSIONS.map((d) => ({ value: d, label: STAT_DIMENSION_LABELS[d] }))}
          />
        </Space>
        <Tooltip title={isError ? '无效原因按无效记录统计' : MEASURE_HINTS[measure]}>
          <Segmented<StatMeasure> aria-label="统计指标" data-testid="pivot-measure" value={measure} onChange={onMeasure} options={[...MEASURE_OPTIONS]} disabled={isError} />
        </Tooltip>
        <Space size={6}>
          <Switch size="small" checked={percent} onChange={onPercent} aria-label="显示占本行合计的百分比" data-testid="pivot-percent" />
          <span>显示占比</span>
        </Space>
      </Space>
      <div data-testid="pivot-table" className="stat-pivot-table" ref={box}>
        <Table<Row>
          rowKey="orgUnitId"
          size="small"
          bordered
          loading={loading}
          columns={columns}
          dataSource={p?.rows ?? []}
          pagination={false}
          scroll={{ x: UNIT_WIDTH + TOTAL_WIDTH + cols.length * CELL_WIDTH }}
          locale={{ emptyText: '暂无数据' }}
          summary={() =>
            p && showTotals ? (
              <Table.Summary fixed>
                <Table.Summary.Row className="stat-total-row" data-testid="pivot-totals">
                  <Table.Summary.Cell index={0}>合计</Table.Summary.Cell>
                  {p.totals.map((n, i) => (
                    <Table.Summary.Cell key={p.columns[i]?.value ?? i} index={i + 1} align="right">
                      <Figure
                        n={n}
                        to={cellListPath(p.unit.orgUnitId, p.dim, p.columns[i]?.value ?? '', p.measure, p.year, p.asOf)}
                        share={rowShare(n, p.total)}
                        testId={`pivot-coltotal-${testKey(p.columns[i]?.value ?? '')}`}
                        title={openTitle}
                      />
                    </Table.Summary.Cell>
                  ))}
                  <Table.Summary.Cell index={p.totals.length + 1} align="right">
                    <strong>
                      <Figure n={p.total} to={isError ? null : cellListPath(p.unit.orgUnitId, p.dim, null, p.measure, p.year, p.asOf)} share={null} testId="pivot-total" title={openTitle} />
                    </strong>
                  </Table.Summary.Cell>
                </Table.Summary.Row>
              </Table.Summary>
            ) : null
          }
        />
      </div>
      <Typography.Paragraph type="secondary" style={{ margin: '8px 0 0', fontSize: 13 }} className="no-print">
        单位：人{isError ? '（无效记录按存在问题的项目统计）' : `；指标：${STAT_MEASURE_LABELS[measure]}`}。汇总表按今日（{todayShanghai()}）的数据统计，年龄按出生年份计算。点击数字可查看对应人员的登记记录。
      </Typography.Paragraph>
    </Card>
  );
}
