/** Composed lines → flow boxes and display items. */
import type { ComposedLine } from '../compose/types.js';
import type { DisplayItem } from './display.js';
import type { FlowBox } from './paginate.js';

/** Ideographic em box: the baseline sits 0.88 em below its top (0.12 em descends). */
export const EM_BASELINE = 0.88;

/** Display items of one line whose em box is vertically centred in a line of height `pitch`. */
export function lineItems(line: ComposedLine, x: number, top: number, pitch: number): DisplayItem[] {
  const size = line.size;
  const emTop = top + (pitch - size) / 2;
  const baseline = emTop + EM_BASELINE * size;
  const items: DisplayItem[] = line.runs.map((r, i) => (i ? { ...r, kind: 'text', x: x + r.x, y: baseline, continues: true } : { ...r, kind: 'text', x: x + r.x, y: baseline }));
  for (const l of line.links) items.push({ kind: 'link', x: x + l.x, y: emTop, w: l.width, h: size, url: l.url });
  return items;
}

export interface LineBoxOptions {
  x: number;
  pitch: number;
  spaceBefore?: number;
  /** keep the last line with the next n boxes (headings); earlier lines keep with it */
  keep?: number;
  section?: string;
  /** widow/orphan control for these lines */
  paragraph?: boolean;
}

/** One flow box per line. */
export function lineBoxes(lines: ComposedLine[], o: LineBoxOptions): FlowBox[] {
  return lines.map((line, index) => ({
    height: o.pitch,
    spaceBefore: index === 0 ? (o.spaceBefore ?? 0) : 0,
    keep: o.keep !== undefined ? lines.length - 1 - index + o.keep : undefined,
    line: o.paragraph ? { index, count: lines.length } : undefined,
    section: o.section,
    draw: (y) => lineItems(line, o.x, y, o.pitch),
  }));
}

/** All lines in one box (captions, short notes that must not split). */
export function blockOfLines(lines: ComposedLine[], x: number, pitch: number): { height: number; draw(y: number): DisplayItem[] } {
  return {
    height: lines.length * pitch,
    draw: (y) => lines.flatMap((l, i) => lineItems(l, x, y + i * pitch, pitch)),
  };
}
