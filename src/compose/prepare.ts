/**
 * Composer step 2: atoms → measured items with the glue between them.
 * Widths in points. Adjacent full-width marks lose a blank half here
 * (clreq punctuation width adjustment); what may shrink or stretch at each
 * gap, and whether a line may break there, is decided here too.
 */
import type { Atom } from './collect.js';
import { isDigit, noLineEnd, noLineStart, SET_TO_INK } from './classify.js';
import type { ComposeSettings } from './types.js';

/** `fixed`: a space the source put between Han characters (第一条 为…), set at its width, never adjusted. */
export type GapKind = 'none' | 'inter' | 'space' | 'hanLatin' | 'fixed';

/** Gaps that take their share when a justified line stretches. */
export const stretches = (kind: GapKind) => kind === 'inter' || kind === 'space' || kind === 'hanLatin';

export interface Item {
  atom: Atom;
  em: number;
  /** natural advance of the glyphs, before trimming */
  advance: number;
  /** a piece of a split word: its glyphs' own width, drawn where a line ends after it (`advance` is kerned against the next piece) */
  alone?: number;
  /** blank removed from the left/right of the glyph box (punctuation compression) */
  trimLeft: number;
  trimRight: number;
  /** blank the item may still give up when a line must shrink */
  shrink: number;
}

export interface Gap {
  kind: GapKind;
  /** natural width in points (vanishes when the line breaks here) */
  natural: number;
  /** may the line break before the item that follows? Infinity = never */
  penalty: number;
}

export interface Prepared {
  items: Item[];
  /** gaps[i] sits before items[i]; gaps[0] is unused */
  gaps: Gap[];
}

/**
 * Breaking inside a word: UAX #14 allows it but it is worth avoiding; inside
 * a URL, after its punctuation as a last resort; between any two letters of a
 * URL or a long word only where nothing else keeps the line within ⅛ em of
 * stretch per gap (see linebreak.ts).
 */
const IN_WORD = 300;
/** A hyphen at a line's end: fine now and then (TeX's \hyphenpenalty is 50). */
const HYPHEN = 50;
const URL_BREAK = 5000;
const EMERGENCY = 200_000;

/** What a symbol set to its ink keeps on either side, in em. */
const SIDE_BEARING = 0.06;

export function prepare(atoms: Atom[], settings: ComposeSettings): Prepared {
  const items: Item[] = atoms.map((a, i) => {
    const em = a.style.size;
    const font = a.style.font;
    let advance = (a.cls === 'latin' || a.text.length > 1 ? font.measure(a.text, a.features) : font.advance(a.text.codePointAt(0)!)) * em;
    const ink = SET_TO_INK.test(a.text) ? font.ink?.(a.text.codePointAt(0)!) : undefined;
    if (ink) {
      const trimLeft = Math.max(0, ink[0] - SIDE_BEARING) * em;
      const trimRight = Math.max(0, advance / em - ink[1] - SIDE_BEARING) * em;
      return { atom: a, em, advance, trimLeft, trimRight, shrink: 0 };
    }
    // A piece of a split word is drawn in one run with the rest, kerned against the piece
    // after it: its advance takes that kerning, so that the run is as wide as measured.
    const next = atoms[i + 1];
    const punct = a.cls === 'open' || a.cls === 'close';
    if (next?.joinPrev && next.style === a.style && a.cls === 'latin') {
      const kerned = (font.measure(a.text + next.text, a.features) - font.measure(next.text, a.features)) * em;
      if (kerned !== advance) return { atom: a, em, advance: kerned, alone: advance, trimLeft: 0, trimRight: 0, shrink: 0 };
    }
    return { atom: a, em, advance, trimLeft: 0, trimRight: 0, shrink: punct ? em / 2 : 0 };
  });

  // Two full-width marks side by side take 1.5 em: remove the blank half between them.
  for (let i = 1; i < items.length; i++) {
    const a = items[i - 1];
    const b = items[i];
    const pa = a.atom.cls;
    const pb = b.atom.cls;
    if (pa === 'close' && (pb === 'close' || pb === 'open')) {
      a.trimRight = a.em / 2;
      a.shrink = 0;
    } else if (pa === 'open' && pb === 'open') {
      b.trimLeft = b.em / 2;
      b.shrink = 0;
    }
  }

  const words = settings.title ? wordBreakCosts(items, !!settings.latin) : undefined;
  const gaps: Gap[] = items.map((b, i) => {
    if (i === 0) return { kind: 'none', natural: 0, penalty: Infinity };
    const a = items[i - 1];
    const gap = gapBetween(items[i - 2], a, b, settings);
    return words ? { ...gap, penalty: gap.penalty + words[i] } : gap;
  });
  return { items, gaps };
}

const chineseWords = new Intl.Segmenter('zh', { granularity: 'word' });
/** A break between words, next to a one-character word (数字|化), and inside a word (资|源池); at a phrase's edge it is free. */
const BETWEEN_WORDS = 500;
const BY_SHORT_WORD = 1000;
const INSIDE_WORD = 30_000;
/** What linebreak.ts charges a title's line per em² of white. */
export const TITLE_WHITE = 20;

/**
 * Titles: what a break before each atom costs, by the words of the text
 * (Intl.Segmenter's dictionary): nothing where a reader pauses (a space,
 * after a comma or colon, before a dash that opens a subtitle, before an opening bracket),
 * a little between two words, more next to a one-character word, much
 * inside a word — or, in a Chinese title, between the words of a Latin name
 * (HarmonyOS NEXT 5.0). Where the title has a pause, every other break costs
 * what lines a third apart in length cost more than even ones (linebreak.ts
 * charges a title's line the square of its white): the pause is taken unless
 * it leaves the lines more uneven than that.
 */
function wordBreakCosts(items: Item[], latin: boolean): number[] {
  const atoms = items.map((it) => it.atom);
  const text = atoms.map((a) => a.text).join('');
  const starts = new Map<number, number>();
  const segments = [...chineseWords.segment(text)];
  segments.forEach((s, k) => starts.set(s.index, k));
  const latinWord = (a: Atom) => a.cls === 'latin' && ALNUM.test(a.text);
  const pause = (before: Atom, a: Atom) =>
    (a.spaceBefore > 0 && (latin || !(latinWord(before) && latinWord(a)))) || before.cls === 'close' || a.cls === 'open' || a.text.startsWith('——');
  const ems = items.reduce((sum, it) => sum + it.advance / it.em, 0);
  const unpaused = atoms.some((a, i) => i > 0 && pause(atoms[i - 1], a)) ? (TITLE_WHITE * ems * ems) / 18 : 0;
  let offset = 0;
  return atoms.map((a, i) => {
    const at = offset;
    offset += a.text.length;
    if (i === 0) return 0;
    const before = atoms[i - 1];
    if (pause(before, a)) return 0;
    if (a.spaceBefore) return INSIDE_WORD;
    if (a.cls !== 'han' || before.cls !== 'han') return BETWEEN_WORDS + unpaused;
    const k = starts.get(at);
    if (k === undefined) return INSIDE_WORD;
    const short = [...segments[k - 1].segment].length < 2 || [...segments[k].segment].length < 2;
    return (short ? BY_SHORT_WORD : BETWEEN_WORDS) + unpaused;
  });
}

const ALNUM = /[\p{L}\p{N}]/u;
/** What ends a Latin run the way a digit does: 50%, 37℃ take the Han–Latin gap as 50 does. */
const UNIT_END = /[\p{L}\p{N}%‰℃℉°′″]$/u;
/** Dashes and tildes are Han-class marks, but between digits (1—6月, 1～6) they take no gaps. */
const DASH = /^[—–―～〜~]+$/;
const hanLike = (it: Item) => it.atom.cls === 'han';
const spacedLikeHan = (it: Item) => hanLike(it) && !DASH.test(it.atom.text);
const isLatin = (it: Item) => it.atom.cls === 'latin';

/** What ends a date's parts: 7月26日—7月28日 may break after its dash, never inside a date. */
const DATE_UNIT = /^[年月日]$/;
const endsInDigit = (it: Item | undefined) => !!it && isLatin(it) && isDigit(it.atom.text[it.atom.text.length - 1]);

/** The gap between items `a` and `b` (`before` stands before `a`, where there is one). */
function gapBetween(before: Item | undefined, a: Item, b: Item, settings: ComposeSettings): Gap {
  const level = settings.prohibition;
  let penalty = 0;
  if (noLineStart(b.atom.text, level) || noLineEnd(a.atom.text, level)) penalty = Infinity;
  // A digit run keeps the unit after it: 2022年, 12位, 50%.
  if (endsInDigit(a) && hanLike(b) && !b.atom.spaceBefore) penalty = Infinity;
  // A date stays whole: 7月|26日 does not break.
  if (a.atom.text === '月' && endsInDigit(before) && isDigit(b.atom.text[0]) && !b.atom.spaceBefore) penalty = Infinity;
  // A range stays whole: 1—6月, 1～6, 9:30—11:30 (a dash or tilde may not begin a line either); a range of
  // dates may break after its dash: 7月26日— / 7月28日.
  if (DASH.test(a.atom.text) && isDigit(b.atom.text[0]) && !(before && DATE_UNIT.test(before.atom.text))) penalty = Infinity;
  // A middle dot between Han characters joins a transliterated name: 漫舒·溪里.
  if (a.atom.cls === 'middot' && hanLike(b)) penalty = Infinity;

  // A footnote marker stands against the character before it, and the text goes on right after it.
  if (b.atom.style.clings) return { kind: 'none', natural: 0, penalty: Infinity };
  if (a.atom.style.clings && !b.atom.spaceBefore) return { kind: isLatin(b) ? 'none' : 'inter', natural: 0, penalty };

  if (b.atom.joinPrev) {
    const inWord = { url: URL_BREAK, uax14: IN_WORD, hyphen: HYPHEN, char: EMERGENCY, none: Infinity }[b.atom.wordBreak ?? 'none'];
    return { kind: 'none', natural: 0, penalty: Math.max(penalty, inWord) };
  }

  // Letters and digits only: brackets, signs and ASCII punctuation take no gap.
  const mixed = (spacedLikeHan(a) && isLatin(b) && ALNUM.test(b.atom.text[0])) || (isLatin(a) && spacedLikeHan(b) && UNIT_END.test(a.atom.text));
  if (mixed) {
    // ¼ em between Han and Latin; a space in the source is that gap, not added to it.
    return { kind: 'hanLatin', natural: Math.max(a.em, b.em) / 4, penalty };
  }
  if (b.atom.spaceBefore) {
    const betweenHan = !isLatin(a) && !isLatin(b);
    return { kind: betweenHan ? 'fixed' : 'space', natural: b.atom.spaceBefore * b.em, penalty };
  }
  if (isLatin(a) && isLatin(b)) return { kind: 'none', natural: 0, penalty: Infinity };
  return { kind: 'inter', natural: 0, penalty };
}
