/**
 * The editions' standards (issue 12): the print edition passes our PDF/X-1a
 * preflight and the preflight catches what breaks it; the screen edition
 * keeps the PDF/UA-1 rules that apply (veraPDF rule numbers in the test
 * names); copied text is the source; both editions break lines and pages
 * alike.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as fontkit from 'fontkit';
import type * as Fontkit from 'fontkit';
import PDFDocument from 'pdfkit';
import sharp from 'sharp';
import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { build } from '../src/build.js';
import { loadIssue } from '../src/issue/load.js';
import type { Block, DocumentModel, Span } from '../src/model/document.js';
import { buildModel } from '../src/model/build.js';
import { name, operators, PdfDict, PdfFile, PdfRef, PdfString } from '../src/preflight/pdf-file.js';
import { preflight } from '../src/preflight/pdfx.js';
import type { Layout } from '../src/layout/display.js';
import { renderPdf } from '../src/render/pdf.js';
import { screenSheets } from '../src/render/sheets.js';
import { declarePdfx } from '../src/render/standards.js';
import { REPO, zasto } from './helpers.js';
import { copiedLines, copiesAs, ENGINES, LINE_END } from './readers.js';
import { readTagged, unmarkedPainting, type Tagged } from './pdf-structure.js';
import { readPdf, readPdfGraphics, readPdfText } from './pdf-text.js';

const STRESS = path.join(REPO, 'tests', 'stress', 'issue');
const out = fs.mkdtempSync(path.join(os.tmpdir(), 'bulletin-standards-'));
afterAll(() => fs.rmSync(out, { recursive: true, force: true }));

interface Built {
  model: DocumentModel;
  screen: Buffer;
  print: Buffer;
  tagged: Tagged;
  /** characters no font has, which the build left out (and warned about) */
  leftOut: string[];
}
const built: Record<'44' | 'stress', Built> = {} as Record<'44' | 'stress', Built>;

beforeAll(async () => {
  const issues: ['44' | 'stress', string, { fontFolders?: string[]; systemFonts?: boolean }][] = [
    ['44', '44', {}],
    ['stress', STRESS, { fontFolders: ['tests/stress/fonts'], systemFonts: false }],
  ];
  for (const [key, issue, extra] of issues) {
    const dir = path.join(out, key);
    const result = await build({ issue, cwd: REPO, out: dir, ...extra });
    const [screen, print] = result.files.map((f) => fs.readFileSync(f.path));
    const leftOut = result.warnings.flatMap((w) => /^no font has (\S+) /u.exec(w.message)?.[1] ?? []);
    built[key] = { model: buildModel(loadIssue(issue, REPO)), screen, print, tagged: await readTagged(screen), leftOut };
  }
}, 240_000);

/** A one-page PDF made the way the renderer makes the print edition, with one defect (or none). */
async function printLike(defect: 'none' | 'rgb image' | 'transparency' | 'no trim box'): Promise<Buffer> {
  const doc = new PDFDocument({ autoFirstPage: false, pdfVersion: '1.3', info: { Title: 't', CreationDate: new Date(0), ModDate: new Date(0) } });
  declarePdfx(doc, { condition: 'FOGRA39', info: 'Coated FOGRA39', registry: 'http://www.color.org' });
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve) => doc.on('end', () => resolve(Buffer.concat(chunks))));
  doc.addPage({ size: [200, 200], margin: 0 });
  const page = doc.page.dictionary.data as Record<string, unknown>;
  delete page.UserUnit;
  page.BleedBox = [0, 0, 200, 200];
  if (defect !== 'no trim box') page.TrimBox = [10, 10, 190, 190];
  doc.rect(20, 20, 50, 50).fill([0, 100, 100, 0]);
  if (defect === 'rgb image') doc.image(await sharp({ create: { width: 4, height: 4, channels: 3, background: '#ff0000' } }).jpeg().toBuffer(), 80, 80, { width: 40 });
  if (defect === 'transparency') doc.fillOpacity(0.5).rect(80, 80, 40, 40).fill([100, 0, 0, 0]);
  doc.end();
  return done;
}

describe('print edition: PDF/X-1a:2001', () => {
  it('passes the preflight (issue 44 and the stress issue)', () => {
    expect(preflight(built['44'].print)).toEqual([]);
    expect(preflight(built.stress.print)).toEqual([]);
  });

  it('prints a drawing that needs transparency as a picture: the screen edition draws it see-through', () => {
    // tests/stress/issue/images/overlap.svg: see-through circles, a clip path, a mask.
    const onScreen = preflight(built.stress.screen).map((f) => f.message);
    expect(onScreen.filter((m) => /transparency/.test(m)).length).toBeGreaterThanOrEqual(3);
    expect(preflight(built.stress.print).filter((f) => /transparency/.test(f.message))).toEqual([]);
  });

  it('declares PDF 1.3, the output intent and the PDF/X keys', () => {
    const pdf = new PdfFile(built['44'].print);
    expect(pdf.version).toBe('1.3');
    const info = pdf.dict(pdf.trailer.get('Info'))!;
    const text = (k: string) => (pdf.resolve(info.get(k)) as PdfString).text;
    expect([text('GTS_PDFXVersion'), text('GTS_PDFXConformance'), name(pdf.resolve(info.get('Trapped')))]).toEqual(['PDF/X-1:2001', 'PDF/X-1a:2001', 'False']);
    const intent = pdf.dict(pdf.array(pdf.dict(pdf.trailer.get('Root'))!.get('OutputIntents'))[0])!;
    expect(name(intent.get('S'))).toBe('GTS_PDFX');
    expect((pdf.resolve(intent.get('OutputConditionIdentifier')) as PdfString).text).toBe('FOGRA39');
  });

  it('finds nothing in a clean file made the same way, and each defect in a broken one', async () => {
    expect(preflight(await printLike('none'))).toEqual([]);
    expect(preflight(await printLike('rgb image')).map((f) => f.message)).toEqual([expect.stringMatching(/^image \/\w+ in DeviceRGB/)]);
    expect(preflight(await printLike('transparency')).map((f) => f.message)).toEqual([expect.stringMatching(/sets ca 0.5 \(transparency\)/)]);
    expect(preflight(await printLike('no trim box'))).toEqual([{ page: 1, message: 'no TrimBox (or ArtBox)' }]);
  });

  it('answers on the command line: one line per fault, exit 1; a clean file exit 0', async () => {
    const bad = path.join(out, 'bad.pdf');
    fs.writeFileSync(bad, await printLike('rgb image'));
    const run = (file: string) => spawnSync(process.execPath, [path.join(REPO, 'bin', 'bulletin.js'), 'preflight', file], { cwd: out, encoding: 'utf8' });
    const failed = run('bad.pdf');
    expect(failed.status).toBe(1);
    expect(failed.stdout.trim().split('\n')).toEqual([expect.stringMatching(/^bad\.pdf: page 1: image \/\w+ in DeviceRGB/)]);
    const clean = run(path.join(out, '44', 'bulletin-44-print.pdf'));
    expect([clean.status, clean.stdout]).toEqual([0, '']);
    const notPdf = run(path.join(REPO, 'README.md'));
    expect(notPdf.status).toBe(1);
    expect(notPdf.stderr.trim().split('\n')).toHaveLength(1);
    // Three commands: seconds on a busy two-core machine.
  }, 30_000);

  it('has the screen edition fail it (RGB, links, PDF 1.7)', () => {
    const messages = preflight(built['44'].screen).map((f) => f.message);
    expect(messages).toContain('the file is PDF 1.7; PDF/X-1a:2001 is PDF 1.3');
    expect(messages.some((m) => /DeviceRGB/.test(m))).toBe(true);
    expect(messages.some((m) => /annotation/.test(m))).toBe(true);
  });
});

/** Every element's role path, for messages. */
const where = (e: { role: string; parent?: { role: string; parent?: unknown } }): string => {
  const roles: string[] = [];
  for (let n: typeof e | undefined = e; n; n = n.parent as typeof e | undefined) roles.unshift(n.role);
  return roles.join('/');
};

describe.each(['44', 'stress'] as const)('screen edition of %s: PDF/UA-1', (key) => {
  const t = () => built[key].tagged;

  it('is PDF 1.7, marked, in Chinese, showing its title, with the title and PDF/UA part in XMP (7.1-8/9/10, 7.2-34)', async () => {
    const pdf = t().pdf;
    expect(pdf.version).toBe('1.7');
    const catalog = pdf.dict(pdf.trailer.get('Root'))!;
    expect((pdf.resolve(catalog.get('Lang')) as PdfString).text).toBe('zh-CN');
    expect(pdf.resolve(pdf.dict(catalog.get('MarkInfo'))!.get('Marked'))).toBe(true);
    expect(pdf.resolve(pdf.dict(catalog.get('ViewerPreferences'))!.get('DisplayDocTitle'))).toBe(true);
    const doc = await getDocument({ data: new Uint8Array(built[key].screen), verbosity: 0 }).promise;
    const { info, metadata } = await doc.getMetadata();
    await doc.destroy();
    expect(metadata?.get('dc:title')).toBe((info as { Title: string }).Title);
    expect(metadata?.get('pdfuaid:part')).toBe('1');
  });

  it('marks everything it paints as content or as an artifact (7.1-1/2/3)', () => {
    expect(unmarkedPainting(t().pdf, operators).filter((n) => n > 0)).toEqual([]);
    expect(t().untaggedText.filter((s) => s.trim())).toEqual([]);
    // Running lines and folios are artifacts.
    expect(t().artifactText[2]).toMatch(/\d/);
  });

  it('has one Document root and every element in it (7.1-11/12)', () => {
    expect(t().roots.map((r) => r.role)).toEqual(['Document']);
    expect(t().elements.filter((e) => e.role !== 'Document' && !e.parent)).toEqual([]);
    // Every marked-content sequence of a page belongs to one element.
    const owned = t().elements.flatMap((e) => e.content);
    expect(new Set(owned).size).toBe(owned.length);
    expect([...t().marked.keys()].filter((k) => !owned.includes(k))).toEqual([]);
  });

  it('nests tables, lists and the contents as the standard says (7.2-3…21)', () => {
    const parentOf: Record<string, string[]> = { TR: ['Table'], TH: ['TR'], TD: ['TR'], LI: ['L'], Lbl: ['LI'], LBody: ['LI'], TOCI: ['TOC'] };
    const wrong = t()
      .elements.filter((e) => parentOf[e.role] && !parentOf[e.role].includes(e.parent?.role ?? ''))
      .map(where);
    expect(wrong).toEqual([]);
    for (const e of t().elements.filter((e) => e.role === 'TH')) expect(e.attrs.Scope).toBe('Column');
    expect(t().elements.some((e) => e.role === 'Table')).toBe(true);
    expect(t().elements.filter((e) => e.role === 'TOCI').length).toBeGreaterThan(5);
  });

  it('gives every figure a text alternative (7.3-1)', () => {
    const figures = t().elements.filter((e) => e.role === 'Figure');
    expect(figures.length).toBeGreaterThan(0);
    expect(figures.filter((f) => !f.alt?.trim()).map(where)).toEqual([]);
    // Never a file name: a caption, a description, or the article's title.
    expect(figures.filter((f) => /^[\w.-]+$/.test(f.alt ?? '')).map(where)).toEqual([]);
    if (key === 'stress') expect(figures.map((f) => f.alt)).toContain('珠海港码头全景，远处是港珠澳大桥');
  });

  it('opens with H1 and never skips a heading level (7.4.2-1)', () => {
    const levels = t()
      .elements.filter((e) => /^H\d$/.test(e.role))
      .map((e) => Number(e.role[1]));
    expect(levels[0]).toBe(1);
    const skips = levels.flatMap((l, i) => (i > 0 && l > levels[i - 1] + 1 ? [`H${levels[i - 1]} → H${l}`] : []));
    expect(skips).toEqual([]);
  });

  it('puts every link annotation in a Link element, with a description (7.18.1, 7.18.5)', () => {
    const pdf = t().pdf;
    const annots = pdf.pages().flatMap((p) => pdf.array(p.get('Annots')).map((a) => (a instanceof PdfRef ? a.num : -1)));
    expect(annots.length).toBeGreaterThan(0);
    const inLinks = new Set(t().elements.filter((e) => e.role === 'Link').flatMap((e) => e.annots));
    expect(annots.filter((a) => !inLinks.has(a))).toEqual([]);
    for (const a of annots) {
      const d = pdf.dict(new PdfRef(a))!;
      expect((pdf.resolve(d.get('Contents')) as PdfString).text).not.toBe('');
      expect(typeof pdf.resolve(d.get('StructParent'))).toBe('number');
    }
  });

  it('embeds every font with a ToUnicode map and draws no .notdef (7.21)', async () => {
    const pdf = t().pdf;
    const fonts = [...pdf.objects.values()].filter((v): v is PdfDict => v instanceof PdfDict && name(v.get('Type')) === 'Font' && name(v.get('Subtype')) === 'Type0');
    expect(fonts.length).toBeGreaterThan(0);
    for (const f of fonts) {
      expect(f.get('ToUnicode')).toBeDefined();
      const desc = pdf.dict(pdf.dict(pdf.array(f.get('DescendantFonts'))[0])!.get('FontDescriptor'))!;
      expect(desc.get('FontFile2') ?? desc.get('FontFile3')).toBeDefined();
    }
    expect((await readPdfGraphics(built[key].screen)).notdef).toEqual([]);
  });
});

describe('metadata', () => {
  it('escapes its XMP: a title with & < > and quotes reads back as written', async () => {
    const layout: Layout = { width: 200, height: 200, pages: [{ number: 1, items: [] }], outline: [], articlePages: new Map(), imageSizes: new Map(), warnings: [], pageEnds: [], figures: [], debug: [], sources: [] };
    const title = 'R&D <报> "特刊" \'44\'';
    const black = { rgb: '#000000', cmyk: [0, 0, 0, 100] as [number, number, number, number] };
    const data = await renderPdf(layout, screenSheets(layout), {
      fonts: new Map(),
      colours: 'rgb',
      images: new Map(),
      svg: { vectors: new Map(), fonts: { regular: '', bold: '' }, colour: () => black },
      navigation: true,
      conformance: { standard: 'PDF/UA-1' },
      info: { title, author: 'A & B', subject: '<s>', keywords: 'k', date: new Date(0) },
    });
    const doc = await getDocument({ data: new Uint8Array(data), verbosity: 0 }).promise;
    const { metadata } = await doc.getMetadata();
    await doc.destroy();
    expect([metadata?.get('dc:title'), metadata?.get('dc:creator')]).toEqual([title, ['A & B']]);
  });
});

describe('the same bytes every time', () => {
  it('writes transparent PNGs in the order they are placed, however long pdfkit takes to split off their transparency', async () => {
    // A large picture first and a small one after: pdfkit's asynchronous split finished the small one first
    // and wrote it first, or not, as the machine's load had it (found by a generated issue).
    const png = (w: number, h: number) => sharp({ create: { width: w, height: h, channels: 4, background: { r: 200, g: 30, b: 30, alpha: 0.5 } } }).png().toBuffer();
    const images = new Map([
      ['big.png', await png(2400, 2400)],
      ['small.png', await png(21, 37)],
    ]);
    const items = [...images.keys()].map((image, k) => ({ kind: 'image' as const, x: 10 + k * 100, y: 10, w: 90, h: 90, image }));
    const layout: Layout = { width: 200, height: 200, pages: [{ number: 1, items }], outline: [], articlePages: new Map(), imageSizes: new Map(), warnings: [], pageEnds: [], figures: [], debug: [], sources: [] };
    const black = { rgb: '#000000', cmyk: [0, 0, 0, 100] as [number, number, number, number] };
    const data = await renderPdf(layout, screenSheets(layout), {
      fonts: new Map(),
      colours: 'rgb',
      images,
      svg: { vectors: new Map(), fonts: { regular: '', bold: '' }, colour: () => black },
      navigation: false,
      conformance: { standard: 'PDF/UA-1' },
      info: { title: 't', author: 'a', subject: 's', keywords: 'k', date: new Date(0) },
    });
    // The soft masks, in the order their objects stand in the file: the big picture's first.
    const masks = [...data.toString('latin1').matchAll(/\/Height (\d+)\s*\/Width (\d+)\s*\/BitsPerComponent 8\s*\/Filter \/FlateDecode\s*\/ColorSpace \/DeviceGray/g)].map((m) => Number(m[2]));
    expect(masks).toEqual([2400, 21]);
  });
});

/** Paragraph-like blocks of the model, as their source text (forced breaks and runs of spaces as the composer reads them). */
function sourceParagraphs(model: DocumentModel): string[] {
  const out: string[] = [];
  const text = (spans: { text: string }[]) =>
    spans
      .map((s) => s.text)
      .join('')
      .replace(/\n/g, '')
      .replace(/[ \t]+/g, ' ')
      .trim();
  const walk = (b: Block) => {
    if (b.kind === 'paragraph' || b.kind === 'heading') out.push(text(b.spans));
    else if (b.kind === 'list') for (const item of b.items) out.push(text(item.spans));
    else if (b.kind === 'quote') b.blocks.forEach(walk);
  };
  for (const s of model.sections) for (const a of s.articles) a.blocks.forEach(walk);
  return out;
}

describe.each(['44', 'stress'] as const)('copied text of %s', (key) => {
  it('gives every paragraph, list item and heading exactly as the source has it: no space added or lost', () => {
    const tagged = built[key].tagged;
    const extracted = tagged.elements.filter((e) => ['P', 'LBody', 'H4', 'H5'].includes(e.role)).map((e) => e.copied.trim());
    // A character no font has is left out (with a warning), and its space with it.
    const source = sourceParagraphs(built[key].model).map((s) => built[key].leftOut.reduce((t, ch) => t.split(ch).join(''), s));
    if (key === 'stress') expect(built[key].leftOut).toEqual(['𪜀']);
    expect(source.length).toBeGreaterThan(key === '44' ? 200 : 20);
    // pdf.js reads an ideographic space (U+3000) as white space: a space in a marked-content sequence's text.
    const missing = source.filter((s) => !extracted.some((e) => copiesAs(e, s.replace(/\u3000/g, ' '), true)));
    // What a paragraph the reader would copy differs in, when it does: its nearest extracted text.
    const bare = (t: string) => t.replace(/[\s\u2028\u00ad]/g, '');
    expect(missing.map((s) => ({ source: s, pdf: extracted.find((e) => bare(e) === bare(s)) ?? '(not found)' }))).toEqual([]);
  });
});

describe.each(['44', 'stress'] as const)('text copied from %s in three engines', (key) => {
  it.each(ENGINES)('gives every paragraph, list item and heading exactly as the source has it in %s', async (engine) => {
    // What lies between the frame's top and foot, page after page: the running lines left out.
    const { frame } = zasto().template.page;
    // Footnotes stand at the foot of the page, between the page's last line and the next page's first: left out too.
    const squeeze = (t: string) => t.replace(/\s+/g, '');
    const notes = squeeze(built[key].model.sections.flatMap((s) => s.articles.flatMap((a) => a.notes.map((n) => n.map((x) => x.text).join('')))).join(''));
    const marker = /^(\d{1,2}|[\u2460-\u2473])$/;
    const isNote = (text: string) => marker.test(squeeze(text)) || (squeeze(text).replace(/^\d+/, '').length >= 4 && notes.includes(squeeze(text).replace(/^\d+/, '')));
    const lines = (await copiedLines(engine, built[key].screen)).filter((l) => l.y > frame.y && l.y < frame.y + frame.height + 4 && !isNote(l.text));
    const copied = lines.map((l) => l.text).join(LINE_END);
    const source = sourceParagraphs(built[key].model).map((s) => built[key].leftOut.reduce((t, ch) => t.split(ch).join(''), s));
    // pdf.js reads an ideographic space (U+3000) as white space and copies it as a space; PDFium and MuPDF copy it as written.
    const missing = source.filter((s) => !copiesAs(copied, engine === 'pdf.js' ? s.replace(/\u3000/g, ' ') : s));
    // Where a paragraph differs, what the engine gives from its first characters on.
    expect(missing.map((s) => ({ source: s, copied: copied.slice(Math.max(0, copied.indexOf(s.slice(0, 6))), copied.indexOf(s.slice(0, 6)) + s.length + 10) }))).toEqual([]);
  }, 60_000);
});

/** Every piece of text an issue's model holds that the PDF prints as written, and the code spans among them (printed as written, markup or not). */
function modelText(model: DocumentModel): { text: string[]; code: string[] } {
  const text: string[] = [];
  const code: string[] = [];
  const spans = (ss: Span[]) => {
    for (const x of ss) (x.style.code ? code : text).push(x.text);
  };
  const walk = (b: Block): void => {
    if (b.kind === 'paragraph' || b.kind === 'heading') spans(b.spans);
    else if (b.kind === 'list') b.items.forEach((i) => spans(i.spans));
    else if (b.kind === 'quote') b.blocks.forEach(walk);
    else if (b.kind === 'images') text.push(...b.images.map((i) => i.caption));
    else if (b.kind === 'code') code.push(b.text);
    else if (b.kind === 'table') {
      // Identical neighbouring header cells are one spanning cell, printed once.
      text.push(...b.data.header.flatMap((row) => row.filter((c, i) => c !== row[i - 1])), ...b.data.body.flat(), b.caption ?? '', b.subcaption ?? '');
      if (b.note) spans(b.note);
    } else if (b.kind === 'chart') {
      // A pie or donut prints shares, not values: its unit is said in its description only.
      const round = b.type === 'pie' || b.type === 'donut';
      text.push(b.title ?? '', ...b.categories, ...(b.series.length > 1 ? b.series.map((x) => x.name) : []), round ? '' : (b.unit ?? ''), b.source ?? '');
    }
  };
  text.push(...model.staff.flatMap((x) => [x.role, x.name]));
  for (const sec of model.sections) {
    text.push(sec.title);
    for (const a of sec.articles) {
      text.push(a.title, a.source ?? '');
      a.blocks.forEach(walk);
      a.notes.forEach(spans);
    }
  }
  return { text, code };
}

describe.each(['44', 'stress'] as const)('nothing of %s lost, no markup printed', (key) => {
  const clusters = (t: string) => Array.from(new Intl.Segmenter('zh', { granularity: 'grapheme' }).segment(t), (g) => g.segment).filter((c) => !/^[\s\u00ad]+$/u.test(c));

  it('prints every character of the source text as often as the source has it, but those a warning names', async () => {
    const printed = new Map<string, number>();
    for (const p of await readPdfText(built[key].screen)) for (const c of clusters(p.text)) printed.set(c, (printed.get(c) ?? 0) + 1);
    const need = new Map<string, number>();
    const { text, code } = modelText(built[key].model);
    for (const c of clusters([...text, ...code].join(''))) need.set(c, (need.get(c) ?? 0) + 1);
    const missing = [...need].filter(([c, n]) => !built[key].leftOut.includes(c) && (printed.get(c) ?? 0) < n).map(([c, n]) => `${c} ${printed.get(c) ?? 0}/${n}`);
    expect(need.size).toBeGreaterThan(key === '44' ? 1000 : 500);
    expect(missing).toEqual([]);
  });

  it('prints no Markdown markup (emphasis, links, footnote references, attributes) but in code', async () => {
    const { code } = modelText(built[key].model);
    let text = (await readPdfText(built[key].screen)).map((p) => p.text).join('');
    for (const c of code) text = text.split(c).join('');
    expect(text.match(/\*\*|__|\[\^|\]\(|\{[A-Za-z][\w-]*=[^{}]*\}/g) ?? []).toEqual([]);
  });
});

describe('wider glyph copies', () => {
  it('are as wide in each embedded font program (hmtx) as the PDF says (/W), in both editions of 44 and stress', () => {
    let compared = 0;
    const wrong: string[] = [];
    for (const key of ['44', 'stress'] as const)
      for (const data of [built[key].screen, built[key].print]) {
        const pdf = new PdfFile(data);
        for (const value of pdf.objects.values()) {
          // Each CID font: its /W widths by glyph id (CIDToGIDMap Identity) against its TrueType program's advances.
          if (!(value instanceof PdfDict) || name(value.get('Subtype')) !== 'CIDFontType2') continue;
          const descriptor = pdf.dict(value.get('FontDescriptor'))!;
          const program = fontkit.create(pdf.decoded(pdf.dict(descriptor.get('FontFile2'))!)!) as Fontkit.Font;
          const w = pdf.array(value.get('W')).map((v) => pdf.resolve(v));
          const check = (gid: number, width: number) => {
            // Glyph 0 (.notdef) is never drawn (see 'draws no .notdef'): its /W is pdfkit's.
            if (gid === 0) return;
            const advance = (program.getGlyph(gid).advanceWidth * 1000) / program.unitsPerEm;
            if (Math.abs(advance - width) > 1) wrong.push(`${name(value.get('BaseFont'))} glyph ${gid}: /W ${width}, hmtx ${advance}`);
            compared++;
          };
          // /W holds `first [w w …]` and `first last w`.
          for (let i = 0; i < w.length; ) {
            const first = w[i] as number;
            if (Array.isArray(w[i + 1])) {
              (w[i + 1] as number[]).forEach((width, k) => check(first + k, width));
              i += 2;
            } else {
              for (let gid = first; gid <= (w[i + 1] as number); gid++) check(gid, w[i + 2] as number);
              i += 3;
            }
          }
        }
      }
    expect(wrong).toEqual([]);
    expect(compared).toBeGreaterThan(1000);
  });
});

describe('one layout, two editions', () => {
  it('sets every line of every page at the same place, with the same text, in print and on screen (44 and stress)', async () => {
    for (const key of ['44', 'stress'] as const) {
      const screen = (await readPdf(built[key].screen)).pages;
      const print = (await readPdf(built[key].print)).pages;
      const pdf = new PdfFile(built[key].print);
      const trims = pdf.pages().map((p) => pdf.array(p.get('TrimBox')).map((v) => pdf.resolve(v) as number));
      const screenH = (new PdfFile(built[key].screen).pages()[0].get('MediaBox') as number[])[3];
      // Print pads blank pages before the back cover.
      const printIndex = (i: number) => (i === screen.length - 1 ? print.length - 1 : i);
      screen.forEach((page, i) => {
        const j = printIndex(i);
        const [tx, , , ty2] = trims[j];
        // Lines by baseline, left to right (marked content splits pdf.js items on screen only).
        const lines = (items: typeof page.items, dx: number, dy: number) => {
          // Spaces too: pdf.js gives a space between marked-content sequences (screen) as an item of its own.
          const sorted = items.filter((it) => it.str && it.angle === 0).sort((a, b) => b.y - a.y || a.x - b.x);
          const groups: (typeof items)[] = [];
          for (const it of sorted) {
            const g = groups[groups.length - 1];
            if (g && Math.abs(g[0].y - it.y) < 0.05) g.push(it);
            else groups.push([it]);
          }
          return groups.filter((g) => g.some((it) => it.str.trim())).map((g) => {
            g.sort((a, b) => a.x - b.x);
            const ink = g.filter((it) => it.str.trim());
            const end = ink[ink.length - 1];
            return { text: g.map((it) => it.str).join('').trim(), x0: ink[0].x - dx, x1: end.x + end.width - dx, y: ink[0].y - dy };
          });
        };
        const a = lines(page.items, 0, 0);
        const b = lines(print[j].items, tx, ty2 - screenH);
        expect(b.map((l) => l.text), `page ${i + 1}`).toEqual(a.map((l) => l.text));
        const moved = a.filter((l, k) => Math.max(Math.abs(l.x0 - b[k].x0), Math.abs(l.x1 - b[k].x1), Math.abs(l.y - b[k].y)) > 0.02);
        expect(moved.map((l) => l.text), `page ${i + 1}`).toEqual([]);
      });
      expect(print.slice(screen.length - 1, -1).every((p) => p.text.trim() === '')).toBe(true);
    }
  }, 60_000);
});
