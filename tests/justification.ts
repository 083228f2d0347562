/**
 * How much a justified line was stretched, read back from the PDF: each text
 * item's width against its glyphs' natural advances (the character spacing
 * pdfkit adds after every glyph), and each gap between items against its
 * natural width (¼ em at a Han–Latin boundary, a word space between Latin
 * words, nothing between Han characters).
 */
import { createRequire } from 'node:module';
import { BUILTIN_FONTS, openFontFile, type LoadedFont } from '../src/fonts/fonts.js';
import { zasto } from './helpers.js';
import { type PdfItem, type PdfPageText } from './pdf-text.js';

const require = createRequire(import.meta.url);
const fonts = new Map<string, LoadedFont | undefined>();
function font(name: string): LoadedFont | undefined {
  if (!fonts.has(name)) fonts.set(name, BUILTIN_FONTS[name] ? openFontFile(require.resolve(BUILTIN_FONTS[name])) : undefined);
  return fonts.get(name);
}

const LATIN = /[\p{L}\p{N}]/u;
const HAN = /[\p{Script=Han}\p{Extended_Pictographic}]/u;
/** Characters set on their own em, with a stretchable gap on either side; between two others (a word's letters) nothing stretches. */
const WIDE = /[\p{Script=Han}\p{Extended_Pictographic}\u3000-\u303f\uff00-\uffef\u2014\u2026\u201c\u201d\u2018\u2019]/u;

export interface Stretch {
  page: number;
  extra: number;
  context: string;
}

/** Body lines that reach the right edge of the frame (the justified ones), each as its items left to right. */
function justifiedRows(pages: PdfPageText[]): { page: number; row: PdfItem[] }[] {
  const { template } = zasto();
  const { frame } = template.page;
  const em = template.type.body.size;
  const out: { page: number; row: PdfItem[] }[] = [];
  pages.forEach((p, page) => {
    if (page === 0) return; // the cover: masthead and contents, nothing justified
    const rows = new Map<string, PdfItem[]>();
    for (const it of p.items) {
      if (!it.str.trim() || Math.abs(it.size - em) > 0.01 || it.x < frame.x - 1) continue;
      const key = it.y.toFixed(1);
      rows.set(key, [...(rows.get(key) ?? []), it]);
    }
    for (const row of rows.values()) {
      row.sort((a, b) => a.x - b.x);
      // A list item's marker hangs in the margin; it is not part of the line.
      if (row.length > 1 && /^([•·◦▪-]|\d+[.)、])$/.test(row[0].str.trim())) row.shift();
      const last = row[row.length - 1];
      // pdf.js gives neither text nor width for a soft hyphen: a line that ends in one ends a hyphen short of the edge.
      const short = frame.x + frame.width - (last.x + last.width);
      if (Math.abs(short) > 0.5 && !(/\p{Ll}$/u.test(last.str) && short > 0 && short < 0.4 * em)) continue;
      // Contents entries end in a page number after a run of white; they are not justified.
      if (/^\d+$/.test(last.str.trim())) continue;
      // Paragraph lines start at the frame's edge or an indent (lists, quotes); right-aligned lines do not.
      if (row[0].x > frame.x + 6 * em + 1) continue;
      out.push({ page, row });
    }
  });
  return out;
}

const rowText = (row: PdfItem[]) => row.map((it) => it.str).join('');

/**
 * The word gaps of justified lines of Latin-script text (`latin` tells them
 * by their text): each line's white beyond its glyphs, shared by its spaces,
 * in ems of the body size. A line that ends in a hyphen counts the hyphen as
 * white (pdf.js gives no text for it): the measure errs on the wide side.
 */
export function latinWordGaps(pages: PdfPageText[], latin: (text: string) => boolean): { page: number; gap: number; text: string }[] {
  const em = zasto().template.type.body.size;
  return justifiedRows(pages).flatMap(({ page, row }) => {
    const text = rowText(row).trim();
    const spaces = text.split(' ').length - 1;
    const f = font(row[0].font);
    if (!latin(text) || !f || spaces === 0) return [];
    const width = row[row.length - 1].x + row[row.length - 1].width - row[0].x;
    const glyphs = f.measure(text.replace(/ /g, '')) * em;
    return [{ page, gap: (width - glyphs) / spaces / em, text }];
  });
}

/** Gaps of justified Chinese body lines (`skip`: lines of Latin-script text, which have their own rule) stretched past ⅛ em. */
export function justifiedGaps(pages: PdfPageText[], skip: (text: string) => boolean = () => false): { checked: number; over: Stretch[] } {
  const { template } = zasto();
  const em = template.type.body.size;
  const limit = em / 8 + 0.05;
  const over: Stretch[] = [];
  let checked = 0;
  for (const { page, row } of justifiedRows(pages)) {
    if (skip(rowText(row).trim())) continue;
    checked++;
    // What each item is wider than its glyphs: the stretch of the gaps inside it, and the part of the
    // gap after it that its last glyph carries (a wider copy of that glyph, see render/text.ts).
    const widened = row.map((it) => {
      const f = font(it.font);
      const text = it.str.replace(/\s+/g, '');
      return f && text ? it.width - f.measure(text) * it.size : 0;
    });
    const spacing = row.map((it, i) => {
      const chars = [...it.str.replace(/\s+/g, '')];
      return chars.length < 2 ? 0 : widened[i] / chars.length;
    });
    row.forEach((it, i) => {
      if (spacing[i] > limit) over.push({ page, extra: spacing[i], context: it.str });
      if (i === 0) return;
      const prev = row[i - 1];
      const a = [...prev.str.trimEnd()].pop()!;
      const b = [...it.str.trimStart()][0];
      const mixed = (HAN.test(a) && LATIN.test(b)) || (LATIN.test(a) && HAN.test(b));
      const space = font(prev.font)?.advance(32) ?? 0.25;
      const natural = mixed ? em / 4 : LATIN.test(a) && LATIN.test(b) ? space * em : 0;
      // The line is stretched evenly over its stretchable gaps: those inside the item before (all but
      // letter–letter) and this one share what that item widened by and the white between the items.
      const words = prev.str.trim().split(/\s+/);
      const chars = [...words.join('')];
      const inside = words.length - 1 + chars.slice(1).filter((c, k) => WIDE.test(chars[k]) || WIDE.test(c)).length;
      const extra = (widened[i - 1] + it.x - (prev.x + prev.width) - natural) / (inside + 1);
      if (extra > limit) over.push({ page, extra, context: `${prev.str}|${it.str}` });
    });
  }
  return { checked, over };
}
