/**
 * Stage 6: draw a layout with pdfkit onto sheets (see sheets.ts). Only
 * drawing happens here: every position was decided by layout, every sheet
 * by the sheet plan. Outputs differ in colour space, image files, page
 * boxes and marks, never in what goes where on a page.
 */
import type { VectorImage } from '../assets/svg.js';
import type { LoadedFont } from '../fonts/fonts.js';
import type { DisplayItem, Layout, OutlineEntry } from '../layout/display.js';
import type { Colour } from '../template/colour.js';
import type { Sheet } from './sheets.js';
import { declarePdfx, declareXmp, pdfVersion, type Conformance, type DocumentInfo } from './standards.js';
import { deflateOnce } from './contents.js';
import { Tagger } from './tags.js';
import { TextWriter, type LineRun, type PdfColour } from './text.js';
import { requirePackage } from '../packages.js';

const PDFDocument = requirePackage('pdfkit') as typeof import('pdfkit');
const SVGtoPDF = requirePackage('svg-to-pdfkit') as typeof import('svg-to-pdfkit');

export interface RenderOptions {
  /** every font the layout's glyph runs name, by key */
  fonts: Map<string, LoadedFont>;
  colours: 'rgb' | 'cmyk';
  /** image file → the picture prepared for this output */
  images: Map<string, Buffer>;
  /** SVG drawings, drawn as vectors: their text in the sans faces (font keys), their colours as template colours */
  svg: { vectors: Map<string, VectorImage>; fonts: { regular: string; bold: string }; colour: (hex: string) => Colour };
  /** named destinations and bookmarks (imposed sheets have none) */
  navigation: boolean;
  /** where font subsets are kept between builds (the output folder's cache) */
  subsetDir?: string;
  /** what the file declares it is: print PDF/X-1a (no links, CMYK), screen PDF/UA-1 (tagged, links) */
  conformance: Conformance;
  info: DocumentInfo;
}

/** Crop marks print on every plate. */
const REGISTRATION: PdfColour = [100, 100, 100, 100];

export async function renderPdf(layout: Layout, sheets: Sheet[], o: RenderOptions): Promise<Buffer> {
  const { info } = o;
  const ua = o.conformance.standard === 'PDF/UA-1';
  const doc = new PDFDocument({
    autoFirstPage: false,
    margin: 0,
    compress: true,
    pdfVersion: pdfVersion(o.conformance),
    // Lang and DisplayDocTitle are PDF 1.4 keys: the 1.3 print edition has neither.
    ...(ua ? { lang: 'zh-CN', displayTitle: true, tagged: true } : {}),
    info: { Title: info.title, Author: info.author, Subject: info.subject, Keywords: info.keywords, CreationDate: info.date, ModDate: info.date, Creator: 'bulletin', Producer: 'bulletin' },
  });
  if (o.conformance.standard === 'PDF/X-1a:2001') declarePdfx(doc, o.conformance.intent);
  if (ua) declareXmp(doc, info, true);
  // Links exist on screen only: PDF/X allows no annotations.
  const links = ua && o.navigation;
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });

  // pdfkit takes the fontkit objects we already parsed (it checks for `layout`).
  for (const f of o.fonts.values()) doc.registerFont(f.key, f.font as unknown as string);
  const colour = (c: Colour): PdfColour => (o.colours === 'cmyk' ? c.cmyk : c.rgb);
  const text = new TextWriter(doc, colour, o.fonts, o.subsetDir);
  const tags = new Tagger(doc, ua);

  const outlineAt = new Map<number, { entry: OutlineEntry; parent?: OutlineEntry }[]>();
  for (const s of layout.outline) {
    outlineAt.set(s.page, [...(outlineAt.get(s.page) ?? []), { entry: s }]);
    for (const a of s.children) outlineAt.set(a.page, [...(outlineAt.get(a.page) ?? []), { entry: a, parent: s }]);
  }
  const outlineItems = new Map<OutlineEntry, PDFKit.PDFOutline>();
  await embedPictures(doc, layout, o.images);

  for (const sheet of sheets) {
    doc.addPage({ size: [sheet.width, sheet.height], margin: 0 });
    deflateOnce(doc.page.content);
    const box = (b: [number, number, number, number]) => [b[0], sheet.height - b[1] - b[3], b[0] + b[2], sheet.height - b[1]];
    // pdfkit has no page-box API; its page dictionary takes them as they are.
    const dict = doc.page.dictionary.data as Record<string, unknown>;
    // pdfkit writes /UserUnit 1 (a PDF 1.6 key, and 1 is the default).
    delete dict.UserUnit;
    if (sheet.trim) dict.TrimBox = box(sheet.trim);
    if (sheet.bleed) dict.BleedBox = box(sheet.bleed);
    for (const p of sheet.placements) {
      if (p.page === null) continue;
      const page = layout.pages[p.page];
      doc.save().translate(p.x, p.y);
      if (sheet.clip) doc.rect(0, 0, layout.width, layout.height).clip();
      const items = page.items;
      for (let i = 0; i < items.length; i++) {
        const item = items[i];
        if (item.kind === 'link' || item.kind === 'goto') {
          if (links) {
            const structure = tags.annotation(item.tag, item.kind === 'link' ? item.url : (item.tag?.alt ?? ''));
            if (item.kind === 'link') doc.link(item.x, item.y, item.w, item.h, item.url, structure as PDFKit.Mixins.AnnotationOption);
            else doc.goTo(item.x, item.y, item.w, item.h, item.dest, structure as PDFKit.Mixins.AnnotationOption);
            tags.finish(item.tag);
          }
          continue;
        }
        if (item.kind === 'anchor') {
          if (o.navigation) doc.addNamedDestination(item.name, 'XYZ', p.x + item.x, sheet.height - (p.y + item.y), null);
          continue;
        }
        if (item.kind === 'struct') {
          if (ua && item.tag) tags.element(item.tag);
          continue;
        }
        if (item.kind === 'text') {
          // A line: the text items that follow on the same baseline, drawn as one text object.
          const line: LineRun[] = [{ ...item, index: i }];
          while (items[i + 1]?.kind === 'text' && (items[i + 1] as TextItem).continues) line.push({ ...(items[i + 1] as TextItem), index: ++i });
          if (item.rotate) doc.save().rotate(item.rotate, { origin: item.origin });
          text.line(line, item.y, (k) => tags.begin(items[k].tag), () => tags.end());
          if (item.rotate) doc.restore();
          continue;
        }
        tags.begin(item.tag);
        draw(doc, item, colour, o);
        tags.end();
      }
      doc.restore();
      if (o.navigation) {
        doc.addNamedDestination(`page-${p.page}`, 'XYZ', p.x, sheet.height - p.y, null);
        for (const { entry, parent } of outlineAt.get(p.page) ?? []) {
          const under = parent ? outlineItems.get(parent) : doc.outline;
          if (under) outlineItems.set(entry, under.addItem(entry.title, { expanded: true }));
        }
      }
    }
    tags.begin(undefined);
    for (const [x1, y1, x2, y2] of sheet.marks) doc.moveTo(x1, y1).lineTo(x2, y2).lineWidth(0.25).stroke(REGISTRATION as PDFKit.Mixins.ColorValue);
    tags.end();
  }
  doc.end();
  return done;
}

type TextItem = Extract<DisplayItem, { kind: 'text' }>;
type Drawn = Exclude<DisplayItem, TextItem | { kind: 'link' | 'goto' | 'anchor' | 'struct' }>;

function draw(doc: PDFKit.PDFDocument, item: Drawn, colour: (c: Colour) => PdfColour, o: RenderOptions): void {
  switch (item.kind) {
    case 'rect':
      doc.rect(item.x, item.y, item.w, item.h);
      paint(doc, item.fill, item.stroke, item.lineWidth, colour);
      break;
    case 'line':
      doc.moveTo(item.x1, item.y1).lineTo(item.x2, item.y2).lineWidth(item.width);
      if (item.dash) doc.dash(item.dash, { space: item.gap ?? item.dash * 1.5 });
      doc.stroke(colour(item.colour) as PDFKit.Mixins.ColorValue);
      if (item.dash) doc.undash();
      break;
    case 'path':
      doc.save();
      if (item.transform) doc.transform(...item.transform);
      doc.path(item.d);
      paint(doc, item.fill, item.stroke, item.lineWidth, colour);
      doc.restore();
      break;
    case 'image': {
      const vector = o.svg.vectors.get(item.image);
      if (vector) drawSvg(doc, vector, item, colour, o.svg);
      const picture = o.images.get(item.image);
      if (picture) doc.image(opened(doc, item.image, picture), item.x, item.y, { width: item.w, height: item.h });
      break;
    }
  }
}

/** pdfkit's opened picture (js/image.js), which `doc.image` also takes: @types/pdfkit has neither. */
interface OpenedImage {
  /** its XObject, once embedded */
  obj?: unknown;
  embed(doc: PDFKit.PDFDocument): void;
  /** a PNG's last step, which writes its objects; a JPEG has none */
  finalize?: () => void;
}

/**
 * Embeds every picture, in the order of the pages, one after another. pdfkit
 * splits a PNG's transparency off asynchronously (zlib) and writes its
 * objects when that is done: two such pictures embedded as they are drawn
 * could be written in either order, and the PDF's bytes would differ from
 * one build to the next (a generated issue with two transparent PNGs side by
 * side did, about one build in thirty under load).
 */
async function embedPictures(doc: PDFKit.PDFDocument, layout: Layout, images: Map<string, Buffer>): Promise<void> {
  for (const page of layout.pages) {
    for (const item of page.items) {
      if (item.kind !== 'image') continue;
      const picture = images.get(item.image);
      if (!picture) continue;
      const image = opened(doc, item.image, picture) as unknown as OpenedImage;
      if (image.obj) continue;
      await new Promise<void>((resolve) => {
        const finalize = image.finalize?.bind(image);
        if (finalize)
          image.finalize = () => {
            finalize();
            resolve();
          };
        image.embed(doc);
        if (!finalize) resolve();
      });
    }
  }
}

/** Each picture opened once per document, so that one placed twice is embedded once. */
const openedImages = new WeakMap<PDFKit.PDFDocument, Map<string, OpenedImage>>();

function opened(doc: PDFKit.PDFDocument, file: string, picture: Buffer): Buffer {
  let images = openedImages.get(doc);
  if (!images) openedImages.set(doc, (images = new Map()));
  let image = images.get(file);
  if (!image) images.set(file, (image = (doc as unknown as { openImage(src: Buffer): OpenedImage }).openImage(picture)));
  return image as unknown as Buffer;
}

function paint(doc: PDFKit.PDFDocument, fill: Colour | undefined, stroke: Colour | undefined, width: number | undefined, colour: (c: Colour) => PdfColour): void {
  const f = fill && (colour(fill) as PDFKit.Mixins.ColorValue);
  const s = stroke && (colour(stroke) as PDFKit.Mixins.ColorValue);
  if (width !== undefined) doc.lineWidth(width);
  if (f && s) doc.fillAndStroke(f, s);
  else if (f) doc.fill(f);
  else if (s) doc.stroke(s);
}

const hex = (rgb: number[]) => '#' + rgb.map((v) => Math.round(v).toString(16).padStart(2, '0')).join('');

/** An SVG drawing as vectors in the box layout gave it; what it cannot reach or draw was taken out when it was read. */
function drawSvg(doc: PDFKit.PDFDocument, v: VectorImage, box: { x: number; y: number; w: number; h: number }, colour: (c: Colour) => PdfColour, svg: RenderOptions['svg']): void {
  doc.save();
  // What the drawing holds outside its own box is not shown, as a browser shows an SVG: never past the figure.
  doc.rect(box.x, box.y, box.w, box.h).clip();
  SVGtoPDF(doc, v.svg, box.x, box.y, {
    width: box.w,
    height: box.h,
    preserveAspectRatio: 'xMidYMid meet',
    fontCallback: (_family, bold) => (bold ? svg.fonts.bold : svg.fonts.regular),
    imageCallback: () => '',
    colorCallback: (c) => {
      if (!c) return c;
      const printed = colour(svg.colour(hex(c[0])));
      return [typeof printed === 'string' ? c[0] : printed, c[1]];
    },
    // Its complaints were heard when the drawing was read (assets/svg.ts).
    warningCallback: () => {},
  });
  doc.restore();
}
