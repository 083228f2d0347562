/** The contents and the outline find sections by their place in the issue, not by title. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { build } from '../src/build.js';
import { readPdf } from './pdf-text.js';

const work = fs.mkdtempSync(path.join(os.tmpdir(), 'bulletin-contents-'));
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

it('sends two sections of the same title each to its own page', async () => {
  const issue = path.join(work, 'issues', '7');
  fs.mkdirSync(path.join(issue, 'articles'), { recursive: true });
  fs.writeFileSync(
    path.join(issue, 'issue.yaml'),
    `number: 7\ntemplate: zasto\ndate: 2022-07-31\nperiod: 2022年2季度报\nlabel: 总第 7 期\nstaff:\n  - 主编: 某某\nsections:\n  - title: 动态\n    articles: [a.md]\n  - title: 动态\n    articles: [b.md]\n`,
  );
  fs.writeFileSync(path.join(issue, 'articles', 'a.md'), '# 甲\n\n正文。\n');
  fs.writeFileSync(path.join(issue, 'articles', 'b.md'), '# 乙\n\n正文。\n');
  const result = await build({ issue: '7', cwd: work, out: path.join(work, 'out'), editions: ['screen'] });
  const pdf = await readPdf(fs.readFileSync(result.files[0].path));
  expect(pdf.outline.map((o) => [o.title, o.page])).toEqual([
    ['动态', 1],
    ['动态', 2],
  ]);
  // Contents links on the cover, in order: section, article, section, article.
  expect(pdf.pages[0].links.filter((l) => l.page !== undefined).map((l) => l.page)).toEqual([1, 1, 2, 2]);
});
