/**
 * The document model: what the issue says, with no notion of pages, fonts
 * or positions. Produced by `model/build.ts`, consumed by layout.
 */
import type { SourcePos, Warning } from '../source/errors.js';

export interface InlineStyle {
  bold?: boolean;
  italic?: boolean;
  code?: boolean;
  /** external link target */
  link?: string;
  /** a footnote reference: the note's number in its article (the span's text is that number; the template chooses how the marker looks) */
  note?: number;
}

/** A run of text with one style. `\n` inside `text` is a forced line break. */
export interface Span {
  text: string;
  style: InlineStyle;
}

export type Align = 'left' | 'right' | 'center';

/** The text of styled spans, without their styles. */
export function plainText(spans: Span[]): string {
  return spans.map((s) => s.text).join('');
}

export interface TableData {
  /** file the cells came from (for error messages) */
  file: string;
  /** header rows as written; empty cells in a lower row belong to the cell above */
  header: string[][];
  body: string[][];
  /** one name per column: the lowest non-empty header cell */
  columns: string[];
  /** 1-based line of each body row in `file` */
  bodyLines: number[];
  /** where each body cell starts in `file` */
  bodyCells: SourcePos[][];
  /** body cells written with Markdown (links, emphasis), as styled text; the plain text is in `body` */
  rich?: (Span[] | undefined)[][];
}

export interface TableBlock {
  kind: 'table';
  data: TableData;
  caption?: string;
  subcaption?: string;
  /** set under the table; Markdown inline (links, emphasis, <autolinks>) */
  note?: Span[];
  /** columns whose empty cells join the value above */
  merge: string[];
  align: Align[];
  /** per column: a share of the text width (0–1), or undefined for automatic */
  widths?: (number | undefined)[];
  /** the table's share of the text width (0–1), centred, when the editor set `{width=NN%}` */
  width?: number;
  line: number;
}

export type ChartType = 'bar' | 'hbar' | 'stacked' | 'line' | 'pie' | 'donut' | 'combo';

export interface ChartBlock {
  kind: 'chart';
  type: ChartType;
  title?: string;
  unit?: string;
  source?: string;
  categories: string[];
  /** a value per category; null where the data has no figure (drawn as a gap) */
  series: { name: string; values: (number | null)[] }[];
  /** the file the values came from: the CSV, or the article for inline rows */
  dataFile: string;
  /** share of the text width, 0–1 */
  width: number;
  line: number;
}

export interface ImageRef {
  /** absolute path inside the issue folder */
  file: string;
  caption: string;
  /** what the picture shows, for screen readers, when the editor wrote `{alt="…"}` */
  alt?: string;
  /** share of the text width, 0–1, when the editor set `{width=NN%}` */
  width?: number;
}

export interface ListItem {
  spans: Span[];
  depth: number;
  marker: string;
  /** `{align=…}`: the item's text flush left, right or centred instead of justified */
  align?: Align;
}

export type Block =
  /** `align`: set flush left (no indent), right or centred instead of justified */
  | { kind: 'paragraph'; spans: Span[]; line: number; align?: Align }
  | { kind: 'heading'; level: 2 | 3; spans: Span[]; line: number; align?: Align }
  | { kind: 'list'; ordered: boolean; items: ListItem[]; line: number }
  | { kind: 'quote'; blocks: Block[]; line: number }
  | { kind: 'code'; text: string; line: number }
  | { kind: 'images'; images: ImageRef[]; line: number }
  | { kind: 'rule'; line: number }
  | TableBlock
  | ChartBlock;

export interface Article {
  file: string;
  title: string;
  /** title in the table of contents */
  toc: string;
  /** the language of its text (a tag: zh, en …): Latin-script languages are set by Latin rules */
  lang: string;
  /** footnotes referred to at the end of the title (its text holds no marker) */
  titleNotes?: number[];
  source?: string;
  blocks: Block[];
  /** footnotes in the order of their first reference: note n is `notes[n - 1]`, its paragraphs joined by `\n` */
  notes: Span[][];
}

export interface Section {
  title: string;
  articles: Article[];
}

export interface DocumentModel {
  number: number;
  date: string;
  period: string;
  label: string;
  staff: { role: string; name: string }[];
  sections: Section[];
  /** what reading and parsing forgave (control characters), with file and position */
  warnings: Warning[];
}
