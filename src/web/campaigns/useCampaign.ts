import { App } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { api, ApiError } from '../api/client';
import type { Campaign } from '../api/types';
import { useNotifyError } from '../common/useNotifyError';

export type CampaignPatch = Partial<
  Omit<Campaign, 'id' | 'code' | 'year' | 'status' | 'updatedAt' | 'version' | 'categories' | 'quotas'>
> & {
  categories?: {
    id?: number;
    name: string;
    maxScore: number;
    criteria: { id?: number; text: string; maxScore: number; kind: 'manual' | 'accuracy' }[];
  }[];
  quotas?: { orgUnitId: number; quota: number }[];
};

export type UseCampaign = {
  campaign: Campaign | null;
  loading: boolean;
  error: unknown;
  reload: () => Promise<void>;
  /** PUT the edited section with the version read; true when saved. A 409 shows the message and reloads. */
  save: (patch: CampaignPatch) => Promise<boolean>;
  transition: (status: Campaign['status']) => Promise<boolean>;
};

export function useCampaign(id: number): UseCampaign {
  const { message, modal } = App.useApp();
  const notifyError = useNotifyError();
  const [campaign, setCampaign] = useState<Campaign | null>(null);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<unknown>(null);

  const reload = useCallback(async () => {
    setLoading(true);
    try {
      setCampaign(await api.get<Campaign>(`/api/campaigns/${id}`));
      setError(null);
    } catch (err) {
      setError(err);
    } finally {
      setLoading(false);
    }
  }, [id]);

  useEffect(() => {
    void reload();
  }, [reload]);

  const handleWriteError = useCallback(
    (err: unknown) => {
      if (err instanceof ApiError && err.code === 'CONFLICT') {
        modal.warning({ title: '无法保存', content: `${err.message}（页面已重新加载为最新数据，请核对后再操作）`, okText: '确定' });
        void reload();
      } else {
        notifyError(err);
      }
    },
    [modal, notifyError, reload],
  );

  const save = useCallback(
    async (patch: CampaignPatch) => {
      if (!campaign) return false;
      try {
        const next = await api.put<Campaign>(`/api/campaigns/${campaign.id}`, { ...patch, version: campaign.version });
        setCampaign(next);
        void message.success('已保存');
        return true;
      } catch (err) {
        handleWriteError(err);
        return false;
      }
    },
    [campaign, message, handleWriteError],
  );

  const transition = useCallback(
    async (status: Campaign['status']) => {
      if (!campaign) return false;
      try {
        const next = await api.post<Campaign>(`/api/campaigns/${campaign.id}/status`, { status, version: campaign.version });
        setCampaign(next);
        void message.success('状态已更新');
        return true;
      } catch (err) {
        handleWriteError(err);
        return false;
      }
    },
    [campaign, message, handleWriteError],
  );

  return { campaign, loading, error, reload, save, transition };
}
