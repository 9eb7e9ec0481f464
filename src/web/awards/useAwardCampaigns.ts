import { useEffect, useMemo, useState } from 'react';
import { useSearchParams } from 'react-router-dom';
import { api } from '../api/client';
import type { CampaignList, CampaignSummary } from '../api/types';
import { useNotifyError } from '../common/useNotifyError';
import { defaultCampaignId } from './labels';

/**
 * The campaigns that take nominations (not drafts) and the one chosen in the URL (?campaignId=),
 * else the active one; `choose` puts another one in the URL.
 */
export function useAwardCampaigns(): { campaigns: CampaignSummary[] | null; campaignId: number | undefined; choose: (id: number) => void } {
  const notifyError = useNotifyError();
  const [params, setParams] = useSearchParams();
  const [campaigns, setCampaigns] = useState<CampaignSummary[] | null>(null);
  useEffect(() => {
    let live = true;
    api
      .get<CampaignList>('/api/campaigns')
      .then((r) => {
        if (live) setCampaigns(r.items.filter((c) => c.status !== 'draft'));
      })
      .catch((err: unknown) => {
        if (!live) return;
        setCampaigns([]);
        notifyError(err);
      });
    return () => {
      live = false;
    };
  }, [notifyError]);
  const fromUrl = Number(params.get('campaignId'));
  const campaignId = useMemo(() => {
    if (!campaigns) return undefined;
    if (campaigns.some((c) => c.id === fromUrl)) return fromUrl;
    return defaultCampaignId(campaigns);
  }, [campaigns, fromUrl]);
  return { campaigns, campaignId, choose: (id: number) => setParams({ campaignId: String(id) }, { replace: true }) };
}
