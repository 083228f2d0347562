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
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import type { FontMetrics, GlyphRun } from '../compose/types.js';
import { fileURLToPath } from 'node:url';
import { codeFingerprint } from '../cache/fingerprint.js';
import { readSealed, removeSealed, writeSealed } from '../cache/sealed.js';
import { fileStamp } from '../source/files.js';
import type { Colour } from '../template/colour.js';
import { requirePackage } from '../packages.js';

/** Gaps (1/1000 em) beyond which a wider copy of the glyph carries the gap, and the steps those copies come in. */
const VARIANT_MIN = 90;
const VARIANT_STEP = 50;

export type PdfColour = string | [number, number, number, number];

/** What we use of pdfkit's embedded font (js/font/embedded.js): its subset, widths and ToUnicode table by subset glyph id. */
interface PdfFont {
  id: string;
  font: { unitsPerEm: number };
  subset: PdfSubset;
  widths: number[];
  unicode: number[][];
  ref(): unknown;
  /** writes the font's objects; the first object it makes is the font file's stream */
  embed(): void;
  document: { ref(data?: object): PdfStream };
}

/**
 * What we use of fontkit's subset (TTFSubset): the original glyph of each
 * subset glyph, and the step that copies one glyph's outline and metrics.
 */
interface PdfSubset {
  glyphs: number[];
  cff?: unknown;
  includeGlyph(id: number): number;
  encode(): Uint8Array;
  _addGlyph(id: number): number;
  hmtx: { metrics: { advance: number }[] };
}

/** What we use of a pdfkit object (js/reference.js): whether it deflates its stream, and its dictionary. */
interface PdfStream {
  compress: boolean;
  data: Record<string, unknown>;
}

/**
 * Subsets already encoded and deflated, by font and glyph list: both
 * editions use the same glyphs in the same order, so the second gets the
 * first's bytes; and a rebuild of an unchanged issue gets them from the
 * cache folder, keyed by the font file as it is, fontkit as it is, and the
 * glyph list. Deflated as pdfkit would (zlib's defaults), so the PDF's bytes
 * are the same; deflating them took 30 ms of a warm build of issue 44.
 */
const encodedSubsets = new WeakMap<object, Map<string, Uint8Array>>();

/** fontkit's files and this module's code, which make the subsets' bytes */
let fontkitStamp: string | undefined;

/** The subset files the builds of this process since `beginSubsets` used: the others are pruned after a build. */
let usedSubsets = new Set<string>();

export function beginSubsets(): void {
  usedSubsets = new Set();
}

/** Removes the subset files no build since `beginSubsets` used (an edit leaves the old glyph lists behind). */
export function pruneSubsets(dir: string): void {
  if (!fs.existsSync(dir)) return;
  for (const f of fs.readdirSync(dir, { withFileTypes: true })) if (f.isFile() && !usedSubsets.has(f.name)) removeSealed(path.join(dir, f.name));
}

/** A subset's cache file name, and its full key: the font file as it is, fontkit and this module as they are, and the glyph list. */
function subsetEntry(fontFile: string, glyphs: string): { name: string; key: string } {
  fontkitStamp ??= `${fileStamp(requirePackage.resolve('fontkit'))}\u0000${codeFingerprint([fileURLToPath(import.meta.url).replace(/\.[jt]s$/, '')])}`;
  // 'deflated': what the files hold (they held the font itself before).
  const key = `deflated\u0000${fontkitStamp}\u0000${fontFile}:${fileStamp(fontFile)}\u0000${glyphs}`;
  return { name: `${crypto.createHash('sha256').update(key).digest('hex').slice(0, 32)}.bin`, key };
}

function subsetOnDisk(dir: string, entry: { name: string; key: string }, encode: () => Uint8Array): Uint8Array {
  const file = path.join(dir, entry.name);
  const cached = readSealed(file, entry.key);
  if (cached) return cached;
  const bytes = encode();
  writeSealed(file, entry.key, bytes);
  return bytes;
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
  private copyWidths = new Map<PdfFont, Map<number, number>>();

  constructor(
    private doc: PDFKit.PDFDocument,
    private colour: (c: Colour) => PdfColour,
    /** the fonts the glyph runs name, by key (for the space glyph, and the file a subset comes from) */
    private metrics: Map<string, FontMetrics & { file?: string }>,
    /** where encoded subsets are kept between builds; none: in this process only */
    private subsetDir?: string,
  ) {}

  private font(key: string): PdfFont {
    let f = this.fonts.get(key);
    if (!f) {
      this.doc.font(key);
      f = (this.doc as unknown as { _font: PdfFont })._font;
      this.fonts.set(key, f);
      const subset = f.subset;
      const encode = subset.encode.bind(subset);
      let byGlyphs = encodedSubsets.get(f.font);
      if (!byGlyphs) encodedSubsets.set(f.font, (byGlyphs = new Map()));
      const cache = byGlyphs;
      const file = this.metrics.get(key)?.file;
      const dir = this.subsetDir;
      // A wider copy of a glyph is as wide in the font program (hmtx) as in the PDF (/W): a reader
      // that measures with the font's own advance (MuPDF, in some versions) then sees no gap either.
      // The font's hhea.advanceWidthMax stays as it was.
      const addGlyph = subset._addGlyph.bind(subset);
      const variants = this.variantWidths(f);
      subset._addGlyph = (id) => {
        const k = addGlyph(id);
        const wider = variants.get(k);
        if (wider !== undefined) subset.hmtx.metrics[k].advance = Math.round((wider * f!.font.unitsPerEm) / 1000);
        return k;
      };
      subset.encode = () => {
        // The glyph list, and the width of every wider copy: what the subset's bytes depend on.
        const glyphs = subset.glyphs.map((g, k) => (variants.has(k) ? `${g}@${variants.get(k)}` : g)).join(',');
        const entry = dir && file ? subsetEntry(file, glyphs) : undefined;
        if (entry) usedSubsets.add(entry.name);
        const deflated = () => zlib.deflateSync(encode());
        let bytes = cache.get(glyphs);
        if (!bytes) cache.set(glyphs, (bytes = dir && entry ? subsetOnDisk(dir, entry, deflated) : deflated()));
        return bytes;
      };
      // The font file stream gets those deflated bytes as they are: marked, not deflated again.
      const doc = f.document;
      const embed = f.embed.bind(f);
      f.embed = () => {
        const ref = doc.ref;
        doc.ref = (data) => {
          doc.ref = ref;
          const stream = ref.call(doc, data);
          stream.compress = false;
          // In the order pdfkit writes them (Length, then Filter): the same bytes as before.
          stream.data.Length = 0;
          stream.data.Filter = 'FlateDecode';
          return stream;
        };
        try {
          embed();
        } finally {
          doc.ref = ref;
        }
      };
    }
    return f;
  }

  /**
   * The subset glyph id of a glyph, recorded with its width and characters as
   * pdfkit's own encoding does. A glyph that stands for other characters
   * elsewhere (the 6 of 10⁶ drawn as a raised 6) is a copy with its own
   * ToUnicode entry, so that each copies as what it stands for.
   */
  private include(font: PdfFont, id: number, advance: number, codePoints: number[]): number {
    const gid = font.subset.includeGlyph(id);
    font.widths[gid] ??= advance * 1000;
    font.unicode[gid] ??= codePoints;
    if (sameCodePoints(font.unicode[gid], codePoints)) return gid;
    return this.copy(font, gid, 0, codePoints);
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

  /** Every glyph of the line where the composer placed it; spaces the source had put back. */
  private glyphs(runs: LineRun[]): Glyph[] {
    const out: Glyph[] = [];
    runs.forEach((r, run) => {
      const font = this.font(r.font);
      // In the run's font, else the one before it (a fallback font may have no space); else none.
      const space = (x: number) => {
        const before = out[out.length - 1];
        for (const [f, metrics] of [
          [font, this.metrics.get(r.font)],
          [before?.font, before && this.metrics.get(runs[before.run].font)],
        ] as const) {
          const g = f && metrics?.shape(' ')[0];
          if (!f || !g || g.id === 0) continue;
          const gid = this.include(f, g.id, g.advance, g.codePoints);
          out.push({ font: f, size: r.size, colour: r.colour, gid, x, w: (f.widths[gid] * r.size) / 1000, rise: 0, run, space: true });
          return;
        }
      };
      if (r.spaceBefore && out.length) {
        const prev = out[out.length - 1];
        space(Math.min(prev.x + prev.w, r.x));
      }
      let end = r.x;
      for (const g of r.glyphs) {
        const gid = this.include(font, g.id, g.advance / r.size, g.codePoints);
        out.push({ font, size: r.size, colour: r.colour, gid, x: r.x + g.x, w: (font.widths[gid] * r.size) / 1000, rise: g.y, run, space: false });
        end = r.x + g.x + g.advance;
      }
      // The line broke at this space: it stands right after the line's last glyph. A gap before it
      // would be carried by a wider copy of that glyph, reaching past the frame in every reader's
      // measure (pdf.js, Poppler), though not in ink.
      if (r.spaceAfter) space(end);
    });
    return out;
  }

  /** A copy of subset glyph `gid` whose advance is `wider` (1/1000 em) more: same outline, same text. */
  private variant(font: PdfFont, gid: number, wider: number): number {
    return this.copy(font, gid, wider, font.unicode[gid]);
  }

  /**
   * A copy of subset glyph `gid` (same outline), `wider` (1/1000 em) wider
   * and standing for `codePoints`; one per glyph, width and characters.
   */
  private copy(font: PdfFont, gid: number, wider: number, codePoints: number[]): number {
    let byKey = this.variants.get(font);
    if (!byKey) this.variants.set(font, (byKey = new Map()));
    const key = `${gid}+${wider}=${codePoints.join()}`;
    let v = byKey.get(key);
    if (v === undefined) {
      // fontkit's TrueType subset writes one glyph per entry of `glyphs`, duplicates included.
      font.subset.glyphs.push(font.subset.glyphs[gid]);
      v = font.subset.glyphs.length - 1;
      font.widths[v] = font.widths[gid] + wider;
      font.unicode[v] = codePoints;
      byKey.set(key, v);
      if (wider) this.variantWidths(font).set(v, font.widths[v]);
    }
    return v;
  }

  /** The wider copies of a font's glyphs: subset glyph id → its width (1/1000 em). */
  private variantWidths(font: PdfFont): Map<number, number> {
    let widths = this.copyWidths.get(font);
    if (!widths) this.copyWidths.set(font, (widths = new Map()));
    return widths;
  }
}

const num = (n: number) => String(Math.round(n * 1000) / 1000);

/** Compared element by element: joining both for every glyph written took 5 ms of a rebuild of issue 44. */
function sameCodePoints(a: number[], b: number[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
