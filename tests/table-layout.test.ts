import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { build } from '../src/build.js';
import type { DisplayItem } from '../src/layout/display.js';
import { Styles } from '../src/layout/styles.js';
import { layoutSettings } from '../src/layout/settings.js';
import { tableBoxes } from '../src/layout/table.js';
import { tableData } from '../src/model/data-blocks.js';
import type { TableBlock } from '../src/model/document.js';
import { UserError } from '../src/source/errors.js';
import { zasto } from './helpers.js';
import { pdfLines, readPdf } from './pdf-text.js';

const work = fs.mkdtempSync(path.join(os.tmpdir(), 'bulletin-tables-'));
afterAll(() => (process.env.KEEP ? undefined : fs.rmSync(work, { recursive: true, force: true })));
const { template, fonts, chain } = zasto();
const styles = new Styles(layoutSettings(template), fonts, chain);

function block(rows: string[][], extra: Partial<TableBlock> = {}): TableBlock {
  const data = tableData(rows.map((cells, i) => ({ cells, line: i + 1, cols: cells.map(() => 1) })), 1, 'test.csv');
  return { kind: 'table', data, merge: [], align: data.columns.map(() => 'left'), line: 1, ...extra };
}

const texts = (items: DisplayItem[]) => items.flatMap((i) => (i.kind === 'text' ? [i] : []));

describe('table layout', () => {
  it('aligns right-aligned numbers on the decimal point', () => {
    const b = block([['项目', '金额'], ['甲', '12.5'], ['乙', '3.25'], ['丙', '1517.97'], ['丁', '100']], { align: ['left', 'right'] });
    const boxes = tableBoxes(b, styles, 0, 300, 700, '', 'a.md');
    const table = styles.get('table');
    // The header, then the rows; the last box is the air below the table.
    const points = boxes.slice(1, -1).map((box) => {
      const cell = texts(box.items).find((t) => /\d/.test(t.text))!;
      const integer = cell.text.split('.')[0];
      return cell.x + styles.measure(styles.plain(integer, table));
    });
    for (const p of points) expect(p).toBeCloseTo(points[0], 3);
  });

  it('keeps a phone number with / alternatives and a date range in their cells, breaking them only where a reader would', () => {
    // Narrow: five columns share 280 pt. Each cell's lines stay inside its column.
    const long = '横琴粤澳深度合作区管理委员会经济发展局对外联络处';
    const b = block([['单位', '联系电话', '日期', '地点', '备注'], [long, '0756-3312456/3312457', '7月26日—7月28日', long, long]]);
    const boxes = tableBoxes(b, styles, 0, 280, 700, '', 'a.md');
    const row = boxes[1];
    const borders = [...new Set(boxes[0].items.flatMap((i) => (i.kind === 'rect' && i.stroke ? [i.x, i.x + i.w] : [])))].sort((a, c) => a - c);
    const cells = texts(row.items);
    for (const t of cells) {
      const right = t.x + Math.max(...t.glyphs.map((g) => g.x + g.advance));
      const column = borders.findIndex((x) => x > t.x + 0.01);
      expect(right, t.text).toBeLessThanOrEqual(borders[column] + 0.01);
    }
    // The lines of each column, as printed.
    const column = (k: number) => {
      const inside = cells.filter((t) => t.x >= borders[k] && t.x < borders[k + 1]).sort((a, c) => a.y - c.y || a.x - c.x);
      return [...new Set(inside.map((t) => t.y))].map((y) => inside.filter((t) => t.y === y).map((t) => t.text).join(''));
    };
    expect([['0756-3312456/3312457'], ['0756-3312456/', '3312457']]).toContainEqual(column(1));
    expect([['7月26日—7月28日'], ['7月26日—', '7月28日']]).toContainEqual(column(2));
  });

  it('gives fixed shares to columns with widths and the rest by content', () => {
    const b = block([['序号', '名称', '说明'], ['1', '珠海信息港', '专业孵化器']], { widths: [0.1, undefined, 0.5] });
    const [header] = tableBoxes(b, styles, 0, 400, 700, '', 'a.md');
    const rects = header.items.flatMap((i) => (i.kind === 'rect' && i.stroke ? [i.w] : []));
    expect(rects[0]).toBeCloseTo(40, 3);
    expect(rects[1]).toBeCloseTo(160, 3);
    expect(rects[2]).toBeCloseTo(200, 3);
  });

  it('refuses a table that cannot fit and a row taller than a page, naming the file', () => {
    const wide = block([Array.from({ length: 12 }, (_, i) => `列${i}`), Array.from({ length: 12 }, () => 'ABCDEFGHIJKLMNOP')]);
    expect(() => tableBoxes(wide, styles, 0, 300, 700, '', 'a.md')).toThrow(/needs \d+ pt even at its narrowest; the text is 300 pt wide/);
    const tall = block([['说明'], ['很长的说明'.repeat(400)]]);
    try {
      tableBoxes(tall, styles, 0, 300, 700, '', 'a.md');
      throw new Error('no error');
    } catch (e) {
      expect(e).toBeInstanceOf(UserError);
      expect((e as UserError).format()).toMatch(/^test\.csv:2:1: this row is taller than a page/);
    }
  });

  it('sets every merged value at the top of its run, whatever its length, and does not hold the run on one page', () => {
    const b = block([['地区', '企业'], ['广东', '甲'], ['', '乙'], ['', '丙'], ['', '戊'], ['北京', '丁']], { merge: ['地区'] });
    const boxes = tableBoxes(b, styles, 0, 300, 700, '', 'a.md');
    const rows = boxes.slice(1, -1);
    const at = (box: (typeof rows)[number], s: string) => texts(box.items).find((t) => t.text === s)!;
    expect(at(rows[0], '广东').y).toBeCloseTo(at(rows[0], '甲').y, 3);
    expect(at(rows[4], '北京').y).toBeCloseTo(at(rows[4], '丁').y, 3);
    expect(texts(rows[1].items).map((t) => t.text)).toEqual(['乙']);
    // Only the first two rows and the last two are bound: no row alone above a turn or under a repeated header.
    expect(rows.map((r) => r.keep ?? 0)).toEqual([1, 0, 0, 1, 0]);
    // At a page top the run's value is shown again, at the same place in its row.
    expect(at({ ...rows[2], items: rows[2].atPageTop! }, '广东').y).toBeCloseTo(at(rows[2], '丙').y, 3);
    // At a page foot inside the run, the row closes the merged cell with a rule along its bottom; the table's last row needs none.
    const closing = (rows[2].atPageFoot ?? []).filter((i) => i.kind === 'line' && i.y1 === rows[2].height && i.y2 === i.y1);
    expect(closing).toHaveLength(1);
    const district = at(rows[0], '广东');
    expect(closing[0].kind === 'line' && closing[0].x1 < district.x && closing[0].x2 > district.x).toBe(true);
    expect(rows[4].atPageFoot).toBeUndefined();
  });

  it('keeps a merged district name, a phone number and a date range on one line, wrapping the long names instead', () => {
    const names = ['珠海市横琴新区某某科技发展有限公司研发中心', '珠海某某信息技术服务有限公司', '广东某某数字科技集团股份有限公司珠海分公司'];
    const rows = Array.from({ length: 26 }, (_, i) => [i === 0 ? '横琴粤澳深度合作区' : '', names[i % 3], '0756-3312456/3312457', '7月26日—7月28日']);
    const b = block([['地区', '单位', '电话', '日期'], ...rows], { merge: ['地区'] });
    const width = 400;
    const boxes = tableBoxes(b, styles, 0, width, 2000, '', 'a.md');
    const pitch = styles.get('table').pitch;
    const body = boxes.slice(1, -1);
    const lineCount = (box: (typeof body)[number], test: (s: string) => boolean) => new Set(texts(box.items).filter((t) => test(t.text)).map((t) => t.y.toFixed(1))).size;
    expect(lineCount(body[0], (s) => /[横琴粤澳深度合作区]/.test(s))).toBe(1);
    for (const row of body) {
      expect(lineCount(row, (s) => /\d{7}/.test(s))).toBe(1);
      expect(lineCount(row, (s) => /月/.test(s))).toBe(1);
    }
    // Rows are as low as the names allow: none taller than two lines.
    for (const row of body) expect(row.height).toBeLessThan(2 * pitch + 6);
  });

  it('spreads a 100-row table over pages with the header on each, and repeats a merged value at a page top', async () => {
    const project = path.join(work, 'p');
    const issue = path.join(project, 'issues', '5');
    fs.mkdirSync(path.join(issue, 'articles'), { recursive: true });
    fs.mkdirSync(path.join(issue, 'data'));
    const rows = Array.from({ length: 100 }, (_, i) => `${i + 1},${i % 25 === 0 ? `地区${i / 25 + 1}` : ''},企业${i + 1}有限公司,${(i * 7.25).toFixed(2)}`);
    fs.writeFileSync(path.join(issue, 'data', 'big.csv'), ['序号,地区,企业名称,金额', ...rows].join('\n'));
    fs.writeFileSync(path.join(issue, 'issue.yaml'), 'number: 5\ntemplate: zasto\ndate: 2022-01-31\nperiod: 测试\nlabel: 测试\nstaff: []\nsections:\n  - title: 表格\n    articles: [a.md]\n');
    fs.writeFileSync(path.join(issue, 'articles', 'a.md'), '# 大表\n\n```table\ndata: data/big.csv\ncaption: 一百行\nmerge: [地区]\n```\n');
    const result = await build({ issue: '5', cwd: project, editions: ['screen'] });
    const pdf = await readPdf(fs.readFileSync(result.files[0].path));
    // Each table row reads back as one line: "32 地区 2 企业 32 有限公司 224.75".
    const pieces = pdfLines(pdf.pages);
    const lines = [...new Set(pieces.map((p) => `${p.page}:${p.y.toFixed(1)}`))].map((key) => {
      const same = pieces.filter((p) => `${p.page}:${p.y.toFixed(1)}` === key).sort((a, b) => a.left - b.left);
      return { page: same[0].page, y: same[0].y, flat: same.map((p) => p.text).join('').replace(/\s+/g, '') };
    });
    const rowOf = (flat: string) => /企业(\d+)有限公司/.exec(flat);
    const rowPages = [...new Set(lines.filter((l) => rowOf(l.flat)).map((l) => l.page))];
    expect(rowPages.length).toBeGreaterThanOrEqual(2);
    for (const page of rowPages) {
      const onPage = lines.filter((l) => l.page === page);
      const header = onPage.find((l) => l.flat.includes('企业名称'));
      expect(header, `header on page ${page + 1}`).toBeDefined();
      const rows = onPage.filter((l) => rowOf(l.flat)).sort((a, b) => b.y - a.y);
      for (const row of rows) expect(row.y).toBeLessThan(header!.y);
      // The first row under the header carries its region, though its CSV cell may be empty.
      const n = Number(rowOf(rows[0].flat)![1]);
      expect(rows[0].flat, `page ${page + 1}`).toContain(`地区${Math.floor((n - 1) / 25) + 1}`);
    }
    expect(lines.filter((l) => rowOf(l.flat))).toHaveLength(100);
  }, 60_000);
});
