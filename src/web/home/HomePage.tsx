import { Alert, Button, Card, Col, Descriptions, Empty, Row, Spin, Tag, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { Link } from 'react-router-dom';
import { ORG_LEVEL_LABELS, ROLE_LABELS } from '../../shared/roles';
import { api } from '../api/client';
import type { CampaignSummary, Items } from '../api/types';
import { useUser } from '../auth/AuthContext';
import { ASSESSMENT_ROLES } from '../auth/roleGroups';
import { PhoneAppCard } from '../field/PhoneAppCard';
import { CAMPAIGN_STATUS_COLORS, CAMPAIGN_STATUS_LABELS } from '../campaigns/labels';
import { daysUntil, formatTime } from '../common/format';
import { useNotifyError } from '../common/useNotifyError';
import { DashboardCard } from '../statistics/DashboardCard';
import { DistrictsCard } from './DistrictsCard';
import { NotificationsCard } from './NotificationsCard';
import { AuditAlertCard } from '../audit/AuditStatusAlert';

function deadlineText(date: string): string {
  const d = daysUntil(date);
  if (d > 0) return `${date}（还有 ${d} 天）`;
  if (d === 0) return `${date}（今天截止）`;
  return `${date}（已过 ${-d} 天）`;
}

export function HomePage() {
  const user = useUser();
  const notifyError = useNotifyError();
  const [campaigns, setCampaigns] = useState<CampaignSummary[] | null>(null);

  useEffect(() => {
    api
      .get<Items<CampaignSummary>>('/api/campaigns')
      .then((r) => setCampaigns(r.items))
      .catch((err: unknown) => {
        setCampaigns([]);
        notifyError(err);
      });
  }, [notifyError]);

  const current = campaigns?.find((c) => c.status === 'active');
  const mayOpenCampaigns = ASSESSMENT_ROLES.includes(user.role);
  const expiresInDays = daysUntil(user.passwordExpiresAt.slice(0, 10));

  return (
    <>
      {user.role === 'city_admin' && <AuditAlertCard style={{ marginBottom: 24 }} />}
      <NotificationsCard style={{ marginBottom: 24 }} />
      {user.role === 'surveyor' && <PhoneAppCard style={{ marginBottom: 24 }} />}
      <Row gutter={[24, 24]}>
        <Col span={24}>
          <DashboardCard />
        </Col>
        <Col xs={24} lg={12}>
          <Card title="欢迎使用全民参保登记考核系统">
            <Typography.Paragraph>{user.displayName}，您好！</Typography.Paragraph>
            <Descriptions
              column={1}
              bordered
              size="small"
              items={[
                { key: 'username', label: '用户名', children: user.username },
                {
                  key: 'org',
                  label: '所属单位',
                  children: (
                    <>
                      {user.orgUnit.name} <Tag>{ORG_LEVEL_LABELS[user.orgUnit.level]}</Tag>
                    </>
                  ),
                },
                { key: 'role', label: '角色', children: ROLE_LABELS[user.role] },
                { key: 'pwd', label: '密码有效期至', children: formatTime(user.passwordExpiresAt) },
              ]}
            />
            {expiresInDays <= 7 && (
              <Alert
                style={{ marginTop: 16 }}
                type="warning"
                showIcon
                title={`您的密码将在 ${Math.max(expiresInDays, 0)} 天内过期，请及时修改。`}
                action={
                  <Link to="/password">
                    <Button size="small">修改密码</Button>
                  </Link>
                }
              />
            )}
          </Card>
        </Col>
        <Col xs={24} lg={12}>
          <Card title="当前考核批次">
            {campaigns === null ? (
              <Spin />
            ) : current ? (
              <>
                <Typography.Title level={5} style={{ marginTop: 0 }}>
                  {current.name} <Tag color={CAMPAIGN_STATUS_COLORS[current.status]}>{CAMPAIGN_STATUS_LABELS[current.status]}</Tag>
                </Typography.Title>
                <Descriptions
                  column={1}
                  bordered
                  size="small"
                  items={[
                    { key: 'code', label: '批次代码', children: current.code },
                    { key: 'year', label: '考核年度', children: current.year },
                    { key: 'self', label: '自查自评截止', children: deadlineText(current.selfAssessmentDeadline) },
                    { key: 'cutoff', label: '数据截止日期', children: deadlineText(current.dataCutoff) },
                  ]}
                />
                {mayOpenCampaigns && (
                  <div style={{ marginTop: 16 }}>
                    <Link to={`/campaigns/${current.id}`}>
                      <Button type="primary">查看考核批次</Button>
                    </Link>
                  </div>
                )}
              </>
            ) : (
              <Empty description="暂无进行中的考核批次">{mayOpenCampaigns && <Link to="/campaigns">查看全部考核批次</Link>}</Empty>
            )}
          </Card>
        </Col>
        <Col xs={24} lg={12}>
          <DistrictsCard />
        </Col>
      </Row>
    </>
  );
}
