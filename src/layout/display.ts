/**
 * What layout hands to the renderer: pages of display items in points,
 * origin at the top-left corner of the trim box, y downwards. Colours are
 * template colours; the renderer picks RGB or CMYK per edition.
 */
import type { GlyphRun } from '../compose/types.js';
import type { Warning } from '../source/errors.js';
import type { Colour } from '../template/colour.js';

/** 2-D affine matrix [a, b, c, d, e, f], as in SVG and PDF. */
export type Matrix = [number, number, number, number, number, number];

/** Standard structure types (PDF 1.7, 14.8.4) the screen edition's tags use. */
export type Role = 'Sect' | 'Art' | 'H1' | 'H2' | 'H3' | 'H4' | 'H5' | 'H6' | 'P' | 'L' | 'LI' | 'Lbl' | 'LBody' | 'BlockQuote' | 'Table' | 'TR' | 'TH' | 'TD' | 'Figure' | 'Caption' | 'Link' | 'Note' | 'TOC' | 'TOCI';

/**
 * An element of the logical structure, in reading order of first
 * appearance. Items point at their innermost element, elements at their
 * parent (none: the document). An item without one is decoration (rules,
 * bands, running lines, folios) and is tagged an artifact.
 */
/**
 * Why a page ends: the flow ran out or a new section starts; a figure waits
 * for the next page while text fills this one; the next box does not fit; or
 * the break was chosen earlier (keep rules, or white shared with the pages
 * around it).
 */
export type PageEnd = 'end' | 'new page' | 'figure' | 'full' | 'chosen';

export interface StructNode {
  role: Role;
  parent?: StructNode;
  /** Figure: its text alternative; Link: what the link is for */
  alt?: string;
  /** TH: the cells it heads */
  scope?: 'Column' | 'Row';
  rowSpan?: number;
  colSpan?: number;
  /** Note: its identifier (PDF/UA asks one of every note) */
  id?: string;
}

export type DisplayItem = (
  | ({
      kind: 'text';
      /** baseline */
      y: number;
      /** continues the line of the text item before it (one text object: copied text has no gaps) */
      continues?: true;
      /** degrees, negative turns to the left, about `origin` */
      rotate?: number;
      origin?: [number, number];
    } & GlyphRun)
  | {
      kind: 'rect';
      x: number;
      y: number;
      w: number;
      h: number;
      fill?: Colour;
      stroke?: Colour;
      lineWidth?: number;
    }
  /** `dash`: on-length of a dashed line, `gap` its off-length (default 1.5 × dash); the pattern starts at (x1, y1) */
  | { kind: 'line'; x1: number; y1: number; x2: number; y2: number; colour: Colour; width: number; dash?: number; gap?: number }
  | { kind: 'path'; d: string; fill?: Colour; stroke?: Colour; lineWidth?: number; /** maps the path's coordinates to the page */ transform?: Matrix }
  /** a picture, or an SVG drawing (drawn as vectors), by its file */
  | { kind: 'image'; x: number; y: number; w: number; h: number; image: string }
  | { kind: 'link'; x: number; y: number; w: number; h: number; url: string }
  /** a link within the document, to a named destination: `page-N` (a page, 0-based) or an anchor's name */
  | { kind: 'goto'; x: number; y: number; w: number; h: number; dest: string }
  /** a named destination at (x, y): where a footnote or its reference stands */
  | { kind: 'anchor'; x: number; y: number; name: string }
  /** draws nothing: makes the element exist where it stands in reading order (an empty table cell) */
  | { kind: 'struct' }
) & { tag?: StructNode };

export interface Page {
  /** 1-based page number as printed */
  number: number;
  items: DisplayItem[];
}

export interface OutlineEntry {
  title: string;
  /** 0-based page index */
  page: number;
  children: OutlineEntry[];
}

export interface Layout {
  width: number;
  height: number;
  /** the last page is the back cover: print pads before it */
  pages: Page[];
  outline: OutlineEntry[];
  /** 0-based page index of each article's title, by article file */
  articlePages: Map<string, number>;
  /** each image's largest placed size in points: images are resampled to it */
  imageSizes: Map<string, { w: number; h: number }>;
  /** what layout had to decide against the wishes (a small picture set smaller) */
  warnings: Warning[];
  /** each page's white at the foot of the frame and why the page ended there (0-based page index) */
  pageEnds: { page: number; blank: number; reason: PageEnd }[];
  /** each figure's page and the page of the text before it, which refers to it (0-based) */
  figures: { page: number; reference: number }[];
  /** layout's decisions worth a line under --debug (a footnote set at its article's end) */
  debug: Warning[];
  /** where each block of the body was written and the page (0-based) it begins on, in the flow's order */
  sources: { file: string; line: number; page: number }[];
}

/** `items` moved down by `dy` (new objects: a box's items stay as they are, at its top edge 0). */
export function moved(items: DisplayItem[], dy: number): DisplayItem[] {
  if (dy === 0) return items;
  return items.map((it): DisplayItem => {
    switch (it.kind) {
      case 'text':
        return it.origin ? { ...it, y: it.y + dy, origin: [it.origin[0], it.origin[1] + dy] } : { ...it, y: it.y + dy };
      case 'line':
        return { ...it, y1: it.y1 + dy, y2: it.y2 + dy };
      case 'path': {
        const [a, b, c, d, e, f] = it.transform ?? [1, 0, 0, 1, 0, 0];
        return { ...it, transform: [a, b, c, d, e, f + dy] };
      }
      case 'struct':
        return it;
      default:
        return { ...it, y: it.y + dy };
    }
  });
}
