// 表彰名单: the nominations the city approved, by unit — seen by the city at any time (before
// publication as a preview), by everyone else once the city published it; downloadable as .xlsx
// and .docx.
import { ArrowLeftOutlined, FileExcelOutlined, FileWordOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Result, Space, Spin, Table, Tag, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { Link } from 'react-router-dom';
import type { CommendationList } from '../../shared/api-awards';
import { isCityRole } from '../../shared/roles';
import { api, ApiError, errorMessage } from '../api/client';
import { useUser } from '../auth/AuthContext';
import { formatTime } from '../common/format';
import { byNumber, byText, textFilter } from '../common/tableSort';
import { CampaignSelect } from '../common/CampaignSelect';
import { useCampaignChoice } from '../common/useCampaignChoice';

type Row = CommendationList['items'][number];

export function CommendationListPage() {
  const user = useUser();
  const { campaigns, campaignId, choose } = useCampaignChoice('campaignId');
  const [data, setData] = useState<CommendationList | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [loading, setLoading] = useState(false);

  useEffect(() => {
    if (campaignId === undefined) return;
    let live = true;
    setLoading(true);
    setData(null);
    setError(null);
    api
      .get<CommendationList>(`/api/campaigns/${campaignId}/commendation-list`)
      .then((r) => {
        if (live) setData(r);
      })
      .catch((err: unknown) => {
        if (live) setError(err);
      })
      .finally(() => {
        if (live) setLoading(false);
      });
    return () => {
      live = false;
    };
  }, [campaignId]);

  const base = `/api/campaigns/${campaignId}/commendation-list`;
  const notYet = error instanceof ApiError && (error.status === 403 || error.status === 404);

  return (
    <Card
      title={
        <Space wrap>
          <Link to={campaignId ? `/awards?campaignId=${campaignId}` : '/awards'} aria-label="返回先进个人推荐">
            <ArrowLeftOutlined />
          </Link>
          <span>先进个人表彰名单</span>
          {data && (data.publishedAt ? <Tag color="success">已发布 {formatTime(data.publishedAt)}</Tag> : <Tag color="warning">未发布（预览）</Tag>)}
        </Space>
      }
      extra={
        <Space wrap>
          <CampaignSelect campaigns={campaigns} campaignId={campaignId} onChange={choose} width={300} />
          {data && (
            <>
              <Button icon={<FileExcelOutlined />} href={`${base}.xlsx`} download data-testid="commendation-xlsx">
                导出 Excel
              </Button>
              <Button icon={<FileWordOutlined />} href={`${base}.docx`} download data-testid="commendation-docx">
                导出 Word
              </Button>
            </>
          )}
        </Space>
      }
    >
      {loading && !data && <Spin />}
      {notYet && (
        <Result
          status="info"
          title="表彰名单尚未发布"
          subTitle={isCityRole(user.role) ? errorMessage(error) : '市社保经办机构评审完毕并发布后，可在此查看表彰名单。'}
          data-testid="commendation-not-published"
        />
      )}
      {error !== null && !notYet && <Alert type="error" showIcon title="加载失败" description={errorMessage(error)} />}
      {data && (
        <>
          <Typography.Title level={4} style={{ textAlign: 'center', marginTop: 0, marginBottom: 4 }}>
            全民参保登记工作先进个人名单
          </Typography.Title>
          <Typography.Paragraph type="secondary" style={{ textAlign: 'center' }}>
            {data.campaignName}
          </Typography.Paragraph>
          {!data.publishedAt && <Alert type="warning" showIcon style={{ marginBottom: 12 }} title="名单尚未发布：以下为目前评审通过的人员，发布后各区方可查看。" />}
          <div data-testid="commendation-table">
            <Table<Row>
              rowKey="seq"
              size="middle"
              bordered
              pagination={false}
              dataSource={data.items}
              locale={{ emptyText: '没有评审通过的人员' }}
              columns={[
                { title: '序号', dataIndex: 'seq', width: 80, align: 'center', sorter: byNumber((r) => r.seq) },
                { title: '单位', dataIndex: 'orgUnitName', width: 150, sorter: byText((r) => r.orgUnitName), ...textFilter(data.items, (r) => r.orgUnitName) },
                { title: '姓名', dataIndex: 'name', width: 120, sorter: byText((r) => r.name) },
                { title: '工作单位', dataIndex: 'workUnit', sorter: byText((r) => r.workUnit) },
                { title: '职务', dataIndex: 'position', width: 180, sorter: byText((r) => r.position) },
              ]}
            />
          </div>
          <Typography.Paragraph type="secondary" style={{ marginTop: 12, marginBottom: 0 }}>
            共 {data.items.length} 人。
          </Typography.Paragraph>
        </>
      )}
    </Card>
  );
}
