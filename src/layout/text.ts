/** Composed lines → flow boxes and display items. */
import type { ComposedLine } from '../compose/types.js';
import type { DisplayItem, StructNode } from './display.js';
import type { FlowBox } from './paginate.js';

/** Ideographic em box: the baseline sits 0.88 em below its top (0.12 em descends). */
export const EM_BASELINE = 0.88;

/**
 * Display items of one line whose em box is vertically centred in a line of
 * height `pitch`, as content of element `tag` (its links each a Link
 * element in it); without one, decoration.
 */
export function lineItems(line: ComposedLine, x: number, top: number, pitch: number, tag?: StructNode): DisplayItem[] {
  const size = line.size;
  const emTop = top + (pitch - size) / 2;
  const baseline = emTop + EM_BASELINE * size;
  // A link to `#name` goes to a destination in the document (a footnote's marker to its note).
  const links: (StructNode | undefined)[] = line.links.map((l) => tag && { role: 'Link', parent: tag, alt: l.url.startsWith('#') ? '注释' : l.url });
  const items: DisplayItem[] = line.runs.map((r, i) => ({ ...r, kind: 'text', x: x + r.x, y: baseline, tag: r.link === undefined ? tag : links[r.link], ...(i ? { continues: true as const } : {}) }));
  line.links.forEach((l, k) => {
    const box = { x: x + l.x, y: emTop, w: l.width, h: size, tag: links[k] };
    items.push(l.url.startsWith('#') ? { kind: 'goto', ...box, dest: l.url.slice(1) } : { kind: 'link', ...box, url: l.url });
  });
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
  /** the element the lines are content of */
  tag?: StructNode;
}

/** One flow box per line. */
export function lineBoxes(lines: ComposedLine[], o: LineBoxOptions): FlowBox[] {
  return lines.map((line, index) => ({
    height: o.pitch,
    spaceBefore: index === 0 ? (o.spaceBefore ?? 0) : 0,
    keep: o.keep !== undefined ? lines.length - 1 - index + o.keep : undefined,
    line: o.paragraph ? { index, count: lines.length } : undefined,
    section: o.section,
    items: lineItems(line, o.x, 0, o.pitch, o.tag),
  }));
}

/** All lines in one block (captions, short notes that must not split), its top edge at `top`. */
export function blockOfLines(lines: ComposedLine[], x: number, pitch: number, tag?: StructNode, top = 0): { height: number; items: DisplayItem[] } {
  return {
    height: lines.length * pitch,
    items: lines.flatMap((l, i) => lineItems(l, x, top + i * pitch, pitch, tag)),
  };
}

/** The element `items` with no element of their own belong to; `all`: decoration too (a chart is one figure). */
export function tagItems(items: DisplayItem[], tag: StructNode, all = false): DisplayItem[] {
  for (const it of items) if (!it.tag && (all || it.kind === 'text' || it.kind === 'image' || it.kind === 'link' || it.kind === 'goto')) it.tag = tag;
  return items;
}
