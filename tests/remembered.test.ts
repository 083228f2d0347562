/**
 * What a process remembers between builds (bulletin build --watch): parsed
 * articles while neither their text nor their data files change.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadIssue } from '../src/issue/load.js';
import { buildModel } from '../src/model/build.js';
import type { TableBlock } from '../src/model/document.js';
import { MANIFEST_7 } from './helpers.js';

const work = fs.mkdtempSync(path.join(os.tmpdir(), 'bulletin-remembered-'));
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

describe('remembered articles', () => {
  const issue = path.join(work, 'issues', '7');
  fs.mkdirSync(path.join(issue, 'articles'), { recursive: true });
  fs.mkdirSync(path.join(issue, 'data'));
  fs.writeFileSync(path.join(issue, 'issue.yaml'), MANIFEST_7);
  const article = path.join(issue, 'articles', 'a.md');
  const csv = path.join(issue, 'data', 't.csv');
  fs.writeFileSync(article, '# 标题\n\n正文。\n\n```table\ndata: data/t.csv\n```\n');
  fs.writeFileSync(csv, '名称,数量\n甲,1\n');
  const model = () => buildModel(loadIssue('7', work));
  const table = (m: ReturnType<typeof model>) => m.sections[0].articles[0].blocks.find((b): b is TableBlock => b.kind === 'table')!.data.body;

  it('parses an article again only when it or a data file it reads has changed', () => {
    const first = model();
    expect(table(first)).toEqual([['甲', '1']]);
    // Unchanged: the same parse.
    expect(model().sections[0].articles[0]).toBe(first.sections[0].articles[0]);
    // The CSV changed, the article did not: parsed again.
    fs.writeFileSync(csv, '名称,数量\n乙,2\n');
    const second = model();
    expect(table(second)).toEqual([['乙', '2']]);
    // The article changed.
    fs.writeFileSync(article, '# 标题\n\n改过的正文。\n\n```table\ndata: data/t.csv\n```\n');
    const third = model();
    expect(third.sections[0].articles[0]).not.toBe(second.sections[0].articles[0]);
    expect(third.sections[0].articles[0].blocks[0]).toMatchObject({ kind: 'paragraph', spans: [{ text: '改过的正文。' }] });
  });
});
