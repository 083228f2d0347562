import { describe, expect, it } from 'vitest';
import { CLEARANCE, chartGeometry, decimalsOf, formatNumber, gap, inkBox, type Box, type ChartGeometry, type ChartLabel } from '../src/layout/chart.js';
import { Styles } from '../src/layout/styles.js';
import { layoutSettings } from '../src/layout/settings.js';
import type { ChartBlock, ChartType } from '../src/model/document.js';
import { zasto } from './helpers.js';

const { template, fonts, chain } = zasto();
const styles = new Styles(layoutSettings(template), fonts, chain);
const WIDTH = template.page.frame.width;

function chart(type: ChartType, categories: string[], series: { name: string; values: (number | null)[] }[]): ChartBlock {
  return { kind: 'chart', type, title: '珠海市及各区1-6月服务外包执行金额情况', unit: '万美元', source: '珠海市商务局', categories, series, dataFile: 'charts.md', width: 1, line: 1 };
}

const districts = ['横琴合作区', '香洲区', '金湾区', '斗门区', '高新区', '鹤州新区(筹备)'];
const twenty = Array.from({ length: 20 }, (_, i) => `第${i + 1}号重点产业园区`);
const datasets: Record<string, [string[], { name: string; values: (number | null)[] }[]]> = {
  'issue 44 districts': [districts, [{ name: '总量', values: [1844, 3157, 1564, 280, 10273, 72617] }]],
  'negative values': [districts, [{ name: '同比(%)', values: [-19.2, -21.1, 61, 96, 19.8, 24.3] }, { name: '贡献率(%)', values: [-2.8, -5.3, 4.2, 0.9, 10.7, 92.3] }]],
  zeros: [districts, [{ name: '总量', values: [0, 0, 5, 0, 0, 0] }]],
  'all zero': [districts.slice(0, 3), [{ name: '总量', values: [0, 0, 0] }]],
  'one category': [['珠海市'], [{ name: '总量', values: [89736] }]],
  'twenty long categories': [twenty, [{ name: '执行额', values: twenty.map((_, i) => (i * 37) % 101) }]],
  'large numbers': [districts, [{ name: '合同额', values: [1.2e9, 3.4e8, 5.6e9, 7.8e7, 9.1e8, 2.3e9] }]],
  'three series': [districts, ['ITO', 'BPO', 'KPO'].map((name, k) => ({ name, values: districts.map((_, i) => 100 + ((i + 1) * (k + 3) * 97) % 900) }))],
  // Built to collide: neighbouring bars of close height whose labels differ in length.
  'close values, two series': [districts, [{ name: '2021年', values: [1844, 3157.12, 1564, 280.5, 10273.33, 72617] }, { name: '2022年', values: [2105.46, 3160.9, 1599.75, 281, 10280, 72700.01] }]],
  'close values, three series with negatives': [
    districts.slice(0, 4),
    [
      { name: '同比(%)', values: [-19.2, -21.1, 61, 96] },
      { name: '贡献率(%)', values: [-2.8, -5.3, 4.2, 0.9] },
      { name: '占比(%)', values: [2.05, 3.52, 1.74, 0.31] },
    ],
  ],
  'two-line names': [
    ['珠海国家高新区软件与信息服务产业园区', '横琴粤澳深度合作区数字经济产业园', '南方软件园', '清华科技园珠海创新中心孵化器'],
    [{ name: '执行额', values: [10273, 1844, 3157, 1564] }],
  ],
  'missing values, two series': [districts, [{ name: '2021年', values: [1844, null, 1564, -280, null, 72617] }, { name: '2022年', values: [null, 3160, 88, 281, 10280, null] }]],
  'two-line names, two series': [
    ['珠海国家高新区软件与信息服务产业园区', '横琴粤澳深度合作区数字经济产业园', '南方软件园'],
    [{ name: '2021年', values: [1844, 3157, -120.5] }, { name: '2022年', values: [2105.46, 3160, 88] }],
  ],
};
const types: ChartType[] = ['bar', 'hbar', 'stacked', 'line', 'pie', 'donut', 'combo'];

const given = (values: (number | null)[]) => values.filter((v) => v !== null).length;
const text = (l: ChartLabel) => l.lines.map((x) => x.runs.map((r) => r.text).join('')).join('');
const near = (a: Box, b: Box) => gap(a, b) < CLEARANCE - 1e-6;

function check(g: ChartGeometry, block: ChartBlock): void {
  const round = block.type === 'pie' || block.type === 'donut';
  const inks = g.labels.map(inkBox);
  // No label's text within the clearance of another's.
  for (let i = 0; i < g.labels.length; i++) {
    for (let j = i + 1; j < g.labels.length; j++) {
      expect(near(inks[i], inks[j]), `${g.labels[i].role} "${text(g.labels[i])}" × ${g.labels[j].role} "${text(g.labels[j])}"`).toBe(false);
    }
  }
  // Labels other than values (and the title) stay clear of the plot; every label inside the chart.
  g.labels.forEach((l, i) => {
    if (l.role !== 'value' && l.role !== 'title') expect(near(inks[i], g.plot), `${l.role} "${text(l)}" at the plot`).toBe(false);
    expect(inks[i].x).toBeGreaterThanOrEqual(-0.01);
    expect(inks[i].x + inks[i].w).toBeLessThanOrEqual(g.width + 0.01);
    expect(inks[i].y + inks[i].h).toBeLessThanOrEqual(g.height + 0.01);
  });
  // No label's text within the clearance of any bar, its own included.
  g.labels.forEach((l, i) => {
    for (const m of g.marks) if (m.kind === 'bar') expect(near(inks[i], m), `${l.role} "${text(l)}" at a bar`).toBe(false);
  });
  // No label crossed by a series line (sampled every quarter point, drawn 1.5 wide) or touching a marker (4 wide).
  g.labels.forEach((l, i) => {
    for (const m of g.marks) {
      if (m.kind === 'point') expect(near(inks[i], { x: m.x - 2, y: m.y - 2, w: 4, h: 4 }), `${l.role} "${text(l)}" at a marker`).toBe(false);
      if (m.kind !== 'line') continue;
      // The path as drawn: stretches of "M x y L x y …".
      const stretches = m.d.split('M').filter((p) => p.trim()).map((p) => p.split('L').map((xy) => xy.trim().split(/\s+/).map(Number) as [number, number]));
      for (const st of stretches) {
        for (let k = 1; k < st.length; k++) {
          const [[x1, y1], [x2, y2]] = [st[k - 1], st[k]];
          const steps = Math.ceil(Math.hypot(x2 - x1, y2 - y1) * 4);
          for (let t = 0; t <= steps; t++) {
            const dot = { x: x1 + ((x2 - x1) * t) / steps - 0.75, y: y1 + ((y2 - y1) * t) / steps - 0.75, w: 1.5, h: 1.5 };
            if (near(inks[i], dot)) expect.fail(`${l.role} "${text(l)}" crossed by the line of series ${m.series}`);
          }
        }
      }
    }
  });
  // A series is labelled at every bar or at none.
  if (!round && block.type !== 'stacked' && block.type !== 'line') {
    const bars = block.type === 'combo' ? 1 : block.series.length;
    for (let si = 0; si < bars; si++) {
      const count = g.labels.filter((l) => l.role === 'value' && l.series === si).length;
      expect([0, given(block.series[si].values)], `labels of series ${si}`).toContain(count);
      expect(count === 0, `series ${si} reported unlabelled`).toBe(g.unlabelled.includes(block.series[si].name));
    }
  }
  // Every data point is drawn.
  const n = block.categories.length;
  if (round) {
    expect(g.marks.filter((m) => m.kind === 'slice')).toHaveLength(block.series[0].values.filter((v) => v !== null && v > 0).length);
    expect(g.labels.filter((l) => l.role === 'legend')).toHaveLength(n);
  } else {
    const lines = block.type === 'line' ? block.series.length : block.type === 'combo' ? block.series.length - 1 : 0;
    const barSeries = block.series.slice(0, block.series.length - lines);
    const lineSeries = block.series.slice(block.series.length - lines);
    expect(g.marks.filter((m) => m.kind === 'bar')).toHaveLength(barSeries.reduce((a, s) => a + given(s.values), 0));
    expect(g.marks.filter((m) => m.kind === 'point')).toHaveLength(lineSeries.reduce((a, s) => a + given(s.values), 0));
    // A line is broken where a value is missing: one stretch per run of given values.
    lineSeries.forEach((s, k) => {
      const runs = s.values.filter((v, i) => v !== null && (i === 0 || s.values[i - 1] === null)).length;
      const path = g.marks.find((m): m is Extract<typeof m, { kind: 'line' }> => m.kind === 'line' && m.series === block.series.length - lines + k);
      expect(path?.d.match(/M/g)?.length ?? 0, `stretches of ${s.name}`).toBe(runs);
    });
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
        const block = chart(type, categories, type === 'combo' && series.length === 1 ? [...series, { name: '同比(%)', values: series[0].values.map((v, i) => (v === null ? null : (i % 2 ? -1 : 1) * (v % 50))) }] : series);
        check(chartGeometry(block, styles, WIDTH), block);
        // Set as low as pagination may set it, full width and at 60 %: still nothing overlaps.
        check(chartGeometry(block, styles, WIDTH, undefined, 0), block);
        check(chartGeometry(block, styles, WIDTH * 0.6, undefined, 0), block);
      });
    }
  }

  it('labels close values of two series at every bar, in smaller type or turned rather than dropped', () => {
    const [categories, series] = datasets['close values, two series'];
    const g = chartGeometry(chart('bar', categories, series), styles, WIDTH);
    expect(g.unlabelled).toEqual([]);
    const values = g.labels.filter((l) => l.role === 'value');
    expect(values.map(text).sort()).toEqual(series.flatMap((s) => s.values.map((v) => formatNumber(v!, decimalsOf(s.values)))).sort());
  });

  it('prints a series’ values with one number of decimals, and numbers of 10,000 and more with thousands separators', () => {
    expect(formatNumber(72617)).toBe('72,617');
    expect(formatNumber(-12345.5)).toBe('-12,345.5');
    expect(formatNumber(9999)).toBe('9999');
    expect(decimalsOf([1844, 2105.46, null, 3.1])).toBe(2);
    const [categories, series] = datasets['close values, two series'];
    const g = chartGeometry(chart('bar', categories, series), styles, WIDTH);
    const first = g.labels.filter((l) => l.role === 'value' && l.series === 0).map(text);
    expect(first).toContain('1844.00');
    expect(first).toContain('72,617.00');
    expect(new Set(first.map((t) => t.split('.')[1]?.length ?? 0))).toEqual(new Set([2]));
    // An axis's ticks: one number of decimals, separators from 10,000.
    const ticks = g.labels.filter((l) => l.role === 'tick').map(text);
    expect(ticks).toContain('80,000');
    expect(new Set(ticks.map((t) => t.split('.')[1]?.length ?? 0)).size).toBe(1);
  });

  it('gives two-line hbar names a band of their own, clear of the unit line', () => {
    const [categories, series] = datasets['two-line names'];
    const g = chartGeometry(chart('hbar', categories, series), styles, WIDTH);
    const names = g.labels.filter((l) => l.role === 'category');
    expect(names.some((l) => l.lines.length === 2)).toBe(true);
    const unit = inkBox(g.labels.find((l) => l.role === 'unit')!);
    for (const l of names) expect(gap(inkBox(l), unit)).toBeGreaterThanOrEqual(CLEARANCE);
  });

  it('turns category labels that would take more than two lines', () => {
    const [categories, series] = datasets['twenty long categories'];
    const g = chartGeometry(chart('bar', categories, series), styles, WIDTH);
    expect(g.labels.filter((l) => l.role === 'category').every((l) => l.rotate === -90)).toBe(true);
    const g2 = chartGeometry(chart('bar', ...datasets['issue 44 districts']), styles, WIDTH);
    expect(g2.labels.filter((l) => l.role === 'category').some((l) => l.rotate)).toBe(false);
  });

  it('keeps a combo chart’s bar values clear of its line, and puts the line’s unit over the right axis', () => {
    // The line runs along the bars' tops, where their values would stand.
    const categories = districts.slice(0, 5);
    const block = chart('combo', categories, [
      { name: '执行额', values: [900, 1000, 950, 1000, 980] },
      { name: '同比（%）', values: [45, 50, 47.5, 50, 49] },
    ]);
    const g = chartGeometry(block, styles, 400);
    check(g, block);
    const values = g.labels.filter((l) => l.role === 'value');
    expect(values.length === 5 || g.unlabelled.includes('执行额')).toBe(true);
    const units = g.labels.filter((l) => l.role === 'unit');
    expect(units.map(text)).toEqual(['单位：万美元', '单位：%']);
    // The right one ends where the right axis's numbers do.
    const right = inkBox(units[1]);
    expect(right.x + right.w).toBeCloseTo(400, 0);
    expect(right.x).toBeGreaterThan(200);
  });

  it('says under the chart which values are missing', () => {
    const [categories, series] = datasets['missing values, two series'];
    const g = chartGeometry(chart('bar', categories, series), styles, 400);
    expect(g.labels.filter((l) => l.role === 'note').map(text)).toEqual(['注：香洲区（2021年）、高新区（2021年）、横琴合作区（2022年）、鹤州新区(筹备)（2022年）无数据，图中留空。']);
  });
});
