/**
 * The stress issue (tests/stress/issue): what issue 44 never had — Ext-B and
 * compatibility characters, emoji, a character no font has, an SVG diagram
 * with Chinese labels, crowded charts, long URLs and words in every block
 * type, a small picture, photos that shrink. Built with the fonts in
 * tests/stress/fonts and none of the machine's, and read back with pdf.js.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { build, type BuildResult } from '../src/build.js';
import { formatWarning } from '../src/source/errors.js';
import { loadIssue } from '../src/issue/load.js';
import { buildModel } from '../src/model/build.js';
import type { Block, DocumentModel } from '../src/model/document.js';
import { REPO, zasto } from './helpers.js';
import { gap } from '../src/layout/chart.js';
import { captionOffsets, itemBox, outsideFrame, pdfLines, readPdf, readPdfGraphics, type PdfGraphics, type PdfPageText } from './pdf-text.js';
import { justifiedGaps, latinWordGaps } from './justification.js';
import { readTagged } from './pdf-structure.js';

const ISSUE = path.join(REPO, 'tests', 'stress', 'issue');
const out = fs.mkdtempSync(path.join(os.tmpdir(), 'bulletin-stress-'));
let result: BuildResult;
let pages: PdfPageText[];
let graphics: PdfGraphics;
let model: DocumentModel;

beforeAll(async () => {
  result = await build({ issue: ISSUE, cwd: REPO, out, fontFolders: ['tests/stress/fonts'], systemFonts: false });
  const data = fs.readFileSync(path.join(out, 'bulletin-90.pdf'));
  pages = (await readPdf(data)).pages;
  graphics = await readPdfGraphics(data);
  model = buildModel(loadIssue(ISSUE, REPO));
}, 120_000);
afterAll(() => fs.rmSync(out, { recursive: true, force: true }));

/** Is this line of the English article? Its text (spaces aside) is in the article's. */
const english = (line: string) => {
  const article = model.sections.flatMap((s) => s.articles).find((a) => a.lang === 'en')!;
  const text = article.blocks.flatMap(blockText).join('').replace(/\s+/g, '');
  const squeezed = line.replace(/[\s\u00ad]+/g, '');
  return squeezed.length > 10 && text.includes(squeezed.replace(/-$/, ''));
};

const clusters = (s: string) => Array.from(new Intl.Segmenter('zh', { granularity: 'grapheme' }).segment(s), (g) => g.segment).filter((c) => !/^\s+$/.test(c));

function blockText(b: Block): string[] {
  switch (b.kind) {
    case 'paragraph':
    case 'heading':
      return [b.spans.map((s) => s.text).join('')];
    case 'list':
      return b.items.map((i) => i.spans.map((s) => s.text).join(''));
    case 'quote':
      return b.blocks.flatMap(blockText);
    case 'images':
      return b.images.map((i) => i.caption);
    default:
      return [];
  }
}

describe('stress issue', () => {
  it('builds again in the same process, from remembered paragraphs, to the same bytes and the same notes (its fallback fonts included)', async () => {
    const again = path.join(out, 'again');
    const second = await build({ issue: ISSUE, cwd: REPO, out: again, fontFolders: ['tests/stress/fonts'], systemFonts: false });
    expect(second.warnings).toEqual(result.warnings);
    expect(result.warnings.some((w) => w.kind === 'note' && /BulletinTestExtB/.test(w.file ?? ''))).toBe(true);
    for (const f of result.files) expect(fs.readFileSync(path.join(again, path.basename(f.path))).equals(fs.readFileSync(f.path)), f.output).toBe(true);
  }, 60_000);

  it('warns about the character no font has at its line and column, and names the fonts that stood in', () => {
    const lines = result.warnings.map((w) => `${w.kind ?? 'warning'}: ${formatWarning(w, REPO)}`);
    expect(lines).toContain('warning: tests/stress/issue/articles/names.md:10:61: no font has 𪜀 (U+2A700); it is left out');
    expect(lines).toContain("note: tests/stress/fonts/BulletinTestExtB.ttf: set 𠮷 𡈽 𪚥 (characters the template's fonts lack)");
    expect(lines.some((l) => /^note: .*NotoEmoji.*: set 👍 😀 🎉 ✅/.test(l))).toBe(true);
  });

  it('prints every character of the articles and masthead, or warns about it', () => {
    const warned = new Set(result.warnings.filter((w) => !w.kind).map((w) => /no font has (\S+)/.exec(w.message)?.[1]));
    const source = [
      ...model.staff.flatMap((s) => [s.role, s.name]),
      ...model.sections.flatMap((s) => [s.title, ...s.articles.flatMap((a) => [a.title, ...a.blocks.flatMap(blockText)])]),
    ].join('');
    const printed = new Map<string, number>();
    for (const c of clusters(pages.map((p) => p.text).join(''))) printed.set(c, (printed.get(c) ?? 0) + 1);
    const need = new Map<string, number>();
    for (const c of clusters(source)) need.set(c, (need.get(c) ?? 0) + 1);
    const missing = [...need].filter(([c, n]) => !warned.has(c) && (printed.get(c) ?? 0) < n).map(([c, n]) => `${c} ${printed.get(c) ?? 0}/${n}`);
    expect(missing).toEqual([]);
    expect(printed.get('𠮷')).toBeGreaterThanOrEqual(5);
    expect(printed.get('\uf900')).toBeGreaterThanOrEqual(2);
    expect(printed.has('𪜀')).toBe(false);
  });

  it('sets a substituted character on the baseline of its line, at the size of its run', () => {
    const items = pages.flatMap((p) => p.items);
    const extb = items.filter((it) => it.font === 'BulletinTestExtB-Regular' && it.str.trim());
    expect(extb.length).toBeGreaterThanOrEqual(5);
    for (const it of extb) {
      const neighbours = items.filter((o) => o !== it && /^Noto(Serif|Sans)SC-/.test(o.font) && Math.abs(o.y - it.y) < 0.01 && o.x - 40 < it.x && it.x < o.x + o.width + 40);
      expect(neighbours.length, `${it.str} at ${it.x.toFixed(1)}, ${it.y.toFixed(1)}`).toBeGreaterThan(0);
      expect(neighbours.some((o) => Math.abs(o.size - it.size) < 0.01)).toBe(true);
    }
  });

  it('prints a compatibility ideograph in titles and emphasis with the plain template too (serif heads lack it)', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bulletin-stress-plain-'));
    try {
      fs.cpSync(ISSUE, dir, { recursive: true });
      fs.writeFileSync(path.join(dir, 'issue.yaml'), fs.readFileSync(path.join(dir, 'issue.yaml'), 'utf8').replace('template: zasto', 'template: plain'));
      const plain = await build({ issue: dir, cwd: REPO, out: path.join(dir, 'out'), editions: ['screen'], fontFolders: ['tests/stress/fonts'], systemFonts: false });
      expect(plain.warnings.filter((w) => w.message.includes('\uf900'))).toEqual([]);
      const text = (await readPdf(fs.readFileSync(plain.files[0].path))).pages.map((p) => p.text).join('');
      expect(text.match(/\uf900/g)?.length).toBe(clusters(pages.map((p) => p.text).join('')).filter((c) => c === '\uf900').length);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);

  it('prints every staff credit whole on the cover, a long one wrapped', () => {
    const cover = pages[0].text.replace(/\s+/g, '');
    for (const s of model.staff) expect(cover).toContain(`${s.role}：${s.name}`.replace(/\s+/g, ''));
  });

  it('leaves no stray space where a character was left out', () => {
    const text = pages.map((p) => p.text).join('');
    expect(text).toContain('这是一个没有任何字体收录的字：，');
    expect(text).toMatch(/Great\s?😀,/);
  });

  it('draws an SVG diagram as vectors with its Chinese labels as text, and takes out what could reach outside it', () => {
    const text = pages.map((p) => p.text.replace(/\s+/g, '')).join('');
    for (const label of ['企业申报', '区级初审', '市级复核', '服务外包项目申报流程（ITO/BPO）', '注：材料不全的，退回企业补正后重新提交']) expect(text).toContain(label);
    const svg = result.warnings.filter((w) => w.file?.endsWith('flow.svg')).map((w) => formatWarning(w, REPO));
    expect(svg).toEqual([
      "tests/stress/issue/images/flow.svg:18:76: the SVG's <text> has ✅, which the template's sans face lacks; it is left out",
      "tests/stress/issue/images/flow.svg:19:5: the SVG's <image> is left out: bulletin draws no pictures inside a drawing (place them in the article)",
      "tests/stress/issue/images/flow.svg:20:5: the SVG's <script> is left out: bulletin draws no scripts or embedded content",
      'tests/stress/issue/images/flow.svg:21:10: the SVG links to "other.svg#box", outside the drawing; the reference is left out',
    ]);
    // Drawn, not placed as a picture: the only images are the five photos and the small PNG.
    expect(graphics.images.flat()).toHaveLength(6);
  });

  it('prints no two chart labels within 1 pt of each other (glyph boxes read from the PDF)', () => {
    const titles = model.sections.flatMap((s) => s.articles.flatMap((a) => a.blocks.flatMap((b) => (b.kind === 'chart' && b.title ? [b.title] : []))));
    expect(titles.length).toBeGreaterThanOrEqual(4);
    const number = /^-?[\d.,]+$/;
    const close: string[] = [];
    let numbers = 0;
    pages.forEach((p, page) => {
      if (!titles.some((t) => p.text.includes(t))) return;
      const items = p.items.filter((it) => it.str.trim() && it.size <= 8.5 + 0.01);
      items.forEach((a, i) => {
        if (number.test(a.str.trim())) numbers++;
        for (const b of items.slice(i + 1)) {
          // A value or tick label is one run: it must stand clear of every other. Other labels may
          // be several runs on one baseline (Han and Latin pieces); across baselines they stand clear.
          const sameLine = Math.abs(a.y - b.y) < 0.01 && a.angle === b.angle;
          if (!number.test(a.str.trim()) && !number.test(b.str.trim()) && sameLine) continue;
          const d = gap(itemBox(a), itemBox(b));
          if (d < 1 - 0.05) close.push(`p${page + 1} "${a.str}" × "${b.str}": ${d.toFixed(2)} pt`);
        }
      });
    });
    expect(numbers).toBeGreaterThan(40);
    expect(close).toEqual([]);
  });

  it('draws no .notdef glyph', () => {
    expect(graphics.notdef).toEqual([]);
  });

  it('keeps every glyph inside the text frame, across, and on the page', () => {
    expect(outsideFrame(pages)).toEqual([]);
  });

  it('stretches no gap of a justified line by more than ⅛ em', () => {
    // Latin-script lines have their own rule (below).
    const gaps = justifiedGaps(pages, english);
    expect(gaps.checked).toBeGreaterThan(10);
    expect(gaps.over.map((g) => `p${g.page + 1} +${g.extra.toFixed(2)} pt: ${g.context}`)).toEqual([]);
  });

  it('sets a small picture no larger than 150 ppi allows, and says so', () => {
    expect(result.warnings.some((w) => w.file?.endsWith('small.png') && /300×200 px: set 51 mm wide/.test(w.message))).toBe(true);
    const widest = Math.max(...graphics.images.flat().map((r) => r[2] - r[0]).filter((w) => w < 200));
    expect(widest).toBeLessThanOrEqual((300 / 150) * 72 + 0.01);
  });

  it('centres every caption on its picture as placed, shrunk ones too', () => {
    const { caption, body } = zasto().template.type;
    const found = captionOffsets(pages, graphics.images, caption.size, caption.pitch);
    expect(found.length).toBeGreaterThanOrEqual(4);
    expect(found.filter((c) => Math.abs(c.offset) > 0.5).map((c) => `p${c.page + 1} ${c.offset.toFixed(2)} pt: ${c.text}`)).toEqual([]);
    // At least one photo gave up some of its height to finish a page (the frame's 32 % is its natural height).
    const { frame } = zasto().template.page;
    const photos = graphics.images.flat().filter((r) => r[2] - r[0] > 200);
    expect(photos.some((r) => r[3] - r[1] < frame.height * 0.32 - body.size)).toBe(true);
  });
});

describe('stress issue: Markdown as designers write it (issue 19)', () => {
  const { template } = zasto();
  const frameFoot = (p: PdfPageText) => p.height - (template.page.frame.y + template.page.frame.height);
  const squeeze = (s: string) => s.replace(/\s+/g, '');
  const notes = () => model.sections.flatMap((s) => s.articles.flatMap((a) => a.notes.map((n) => squeeze(n.map((x) => x.text).join('')))));

  it('sets each footnote at the foot of the page of its first reference, in the caption size, under a short rule, on two pages at least', () => {
    const { caption, body } = template.type;
    expect(notes().length).toBeGreaterThanOrEqual(4);
    const onPages = new Set<number>();
    for (const note of notes()) {
      const p = pages.findIndex((pg) => squeeze(pg.text).includes(note));
      expect(p, note).toBeGreaterThan(0);
      onPages.add(p);
      const page = pages[p];
      // Below every line of body text on its page, above the footer.
      const lowestBody = Math.min(...page.items.filter((it) => it.str.trim() && Math.abs(it.size - body.size) < 0.01).map((it) => it.y));
      const noteItems = page.items.filter((it) => it.str.trim() && it.y < lowestBody && it.y > frameFoot(page) - 0.5);
      expect(squeeze(noteItems.map((it) => it.str).join('')), `page ${p + 1}`).toContain(note);
      expect(noteItems.every((it) => Math.abs(it.size - caption.size) < 0.01 || it.size < caption.size)).toBe(true);
      // Its marker, superscript, on the same page as the note.
      const markers = page.items.filter((it) => /^[0-9]+$/.test(it.str.trim()) && it.size < body.size * 0.7 && it.y > lowestBody - 1);
      expect(markers.length, `markers on page ${p + 1}`).toBeGreaterThan(0);
    }
    expect(onPages.size).toBeGreaterThanOrEqual(2);
  });

  it('links every footnote marker to its note and the note back, in the screen edition, and tags each note as Note', async () => {
    const data = fs.readFileSync(path.join(out, 'bulletin-90.pdf'));
    for (const note of notes()) {
      const p = pages.findIndex((pg) => squeeze(pg.text).includes(note));
      expect(pages[p].links.filter((l) => l.page === p).length).toBeGreaterThanOrEqual(2);
    }
    const tagged = await readTagged(data);
    const noted = tagged.elements.filter((e) => e.role === 'Note').map((e) => squeeze(e.text));
    expect(noted).toHaveLength(notes().length);
    for (const note of notes()) expect(noted.some((t) => t.includes(note))).toBe(true);
  });

  it('prints the interview bold where its questions close in full-width punctuation, and no markup', () => {
    const text = pages.map((p) => p.text).join('');
    expect(text.match(/问：/g)?.length).toBeGreaterThanOrEqual(4);
    const bold = pages.flatMap((p) => p.items).filter((it) => /问：|答：/.test(it.str));
    expect(bold.every((it) => /Bold/.test(it.font))).toBe(true);
    for (const markup of ['**', '__', '[^', '](', '{align', '{caption', '{width']) expect(text).not.toContain(markup);
  });

  it('links bare addresses in Chinese text up to the first full-width character', () => {
    const urls = pages.flatMap((p) => p.links.map((l) => l.url).filter(Boolean));
    expect(urls).toContain('https://www.cac.gov.cn/zcfg/index.htm');
    expect(urls).toContain('mailto:compliance.office@yunheng-tech.example.cn');
    expect(urls).toContain('https://www.yunheng-tech.example.cn/members');
  });

  it('copies superscripts and subscripts as written, drawn in the face of their run', () => {
    const text = squeeze(pages.map((p) => p.text).join(''));
    for (const s of ['10⁶', 'CO₂', '10⁻³', 'H₂O']) expect(text).toContain(s);
    const items = pages.flatMap((p) => p.items);
    const six = items.find((it) => it.str.includes('⁶'))!;
    expect(six.font).toBe('NotoSerifSC-Regular');
  });

  it('sets a heading and a list item with {align=center} centred, and a table with {width=70%} at that width', () => {
    const { frame } = template.page;
    const centre = frame.x + frame.width / 2;
    const items = pages.flatMap((p) => p.items);
    for (const s of ['第一章', '数据分类分级咨询']) {
      const it = items.find((i) => i.str.includes(s))!;
      const line = items.filter((o) => Math.abs(o.y - it.y) < 0.01 && o.size === it.size && o.str.trim() && !/^[•◦]$/.test(o.str.trim()));
      const left = Math.min(...line.map((o) => o.x));
      const right = Math.max(...line.map((o) => o.x + o.width));
      expect(Math.abs((left + right) / 2 - (s === '第一章' ? centre : centre + template.type.body.size)), s).toBeLessThan(1);
    }
  });

  it('draws a chart with a missing value as a gap and says so under it; a column of U+2212 numbers is right-aligned', () => {
    const text = squeeze(pages.map((p) => p.text).join(''));
    expect(text).toContain('注：二季度（香洲区）、三季度（金湾区）无数据，图中留空。');
    expect(text).toContain('注：金湾区无数据，图中留空。');
    const items = pages.flatMap((p) => p.items);
    const cells = ['−6.8', '2.5', '5.0'].map((s) => items.find((it) => it.str.trim() === s && it.size < template.type.body.size)!);
    const rights = cells.map((c) => c.x + c.width);
    expect(Math.max(...rights) - Math.min(...rights)).toBeLessThan(0.5);
  });

  it('refuses nothing and warns about nothing it added', () => {
    const mine = result.warnings.filter((w) => w.file?.endsWith('interview.md') || (w.file?.endsWith('charts.md') ?? false));
    expect(mine.map((w) => formatWarning(w, REPO))).toEqual([]);
  });

  it('sets the English article as Latin text: curly quotes, hyphenated, word gaps of at most 0.5 em, 1 em indent, Source:', () => {
    const article = model.sections.flatMap((x) => x.articles).find((a) => a.file.endsWith('english.md'))!;
    expect(article.lang).toBe('en');
    const text = pages.map((p) => p.text).join('');
    expect(text).toContain('(“ZASTO”)');
    expect(text).toContain('didn’t');
    expect(text).not.toMatch(/"ZASTO"|didn't/);
    expect(text).toContain('Source: ZASTO Secretariat');
    const gaps = latinWordGaps(pages, english);
    expect(gaps.length).toBeGreaterThan(40);
    expect(gaps.filter((g) => g.gap > 0.5).map((g) => `p${g.page + 1} ${g.gap.toFixed(2)} em: ${g.text}`)).toEqual([]);
    // Hyphenated: some lines end inside a word (the soft hyphen copies as nothing, the word whole).
    const lines = pdfLines(pages).filter((l) => english(l.text));
    const { body } = template.type;
    const hyphenated = lines.filter((l, i) => /\p{Ll}$/u.test(l.text) && /^\p{Ll}/u.test(lines[i + 1]?.text ?? '') && !/\s$/.test(l.text));
    expect(hyphenated.length).toBeGreaterThan(3);
    // Paragraphs open 1 em in: the first line of each paragraph starts one body size right of the frame.
    const starts = article.blocks.filter((b) => b.kind === 'paragraph').map((b) => (b.kind === 'paragraph' ? b.spans[0].text.slice(0, 12) : ''));
    for (const start of starts) {
      const line = lines.find((l) => l.text.startsWith(start));
      expect(line, start).toBeDefined();
      expect(line!.left - template.page.frame.x).toBeCloseTo(body.size, 1);
    }
  });
});

describe('stress issue: a notice, a directory and a combo chart (issue 20)', () => {
  const lines = () => pdfLines(pages).map((l) => ({ ...l, flat: l.text.replace(/\s+/g, '') }));

  it('prints the notice’s issuer and date on one page, with the lines before them', () => {
    const all = lines();
    // The issuer is the line before the date in reading order (the cover carries the name too).
    const at = all.findIndex((l) => l.flat === '2022年7月18日');
    const [issuer, date] = [all[at - 1], all[at]];
    expect(issuer.flat).toBe('珠海市服务贸易和外包行业协会');
    expect(date.page).toBe(issuer.page);
    expect(all.filter((l) => l.page === issuer.page && l.y > issuer.y && l.flat.length > 20).length).toBeGreaterThanOrEqual(2);
  });

  it('keeps the merged district, each phone number and each date range of the directory on one line', () => {
    const all = lines();
    expect(all.some((l) => l.flat.startsWith('横琴粤澳深度合作区珠海横琴'))).toBe(true);
    const rows = fs.readFileSync(path.join(ISSUE, 'data', 'directory.csv'), 'utf8').trim().split('\n').slice(1).map((r) => r.split(','));
    for (const [, , phone, dates] of rows) {
      expect(all.some((l) => l.flat.includes(phone)), phone).toBe(true);
      expect(all.some((l) => l.flat.includes(dates)), dates).toBe(true);
    }
  });

  it('puts the line series’ unit over the right axis, and says which values it could not print clear of the line', () => {
    const text = pages.map((p) => p.text.replace(/\s+/g, '')).join('');
    expect(text).toContain('单位：万美元');
    expect(text).toContain('单位：%');
    expect(result.warnings.filter((w) => w.file?.endsWith('notice.md')).map((w) => w.message)).toEqual([expect.stringContaining('prints no values for "执行额"')]);
  });
});
