/**
 * Pagination: a flow of boxes into the text frame of successive pages,
 * with the keep rules of clreq §5 — no paragraph's first line alone at the
 * foot of a page nor its last alone at the head (a two-line paragraph stays
 * whole), a heading kept with what follows, a caption with its image, table
 * headers repeated on each page a table spans, and pictures that shrink a
 * little rather than leave the rest of a page empty.
 */
import type { DisplayItem, PageEnd } from './display.js';

/**
 * A box of the flow: plain data. Its display items stand with the box's top
 * edge at 0; layout moves them to where pagination places the box.
 */
export interface FlowBox {
  height: number;
  /** space above the box, dropped at the top of a page */
  spaceBefore: number;
  items: DisplayItem[];
  /** the items instead, when the box opens a page's flow (a table row repeats its merged values there) */
  atPageTop?: DisplayItem[];
  /** keep on one page with the next `keep` boxes */
  keep?: number;
  /** one line of a paragraph, for widow and orphan control */
  line?: { index: number; count: number };
  /** start a new page before this box */
  newPage?: boolean;
  /** boxes set again at the top of a page that this box begins (table header rows) */
  repeat?: FlowBox[];
  /** what the box marks the place of (a section's opener, an article's title): the locations pass maps it to its page */
  anchor?: string;
  /** the section the box belongs to (running header) */
  section?: string;
  /** a figure (picture, chart) that may move to the next page while the text after it fills this one */
  float?: boolean;
  /** footnotes referred to first in this box: set at the foot of its page, which must hold them too */
  notes?: FlowBox[];
}

/** A smaller version of a box no taller than `height`, if it can be had (pictures); undefined when it cannot. */
export type Shrink = (box: FlowBox, height: number) => FlowBox | undefined;

export interface FlowPage {
  placed: { box: FlowBox; y: number; first: boolean }[];
  /** the footnotes of the boxes placed, in order, for the foot of the frame */
  notes: FlowBox[];
  /** white left at the foot of the frame, in points, and why the page ended there */
  end: { blank: number; reason: PageEnd };
}


export interface Frame {
  top: number;
  bottom: number;
  /** what separates footnotes from the text above them (air and a short rule), when a page has any */
  noteSeparator?: number;
}

const EPS = 1e-6;

/** `frame(n)` gives the text frame of the flow's n-th page (0-based); `shrink` sets a box smaller to finish a page where it can. */
export function paginate(flow: FlowBox[], frame: (page: number) => Frame, shrink: Shrink = () => undefined): FlowPage[] {
  // Floats move figures within the flow: work on a copy.
  const boxes = [...flow];
  const floated = new Set<FlowBox>();
  const pages: FlowPage[] = [];
  let i = 0;
  while (i < boxes.length) {
    const page: FlowPage = { placed: [], notes: [], end: { blank: 0, reason: 'end' } };
    const { top, bottom: frameBottom, noteSeparator = 0 } = frame(pages.length);
    // The text's foot rises by the height of the footnotes its boxes bring, and of the separator above the first.
    let bottom = frameBottom;
    let hasNotes = false;
    const notesHeight = (b: FlowBox) => (b.notes?.length ? b.notes.reduce((h, n) => h + n.height, 0) + (hasNotes ? 0 : noteSeparator) : 0);
    let y = top;
    const start = i;
    if (boxes[i].repeat) {
      for (const h of boxes[i].repeat!) {
        page.placed.push({ box: h, y, first: false });
        y += h.height;
      }
    }
    const repeated = page.placed.length;
    while (i < boxes.length) {
      const b = boxes[i];
      if (b.newPage && i > start) {
        page.end.reason = 'new page';
        break;
      }
      const before = i === start ? 0 : b.spaceBefore;
      const notes = notesHeight(b);
      let box = b;
      if (i > start) {
        // A box that can shrink takes what is left, less the boxes it must share the page with.
        const room = bottom - y - before - keptAfter(boxes, start, i);
        if (b.height > room + EPS) box = shrink(b, room) ?? b;
      }
      if (y + before + box.height > bottom - notes + EPS && i > start) {
        // A figure that does not fit waits for the next page while the text after it fills this one.
        // One kept with what follows (a note that explains it) waits with it instead.
        if (b.float && !b.keep && !floated.has(b)) {
          floated.add(b);
          const moved = fillingText(boxes, i, bottom - y);
          if (moved > 0) {
            boxes.splice(i, 1);
            boxes.splice(i + moved, 0, b);
            continue;
          }
        }
        const k = chooseBreak(boxes, start, i);
        page.placed.length = repeated + (k - start);
        page.end.reason = k < i ? 'keep' : b.float ? 'figure' : 'too tall';
        i = k;
        break;
      }
      page.placed.push({ box, y: y + before, first: i === start });
      y += before + box.height;
      bottom -= notes;
      hasNotes ||= notes > 0;
      i++;
    }
    page.notes = page.placed.flatMap((p) => p.box.notes ?? []);
    // Boxes a keep rule moved on took their notes with them.
    const foot = frameBottom - (page.notes.length ? page.notes.reduce((h, n) => h + n.height, 0) + noteSeparator : 0);
    const last = page.placed[page.placed.length - 1];
    page.end.blank = last ? foot - (last.y + last.box.height) : foot - top;
    pages.push(page);
  }
  return pages;
}

/**
 * How many boxes after the figure at `at` may come before it, filling the
 * `room` left on the page: lines of text only, not past a heading, a new
 * page or another figure, and never leaving a paragraph's first line alone
 * at the foot.
 */
function fillingText(boxes: FlowBox[], at: number, room: number): number {
  let used = 0;
  let n = 0;
  for (let j = at + 1; j < boxes.length; j++) {
    const b = boxes[j];
    if (!b.line || b.newPage || b.float || b.keep || b.notes) break;
    const h = b.spaceBefore + b.height;
    if (used + h > room + EPS) break;
    used += h;
    n++;
  }
  // Widows and orphans: the lines moved up end where a page break may fall.
  while (n > 0) {
    const next = boxes[at + 1 + n]?.line;
    const lastMoved = boxes[at + n].line!;
    const orphan = lastMoved.index === 0 && lastMoved.count >= 2;
    const widow = next && next.count >= 2 && next.index === next.count - 1;
    if (!orphan && !widow) break;
    n--;
  }
  return n;
}

/** Height of the boxes after `at` that keep rules tie to it (or to boxes before it on the page). */
function keptAfter(boxes: FlowBox[], start: number, at: number): number {
  let last = at;
  for (let m = start; m <= last && m < boxes.length; m++) last = Math.max(last, m + (boxes[m].keep ?? 0));
  // A paragraph's first line brings its second: it may not stand alone at the foot.
  const line = boxes[last]?.line;
  if (last > at && line && line.index === 0 && line.count >= 2) last++;
  let h = 0;
  for (let j = at + 1; j <= last && j < boxes.length; j++) h += boxes[j].spaceBefore + boxes[j].height;
  return h;
}

/** The latest break at or before `at` that keeps the rules; `at` itself when none does. */
function chooseBreak(boxes: FlowBox[], start: number, at: number): number {
  let b = at;
  for (let changed = true; changed && b > start; ) {
    changed = false;
    const line = boxes[b].line;
    if (line && line.count >= 2 && (line.index === 1 || line.index === line.count - 1)) {
      b -= 1;
      changed = true;
      continue;
    }
    for (let m = b - 1; m >= start; m--) {
      const keep = boxes[m].keep ?? 0;
      if (keep > 0 && m + keep >= b) {
        b = m;
        changed = true;
        break;
      }
    }
  }
  return b > start ? b : at;
}
