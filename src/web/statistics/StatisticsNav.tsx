// The tabs of 汇总分析 (统计分析 · 工作量统计 · 人员明细数据表 · 分析报告), shared by its pages. Each tab
// keeps the unit chosen in the URL (orgUnitId), so switching pages stays on the same unit. Also the
// pages' "unit not found" answer and the campaign they work in.
import { Button, Result, Tabs } from 'antd';
import { useEffect, useState } from 'react';
import { useLocation, useNavigate, useSearchParams } from 'react-router-dom';
import { api } from '../api/client';
import type { CampaignList, CampaignSummary } from '../api/types';

const TABS = [
  { key: '/statistics', label: '统计分析' },
  { key: '/statistics/work', label: '工作量统计' },
  { key: '/statistics/detail-tables', label: '人员明细数据表' },
  { key: '/statistics/reports', label: '分析报告' },
] as const;

/** `keepUnit` false: the tabs open each page at the user's own unit (after a unit that was not found). */
export function StatisticsNav({ keepUnit = true }: { keepUnit?: boolean }) {
  const { pathname } = useLocation();
  const [params] = useSearchParams();
  const navigate = useNavigate();
  const orgUnitId = keepUnit ? params.get('orgUnitId') : null;
  const active = TABS.find((t) => t.key === pathname.replace(/\/+$/, ''))?.key ?? '/statistics';
  return (
    <Tabs
      className="stat-screen stat-nav"
      data-testid="statistics-nav"
      activeKey={active}
      onChange={(key) => navigate(orgUnitId ? `${key}?orgUnitId=${encodeURIComponent(orgUnitId)}` : key)}
      items={TABS.map((t) => ({ key: t.key, label: t.label }))}
    />
  );
}

/** The unit in the URL: undefined (the user's own), a positive id, or 'bad'. */
export function unitParam(params: URLSearchParams): number | undefined | 'bad' {
  const raw = params.get('orgUnitId');
  if (raw === null || raw === '') return undefined;
  const id = Number(raw);
  return Number.isInteger(id) && id > 0 ? id : 'bad';
}

/** A unit outside the user's scope, or one that does not exist: the server answers 404 alike. */
export function StatNotFound({ back = '/statistics' }: { back?: string }) {
  const navigate = useNavigate();
  return (
    <Result
      status="404"
      title="404"
      subTitle="该单位不存在，或不在您的管辖范围内。"
      data-testid="statistics-not-found"
      extra={
        <Button type="primary" onClick={() => navigate(back)}>
          返回本级
        </Button>
      }
    />
  );
}

/**
 * The campaign the statistics pages work in: the active one (latest year), else the latest one that
 * has started. undefined while loading, null when there is none.
 */
export function useCurrentCampaign(): CampaignSummary | null | undefined {
  const [campaign, setCampaign] = useState<CampaignSummary | null | undefined>(undefined);
  useEffect(() => {
    let alive = true;
    api
      .get<CampaignList>('/api/campaigns')
      .then((r) => {
        const started = r.items.filter((c) => c.status !== 'draft').sort((a, b) => b.year - a.year || b.id - a.id);
        if (alive) setCampaign(started.find((c) => c.status === 'active') ?? started[0] ?? null);
      })
      .catch(() => {
        if (alive) setCampaign(null);
      });
    return () => {
      alive = false;
    };
  }, []);
  return campaign;
}
