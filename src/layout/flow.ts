/**
 * The body of the issue as one flow of boxes: a section opener, then each
 * article's title, paragraphs, lists, images, tables and charts.
 */
import type { ImageInfos } from '../assets/images.js';
import type { Warning } from '../source/errors.js';
import { plainText, type Article, type Block, type ImageRef, type Section, type Span } from '../model/document.js';
import { runOff } from './bleed.js';
import { chartBox } from './chart.js';
import type { ComposeSettings, ComposedLine } from '../compose/types.js';
import { isLatinLanguage } from '../model/language.js';
import { labelsFor, type Labels } from './labels.js';
import type { DisplayItem, StructNode } from './display.js';
import type { FlowBox } from './paginate.js';
import type { ParagraphStyle, Styles } from './styles.js';
import { noteNames, placeNotes, type NoteNames } from './notes.js';
import { tableBoxes } from './table.js';
import { blockOfLines, lineBoxes } from './text.js';

export interface FlowContext {
  styles: Styles;
  /** what --debug shows of layout's decisions */
  debug(note: Warning): void;
  images: ImageInfos;
  /** text frame */
  x: number;
  width: number;
  frameHeight: number;
  pageWidth: number;
  warn(w: Warning): void;
}

const IMAGE_GAP = 6;
/** A photo takes at most this share of the frame's height. */
const MAX_IMAGE_SHARE = 0.32;
/** ...and may shrink to this share of its size to fit the rest of a page. */
const MIN_IMAGE_SCALE = 0.6;
/** No picture is placed larger than its pixels allow at this resolution: a 300 px picture is at most 51 mm wide. */
const MIN_PLACED_PPI = 150;
const MM_PER_PT = 25.4 / 72;

export function sectionBoxes(section: Section, index: number, ctx: FlowContext): FlowBox[] {
  const { styles } = ctx;
  const t = styles.settings;
  const band = t.sectionOpener === 'band';
  // A band carries the title in the paper colour; a rule opener sets it in the accent colour.
  const st = band ? styles.get('section') : styles.recolour(styles.get('section'), t.colours.accent);
  const bandH = st.pitch + st.size * 0.9;
  const lines = styles.compose(styles.plain(section.title, st), ctx.width, { align: 'left', title: true });
  const sect: StructNode = { role: 'Sect' };
  const h2: StructNode = { role: 'H2', parent: sect };
  const titleH = lines.length * st.pitch;
  const opener: FlowBox = {
    height: (band ? bandH : titleH + 6) + styles.body.pitch,
    spaceBefore: 0,
    newPage: true,
    keep: 1,
    section: section.title,
    anchor: sectionAnchor(index),
    items: band
      ? [{ kind: 'rect', ...runOff({ x: 0, y: 0, w: ctx.pageWidth, h: bandH }, t, true), fill: t.colours.accent }, ...blockOfLines(lines, ctx.x, st.pitch, h2, (bandH - st.pitch) / 2).items]
      : [...blockOfLines(lines, ctx.x, st.pitch, h2).items, { kind: 'line', x1: ctx.x, y1: titleH + 3, x2: ctx.x + ctx.width, y2: titleH + 3, colour: t.colours.accent, width: 1.5 }],
  };
  return [opener, ...section.articles.flatMap((a, i) => articleBoxes(a, section.title, sect, ctx, i === 0, noteNames(index, i)))];
}

/** Blocks a note may explain, and how such a note begins. */
const FIGURES = new Set<Block['kind']>(['table', 'chart', 'images']);
const FIGURE_NOTE = /^\s*[【（(]?\s*(注|说明|资料来源|数据来源|来源)\s*[：:]/;

/**
 * What the blocks of one article share: the heading level reached (H4 and H5
 * under the article's H3, never a level skipped), the names of its notes, and
 * its language's rules and words.
 */
interface InArticle {
  level: number;
  notes: NoteNames;
  /** Latin-script articles: the rules of their running text (hyphenated) and of their titles and heads (not) */
  latin: boolean;
  text: Partial<ComposeSettings>;
  heads: Partial<ComposeSettings>;
  labels: Labels;
}

function articleBoxes(article: Article, section: string, sect: StructNode, ctx: FlowContext, first: boolean, notes: NoteNames): FlowBox[] {
  const { styles } = ctx;
  const ts = styles.get('title');
  const art: StructNode = { role: 'Art', parent: sect };
  const latin = isLatinLanguage(article.lang);
  const labels = labelsFor(latin);
  const outline: InArticle = { level: 3, notes, labels, latin, text: latin ? { latin: { hyphenation: article.lang } } : {}, heads: latin ? { latin: {} } : {} };
  const titleText = [{ text: article.title, style: {} }, ...(article.titleNotes ?? []).map((n) => ({ text: String(n), style: { note: n } }))];
  const titleLines = styles.compose(styles.spans(titleText, ts, notes.note), ctx.width, { align: 'left', title: true, ...outline.heads });
  const boxes = lineBoxes(titleLines, { x: ctx.x, pitch: ts.pitch, spaceBefore: first ? 0 : styles.body.pitch * 1.5, keep: 2, section, tag: { role: 'H3', parent: art } });
  boxes[0].anchor = articleAnchor(article.file);
  const lastTitle = boxes[boxes.length - 1];
  lastTitle.items.push({ kind: 'line', x1: ctx.x, y1: ts.pitch + 3, x2: ctx.x + ts.size * 2, y2: ts.pitch + 3, colour: ctx.styles.settings.colours.accent, width: 1.5 });
  lastTitle.height += styles.body.pitch / 2;
  // Where each block's boxes begin, for the notice closings below.
  const starts: number[] = [];
  article.blocks.forEach((b, i) => {
    starts.push(boxes.length);
    const made = blockBoxes(b, article, section, ctx, 0, art, outline);
    if (made.length) made[0].sources = blockSources(b, article.file);
    // A note that explains a figure or table (注：…, 资料来源：…) stays with it, whole: the figure may not
    // float past it, nor may its lines fill the page before the figure.
    const above = article.blocks[i - 1];
    if (b.kind === 'paragraph' && above && FIGURES.has(above.kind) && FIGURE_NOTE.test(plainText(b.spans)) && boxes.length) {
      boxes[boxes.length - 1].keep = Math.max(boxes[boxes.length - 1].keep ?? 0, 1);
      made.forEach((box, k) => (box.keep = Math.max(box.keep ?? 0, made.length - 1 - k)));
    }
    boxes.push(...made);
  });
  starts.push(boxes.length);
  keepClosings(article.blocks, starts, boxes);
  if (article.source) {
    const cs = styles.get('caption');
    const src = styles.compose(styles.plain(labels.source(article.source), cs), ctx.width, { align: 'right' });
    boxes[boxes.length - 1].keep = Math.max(boxes[boxes.length - 1].keep ?? 0, 1);
    boxes.push(...lineBoxes(src, { x: ctx.x, pitch: cs.pitch, spaceBefore: cs.pitch / 2, section, tag: { role: 'P', parent: art } }));
  }
  boxes.push(...placeNotes(boxes, article, notes, styles, { x: ctx.x, width: ctx.width, height: ctx.frameHeight }, art, ctx.debug).map((b) => ({ ...b, section })));
  return boxes;
}

/** Where a block was written: its line in the article, and the files its values or pictures came from. */
function blockSources(b: Block, article: string): { file: string; line: number }[] {
  const read = b.kind === 'table' ? [{ file: b.data.file, line: b.data.bodyLines[0] ?? 1 }] : b.kind === 'chart' ? [{ file: b.dataFile, line: 1 }] : b.kind === 'images' ? b.images.map((i) => ({ file: i.file, line: 1 })) : [];
  return [{ file: article, line: b.line }, ...read.filter((r) => r.file !== article)];
}

/** A notice's closing block and how many lines of what precedes it go with it. */
const CLOSING_LEAD = 2;

/**
 * A notice's closing block — consecutive flush-right paragraphs (issuer,
 * date) — stays on one page, with the last two lines before it. `starts[i]`
 * is where block i's boxes begin among `boxes`, and `starts[n]` their end.
 */
function keepClosings(blocks: Block[], starts: number[], boxes: FlowBox[]) {
  const closing = (b: Block | undefined) => b?.kind === 'paragraph' && b.align === 'right';
  for (let i = 0; i < blocks.length; i++) {
    if (!closing(blocks[i]) || closing(blocks[i - 1])) continue;
    let j = i;
    while (closing(blocks[j + 1])) j++;
    const last = starts[j + 1] - 1;
    for (let m = Math.max(starts[0], starts[i] - CLOSING_LEAD); m < last; m++) boxes[m].keep = Math.max(boxes[m].keep ?? 0, last - m);
  }
}

function blockBoxes(block: Block, article: Article, section: string, ctx: FlowContext, inset: number, parent: StructNode, outline: InArticle): FlowBox[] {
  const { styles } = ctx;
  const spans = (s: Span[], st: ParagraphStyle) => styles.spans(s, st, outline.notes.note);
  const body = styles.body;
  const x = ctx.x + inset;
  const width = ctx.width - inset;
  switch (block.kind) {
    case 'paragraph': {
      // Chinese paragraphs open with a two-character indent, Latin ones with the template's (1 em).
      const indent = body.size * (outline.latin ? styles.settings.latinIndent : 2);
      const lines = styles.compose(spans(block.spans, body), width, { ...(block.align ? { align: block.align } : { indent }), ...outline.text });
      return lineBoxes(lines, { x, pitch: body.pitch, section, paragraph: true, tag: { role: 'P', parent } });
    }
    case 'heading': {
      outline.level = Math.min(block.level === 2 ? 4 : 5, outline.level + 1);
      const tag: StructNode = { role: `H${outline.level}` as StructNode['role'], parent };
      const st = styles.get(block.level === 2 ? 'h2' : 'h3');
      const lines = styles.compose(spans(block.spans, st), width, { align: block.align ?? 'left', title: true, ...outline.heads });
      return lineBoxes(lines, { x, pitch: st.pitch, spaceBefore: body.pitch * (block.level === 2 ? 0.75 : 0.25), keep: 2, section, tag });
    }
    case 'list': {
      const boxes: FlowBox[] = [];
      const list: StructNode = { role: 'L', parent };
      for (const item of block.items) {
        const li: StructNode = { role: 'LI', parent: list };
        const hang = body.size * (2 + item.depth * 1.5);
        const lines = styles.compose(spans(item.spans, body), width - hang, { align: item.align ?? 'justify', ...outline.text });
        // Markers in the sans face: the serif's bullet is a small dot.
        const marker = styles.compose(styles.plain(item.marker, styles.get('h3')), hang - body.size * 0.5, { align: 'right' });
        const lb = lineBoxes(lines, { x: x + hang, pitch: body.pitch, section, paragraph: true, tag: { role: 'LBody', parent: li } });
        lb[0].items.unshift(...blockOfLines(marker, x, body.pitch, { role: 'Lbl', parent: li }).items);
        boxes.push(...lb);
      }
      return boxes;
    }
    case 'quote': {
      const quote: StructNode = { role: 'BlockQuote', parent };
      const inner = block.blocks.flatMap((b) => blockBoxes(b, article, section, ctx, inset + body.size * 2, quote, outline));
      const rule = (b: FlowBox): DisplayItem => ({ kind: 'line', x1: x + body.size * 0.5, y1: 0, x2: x + body.size * 0.5, y2: b.height, colour: styles.settings.colours.rule, width: 1.5 });
      return inner.map((b) => ({ ...b, items: [...b.items, rule(b)], ...(b.atPageTop ? { atPageTop: [...b.atPageTop, rule(b)] } : {}) }));
    }
    case 'code': {
      const st = styles.get('table');
      const lines = styles.compose(styles.plain(block.text, st), width, { align: 'left' });
      return lineBoxes(lines, { x, pitch: st.pitch, section, tag: { role: 'P', parent } });
    }
    case 'rule':
      return [{ height: body.pitch, spaceBefore: 0, section, items: [{ kind: 'line', x1: x + width * 0.3, y1: body.pitch / 2, x2: x + width * 0.7, y2: body.pitch / 2, colour: styles.settings.colours.rule, width: 0.5 }] }];
    case 'images':
      return [pictureRow(block.images, ctx, x, width, section, parent, outline.labels.picture(article.title))];
    case 'table': {
      // {width=NN%}: a narrower table, centred on the measure.
      const w = block.width ? width * block.width : width;
      return tableBoxes(block, styles, x + (width - w) / 2, w, ctx.frameHeight, section, article.file, parent);
    }
    case 'chart':
      return [chartBox(block, styles, { x, width, height: ctx.frameHeight }, section, article.file, ctx.warn, parent, outline.labels)];
  }
}

/** A row of pictures as data: everything needed to set it at any height (pagination may shrink it). */
export interface PictureRow {
  images: ImageRef[];
  ratios: number[];
  /** the captions as set at the natural size, and as set when the row is shrunk */
  natural: Captions;
  shrunk: Captions;
  capPitch: number;
  /** each picture's Figure element; none: decorative, an artifact */
  figures: (StructNode | undefined)[];
  parent: StructNode;
  x: number;
  width: number;
  gaps: number;
  /** picture height as wished */
  height: number;
  air: number;
  section: string;
}

/** Each picture's caption lines, the widths they were composed at, and what they and the air take below the row. */
interface Captions {
  lines: ComposedLine[][];
  widths: number[];
  extra: number;
}

/** Images side by side, scaled to one height and filling the width (or their `{width=}` share). */
/** `undescribedAlt`: what a picture with neither caption nor alt text is said to show (图片：and its article's title). */
function pictureRow(images: ImageRef[], ctx: FlowContext, x: number, width: number, section: string, parent: StructNode, undescribedAlt: string): FlowBox {
  const { styles } = ctx;
  const cs = styles.get('caption');
  const infos = images.map((i) => ctx.images.get(i.file)!);
  const ratios = infos.map((a) => a.width / a.height);
  const share = images.length === 1 ? (images[0].width ?? 1) : 1;
  const gaps = IMAGE_GAP * (images.length - 1);
  const wanted = Math.min((width * share - gaps) / ratios.reduce((a, b) => a + b, 0), ctx.frameHeight * MAX_IMAGE_SHARE * (images.length > 1 ? 0.8 : 1));
  // A small picture is placed no larger than its pixels allow, rather than printed blurred.
  // (Vector drawings have no pixels to run out of.)
  const limit = (a: (typeof infos)[number]) => (a.format === 'svg' ? Infinity : (a.height / MIN_PLACED_PPI) * 72);
  const sharp = Math.min(...infos.map(limit));
  const natural = Math.min(wanted, sharp);
  if (sharp < wanted - 0.5) {
    infos.forEach((a, i) => {
      if (limit(a) > wanted) return;
      const mm = (h: number) => Math.round(ratios[i] * h * MM_PER_PT);
      ctx.warn({ file: a.file, message: `the image is ${a.width}×${a.height} px: set ${mm(natural)} mm wide (${MIN_PLACED_PPI} ppi) instead of ${mm(wanted)} mm, so that it stays sharp` });
    });
  }
  // A picture's caption is composed once for the natural size (a single picture's also stands under it
  // shrunk: at least six characters wide, centred, it stays inside the frame). In a row of several each
  // caption is as wide as its picture, never wider, lest it run into the next one's or past the frame;
  // a row that shrinks takes captions composed for its smallest size.
  const air = styles.settings.figureSpace;
  const captionsAt = (h: number): Captions => {
    const widths = ratios.map((r) => (images.length > 1 ? Math.max(r * h, cs.size) : Math.min(width, Math.max(r * h, cs.size * 6))));
    const lines = images.map((img, i) => (img.caption ? styles.compose(styles.plain(img.caption, cs), widths[i], { align: 'center' }) : []));
    const capH = Math.max(0, ...lines.map((c) => c.length)) * cs.pitch;
    // Air below the picture (or its caption) before the text resumes, as above it (the template's spacing.figures).
    return { lines, widths, extra: (capH ? capH + 3 : 0) + air };
  };
  const atNatural = captionsAt(natural);
  const shrunk = images.length > 1 ? captionsAt(natural * MIN_IMAGE_SCALE) : atNatural;
  // The caption says what the picture shows, else the editor's description; without either, the
  // article it belongs to (never its file name), or nothing at all where the template calls such pictures decorative.
  const undescribed = styles.settings.undescribedPictures;
  const figures = images.map((img): StructNode | undefined => (img.caption || img.alt || undescribed === 'titled' ? { role: 'Figure', parent, alt: img.caption || img.alt || undescribedAlt } : undefined));
  return pictureBox({ images, ratios, natural: atNatural, shrunk, capPitch: cs.pitch, figures, parent, x, width, gaps, height: natural, air, section }, natural);
}

/** The row set with its pictures `h` high. */
function pictureBox(row: PictureRow, h: number): FlowBox {
  const widths = row.ratios.map((r) => r * h);
  const total = widths.reduce((a, b) => a + b, 0) + row.gaps;
  const captions = h < row.height ? row.shrunk : row.natural;
  const items: DisplayItem[] = [];
  let ix = row.x + (row.width - total) / 2;
  row.images.forEach((img, i) => {
    items.push({ kind: 'image', x: ix, y: 0, w: widths[i], h, image: img.file, tag: row.figures[i] });
    // Centred on the picture as placed, after any shrink.
    items.push(...blockOfLines(captions.lines[i], ix + (widths[i] - captions.widths[i]) / 2, row.capPitch, { role: 'Caption', parent: row.parent }, h + 3).items);
    ix += widths[i] + IMAGE_GAP;
  });
  const box: FlowBox = { height: h + captions.extra, spaceBefore: row.air, section: row.section, figure: 'opens', items };
  // At its natural size it may shrink to finish a page, to 60 % (with the captions composed for that).
  if (h === row.height) box.shrink = { least: row.height * MIN_IMAGE_SCALE + row.shrunk.extra, set: (height) => pictureBox(row, Math.min(row.height, height - row.shrunk.extra)) };
  return box;
}

/** The anchors the locations pass maps to pages: a section's opener (by its place in the issue), an article's title (by its file). */
export const sectionAnchor = (index: number) => `section:${index}`;
export const articleAnchor = (file: string) => `article:${file}`;
