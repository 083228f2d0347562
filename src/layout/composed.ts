/**
 * Paragraphs composed once, and texts measured once (table columns, chart
 * labels): a rebuild composes again only the paragraphs an edit changed —
 * in one process (bulletin build --watch), and from one build to the next
 * through a file in the output folder's cache. The composer is pure, so its
 * lines and widths depend only on the text, the run styles' values, the
 * settings, the fonts and the composer's own code; the file is used only
 * while the last two are unchanged. What the composer asked the font
 * fallback is remembered too, with its answers, and asked again on a hit:
 * the hit holds only while every answer is the same (another --font-path may
 * set a character in another font now), and the build's fallback chain
 * learns the fonts the lines use (the renderer embeds them, the notes name
 * them).
 */
import { fileURLToPath } from 'node:url';
import { composeParagraph, measureText, unbreakableWidth } from '../compose/paragraph.js';
import { KeptBetweenBuilds } from '../cache/kept.js';
import { fileStamp } from '../source/files.js';
import { codeFingerprint } from '../cache/fingerprint.js';
import type { ComposeSettings, ComposedLine, FontFallback, FontMetrics, RunStyle, StyledText } from '../compose/types.js';

interface Entry {
  /** a paragraph's lines, or a text's width */
  value: ComposedLine[] | number;
  /** the keys of the fonts the value depends on (besides those in `asked`) */
  fonts: string[];
  /**
   * the clusters the fallback was asked about whose answer was not the run's
   * own font (by font key when read from the file), with the key of the font
   * it answered (none: no font has it)
   */
  asked: [FontMetrics | string, string, string | null][];
}

/** Enough for a few issues' paragraphs; past it the oldest go. */
const LIMIT = 50_000;

/** What the saved entries were made with: the composer's code, and the files of the fonts they used as they were. */
interface Stamp {
  fingerprint: string;
  fonts: Record<string, string>;
}

/** The code whose change changes what the composer makes. */
const CODE = ['../compose', '../fonts', './composed'].map((p) => fileURLToPath(new URL(p, import.meta.url)));

/** A font file as it is now (a font key is its path, with #face for a collection's). */
const stamp = (fontKey: string) => fileStamp(fontKey.replace(/#\d+$/, ''));

const kept = new KeptBetweenBuilds<Entry, Stamp>({
  kind: 'compositions',
  stamp: (saved) => {
    const fonts: Record<string, string> = {};
    for (const e of saved) for (const k of [...e.fonts, ...e.asked.map(([f]) => f as string)]) fonts[k] ??= stamp(k);
    return { fingerprint: codeFingerprint(CODE), fonts };
  },
  stillHolds: (s) => s?.fingerprint === codeFingerprint(CODE) && Object.entries(s.fonts).every(([key, was]) => stamp(key) === was),
  // The fallback's answers by font key: a font object is this process's.
  forFile: (e) => ({ ...e, asked: e.asked.map(([f, c, answer]) => [typeof f === 'string' ? f : f.key, c, answer]) }),
});
const entries = kept.entries;

/**
 * Before a build: if this process has composed nothing yet, reads what the
 * last build in `file` composed (when the composer and the fonts it used are
 * unchanged; otherwise nothing).
 */
export const beginCompositions = (file: string) => kept.begin(file);
/** After a build: keeps in `file` what it composed, for the next build in another process. */
export const saveCompositions = (file: string) => kept.save(file);

const styleKey = (s: RunStyle) => `${s.font.key}\u0001${s.size}\u0001${s.colour.rgb}\u0001${s.colour.cmyk.join(',')}\u0001${s.link ?? ''}\u0001${s.fallback ? 1 : 0}\u0001${s.rise ?? 0}\u0001${s.clings ? 1 : 0}`;

/** A paragraph's lines, composed once for these runs and settings. */
export function composeRemembered(text: StyledText[], settings: ComposeSettings): ComposedLine[] {
  const key = JSON.stringify(['lines', settings, text.map((t) => [t.text, styleKey(t.style)])]);
  const fonts = (lines: ComposedLine[]) => [...new Set(lines.flatMap((l) => l.runs.map((r) => r.font)))];
  return remembered(key, text, (recorded) => composeParagraph(recorded, settings), fonts);
}

/** The width of a text set on one line (its widest line where it has breaks), measured once. */
export function measureRemembered(text: StyledText[]): number {
  const key = JSON.stringify(['width', text.map((t) => [t.text, styleKey(t.style)])]);
  return remembered(key, text, measureText, () => [...new Set(text.map((t) => t.style.font.key))]);
}

/** The widest stretch of a text no line may break (paragraph.ts), measured once. */
export function unbreakableRemembered(text: StyledText[], settings: ComposeSettings): number {
  const key = JSON.stringify(['unbreakable', settings, text.map((t) => [t.text, styleKey(t.style)])]);
  return remembered(key, text, (recorded) => unbreakableWidth(recorded, settings), () => [...new Set(text.map((t) => t.style.font.key))]);
}

/** `make`'s value for `text`, remembered under `key` with the fonts it depends on and the fallback questions it asked. */
function remembered<T extends ComposedLine[] | number>(key: string, text: StyledText[], make: (recorded: StyledText[]) => T, fontsOf: (value: T) => string[]): T {
  const fallback = text.find((t) => t.style.fallback)?.style.fallback;
  const hit = entries.get(key);
  const fonts = new Map(text.map((t) => [t.style.font.key, t.style.font]));
  const asked = hit?.asked.map(([f, cluster, answer]) => [typeof f === 'string' ? fonts.get(f) : f, cluster, answer] as const);
  // A hit holds only while the fallback answers as it did: another --font-path or machine font may set a character now.
  if (hit && asked!.every(([f]) => f) && asked!.every(([primary, cluster, answer]) => (fallback?.fontFor(primary!, cluster)?.key ?? null) === answer)) {
    kept.use(key);
    return hit.value as T;
  }
  const recordedAsked: [FontMetrics, string, string | null][] = [];
  const recorders = new Map<FontFallback, FontFallback>();
  const recording = (fb: FontFallback): FontFallback => {
    let r = recorders.get(fb);
    if (!r) {
      r = {
        fontFor: (primary, cluster) => {
          const font = fb.fontFor(primary, cluster);
          if (font !== primary) recordedAsked.push([primary, cluster, font?.key ?? null]);
          return font;
        },
      };
      recorders.set(fb, r);
    }
    return r;
  };
  // One recording style per style object, so that the composer still sees which runs share a style.
  const styles = new Map<RunStyle, RunStyle>();
  const recorded = text.map((t) => {
    if (!t.style.fallback) return t;
    let s = styles.get(t.style);
    if (!s) styles.set(t.style, (s = { ...t.style, fallback: recording(t.style.fallback) }));
    return { text: t.text, style: s };
  });
  const value = make(recorded);
  if (entries.size >= LIMIT) entries.delete(entries.keys().next().value!);
  kept.set(key, { value, fonts: fontsOf(value), asked: recordedAsked });
  return value;
}

