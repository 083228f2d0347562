/**
 * Font substitution, decided once per character (grapheme cluster) and run
 * font for the whole build: the composer sets the cluster in the font this
 * returns, the renderer draws it in that font, and the coverage report is
 * made from the same decisions.
 *
 * The chain after the run's own font: the template's `fallback` list, the
 * template's other fonts, bulletin's monochrome emoji font, font folders the
 * designer named (`--font-path`, then the template's `fonts.folders`), then
 * the machine's fonts (indexed once, cached in the user's cache folder).
 */
import path from 'node:path';
import type { FontFallback, FontMetrics } from '../compose/types.js';
import type { Template } from '../template/template.js';
import { EMOJI_FONT, LoadedFont, loadFont, openFontFile, type FontSet } from './fonts.js';
import { unlikeness, type FaceStyle } from './face-style.js';
import { indexFonts, rangesHave, systemFontFolders, userCacheFolder, type IndexedFace } from './system.js';

export interface FallbackOptions {
  /** folders of font files searched before the machine's own */
  fontFolders?: string[];
  /** search the machine's font folders (default true; tests turn it off) */
  systemFonts?: boolean;
}

/** Code points that ride on the character before them and need no glyph of their own. */
const RIDES_ALONG = /[\u200c\u200d\ufe00-\ufe0f\u{e0020}-\u{e007f}\u{e0100}-\u{e01ef}]/u;

/** Does `font` have every code point of `cluster` that needs a glyph? */
export function coversCluster(font: FontMetrics, cluster: string): boolean {
  if (cluster.length === 1) return font.covers(cluster.charCodeAt(0));
  for (const ch of cluster) if (!RIDES_ALONG.test(ch) && !font.covers(ch.codePointAt(0)!)) return false;
  return true;
}

export interface Substitutions {
  /** clusters set in a font other than their run's, by the font that set them */
  byFont: Map<LoadedFont, Set<string>>;
  /** clusters no font has: left out */
  missing: Set<string>;
}

export class FontChain implements FontFallback {
  /** the template's fonts: its fallback list, then its role fonts */
  private readonly fixed: LoadedFont[];
  /** the emoji font and the folders' fonts, opened when a character first needs them */
  private readonly later: (() => LoadedFont)[];
  private opened?: LoadedFont[];
  private system?: IndexedFace[];
  private readonly decided = new Map<string, LoadedFont | null>();
  private readonly used: Substitutions = { byFont: new Map(), missing: new Set() };
  /** every font the chain has handed out, by key, for the renderer */
  readonly fonts = new Map<string, LoadedFont>();

  constructor(
    fonts: FontSet,
    template: Template,
    private readonly options: FallbackOptions = {},
  ) {
    const folderFonts = indexFonts([...(options.fontFolders ?? []), ...template.fontFolders], undefined).map((f) => openFontFile(f.file, f.face));
    this.fixed = [...new Set([...fonts.fallbacks, ...Object.values(fonts.roles)])];
    this.later = [() => loadFont(EMOJI_FONT, template), ...folderFonts.map((f) => () => f)];
    for (const f of [...Object.values(fonts.roles), ...fonts.fallbacks]) this.fonts.set(f.key, f);
  }

  private get emoji(): LoadedFont {
    return this.more()[0];
  }

  private more(): LoadedFont[] {
    return (this.opened ??= this.later.map((open) => open()));
  }

  fontFor(primary: FontMetrics, cluster: string): FontMetrics | undefined {
    // An emoji asked for in emoji style (VS16) takes the emoji font before a text font's glyph.
    const emojiStyle = cluster.includes('\ufe0f') && coversCluster(this.emoji, cluster);
    if (!emojiStyle && coversCluster(primary, cluster)) return primary;
    const key = `${primary.key}\u0000${cluster}`;
    let font = this.decided.get(key);
    if (font === undefined) {
      font = (emojiStyle ? this.emoji : this.closest(primary, cluster)) ?? null;
      this.decided.set(key, font);
      if (font) {
        this.fonts.set(font.key, font);
        const set = this.used.byFont.get(font) ?? new Set<string>();
        this.used.byFont.set(font, set.add(cluster));
      } else this.used.missing.add(cluster);
    }
    return font ?? undefined;
  }

  /** What was substituted and what was left out, so far. */
  substitutions(): Substitutions {
    return this.used;
  }

  /**
   * Of the faces that have the cluster, the one most like the run's own
   * (face-style.ts), the chain's order deciding between equals: the
   * template's and the named folders' fonts, then, only where none of those
   * is a face like the run's, the machine's.
   */
  private closest(primary: FontMetrics, cluster: string): LoadedFont | undefined {
    const want = primary instanceof LoadedFont ? primary.style : undefined;
    const cost = (style: FaceStyle) => (want ? unlikeness(want, style) : 0);
    let mine: LoadedFont | undefined;
    let mineCost = Infinity;
    // The emoji and folder fonts are opened only when the template's own have no face like the run's.
    for (const fonts of [() => this.fixed, () => this.more()]) {
      for (const f of fonts()) {
        if (f === primary || !coversCluster(f, cluster)) continue;
        const c = cost(f.style);
        if (c < mineCost) [mine, mineCost] = [f, c];
      }
      if (mineCost === 0) return mine;
    }
    return this.fromSystem(cluster, cost, mineCost) ?? mine;
  }

  /** The machine's face most like the run's among those with the cluster, if one costs less than `below`. */
  private fromSystem(cluster: string, cost: (style: FaceStyle) => number, below: number): LoadedFont | undefined {
    if (this.options.systemFonts === false) return undefined;
    this.system ??= indexFonts(systemFontFolders(), path.join(userCacheFolder(), 'system-fonts.json'));
    const cps = [...cluster].filter((ch) => !RIDES_ALONG.test(ch)).map((ch) => ch.codePointAt(0)!);
    let face: IndexedFace | undefined;
    let faceCost = below;
    for (const f of this.system) {
      if (!cps.every((cp) => rangesHave(f.ranges, cp))) continue;
      const c = cost(f.style);
      if (c < faceCost) [face, faceCost] = [f, c];
    }
    if (!face) return undefined;
    try {
      return openFontFile(face.file, face.face);
    } catch {
      return undefined;
    }
  }
}
