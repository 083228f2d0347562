import { describe, expect, it } from 'vitest';
import { chartGeometry, type Box, type ChartGeometry } from '../src/layout/chart.js';
import { Styles } from '../src/layout/styles.js';
import type { ChartBlock, ChartType } from '../src/model/document.js';
import { zasto } from './helpers.js';

const { template, fonts, chain } = zasto();
const styles = new Styles(template, fonts, chain);
const WIDTH = template.page.frame.width;

function chart(type: ChartType, categories: string[], series: { name: string; values: number[] }[]): ChartBlock {
  return { kind: 'chart', type, title: '珠海市及各区1-6月服务外包执行金额情况', unit: '万美元', source: '珠海市商务局', categories, series, dataFile: 'charts.md', width: 1, line: 1 };
}

const districts = ['横琴合作区', '香洲区', '金湾区', '斗门区', '高新区', '鹤州新区(筹备)'];
const twenty = Array.from({ length: 20 }, (_, i) => `第${i + 1}号重点产业园区`);
const datasets: Record<string, [string[], { name: string; values: number[] }[]]> = {
  'issue 44 districts': [districts, [{ name: '总量', values: [1844, 3157, 1564, 280, 10273, 72617] }]],
  'negative values': [districts, [{ name: '同比(%)', values: [-19.2, -21.1, 61, 96, 19.8, 24.3] }, { name: '贡献率(%)', values: [-2.8, -5.3, 4.2, 0.9, 10.7, 92.3] }]],
  zeros: [districts, [{ name: '总量', values: [0, 0, 5, 0, 0, 0] }]],
  'all zero': [districts.slice(0, 3), [{ name: '总量', values: [0, 0, 0] }]],
  'one category': [['珠海市'], [{ name: '总量', values: [89736] }]],
  'twenty long categories': [twenty, [{ name: '执行额', values: twenty.map((_, i) => (i * 37) % 101) }]],
  'large numbers': [districts, [{ name: '合同额', values: [1.2e9, 3.4e8, 5.6e9, 7.8e7, 9.1e8, 2.3e9] }]],
  'three series': [districts, ['ITO', 'BPO', 'KPO'].map((name, k) => ({ name, values: districts.map((_, i) => 100 + ((i + 1) * (k + 3) * 97) % 900) }))],
};
const types: ChartType[] = ['bar', 'hbar', 'stacked', 'line', 'pie', 'donut', 'combo'];

const overlap = (a: Box, b: Box, eps = 0.05) => a.x < b.x + b.w - eps && b.x < a.x + a.w - eps && a.y < b.y + b.h - eps && b.y < a.y + a.h - eps;

function check(g: ChartGeometry, block: ChartBlock): void {
  const round = block.type === 'pie' || block.type === 'donut';
  // No label over another label.
  for (let i = 0; i < g.labels.length; i++) {
    for (let j = i + 1; j < g.labels.length; j++) {
      const [a, b] = [g.labels[i], g.labels[j]];
      expect(overlap(a, b), `${a.role} "${a.lines.map((l) => l.runs.map((r) => r.text).join('')).join('')}" × ${b.role} "${b.lines.map((l) => l.runs.map((r) => r.text).join('')).join('')}"`).toBe(false);
    }
  }
  // Labels other than values stay off the plot; every label inside the chart.
  for (const l of g.labels) {
    if (l.role !== 'value' && l.role !== 'title') expect(overlap(l, g.plot), `${l.role} over the plot`).toBe(false);
    expect(l.x).toBeGreaterThanOrEqual(-0.01);
    expect(l.x + l.w).toBeLessThanOrEqual(g.width + 0.01);
    expect(l.y + l.h).toBeLessThanOrEqual(g.height + 0.01);
  }
  // A value label sits on no bar but its own.
  for (const l of g.labels.filter((x) => x.role === 'value')) {
    for (const m of g.marks) if (m.kind === 'bar' && (m.series !== l.series || m.index !== l.index)) expect(overlap(l, m), 'value label over another bar').toBe(false);
  }
  // Every data point is drawn.
  const n = block.categories.length;
  if (round) {
    expect(g.marks.filter((m) => m.kind === 'slice')).toHaveLength(block.series[0].values.filter((v) => v > 0).length);
    expect(g.labels.filter((l) => l.role === 'legend')).toHaveLength(n);
  } else {
    const lines = block.type === 'line' ? block.series.length : block.type === 'combo' ? block.series.length - 1 : 0;
    expect(g.marks.filter((m) => m.kind === 'bar')).toHaveLength((block.series.length - lines) * n);
    expect(g.marks.filter((m) => m.kind === 'point')).toHaveLength(lines * n);
    expect(g.labels.filter((l) => l.role === 'category')).toHaveLength(n);
    // The axis covers the data.
    expect(g.axis!.lo).toBeLessThanOrEqual(g.axis!.dataLo);
    expect(g.axis!.hi).toBeGreaterThanOrEqual(g.axis!.dataHi);
    for (const m of g.marks) if (m.kind === 'bar') expect(m.y + m.h).toBeLessThanOrEqual(g.plot.y + g.plot.h + 0.01);
  }
}

describe('chart geometry', () => {
  for (const type of types) {
    for (const [name, [categories, series]] of Object.entries(datasets)) {
      it(`${type}: ${name}`, () => {
        const block = chart(type, categories, type === 'combo' && series.length === 1 ? [...series, { name: '同比(%)', values: series[0].values.map((v, i) => (i % 2 ? -1 : 1) * (v % 50)) }] : series);
        check(chartGeometry(block, styles, WIDTH), block);
      });
    }
  }

  it('turns category labels that would take more than two lines', () => {
    const [categories, series] = datasets['twenty long categories'];
    const g = chartGeometry(chart('bar', categories, series), styles, WIDTH);
    expect(g.labels.filter((l) => l.role === 'category').every((l) => l.rotate === -90)).toBe(true);
    const g2 = chartGeometry(chart('bar', ...datasets['issue 44 districts']), styles, WIDTH);
    expect(g2.labels.filter((l) => l.role === 'category').some((l) => l.rotate)).toBe(false);
  });
});
