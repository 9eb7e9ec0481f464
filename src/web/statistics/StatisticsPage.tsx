// 统计分析 (汇总分析, SPEC §5, issue 7): the figures of a unit's children — the city's districts, a
// district's streets, a street's communities — with drill-down, as of today / the data cutoff / a
// chosen day; the pivot table (汇总表) whose figures open the matching registration list; charts.
// Everything the user picks lives in the URL, so a link or the back button shows the same view. The
// server answers only within the user's subtree (a unit outside it is 404: "not found" here).
import { Alert, Breadcrumb, Button, Card, DatePicker, Result, Segmented, Space, Spin, Typography } from 'antd';
import dayjs from 'dayjs';
import { useEffect, useMemo, useState } from 'react';
import { useNavigate, useSearchParams } from 'react-router-dom';
import { STAT_DIMENSIONS, STAT_MEASURES, type Pivot, type StatDimension, type StatisticsOverview, type StatMeasure } from '../../shared/api-statistics';
import { api, ApiError, errorMessage } from '../api/client';
import type { CampaignList, CampaignSummary } from '../api/types';
import { useUser } from '../auth/AuthContext';
import { todayShanghai } from '../common/format';
import { ancestorPath } from '../common/orgTree';
import { useOrgs } from '../common/useOrgs';
import { TARGET_WRITERS } from './labels';
import { OverviewTable } from './OverviewTable';
import { PivotPrint } from './PivotPrint';
import { PivotSection } from './PivotSection';
import { StatisticsCharts } from './StatisticsCharts';
import { StatisticsNav } from './StatisticsNav';
import { useStatGet } from './useStatGet';
import './statistics.css';

type Basis = 'today' | 'cutoff' | 'date';
const STAT_LEVELS = new Set(['city', 'district', 'street', 'community']);

function NotFoundResult() {
  const navigate = useNavigate();
  return (
    <Result
      status="404"
      title="404"
      subTitle="该单位不存在，或不在您的管辖范围内。"
      data-testid="statistics-not-found"
      extra={
        <Button type="primary" onClick={() => navigate('/statistics')}>
          返回本级统计
        </Button>
      }
    />
  );
}

/** The active campaign (its data cutoff is the 截至数据截止日 basis). */
function useActiveCampaign(): CampaignSummary | null | undefined {
  const [campaign, setCampaign] = useState<CampaignSummary | null | undefined>(undefined);
  useEffect(() => {
    let alive = true;
    api
      .get<CampaignList>('/api/campaigns')
      .then((r) => {
        const active = r.items.filter((c) => c.status === 'active').sort((a, b) => b.year - a.year);
        if (alive) setCampaign(active[0] ?? null);
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

export function StatisticsPage() {
  const me = useUser();
  const { index } = useOrgs();
  const [params, setParams] = useSearchParams();
  const campaign = useActiveCampaign();
  const [tick, setTick] = useState(0);

  const orgParam = params.get('orgUnitId');
  const orgUnitId = orgParam === null ? undefined : Number(orgParam);
  const badUnit = orgUnitId !== undefined && !(Number.isInteger(orgUnitId) && orgUnitId > 0);
  const basisParam = params.get('basis');
  const basis: Basis = basisParam === 'cutoff' || basisParam === 'date' ? basisParam : 'today';
  const dateParam = params.get('asOf');
  const chosenDate = dateParam && /^\d{4}-\d{2}-\d{2}$/.test(dateParam) ? dateParam : null;
  const dimParam = params.get('dim') as StatDimension | null;
  const dim: StatDimension = dimParam && STAT_DIMENSIONS.includes(dimParam) ? dimParam : 'category';
  const measureParam = params.get('measure') as StatMeasure | null;
  const measure: StatMeasure = measureParam && STAT_MEASURES.includes(measureParam) ? measureParam : 'counted';
  const percent = params.get('pct') === '1';

  const cutoff = campaign?.dataCutoff ?? null;
  const asOf = basis === 'cutoff' ? (cutoff ?? undefined) : basis === 'date' ? (chosenDate ?? undefined) : undefined;
  // Wait for the campaign before asking for the cutoff's figures (else "today" would flash first).
  const overviewUrl = badUnit || (basis === 'cutoff' && campaign === undefined) ? null : '/api/statistics';
  const overview = useStatGet<StatisticsOverview>(overviewUrl, { orgUnitId, asOf }, tick);
  const pivot = useStatGet<Pivot>(badUnit ? null : '/api/statistics/pivot', { orgUnitId, dim, measure, asOf });

  const set = (changes: Record<string, string | undefined>) => {
    setParams(
      (prev) => {
        const next = new URLSearchParams(prev);
        for (const [k, v] of Object.entries(changes)) {
          if (v === undefined || v === '') next.delete(k);
          else next.set(k, v);
        }
        return next;
      },
      // Drilling down is a step the back button undoes; the other choices replace the entry.
      { replace: !('orgUnitId' in changes) },
    );
  };

  const unit = overview.data?.unit;
  // The breadcrumb: the unit's ancestors within the user's tree (a district user's starts at the district).
  const crumbs = useMemo(() => {
    if (!unit) return [];
    const path = ancestorPath(index, unit.orgUnitId)
      .map((id) => index.byId.get(id))
      .filter((n): n is NonNullable<typeof n> => !!n && STAT_LEVELS.has(n.level))
      .map((n) => ({ id: n.id, name: n.name }));
    return path.length ? path : [{ id: unit.orgUnitId, name: unit.orgUnitName }];
  }, [index, unit]);

  const goTo = (id: number, isRoot: boolean) => set({ orgUnitId: isRoot ? undefined : String(id) });

  if (badUnit) return <NotFoundResult />;
  if (overview.error) {
    if (overview.error instanceof ApiError && overview.error.status === 404) return <NotFoundResult />;
    return <Result status="error" title="加载失败" subTitle={errorMessage(overview.error)} extra={<Button onClick={() => setTick((t) => t + 1)}>重试</Button>} />;
  }

  const canEditTargets = TARGET_WRITERS.includes(me.role);
  const asOfText = overview.data?.asOf ? `截至 ${overview.data.asOf} 录入的记录（按其当前状态）` : `今日（${todayShanghai()}）`;

  return (
    <div className="statistics-page">
      <StatisticsNav />
      <Card
        className="stat-screen"
        title={
          <Space orientation="vertical" size={2} style={{ padding: '8px 0' }}>
            <span>统计分析</span>
            <Breadcrumb
              data-testid="stat-breadcrumb"
              separator="›"
              items={crumbs.map((c, i) => ({
                key: c.id,
                title:
                  i < crumbs.length - 1 ? (
                    <a
                      href={i === 0 ? '/statistics' : `/statistics?orgUnitId=${c.id}`}
                      onClick={(e) => {
                        e.preventDefault();
                        goTo(c.id, i === 0);
                      }}
                    >
                      {c.name}
                    </a>
                  ) : (
                    <strong>{c.name}</strong>
                  ),
              }))}
            />
          </Space>
        }
        extra={
          <Space wrap>
            <span>统计口径</span>
            <Segmented<Basis>
              aria-label="统计口径"
              data-testid="stat-basis"
              value={basis}
              onChange={(b) => set({ basis: b === 'today' ? undefined : b, asOf: b === 'date' ? (chosenDate ?? todayShanghai()) : undefined })}
              options={[
                { value: 'today', label: '今日' },
                { value: 'cutoff', label: cutoff ? `截至数据截止日（${cutoff}）` : '截至数据截止日', disabled: campaign !== undefined && !cutoff },
                { value: 'date', label: '截至某日' },
              ]}
            />
            {basis === 'date' && (
              <DatePicker
                aria-label="截至日期"
                data-testid="stat-asof"
                allowClear={false}
                value={chosenDate ? dayjs(chosenDate) : null}
                disabledDate={(d) => d.format('YYYY-MM-DD') > todayShanghai()}
                onChange={(d) => set({ asOf: d ? d.format('YYYY-MM-DD') : undefined })}
                style={{ width: 140 }}
              />
            )}
          </Space>
        }
      >
        {basis === 'cutoff' && campaign === null && <Alert type="info" showIcon title="没有进行中的考核批次，无法按数据截止日统计。" style={{ marginBottom: 12 }} />}
        {!overview.data && overview.loading ? (
          <Spin />
        ) : (
          <OverviewTable
            overview={overview.data}
            loading={overview.loading}
            canEditTargets={canEditTargets}
            onDrill={(id) => set({ orgUnitId: String(id) })}
            onTargetSaved={() => setTick((t) => t + 1)}
          />
        )}
        <Typography.Paragraph type="secondary" style={{ margin: '8px 0 0', fontSize: 13 }} data-testid="stat-basis-text">
          统计口径：{asOfText}。登记人数含无效和重复记录；有效数据 = 有效记录 − 重复（同一人已在他处计入）；登记率 = 有效数据 ÷ 目标人数。点击单位名称查看其下级单位。
        </Typography.Paragraph>
      </Card>
      {/* The rest once the unit is known to be the user's (no request for a unit out of scope). */}
      {overview.data && (
        <>
          <div className="stat-screen">
            <PivotSection
              pivot={pivot.data}
              loading={pivot.loading}
              dim={dim}
              measure={measure}
              percent={percent}
              onDim={(d) => set({ dim: d })}
              onMeasure={(m) => set({ measure: m })}
              onPercent={(on) => set({ pct: on ? '1' : undefined })}
            />
          </div>
          <div className="stat-screen">
            <StatisticsCharts orgUnitId={orgUnitId} rows={overview.data.rows} refreshKey={tick} />
            {overview.data.asOf && (
              <Typography.Paragraph type="secondary" style={{ margin: '8px 0 0', fontSize: 13 }}>
                汇总表和各单位对比按所选统计口径；登记进度、参保状况、未参保原因和参保意愿按今日数据。
              </Typography.Paragraph>
            )}
          </div>
        </>
      )}
      {pivot.data && <PivotPrint pivot={pivot.data} percent={percent} />}
    </div>
  );
}
