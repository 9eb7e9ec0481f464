// The overview by child unit: registered, valid, invalid, duplicates, the valid count, the target and
// the coverage (登记率), with the unit's own total. A row's name drills one level down.
import { Progress, Table, Tooltip, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import type { StatRow, StatisticsOverview } from '../../shared/api-statistics';
import { byNumber, byText } from '../common/tableSort';
import { formatCount, formatPermille } from './labels';
import { TargetCell } from './TargetCell';

type Props = {
  overview: StatisticsOverview | null;
  loading: boolean;
  canEditTargets: boolean;
  onDrill: (orgUnitId: number) => void;
  onTargetSaved: () => void;
};

export function Coverage({ permille }: { permille: number | null }) {
  if (permille === null) return <Typography.Text type="secondary">—</Typography.Text>;
  return (
    <Progress
      percent={Math.min(100, permille / 10)}
      size="small"
      status={permille >= 1000 ? 'success' : 'normal'}
      format={() => formatPermille(permille)}
      style={{ margin: 0, minWidth: 120 }}
    />
  );
}

const num = (v: number) => formatCount(v);

export function OverviewTable({ overview, loading, canEditTargets, onDrill, onTargetSaved }: Props) {
  const unitId = overview?.unit.orgUnitId;
  const columns: ColumnsType<StatRow> = [
    {
      title: '单位',
      dataIndex: 'orgUnitName',
      fixed: 'left',
      width: 180,
      sorter: byText((r) => r.orgUnitName),
      render: (name: string, r) =>
        r.level !== 'community' && r.orgUnitId !== unitId ? (
          <a
            href={`/statistics?orgUnitId=${r.orgUnitId}`}
            title={`查看${name}的下级单位`}
            data-testid={`drill-${r.orgUnitId}`}
            onClick={(e) => {
              e.preventDefault();
              onDrill(r.orgUnitId);
            }}
          >
            {name}
          </a>
        ) : (
          name
        ),
    },
    { title: '登记人数', dataIndex: 'registered', width: 100, align: 'right', render: num, sorter: byNumber((r) => r.registered) },
    { title: '有效记录', dataIndex: 'valid', width: 100, align: 'right', render: num, sorter: byNumber((r) => r.valid) },
    {
      title: '无效',
      dataIndex: 'invalid',
      width: 80,
      align: 'right',
      sorter: byNumber((r) => r.invalid),
      render: (v: number) => (v ? <Typography.Text type="danger">{num(v)}</Typography.Text> : num(v)),
    },
    {
      title: (
        <Tooltip title="有效，但同一人已在其他记录中计入（可能在其他区），不重复计算">
          <span style={{ cursor: 'help' }}>重复（他处计）</span>
        </Tooltip>
      ),
      dataIndex: 'duplicates',
      width: 120,
      align: 'right',
      sorter: byNumber((r) => r.duplicates),
      render: (v: number) => (v ? <Typography.Text type="warning">{num(v)}</Typography.Text> : num(v)),
    },
    {
      title: (
        <Tooltip title="有效且不含重复的人数，即计费依据">
          <span style={{ cursor: 'help' }}>有效数据</span>
        </Tooltip>
      ),
      dataIndex: 'counted',
      width: 100,
      align: 'right',
      sorter: byNumber((r) => r.counted),
      render: (v: number) => <strong>{num(v)}</strong>,
    },
    {
      title: '目标人数',
      dataIndex: 'target',
      width: 170,
      align: 'right',
      sorter: byNumber((r) => r.target),
      render: (v: number | null, r) => (
        <TargetCell key={`${r.orgUnitId}:${v}`} orgUnitId={r.orgUnitId} orgUnitName={r.orgUnitName} target={v} fromChildren={r.targetSource === 'children'} editable={canEditTargets} onSaved={onTargetSaved} />
      ),
    },
    {
      title: (
        <Tooltip title="登记率 = 有效数据 ÷ 目标人数">
          <span style={{ cursor: 'help' }}>登记率</span>
        </Tooltip>
      ),
      dataIndex: 'coveragePermille',
      width: 180,
      sorter: byNumber((r) => r.coveragePermille),
      render: (v: number | null, r) => (
        <span data-testid={`coverage-${r.orgUnitId}`}>
          <Coverage permille={v} />
        </span>
      ),
    },
  ];

  // A community is its own only row: no separate total then.
  const rows = overview?.rows ?? [];
  const t = rows.length === 1 && rows[0]?.orgUnitId === unitId ? undefined : overview?.total;
  return (
    <div data-testid="overview-table">
      <Table<StatRow>
        rowKey="orgUnitId"
        size="middle"
        bordered
        loading={loading}
        columns={columns}
        dataSource={rows}
        pagination={false}
        scroll={{ x: 1050 }}
        locale={{ emptyText: '没有下级单位' }}
        summary={() =>
          t ? (
            <Table.Summary fixed>
              <Table.Summary.Row className="stat-total-row" data-testid="overview-total">
                <Table.Summary.Cell index={0}>合计（{t.orgUnitName}）</Table.Summary.Cell>
                <Table.Summary.Cell index={1} align="right">
                  {num(t.registered)}
                </Table.Summary.Cell>
                <Table.Summary.Cell index={2} align="right">
                  {num(t.valid)}
                </Table.Summary.Cell>
                <Table.Summary.Cell index={3} align="right">
                  {num(t.invalid)}
                </Table.Summary.Cell>
                <Table.Summary.Cell index={4} align="right">
                  {num(t.duplicates)}
                </Table.Summary.Cell>
                <Table.Summary.Cell index={5} align="right">
                  <strong>{num(t.counted)}</strong>
                </Table.Summary.Cell>
                <Table.Summary.Cell index={6} align="right">
                  <TargetCell key={`${t.orgUnitId}:${t.target}`} orgUnitId={t.orgUnitId} orgUnitName={t.orgUnitName} target={t.target} fromChildren={t.targetSource === 'children'} editable={canEditTargets} onSaved={onTargetSaved} />
                </Table.Summary.Cell>
                <Table.Summary.Cell index={7}>
                  <span data-testid={`coverage-total`}>
                    <Coverage permille={t.coveragePermille} />
                  </span>
                </Table.Summary.Cell>
              </Table.Summary.Row>
            </Table.Summary>
          ) : null
        }
      />
    </div>
  );
}
