import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { build } from '../src/build.js';
import { loadIssue } from '../src/issue/load.js';
import { buildModel } from '../src/model/build.js';
import { noLineEnd, noLineStart } from '../src/compose/classify.js';
import { REPO, zasto } from './helpers.js';
import { justifiedGaps } from './justification.js';
import { captionOffsets, multiLineTitles, outsideFrame, pdfLines, titleBreaks, readPdf, readPdfGraphics, type PdfDocumentText, type PdfLine, type PdfPageText } from './pdf-text.js';

const SEED = path.join(REPO, 'tests', 'fixtures', 'bulletin-44-source.txt');

/** The seed's content: without the running footers and without the printed contents list. */
function seedContent(): string {
  const lines = fs.readFileSync(SEED, 'utf8').split('\n').filter((l) => l.trim() !== '<http://www.zasto.org.cn>');
  const tocStart = lines.findIndex((l) => l.trim() === '目录 CONTENTS');
  // The contents list ends where its first section title comes again, as the body's opener.
  const firstEntry = lines.findIndex((l, i) => i > tocStart && l.trim() === '企业动态');
  const bodyStart = lines.findIndex((l, i) => i > firstEntry && l.trim() === '企业动态');
  return [...lines.slice(0, tocStart), ...lines.slice(bodyStart)].join('\n');
}

function hanCounts(s: string): Map<string, number> {
  const m = new Map<string, number>();
  for (const ch of s.match(/\p{Script=Han}/gu) ?? []) m.set(ch, (m.get(ch) ?? 0) + 1);
  return m;
}

const out = fs.mkdtempSync(path.join(os.tmpdir(), 'bulletin-44-'));
let pages: PdfPageText[];
let pdf: PdfDocumentText;

beforeAll(async () => {
  const result = await build({ issue: '44', cwd: REPO, out });
  expect(result.files.map((f) => path.basename(f.path))).toEqual(['bulletin-44.pdf', 'bulletin-44-print.pdf']);
  pdf = await readPdf(fs.readFileSync(path.join(out, 'bulletin-44.pdf')));
  pages = pdf.pages;
}, 180_000);
afterAll(() => fs.rmSync(out, { recursive: true, force: true }));

describe('issue 44', () => {
  it('holds every Han character of the printed issue at least as often', () => {
    const pdf = hanCounts(pages.map((p) => p.text).join('\n'));
    const missing: string[] = [];
    for (const [ch, n] of hanCounts(seedContent())) {
      const got = pdf.get(ch) ?? 0;
      if (got < n) missing.push(`${ch} ${got}/${n}`);
    }
    expect(missing).toEqual([]);
  });

  it('prints every article title', () => {
    const model = buildModel(loadIssue('44', REPO));
    const all = pages.map((p) => p.text.replace(/\s+/g, '')).join('');
    const titles = model.sections.flatMap((s) => s.articles.map((a) => a.title));
    expect(titles).toHaveLength(27);
    for (const t of titles) expect(all, t).toContain(t.replace(/\s+/g, ''));
  });

  it('keeps the screen edition within 3 MB for email', () => {
    expect(fs.statSync(path.join(out, 'bulletin-44.pdf')).size).toBeLessThanOrEqual(3e6);
  });

  it('carries the site URL in the footer of every page', () => {
    pages.forEach((p, i) => expect(p.text, `page ${i + 1}`).toContain('http://www.zasto.org.cn'));
  });
});

describe('issue 44 typography, read back from the PDF', () => {
  const { template } = zasto();
  const frame = template.page.frame;
  const body = template.type.body;
  const serif = (l: PdfLine) => /^NotoSerifSC-/.test(l.font) && Math.abs(l.size - body.size) < 0.01;
  let lines: PdfLine[];
  let bodyLines: PdfLine[];
  beforeAll(() => {
    lines = pdfLines(pages);
    // The body: serif lines at the body size after the cover (the contents there are smaller).
    bodyLines = lines.filter((l) => l.page >= 1 && serif(l));
  });

  /** Where a paragraph's lines start: the left edge, or the 2-em indent (half an em less before a trimmed opening bracket). */
  const at = (l: PdfLine, x: number) => Math.abs(l.left - x) < 0.5 || Math.abs(l.left - (x - body.size / 2)) < 0.5;
  const paragraphLine = (l: PdfLine) => at(l, frame.x) || at(l, frame.x + 2 * body.size);

  /** A paragraph line is not its paragraph's last when the next body line continues it: at the left edge, one pitch below or atop the next page. */
  /** Paragraphs set flush ({align=…}) start at the left edge too: a line before one of them ends its paragraph. */
  const flush = buildModel(loadIssue('44', REPO)).sections.flatMap((s) => s.articles.flatMap((a) => a.blocks.flatMap((b) => (b.kind === 'paragraph' && b.align ? [b.spans.map((x) => x.text).join('')] : []))));
  const continued = (i: number): boolean => {
    const l = bodyLines[i];
    const n = bodyLines[i + 1];
    if (!n || !paragraphLine(l) || !at(n, frame.x)) return false;
    if (flush.some((f) => f.replace(/\s+/g, '').startsWith(n.text.replace(/\s+/g, '')))) return false;
    return n.page === l.page ? Math.abs(l.y - body.pitch - n.y) < 0.5 : n.page === l.page + 1;
  };

  it('has no line that starts with a line-start-prohibited mark or ends with an opening bracket', () => {
    // A 2-em dash is one unit: at the gb level it may begin a line (a title's subtitle does).
    const head = (t: string) => (t.startsWith('——') ? '——' : [...t][0]);
    const bad = lines.filter((l) => noLineStart(head(l.text.trim()), 'gb') || noLineEnd([...l.text.trim()].pop()!, 'gb'));
    expect(bad.map((l) => `p${l.page + 1}: ${l.text}`)).toEqual([]);
    expect(lines.length).toBeGreaterThan(1000);
  });

  it('brings every non-final body line to the right edge', () => {
    const right = frame.x + frame.width;
    const checked = bodyLines.filter((_, i) => continued(i));
    expect(checked.length).toBeGreaterThan(400);
    const short = checked.filter((l) => l.right < right - 0.5);
    expect(short.map((l) => `p${l.page + 1} ${(right - l.right).toFixed(2)} pt short: ${l.text}`)).toEqual([]);
  });

  it('stretches no gap of a justified line by more than ⅛ em', () => {
    const gaps = justifiedGaps(pages);
    expect(gaps.checked).toBeGreaterThan(400);
    expect(gaps.over.map((g) => `p${g.page + 1} +${g.extra.toFixed(2)} pt: ${g.context}`)).toEqual([]);
  });

  it('centres every caption on its picture as placed, shrunk ones too', async () => {
    const { images } = await readPdfGraphics(fs.readFileSync(path.join(out, 'bulletin-44.pdf')));
    const caption = template.type.caption;
    const found = captionOffsets(pages, images, caption.size, caption.pitch);
    expect(found.length).toBe(5);
    expect(found.filter((c) => Math.abs(c.offset) > 0.5).map((c) => `p${c.page + 1} ${c.offset.toFixed(2)} pt: ${c.text}`)).toEqual([]);
  });

  it('keeps every glyph inside the text frame, across, and on the page', () => {
    expect(outsideFrame(pages)).toEqual([]);
  });

  it('breaks titles between words, into even lines, the last of three characters or more', () => {
    const title = template.type.title;
    const titles = multiLineTitles(pages, title.size, title.pitch);
    expect(titles.length).toBeGreaterThanOrEqual(10);
    const breaks = titles.map((t) => ({ t: t.join(' / '), ...titleBreaks(t) }));
    expect(breaks.filter((b) => b.insideWord.length || b.shortLast).map((b) => b.t)).toEqual([]);
    // Even: no line shorter than half the longest of its title.
    const uneven = titles.filter((t) => Math.min(...t.map((l) => [...l].length)) < Math.max(...t.map((l) => [...l].length)) / 2);
    expect(uneven.map((t) => t.join(' / '))).toEqual([]);
  });

  it('sets no gap around a dash between digits (1—5月)', () => {
    const text = pages.map((p) => p.text).join('');
    expect(text.match(/1—5/g)?.length).toBe(2);
    expect(text).not.toMatch(/\d\s+[—～]|[—～]\s+\d/);
  });

  it('sets the issuer and date closing a notice flush right, and its addressees flush left', () => {
    const right = frame.x + frame.width;
    for (const t of ['珠海市人民政府办公室', '2022年4月28日', '珠海市工业和信息化局', '2022年5月30日']) {
      const line = bodyLines.find((l) => l.text.replace(/\s+/g, '') === t);
      expect(line, t).toBeDefined();
      expect(Math.abs(line!.right - right), t).toBeLessThan(0.5);
    }
    for (const t of ['各有关单位：', '各区政府（管委会），市政府各部门、各直属机构：']) {
      const line = bodyLines.find((l) => l.text.replace(/\s+/g, '') === t);
      expect(Math.abs(line!.left - frame.x), t).toBeLessThan(0.5);
    }
  });

  it('ends no paragraph with a line holding one Han character', () => {
    const lonely = bodyLines.filter((l, i) => paragraphLine(l) && !continued(i) && (l.text.match(/[\p{L}\p{N}]/gu) ?? []).length === 1 && /\p{Script=Han}/u.test(l.text));
    expect(lonely.map((l) => `p${l.page + 1}: ${l.text}`)).toEqual([]);
  });

  it('copies out as the source: no character lost, no space between Han characters', () => {
    const model = buildModel(loadIssue('44', REPO));
    const paragraphs = model.sections.flatMap((s) => s.articles.flatMap((a) => a.blocks.flatMap((b) => (b.kind === 'paragraph' ? [b.spans.map((x) => x.text).join('')] : []))));
    expect(paragraphs.length).toBeGreaterThan(150);
    const pdf = bodyLines.map((l) => l.text).join('').replace(/\s+/g, '');
    const lost = paragraphs.filter((p) => !pdf.includes(p.replace(/\s+/g, '')));
    expect(lost).toEqual([]);
    const hanSpace = /(\p{Script=Han})\s+(?=(\p{Script=Han}))/gu;
    const inSource = new Set(paragraphs.flatMap((p) => [...p.matchAll(hanSpace)].map((m) => m[1] + m[2])));
    const spurious = bodyLines.flatMap((l) => [...l.text.matchAll(hanSpace)].map((m) => m[1] + m[2]).filter((pair) => !inSource.has(pair)));
    expect(spurious).toEqual([]);
  });
});

describe('issue 44 navigation', () => {
  const { template } = zasto();
  const model = buildModel(loadIssue('44', REPO));
  const titleSize = template.type.title.size;
  const sectionSize = template.type.section.size;
  const squeeze = (s: string) => s.replace(/\s+/g, '');

  /** 0-based index of the page on which `title` is printed in the given size. */
  const printedOn = (title: string, size: number): number[] =>
    Array.from(
      pdfLines(pages)
        .filter((l) => Math.abs(l.size - size) < 0.01)
        .reduce<Map<number, string>>((m, l) => m.set(l.page, (m.get(l.page) ?? '') + l.text), new Map()),
    )
      .filter(([, text]) => squeeze(text).includes(squeeze(title)))
      .map(([page]) => page);

  it('gives every contents entry the page its title is printed on, and links it there', () => {
    const entries = model.sections.flatMap((s) => [{ toc: s.title, title: s.title, size: sectionSize }, ...s.articles.map((a) => ({ toc: a.toc, title: a.title, size: titleSize }))]);
    const lines = pdfLines(pages);
    const tocLinks = pages.flatMap((p, page) => p.links.filter((l) => l.page !== undefined).map((l) => ({ ...l, from: page })));
    expect(tocLinks).toHaveLength(entries.length);
    // All on the cover: set smaller and tighter, the contents fit there.
    expect(tocLinks.filter((l) => l.from !== 0)).toEqual([]);
    const seen = tocLinks.map((link) => {
      const [x1, y1, x2, y2] = link.rect;
      const inside = lines.filter((l) => l.page === link.from && l.y > y1 && l.y < y2 && l.left >= x1 - 1 && l.right <= x2 + 1);
      const number = inside.filter((l) => /^\d+$/.test(l.text.trim())).pop();
      const text = squeeze(inside.filter((l) => l !== number).map((l) => l.text).join(''));
      return { text, number: Number(number?.text), page: link.page! };
    });
    for (const e of entries) {
      const hit = seen.filter((s) => s.text === squeeze(e.toc));
      expect(hit, e.toc).toHaveLength(1);
      const [page] = printedOn(e.title, e.size);
      expect(page, `${e.title} is printed`).toBeGreaterThan(0);
      expect(hit[0].page, e.toc).toBe(page);
      expect(hit[0].number, e.toc).toBe(page + 1);
    }
  });

  it('sets folios on the outside edge, left on even pages and right on odd, and none on the cover', () => {
    const { frame, footerY } = template.page;
    const folios = pages.map((p) => p.items.filter((it) => /^\d+$/.test(it.str.trim()) && Math.abs(it.size - template.type.footer.size) < 0.01 && it.y < template.page.height - footerY + 12));
    expect(folios[0]).toEqual([]);
    // The last page is the back cover: no running lines.
    folios.slice(1, -1).forEach((f, i) => {
      const number = i + 2;
      expect(f.map((it) => it.str.trim()), `page ${number}`).toEqual([String(number)]);
      const it = f[0];
      if (number % 2 === 0) expect(Math.abs(it.x - frame.x), `page ${number}`).toBeLessThan(0.5);
      else expect(Math.abs(it.x + it.width - (frame.x + frame.width)), `page ${number}`).toBeLessThan(0.5);
    });
  });

  it('carries the site URL as text and as a live link on every page but the cover', () => {
    pages.slice(1).forEach((p, i) => {
      expect(p.text, `page ${i + 2}`).toContain(template.url);
      expect(p.links.some((l) => l.url === template.url), `page ${i + 2}`).toBe(true);
    });
  });

  it('has one bookmark per section and per article, each opening its page', () => {
    expect(pdf.outline.map((s) => s.title)).toEqual(model.sections.map((s) => s.title));
    const articles = pdf.outline.flatMap((s) => s.children);
    expect(articles.map((a) => a.title)).toEqual(model.sections.flatMap((s) => s.articles.map((a) => a.toc)));
    for (const [i, a] of model.sections.flatMap((s) => s.articles).entries()) expect(articles[i].page, a.title).toBe(printedOn(a.title, titleSize)[0]);
  });

  it('sets the document information', () => {
    expect(pdf.info).toMatchObject({
      Title: '简报 2022年2季度报 总第44期',
      Author: '珠海市服务贸易和外包行业协会',
      Subject: '珠服贸外协编【2022年2季度报】总第 44 期',
      Language: 'zh-CN',
    });
    expect(String(pdf.info.Keywords)).toContain('企业动态');
    expect(String(pdf.info.CreationDate)).toMatch(/^D:20220731/);
  });
});
