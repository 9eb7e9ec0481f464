// 考核费用 — the money of a campaign: the special work fund (全民参保登记专项工作经费), and per district
// the frozen valid count, the final score's tier, the fee, the demonstration-site funds, where the
// fee sheet stands, what was approved, paid and allocated; a chart of the same. A district's users see
// their own row only (the server filters). A row opens the district's page.
import { EditOutlined, FileExcelOutlined } from '@ant-design/icons';
import { Alert, App, Button, Card, Descriptions, Empty, InputNumber, Space, Table, Tag, Tooltip, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useCallback, useEffect, useState } from 'react';
import { Link, useNavigate } from 'react-router-dom';
import { DISBURSEMENT_STATUS_LABELS, DISBURSEMENT_STATUSES, FEE_SHEET_STATUS_LABELS, FEE_SHEET_STATUSES, type MoneyOverview } from '../../shared/api-fees';
import { api, ApiError, errorMessage } from '../api/client';
import { useAuth } from '../auth/AuthContext';
import { BarChart } from '../common/BarChart';
import { CampaignSelect } from '../common/CampaignSelect';
import { useCampaignChoice } from '../common/useCampaignChoice';
import { formatScore } from '../common/format';
import { byNumber, byText, codeFilter } from '../common/tableSort';
import { useNotifyError } from '../common/useNotifyError';
import { DISBURSEMENT_STATUS_COLORS, FEE_SHEET_SHORT_LABELS, FEE_SHEET_STATUS_COLORS, districtPagePath, fenText, fenToYuanText, parseYuan, yuan } from './labels';
import './fees.css';

type Row = MoneyOverview['rows'][number];

/** The money columns' sums over some rows, as the server sums them (a missing amount adds nothing). */
function moneyTotals(rows: readonly Row[]): MoneyOverview['totals'] {
  const sum = (f: (r: Row) => number | null) => rows.reduce((a, r) => a + (f(r) ?? 0), 0);
  return { feeFen: sum((r) => r.feeFen), siteFundsFen: sum((r) => r.siteFundsFen), totalFen: sum((r) => r.totalFen), approvedFen: sum((r) => r.approvedFen), paidFen: sum((r) => r.paidFen), allocatedFen: sum((r) => r.allocatedFen) };
}

/** Axis ticks of money: fen → '12 万' / '3,000'. */
function tickYuan(fen: number): string {
  const y = fen / 100;
  if (y >= 10000) return `${(y / 10000).toLocaleString('zh-CN', { maximumFractionDigits: 2 })} 万元`;
  return `${y.toLocaleString('zh-CN', { maximumFractionDigits: 2 })} 元`;
}

function SpecialFund({ overview, editable, onSaved }: { overview: MoneyOverview; editable: boolean; onSaved: (o: MoneyOverview) => void }) {
  const { message, modal } = App.useApp();
  const notifyError = useNotifyError();
  const [editing, setEditing] = useState(false);
  const [text, setText] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const parsed = parseYuan(text);

  const start = () => {
    setText(fenToYuanText(overview.specialFundFen));
    setEditing(true);
  };
  const save = () => {
    if (parsed.error) return;
    const amountFen = parsed.fen;
    modal.confirm({
      title: '修改专项工作经费？',
      content: amountFen === null ? '将清除已录入的专项工作经费。' : `全民参保登记专项工作经费设为 ${yuan(amountFen)}（需再次验证密码）。`,
      okText: '确认修改',
      cancelText: '取消',
      onOk: async () => {
        setSaving(true);
        try {
          onSaved(await api.put<MoneyOverview>(`/api/campaigns/${overview.campaignId}/special-fund`, { amountFen }));
          setEditing(false);
          void message.success('专项工作经费已保存');
        } catch (err) {
          notifyError(err);
        } finally {
          setSaving(false);
        }
      },
    });
  };

  if (editing) {
    return (
      <Space wrap>
        <InputNumber<string>
          stringMode
          aria-label="专项工作经费（元）"
          data-testid="special-fund-input"
          value={text}
          min="0"
          precision={2}
          suffix="元"
          placeholder="未录入"
          status={parsed.error ? 'error' : undefined}
          onChange={setText}
          onPressEnter={save}
          style={{ width: 220 }}
        />
        <Button type="primary" size="small" loading={saving} disabled={!!parsed.error} onClick={save} data-testid="special-fund-save">
          保存
        </Button>
        <Button size="small" onClick={() => setEditing(false)}>
          取消
        </Button>
        {parsed.error && <Typography.Text type="danger">{parsed.error}</Typography.Text>}
      </Space>
    );
  }
  return (
    <Space>
      <strong data-testid="special-fund">{overview.specialFundFen === null ? '未录入' : yuan(overview.specialFundFen)}</strong>
      {editable && (
        <Button size="small" type="link" icon={<EditOutlined />} onClick={start} data-testid="special-fund-edit">
          修改
        </Button>
      )}
    </Space>
  );
}

export function FeesPage() {
  const navigate = useNavigate();
  const { user } = useAuth();
  const { campaigns, campaignId, choose } = useCampaignChoice('campaign');
  const [overview, setOverview] = useState<MoneyOverview | null>(null);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const load = useCallback(async (id: number) => {
    setLoading(true);
    try {
      setOverview(await api.get<MoneyOverview>(`/api/campaigns/${id}/money`));
      setError(null);
    } catch (err) {
      setOverview(null);
      setError(err instanceof ApiError && err.status === 404 ? '该考核批次不存在或尚未启用' : errorMessage(err));
    } finally {
      setLoading(false);
    }
  }, []);

  useEffect(() => {
    if (campaignId !== undefined) void load(campaignId);
  }, [campaignId, load]);

  const open = (r: Row) => campaignId !== undefined && navigate(districtPagePath(campaignId, r.districtId));

  const columns: ColumnsType<Row> = [
    {
      title: '单位',
      dataIndex: 'districtName',
      fixed: 'left',
      width: 84,
      sorter: byText((r) => r.districtName),
      render: (name: string, r) =>
        campaignId === undefined ? (
          name
        ) : (
          <Link to={districtPagePath(campaignId, r.districtId)} data-testid={`open-${r.districtId}`} onClick={(e) => e.stopPropagation()}>
            {name}
          </Link>
        ),
    },
    {
      title: '有效数据',
      dataIndex: 'validCount',
      width: 100,
      align: 'right',
      sorter: byNumber((r) => r.validCount),
      render: (v: number | null) => (v === null ? <Typography.Text type="secondary">未冻结</Typography.Text> : `${v.toLocaleString('zh-CN')} 人`),
    },
    { title: '考核总分', dataIndex: 'assessedTotal', width: 96, align: 'right', render: (v: number | null) => (v === null ? '—' : formatScore(v)), sorter: byNumber((r) => r.assessedTotal) },
    {
      title: '档次',
      key: 'tier',
      width: 70,
      align: 'right',
      render: (_, r) => (r.tierLabel ? <Tooltip title={`${r.tierLabel}，按计发基数的 ${r.tierPercent ?? '—'}% 发放`}>{`${r.tierPercent ?? '—'}%`}</Tooltip> : '—'),
    },
    { title: '考核费用', dataIndex: 'feeFen', width: 108, align: 'right', render: fenText, sorter: byNumber((r) => r.feeFen) },
    { title: '示范点经费', dataIndex: 'siteFundsFen', width: 112, align: 'right', render: fenText, sorter: byNumber((r) => r.siteFundsFen) },
    { title: '合计', dataIndex: 'totalFen', width: 108, align: 'right', render: (v: number | null) => <strong>{fenText(v)}</strong>, sorter: byNumber((r) => r.totalFen) },
    {
      title: '核算状态',
      key: 'sheet',
      width: 100,
      sorter: (a, b) => (a.sheetStatus ? FEE_SHEET_STATUSES.indexOf(a.sheetStatus) : -1) - (b.sheetStatus ? FEE_SHEET_STATUSES.indexOf(b.sheetStatus) : -1),
      render: (_, r) =>
        r.sheetStatus ? (
          <Tooltip title={FEE_SHEET_STATUS_LABELS[r.sheetStatus]}>
            <Tag color={FEE_SHEET_STATUS_COLORS[r.sheetStatus]}>{FEE_SHEET_SHORT_LABELS[r.sheetStatus]}</Tag>
          </Tooltip>
        ) : (
          <Tooltip title={r.missing.length ? r.missing.join('；') : '可以核算'}>
            <Tag>{r.missing.length ? '不能核算' : '未核算'}</Tag>
          </Tooltip>
        ),
    },
    { title: '已审批', dataIndex: 'approvedFen', width: 108, align: 'right', render: fenText, sorter: byNumber((r) => r.approvedFen) },
    { title: '已拨付', dataIndex: 'paidFen', width: 108, align: 'right', render: fenText, sorter: byNumber((r) => r.paidFen) },
    { title: '已分配', dataIndex: 'allocatedFen', width: 108, align: 'right', render: fenText, sorter: byNumber((r) => r.allocatedFen) },
    {
      title: '拨付状态',
      dataIndex: 'disbursementStatus',
      width: 132,
      sorter: (a, b) => DISBURSEMENT_STATUSES.indexOf(a.disbursementStatus) - DISBURSEMENT_STATUSES.indexOf(b.disbursementStatus),
      ...codeFilter(DISBURSEMENT_STATUSES, DISBURSEMENT_STATUS_LABELS, (r: Row) => r.disbursementStatus),
      render: (s: Row['disbursementStatus']) => <Tag color={DISBURSEMENT_STATUS_COLORS[s]}>{DISBURSEMENT_STATUS_LABELS[s]}</Tag>,
    },
  ];

  const rows = overview?.rows ?? [];
  const chartRows = rows;

  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }} className="fees-page">
      <Card
        title="考核费用"
        extra={
          <Space wrap>
            <CampaignSelect campaigns={campaigns} campaignId={campaignId} onChange={choose} testId="fees-campaign" />
            {campaignId !== undefined && (
              <Button icon={<FileExcelOutlined />} href={`/api/campaigns/${campaignId}/money.xlsx`} download data-testid="money-xlsx">
                导出 Excel
              </Button>
            )}
          </Space>
        }
      >
        {campaigns !== null && campaigns.length === 0 && <Alert type="info" showIcon title="还没有已启用的考核批次。" />}
        {error && <Alert type="error" showIcon title="加载失败" description={error} style={{ marginBottom: 12 }} />}
        {overview && (
          <>
            <Descriptions
              size="small"
              style={{ marginBottom: 12 }}
              column={{ xs: 1, md: 2, xl: 4 }}
              items={[
                {
                  key: 'fund',
                  label: '全民参保登记专项工作经费',
                  span: 2,
                  children: <SpecialFund overview={overview} editable={user?.role === 'city_admin'} onSaved={setOverview} />,
                },
                { key: 'total', label: '考核费用与示范点经费合计', children: <span data-testid="money-total">{yuan(overview.totals.totalFen)}</span> },
                { key: 'paid', label: '已拨付合计', children: yuan(overview.totals.paidFen) },
              ]}
            />
            {overview.overFundWarning && <Alert type="warning" showIcon title={overview.overFundWarning} style={{ marginBottom: 12 }} data-testid="over-fund-warning" />}
          </>
        )}
        <div data-testid="money-table">
          <Table<Row>
            rowKey="districtId"
            size="middle"
            bordered
            loading={loading}
            columns={columns}
            dataSource={rows}
            pagination={false}
            scroll={{ x: 1250 }}
            locale={{ emptyText: '没有可查看的区' }}
            rowClassName={() => 'fees-row-clickable'}
            onRow={(r) => ({ onClick: () => open(r), title: `查看${r.districtName}的考核费用` })}
            summary={(shown) => {
              if (!overview || rows.length <= 1) return null;
              // The rows the column filter leaves (the server's totals when it leaves them all).
              const t = shown.length === rows.length ? overview.totals : moneyTotals(shown);
              return (
                <Table.Summary fixed>
                  <Table.Summary.Row className="fees-total-row" data-testid="money-totals">
                    <Table.Summary.Cell index={0}>{shown.length === rows.length ? '合计' : `合计（${shown.length} 个区）`}</Table.Summary.Cell>
                    <Table.Summary.Cell index={1} align="right">
                      {shown.some((r) => r.validCount !== null) ? `${shown.reduce((s, r) => s + (r.validCount ?? 0), 0).toLocaleString('zh-CN')} 人` : '—'}
                    </Table.Summary.Cell>
                    <Table.Summary.Cell index={2} />
                    <Table.Summary.Cell index={3} />
                    <Table.Summary.Cell index={4} align="right">
                      {fenText(t.feeFen)}
                    </Table.Summary.Cell>
                    <Table.Summary.Cell index={5} align="right">
                      {fenText(t.siteFundsFen)}
                    </Table.Summary.Cell>
                    <Table.Summary.Cell index={6} align="right">
                      <strong>{fenText(t.totalFen)}</strong>
                    </Table.Summary.Cell>
                    <Table.Summary.Cell index={7} />
                    <Table.Summary.Cell index={8} align="right">
                      {fenText(t.approvedFen)}
                    </Table.Summary.Cell>
                    <Table.Summary.Cell index={9} align="right">
                      {fenText(t.paidFen)}
                    </Table.Summary.Cell>
                    <Table.Summary.Cell index={10} align="right">
                      {fenText(t.allocatedFen)}
                    </Table.Summary.Cell>
                    <Table.Summary.Cell index={11} />
                  </Table.Summary.Row>
                </Table.Summary>
              );
            }}
          />
        </div>
        <Typography.Paragraph type="secondary" style={{ margin: '8px 0 0', fontSize: 13 }}>
          金额单位：元。考核费用 = 冻结的有效数据 × 入户调查基准费用 × 考核总分档次的发放比例；示范点经费另行列示。点击一行查看该区的核算、拨付与分配。
        </Typography.Paragraph>
      </Card>
      {overview && (
        <Card title="各区费用、拨付与分配" size="small">
          {chartRows.length === 0 ? (
            <Empty description="暂无数据" />
          ) : (
            <BarChart
              title="各区考核费用与示范点经费、已拨付、已分配"
              data-testid="money-chart"
              categories={chartRows.map((r) => r.districtName)}
              series={[
                { name: '考核费用+示范点经费', color: '#1677ff', values: chartRows.map((r) => r.totalFen ?? r.siteFundsFen) },
                { name: '已拨付', color: '#52c41a', values: chartRows.map((r) => r.paidFen) },
                { name: '已分配', color: '#faad14', values: chartRows.map((r) => r.allocatedFen) },
              ]}
              formatValue={yuan}
              formatTick={tickYuan}
            />
          )}
        </Card>
      )}
    </Space>
  );
}
