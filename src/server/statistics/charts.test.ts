// The chart font ships with the repository (assets/fonts), not as a 92 MB npm package, and the
// charts really draw Chinese glyphs with it (not tofu boxes, not nothing).
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CHART_FONT, chartPng } from './charts.js';

const titled = (text: string, fonts?: string[]) => chartPng({ title: { text, left: 'center', textStyle: { fontSize: 28 } } }, 400, 100, fonts);

describe('chart font', () => {
  it('is the TTF kept in the repository (assets/fonts, with its OFL licence), not one from node_modules', () => {
    const root = path.resolve(path.dirname(CHART_FONT), '../..');
    expect(path.relative(root, CHART_FONT)).toBe(path.join('assets', 'fonts', 'NotoSansSC-Regular.ttf'));
    expect(CHART_FONT).not.toContain('node_modules');
    expect(fs.statSync(CHART_FONT).size).toBeGreaterThan(1_000_000);
    expect(fs.readFileSync(path.join(path.dirname(CHART_FONT), 'OFL.txt'), 'utf8')).toContain('SIL OPEN FONT LICENSE Version 1.1');
    const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as { dependencies: Record<string, string> };
    expect(Object.keys(pkg.dependencies).filter((d) => d.includes('noto-sans'))).toEqual([]);
  });

  it('renders Chinese text with glyphs: different words give different images, and the font changes the image', () => {
    const a = titled('参保登记');
    const b = titled('汇总分析');
    expect(a.equals(b)).toBe(false);
    // Without any font resvg draws no glyph at all: both titles give the same (blank) image.
    const bareA = titled('参保登记', []);
    const bareB = titled('汇总分析', []);
    expect(bareA.equals(bareB)).toBe(true);
    expect(a.equals(bareA)).toBe(false);
  });
});
