import { ArrowLeftOutlined } from '@ant-design/icons';
import { Alert, App, Button, Card, Descriptions, Result, Space, Spin, Tabs, Tag } from 'antd';
import { useState } from 'react';
import { Link, useParams } from 'react-router-dom';
import { ApiError, errorMessage } from '../api/client';
import { useUser } from '../auth/AuthContext';
import { formatScore, formatTime } from '../common/format';
import { AwardConditionsTab } from './AwardConditionsTab';
import { FeeRulesTab } from './FeeRulesTab';
import { CAMPAIGN_STATUS_COLORS, CAMPAIGN_STATUS_LABELS } from './labels';
import { QuotasTab } from './QuotasTab';
import { ScheduleTab } from './ScheduleTab';
import { ScorecardTab } from './ScorecardTab';
import { useCampaign } from './useCampaign';

export function CampaignDetailPage() {
  const params = useParams();
  const id = Number(params.id);
  if (!Number.isInteger(id) || id <= 0) return <Result status="404" title="404" subTitle="考核批次不存在。" />;
  return <CampaignDetail id={id} />;
}

function CampaignDetail({ id }: { id: number }) {
  const user = useUser();
  const { modal } = App.useApp();
  const { campaign, loading, error, save, transition } = useCampaign(id);
  const [tab, setTab] = useState('scorecard');

  if (!campaign) {
    if (loading) return <Spin />;
    if (error instanceof ApiError && error.status === 404) return <Result status="404" title="404" subTitle="考核批次不存在。" />;
    return <Result status="error" title="加载失败" subTitle={errorMessage(error)} />;
  }

  const isCityAdmin = user.role === 'city_admin';
  const rulesEditable = isCityAdmin && campaign.status === 'draft';

  const confirmTransition = (to: 'active' | 'closed') => {
    modal.confirm({
      title: to === 'active' ? `启用考核批次“${campaign.name}”？` : `结束考核批次“${campaign.name}”？`,
      content:
        to === 'active'
          ? '启用后考核表、费用规则、名额和申报条件将不能再修改（时间安排和材料报送联系人仍可调整）。'
          : '结束后本批次的考核工作即告完成，不能再恢复为进行中。',
      okText: '确定',
      cancelText: '取消',
      onOk: () => transition(to),
    });
  };

  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
      <Card
        title={
          <Space>
            <Link to="/campaigns" aria-label="返回考核批次列表">
              <ArrowLeftOutlined />
            </Link>
            {campaign.name}
            <Tag color={CAMPAIGN_STATUS_COLORS[campaign.status]} data-testid="campaign-status">
              {CAMPAIGN_STATUS_LABELS[campaign.status]}
            </Tag>
          </Space>
        }
        extra={
          isCityAdmin && (
            <Space>
              {campaign.status === 'draft' && (
                <Button type="primary" onClick={() => confirmTransition('active')}>
                  启用
                </Button>
              )}
              {campaign.status === 'active' && (
                <Button danger onClick={() => confirmTransition('closed')}>
                  结束
                </Button>
              )}
            </Space>
          )
        }
      >
        <Descriptions
          size="small"
          column={{ xs: 1, md: 2, xl: 4 }}
          items={[
            { key: 'code', label: '批次代码', children: campaign.code },
            { key: 'year', label: '考核年度', children: campaign.year },
            { key: 'total', label: '考核总分', children: `${formatScore(campaign.totalScore)} 分` },
            { key: 'updated', label: '最后修改', children: formatTime(campaign.updatedAt) },
          ]}
        />
        {isCityAdmin && campaign.status !== 'draft' && (
          <Alert type="info" showIcon title="本批次已启用：考核表、费用规则、名额和申报条件不能再修改，时间安排和材料报送联系人仍可调整。" />
        )}
      </Card>
      <Card>
        {/* Each tab remounts when the campaign's version changes, so an editor never keeps stale data. */}
        <Tabs
          activeKey={tab}
          onChange={setTab}
          items={[
            { key: 'scorecard', label: '考核表', children: <ScorecardTab key={campaign.version} campaign={campaign} editable={rulesEditable} onSave={save} /> },
            { key: 'fees', label: '考核费用规则', children: <FeeRulesTab key={campaign.version} campaign={campaign} editable={rulesEditable} onSave={save} /> },
            { key: 'quotas', label: '先进个人名额', children: <QuotasTab key={campaign.version} campaign={campaign} editable={rulesEditable} onSave={save} /> },
            { key: 'award-conditions', label: '申报条件与联系人', children: <AwardConditionsTab key={campaign.version} campaign={campaign} rulesEditable={rulesEditable} contactEditable={isCityAdmin} onSave={save} /> },
            { key: 'schedule', label: '时间安排', children: <ScheduleTab key={campaign.version} campaign={campaign} editable={isCityAdmin} onSave={save} /> },
          ]}
        />
      </Card>
    </Space>
  );
}
