/**
 * Pagination: a flow of boxes into the text frame of successive pages. The
 * page breaks of a section (a run between new pages) are chosen at once, by
 * dynamic programming over the places a page may end, as the composer chooses
 * a paragraph's line breaks (Plass 1981; Mittelbach, DocEng 2016–17). A page
 * costs the white it leaves at its foot; keep rules are hard: no paragraph's
 * first line alone at a foot nor its last alone at a head (a two-line
 * paragraph stays whole), a heading with what follows, a caption with its
 * image. Table headers repeat on each page a table spans; a picture may shrink
 * to finish a page; figures that do not fit may wait for the next page while
 * the lines after them fill this one (a float queue of one page).
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
  /** items added when the box ends a page's flow (a table row closes the table there) */
  atPageFoot?: DisplayItem[];
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
  /**
   * A box of a figure: a picture row, a chart, a table's caption, header,
   * rows and note; `opens` on its first. A figure that does not fit may wait
   * for the next page, with what it keeps and the figures right after it,
   * while the text after them fills this one.
   */
  figure?: 'opens' | 'continues';
  /** how the box is set smaller to finish a page (pictures, charts): any height from `least` to its own */
  shrink?: { least: number; set(height: number): FlowBox };
  /** footnotes referred to first in this box: set at the foot of its page, which must hold them too */
  notes?: FlowBox[];
  /** where the block it begins was written (files a table or chart read too): a warning there is shown on its page */
  sources?: { file: string; line: number }[];
}

export interface FlowPage {
  /** `at`: the box's place in the flow (a repeated header has none) */
  placed: { box: FlowBox; y: number; first: boolean; at?: number }[];
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

export interface PaginateOptions {
  /** the body's line pitch: the unit white and short pages are measured in */
  line: number;
}

const EPS = 1e-6;

/**
 * What a page costs, in the unit of a body line's white squared. A page
 * ending a line or more short costs a step more, so that a little white is
 * spread over a few pages rather than a line over many; past three lines it
 * costs as much as anything may.
 */
const WHITE = 100;
const SHORT = 300;
const SHORT_LINES = 1;
const LONG_WHITE = 10_000;
const LONG_LINES = 3;
/** A section's last page holding less than this many lines' worth. */
const RUNT = 20_000;
const RUNT_LINES = 4;
/** A figure set a page after the text it follows; a picture shrunk (per line squared). */
const WAIT = 200;
const SHRINK = 50;
/** A break against the keep rules, taken only where no page can end otherwise. */
const FORCED = 1e9;
/** A page ending more lines short than this is considered only where no page nearer full keeps the rules. */
const LOOSE_LINES = 8;

/** `frame(n)` gives the text frame of the flow's n-th page (0-based). */
export function paginate(flow: FlowBox[], frame: (page: number) => Frame, options: PaginateOptions): FlowPage[] {
  const pages: FlowPage[] = [];
  // Sections start on a new page: each is paginated alone.
  for (let s = 0; s < flow.length; ) {
    let e = s + 1;
    while (e < flow.length && !flow[e].newPage) e++;
    pages.push(...paginateRun(flow, s, e, pages.length, frame, options));
    s = e;
  }
  return pages;
}

/** Boxes `from` up to `to`. */
interface Span {
  from: number;
  to: number;
}

/** One page as chosen: its boxes are `start` up to `end`, less figures that wait, after figures that waited. */
interface Choice {
  start: number;
  end: number;
  /** figures from the page before, set first */
  waited?: Span;
  /** figures among this page's boxes that wait for the next page */
  waits?: Span;
  /** what the page's pictures give, together, to finish it: each in proportion to what it may give */
  squeeze?: number;
}

/** The cheapest way found to reach a page start: with which figure waiting, on which page. */
interface Node {
  cost: number;
  page: number;
  waiting?: Span;
  prev?: Node;
  choice?: Choice;
}

/** A break before `b` leaves a paragraph's first line alone at a foot or its last alone at a head. */
const splitsLines = (b: FlowBox | undefined) => !!b?.line && b.line.count >= 2 && (b.line.index === 1 || b.line.index === b.line.count - 1);

/** A box that may be set before figures that wait, filling their page: a line of text, bound to nothing. */
const plainLine = (b: FlowBox) => !!b.line && !b.keep && !b.notes?.length && !b.figure && !b.newPage;

/** The boxes that wait with the figure opening at `j`: what it keeps, and the figures and notes right after it. */
function waitingWith(boxes: FlowBox[], j: number, e: number): Span {
  let reach = j + (boxes[j].keep ?? 0);
  let to = j + 1;
  for (; to < e && (boxes[to].figure || reach >= to); to++) reach = Math.max(reach, to + (boxes[to].keep ?? 0));
  return { from: j, to };
}

/** The height of boxes set one after another, the first's space above dropped. */
function spanHeight(boxes: FlowBox[], { from, to }: Span): number {
  let h = 0;
  for (let m = from; m < to; m++) h += (m > from ? boxes[m].spaceBefore : 0) + boxes[m].height;
  return h;
}

const notesHeight = (b: FlowBox) => b.notes?.reduce((h, n) => h + n.height, 0) ?? 0;

/** What a box may give of its height. */
const give = (b: FlowBox) => (b.shrink ? Math.max(0, b.height - b.shrink.least) : 0);

function paginateRun(boxes: FlowBox[], s: number, e: number, firstPage: number, frame: (page: number) => Frame, { line }: PaginateOptions): FlowPage[] {
  const pageCost = (white: number, content: number, sectionEnd: boolean) => {
    if (sectionEnd) return content < RUNT_LINES * line - EPS ? RUNT : 0;
    const w = Math.max(0, white) / line;
    return WHITE * w * w + (w >= SHORT_LINES - EPS ? SHORT : 0) + LONG_WHITE * Math.max(0, w - LONG_LINES);
  };

  // Ways that reach a page start alike, with the same figures waiting and the same frame ahead, are one:
  // keyed by the frame's number among those met and the first figure waiting.
  const frames = new Map<string, number>();
  const frameKey = (page: number) => {
    const f = frame(page);
    const key = `${f.top}/${f.bottom}/${f.noteSeparator ?? 0}`;
    if (!frames.has(key)) frames.set(key, frames.size);
    return frames.get(key)!;
  };
  const states: Map<number, Node>[] = Array.from({ length: e - s + 1 }, () => new Map());
  // What waits with each figure, and its height: the same from every page start.
  const waiting = new Map<number, { span: Span; height: number }>();
  const waitingAt = (j: number) => {
    if (!waiting.has(j)) {
      const span = waitingWith(boxes, j, e);
      waiting.set(j, { span, height: spanHeight(boxes, span) });
    }
    return waiting.get(j)!;
  };
  states[0].set(0, { cost: 0, page: firstPage });

  for (let i = s; i <= e; i++) {
    for (const node of states[i - s].values()) {
      if (i === e && !node.waiting) continue;
      explore(node, i);
    }
  }

  /** Every page that may start at box `i` after `node`: each place it may end, and what that costs. */
  function explore(node: Node, i: number) {
    const { top, bottom: frameBottom, noteSeparator = 0 } = frame(node.page);
    const ahead = frameKey(node.page + 1);
    /** The page from box `i` to before box `end`, if it is the cheapest way there yet. */
    const offer = (end: number, cost: number, waits?: Span, squeeze?: number) => {
      const key = ahead * (e - s + 2) + (waits ? waits.from - s + 1 : 0);
      const at = states[end - s];
      const had = at.get(key);
      const total = node.cost + cost;
      if (had && total >= had.cost) return;
      const choice: Choice = { start: i, end, waited: node.waiting, ...(waits ? { waits } : {}), ...(squeeze ? { squeeze } : {}) };
      at.set(key, { cost: total, page: node.page + 1, waiting: waits, prev: node, choice });
    };
    const d = node.waiting;
    let y = top;
    let notes = 0;
    const bottom = () => frameBottom - (notes > 0 ? notes + noteSeparator : 0);
    let count = 0;
    if (d) {
      y += spanHeight(boxes, d);
      for (let m = d.from; m < d.to; m++) notes += notesHeight(boxes[m]);
      count = 1;
      // The waiting figures alone, when nothing fits after them.
      if (i === e || !splitsLines(boxes[i])) offer(i, pageCost(bottom() - y, y - top, i === e));
    } else if (i < e && boxes[i].repeat) {
      for (const h of boxes[i].repeat!) y += h.height;
    }
    let reach = -1;
    // What the page's pictures may give, and the sum of its squares (a squeeze costs each picture's share squared).
    let slack = 0;
    let slack2 = 0;
    // Pages far short are held back, and offered only where no page nearer full keeps the rules;
    // where no break keeps them at all, the page ends where the next box no longer fits.
    let legal = false;
    let loose: [number, number, number | undefined] | undefined;
    let forced: [number, number, number | undefined] | undefined;
    scan: for (let j = i; j < e; j++) {
      const b = boxes[j];
      const before = count ? b.spaceBefore : 0;
      if (count && b.figure === 'opens' && reach < j) {
        const { span, height } = waitingAt(j);
        if (y + before + height > bottom() + EPS && height <= frameBottom - top) legal = waitFrom(span, y, notes) || legal;
      }
      y += before + b.height;
      notes += notesHeight(b);
      count++;
      reach = Math.max(reach, j + (b.keep ?? 0));
      if (give(b) > 0) {
        slack += give(b);
        slack2 += give(b) ** 2;
      }
      const k = j + 1;
      const over = Math.max(0, y - bottom());
      // A box taller than the frame stands alone on its page.
      if (over > slack + EPS && count > 1) break scan;
      const squeeze = Math.min(over, slack);
      const white = bottom() - y + squeeze;
      const cost = pageCost(white, y - squeeze - top + notes, k === e) + (squeeze > EPS ? SHRINK * (squeeze / slack / line) ** 2 * slack2 : 0);
      const squeezed = squeeze > EPS ? squeeze : undefined;
      if (k < e && (reach >= k || splitsLines(boxes[k]))) forced = [k, cost + FORCED, squeezed];
      else if (k < e && white > LOOSE_LINES * line) loose = [k, cost, squeezed];
      else {
        offer(k, cost, undefined, squeezed);
        legal = true;
      }
    }
    if (!legal && (loose ?? forced)) {
      const [k, cost, squeezed] = (loose ?? forced)!;
      offer(k, cost, undefined, squeezed);
    }

    /** Figures `waits` wait for the next page; the plain lines after them fill this one, ending where a break may fall. */
    function waitFrom(waits: Span, y: number, notes: number): boolean {
      const foot = frameBottom - (notes > 0 ? notes + noteSeparator : 0);
      let offered = false;
      for (let m = waits.to; m < e && plainLine(boxes[m]); m++) {
        y += boxes[m].spaceBefore + boxes[m].height;
        if (y > foot + EPS) break;
        const k = m + 1;
        if (k < e && splitsLines(boxes[k])) continue;
        offer(k, pageCost(foot - y, y - top + notes, false) + WAIT, waits);
        offered = true;
      }
      return offered;
    }
  }

  let best: Node | undefined;
  for (const node of states[e - s].values()) if (!node.waiting && (!best || node.cost < best.cost)) best = node;
  // Every page start offers a page that ends further on: the section's end is always reached.
  if (!best) throw new Error(`pagination found no way through boxes ${s}–${e}`);
  const choices: Choice[] = [];
  for (let n: Node | undefined = best; n?.choice; n = n.prev) choices.unshift(n.choice);
  return choices.map((c, k) => setPage(boxes, c, frame(firstPage + k), k === choices.length - 1));
}

/** The page a choice makes: its boxes placed, its notes, and why it ends where it does. */
function setPage(boxes: FlowBox[], c: Choice, { top, bottom, noteSeparator = 0 }: Frame, last: boolean): FlowPage {
  const page: FlowPage = { placed: [], notes: [], end: { blank: 0, reason: 'end' } };
  let y = top;
  const place = (box: FlowBox, first: boolean, at: number) => {
    const before = first ? 0 : box.spaceBefore;
    page.placed.push({ box, y: y + before, first, at });
    y += before + box.height;
  };
  if (c.waited) {
    for (let m = c.waited.from; m < c.waited.to; m++) place(boxes[m], m === c.waited.from, m);
  } else if (c.start < c.end && boxes[c.start].repeat) {
    for (const h of boxes[c.start].repeat!) {
      page.placed.push({ box: h, y, first: false });
      y += h.height;
    }
  }
  const repeated = c.waited ? -1 : page.placed.length;
  const own: number[] = [];
  for (let j = c.start; j < c.end; j++) if (!c.waits || j < c.waits.from || j >= c.waits.to) own.push(j);
  const slack = own.reduce((sum, j) => sum + give(boxes[j]), 0);
  for (const j of own) {
    const b = boxes[j];
    place(c.squeeze && give(b) > 0 ? b.shrink!.set(b.height - (c.squeeze * give(b)) / slack) : b, page.placed.length === repeated, j);
  }
  page.notes = page.placed.flatMap((p) => p.box.notes ?? []);
  const foot = bottom - (page.notes.length ? page.notes.reduce((h, n) => h + n.height, 0) + noteSeparator : 0);
  page.end.blank = foot - y;
  const next = boxes[c.end];
  page.end.reason = last ? (c.end === boxes.length ? 'end' : 'new page') : c.waits ? 'figure' : next && y + next.spaceBefore + next.height > foot + EPS ? 'full' : 'chosen';
  return page;
}
