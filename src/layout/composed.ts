/**
 * Paragraphs composed once per process: a rebuild (bulletin build --watch)
 * composes again only the paragraphs an edit changed. The composer is pure,
 * so its lines depend only on the text, the run styles' values and the
 * settings; what it asked the font fallback is remembered too and asked
 * again on a hit, so that the build's fallback chain knows the fonts the
 * lines use (the renderer embeds them, the notes name them).
 */
import { composeParagraph } from '../compose/paragraph.js';
import type { ComposeSettings, ComposedLine, FontFallback, FontMetrics, RunStyle, StyledText } from '../compose/types.js';

interface Entry {
  lines: ComposedLine[];
  /** the clusters the fallback was asked about whose answer was not the run's own font */
  asked: [FontMetrics, string][];
}

/** Enough for a few issues' paragraphs; past it the oldest go. */
const LIMIT = 50_000;
const entries = new Map<string, Entry>();

const styleKey = (s: RunStyle) => `${s.font.key}\u0001${s.size}\u0001${s.colour.rgb}\u0001${s.colour.cmyk.join(',')}\u0001${s.link ?? ''}\u0001${s.fallback ? 1 : 0}`;

export function composeRemembered(text: StyledText[], settings: ComposeSettings): ComposedLine[] {
  const key = JSON.stringify([settings, text.map((t) => [t.text, styleKey(t.style)])]);
  const fallback = text.find((t) => t.style.fallback)?.style.fallback;
  const hit = entries.get(key);
  if (hit) {
    for (const [primary, cluster] of hit.asked) fallback?.fontFor(primary, cluster);
    return hit.lines;
  }
  const asked: [FontMetrics, string][] = [];
  const recorders = new Map<FontFallback, FontFallback>();
  const recording = (fb: FontFallback): FontFallback => {
    let r = recorders.get(fb);
    if (!r) {
      r = {
        fontFor: (primary, cluster) => {
          const font = fb.fontFor(primary, cluster);
          if (font !== primary) asked.push([primary, cluster]);
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
  const lines = composeParagraph(recorded, settings);
  if (entries.size >= LIMIT) entries.delete(entries.keys().next().value!);
  entries.set(key, { lines, asked });
  return lines;
}
