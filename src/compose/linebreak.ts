/**
 * Composer step 3: choose the line breaks of a segment by total fit (the
 * Knuth–Plass idea without its glue algebra): every feasible break is tried
 * and the sequence with the least total cost wins. Costs: how far each line
 * must shrink or stretch, last-resort breaks, and a paragraph that would end
 * with a single character (clreq: pull a character down instead).
 */
import { stretches, TITLE_WHITE, type Gap, type Prepared } from './prepare.js';
import type { ComposeSettings } from './types.js';

/** The measured content of a line [from, to) with its edge adjustments applied. */
export interface LineFit {
  from: number;
  to: number;
  /** natural width after line-edge trimming */
  natural: number;
  /** blank the line can still give up */
  shrinkable: number;
  /** gaps that may take extra space */
  stretchGaps: number;
  /** trim at the start (opening bracket) and end (closing mark) of the line */
  startTrim: number;
  endTrim: number;
  /** the line's body size, in points: the unit of its stretch limit */
  em: number;
  /** width of its first font's word space, in points: Latin text's unit of stretch (0 in Chinese text) */
  space: number;
  /** width of the hyphen the line ends with (it breaks inside a hyphenated word), or 0 */
  hyphen: number;
}

const ORPHAN = 1e6;
/** Two hyphenated lines in a row (TeX's \doublehyphendemerits, on our scale). */
const DOUBLE_HYPHEN = 1000;
const OVERFLOW = 1e9;
const LINE = 10;
/** A justified line whose gaps would each take more than ⅛ em: worse than any break inside a word. */
const OVERSTRETCH = 1e6;
export const MAX_STRETCH_EM = 1 / 8;
/** Latin text: a word space stretches to 1.33 times its width and shrinks to 0.8 times. */
export const LATIN_STRETCH = 1 / 3;
export const LATIN_SHRINK = 0.2;

/** Fills `fit` with line [from, to): one object per search, copied only for a line that is chosen. */
function edges(fit: LineFit, p: Prepared, from: number, to: number, inner: number, shrinkable: number, stretchGaps: number, settings: ComposeSettings): LineFit {
  const first = p.items[from];
  const last = p.items[to - 1];
  // A closing mark at the line end is set half width (GB/T 15834); an opening one at the start may be.
  const endTrim = last.atom.cls === 'close' && last.trimRight === 0 ? last.em / 2 : 0;
  const startTrim = settings.trimOpeningAtLineStart && first.atom.cls === 'open' && first.trimLeft === 0 ? first.em / 2 : 0;
  const firstShrink = from < to - 1 && startTrim > 0 ? first.shrink : 0;
  // A line that breaks inside a hyphenated word ends with a hyphen of the word's font.
  const next = p.items[to];
  const hyphen = next?.atom.joinPrev && next.atom.wordBreak === 'hyphen' ? last.atom.style.font.advance(0x2d) * last.em : 0;
  // Broken inside a word, the line ends with its last piece as that piece is drawn alone, not kerned against the next.
  const alone = next?.atom.joinPrev && last.alone !== undefined ? last.alone - last.advance : 0;
  fit.from = from;
  fit.to = to;
  fit.natural = inner - endTrim - startTrim + hyphen + alone;
  fit.hyphen = hyphen;
  fit.space = settings.latin ? first.atom.style.font.advance(32) * first.em : 0;
  fit.shrinkable = shrinkable - firstShrink;
  fit.stretchGaps = stretchGaps;
  fit.startTrim = startTrim;
  fit.endTrim = endTrim;
  fit.em = first.em;
  return fit;
}

/** A title's last line of fewer characters than this looks left behind. */
const TITLE_MIN_LAST = 3;
const SHORT_LAST = 1e5;

function lineCost(fit: LineFit, avail: number, isLast: boolean, justify: boolean, force: boolean, title: boolean, latin: boolean): number {
  const slack = avail - fit.natural;
  if (slack < -1e-6) {
    const over = -slack;
    if (over <= fit.shrinkable + 1e-6) return LINE + 100 * (over / Math.max(fit.shrinkable, 1e-6)) ** 3;
    return fit.to - fit.from === 1 || force ? OVERFLOW + over : Infinity;
  }
  // Titles are ragged but even: each line costs the square of what it leaves empty.
  if (title) return LINE + TITLE_WHITE * (slack / fit.em) ** 2 + (isLast && fit.to - fit.from < TITLE_MIN_LAST && fit.from > 0 ? SHORT_LAST : 0);
  if (isLast || !justify) return LINE;
  // Extra space is spread evenly over the gaps (finalize.ts); up to ⅛ em each is acceptable, or in Latin text a third of a word space.
  const limit = latin ? fit.space * LATIN_STRETCH : fit.em * MAX_STRETCH_EM;
  // A line with no gap cannot stretch: it stays short, the shorter the worse.
  const perGap = fit.stretchGaps ? slack / fit.stretchGaps : slack > 0.5 ? slack : 0;
  // Past the limit: in Chinese text, worse the more a line stretches; in Latin text far worse (cubed, as TeX's badness),
  // so that an unavoidable loose line shares its white with its neighbours rather than take it all.
  if (perGap > limit + 1e-6) return OVERSTRETCH * (1 + (latin ? (perGap / limit) ** 3 : perGap / limit));
  return LINE + 100 * (perGap / limit) ** 3;
}

/** Does the line hold a single Han character, with nothing but punctuation after it? */
function lonely(p: Prepared, from: number, to: number): boolean {
  if (p.items[from].atom.cls !== 'han') return false;
  for (let i = from + 1; i < to; i++) if (/[\p{L}\p{N}]/u.test(p.items[i].atom.text)) return false;
  return true;
}

/** The chosen lines, each with its measure, in order. */
export function linebreak(p: Prepared, settings: ComposeSettings, width: (line: number) => number): LineFit[] {
  return search(p, settings, width, false) ?? search(p, settings, width, true)!;
}

/**
 * Dynamic programme over break positions. With `force`, forbidden breaks and
 * overfull lines become merely very expensive, so that something is always set.
 */
function search(p: Prepared, settings: ComposeSettings, width: (line: number) => number, force: boolean): LineFit[] | undefined {
  const n = p.items.length;
  if (n === 0) return [];
  const justify = settings.align === 'justify';
  const allowed = (g: Gap) => (g.penalty === Infinity ? (force ? OVERFLOW : Infinity) : g.penalty);
  // best[k]: least cost of setting items [0, k) with a line starting at k.
  const best = new Array<number>(n + 1).fill(Infinity);
  // chosen[k]: the last line of that best setting.
  const chosen = new Array<LineFit | undefined>(n + 1);
  const lineNo = new Array<number>(n + 1).fill(0);
  const candidate: LineFit = { from: 0, to: 0, natural: 0, shrinkable: 0, stretchGaps: 0, startTrim: 0, endTrim: 0, em: 0, space: 0, hyphen: 0 };
  const latin = !!settings.latin;
  best[0] = 0;
  for (let k = 1; k <= n; k++) {
    const isLast = k === n;
    const penalty = isLast ? 0 : allowed(p.gaps[k]);
    if (penalty === Infinity) continue;
    // Grow the line leftwards from k, keeping running sums.
    let inner = 0;
    let shrink = 0;
    let stretchGaps = 0;
    for (let i = k - 1; i >= 0; i--) {
      const it = p.items[i];
      inner += it.advance - it.trimLeft - it.trimRight;
      if (i < k - 1) {
        shrink += it.shrink;
        const g = p.gaps[i + 1];
        inner += g.natural;
        if (g.kind === 'space') shrink += latin ? g.natural * LATIN_SHRINK : Math.max(0, g.natural - p.items[i + 1].em / 4);
        if (g.kind === 'hanLatin') shrink += g.natural / 2;
        if (stretches(g.kind)) stretchGaps++;
      }
      const avail = width(lineNo[i]);
      if (inner - shrink - it.em > avail + 1e-6 && k - i > 1) break;
      // A finite best[i] means a line may end before item i.
      if (best[i] === Infinity) continue;
      const fit = edges(candidate, p, i, k, inner, shrink, stretchGaps, settings);
      let cost = lineCost(fit, avail, isLast, justify, force, !!settings.title, latin);
      if (cost === Infinity) continue;
      if (isLast && i > 0 && lonely(p, i, k)) cost += ORPHAN;
      if (fit.hyphen > 0 && chosen[i]?.hyphen) cost += DOUBLE_HYPHEN;
      const total = best[i] + cost + penalty;
      if (total < best[k]) {
        best[k] = total;
        chosen[k] = { ...fit };
        lineNo[k] = lineNo[i] + 1;
      }
    }
  }
  if (best[n] === Infinity) return undefined;
  const lines: LineFit[] = [];
  for (let k = n; k > 0; k = chosen[k]!.from) lines.push(chosen[k]!);
  return lines.reverse();
}
