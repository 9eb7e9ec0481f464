// A small React wrapper of Apache ECharts: init on mount, setOption when the option changes, resize
// with the container (ResizeObserver), dispose on unmount. SVG renderer, so screenshots and printing
// stay crisp. Only the charts and components the app uses are registered (echarts/core keeps the
// bundle small); add to the list below when a page needs another one.
import { BarChart, LineChart, PieChart, type BarSeriesOption, type LineSeriesOption, type PieSeriesOption } from 'echarts/charts';
import {
  GridComponent,
  LegendComponent,
  MarkLineComponent,
  TooltipComponent,
  type GridComponentOption,
  type LegendComponentOption,
  type MarkLineComponentOption,
  type TooltipComponentOption,
} from 'echarts/components';
import * as echarts from 'echarts/core';
import { SVGRenderer } from 'echarts/renderers';
import { useEffect, useRef, type CSSProperties } from 'react';

echarts.use([BarChart, LineChart, PieChart, GridComponent, LegendComponent, MarkLineComponent, TooltipComponent, SVGRenderer]);

export type EChartOption = echarts.ComposeOption<
  BarSeriesOption | LineSeriesOption | PieSeriesOption | GridComponentOption | LegendComponentOption | MarkLineComponentOption | TooltipComponentOption
>;

/** The app's chart colours (Ant Design's palette), so that charts match the tables and tags. */
export const CHART_COLORS = {
  blue: '#1677ff',
  green: '#52c41a',
  gold: '#faad14',
  red: '#ff4d4f',
  orange: '#fa8c16',
  cyan: '#13c2c2',
  purple: '#722ed1',
  grey: '#bfbfbf',
  darkGrey: '#8c8c8c',
} as const;

type Props = {
  option: EChartOption;
  height?: number;
  /** Accessible name of the chart (the container is an image to screen readers). */
  title: string;
  style?: CSSProperties;
  className?: string;
  'data-testid'?: string;
  /** A click on a series item (a bar, a point, a slice). */
  onItemClick?: (e: echarts.ECElementEvent) => void;
};

export function EChart({ option, height = 320, title, style, className, 'data-testid': testId, onItemClick }: Props) {
  const ref = useRef<HTMLDivElement>(null);
  const chart = useRef<echarts.ECharts | null>(null);
  // The latest handler, read by the one listener bound at init.
  const clickRef = useRef(onItemClick);
  useEffect(() => {
    clickRef.current = onItemClick;
  }, [onItemClick]);

  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    const c = echarts.init(el, undefined, { renderer: 'svg', locale: 'ZH' });
    chart.current = c;
    c.on('click', (e) => clickRef.current?.(e as echarts.ECElementEvent));
    const ro = new ResizeObserver(() => c.resize());
    ro.observe(el);
    return () => {
      ro.disconnect();
      c.dispose();
      chart.current = null;
    };
  }, []);

  useEffect(() => {
    // notMerge: a series or markLine that is gone from the option is gone from the chart. No
    // animation by default: figures for officials, screenshots and prints show the final state.
    chart.current?.setOption({ animation: false, ...option }, { notMerge: true });
  }, [option]);

  return (
    <div
      ref={ref}
      role="img"
      aria-label={title}
      className={className}
      data-testid={testId}
      style={{ width: '100%', height, ...style }}
    />
  );
}
