import { useEffect, useMemo, useState } from 'react';
import { useSearchParams } from 'react-router-dom';
import { api } from '../api/client';
import type { CampaignList, CampaignSummary } from '../api/types';
import { useNotifyError } from './useNotifyError';

/** The campaign shown by default: the active one (latest year), else the latest one. */
export function defaultCampaign(list: CampaignSummary[]): CampaignSummary | undefined {
  const sorted = [...list].sort((a, b) => b.year - a.year || b.id - a.id);
  return sorted.find((c) => c.status === 'active') ?? sorted[0];
}

/**
 * The started campaigns (drafts have no assessments, fees or nominations yet) and the one chosen in
 * the URL (`?<param>=`), else the active one; `choose` puts another one in the URL.
 */
export function useCampaignChoice(param = 'campaign'): { campaigns: CampaignSummary[] | null; campaignId: number | undefined; choose: (id: number) => void } {
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
  const fromUrl = Number(params.get(param));
  const campaignId = useMemo(() => {
    if (!campaigns) return undefined;
    if (campaigns.some((c) => c.id === fromUrl)) return fromUrl;
    return defaultCampaign(campaigns)?.id;
  }, [campaigns, fromUrl]);
  return { campaigns, campaignId, choose: (id: number) => setParams({ [param]: String(id) }, { replace: true }) };
}
