import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';
import { zasto } from './helpers.js';

export interface PdfItem {
  str: string;
  x: number;
  /** baseline, PDF user space (y upwards) */
  y: number;
  width: number;
  size: number;
  /** embedded font name without the subset tag, e.g. NotoSerifSC-Regular */
  font: string;
  /** direction of the text, radians anticlockwise (π/2: reads upwards) */
  angle: number;
}

/** The box of an item's glyphs (em boxes: 0.88 em above the baseline, 0.12 below), axis-aligned, PDF user space. */
export function itemBox(it: PdfItem): { x: number; y: number; w: number; h: number } {
  const [dx, dy] = [Math.cos(it.angle), Math.sin(it.angle)];
  const [ux, uy] = [-dy, dx];
  const xs: number[] = [];
  const ys: number[] = [];
  for (const t of [0, it.width]) {
    for (const u of [-0.12 * it.size, 0.88 * it.size]) {
      xs.push(it.x + t * dx + u * ux);
      ys.push(it.y + t * dy + u * uy);
    }
  }
  return { x: Math.min(...xs), y: Math.min(...ys), w: Math.max(...xs) - Math.min(...xs), h: Math.max(...ys) - Math.min(...ys) };
}

export interface PdfLink {
  /** [x1, y1, x2, y2] in PDF user space */
  rect: number[];
  url?: string;
  /** 0-based page index an internal link goes to */
  page?: number;
}

export interface PdfPageText {
  /** the page's height, points */
  height: number;
  text: string;
  items: PdfItem[];
  links: PdfLink[];
}

export interface PdfOutlineEntry {
  title: string;
  page: number;
  children: PdfOutlineEntry[];
}

export interface PdfDocumentText {
  pages: PdfPageText[];
  outline: PdfOutlineEntry[];
  info: Record<string, unknown>;
}

/** The text of every page with positions and fonts, read back with pdf.js. */
export async function readPdfText(data: Buffer): Promise<PdfPageText[]> {
  return (await readPdf(data)).pages;
}

/** Pages (text, links), outline and document info, read back with pdf.js. */
export async function readPdf(data: Buffer): Promise<PdfDocumentText> {
  const doc = await getDocument({ data: new Uint8Array(data), verbosity: 0 }).promise;
  const pages: PdfPageText[] = [];
  const pageOf = async (dest: unknown): Promise<number | undefined> => {
    const explicit = typeof dest === 'string' ? await doc.getDestination(dest) : (dest as unknown[] | null);
    if (!explicit) return undefined;
    return doc.getPageIndex(explicit[0] as Parameters<typeof doc.getPageIndex>[0]);
  };
  for (let i = 1; i <= doc.numPages; i++) {
    const page = await doc.getPage(i);
    const content = await page.getTextContent();
    await page.getOperatorList(); // loads the fonts, so that their names can be read
    const fontName = (id: string): string => {
      const f = page.commonObjs.get(id) as { name?: string };
      return (f.name ?? id).replace(/^[A-Z]{6}\+/, '');
    };
    const items = content.items.flatMap((it) =>
      'str' in it ? [{ str: it.str, x: it.transform[4], y: it.transform[5], width: it.width, size: Math.hypot(it.transform[0], it.transform[1]), font: fontName(it.fontName), angle: Math.atan2(it.transform[1], it.transform[0]) }] : [],
    );
    const links: PdfLink[] = [];
    for (const a of await page.getAnnotations()) {
      if (a.subtype !== 'Link') continue;
      links.push({ rect: a.rect as number[], url: (a.unsafeUrl ?? a.url) as string | undefined, page: a.dest ? await pageOf(a.dest) : undefined });
    }
    pages.push({ height: page.view[3] - page.view[1], text: items.map((i) => i.str).join(''), items, links });
  }
  const outlineOf = async (entries: { title: string; dest: unknown; items: unknown[] }[] | null): Promise<PdfOutlineEntry[]> =>
    Promise.all((entries ?? []).map(async (e) => ({ title: e.title, page: (await pageOf(e.dest)) ?? -1, children: await outlineOf(e.items as typeof entries) })));
  const outline = await outlineOf((await doc.getOutline()) as { title: string; dest: unknown; items: unknown[] }[] | null);
  const { info } = await doc.getMetadata();
  await doc.destroy();
  return { pages, outline, info: info as Record<string, unknown> };
}

export interface PdfLine {
  page: number;
  y: number;
  left: number;
  right: number;
  size: number;
  font: string;
  text: string;
}

/**
 * Lines of text: items on one baseline, split where the gap between items is
 * wider than 1.5 em (table cells, chart labels are lines of their own).
 */
export function pdfLines(pages: PdfPageText[]): PdfLine[] {
  const lines: PdfLine[] = [];
  pages.forEach((p, page) => {
    const byY = new Map<string, PdfItem[]>();
    for (const it of p.items) {
      if (!it.str) continue;
      const key = it.y.toFixed(1);
      byY.set(key, [...(byY.get(key) ?? []), it]);
    }
    // Superscripts and subscripts (smaller, their baseline shifted by less than half the line's size)
    // belong to the line they stand in, as every reader copies them.
    const groups = [...byY.values()];
    const sizeOf = (g: PdfItem[]) => Math.max(...g.map((i) => i.size));
    for (const g of [...groups].sort((a, b) => sizeOf(a) - sizeOf(b))) {
      const host = groups.find((h) => h !== g && sizeOf(h) > sizeOf(g) * 1.2 && Math.abs(h[0].y - g[0].y) < sizeOf(h) / 2 && g.every((i) => h.some((o) => i.x >= o.x - 1.5 * o.size && i.x <= o.x + o.width + 1.5 * o.size)));
      if (!host) continue;
      host.push(...g);
      groups.splice(groups.indexOf(g), 1);
    }
    const sorted = groups.sort((a, b) => b[0].y - a[0].y);
    for (const items of sorted) {
      items.sort((a, b) => a.x - b.x);
      let cur: PdfItem[] = [];
      const flush = () => {
        const visible = cur.filter((i) => i.str.trim());
        if (visible.length) {
          const last = visible[visible.length - 1];
          lines.push({ page, y: visible[0].y, left: visible[0].x, right: last.x + last.width, size: visible[0].size, font: visible[0].font, text: cur.map((i) => i.str).join('') });
        }
        cur = [];
      };
      for (const it of items) {
        const prev = cur.filter((i) => i.str.trim()).pop();
        if (prev && it.str.trim() && it.x - (prev.x + prev.width) > 1.5 * it.size) flush();
        cur.push(it);
      }
      flush();
    }
  });
  return lines;
}

const OPENING = /^[“‘「『（《〈【〖〔［｛]/u;
const CLOSING = /[、，。．：；！？”’」』）》〉】〗〕］｝]$/u;

/**
 * The box of an item's ink, across: its glyph boxes less the blank half of a
 * full-width opening mark that starts it or closing mark that ends it (the
 * composer lets that half hang past the measure; see compose/finalize.ts).
 */
export function inkExtent(it: PdfItem): { left: number; right: number } {
  const b = itemBox(it);
  const str = it.str.trim();
  const flat = Math.abs(it.angle) < 1e-6;
  return { left: b.x + (flat && OPENING.test(str) ? it.size / 2 : 0), right: b.x + b.w - (flat && CLOSING.test(str) ? it.size / 2 : 0) };
}

/** A glyph drawn with glyph id 0 (.notdef): an empty box on the page. */
export interface NotdefGlyph {
  page: number;
  font: string;
}

type Matrix6 = [number, number, number, number, number, number];
const multiply = (m: Matrix6, n: Matrix6): Matrix6 => [
  m[0] * n[0] + m[2] * n[1],
  m[1] * n[0] + m[3] * n[1],
  m[0] * n[2] + m[2] * n[3],
  m[1] * n[2] + m[3] * n[3],
  m[0] * n[4] + m[2] * n[5] + m[4],
  m[1] * n[4] + m[3] * n[5] + m[5],
];

export interface PdfGraphics {
  /** images placed on each page: [x1, y1, x2, y2] in PDF user space */
  images: number[][][];
  notdef: NotdefGlyph[];
}

/** Image placements and .notdef glyphs of every page, from pdf.js operator lists. */
export async function readPdfGraphics(data: Buffer): Promise<PdfGraphics> {
  const { OPS } = await import('pdfjs-dist/legacy/build/pdf.mjs');
  const doc = await getDocument({ data: new Uint8Array(data), verbosity: 0 }).promise;
  const images: number[][][] = [];
  const notdef: NotdefGlyph[] = [];
  for (let i = 1; i <= doc.numPages; i++) {
    const page = await doc.getPage(i);
    const ops = await page.getOperatorList();
    const stack: Matrix6[] = [];
    let ctm: Matrix6 = [1, 0, 0, 1, 0, 0];
    let font = '';
    const placed: number[][] = [];
    ops.fnArray.forEach((fn, k) => {
      const args = ops.argsArray[k] as unknown[];
      if (fn === OPS.save) stack.push(ctm);
      else if (fn === OPS.restore) ctm = stack.pop() ?? ctm;
      else if (fn === OPS.transform) ctm = multiply(ctm, args as Matrix6);
      else if (fn === OPS.paintImageXObject) {
        const xs = [ctm[4], ctm[4] + ctm[0] + ctm[2]];
        const ys = [ctm[5], ctm[5] + ctm[1] + ctm[3]];
        placed.push([Math.min(...xs), Math.min(...ys), Math.max(...xs), Math.max(...ys)]);
      } else if (fn === OPS.setFont) font = String(args[0]);
      else if (fn === OPS.showText) {
        for (const g of args[0] as ({ originalCharCode?: number } | number)[]) if (typeof g === 'object' && g?.originalCharCode === 0) notdef.push({ page: i - 1, font });
      }
    });
    images.push(placed);
  }
  await doc.destroy();
  return { images, notdef };
}

/**
 * For each picture with a caption under it: how far the centre of the
 * caption's first line is from the picture's centre. `size`, `pitch`: the
 * caption style's.
 */
export function captionOffsets(pages: PdfPageText[], images: number[][][], size: number, pitch: number): { page: number; text: string; offset: number; picture: number[] }[] {
  const lines = pdfLines(pages).filter((l) => Math.abs(l.size - size) < 0.01);
  const found: { page: number; text: string; offset: number; picture: number[] }[] = [];
  images.forEach((imgs, page) => {
    for (const picture of imgs) {
      const [x1, y1, x2] = picture;
      const first = lines.find((l) => l.page === page && l.y < y1 && l.y > y1 - 3 - pitch && l.left >= x1 - 60 && l.right <= x2 + 60);
      if (first) found.push({ page, text: first.text, offset: (first.left + first.right) / 2 - (x1 + x2) / 2, picture });
    }
  });
  return found;
}

/** Items whose ink runs past the text frame across, or off the page: "p3 70.1–530.2: text". */
export function outsideFrame(pages: PdfPageText[]): string[] {
  const { frame, height } = zasto().template.page;
  return pages.flatMap((p, page) =>
    p.items
      .filter((it) => it.str.trim())
      .filter((it) => {
        const { left, right } = inkExtent(it);
        const b = itemBox(it);
        return left < frame.x - 0.5 || right > frame.x + frame.width + 0.5 || b.y < 0 || b.y + b.h > height;
      })
      .map((it) => `p${page + 1} ${inkExtent(it).left.toFixed(1)}–${inkExtent(it).right.toFixed(1)}: ${it.str.slice(0, 40)}`),
  );
}

/** Titles set on more than one line (lines of `size`, one `pitch` apart on a page): their lines' text. */
export function multiLineTitles(pages: PdfPageText[], size: number, pitch: number): string[][] {
  const lines = pdfLines(pages).filter((l) => Math.abs(l.size - size) < 0.01);
  const titles: string[][] = [];
  let current: PdfLine[] = [];
  const flush = () => {
    if (current.length > 1) titles.push(current.map((l) => l.text.trim()));
    current = [];
  };
  for (const l of lines) {
    const prev = current[current.length - 1];
    if (prev && (prev.page !== l.page || Math.abs(prev.y - pitch - l.y) > 0.5)) flush();
    current.push(l);
  }
  flush();
  return titles;
}

const words = new Intl.Segmenter('zh', { granularity: 'word' });

/** Where a title's lines break: inside a word (by Intl.Segmenter), and whether the last line is under three characters. */
export function titleBreaks(title: string[]): { insideWord: string[]; shortLast: boolean } {
  const full = title.join('');
  const bounds = new Set([...words.segment(full)].map((s) => s.index));
  const insideWord: string[] = [];
  let at = 0;
  for (const line of title.slice(0, -1)) {
    at += line.length;
    if (!bounds.has(at)) insideWord.push(`${full.slice(Math.max(0, at - 3), at)}|${full.slice(at, at + 3)}`);
  }
  return { insideWord, shortLast: [...title[title.length - 1]].length < 3 };
}
