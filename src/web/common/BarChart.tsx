// A small grouped bar chart in plain SVG (no chart library): one group per category, one bar per
// series, a value axis with round ticks, a legend, and each bar's value in its tooltip. Values are
// plain numbers (e.g. fen); `formatValue` turns them into the text shown on the axis and tooltips.
import { Empty } from 'antd';
import { useMemo } from 'react';

export type BarSeries = { name: string; color: string; values: ReadonlyArray<number | null> };

export type BarChartProps = {
  categories: readonly string[];
  series: readonly BarSeries[];
  /** Tooltip and axis text of a value. */
  formatValue?: (v: number) => string;
  /** Axis tick text (defaults to formatValue). */
  formatTick?: (v: number) => string;
  height?: number;
  /** Accessible name of the chart. */
  title: string;
  'data-testid'?: string;
};

/** Round tick step for a range: 1, 2 or 5 × 10^n, about `count` ticks. */
export function niceStep(max: number, count = 5): number {
  if (!(max > 0)) return 1;
  const raw = max / count;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const norm = raw / mag;
  const nice = norm <= 1 ? 1 : norm <= 2 ? 2 : norm <= 5 ? 5 : 10;
  return nice * mag;
}

const WIDTH = 720; // the viewBox width; the SVG scales to its container
const PAD = { top: 12, right: 12, bottom: 30, left: 84 };

export function BarChart({ categories, series, formatValue = String, formatTick, height = 260, title, 'data-testid': testId }: BarChartProps) {
  const tick = formatTick ?? formatValue;
  const { max, step } = useMemo(() => {
    const all = series.flatMap((s) => s.values.filter((v): v is number => typeof v === 'number' && Number.isFinite(v)));
    const top = Math.max(0, ...all);
    const st = niceStep(top);
    return { max: top > 0 ? Math.ceil(top / st) * st : st * 5, step: st };
  }, [series]);

  const empty = categories.length === 0 || !series.some((s) => s.values.some((v) => typeof v === 'number' && Number.isFinite(v) && v !== 0));
  if (empty) {
    // Nothing but zeros: an axis from 0 to 0.05 元 would say nothing; say so instead.
    return (
      <figure className="bar-chart" style={{ margin: 0 }} data-testid={testId} aria-label={title}>
        <Empty description="暂无数据" image={Empty.PRESENTED_IMAGE_SIMPLE} />
      </figure>
    );
  }
  const plotW = WIDTH - PAD.left - PAD.right;
  const plotH = height - PAD.top - PAD.bottom;
  const groupW = categories.length > 0 ? plotW / categories.length : plotW;
  const barGap = 2;
  const innerW = Math.min(groupW * 0.72, series.length * 44);
  const barW = series.length > 0 ? Math.max(2, innerW / series.length - barGap) : 0;
  const y = (v: number) => PAD.top + plotH - (Math.max(0, v) / max) * plotH;
  const ticks: number[] = [];
  for (let t = 0; t <= max + step / 2; t += step) ticks.push(t);

  return (
    <figure className="bar-chart" style={{ margin: 0 }} data-testid={testId}>
      <svg viewBox={`0 0 ${WIDTH} ${height}`} width="100%" role="img" aria-label={title} style={{ display: 'block', maxHeight: height * 1.4 }}>
        <title>{title}</title>
        {ticks.map((t) => (
          <g key={t}>
            <line x1={PAD.left} x2={WIDTH - PAD.right} y1={y(t)} y2={y(t)} stroke={t === 0 ? '#bfbfbf' : '#f0f0f0'} />
            <text x={PAD.left - 6} y={y(t)} dy="0.32em" textAnchor="end" fontSize={11} fill="rgba(0,0,0,0.55)">
              {tick(t)}
            </text>
          </g>
        ))}
        {categories.map((c, ci) => {
          const gx = PAD.left + ci * groupW + (groupW - innerW) / 2;
          return (
            <g key={`${c}-${ci}`}>
              {series.map((s, si) => {
                const v = s.values[ci];
                if (v === null || v === undefined || !Number.isFinite(v)) return null;
                const top = y(v);
                return (
                  <rect
                    key={s.name}
                    x={gx + si * (barW + barGap)}
                    y={top}
                    width={barW}
                    height={Math.max(v > 0 ? 1 : 0, PAD.top + plotH - top)}
                    fill={s.color}
                    rx={2}
                    data-series={s.name}
                    data-category={c}
                    data-value={v}
                  >
                    <title>{`${c} · ${s.name}：${formatValue(v)}`}</title>
                  </rect>
                );
              })}
              <text x={PAD.left + ci * groupW + groupW / 2} y={height - PAD.bottom + 18} textAnchor="middle" fontSize={12} fill="rgba(0,0,0,0.85)">
                {c}
              </text>
            </g>
          );
        })}
      </svg>
      <figcaption style={{ display: 'flex', flexWrap: 'wrap', gap: 16, justifyContent: 'center', fontSize: 12, marginTop: 4 }}>
        {series.map((s) => (
          <span key={s.name} style={{ display: 'inline-flex', alignItems: 'center', gap: 6 }}>
            <span style={{ width: 12, height: 12, background: s.color, borderRadius: 2, display: 'inline-block' }} aria-hidden />
            {s.name}
          </span>
        ))}
      </figcaption>
    </figure>
  );
}
