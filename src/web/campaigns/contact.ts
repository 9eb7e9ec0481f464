// The contact to whom papers are sent (seed 五（三） "联系人：吴卫琴，电话：88112733"), as the pages
// that lead to a submission show it: the nomination form and the self-assessment.
import type { Campaign } from '../api/types';
import { useApiGet } from '../common/useApiGet';

/** '吴卫琴，电话：88112733'; null when the campaign names nobody. */
export function contactText(c: Pick<Campaign, 'contactName' | 'contactPhone'> | null | undefined): string | null {
  if (!c || (!c.contactName && !c.contactPhone)) return null;
  if (!c.contactPhone) return c.contactName;
  return c.contactName ? `${c.contactName}，电话：${c.contactPhone}` : `电话：${c.contactPhone}`;
}

/** The campaign (every role reads it) and its contact line. */
export function useCampaignData(campaignId: number): { campaign: Campaign | null; contact: string | null; loading: boolean } {
  const { data, loading } = useApiGet<Campaign>(`/api/campaigns/${campaignId}`);
  return { campaign: data, contact: contactText(data), loading };
}
