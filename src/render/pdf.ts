/**
 * Stage 6: draw a layout with pdfkit, once per edition. Only drawing
 * happens here: every position was decided by layout. The editions differ
 * in colour space and image files, never in what goes where.
 */
import PDFDocument from 'pdfkit';
import type { Edition, ImageAssets } from '../assets/images.js';
import type { FontSet } from '../fonts/fonts.js';
import type { DisplayItem, Layout, OutlineEntry } from '../layout/display.js';
import type { Colour } from '../template/template.js';

export interface DocumentInfo {
  title: string;
  author: string;
  subject: string;
  keywords: string;
  /** the date, also used as creation date so that rebuilds are identical */
  date: Date;
}

export function renderPdf(layout: Layout, edition: Edition, fonts: FontSet, images: ImageAssets, info: DocumentInfo): Promise<Buffer> {
  const doc = new PDFDocument({
    autoFirstPage: false,
    margin: 0,
    compress: true,
    pdfVersion: '1.7',
    lang: 'zh-CN',
    displayTitle: true,
    info: { Title: info.title, Author: info.author, Subject: info.subject, Keywords: info.keywords, CreationDate: info.date, ModDate: info.date },
  });
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });

  // pdfkit takes the fontkit objects we already parsed (it checks for `layout`).
  for (const f of fonts.all) doc.registerFont(f.key, f.font as unknown as string);
  const colour = (c: Colour): string | [number, number, number, number] => (edition === 'print' ? c.cmyk : c.rgb);

  const outlineAt = new Map<number, { entry: OutlineEntry; parent?: OutlineEntry }[]>();
  for (const s of layout.outline) {
    outlineAt.set(s.page, [...(outlineAt.get(s.page) ?? []), { entry: s }]);
    for (const a of s.children) outlineAt.set(a.page, [...(outlineAt.get(a.page) ?? []), { entry: a, parent: s }]);
  }
  const outlineItems = new Map<OutlineEntry, PDFKit.PDFOutline>();

  layout.pages.forEach((page, index) => {
    doc.addPage({ size: [layout.width, layout.height], margin: 0 });
    doc.addNamedDestination(`page-${index}`, 'XYZ', 0, layout.height, null);
    for (const item of page.items) draw(doc, item, colour, images, edition);
    for (const { entry, parent } of outlineAt.get(index) ?? []) {
      const under = parent ? outlineItems.get(parent) : doc.outline;
      if (under) outlineItems.set(entry, under.addItem(entry.title, { expanded: true }));
    }
  });
  doc.end();
  return done;
}

function draw(doc: PDFKit.PDFDocument, item: DisplayItem, colour: (c: Colour) => string | number[], images: ImageAssets, edition: Edition): void {
  switch (item.kind) {
    case 'text':
      if (item.rotate) doc.save().rotate(item.rotate, { origin: item.origin });
      doc
        .font(item.font)
        .fontSize(item.size)
        .fillColor(colour(item.colour) as PDFKit.Mixins.ColorValue)
        .text(item.text, item.x, item.y, { lineBreak: false, baseline: 'alphabetic', characterSpacing: item.spacing, features: item.features ? ([...item.features] as PDFKit.Mixins.OpenTypeFeatures[]) : undefined });
      if (item.rotate) doc.restore();
      break;
    case 'rect':
      doc.rect(item.x, item.y, item.w, item.h);
      paint(doc, item.fill, item.stroke, item.lineWidth, colour);
      break;
    case 'line':
      doc.moveTo(item.x1, item.y1).lineTo(item.x2, item.y2).lineWidth(item.width);
      if (item.dash) doc.dash(item.dash, { space: item.dash * 1.5 });
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
      const asset = images.get(item.image);
      if (asset) doc.image(asset.variants[edition], item.x, item.y, { width: item.w, height: item.h });
      break;
    }
    case 'link':
      doc.link(item.x, item.y, item.w, item.h, item.url);
      break;
    case 'goto':
      doc.goTo(item.x, item.y, item.w, item.h, `page-${item.page}`);
      break;
  }
}

function paint(doc: PDFKit.PDFDocument, fill: Colour | undefined, stroke: Colour | undefined, width: number | undefined, colour: (c: Colour) => string | number[]): void {
  const f = fill && (colour(fill) as PDFKit.Mixins.ColorValue);
  const s = stroke && (colour(stroke) as PDFKit.Mixins.ColorValue);
  if (width !== undefined) doc.lineWidth(width);
  if (f && s) doc.fillAndStroke(f, s);
  else if (f) doc.fill(f);
  else if (s) doc.stroke(s);
}
