/**
 * Charts drawn as vectors. `chartGeometry` computes everything — axes with
 * 1-2-5 ticks, bars, lines, slices, labels, legend — as boxes in the chart's
 * own coordinates, so that tests can check it (no label over another label
 * or the plot, every data point drawn); `chartBox` turns it into display
 * items for the page. The renderer only draws.
 */
import type { ComposedLine } from '../compose/types.js';
import { UserError, type Warning } from '../source/errors.js';
import type { ChartBlock } from '../model/document.js';
import type { Colour } from '../template/colour.js';
import type { DisplayItem, StructNode } from './display.js';
import type { FlowBox } from './paginate.js';
import type { ParagraphStyle, Styles } from './styles.js';
import { EM_BASELINE, lineItems, tagItems } from './text.js';
import { labelsFor, type Labels } from './labels.js';

/** Tick values from the 1-2-5 series giving about `target` intervals and covering [lo, hi]. */
export function niceTicks(lo: number, hi: number, target = 5): number[] {
  if (hi === lo) hi = lo + 1;
  const raw = (hi - lo) / target;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * mag).find((s) => s >= raw * 0.999)!;
  const first = Math.floor(lo / step + 1e-9) * step;
  const last = Math.ceil(hi / step - 1e-9) * step;
  const ticks: number[] = [];
  for (let v = first; v <= last + step / 2; v += step) ticks.push(Number(v.toPrecision(12)));
  return ticks;
}

/** Chart numbers carry at most this many decimals. */
const MAX_DECIMALS = 2;

/**
 * A number as a chart prints it: with `decimals` places (else as few as it
 * needs, at most two), and thousands separators from 10,000 on (a reader
 * counts the zeros of 80000; 1844 reads as it is).
 */
export function formatNumber(v: number, decimals?: number): string {
  const places = decimals ?? decimalsOf([v]);
  return v.toLocaleString('en-US', { minimumFractionDigits: places, maximumFractionDigits: places, useGrouping: Math.abs(v) >= 10_000 });
}

/** The decimals a series' labels all show: as many as its most precise value has, at most two (1844 and 2105.46 print 1844.00 and 2105.46). */
export function decimalsOf(values: (number | null)[]): number {
  let places = 0;
  for (const v of values) {
    if (v === null) continue;
    const fraction = /\.(\d+)$/.exec(String(Number(v.toFixed(MAX_DECIMALS))))?.[1] ?? '';
    places = Math.max(places, fraction.length);
  }
  return places;
}

export interface Box {
  x: number;
  y: number;
  w: number;
  h: number;
}

export type LabelRole = 'title' | 'unit' | 'tick' | 'category' | 'value' | 'legend' | 'note' | 'source';

export interface ChartLabel extends Box {
  role: LabelRole;
  lines: ComposedLine[];
  pitch: number;
  /** -90: set bottom to top, the box being the rotated text's extent */
  rotate?: -90;
  /** for value labels: the data point */
  series?: number;
  index?: number;
}

export type ChartMark =
  | (Box & { kind: 'bar'; colour: Colour; series: number; index: number })
  | { kind: 'point'; x: number; y: number; colour: Colour; series: number; index: number }
  | { kind: 'line'; d: string; colour: Colour; series: number; stretches: (readonly [number, number])[][] }
  | { kind: 'slice'; d: string; colour: Colour; index: number }
  | { kind: 'swatch'; x: number; y: number; w: number; h: number; colour: Colour }
  | { kind: 'rule'; x1: number; y1: number; x2: number; y2: number; strong: boolean };

export interface ChartGeometry {
  width: number;
  height: number;
  /** the plotting area (axes charts) or the circle's box (pie, donut) */
  plot: Box;
  labels: ChartLabel[];
  marks: ChartMark[];
  /** value range the axis covers, and the data range (axes charts) */
  axis?: { lo: number; hi: number; dataLo: number; dataHi: number };
  /** series whose values could not be labelled at any size or placement (none of their bars is) */
  unlabelled: string[];
  /** the height of the plot (or circle and legend), and the least it may be set at and stay readable */
  body: number;
  leastBody: number;
}

/** A chart may give up to this share of its plot's height to finish a page, down to what its categories need. */
const MIN_CHART_SCALE = 0.7;

/** Space kept between a label's text and anything else: another label, a bar, an axis, the plot's edge. */
export const CLEARANCE = 1;
/** Value labels shrink to this size, in points, before they turn or give up. */
export const VALUE_LABEL_FLOOR = 6;

/** The extent of a label's text (its glyphs' em boxes), not of the box it was set in. */
export function inkBox(l: ChartLabel): Box {
  const size = l.lines[0]?.size ?? 0;
  if (l.rotate) return { x: l.x + (l.w - size) / 2, y: l.y, w: size, h: l.h };
  const left = Math.min(...l.lines.map((line) => line.runs[0]?.x ?? 0));
  const right = Math.max(...l.lines.map((line) => line.width));
  const top = l.y + (l.pitch - size) / 2;
  return { x: l.x + left, y: top, w: right - left, h: (l.lines.length - 1) * l.pitch + size };
}

/** Distance between two boxes (negative when they overlap); a line is a box of no width or height. */
export function gap(a: Box, b: Box): number {
  return Math.max(a.x - (b.x + b.w), b.x - (a.x + a.w), a.y - (b.y + b.h), b.y - (a.y + a.h));
}

class Builder {
  labels: ChartLabel[] = [];
  marks: ChartMark[] = [];
  unlabelled: string[] = [];
  constructor(
    readonly styles: Styles,
    readonly st: ParagraphStyle,
  ) {}

  measure(s: string, st = this.st): number {
    return this.styles.measure(this.styles.plain(s, st));
  }

  /** The label style at another size, same leading. */
  sized(size: number): ParagraphStyle {
    return this.styles.sized(this.st, size);
  }

  compose(s: string, width: number, align: 'left' | 'center' | 'right', st = this.st, bold = false): ComposedLine[] {
    return this.styles.compose(this.styles.plain(s, st, bold), Math.max(width, st.size), { align });
  }

  /** A label in a box of the given width, its height from its lines. */
  label(role: LabelRole, s: string, x: number, y: number, w: number, align: 'left' | 'center' | 'right', extra: Partial<ChartLabel> = {}): ChartLabel {
    const lines = this.compose(s, w, align);
    const l: ChartLabel = { role, lines, pitch: this.st.pitch, x, y, w, h: lines.length * this.st.pitch, ...extra };
    this.labels.push(l);
    return l;
  }

  /** A one-line label whose box hugs its text: `ax` is its left, centre or right edge. */
  tight(role: LabelRole, s: string, ax: number, y: number, align: 'left' | 'center' | 'right', extra: Partial<ChartLabel> = {}): ChartLabel {
    const w = this.measure(s);
    const x = align === 'left' ? ax : align === 'center' ? ax - w / 2 : ax - w;
    return this.label(role, s, x, y, w + 0.01, 'left', extra);
  }
}

/** The least height an axes chart's plot is drawn at: two ticks two label heights apart. */
const MIN_PLOT_LINES = 4;

/**
 * The chart's geometry at its natural height, or with `body` (pagination's
 * squeeze) the plot's height wanted, kept within its readable range: 70 % of
 * the natural, what its categories need, and (axes charts) its ticks two label
 * heights apart.
 */
export function chartGeometry(block: ChartBlock, styles: Styles, width: number, labels = labelsFor(false), body?: number): ChartGeometry {
  const pitch = styles.get('table').pitch;
  const round = block.type === 'pie' || block.type === 'donut';
  const axes = !round && block.type !== 'hbar';
  let g = drawChart(block, styles, width, labels, (round ? 0.4 : 0.42) * width);
  // An axes chart whose title, unit and category names leave its plot too low grows to give it room.
  if (axes && g.plot.h < MIN_PLOT_LINES * pitch) g = drawChart(block, styles, width, labels, g.body + MIN_PLOT_LINES * pitch - g.plot.h);
  // A pie's legend whose names wrap grows it to hold them.
  const legend = g.labels.filter((l) => l.role === 'legend' && round);
  const legendHeight = legend.reduce((h, l) => h + l.h, 0);
  if (legendHeight > g.body) g = drawChart(block, styles, width, labels, legendHeight);
  const ticks = g.labels.filter((l) => l.role === 'tick' && l.x + l.w <= g.plot.x + 1e-6).length;
  const plotGives = g.plot.h - Math.max(g.plot.h * MIN_CHART_SCALE, (ticks - 1) * 2 * pitch, MIN_PLOT_LINES * pitch);
  g.leastBody = axes ? g.body - Math.max(0, plotGives) : Math.max(g.leastBody, legendHeight, g.body * MIN_CHART_SCALE);
  if (body === undefined || body >= g.body) return g;
  return { ...drawChart(block, styles, width, labels, Math.max(g.leastBody, body)), leastBody: g.leastBody };
}

/** The chart drawn with its plot (or circle and legend) `wanted` high, or as high as its categories need. */
function drawChart(block: ChartBlock, styles: Styles, width: number, labels: Labels, wanted: number): ChartGeometry {
  const label = styles.get('table');
  const b = new Builder(styles, label);
  const titleStyle = styles.get('h3');
  let top = 0;
  if (block.title) {
    const lines = b.compose(block.title, width, 'center', titleStyle, true);
    b.labels.push({ role: 'title', lines, pitch: titleStyle.pitch, x: 0, y: 0, w: width, h: lines.length * titleStyle.pitch });
    top = lines.length * titleStyle.pitch + 4;
  }
  const round = block.type === 'pie' || block.type === 'donut';
  // Room for every category: a legend line each (pie, donut) or a bar band each (hbar).
  const n = block.categories.length;
  // An hbar's band holds its category's name, on as many lines as it takes, with air around it.
  const hbarLines = block.type === 'hbar' ? Math.max(...block.categories.map((c) => b.compose(c, hbarCategoryWidth(b, block, width) - 6, 'right').length)) : 0;
  const perCategory = round ? label.pitch : block.type === 'hbar' ? Math.max(label.pitch * 1.3 * (block.series.length > 1 ? 1.6 : 1), hbarLines * label.pitch + 2 * CLEARANCE) : 0;
  const needed = n * perCategory + label.pitch * 4;
  const bodyHeight = Math.max(wanted, needed);
  let plot: Box;
  let axis: ChartGeometry['axis'];
  if (round) plot = drawRound(b, block, styles.settings.palette, { x: 0, y: top, w: width, h: bodyHeight }, labels);
  else ({ plot, axis } = drawAxes(b, block, styles.settings.palette, { x: 0, y: top, w: width, h: bodyHeight }, labels));
  let bottom = top + bodyHeight;
  if (block.series.length > 1 && !round) bottom = drawLegend(b, block.series.map((s) => s.name), styles.settings.palette, bottom + label.pitch * 0.4, width);
  const missing = missingNote(block, labels);
  if (missing) {
    const note = b.label('note', missing, 0, bottom + 2, width, 'left');
    bottom = note.y + note.h;
  }
  if (block.source) bottom = b.label('source', labels.source(block.source), 0, bottom + 2, width, 'right').y + label.pitch;
  return { width, height: bottom, plot, labels: b.labels, marks: b.marks, axis, unlabelled: b.unlabelled, body: bodyHeight, leastBody: needed };
}

/** A chart with missing values says which, under the plot: 注：金湾区（增速）无数据，图中留空。 */
export function missingNote(block: ChartBlock, labels: Labels): string | undefined {
  const named = block.series.length > 1;
  const gaps = block.series.flatMap((s) => block.categories.filter((_, i) => s.values[i] === null).map((c) => (named ? labels.gap(c, s.name) : c)));
  return gaps.length ? labels.missing(gaps) : undefined;
}

function hbarCategoryWidth(b: Builder, block: ChartBlock, width: number): number {
  return Math.min(width * 0.3, Math.max(...block.categories.map((c) => b.measure(c))) + 6);
}

/** Legend entries in rows, wrapping when they do not fit on one; returns the bottom edge. */
function drawLegend(b: Builder, names: string[], palette: Colour[], top: number, width: number): number {
  const sw = b.st.size;
  const items = names.map((n, i) => ({ n, i, w: sw * 1.4 + b.measure(n) + sw * 1.5 }));
  const rows: (typeof items)[] = [[]];
  for (const it of items) {
    const row = rows[rows.length - 1];
    if (row.length && row.reduce((a, r) => a + r.w, 0) + it.w > width) rows.push([it]);
    else row.push(it);
  }
  rows.forEach((row, r) => {
    let x = (width - row.reduce((a, i) => a + i.w, 0)) / 2;
    const y = top + r * b.st.pitch;
    for (const it of row) {
      b.marks.push({ kind: 'swatch', x, y: y + (b.st.pitch - sw) / 2, w: sw, h: sw, colour: palette[it.i % palette.length] });
      b.tight('legend', it.n, x + sw * 1.4, y, 'left');
      x += it.w;
    }
  });
  return top + rows.length * b.st.pitch;
}

function drawAxes(b: Builder, block: ChartBlock, palette: Colour[], area: Box, labels: Labels): { plot: Box; axis: ChartGeometry['axis'] } {
  const pitch = b.st.pitch;
  const horizontal = block.type === 'hbar';
  const stacked = block.type === 'stacked';
  const combo = block.type === 'combo';
  const barSeries = block.type === 'line' ? [] : combo ? block.series.slice(0, 1) : block.series;
  const lineSeries = block.type === 'line' ? block.series : combo ? block.series.slice(1) : [];
  const n = block.categories.length;
  const span = (ss: typeof block.series) =>
    stacked
      ? block.categories.flatMap((_, i) => [ss.reduce((a, s) => a + Math.max(0, s.values[i] ?? 0), 0), ss.reduce((a, s) => a + Math.min(0, s.values[i] ?? 0), 0)])
      : ss.flatMap((s) => s.values.filter((v) => v !== null));
  const primary = barSeries.length ? span(barSeries) : span(lineSeries);
  const dataLo = Math.min(0, ...primary);
  const dataHi = Math.max(0, ...primary);
  const secondary = combo ? span(lineSeries) : [];
  // Fewer ticks where the axis is short: two label heights at least between ticks.
  const ticksFor = (length: number) => {
    const target = Math.max(2, Math.min(5, Math.floor(length / (2 * pitch))));
    return [niceTicks(dataLo, dataHi, target), combo ? niceTicks(Math.min(0, ...secondary), Math.max(0, ...secondary), target) : []];
  };
  // An axis's numbers show one number of decimals (0, 0.5, 1.0 … not 0, 0.5, 1).
  const tickText = (ts: number[]) => (v: number) => formatNumber(v, decimalsOf(ts));
  const labelWidth = (ts: number[]) => (ts.length ? Math.max(...ts.map((v) => b.measure(tickText(ts)(v)))) + 6 : 0);
  const seriesIndex = (s: (typeof block.series)[number]) => block.series.indexOf(s);
  const colourOf = (si: number) => palette[si % palette.length];

  // The units above the axes: the block's over the left, the line series' over the right (combo).
  const rightUnit = combo ? seriesUnit(lineSeries.map((s) => s.name)) : undefined;
  let y0 = area.y + pitch * 0.5;
  if (block.unit || rightUnit) {
    const half = rightUnit ? area.w / 2 : area.w;
    const left = block.unit ? b.label('unit', labels.unit(block.unit), area.x, area.y, half, 'left').h : 0;
    const right = rightUnit ? b.label('unit', labels.unit(rightUnit), area.x + area.w - half, area.y, half, 'right').h : 0;
    y0 = area.y + Math.max(left, right) + pitch * 0.2;
  }

  if (horizontal) {
    const catW = hbarCategoryWidth(b, block, area.w);
    // Room for the widest value label, as labelValues will print it.
    const places = Math.max(0, ...barSeries.map((s) => decimalsOf(s.values)));
    const valueRoom = Math.max(b.measure(formatNumber(dataHi, places)), b.measure(formatNumber(dataLo, places))) + 4;
    const plot = { x: area.x + catW + (dataLo < 0 ? valueRoom : 0), y: y0, w: area.w - catW - valueRoom * (dataLo < 0 ? 2 : 1), h: area.y + area.h - y0 - pitch * 1.4 };
    const [ticks] = ticksFor(plot.w / 2);
    const lo = ticks[0];
    const hi = ticks[ticks.length - 1];
    const sx = (v: number) => plot.x + ((v - lo) / (hi - lo)) * plot.w;
    for (const v of ticks) {
      b.marks.push({ kind: 'rule', x1: sx(v), y1: plot.y, x2: sx(v), y2: plot.y + plot.h, strong: v === 0 });
      b.tight('tick', tickText(ticks)(v), sx(v), plot.y + plot.h + 2, 'center');
    }
    const slot = plot.h / n;
    const bar = (slot * 0.7) / (stacked ? 1 : barSeries.length);
    block.categories.forEach((c, i) => {
      const lines = b.compose(c, catW - 6, 'right');
      b.labels.push({ role: 'category', lines, pitch, x: area.x, y: plot.y + slot * i + (slot - lines.length * pitch) / 2, w: catW - 6, h: lines.length * pitch });
      const bases = barBases(barSeries.map((s) => s.values[i]), stacked);
      barSeries.forEach((s, k) => {
        const si = seriesIndex(s);
        const top = plot.y + slot * i + slot * 0.15 + (stacked ? 0 : bar * k);
        const v = s.values[i];
        if (v === null) return;
        const a = sx(bases[k]);
        const e = sx(bases[k] + v);
        b.marks.push({ kind: 'bar', x: Math.min(a, e), y: top, w: Math.abs(e - a), h: bar, colour: colourOf(si), series: si, index: i });
      });
    });
    if (!stacked) labelValues(b, block, barSeries.map(seriesIndex), area, [{ x: sx(0), y: plot.y, w: 0, h: plot.h }], 'right');
    return { plot, axis: { lo, hi, dataLo, dataHi } };
  }

  // Vertical bars and lines: categories along the bottom, wrapped, or turned when they do not fit.
  // Tick labels' room, whichever tick count the plot's height will allow.
  const candidates = [2, 3, 4, 5].map((k) => ticksFor(k * 2 * pitch));
  const tickW = Math.max(...candidates.map(([t]) => labelWidth(t)));
  const tickW2 = Math.max(...candidates.map(([, t]) => labelWidth(t)));
  const slot = (area.w - tickW - tickW2) / n;
  const wrapped = block.categories.map((c) => b.compose(c, slot - 4, 'center'));
  const turn = wrapped.some((l) => l.length > 2);
  const catH = turn ? Math.max(...block.categories.map((c) => b.measure(c))) + 6 : Math.max(...wrapped.map((l) => l.length)) * pitch + 4;
  // A line of headroom: value labels sit above the tallest bar.
  const plotH = area.y + area.h - y0 - pitch - catH;
  const [ticks, ticks2] = ticksFor(plotH);
  const lo = ticks[0];
  const hi = ticks[ticks.length - 1];
  const plot = { x: area.x + tickW, y: y0 + pitch, w: area.w - tickW - tickW2, h: plotH };
  const sy = (v: number) => plot.y + plot.h - ((v - lo) / (hi - lo)) * plot.h;
  const sy2 = (v: number) => plot.y + plot.h - ((v - ticks2[0]) / (ticks2[ticks2.length - 1] - ticks2[0])) * plot.h;
  for (const v of ticks) {
    b.marks.push({ kind: 'rule', x1: plot.x, y1: sy(v), x2: plot.x + plot.w, y2: sy(v), strong: v === 0 });
    b.tight('tick', tickText(ticks)(v), plot.x - 4, sy(v) - pitch / 2, 'right');
  }
  for (const v of ticks2) b.tight('tick', tickText(ticks2)(v), plot.x + plot.w + 4, sy2(v) - pitch / 2, 'left');
  const groupW = slot * 0.7;
  const bar = barSeries.length ? groupW / (stacked ? 1 : barSeries.length) : 0;
  block.categories.forEach((c, i) => {
    const sx0 = plot.x + slot * i;
    if (turn) {
      const w = b.measure(c);
      const [line] = b.compose(c, w + 1, 'left');
      b.labels.push({ role: 'category', lines: [line], pitch, x: sx0 + (slot - pitch) / 2, y: plot.y + plot.h + 3, w: pitch, h: w, rotate: -90 });
    } else {
      b.labels.push({ role: 'category', lines: wrapped[i], pitch, x: sx0 + 2, y: plot.y + plot.h + 3, w: slot - 4, h: wrapped[i].length * pitch });
    }
    const bases = barBases(barSeries.map((s) => s.values[i]), stacked);
    barSeries.forEach((s, k) => {
      const si = seriesIndex(s);
      const v = s.values[i];
      if (v === null) return;
      const bx = sx0 + (slot - groupW) / 2 + (stacked ? 0 : bar * k);
      const a = sy(bases[k]);
      const e = sy(bases[k] + v);
      b.marks.push({ kind: 'bar', x: bx, y: Math.min(a, e), w: bar, h: Math.abs(e - a), colour: colourOf(si), series: si, index: i });
    });
  });
  // Lines first: the bars' value labels keep clear of them.
  lineSeries.forEach((s) => {
    const si = seriesIndex(s);
    const scale = combo ? sy2 : sy;
    const pts = s.values.map((v, i) => (v === null ? undefined : ([plot.x + slot * (i + 0.5), scale(v)] as const)));
    // A missing value breaks the line: each stretch of given values is a path of its own.
    const stretches: (readonly [number, number])[][] = [];
    pts.forEach((p, i) => p && (pts[i - 1] ? stretches[stretches.length - 1].push(p) : stretches.push([p])));
    const d = stretches.map((st) => st.map((p, k) => `${k ? 'L' : 'M'}${p[0].toFixed(2)} ${p[1].toFixed(2)}`).join(' ')).join(' ');
    if (d) b.marks.push({ kind: 'line', d, colour: colourOf(si), series: si, stretches });
    pts.forEach((p, i) => p && b.marks.push({ kind: 'point', x: p[0], y: p[1], colour: colourOf(si), series: si, index: i }));
  });
  if (!stacked) {
    const edges = [plot.x, plot.x + plot.w].map((x) => ({ x, y: plot.y, w: 0, h: plot.h }));
    labelValues(b, block, barSeries.map(seriesIndex), area, [{ x: plot.x, y: sy(0), w: plot.w, h: 0 }, ...edges], 'up');
  }
  return { plot, axis: { lo, hi, dataLo, dataHi } };
}

/**
 * Value labels, every bar of a series treated alike: beside the end of each
 * bar at the largest size (down to a floor) at which no label comes within
 * the clearance of another label, a bar, an axis or the plot's edge; failing
 * that (vertical bars), turned to read upwards. One size and placement for
 * the whole chart where one fits all series; else each series finds its own,
 * and a series that fits nowhere is left unlabelled and reported.
 */
function labelValues(b: Builder, block: ChartBlock, series: number[], area: Box, lines: Box[], direction: 'up' | 'right'): void {
  const bars = b.marks.filter((m): m is Extract<ChartMark, { kind: 'bar' }> => m.kind === 'bar');
  const decimals = block.series.map((s) => decimalsOf(s.values));
  const sizes: number[] = [];
  for (let size = b.st.size; size >= VALUE_LABEL_FLOOR - 1e-9; size -= 0.5) sizes.push(size);
  const placements = direction === 'up' ? (['beside', 'turned'] as const) : (['beside'] as const);
  const drawn = lineObstacles(b.marks);
  const fits = (ink: Box) =>
    ink.x >= area.x - 1e-6 &&
    ink.x + ink.w <= area.x + area.w + 1e-6 &&
    ink.y >= area.y - 1e-6 &&
    b.labels.every((l) => gap(ink, inkBox(l)) >= CLEARANCE - 1e-6) &&
    bars.every((m) => gap(ink, m) >= CLEARANCE - 1e-6) &&
    lines.every((line) => gap(ink, line) >= CLEARANCE - 1e-6) &&
    clearOfLines(ink, drawn);
  const options = placements.flatMap((placement) => sizes.map((size) => ({ placement, size })));
  // The labels of the given series at one size and placement, if they clear everything and each other.
  const attempt = (which: number[], o: (typeof options)[number]): ChartLabel[] | undefined => {
    const st = b.sized(o.size);
    const labels = bars.filter((m) => which.includes(m.series)).map((m) => valueLabel(b, st, m, block.series[m.series].values[m.index]!, decimals[m.series], direction, o.placement));
    const inks = labels.map(inkBox);
    const clear = inks.every((ink, i) => fits(ink) && inks.every((other, j) => j === i || gap(ink, other) >= CLEARANCE - 1e-6));
    return clear ? labels : undefined;
  };
  // One look for the whole chart where one can be had; else each series on its own.
  for (const o of options) {
    const all = attempt(series, o);
    if (all) {
      b.labels.push(...all);
      return;
    }
  }
  for (const si of series) {
    let placed: ChartLabel[] | undefined;
    for (const o of options) if ((placed = attempt([si], o))) break;
    if (placed) b.labels.push(...placed);
    else b.unlabelled.push(block.series[si].name);
  }
}

/** Half the width a series line is drawn with, and half a marker's side. */
const LINE_HALF = 0.75;
const MARKER_HALF = 2;

/** A chart's series lines and markers, as segments and boxes a label must keep clear of. */
function lineObstacles(marks: ChartMark[]): { segments: [number, number, number, number][]; markers: Box[] } {
  const segments: [number, number, number, number][] = [];
  const markers: Box[] = [];
  for (const m of marks) {
    if (m.kind === 'line') for (const st of m.stretches) for (let k = 1; k < st.length; k++) segments.push([...st[k - 1], ...st[k]]);
    if (m.kind === 'point') markers.push({ x: m.x - MARKER_HALF, y: m.y - MARKER_HALF, w: 2 * MARKER_HALF, h: 2 * MARKER_HALF });
  }
  return { segments, markers };
}

/** No line passes within the clearance of `ink`, nor any marker. */
function clearOfLines(ink: Box, { segments, markers }: ReturnType<typeof lineObstacles>): boolean {
  const pad = CLEARANCE + LINE_HALF;
  const r = { x: ink.x - pad, y: ink.y - pad, w: ink.w + 2 * pad, h: ink.h + 2 * pad };
  return markers.every((m) => gap(ink, m) >= CLEARANCE - 1e-6) && segments.every((seg) => !segmentMeets(seg, r));
}

/** Whether a segment meets a box (Liang–Barsky clipping). */
function segmentMeets([x1, y1, x2, y2]: [number, number, number, number], r: Box): boolean {
  const dx = x2 - x1;
  const dy = y2 - y1;
  let t0 = 0;
  let t1 = 1;
  for (const [p, q] of [
    [-dx, x1 - r.x],
    [dx, r.x + r.w - x1],
    [-dy, y1 - r.y],
    [dy, r.y + r.h - y1],
  ]) {
    if (p === 0) {
      if (q < 0) return false;
    } else {
      const t = q / p;
      if (p < 0) t0 = Math.max(t0, t);
      else t1 = Math.min(t1, t);
      if (t0 > t1) return false;
    }
  }
  return true;
}

/** The unit the series' names give in brackets at their end, where they agree: 同比（%） and 增速(%) give %. */
export function seriesUnit(names: string[]): string | undefined {
  const units = names.map((n) => /[（(]([^（）()]+)[）)]\s*$/.exec(n)?.[1].trim());
  return units.length && units.every((u) => u && u === units[0]) ? units[0] : undefined;
}

function valueLabel(b: Builder, st: ParagraphStyle, m: Box & { series: number; index: number }, v: number, decimals: number, direction: 'up' | 'right', placement: 'beside' | 'turned'): ChartLabel {
  const text = formatNumber(v, decimals);
  const w = b.measure(text, st);
  const [line] = b.compose(text, w + 0.01, 'left', st);
  const base = { role: 'value' as const, lines: [line], pitch: st.pitch, series: m.series, index: m.index };
  const lead = (st.pitch - st.size) / 2;
  if (direction === 'right') {
    const x = v >= 0 ? m.x + m.w + CLEARANCE : m.x - CLEARANCE - w;
    return { ...base, x, y: m.y + m.h / 2 - st.pitch / 2, w: w + 0.01, h: st.pitch };
  }
  const cx = m.x + m.w / 2;
  if (placement === 'turned') {
    const y = v >= 0 ? m.y - CLEARANCE - w : m.y + m.h + CLEARANCE;
    return { ...base, rotate: -90, x: cx - st.pitch / 2, y, w: st.pitch, h: w };
  }
  const inkTop = v >= 0 ? m.y - CLEARANCE - st.size : m.y + m.h + CLEARANCE;
  return { ...base, x: cx - w / 2, y: inkTop - lead, w: w + 0.01, h: st.pitch };
}

/** Where each bar of a category starts: at zero, or, stacked, on the bars of the same sign before it (a missing value adds nothing). */
function barBases(values: (number | null)[], stacked: boolean): number[] {
  let pos = 0;
  let neg = 0;
  return values.map((given) => {
    const v = given ?? 0;
    if (!stacked) return 0;
    const base = v >= 0 ? pos : neg;
    if (v >= 0) pos += v;
    else neg += v;
    return base;
  });
}

function arcPoint(cx: number, cy: number, r: number, a: number): [number, number] {
  return [cx + r * Math.sin(a), cy - r * Math.cos(a)];
}

/** Pie or donut with a legend of categories and shares beside it; returns the circle's box. */
function drawRound(b: Builder, block: ChartBlock, palette: Colour[], area: Box, labels: Labels): Box {
  const values = block.series[0].values.map((v) => Math.max(0, v ?? 0));
  const total = values.reduce((a, v) => a + v, 0) || 1;
  const r = Math.min(area.h / 2 - 4, area.w * 0.25);
  const cx = area.x + area.w * 0.3;
  const cy = area.y + area.h / 2;
  const inner = block.type === 'donut' ? r * 0.55 : 0;
  let a0 = 0;
  values.forEach((v, i) => {
    if (v <= 0) return;
    const a1 = a0 + (v / total) * Math.PI * 2;
    const large = a1 - a0 > Math.PI ? 1 : 0;
    const [x0, y0] = arcPoint(cx, cy, r, a0);
    const [x1, y1] = arcPoint(cx, cy, r, a1 - 1e-6);
    let d: string;
    if (inner > 0) {
      const [ix1, iy1] = arcPoint(cx, cy, inner, a1 - 1e-6);
      const [ix0, iy0] = arcPoint(cx, cy, inner, a0);
      d = `M${x0} ${y0} A${r} ${r} 0 ${large} 1 ${x1} ${y1} L${ix1} ${iy1} A${inner} ${inner} 0 ${large} 0 ${ix0} ${iy0} Z`;
    } else d = `M${cx} ${cy} L${x0} ${y0} A${r} ${r} 0 ${large} 1 ${x1} ${y1} Z`;
    b.marks.push({ kind: 'slice', d, colour: palette[i % palette.length], index: i });
    a0 = a1;
  });
  const pitch = b.st.pitch;
  const lx = cx + r + 24;
  const lw = area.x + area.w - lx - b.st.size * 1.5;
  // Each entry as many lines as its name takes there; the legend centred on the circle.
  const entries = values.map((v, i) => {
    const share = block.series[0].values[i] === null ? labels.noData : `${((v / total) * 100).toFixed(1)}%`;
    return `${block.categories[i]}  ${share}`;
  });
  const heights = entries.map((e) => b.compose(e, lw, 'left').length * pitch);
  let y = cy - heights.reduce((a, h) => a + h, 0) / 2;
  entries.forEach((e, i) => {
    b.marks.push({ kind: 'swatch', x: lx, y: y + (pitch - b.st.size) / 2, w: b.st.size, h: b.st.size, colour: palette[i % palette.length] });
    y += b.label('legend', e, lx + b.st.size * 1.5, y, lw, 'left').h;
  });
  return { x: cx - r, y: cy - r, w: 2 * r, h: 2 * r };
}

/** Display items of a chart whose top-left corner is at (x, y). */
export function chartItems(g: ChartGeometry, styles: Styles, x: number, y: number): DisplayItem[] {
  const t = styles.settings;
  const items: DisplayItem[] = [];
  for (const m of g.marks) {
    switch (m.kind) {
      case 'bar':
      case 'swatch':
        items.push({ kind: 'rect', x: x + m.x, y: y + m.y, w: m.w, h: m.h, fill: m.colour });
        break;
      case 'rule':
        items.push({ kind: 'line', x1: x + m.x1, y1: y + m.y1, x2: x + m.x2, y2: y + m.y2, colour: m.strong ? t.colours.muted : t.colours.fill, width: m.strong ? 0.8 : 0.5 });
        break;
      case 'line':
        items.push({ kind: 'path', d: m.d, stroke: m.colour, lineWidth: 2 * LINE_HALF, transform: [1, 0, 0, 1, x, y] });
        break;
      case 'point':
        items.push({ kind: 'rect', x: x + m.x - MARKER_HALF, y: y + m.y - MARKER_HALF, w: 2 * MARKER_HALF, h: 2 * MARKER_HALF, fill: m.colour });
        break;
      case 'slice':
        items.push({ kind: 'path', d: m.d, fill: m.colour, stroke: t.colours.paper, lineWidth: 0.8, transform: [1, 0, 0, 1, x, y] });
        break;
    }
  }
  for (const l of g.labels) {
    if (l.rotate) {
      // Turned a quarter to the left about the box's bottom-left corner: the text runs upwards.
      const line = l.lines[0];
      const size = line.size;
      const px = x + l.x + (l.w - l.pitch) / 2 + (l.pitch - size) / 2 + EM_BASELINE * size;
      const py = y + l.y + l.h;
      line.runs.forEach((r, i) => items.push({ ...r, kind: 'text', x: px + r.x, y: py, rotate: -90, origin: [px, py], ...(i ? { continues: true as const } : {}) }));
    } else l.lines.forEach((line, i) => items.push(...lineItems(line, x + l.x, y + l.y + i * l.pitch, l.pitch)));
  }
  return items;
}

/** What a chart says, in words, for a reader who cannot see it: title, unit, every value, source. */
export function chartAlt(block: ChartBlock, labels = labelsFor(false)): string {
  const value = (v: number | null) => (v === null ? labels.noData : String(v));
  const rows = block.categories.map((c, i): [string, string[]] => [c, block.series.map((s) => (block.series.length > 1 ? `${s.name} ` : '') + value(s.values[i]))]);
  return labels.chartDescription(block.title, block.unit, rows, block.source);
}

export function chartBox(block: ChartBlock, styles: Styles, frame: { x: number; width: number; height: number }, section: string, file: string, warn: (w: Warning) => void, parent?: StructNode, labels = labelsFor(false)): FlowBox {
  const width = frame.width * block.width;
  const x = frame.x + (frame.width - width) / 2;
  const n = block.categories.length;
  // Categories side by side need a line's width each (a turned label); a chart must fit a page.
  const across = Math.floor(width / styles.get('table').pitch);
  const round = block.type === 'pie' || block.type === 'donut';
  if (!round && block.type !== 'hbar' && n > across) {
    throw new UserError(`the chart has ${n} categories; at most ${across} fit across a ${block.type} chart this wide (leave some out with exclude:, or use an hbar chart)`, file, { line: block.line, col: 1 });
  }
  const g = chartGeometry(block, styles, width, labels);
  if (g.height > frame.height) {
    throw new UserError(`the chart has ${n} categories and needs ${Math.round(g.height)} pt; a page holds ${Math.round(frame.height)} pt (split it, or leave categories out with exclude:)`, file, { line: block.line, col: 1 });
  }
  for (const name of g.unlabelled) {
    const chart = block.title ? `the chart "${block.title}"` : 'the chart';
    warn({ file, pos: { line: block.line, col: 1 }, message: `${chart} prints no values for "${name}": they do not fit beside its bars, clear of its lines, even at ${VALUE_LABEL_FLOOR} pt (fewer categories or a wider chart would help)` });
  }
  const air = styles.settings.figureSpace;
  const boxOf = (at: ChartGeometry): FlowBox => ({
    // Air below, before the text resumes, as above.
    height: at.height + air,
    spaceBefore: air,
    section,
    figure: 'opens',
    items: parent ? tagItems(chartItems(at, styles, x, 0), { role: 'Figure', parent, alt: chartAlt(block, labels) }, true) : chartItems(at, styles, x, 0),
  });
  const natural = boxOf(g);
  if (g.leastBody >= g.body - 0.5) return natural;
  // Pagination may set the plot lower to finish a page, within its readable range.
  const least = g.height - (g.body - g.leastBody) + air;
  // Drawn again from the natural geometry's readable range, not worked out anew.
  return { ...natural, shrink: { least, set: (h) => boxOf(drawChart(block, styles, width, labels, Math.max(g.leastBody, g.body - (natural.height - h)))) } };
}
