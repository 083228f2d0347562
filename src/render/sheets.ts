/**
 * How layout pages go onto PDF pages ("sheets") for each output: the screen
 * edition one to one; the print edition with bleed, trim and bleed boxes,
 * crop marks and blank pages before the back cover up to a multiple of four;
 * the booklet two pages to a sheet in saddle-stitch order. Pages are never
 * re-laid: only placed.
 */
import type { Layout } from '../layout/display.js';
import { MM, type Template } from '../template/template.js';

export interface Placement {
  /** layout page index, or null for a blank page */
  page: number | null;
  /** offset of the page's top-left trim corner on the sheet */
  x: number;
  y: number;
}

export interface Sheet {
  width: number;
  height: number;
  placements: Placement[];
  /** trim and bleed boxes, [x, y, w, h] from the top-left corner */
  trim?: [number, number, number, number];
  bleed?: [number, number, number, number];
  /** crop-mark strokes, in sheet coordinates */
  marks: [number, number, number, number][];
  /** clip each page to its trim (booklet sheets hold two) */
  clip: boolean;
}

export function screenSheets(layout: Layout): Sheet[] {
  return layout.pages.map((_, i) => ({ width: layout.width, height: layout.height, placements: [{ page: i, x: 0, y: 0 }], marks: [], clip: false }));
}

/** Page order padded to a multiple of four, the blanks going before the back cover. */
export function paddedOrder(count: number): (number | null)[] {
  const blanks = (4 - (count % 4)) % 4;
  const order: (number | null)[] = [];
  for (let i = 0; i < count - 1; i++) order.push(i);
  for (let i = 0; i < blanks; i++) order.push(null);
  order.push(count - 1);
  return order;
}

const MARK_GAP = 1 * MM;
const MARK_LENGTH = 5 * MM;

export function printSheets(layout: Layout, template: Template): Sheet[] {
  const { bleed, cropMarks } = template.print;
  const W = layout.width;
  const H = layout.height;
  // Crop marks stand outside the bleed, so the sheet grows by their room.
  const o = bleed + (cropMarks ? MARK_GAP + MARK_LENGTH + MARK_GAP : 0);
  const marks: Sheet['marks'] = [];
  if (cropMarks) {
    const near = bleed + MARK_GAP;
    for (const x of [o, o + W]) {
      for (const y of [o, o + H]) {
        const dx = x === o ? -1 : 1;
        const dy = y === o ? -1 : 1;
        marks.push([x + dx * near, y, x + dx * (near + MARK_LENGTH), y]);
        marks.push([x, y + dy * near, x, y + dy * (near + MARK_LENGTH)]);
      }
    }
  }
  return paddedOrder(layout.pages.length).map((page) => ({
    width: W + 2 * o,
    height: H + 2 * o,
    placements: [{ page, x: o, y: o }],
    trim: [o, o, W, H],
    bleed: [o - bleed, o - bleed, W + 2 * bleed, H + 2 * bleed],
    marks,
    clip: false,
  }));
}

/**
 * Saddle-stitch imposition: sheet k carries pages (n-1-2k, 2k) on its front
 * and (2k+1, n-2-2k) on its back, each sheet twice the page width.
 */
export function bookletOrder(count: number): [number | null, number | null][] {
  const order = paddedOrder(count);
  const n = order.length;
  const sides: [number | null, number | null][] = [];
  for (let k = 0; k < n / 4; k++) {
    sides.push([order[n - 1 - 2 * k], order[2 * k]]);
    sides.push([order[2 * k + 1], order[n - 2 - 2 * k]]);
  }
  return sides;
}

export function bookletSheets(layout: Layout): Sheet[] {
  const W = layout.width;
  return bookletOrder(layout.pages.length).map(([left, right]) => ({
    width: 2 * W,
    height: layout.height,
    placements: [
      { page: left, x: 0, y: 0 },
      { page: right, x: W, y: 0 },
    ],
    // The sheet is the finished size (an office printer prints it edge to edge): PDF/X asks for a TrimBox.
    trim: [0, 0, 2 * W, layout.height] as [number, number, number, number],
    marks: [],
    clip: true,
  }));
}
