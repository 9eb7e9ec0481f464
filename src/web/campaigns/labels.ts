import type { Campaign } from '../api/types';

export type CampaignStatus = Campaign['status'];

export const CAMPAIGN_STATUS_LABELS: Record<CampaignStatus, string> = {
  draft: '草稿',
  active: '进行中',
  closed: '已结束',
};

export const CAMPAIGN_STATUS_COLORS: Record<CampaignStatus, string> = {
  draft: 'default',
  active: 'green',
  closed: 'red',
};

export const CRITERION_KIND_LABELS: Record<'manual' | 'accuracy', string> = {
  manual: '人工评分',
  accuracy: '按抽查差错自动计分',
};
