/** A note that explains a figure stays with it (issue 20, part of 2). */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { build } from '../src/build.js';
import { MANIFEST_7 } from './helpers.js';
import { readPdfText } from './pdf-text.js';

const work = fs.mkdtempSync(path.join(os.tmpdir(), 'bulletin-figure-notes-'));
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

const FILLER = '珠海市服务贸易和外包行业协会组织会员企业参加培训，围绕数字化转型、数据管理能力成熟度评估等内容展开交流，参加培训的企业代表表示培训内容贴近实际。';
const CHART = ['```chart', 'type: bar', 'title: 各区执行金额', 'x: 区域', 'y: [总量]', 'rows:', ...['香洲区', '金湾区', '斗门区', '高新区'].map((c, i) => `  - {区域: ${c}, 总量: "${(i + 1) * 1000}"}`), '```'].join('\n');
const NOTE = '注：执行金额按美元计，不含离岸外包以外的业务。';

describe('a note under a figure', () => {
  it('is never printed on a page before its figure, however the page fills', async () => {
    let floated = 0;
    for (const n of [14, 16, 18, 20, 22, 24]) {
      const dir = path.join(work, `n${n}`);
      fs.mkdirSync(path.join(dir, 'issues', '7', 'articles'), { recursive: true });
      fs.writeFileSync(path.join(dir, 'issues', '7', 'issue.yaml'), MANIFEST_7);
      const body = ['# 标题', ...Array.from({ length: n }, () => FILLER), CHART, NOTE, ...Array.from({ length: 6 }, () => FILLER)].join('\n\n');
      fs.writeFileSync(path.join(dir, 'issues', '7', 'articles', 'a.md'), `${body}\n`);
      const result = await build({ issue: '7', cwd: dir, editions: ['screen'], systemFonts: false });
      const pages = (await readPdfText(fs.readFileSync(result.files[0].path))).map((p) => p.text.replace(/\s+/g, ''));
      const chartPage = pages.findIndex((p) => p.includes('各区执行金额'));
      const notePage = pages.findIndex((p) => p.includes(NOTE));
      expect(notePage, `${n} paragraphs`).toBe(chartPage);
      if (chartPage > 1) floated++;
    }
    // Some of these fillings pushed the chart to the next page.
    expect(floated).toBeGreaterThan(0);
  }, 120_000);
});
