/** The one number reader of tables and charts (src/model/numbers.ts). */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { decimalTail, readNumber } from '../src/model/numbers.js';
import { defaultAlign, parseChartBlock, tableData } from '../src/model/data-blocks.js';

describe('reading numbers as they are written', () => {
  it.each([
    ['3,157', 3157],
    ['−19.2', -19.2],
    ['-6.8', -6.8],
    ['－6.8', -6.8],
    ['+4.5%', 4.5],
    ['±0.3', 0.3],
    ['３１５７', 3157],
    ['１２．５％', 12.5],
    ['1 234 567', 1234567],
    ['1\u202f234.5', 1234.5],
    ['−0', 0],
  ])('%s is %d', (written, value) => {
    expect(readNumber(written)).toEqual({ value });
  });

  it.each(['', ' ', '—', '——', '-', '−', '–', 'N/A', 'n/a', '/', '…'])('"%s" is a missing value', (written) => {
    expect(readNumber(written)).toEqual({ missing: true });
  });

  it.each(['1,23', '12,34,567', '1 234,567', '0x10', '1e5', 'Infinity', '约 5', '5 万', '--5'])('"%s" is not a number', (written) => {
    expect(readNumber(written)).toHaveProperty('error');
  });

  it('refuses what no axis can hold', () => {
    expect(readNumber('9'.repeat(20))).toHaveProperty('error');
  });

  it('finds the decimal point of every form, for aligning on it', () => {
    expect(['−19.25', '3,157', '12.5%', '８．５', '—'].map(decimalTail)).toEqual(['.25', '', '.5%', '．５', '']);
  });

  it('right-aligns a column of numbers whatever minus sign and placeholders it uses', () => {
    const data = tableData(
      [
        { cells: ['区域', '增速', '说明'], line: 1, cols: [1, 2, 3] },
        { cells: ['香洲区', '−6.8', '下降'], line: 2, cols: [1, 2, 3] },
        { cells: ['金湾区', '-1.2', '1,2'], line: 3, cols: [1, 2, 3] },
        { cells: ['斗门区', '—', '—'], line: 4, cols: [1, 2, 3] },
      ],
      1,
      'x.csv',
    );
    expect(defaultAlign(data)).toEqual(['left', 'right', 'left']);
  });

  it('reads a chart whose first category has no figures as data, and a second row of labels as a header', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bulletin-chart-rows-'));
    try {
      fs.writeFileSync(path.join(dir, 'missing.csv'), '区域,增速\n香洲区,N/A\n金湾区,−1.5\n');
      fs.writeFileSync(path.join(dir, 'spanning.csv'), '区域,执行金额,执行金额\n,2021年,2022年\n香洲区,—,3\n');
      const chart = (file: string, y: string) => parseChartBlock('a.md', 1, `type: bar\ndata: ${file}\nx: 区域\ny: [${y}]\n`, dir);
      expect(chart('missing.csv', '增速')).toMatchObject({ categories: ['香洲区', '金湾区'], series: [{ name: '增速', values: [null, -1.5] }] });
      expect(chart('spanning.csv', '2021年, 2022年')).toMatchObject({ categories: ['香洲区'], series: [{ values: [null] }, { values: [3] }] });
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
