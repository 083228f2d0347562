/**
 * Composer step 1: styled text → atoms, the units lines are made of: one Han
 * character or punctuation mark, one Latin word (letters, digits and the
 * signs that cling to them), or an unbreakable —— / …… pair. Spaces become
 * a flag on the atom after them; `\n` splits the paragraph into segments.
 */
import { requirePackage } from '../packages.js';
import { classify, SET_TO_INK, type CharClass } from './classify.js';
import { hyphenPoints } from './hyphenate.js';
import type { ComposeSettings, FontMetrics, RunStyle, StyledText } from './types.js';

const LineBreaker = requirePackage('linebreak') as typeof import('linebreak');

export interface Atom {
  text: string;
  cls: CharClass;
  style: RunStyle;
  /** a space (of this width in em of the atom's font) stood before this atom in the source */
  spaceBefore: number;
  /** continues the previous atom's word (a style change inside a word, or a piece of a split word) */
  joinPrev: boolean;
  /** with joinPrev: may the line break here? `uax14` inside words (Latch-|up), `url` after a URL's / . - ? & = _ @,
   *  `hyphen` where Latin text's hyphenation patterns allow (a hyphen is then set), `char` anywhere in a URL or a
   *  long word, as an emergency */
  wordBreak?: WordBreak;
  /** OpenType features the atom is shaped with */
  features?: readonly string[];
  /** the characters the atom stands for, where its glyphs draw others (a superscript ⁶ drawn as a small raised 6): copied text gives these */
  stands?: string;
}

export type WordBreak = 'uax14' | 'url' | 'hyphen' | 'char';

const URL_BREAK_AFTER = /[/.\-?&=_@]/;

/** —— and ⸺ are set 2 em wide, from the font's full-width form. */
const FULL_WIDTH_DASH = ['fwid'] as const;

const graphemes = new Intl.Segmenter('zh', { granularity: 'grapheme' });
/** Code points that may join the one before them into a cluster; text without any is split by code point, much faster. */
const CLUSTERING = /[\p{M}\u200c\u200d\ufe00-\ufe0f\u1100-\u11ff\r\u{1f1e6}-\u{1f1ff}\u{1f3fb}-\u{1f3ff}\u{e0020}-\u{e007f}\u{e0100}-\u{e01ef}]/u;

/** Grapheme clusters: an emoji sequence or a character with its variation selector is one unit. */
export function clusters(text: string): string[] {
  return CLUSTERING.test(text) ? Array.from(graphemes.segment(text), (g) => g.segment) : [...text];
}

/** Marks that take no space before them: after a left-out character, its space goes too. */
const NO_SPACE_BEFORE = /^[,.;:!?)\]}%、，。：；！？）》」』]/;

/** Curly quotes and apostrophes: in Latin text, part of the word they touch and set proportionally. */
const LATIN_QUOTES = /^[‘’“”]$/;
/** The proportional forms of a CJK font's quotes (its own are one em wide). */
const PROPORTIONAL = ['pwid'] as const;

/** Splits styled text into segments (at forced line breaks) of atoms; `latin`: the rules of Latin-script text (compose/types.ts). */
export function collect(runs: StyledText[], latin?: ComposeSettings['latin']): Atom[][] {
  const segments: Atom[][] = [[]];
  let pendingSpace = 0;
  let prevClass: CharClass | undefined;
  let dropped = false;
  const substitute = fallbackStyles();
  for (const text of runs) {
    const chars = clusters(text.text);
    for (let i = 0; i < chars.length; i++) {
      const ch = chars[i];
      const atoms = segments[segments.length - 1];
      if (ch === '\n') {
        segments.push([]);
        pendingSpace = 0;
        prevClass = undefined;
        continue;
      }
      const quote = !!latin && LATIN_QUOTES.test(ch);
      const cls = quote ? 'latin' : classify(ch);
      if (cls === 'space') {
        if (atoms.length) pendingSpace = text.style.font.advance(32);
        prevClass = 'space';
        continue;
      }
      // Invisible format characters and characters no font has are left out
      // (the font chain records the latter for the coverage warnings).
      if (/^(\p{Cc}|\p{Cf})+$/u.test(ch)) continue;
      const script = scriptForm(text.style, ch);
      const style = script?.style ?? substitute(text.style, ch);
      if (!style) {
        dropped = true;
        continue;
      }
      if (dropped && NO_SPACE_BEFORE.test(ch)) pendingSpace = 0;
      dropped = false;
      const last = atoms[atoms.length - 1];
      const sameRunWord = last && prevClass === 'latin' && cls === 'latin';
      // ± × ÷ are set to their ink (prepare.ts): an atom of their own, glued to the word around them.
      const apart = SET_TO_INK.test(ch) || (last && SET_TO_INK.test(last.text));
      if (sameRunWord && last.style === style && !apart) {
        last.text += script?.base ?? ch;
        if (script) last.stands += ch;
        if (quote) last.features = PROPORTIONAL;
      } else if ((ch === '—' || ch === '…') && last && last.text === ch && last.style === style) {
        last.text += ch; // —— and …… are one unbreakable unit
        if (ch === '—') last.features = FULL_WIDTH_DASH;
      } else {
        const atom: Atom = { text: script?.base ?? ch, cls, style, spaceBefore: pendingSpace, joinPrev: !!sameRunWord, features: ch === '\u2e3a' ? FULL_WIDTH_DASH : quote ? PROPORTIONAL : undefined };
        if (script) atom.stands = ch;
        atoms.push(atom);
      }
      pendingSpace = 0;
      prevClass = cls;
    }
  }
  return segments.map((atoms) => splitWords(atoms, latin));
}

/** The style to set a cluster in: the run's own, or the same with the font the fallback chain picks. */
function fallbackStyles(): (style: RunStyle, cluster: string) => RunStyle | undefined {
  const derived = new Map<RunStyle, Map<FontMetrics, RunStyle>>();
  return (style, cluster) => {
    const font = style.fallback ? style.fallback.fontFor(style.font, cluster) : [...cluster].every((c) => style.font.covers(c.codePointAt(0)!)) ? style.font : undefined;
    if (font === style.font) return style;
    if (!font) return undefined;
    let byFont = derived.get(style);
    if (!byFont) derived.set(style, (byFont = new Map()));
    let s = byFont.get(font);
    if (!s) byFont.set(font, (s = { ...style, font }));
    return s;
  };
}

/** Superscript and subscript digits and signs, and what each is drawn as when the run's font lacks it. */
const SCRIPTS = new Map<string, { base: string; up: boolean }>([
  ...[...'⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻⁼⁽⁾'].map((ch, i) => [ch, { base: '0123456789+\u2212=()'[i], up: true }] as const),
  ...[...'₀₁₂₃₄₅₆₇₈₉₊₋₌₍₎'].map((ch, i) => [ch, { base: '0123456789+\u2212=()'[i], up: false }] as const),
]);
/** A drawn superscript or subscript: its size, and its baseline's shift, in ems of the run. */
const SCRIPT_SIZE = 0.62;
const SUPERSCRIPT_RISE = 0.36;
const SUBSCRIPT_DROP = 0.12;
const scriptStyles = new WeakMap<RunStyle, Map<boolean, RunStyle>>();

/**
 * 10⁶ and CO₂ where the run's font has no ⁶ or ₂: the run's own digit,
 * scaled and raised or lowered, as typesetters draw them (a fallback font's
 * glyph would be of another design and weight). Undefined: the font has the
 * character, or not even the digit.
 */
function scriptForm(style: RunStyle, ch: string): { style: RunStyle; base: string } | undefined {
  const form = SCRIPTS.get(ch);
  if (!form || style.font.covers(ch.codePointAt(0)!)) return undefined;
  const base = form.base === '\u2212' && !style.font.covers(0x2212) ? '-' : form.base;
  if (!style.font.covers(base.codePointAt(0)!)) return undefined;
  return { style: scriptStyle(style, form.up), base };
}

/** The style of a superscript (`up`) or subscript in a run of `style`: smaller, its baseline raised or lowered. */
export function scriptStyle(style: RunStyle, up: boolean): RunStyle {
  let forms = scriptStyles.get(style);
  if (!forms) scriptStyles.set(style, (forms = new Map()));
  let scripted = forms.get(up);
  if (!scripted) forms.set(up, (scripted = { ...style, size: style.size * SCRIPT_SIZE, rise: (style.rise ?? 0) + style.size * (up ? SUPERSCRIPT_RISE : -SUBSCRIPT_DROP) }));
  return scripted;
}

const URL_LIKE = /:\/\/|^www\.|@[^@]+\./;

/** A word this long may break between any two letters rather than run past the measure. */
const LONG_WORD = 16;

/** Numbers as they are written: a phone number, a time, figures with / alternatives (0756-3312456/3312457). */
const NUMBER_LIKE = /^[\d.,:+\-/()（）]+$/;
export const numberLike = (word: string) => NUMBER_LIKE.test(word);

/** May this word break between any two letters (a URL, an e-mail address, a long word — never a number)? */
export function breaksAnywhere(word: string): boolean {
  return URL_LIKE.test(word) || ([...word].length >= LONG_WORD && !NUMBER_LIKE.test(word));
}

/**
 * Splits words where a line may break inside them: URLs and e-mail addresses
 * after / . - ? & = _ @, other words where UAX #14 allows, and, with
 * `hyphenation`, where that language's patterns allow (never in a segment's
 * last word: a paragraph does not end on a piece of a word); and, as an
 * emergency, URLs and long words between any two characters.
 */
function splitWords(atoms: Atom[], latin?: ComposeSettings['latin']): Atom[] {
  const hyphenation = latin?.hyphenation;
  const out: Atom[] = [];
  // The atoms of the segment's last word.
  let last = atoms.length - 1;
  while (last >= 0 && !(atoms[last].cls === 'latin' && /\p{L}/u.test(atoms[last].text))) last--;
  while (last > 0 && atoms[last].joinPrev) last--;
  atoms.forEach((a, index) => {
    if (a.cls !== 'latin' || a.text.length < 3 || a.stands) {
      out.push(a);
      return;
    }
    const chars = clusters(a.text);
    const url = URL_LIKE.test(a.text);
    const cuts = new Map<number, WordBreak>();
    const hyphens = hyphenation && index < last && !url ? hyphenPoints(a.text, hyphenation) : [];
    // In Latin text a long word is hyphenated, cut without a hyphen only where it has no hyphenation point; an address may be cut anywhere.
    if (url || (breaksAnywhere(a.text) && !hyphens.length)) for (let i = 1; i < chars.length; i++) cuts.set(i, 'char');
    if (url) {
      chars.forEach((ch, i) => URL_BREAK_AFTER.test(ch) && cuts.set(i + 1, 'url'));
    } else if (NUMBER_LIKE.test(a.text)) {
      // A number breaks only between its / alternatives, as a last resort.
      chars.forEach((ch, i) => ch === '/' && cuts.set(i + 1, 'url'));
    } else {
      // UAX #14 gives UTF-16 offsets; map them to cluster indices.
      const at = new Map<number, number>();
      chars.reduce((offset, ch, i) => (at.set(offset, i), offset + ch.length), 0);
      const breaker = new LineBreaker(a.text);
      for (let b = breaker.nextBreak(); b; b = breaker.nextBreak()) if (at.has(b.position)) cuts.set(at.get(b.position)!, 'uax14');
      for (const p of hyphens) if (at.has(p) && cuts.get(at.get(p)!) !== 'uax14') cuts.set(at.get(p)!, 'hyphen');
    }
    let from = 0;
    for (const cut of [...[...cuts.keys()].filter((c) => c > 0 && c < chars.length).sort((x, y) => x - y), chars.length]) {
      const first = from === 0;
      out.push({ ...a, text: chars.slice(from, cut).join(''), spaceBefore: first ? a.spaceBefore : 0, joinPrev: first ? a.joinPrev : true, wordBreak: first ? a.wordBreak : cuts.get(from) });
      from = cut;
    }
  });
  return out;
}
