/**
 * Fonts: resolved from the template, parsed once per process with fontkit,
 * and shared by the composer (metrics) and the renderer (pdfkit embeds the
 * same parsed font objects, so nothing is parsed twice).
 */
import fs from 'node:fs';
import path from 'node:path';
import type * as Fontkit from 'fontkit';
import { UserError } from '../source/errors.js';
import type { FontMetrics, ShapedGlyph } from '../compose/types.js';
import type { FontRole, Template } from '../template/template.js';
import { PACKAGE_ROOT, requirePackage } from '../packages.js';
import { faceStyle, type FaceStyle } from './face-style.js';

const fontkit = requirePackage('fontkit') as typeof Fontkit;

/** Fonts that come with bulletin through npm (OFL). */
export const BUILTIN_FONTS: Record<string, string> = {
  'NotoSerifSC-Regular': '@expo-google-fonts/noto-serif-sc/400Regular/NotoSerifSC_400Regular.ttf',
  'NotoSerifSC-Bold': '@expo-google-fonts/noto-serif-sc/700Bold/NotoSerifSC_700Bold.ttf',
  'NotoSansSC-Regular': '@expo-google-fonts/noto-sans-sc/400Regular/NotoSansSC_400Regular.ttf',
  'NotoSansSC-Medium': '@expo-google-fonts/noto-sans-sc/500Medium/NotoSansSC_500Medium.ttf',
  'NotoSansSC-Bold': '@expo-google-fonts/noto-sans-sc/700Bold/NotoSansSC_700Bold.ttf',
  'NotoEmoji-Regular': '@expo-google-fonts/noto-emoji/400Regular/NotoEmoji_400Regular.ttf',
};

/** The monochrome emoji font every chain ends with before the machine's fonts. */
export const EMOJI_FONT = 'NotoEmoji-Regular';


export class LoadedFont implements FontMetrics {
  private readonly widths = new Map<number, number>();
  private readonly shaped = new Map<string, { glyphs: ShapedGlyph[]; width: number }>();

  private faceStyle?: FaceStyle;

  constructor(
    readonly key: string,
    readonly file: string,
    readonly font: Fontkit.Font,
  ) {}

  /** weight, slant and class, for matching a fallback face to a run's */
  get style(): FaceStyle {
    return (this.faceStyle ??= faceStyle(this.font));
  }

  advance(cp: number): number {
    let w = this.widths.get(cp);
    if (w === undefined) {
      w = this.font.glyphForCodePoint(cp).advanceWidth / this.font.unitsPerEm;
      this.widths.set(cp, w);
    }
    return w;
  }

  measure(text: string, features?: readonly string[]): number {
    return this.shapeRun(text, features).width;
  }

  shape(text: string, features?: readonly string[]): readonly ShapedGlyph[] {
    return this.shapeRun(text, features).glyphs;
  }

  /** Shaped once per process: measuring and drawing use the same glyphs. */
  private shapeRun(text: string, features?: readonly string[]): { glyphs: ShapedGlyph[]; width: number } {
    const key = features?.length ? `${features.join(',')}\u0000${text}` : text;
    let run = this.shaped.get(key);
    if (!run) {
      const em = this.font.unitsPerEm;
      const cp = text.codePointAt(0)!;
      // One character alone needs no shaping engine: its glyph is the cmap's (most of a Chinese text).
      if (!features?.length && text.length === (cp > 0xffff ? 2 : 1)) {
        const g = this.font.glyphForCodePoint(cp);
        const advance = g.advanceWidth / em;
        run = { glyphs: [{ id: g.id, codePoints: [cp], advance, xAdvance: advance, dx: 0, dy: 0 }], width: advance };
        this.shaped.set(key, run);
        return run;
      }
      const laid = this.font.layout(text, features ? [...features] : undefined);
      const glyphs = laid.glyphs.map((g, i) => {
        const p = laid.positions[i];
        return { id: g.id, codePoints: g.codePoints, advance: g.advanceWidth / em, xAdvance: p.xAdvance / em, dx: p.xOffset / em, dy: p.yOffset / em };
      });
      run = { glyphs, width: laid.advanceWidth / em };
      this.shaped.set(key, run);
    }
    return run;
  }

  covers(cp: number): boolean {
    return this.font.hasGlyphForCodePoint(cp);
  }

  ink(cp: number): [number, number] {
    const b = this.font.glyphForCodePoint(cp).bbox;
    return [b.minX / this.font.unitsPerEm, b.maxX / this.font.unitsPerEm];
  }
}

const files = new Map<string, Fontkit.Font | Fontkit.FontCollection>();
const faces = new Map<string, LoadedFont>();

/** Parses a font file once per process. */
function parseFile(file: string): Fontkit.Font | Fontkit.FontCollection {
  let opened = files.get(file);
  if (!opened) files.set(file, (opened = fontkit.openSync(file) as Fontkit.Font | Fontkit.FontCollection));
  return opened;
}

/** One face of a font file (of a collection, by index), keyed by its path. */
export function openFontFile(file: string, face = 0): LoadedFont {
  const key = face ? `${file}#${face}` : file;
  let f = faces.get(key);
  if (!f) {
    const opened = parseFile(file);
    f = new LoadedFont(key, file, 'fonts' in opened ? opened.fonts[face] : opened);
    faces.set(key, f);
  }
  return f;
}

function resolveFontFile(name: string, template: Template): string {
  const builtin = BUILTIN_FONTS[name];
  if (builtin) return requirePackage.resolve(builtin);
  if (!/^fonts\/[^/\\]+\.(ttf|otf)$/i.test(name)) {
    throw new UserError(`font "${name}" is neither a built-in font (${Object.keys(BUILTIN_FONTS).join(', ')}) nor a file fonts/NAME.ttf|otf`, template.file);
  }
  for (const root of [template.dir, path.dirname(path.dirname(template.dir)), PACKAGE_ROOT]) {
    const file = path.join(root, name);
    if (fs.existsSync(file)) return file;
  }
  throw new UserError(`font file ${name} not found (looked beside the template, in the project and in bulletin's fonts/)`, template.file);
}

/** Parses a font file once per process. */
export function loadFont(name: string, template: Template): LoadedFont {
  const file = resolveFontFile(name, template);
  if ('fonts' in parseFile(file)) throw new UserError(`font file ${name} is a collection; name one font file`, template.file);
  return openFontFile(file);
}

/** The template's fonts: one per role, and its fallback list. */
export interface FontSet {
  roles: Record<FontRole, LoadedFont>;
  fallbacks: LoadedFont[];
}

export function loadFonts(template: Template): FontSet {
  const roles = Object.fromEntries(Object.entries(template.fonts).map(([role, name]) => [role, loadFont(name, template)])) as Record<FontRole, LoadedFont>;
  return { roles, fallbacks: template.fallbackFonts.map((name) => loadFont(name, template)) };
}
