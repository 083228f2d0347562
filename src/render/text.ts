/**
 * Writes the composer's lines into the content stream, one text object per
 * line, so that copied text is the source text. A PDF reader extracting text
 * sees only glyphs and where they stand: any gap wider than about a tenth of
 * an em between one glyph's advance and the next glyph reads as a space
 * (pdf.js, and Acrobat alike). So a gap the composer made (Han–Latin spacing,
 * justification, a source space set narrower or wider) is never left as
 * blank between glyphs: a space the source had is written as a space glyph,
 * and any other gap wider than VARIANT_MIN is carried by the glyph before it,
 * as a copy of that glyph whose advance (the font's /W width) is wider.
 * What remains, under VARIANT_STEP, goes into the TJ array.
 */
import type { GlyphRun } from '../compose/types.js';
import type { Colour } from '../template/template.js';

/** Gaps (1/1000 em) beyond which a wider copy of the glyph carries the gap, and the steps those copies come in. */
const VARIANT_MIN = 90;
const VARIANT_STEP = 50;

export type PdfColour = string | [number, number, number, number];

/** What we use of pdfkit's embedded font (js/font/embedded.js): its subset, widths and ToUnicode table by subset glyph id. */
interface PdfFont {
  id: string;
  subset: { glyphs: number[]; cff?: unknown };
  widths: number[];
  unicode: number[][];
  encode(text: string, features?: string[]): [string[], { xAdvance: number; xOffset: number; yOffset: number }[]];
  ref(): unknown;
}

/** A run of the line, with where it stands in the caller's list of items. */
export interface LineRun extends GlyphRun {
  /** index of the run in the caller's list (told back through `enter`) */
  index: number;
}

interface Glyph {
  font: PdfFont;
  size: number;
  colour: Colour;
  gid: number;
  /** pen position and advance in the font (/W), in points */
  x: number;
  w: number;
  rise: number;
  run: number;
  space: boolean;
}

export class TextWriter {
  private fonts = new Map<string, PdfFont>();
  private variants = new Map<PdfFont, Map<string, number>>();

  constructor(
    private doc: PDFKit.PDFDocument,
    private colour: (c: Colour) => PdfColour,
  ) {}

  private font(key: string): PdfFont {
    let f = this.fonts.get(key);
    if (!f) {
      this.doc.font(key);
      f = (this.doc as unknown as { _font: PdfFont })._font;
      this.fonts.set(key, f);
    }
    return f;
  }

  /**
   * One line: runs on one baseline `y`, in order. `enter(run)` is called
   * before each run's first glyph is written, inside the text object (for
   * marked content); `leave()` after the line's last.
   */
  line(runs: LineRun[], y: number, enter: (run: number) => void = () => {}, leave: () => void = () => {}): void {
    const glyphs = this.glyphs(runs);
    if (glyphs.length === 0) return;
    const doc = this.doc;
    const page = (doc as unknown as { page: { height: number; fonts: Record<string, unknown> } }).page;
    doc.save();
    doc.transform(1, 0, 0, -1, 0, page.height);
    doc.addContent('BT');
    doc.addContent(`1 0 0 1 ${num(glyphs[0].x)} ${num(page.height - y)} Tm`);
    let run = -1;
    let font: PdfFont | undefined;
    let size = 0;
    let colour: Colour | undefined;
    let rise = 0;
    let tj: string[] = [];
    const flush = () => {
      if (tj.length) doc.addContent(`[${tj.join(' ')}] TJ`);
      tj = [];
    };
    glyphs.forEach((g, i) => {
      if (g.run !== run) {
        flush();
        run = g.run;
        enter(runs[run].index);
      }
      if (g.font !== font || g.size !== size) {
        flush();
        font = g.font;
        size = g.size;
        if (page.fonts[font.id] == null) page.fonts[font.id] = font.ref();
        doc.addContent(`/${font.id} ${num(size)} Tf`);
      }
      if (g.colour !== colour) {
        flush();
        colour = g.colour;
        doc.fillColor(this.colour(colour) as PDFKit.Mixins.ColorValue);
      }
      if (g.rise !== rise) {
        flush();
        rise = g.rise;
        doc.addContent(`${num(rise)} Ts`);
      }
      const next = glyphs[i + 1];
      const advance = next ? next.x - g.x : g.w;
      let gid = g.gid;
      let width = g.w;
      const extra = ((advance - g.w) * 1000) / g.size;
      if (extra > VARIANT_MIN && !g.space && !g.font.subset.cff) {
        const wider = Math.floor(extra / VARIANT_STEP) * VARIANT_STEP;
        gid = this.variant(g.font, g.gid, wider);
        width += (wider * g.size) / 1000;
      }
      tj.push(`<${gid.toString(16).padStart(4, '0')}>`);
      const adjust = ((width - advance) * 1000) / g.size;
      if (Math.abs(adjust) > 0.01) tj.push(num(adjust));
    });
    flush();
    leave();
    if (rise) doc.addContent('0 Ts');
    doc.addContent('ET');
    doc.restore();
  }

  /** Every glyph of the line with its pen position, shaped as pdfkit would; spaces the source had put back. */
  private glyphs(runs: LineRun[]): Glyph[] {
    const out: Glyph[] = [];
    runs.forEach((r, run) => {
      const font = this.font(r.font);
      const k = r.size / 1000;
      // In the run's font, else the one before it (a fallback font may have no space); else none.
      const space = (x: number) => {
        for (const f of [font, out[out.length - 1]?.font]) {
          if (!f) continue;
          const [[hex]] = f.encode(' ');
          const gid = parseInt(hex, 16);
          if (f.subset.glyphs[gid] === 0) continue;
          out.push({ font: f, size: r.size, colour: r.colour, gid, x, w: f.widths[gid] * k, rise: 0, run, space: true });
          return;
        }
      };
      const [hexes, positions] = font.encode(r.text, r.features as string[] | undefined);
      if (r.spaceBefore && out.length) {
        const prev = out[out.length - 1];
        space(Math.min(prev.x + prev.w, r.x));
      }
      let pen = r.x;
      hexes.forEach((hex, i) => {
        const p = positions[i];
        const gid = parseInt(hex, 16);
        out.push({ font, size: r.size, colour: r.colour, gid, x: pen + p.xOffset * k, w: font.widths[gid] * k, rise: p.yOffset * k, run, space: false });
        pen += p.xAdvance * k + r.spacing;
      });
      if (r.spaceAfter) space(pen);
    });
    return out;
  }

  /** A copy of subset glyph `gid` whose advance is `wider` (1/1000 em) more: same outline, same text. */
  private variant(font: PdfFont, gid: number, wider: number): number {
    let byKey = this.variants.get(font);
    if (!byKey) this.variants.set(font, (byKey = new Map()));
    const key = `${gid}+${wider}`;
    let v = byKey.get(key);
    if (v === undefined) {
      // fontkit's TrueType subset writes one glyph per entry of `glyphs`, duplicates included.
      font.subset.glyphs.push(font.subset.glyphs[gid]);
      v = font.subset.glyphs.length - 1;
      font.widths[v] = font.widths[gid] + wider;
      font.unicode[v] = font.unicode[gid];
      byKey.set(key, v);
    }
    return v;
  }
}

const num = (n: number) => String(Math.round(n * 1000) / 1000);
