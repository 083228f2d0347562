/**
 * Paragraphs composed once: a rebuild composes again only the paragraphs an
 * edit changed — in one process (bulletin build --watch), and from one build
 * to the next through a file in the output folder's cache. The composer is
 * pure, so its lines depend only on the text, the run styles' values, the
 * settings, the fonts and the composer's own code; the file is used only
 * while the last two are unchanged. What the composer asked the font
 * fallback is remembered too and asked again on a hit, so that the build's
 * fallback chain knows the fonts the lines use (the renderer embeds them,
 * the notes name them).
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import v8 from 'node:v8';
import { composeParagraph } from '../compose/paragraph.js';
import { writeFileAtomically } from '../output/write.js';
import { fileStamp } from '../source/files.js';
import type { ComposeSettings, ComposedLine, FontFallback, FontMetrics, RunStyle, StyledText } from '../compose/types.js';

interface Entry {
  lines: ComposedLine[];
  /** the clusters the fallback was asked about whose answer was not the run's own font (by font key when read from the file) */
  asked: [FontMetrics | string, string][];
}

/** Enough for a few issues' paragraphs; past it the oldest go. */
const LIMIT = 50_000;
const entries = new Map<string, Entry>();
/** the entries the build in progress used: what the file keeps for the next one */
let used = new Set<string>();
/** the keys the file held when read (the file need not be written again when a build used exactly these) */
let onDisk = new Set<string>();

const styleKey = (s: RunStyle) => `${s.font.key}\u0001${s.size}\u0001${s.colour.rgb}\u0001${s.colour.cmyk.join(',')}\u0001${s.link ?? ''}\u0001${s.fallback ? 1 : 0}`;

export function composeRemembered(text: StyledText[], settings: ComposeSettings): ComposedLine[] {
  const key = JSON.stringify([settings, text.map((t) => [t.text, styleKey(t.style)])]);
  const fallback = text.find((t) => t.style.fallback)?.style.fallback;
  const hit = entries.get(key);
  const fonts = new Map(text.map((t) => [t.style.font.key, t.style.font]));
  const asked = hit?.asked.map(([f, cluster]) => [typeof f === 'string' ? fonts.get(f) : f, cluster] as const);
  if (hit && asked!.every(([f]) => f)) {
    for (const [primary, cluster] of asked!) fallback?.fontFor(primary!, cluster);
    used.add(key);
    return hit.lines;
  }
  const recordedAsked: [FontMetrics, string][] = [];
  const recorders = new Map<FontFallback, FontFallback>();
  const recording = (fb: FontFallback): FontFallback => {
    let r = recorders.get(fb);
    if (!r) {
      r = {
        fontFor: (primary, cluster) => {
          const font = fb.fontFor(primary, cluster);
          if (font !== primary) recordedAsked.push([primary, cluster]);
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
  entries.set(key, { lines, asked: recordedAsked });
  used.add(key);
  return lines;
}

interface Saved {
  /** the composer's code and the fonts' files, as they were */
  fingerprint: string;
  fonts: Record<string, string>;
  entries: [string, ComposedLine[], [string, string][]][];
}

/** The code whose change changes what the composer makes: compiled (.js) in a build, sources (.ts) under the tests. */
const CODE = ['../compose', '../fonts', './composed'].map((p) => fileURLToPath(new URL(p, import.meta.url)));
let fingerprint: string | undefined;
function codeFingerprint(): string {
  if (!fingerprint) {
    const hash = crypto.createHash('sha256');
    for (const p of CODE) {
      const files = fs.existsSync(p) ? fs.readdirSync(p).sort().map((f) => path.join(p, f)) : ['.js', '.ts'].map((ext) => p + ext).filter((f) => fs.existsSync(f));
      for (const f of files) hash.update(f).update(fs.readFileSync(f));
    }
    fingerprint = hash.digest('hex');
  }
  return fingerprint;
}

/** A font file as it is now (a font key is its path, with #face for a collection's). */
const stamp = (fontKey: string) => fileStamp(fontKey.replace(/#\d+$/, ''));

/**
 * Before a build: starts counting what it uses and, if this process has
 * composed nothing yet, reads what the last build in `file` composed (when
 * the composer and the fonts it used are unchanged; otherwise nothing).
 */
export function beginCompositions(file: string): void {
  used = new Set();
  if (entries.size > 0) return;
  let saved: Saved;
  try {
    saved = v8.deserialize(fs.readFileSync(file)) as Saved;
  } catch {
    return;
  }
  if (saved.fingerprint !== codeFingerprint() || Object.entries(saved.fonts).some(([key, was]) => stamp(key) !== was)) return;
  for (const [key, lines, asked] of saved.entries) entries.set(key, { lines, asked });
  onDisk = new Set(saved.entries.map(([key]) => key));
}

/** After a build: keeps in `file` what it composed, for the next build in another process. */
export function saveCompositions(file: string): void {
  if (used.size === onDisk.size && [...used].every((k) => onDisk.has(k))) return;
  onDisk = new Set(used);
  const fonts: Record<string, string> = {};
  const kept: Saved['entries'] = [];
  for (const key of used) {
    const e = entries.get(key)!;
    for (const l of e.lines) for (const r of l.runs) fonts[r.font] ??= stamp(r.font);
    for (const [f] of e.asked) {
      const k = typeof f === 'string' ? f : f.key;
      fonts[k] ??= stamp(k);
    }
    kept.push([key, e.lines, e.asked.map(([f, c]) => [typeof f === 'string' ? f : f.key, c])]);
  }
  writeFileAtomically(file, v8.serialize({ fingerprint: codeFingerprint(), fonts, entries: kept } satisfies Saved));
}
