// 考核评估 — the overview of a campaign: every district of the user's scope with its assessment's
// status, self and assessed totals, missing items and evidence, and a link to its scorecard.
// A district's users see their own district only (the server filters).
import { FileExcelOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Descriptions, Space, Table, Tag, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useCallback, useEffect, useState } from 'react';
import { Link } from 'react-router-dom';
import type { z } from 'zod';
import { ASSESSMENT_STATUS_LABELS, ASSESSMENT_STATUSES, type assessmentOverview } from '../../shared/api-assessment';
import { api, errorMessage } from '../api/client';
import { formatTime } from '../common/format';
import { byNumber, byText, byTime, codeFilter } from '../common/tableSort';
import { CampaignSelect } from '../common/CampaignSelect';
import { useCampaignChoice } from '../common/useCampaignChoice';
import { ASSESSMENT_STATUS_COLORS, showScore } from './labels';

type Overview = z.infer<typeof assessmentOverview>;
type Summary = Overview['items'][number];

/** Nothing assessed yet is not 0 points: the 考核分 shows (and sorts) once there is one. */
const assessedShown = (r: Summary) => r.status === 'final' || (r.status !== 'draft' && r.assessedTotal > 0);

export function AssessmentsPage() {
  const { campaigns, campaignId, choose } = useCampaignChoice('campaign');
  const [overview, setOverview] = useState<Overview | null>(null);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const load = useCallback(async (id: number) => {
    setLoading(true);
    try {
      setOverview(await api.get<Overview>(`/api/campaigns/${id}/assessments`));
      setError(null);
    } catch (err) {
      setOverview(null);
      setError(errorMessage(err));
    } finally {
      setLoading(false);
    }
  }, []);

  useEffect(() => {
    if (campaignId !== undefined) void load(campaignId);
  }, [campaignId, load]);

  const columns: ColumnsType<Summary> = [
    {
      title: '被考核单位',
      dataIndex: 'orgUnitName',
      sorter: byText((r) => r.orgUnitName),
      render: (name: string, r) => (
        <Link to={`/assessments/${campaignId}/${r.orgUnitId}`} data-testid={`open-${r.orgUnitId}`}>
          {name}
        </Link>
      ),
    },
    {
      title: '状态',
      dataIndex: 'status',
      width: 150,
      sorter: (a, b) => ASSESSMENT_STATUSES.indexOf(a.status) - ASSESSMENT_STATUSES.indexOf(b.status),
      ...codeFilter(ASSESSMENT_STATUSES, ASSESSMENT_STATUS_LABELS, (r: Summary) => r.status),
      render: (s: Summary['status']) => <Tag color={ASSESSMENT_STATUS_COLORS[s]}>{ASSESSMENT_STATUS_LABELS[s]}</Tag>,
    },
    { title: '自评分', dataIndex: 'selfTotal', width: 96, align: 'right', render: (v: number, r) => (r.id === null ? '—' : showScore(v)), sorter: byNumber((r) => (r.id === null ? null : r.selfTotal)) },
    {
      title: '考核分',
      dataIndex: 'assessedTotal',
      width: 96,
      align: 'right',
      sorter: byNumber((r) => (assessedShown(r) ? r.assessedTotal : null)),
      render: (v: number, r) => (assessedShown(r) ? showScore(v) : '—'),
    },
    {
      title: '未填 / 未评',
      key: 'missing',
      width: 120,
      align: 'center',
      sorter: (a, b) => a.missingSelf - b.missingSelf || a.missingAssessed - b.missingAssessed,
      render: (_, r) => (
        <span title={`未填写自评分 ${r.missingSelf} 项，未评考核分 ${r.missingAssessed} 项`}>
          <Typography.Text type={r.missingSelf > 0 ? 'warning' : undefined}>{r.missingSelf}</Typography.Text>
          {' / '}
          <Typography.Text type={r.missingAssessed > 0 && r.status === 'submitted' ? 'warning' : undefined}>{r.missingAssessed}</Typography.Text>
        </span>
      ),
    },
    { title: '佐证材料', dataIndex: 'evidenceCount', width: 106, align: 'right', render: (n: number) => `${n} 个`, sorter: byNumber((r) => r.evidenceCount) },
    { title: '提交时间', dataIndex: 'submittedAt', width: 150, render: (v: string | null) => formatTime(v), sorter: byTime((r) => r.submittedAt) },
    { title: '完成时间', dataIndex: 'finalizedAt', width: 150, render: (v: string | null) => formatTime(v), sorter: byTime((r) => r.finalizedAt) },
    {
      title: '操作',
      key: 'action',
      width: 90,
      render: (_, r) => <Link to={`/assessments/${campaignId}/${r.orgUnitId}`}>查看考核表</Link>,
    },
  ];

  return (
    <Card
      title="考核评估"
      extra={
        <Space>
          <CampaignSelect campaigns={campaigns} campaignId={campaignId} onChange={choose} testId="assessment-campaign" />
          {campaignId !== undefined && (
            <Button icon={<FileExcelOutlined />} href={`/api/campaigns/${campaignId}/assessments.xlsx`} download data-testid="overview-xlsx">
              导出 Excel
            </Button>
          )}
        </Space>
      }
    >
      {campaigns !== null && campaigns.length === 0 && <Alert type="info" showIcon title="还没有已启用的考核批次。" />}
      {error && <Alert type="error" showIcon title="加载失败" description={error} style={{ marginBottom: 12 }} />}
      {overview && (
        <Descriptions
          size="small"
          style={{ marginBottom: 12 }}
          column={{ xs: 1, md: 3 }}
          items={[
            { key: 'deadline', label: '自查自评截止日期', children: overview.deadline },
            { key: 'total', label: '考核总分', children: `${showScore(overview.totalScore)} 分` },
            { key: 'count', label: '被考核单位', children: `${overview.items.length} 个` },
          ]}
        />
      )}
      <div data-testid="assessments-table">
        <Table<Summary>
        rowKey="orgUnitId"
        size="middle"
        loading={loading}
        columns={columns}
        dataSource={overview?.items ?? []}
        pagination={false}
        scroll={{ x: 1120 }}
        locale={{ emptyText: '没有可查看的被考核单位' }}
        />
      </div>
    </Card>
  );
}
