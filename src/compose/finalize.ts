/**
 * Composer step 4: chosen breaks → lines of positioned glyph runs. Each
 * non-final line of a justified paragraph is brought to the measure:
 * shrinking in the order of clreq §3, stretching evenly.
 */
import { LATIN_SHRINK, type LineFit } from './linebreak.js';
import { stretches, type Prepared } from './prepare.js';
import type { ComposeSettings, ComposedLine, GlyphRun, LinkSpan } from './types.js';

export function finalize(p: Prepared, lines: LineFit[], settings: ComposeSettings, width: (line: number) => number, indent: (line: number) => number): ComposedLine[] {
  return lines.map((fit, li) => setLine(p, fit, settings, width(li), indent(li), li === lines.length - 1));
}

/** `segmentEnd`: the last line before a forced break or the paragraph's end, which is not justified. */
function setLine(p: Prepared, fit: LineFit, settings: ComposeSettings, avail: number, indent: number, segmentEnd: boolean): ComposedLine {
  const { from, to } = fit;
  const n = to - from;
  // Per item: extra space before it (gap adjustment) and its own trims.
  const gapWidth = new Array<number>(n).fill(0);
  const trimL = new Array<number>(n).fill(0);
  const trimR = new Array<number>(n).fill(0);
  for (let j = 0; j < n; j++) {
    const it = p.items[from + j];
    trimL[j] = it.trimLeft;
    trimR[j] = it.trimRight;
    if (j > 0) gapWidth[j] = p.gaps[from + j].natural;
  }
  trimL[0] += fit.startTrim;
  trimR[n - 1] += fit.endTrim;

  let slack = avail - fit.natural;
  // Any line that is too long shrinks (line breaking counted on it); only justified lines stretch.
  if (slack < 0) slack = shrink(p, from, n, -slack, gapWidth, trimL, trimR, !!settings.latin);
  else if (settings.align === 'justify' && !segmentEnd && slack > 0) slack = stretch(p, from, slack, gapWidth);

  let x = indent;
  if (settings.align === 'center') x += Math.max(0, slack) / 2;
  if (settings.align === 'right') x += Math.max(0, slack);

  // Runs of glyphs that pdfkit can draw in one go: same font, and every glyph
  // at its natural advance plus one constant spacing (which pdfkit adds after
  // every glyph, so a run with spacing holds single characters only).
  const runs: GlyphRun[] = [];
  const open: { end: number; count: number; singles: boolean }[] = [];
  const links: LinkSpan[] = [];
  let size = 0;
  for (let j = 0; j < n; j++) {
    const it = p.items[from + j];
    const st = it.atom.style;
    x += gapWidth[j];
    const drawX = x - trimL[j];
    // The last piece of a word broken at the line's end is as wide as its own glyphs (linebreak.ts).
    const own = j === n - 1 && p.items[to]?.atom.joinPrev && it.alone !== undefined ? it.alone : it.advance;
    const boxW = own - trimL[j] - trimR[j];
    size = Math.max(size, st.size);
    if (st.link) {
      const l = links[links.length - 1];
      if (l && l.url === st.link && j > 0 && p.items[from + j - 1].atom.style.link === st.link) l.width = x + boxW - l.x;
      else links.push({ x, width: boxW, url: st.link });
    }
    const link = st.link ? links.length - 1 : undefined;
    // A space the source had is written into the run after it (renderer), so that copied text keeps it.
    const spaceBefore = j > 0 && it.atom.spaceBefore > 0;
    const single = [...it.atom.text].length === 1;
    const run = runs[runs.length - 1];
    const o = open[open.length - 1];
    let joined = false;
    // The atom's glyphs, shaped when it was measured, from where it is drawn.
    const place = (r: GlyphRun) => {
      let pen = drawX - r.x;
      const shaped = st.font.shape(it.atom.text, it.atom.features);
      // Glyphs drawn for other characters (a raised 6 for ⁶) copy as those characters, one for one.
      const stands = it.atom.stands ? [...it.atom.stands].map((c) => [c.codePointAt(0)!]) : undefined;
      shaped.forEach((g, k) => {
        const codePoints = stands ? (shaped.length === stands.length ? stands[k] : k === 0 ? stands.flat() : []) : g.codePoints;
        r.glyphs.push({ id: g.id, codePoints, advance: g.advance * st.size, x: pen + g.dx * st.size, y: g.dy * st.size + (st.rise ?? 0) });
        pen += g.xAdvance * st.size;
      });
    };
    if (run && !spaceBefore && run.link === link && run.font === st.font.key && run.size === st.size && run.colour === st.colour && run.features === it.atom.features) {
      const spacing = drawX - o.end;
      const flat = Math.abs(spacing) < 1e-6;
      const fits = o.count === 1 ? flat || (single && o.singles) : Math.abs(spacing - run.spacing) < 1e-6 && (flat || single);
      if (fits) {
        if (o.count === 1) run.spacing = flat ? 0 : spacing;
        run.text += it.atom.text;
        place(run);
        o.end = drawX + it.advance;
        o.count++;
        o.singles &&= single;
        joined = true;
      }
    }
    if (!joined) {
      const r: GlyphRun = { x: drawX, text: it.atom.text, glyphs: [], font: st.font.key, size: st.size, colour: st.colour, spacing: 0, features: it.atom.features };
      if (spaceBefore) r.spaceBefore = true;
      if (link !== undefined) r.link = link;
      place(r);
      runs.push(r);
      open.push({ end: drawX + it.advance, count: 1, singles: single });
    }
    x += boxW;
  }
  // A line broken inside a hyphenated word ends with a hyphen, which copies as a soft hyphen (U+00AD): the word copies whole.
  if (fit.hyphen > 0 && runs.length) {
    const st = p.items[to - 1].atom.style;
    const r = runs[runs.length - 1];
    const [g] = st.font.shape('-');
    r.glyphs.push({ id: g.id, codePoints: [0xad], advance: g.advance * st.size, x: x - r.x, y: st.rise ?? 0 });
    x += fit.hyphen;
  }
  // The space the line broke at stays in the text after its last glyph (invisible), for copying.
  if ((p.items[to]?.atom.spaceBefore ?? 0) > 0 && runs.length) runs[runs.length - 1].spaceAfter = true;
  return { runs, links, width: x, size };
}

/** Takes `need` points out of the line; returns the slack left (negative if it could not). */
function shrink(p: Prepared, from: number, n: number, need: number, gapWidth: number[], trimL: number[], trimR: number[], latin: boolean): number {
  const take = (avail: number[], apply: (j: number, amount: number) => void) => {
    const total = avail.reduce((a, b) => a + b, 0);
    if (total <= 0 || need <= 0) return;
    const f = Math.min(1, need / total);
    avail.forEach((a, j) => a > 0 && apply(j, a * f));
    need -= total * f;
  };
  const items = (j: number) => p.items[from + j];
  // 1. Western word spaces to ¼ em (in Latin text, to 0.8 of their width).
  take(gapWidth.map((g, j) => (j > 0 && p.gaps[from + j].kind === 'space' ? (latin ? g * LATIN_SHRINK : Math.max(0, g - items(j).em / 4)) : 0)), (j, a) => (gapWidth[j] -= a));
  // 2. Middle dots and brackets, then 3. ，、； and the other marks: their blank half.
  for (const kinds of [['open'], ['close']]) {
    take(
      gapWidth.map((_, j) => (j < n - 1 && kinds.includes(items(j).atom.cls) && trimL[j] === 0 && trimR[j] === 0 ? items(j).shrink : 0)),
      (j, a) => {
        if (items(j).atom.cls === 'open') trimL[j] += a;
        else trimR[j] += a;
      },
    );
  }
  // 4. Han–Western gaps to ⅛ em.
  take(gapWidth.map((g, j) => (j > 0 && p.gaps[from + j].kind === 'hanLatin' ? g / 2 : 0)), (j, a) => (gapWidth[j] -= a));
  return -need;
}

/**
 * Adds `extra` points to the line, the same to every gap that may take space
 * (between characters, at Han–Latin boundaries, word spaces): an even colour
 * keeps each gap within the ⅛ em the line breaker allowed for.
 */
function stretch(p: Prepared, from: number, extra: number, gapWidth: number[]): number {
  const takers = gapWidth.map((_, j) => j).filter((j) => j > 0 && stretches(p.gaps[from + j].kind));
  if (takers.length === 0) return extra;
  for (const j of takers) gapWidth[j] += extra / takers.length;
  return 0;
}
