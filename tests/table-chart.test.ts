import { describe, expect, it } from 'vitest';
import { niceTicks } from '../src/layout/chart.js';
import { columnWidths, headerCells } from '../src/layout/table.js';

describe('tables', () => {
  it('joins identical neighbouring header cells, and empty cells with the one above', () => {
    const cells = headerCells([
      ['区域', '服务外包执行金额(万美元)', '服务外包执行金额(万美元)', '服务外包执行金额(万美元)'],
      ['', '总量', '同比(%)', '比重(%)'],
    ]);
    expect(cells.map((c) => [c.text, c.col, c.span, c.row, c.rowSpan])).toEqual([
      ['区域', 0, 1, 0, 2],
      ['服务外包执行金额(万美元)', 1, 3, 0, 1],
      ['总量', 1, 1, 1, 1],
      ['同比(%)', 2, 1, 1, 1],
      ['比重(%)', 3, 1, 1, 1],
    ]);
  });

  it('gives columns their content width when it fits, and shares between minimum and maximum when not', () => {
    expect(columnWidths([10, 10], [30, 50], 100)).toEqual([37.5, 62.5]);
    const squeezed = columnWidths([10, 20], [60, 120], 90)!;
    expect(squeezed[0] + squeezed[1]).toBeCloseTo(90);
    expect(squeezed[0]).toBeGreaterThanOrEqual(10);
    expect(columnWidths([60, 60], [80, 80], 100)).toBeUndefined();
  });

  it('sets a table as low as it can: no cell wraps while other columns have the slack to unwrap it', () => {
    // Twenty rows: a merged name 150 wide in every row, names of 100–300, a number column 90 wide.
    const cells = Array.from({ length: 20 }, (_, r) => [150, 100 + (r * 37) % 200, 90]);
    const min = [40, 40, 90];
    const max = [150, 300, 90];
    const w = columnWidths(min, max, 400, cells)!;
    expect(w.reduce((a, b) => a + b, 0)).toBeCloseTo(400);
    // The proportional share would give the merged column 40 + 110·110/360 = 73.6: two lines in every row.
    expect(w[0]).toBeGreaterThanOrEqual(150 - 1e-6);
    expect(w[2]).toBeGreaterThanOrEqual(90 - 1e-6);
    // The names wrap, but only where the other columns have nothing to give.
    const give = (c: number) => w[c] - Math.max(min[c], ...cells.map((row) => row[c]));
    const wrapped = cells.filter((row) => row[1] > w[1] + 1e-6);
    expect(wrapped.length).toBeGreaterThan(0);
    for (const row of wrapped) expect(give(0) + give(2)).toBeLessThan(row[1] - w[1]);
  });
});

describe('chart ticks', () => {
  it.each([
    [0, 72617],
    [-2.8, 92.3],
    [0, 1],
    [-19.2, 96],
    [1e6, 3.5e7],
  ])('covers [%d, %d] in 1-2-5 steps', (lo, hi) => {
    const ticks = niceTicks(lo, hi);
    expect(ticks[0]).toBeLessThanOrEqual(lo);
    expect(ticks[ticks.length - 1]).toBeGreaterThanOrEqual(hi);
    const step = ticks[1] - ticks[0];
    const mantissa = Number((step / 10 ** Math.floor(Math.log10(step))).toPrecision(6));
    expect([1, 2, 5]).toContain(mantissa);
    expect(ticks.length).toBeLessThanOrEqual(12);
  });
});
