/** A notice's closing block — issuer and date, flush right — stays together, with two lines of what precedes it (issue 20, part of 2). */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { build } from '../src/build.js';
import { MANIFEST_7 } from './helpers.js';
import { readPdfText } from './pdf-text.js';

const work = fs.mkdtempSync(path.join(os.tmpdir(), 'bulletin-closing-'));
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

const FILLER = '珠海市服务贸易和外包行业协会组织会员企业参加培训，围绕数字化转型、数据管理能力成熟度评估等内容展开交流，参加培训的企业代表表示培训内容贴近实际。';
const LAST = '请各区、各有关单位按照本通知要求，认真组织企业申报，于规定时间内将推荐材料报送至市工业和信息化局中小企业服务科，逾期不予受理。申报企业须对所报材料的真实性负责，如有弄虚作假，一经查实，取消其申报资格，并按有关规定处理。各区主管部门应做好审核把关，确保推荐企业符合条件。';
const ISSUER = '珠海市工业和信息化局';
const DATE = '2022年5月30日';

describe('a notice closing', () => {
  it('keeps the issuer and the date on one page with at least two lines before them, wherever the page turns', async () => {
    let turned = 0;
    const seen: string[] = [];
    for (const n of [12, 13, 14, 15, 16, 17, 18]) {
      const dir = path.join(work, `n${n}`);
      fs.mkdirSync(path.join(dir, 'issues', '7', 'articles'), { recursive: true });
      fs.writeFileSync(path.join(dir, 'issues', '7', 'issue.yaml'), MANIFEST_7);
      const body = ['# 关于开展专精特新企业申报工作的通知', ...Array.from({ length: n }, () => FILLER), LAST, `${ISSUER} {align=right}`, `${DATE} {align=right}`, '## 附件', ...Array.from({ length: 12 }, () => FILLER)].join('\n\n');
      fs.writeFileSync(path.join(dir, 'issues', '7', 'articles', 'a.md'), `${body}\n`);
      const result = await build({ issue: '7', cwd: dir, editions: ['screen'], systemFonts: false });
      const pages = (await readPdfText(fs.readFileSync(result.files[0].path))).map((p) => p.text.replace(/\s+/g, ''));
      const issuerPage = pages.findIndex((p) => p.includes(ISSUER));
      expect(pages.findIndex((p) => p.includes(DATE)), `${n} paragraphs`).toBe(issuerPage);
      // A line holds at most 45 characters: the last 46 of what precedes are two lines or more.
      expect(pages[issuerPage], `${n} paragraphs`).toContain(LAST.slice(-46));
      if (!pages[issuerPage].includes(LAST)) turned++;
      seen.push(`${n}:${issuerPage}:${pages[issuerPage].indexOf(ISSUER)}`);
    }
    // Some of these fillings turned the page inside the paragraph before the closing.
    expect(turned, seen.join(' ')).toBeGreaterThan(0);
  }, 120_000);
});
