/**
 * Composer step 1: styled text → atoms, the units lines are made of: one Han
 * character or punctuation mark, one Latin word (letters, digits and the
 * signs that cling to them), or an unbreakable —— / …… pair. Spaces become
 * a flag on the atom after them; `\n` splits the paragraph into segments.
 */
import LineBreaker from 'linebreak';
import { classify, type CharClass } from './classify.js';
import type { FontMetrics, RunStyle, StyledText } from './types.js';

export interface Atom {
  text: string;
  cls: CharClass;
  style: RunStyle;
  /** a space (of this width in em of the atom's font) stood before this atom in the source */
  spaceBefore: number;
  /** continues the previous atom's word (a style change inside a word, or a piece of a split word) */
  joinPrev: boolean;
  /** with joinPrev: may the line break here? `uax14` inside words (Latch-|up), `url` as a last resort */
  wordBreak?: 'uax14' | 'url';
  /** OpenType features the atom is shaped with */
  features?: readonly string[];
}

const URL_BREAK_AFTER = /[/.\-?&=_@]/;

/** —— and ⸺ are set 2 em wide, from the font's full-width form. */
const FULL_WIDTH_DASH = ['fwid'] as const;

/** Splits styled text into segments (at forced line breaks) of atoms. */
export function collect(runs: StyledText[]): Atom[][] {
  const segments: Atom[][] = [[]];
  let pendingSpace = 0;
  let prevClass: CharClass | undefined;
  const substitute = fallbackStyles();
  for (const text of runs) {
    const chars = [...text.text];
    for (let i = 0; i < chars.length; i++) {
      const ch = chars[i];
      const atoms = segments[segments.length - 1];
      if (ch === '\n') {
        segments.push([]);
        pendingSpace = 0;
        prevClass = undefined;
        continue;
      }
      const cls = classify(ch);
      if (cls === 'space') {
        if (atoms.length) pendingSpace = text.style.font.advance(32);
        prevClass = 'space';
        continue;
      }
      // Invisible format characters and characters no font has are left out
      // (the coverage check has warned about the latter).
      if (/\p{Cc}|\p{Cf}/u.test(ch)) continue;
      const style = substitute(text.style, ch.codePointAt(0)!);
      if (!style) continue;
      const last = atoms[atoms.length - 1];
      const sameRunWord = last && prevClass === 'latin' && cls === 'latin';
      if (sameRunWord && last.style === style) {
        last.text += ch;
      } else if ((ch === '—' || ch === '…') && last && last.text === ch && last.style === style) {
        last.text += ch; // —— and …… are one unbreakable unit
        if (ch === '—') last.features = FULL_WIDTH_DASH;
      } else {
        atoms.push({ text: ch, cls, style, spaceBefore: pendingSpace, joinPrev: !!sameRunWord, features: ch === '\u2e3a' ? FULL_WIDTH_DASH : undefined });
      }
      pendingSpace = 0;
      prevClass = cls;
    }
  }
  return segments.map(splitWords);
}

/** The style to set a character in: the run's own, or one with the first fallback font that has it. */
function fallbackStyles(): (style: RunStyle, cp: number) => RunStyle | undefined {
  const derived = new Map<RunStyle, Map<FontMetrics, RunStyle>>();
  return (style, cp) => {
    if (style.font.covers(cp)) return style;
    const font = style.fallbacks?.find((f) => f.covers(cp));
    if (!font) return undefined;
    let byFont = derived.get(style);
    if (!byFont) derived.set(style, (byFont = new Map()));
    let s = byFont.get(font);
    if (!s) byFont.set(font, (s = { ...style, font }));
    return s;
  };
}

const URL_LIKE = /:\/\/|^www\.|@[^@]+\./;

/**
 * Splits words where a line may break inside them: URLs and e-mail addresses
 * after / . - ? & = _ @ (a last resort), other words where UAX #14 allows.
 */
function splitWords(atoms: Atom[]): Atom[] {
  const out: Atom[] = [];
  for (const a of atoms) {
    if (a.cls !== 'latin' || a.text.length < 3) {
      out.push(a);
      continue;
    }
    const url = URL_LIKE.test(a.text);
    const cuts: number[] = [];
    if (url) {
      [...a.text].forEach((ch, i) => URL_BREAK_AFTER.test(ch) && cuts.push(i + 1));
    } else {
      const breaker = new LineBreaker(a.text);
      for (let b = breaker.nextBreak(); b; b = breaker.nextBreak()) if (b.position < a.text.length) cuts.push(b.position);
    }
    const chars = [...a.text];
    let from = 0;
    for (const cut of [...cuts.filter((c) => c > 0 && c < chars.length), chars.length]) {
      const first = from === 0;
      out.push({ ...a, text: chars.slice(from, cut).join(''), spaceBefore: first ? a.spaceBefore : 0, joinPrev: first ? a.joinPrev : true, wordBreak: first ? a.wordBreak : url ? 'url' : 'uax14' });
      from = cut;
    }
  }
  return out;
}
