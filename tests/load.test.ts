import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { UserError } from '../src/source/errors.js';
import { loadIssue } from '../src/issue/load.js';
import { buildModel } from '../src/model/build.js';
import type { Block } from '../src/model/document.js';
import { build } from '../src/build.js';
import { formatWarning } from '../src/source/errors.js';
import { MANIFEST_7, REPO } from './helpers.js';

const tmp: string[] = [];
afterEach(() => {
  for (const d of tmp.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

const MANIFEST = MANIFEST_7;

/** A project folder with issues/7 holding the given files. */
function project(files: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bulletin-load-'));
  tmp.push(dir);
  const issue = path.join(dir, 'issues', '7');
  fs.mkdirSync(path.join(issue, 'articles'), { recursive: true });
  for (const [name, text] of Object.entries({ 'issue.yaml': MANIFEST, 'articles/a.md': '# 标题\n\n正文。\n', ...files })) {
    fs.mkdirSync(path.dirname(path.join(issue, name)), { recursive: true });
    fs.writeFileSync(path.join(issue, name), text);
  }
  return dir;
}

function failure(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    if (e instanceof UserError) return e.format(os.tmpdir());
    throw e;
  }
  throw new Error('expected a UserError');
}

const load = (dir: string) => buildModel(loadIssue('7', dir));

describe('loading an issue', () => {
  it('loads a minimal issue', () => {
    const model = load(project({}));
    expect(model.sections[0].articles[0].title).toBe('标题');
  });

  it('reads a GFM pipe table, numbers right and text left', () => {
    const model = load(project({ 'articles/a.md': '# 标题\n\n| 区域 | 总量 |\n| --- | --- |\n| 香洲区 | 3,157 |\n| 金湾区 | -19.2 |\n' }));
    const [t] = model.sections[0].articles[0].blocks;
    expect(t.kind).toBe('table');
    if (t.kind === 'table') {
      expect(t.data.columns).toEqual(['区域', '总量']);
      expect(t.data.body).toEqual([['香洲区', '3,157'], ['金湾区', '-19.2']]);
      expect(t.align).toEqual(['left', 'right']);
    }
  });

  it('shows raw HTML as text and joins soft line breaks between Chinese characters', () => {
    const model = load(project({ 'articles/a.md': '# 标题\n\n<b>协会</b>举办\n培训会, and\nmore.\n' }));
    const [p] = model.sections[0].articles[0].blocks;
    expect(p.kind === 'paragraph' && p.spans.map((s) => s.text).join('')).toBe('<b>协会</b>举办培训会, and more.');
  });

  it('names a missing issue', () => {
    const dir = project({});
    expect(failure(() => loadIssue('99', dir))).toMatch(/issue 99 not found: there is no issues\/99\/issue\.yaml/);
  });

  it('reports a YAML syntax error with line and column', () => {
    const dir = project({ 'issue.yaml': MANIFEST.replace('period: 2022年2季度报', 'period: [2022年2季度报') });
    expect(failure(() => load(dir))).toMatch(/issues\/7\/issue\.yaml:\d+:\d+: YAML syntax error/);
  });

  it.each([
    ['an unknown key', MANIFEST + 'colour: red\n', /issue\.yaml:12:1: unknown key "colour"/],
    ['a wrong type', MANIFEST.replace('number: 7', 'number: seven'), /issue\.yaml:1:9: expected a whole number/],
    ['a missing article', MANIFEST.replace('- a.md', '- b.md'), /issue\.yaml:11:9: article file articles\/b\.md not found/],
    ['an article listed twice', MANIFEST.replace('- a.md', '- a.md\n      - a.md'), /issue\.yaml:12:9: article a\.md is listed twice/],
    ['an empty section', MANIFEST.replace('    articles:\n      - a.md\n', '    articles: []\n'), /issue\.yaml:10:15: the list is empty/],
    ['a path leaving the folder', MANIFEST.replace('- a.md', '- ../../x.md'), /leaves the folder/],
    ['a number not matching the folder', MANIFEST.replace('number: 7', 'number: 8'), /issue\.yaml:1:9: number 8 does not match the folder issues\/7/],
  ])('refuses %s', (_name, manifest, message) => {
    expect(failure(() => load(project({ 'issue.yaml': manifest })))).toMatch(message);
  });

  it('reports front matter and block errors at the article line', () => {
    expect(failure(() => load(project({ 'articles/a.md': '---\ntoc: 短\nsorce: 某报\n---\n# 标题\n' })))).toMatch(/articles\/a\.md:3:1: unknown key "sorce"/);
    const chart = '# 标题\n\n```chart\ntype: bars\nx: a\nrows: [{a: x, b: 1}]\n```\n';
    expect(failure(() => load(project({ 'articles/a.md': chart })))).toMatch(/articles\/a\.md:4:7: expected one of bar \| hbar/);
    const table = '# 标题\n\n```table\ndata: data/t.csv\n```\n';
    expect(failure(() => load(project({ 'articles/a.md': table, 'data/t.csv': 'a,b\n1,2\n3\n' })))).toMatch(/data\/t\.csv:3:1: row has 1 cells, the first row has 2/);
    expect(failure(() => load(project({ 'articles/a.md': '# 标题\n\n![x](http://example.com/a.jpg)\n' })))).toMatch(/articles\/a\.md:3:4: .* is a URL/);
  });

  it('names unknown columns in merge and align, and a CSV that is not UTF-8', () => {
    const csv = '序号,地区\n1,北京\n';
    const merge = '# 标题\n\n```table\ndata: data/t.csv\nmerge: [城市]\n```\n';
    expect(failure(() => load(project({ 'articles/a.md': merge, 'data/t.csv': csv })))).toMatch(/articles\/a\.md:5:9: no column "城市" in t\.csv \(columns: 序号, 地区\)/);
    const align = '# 标题\n\n```table\ndata: data/t.csv\nalign: {区域: center}\n```\n';
    expect(failure(() => load(project({ 'articles/a.md': align, 'data/t.csv': csv })))).toMatch(/articles\/a\.md:5:9: no column "区域"/);
    const dir = project({ 'articles/a.md': '# 标题\n\n```table\ndata: data/t.csv\n```\n', 'data/t.csv': '' });
    fs.writeFileSync(path.join(dir, 'issues', '7', 'data', 't.csv'), Buffer.from([0xd0, 0xf2, 0xba, 0xc5, 0x0a, 0x31, 0x0a])); // GBK
    expect(failure(() => load(dir))).toMatch(/issues\/7\/data\/t\.csv:\d+:\d+: the file is not UTF-8 text/);
    const chart = '# 标题\n\n```chart\ntype: bar\ndata: data/t.csv\nx: 城市\n```\n';
    expect(failure(() => load(project({ 'articles/a.md': chart, 'data/t.csv': csv })))).toMatch(/articles\/a\.md:6:4: no column "城市"/);
  });

  it('names a non-numeric chart value by its row', () => {
    const chart = '# 标题\n\n```chart\ntype: bar\ndata: data/t.csv\nx: 区域\ny: [总量]\n```\n';
    expect(failure(() => load(project({ 'articles/a.md': chart, 'data/t.csv': '区域,总量\n香洲区,12\n金湾区,十二\n' })))).toMatch(/data\/t\.csv:3:5: "十二" in column "总量" is not a number/);
  });
});

describe('font coverage', () => {
  it('warns at every occurrence of a character no font has, and notes the font that set a substituted one', async () => {
    const dir = project({ 'articles/a.md': '# 标题\n\n正文。\n\n吉祥的𪜀字😀。\n\n又是𪜀，再𪜀。\n' });
    const result = await build({ issue: '7', cwd: dir, editions: ['screen'], systemFonts: false });
    const lines = result.warnings.map((w) => `${w.kind ?? 'warning'}: ${formatWarning(w, dir)}`);
    const emoji = path.join(REPO, 'node_modules/@expo-google-fonts/noto-emoji/400Regular/NotoEmoji_400Regular.ttf');
    expect(lines).toEqual([
      `note: ${emoji}: set 😀 (a character the template's fonts lack)`,
      'warning: issues/7/articles/a.md:5:4: no font has 𪜀 (U+2A700); it is left out',
      'warning: issues/7/articles/a.md:7:3: no font has 𪜀 (U+2A700); it is left out',
      'warning: issues/7/articles/a.md:7:6: no font has 𪜀 (U+2A700); it is left out',
    ]);
  }, 60_000);
});

describe('tables from Markdown', () => {
  const table = (dir: string) => buildModel(loadIssue('7', dir)).sections[0].articles[0].blocks.find((b) => b.kind === 'table') as Extract<Block, { kind: 'table' }>;

  it('reads a note as Markdown: an autolink becomes a link without its brackets, emphasis is kept', () => {
    const dir = project({ 'articles/a.md': '# 标题\n\n```table\ndata: data/t.csv\nnote: 注：详见平台(<http://syspt.example.cn/#/login>)，*以公布为准*\n```\n', 'data/t.csv': '区域,总量\n香洲区,12\n' });
    const note = table(dir).note!;
    expect(note.map((s) => s.text).join('')).toBe('注：详见平台(http://syspt.example.cn/#/login)，以公布为准');
    expect(note.find((s) => s.style.link)).toMatchObject({ text: 'http://syspt.example.cn/#/login', style: { link: 'http://syspt.example.cn/#/login' } });
    expect(note.find((s) => s.style.italic)?.text).toBe('以公布为准');
  });

  it('keeps a column of numbers numeric when some cells are placeholders', () => {
    const dir = project({ 'articles/a.md': '# 标题\n\n```table\ndata: data/t.csv\n```\n', 'data/t.csv': '区域,总量,备注\n香洲区,12,—\n金湾区,—,无\n斗门区,N/A,\n高新区,1,234.5\n' });
    expect(table(dir).align).toEqual(['left', 'right', 'left']);
  });

  it('honours GFM column alignment in pipe tables', () => {
    const dir = project({ 'articles/a.md': '# 标题\n\n| 项目 | 金额 | 说明 |\n| :---: | --- | ---: |\n| 甲 | 12 | 文字 |\n' });
    expect(table(dir).align).toEqual(['center', 'right', 'right']);
  });
});

describe('table cells written in Markdown', () => {
  const table = (dir: string) => buildModel(loadIssue('7', dir)).sections[0].articles[0].blocks.find((b) => b.kind === 'table') as Extract<Block, { kind: 'table' }>;

  it('keep links and emphasis in CSV and pipe-table cells, and their plain text for alignment', () => {
    const csv = project({ 'articles/a.md': '# 标题\n\n```table\ndata: data/t.csv\n```\n', 'data/t.csv': '平台,说明\n<https://a.example.cn/x>,*重点*\n普通,12\n' });
    const t = table(csv);
    expect(t.data.body[0]).toEqual(['https://a.example.cn/x', '重点']);
    expect(t.data.rich![0][0]![0].style.link).toBe('https://a.example.cn/x');
    expect(t.data.rich![0][1]![0].style.italic).toBe(true);
    expect(t.data.rich![1]).toEqual([undefined, undefined]);
    const pipe = project({ 'articles/a.md': '# 标题\n\n| 平台 | 说明 |\n| --- | --- |\n| [申报](https://a.example.cn) | **截止** |\n' });
    expect(table(pipe).data.rich![0][0]![0].style.link).toBe('https://a.example.cn');
  });
});
