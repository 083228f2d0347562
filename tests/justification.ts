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

/** Gaps of body lines that reach the right edge of the frame (the justified ones), and those stretched past ⅛ em. */
export function justifiedGaps(pages: PdfPageText[]): { checked: number; over: Stretch[] } {
  const { template } = zasto();
  const { frame } = template.page;
  const em = template.type.body.size;
  const limit = em / 8 + 0.05;
  const over: Stretch[] = [];
  let checked = 0;
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
      if (Math.abs(last.x + last.width - (frame.x + frame.width)) > 0.5) continue;
      // Contents entries end in a page number after a run of white; they are not justified.
      if (/^\d+$/.test(last.str.trim())) continue;
      // Paragraph lines start at the frame's edge or an indent (lists, quotes); right-aligned lines do not.
      if (row[0].x > frame.x + 6 * em + 1) continue;
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
  });
  return { checked, over };
}
