import { Select, Space } from 'antd';
import type { CampaignSummary } from '../api/types';

/** 考核批次: the campaign picker of the overview pages (with useCampaignChoice). */
export function CampaignSelect(props: { campaigns: CampaignSummary[] | null; campaignId: number | undefined; onChange: (id: number) => void; testId?: string; width?: number }) {
  return (
    <Space size={8}>
      <span>考核批次</span>
      <Select
        aria-label="考核批次"
        data-testid={props.testId}
        style={{ width: props.width ?? 340 }}
        loading={props.campaigns === null}
        value={props.campaignId}
        placeholder="请选择考核批次"
        options={(props.campaigns ?? []).map((c) => ({ value: c.id, label: c.name }))}
        onChange={props.onChange}
      />
    </Space>
  );
}
