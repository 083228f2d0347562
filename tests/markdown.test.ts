/**
 * Markdown as Chinese designers and editors write it (issue 19), read into
 * the document model: emphasis beside full-width punctuation, attributes in
 * braces, footnotes, bare links, and nothing of the source lost silently.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { formatWarning, UserError } from '../src/source/errors.js';
import { loadIssue } from '../src/issue/load.js';
import { buildModel } from '../src/model/build.js';
import type { Article, Block, Span } from '../src/model/document.js';
import { readAttributes, trailingAttributes } from '../src/model/attributes.js';
import { MANIFEST_7 } from './helpers.js';

const tmp: string[] = [];
afterEach(() => {
  for (const d of tmp.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

/** Issue 7 with one article holding `body` (after its title line): the article and the warnings, as `line:col: message`. */
function article(body: string): { article: Article; warnings: string[] } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bulletin-md-'));
  tmp.push(dir);
  const issue = path.join(dir, 'issues', '7');
  fs.mkdirSync(path.join(issue, 'articles'), { recursive: true });
  fs.writeFileSync(path.join(issue, 'issue.yaml'), MANIFEST_7);
  fs.writeFileSync(path.join(issue, 'articles', 'a.md'), `# 标题\n\n${body}`);
  const model = buildModel(loadIssue('7', dir));
  return { article: model.sections[0].articles[0], warnings: model.warnings.map((w) => formatWarning(w, issue).replace(/^articles\/a\.md:/, '')) };
}

function failure(body: string): string {
  try {
    article(body);
  } catch (e) {
    if (e instanceof UserError) return e.format(os.tmpdir()).replace(/^.*articles\/a\.md:/, '');
    throw e;
  }
  throw new Error('expected a UserError');
}

const text = (spans: Span[]) => spans.map((s) => s.text).join('');
const styled = (spans: Span[]) => spans.map((s) => (s.style.bold ? `<b>${s.text}</b>` : s.style.italic ? `<i>${s.text}</i>` : s.style.link ? `<a ${s.style.link}>${s.text}</a>` : s.style.note ? `<sup>${s.text}</sup>` : s.text)).join('');
const para = (b: Block | undefined) => {
  if (b?.kind !== 'paragraph') throw new Error(`expected a paragraph, got ${b?.kind}`);
  return b;
};

describe('emphasis as Chinese writers write it', () => {
  it('closes bold and emphasis that touch full-width punctuation', () => {
    const { article: a } = article('**问：**云衡成立的时候，**“重点”**文字，*（注）*说明。\n');
    expect(styled(para(a.blocks[0]).spans)).toBe('<b>问：</b>云衡成立的时候，<b>“重点”</b>文字，<i>（注）</i>说明。');
  });
});

describe('attributes in braces', () => {
  it('reads key=value pairs, quoted or bare, and pandoc classes; anything else in braces is text', () => {
    expect(readAttributes('align=center width="50%" alt=“现场”')?.map((a) => `${a.key}=${a.value}`)).toEqual(['align=center', 'width=50%', 'alt=现场']);
    expect(readAttributes('.red #top')?.map((a) => a.key)).toEqual(['class', 'id']);
    expect(readAttributes('1,2,3')).toBeUndefined();
    expect(readAttributes(' ')).toBeUndefined();
    expect(trailingAttributes('集合{1,2,3}')).toEqual({ text: '集合{1,2,3}', attributes: [] });
  });

  it('attaches them to a heading, a paragraph, a list item, a quote, a table and a chart, and prints none', () => {
    const { article: a, warnings } = article(
      [
        '### 第一章　总　则 {align=center}',
        '',
        '珠海市服务贸易协会 {align=right}',
        '',
        '- 第一项 {align=center}',
        '- 第二项',
        '',
        '> 引文一段',
        '',
        '{align=right}',
        '',
        '| 区域 | 总量 |',
        '| --- | --- |',
        '| 香洲区 | 3 |',
        '',
        '{width=60% caption="表 1　各区总量"}',
        '',
        '集合{1,2,3}不是属性。',
        '',
      ].join('\n'),
    );
    expect(warnings).toEqual([]);
    const [h, p, l, q, t, p2] = a.blocks;
    expect(h).toMatchObject({ kind: 'heading', align: 'center' });
    expect(text((h as { spans: Span[] }).spans)).toBe('第一章　总　则');
    expect(p).toMatchObject({ kind: 'paragraph', align: 'right' });
    expect(text(para(p).spans)).toBe('珠海市服务贸易协会');
    expect(l.kind === 'list' && l.items.map((i) => [text(i.spans), i.align])).toEqual([['第一项', 'center'], ['第二项', undefined]]);
    expect(q.kind === 'quote' && q.blocks[0]).toMatchObject({ kind: 'paragraph', align: 'right' });
    expect(t).toMatchObject({ kind: 'table', width: 0.6, caption: '表 1　各区总量' });
    expect(text(para(p2).spans)).toBe('集合{1,2,3}不是属性。');
  });

  it('warns at line and column about an unknown key, a class, attributes in mid-text and attributes that nothing takes, and prints none of them', () => {
    const { article: a, warnings } = article(['正文 {colour=red}', '', '中间{align=center}的属性', '', '---', '', '{align=right}', '', '## 小标题 {.red}', ''].join('\n'));
    expect(warnings).toEqual([
      '3:4: a paragraph has no attribute "colour" (it takes align=); left out',
      '5:3: {align=center} cannot be attached here (attributes go at the end of a paragraph, heading or list item, or after a picture); left out',
      '9:1: {align=right} cannot be attached to a rule; left out',
      '11:8: a heading has no attribute .red (it takes align=); left out',
    ]);
    const printed = a.blocks.map((b) => (b.kind === 'paragraph' || b.kind === 'heading' ? text(b.spans) : b.kind)).join('|');
    expect(printed).toBe('正文|中间的属性|rule|小标题');
  });
});

describe('footnotes', () => {
  it('numbers references in the order of their first use and keeps each note as text', () => {
    const { article: a, warnings } = article(['正文[^a]再引[^b]，又见[^a]。', '', '[^b]: 第二条，**粗**。', '[^a]: 第一条', '    第二段', ''].join('\n'));
    expect(warnings).toEqual([]);
    expect(styled(para(a.blocks[0]).spans)).toBe('正文<sup>1</sup>再引<sup>2</sup>，又见<sup>1</sup>。');
    expect(a.notes.map(styled)).toEqual(['第一条第二段', '第二条，<b>粗</b>。']);
  });

  it('names a reference to a note that is not written, and a note nothing refers to; prints neither marker', () => {
    const { article: a, warnings } = article(['正文[^9]。', '', '[^x]: 无人引用', ''].join('\n'));
    expect(warnings).toEqual([
      '3:3: the footnote [^9] is not written: add "[^9]: the note" to the article; left out',
      '5:1: the footnote [^x] is not referenced in the text; left out',
    ]);
    expect(text(para(a.blocks[0]).spans)).toBe('正文。');
  });

  it('refuses a list in a note at its line', () => {
    expect(failure(['正文[^1]。', '', '[^1]: 注', '', '    - 列表', ''].join('\n'))).toMatch(/^7:1: a footnote holds paragraphs only/);
  });
});

describe('bare links', () => {
  it('makes web and mail addresses links, ending them at the first full-width character', () => {
    const { article: a } = article('请访问https://www.zasto.org.cn/news详见官网，或写信至editor@zasto.org.cn。也见 http://a.org/x_y 和 README.md、ftp://x.org。\n');
    expect(styled(para(a.blocks[0]).spans)).toBe(
      '请访问<a https://www.zasto.org.cn/news>https://www.zasto.org.cn/news</a>详见官网，或写信至<a mailto:editor@zasto.org.cn>editor@zasto.org.cn</a>。也见 <a http://a.org/x_y>http://a.org/x_y</a> 和 README.md、ftp://x.org。',
    );
  });

  it('leaves addresses in code and inside written links as they are', () => {
    const { article: a } = article('`https://a.org` 与 [站点 https://b.org](https://c.org)\n');
    expect(para(a.blocks[0]).spans.map((s) => [s.text, s.style.link ?? '', !!s.style.code])).toEqual([
      ['https://a.org', '', true],
      [' 与 ', '', false],
      ['站点 https://b.org', 'https://c.org', false],
    ]);
  });
});

describe('nothing lost to nesting', () => {
  it('refuses a list nested deeper than can be set at the line where it goes too deep, whatever the parser could keep', () => {
    const deep = Array.from({ length: 60 }, (_, d) => `${'  '.repeat(d)}- 第${d + 1}层`).join('\n');
    expect(failure(`${deep}\n\n后面的段落。\n`)).toBe('11:1: lists are nested more than 8 deep; at most 8 levels can be set');
  });
});
