// Charts as PNG images for documents (the analysis report): ECharts rendered on the server to SVG,
// rasterised by resvg with the Chinese font shipped in the repository (assets/fonts: Noto Sans SC
// Regular, OFL) — no browser, no system fonts needed, the same image on every machine.
import { fileURLToPath } from 'node:url';
import * as echarts from 'echarts';
import { Resvg } from '@resvg/resvg-js';

/**
 * The font file. src/server/statistics/charts.ts and dist/server/statistics/charts.js are both
 * three levels below the package root, so one relative path serves the sources and the build
 * (tsc copies no assets; the font stays where it is).
 */
export const CHART_FONT = fileURLToPath(new URL('../../../assets/fonts/NotoSansSC-Regular.ttf', import.meta.url));
const COLORS = ['#1677ff', '#52c41a', '#faad14', '#f5222d', '#722ed1', '#13c2c2', '#eb2f96', '#8c8c8c'];

export const CHART_WIDTH = 800;
export const CHART_HEIGHT = 380;

/** Renders an ECharts option (animation off, the font set) to a PNG twice the size, for print. */
export function chartPng(option: echarts.EChartsCoreOption, width = CHART_WIDTH, height = CHART_HEIGHT, fontFiles: string[] = [CHART_FONT]): Buffer {
  const chart = echarts.init(null, null, { renderer: 'svg', ssr: true, width, height });
  try {
    chart.setOption({ animation: false, color: COLORS, textStyle: { fontFamily: 'Noto Sans SC' }, backgroundColor: '#ffffff', ...option });
    const svg = chart.renderToSVGString();
    const png = new Resvg(svg, { font: { fontFiles, loadSystemFonts: false, defaultFontFamily: 'Noto Sans SC' }, fitTo: { mode: 'width', value: width * 2 } }).render().asPng();
    return Buffer.from(png);
  } finally {
    chart.dispose();
  }
}

/** Grouped bars: categories along x, one series per entry. */
export function barChart(title: string, categories: string[], series: Array<{ name: string; data: number[]; stack?: string; color?: string }>, opts: { horizontal?: boolean } = {}): Buffer {
  const cat = { type: 'category', data: categories, axisLabel: { interval: 0, rotate: !opts.horizontal && categories.length > 6 ? 30 : 0 } };
  const val = { type: 'value' };
  return chartPng({
    title: { text: title, left: 'center', textStyle: { fontSize: 16 } },
    legend: series.length > 1 ? { bottom: 0 } : undefined,
    grid: { left: 60, right: 30, top: 50, bottom: series.length > 1 ? 70 : 50, containLabel: true },
    xAxis: opts.horizontal ? val : cat,
    yAxis: opts.horizontal ? cat : val,
    series: series.map((s) => ({ type: 'bar', name: s.name, data: s.data, stack: s.stack, itemStyle: s.color ? { color: s.color } : undefined, label: { show: !s.stack && categories.length <= 12, position: opts.horizontal ? 'right' : 'top' } })),
  });
}

export function pieChart(title: string, parts: Array<{ name: string; value: number }>): Buffer {
  return chartPng({
    title: { text: title, left: 'center', textStyle: { fontSize: 16 } },
    legend: { bottom: 0 },
    series: [{ type: 'pie', radius: ['35%', '62%'], center: ['50%', '50%'], data: parts, label: { formatter: '{b}\n{c} 人（{d}%）' } }],
  });
}
