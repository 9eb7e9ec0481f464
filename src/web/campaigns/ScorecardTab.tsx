import { PrinterOutlined } from '@ant-design/icons';
import { Alert, Button, Space, Typography } from 'antd';
import { useState } from 'react';
import type { Campaign } from '../api/types';
import { formatScore } from '../common/format';
import { ScorecardEditor } from './ScorecardEditor';
import { ScorecardTable } from './ScorecardTable';
import { scorecardProblems } from './rules';
import type { CampaignPatch } from './useCampaign';

export function ScorecardTab({ campaign, editable, onSave }: { campaign: Campaign; editable: boolean; onSave: (p: CampaignPatch) => Promise<boolean> }) {
  const [editing, setEditing] = useState(false);
  if (editing && editable) return <ScorecardEditor campaign={campaign} onSave={onSave} onCancel={() => setEditing(false)} />;
  const problems = scorecardProblems(campaign.categories, campaign.totalScore);
  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
      <Space>
        {editable && (
          <Button type="primary" onClick={() => setEditing(true)}>
            编辑
          </Button>
        )}
        <Button icon={<PrinterOutlined />} onClick={() => window.print()}>
          打印
        </Button>
      </Space>
      <div style={{ maxWidth: 900 }}>
        <Typography.Title level={4} style={{ textAlign: 'center' }}>
          全民参保登记工作考核表
        </Typography.Title>
        <Typography.Paragraph type="secondary" style={{ textAlign: 'center' }}>
          {campaign.name}（考核总分 {formatScore(campaign.totalScore)} 分）
        </Typography.Paragraph>
        <ScorecardTable categories={campaign.categories} />
      </div>
      {problems.length > 0 && (
        <Alert
          type="warning"
          showIcon
          title="考核表分值合计不一致"
          description={
            <ul style={{ margin: 0, paddingLeft: 20 }}>
              {problems.map((p) => (
                <li key={p}>{p}</li>
              ))}
            </ul>
          }
        />
      )}
    </Space>
  );
}
