/**
 * Stage 2: an article's Markdown → blocks of the document model.
 * markdown-it tokenises (raw HTML off: it stays text); we keep what a
 * newsletter needs and refuse what we cannot set, naming the line.
 */
import type { Token } from 'markdown-it';
import { UserError, type SourcePos, type Warning } from '../source/errors.js';
import { resolveFile } from '../source/files.js';
import type { ArticleSource } from '../issue/load.js';
import { plainText, type Align, type Article, type Block, type ImageRef, type InlineStyle, type Span, type TableBlock } from './document.js';
import { ATTRIBUTE_KEYS, braceGroups, readAttributes, strayAttributes, trailingAttributes, type Attribute, type AttributeTarget } from './attributes.js';
import type { CsvRow } from './csv.js';
import { defaultAlign, parseChartBlock, parseTableBlock, tableData } from './data-blocks.js';
import { requirePackage } from '../packages.js';
import { articleLanguage, isLatinLanguage } from './language.js';

type MarkdownIt = InstanceType<typeof import('markdown-it').default>;

/** Loaded when an article must be parsed: a rebuild from the cache parses none. Latin-script articles get curly quotes. */
const parsers = new Map<boolean, MarkdownIt>();
function markdownIt(latin = false): MarkdownIt {
  let parser = parsers.get(latin);
  if (parser) return parser;
  const md: MarkdownIt = new (requirePackage('markdown-it') as typeof import('markdown-it').default)('default', { html: false, linkify: false, typographer: latin, quotes: '“”‘’' });
  // Of the typographer, only the quotes (and apostrophes): (c), -- and ... stay as written.
  if (latin) md.disable('replacements');
  // `**问：**答`: CommonMark's flanking rules leave emphasis next to full-width punctuation open; the amendment closes it.
  md.use((requirePackage('markdown-it-cjk-friendly') as { default: (md: MarkdownIt) => void }).default);
  md.use(requirePackage('markdown-it-footnote') as (md: MarkdownIt) => void);
  // Bare links are found by inlineSpans (linkText), with linkify-it: web addresses with their scheme and mail addresses; never ftp or scheme-less //host.
  md.linkify.set({ fuzzyLink: false, fuzzyEmail: true, fuzzyIP: false }).add('ftp:', null).add('//', null);
  parsers.set(latin, (parser = md));
  return parser;
}

/** Han characters and CJK punctuation: a soft line break between two of them adds nothing. */
const CJK = /[\p{Script=Han}\u3000-\u303f\uff00-\uffef\u2018-\u201d\u2026\u2014]/u;

/** Where in the article something written in a block is: the first line of the block (from `line` on) that holds `needle`, and its column; the block's line otherwise. */
type Locate = (line: number, ...needles: string[]) => SourcePos;

function locator(src: ArticleSource): Locate {
  const lines = src.body.split('\n');
  return (line, ...needles) => {
    for (const needle of needles) {
      for (let l = line; l < line + 50 && l - src.bodyLine < lines.length; l++) {
        const text = lines[l - src.bodyLine] ?? '';
        const at = text.indexOf(needle);
        if (at >= 0) return { line: l, col: [...text.slice(0, at)].length + 1 };
      }
    }
    return { line, col: 1 };
  };
}

/** Quotes inside quotes beyond this cannot be set: each level indents by two characters. */
const MAX_QUOTE_DEPTH = 5;
/**
 * Lists inside lists beyond this cannot be set: each level hangs by one and a
 * half characters more. With the quotes' limit it also keeps every article
 * far inside markdown-it's nesting limit, past which it drops the rest of a
 * container without a word.
 */
const MAX_LIST_DEPTH = 8;

/** What the inline reader needs to name where something is and warn about it. */
interface InlineContext {
  file: string;
  locate: Locate;
  warn(pos: SourcePos, message: string): void;
}

export function parseArticle(src: ArticleSource, issueDir: string, warn?: (w: Warning) => void): Article {
  const lang = articleLanguage(src);
  const md = markdownIt(isLatinLanguage(lang));
  const env: FootnoteEnv = {};
  const tokens = md.parse(src.body, env as Record<PropertyKey, unknown>);
  const locate = locator(src);
  const lineOf = (t: Token) => (t.map ? t.map[0] + src.bodyLine : src.bodyLine);
  const fail = (t: Token, message: string) => new UserError(message, src.file, { line: lineOf(t), col: 1 });
  const cx: InlineContext = { file: src.file, locate, warn: (pos, message) => warn?.({ file: src.file, pos, message }) };

  let title: string | undefined;
  let titleNotes: number[] = [];
  const stack: Block[][] = [[]];
  const out = () => stack[stack.length - 1];
  let list: Extract<Block, { kind: 'list' }> | undefined;
  const listDepth: { ordered: boolean; n: number }[] = [];
  const notes: Span[][] = [];
  let note: Span[] | undefined;

  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i];
    if (note && !NOTE_TOKENS.has(t.type)) throw fail(t, 'a footnote holds paragraphs only: write lists, quotes, tables and headings in the article');
    switch (t.type) {
      case 'heading_open': {
        const inline = tokens[i + 1];
        const level = Number(t.tag.slice(1));
        const attrs = takeAttributes(inline);
        const spans = inlineSpans(inline, lineOf(t), cx);
        if (level === 1 && title === undefined) {
          titleNotes = spans.flatMap((s) => (s.style.note ? [s.style.note] : []));
          title = plainText(spans.filter((s) => !s.style.note)).trim();
          if (!title) throw fail(t, 'the title is empty: write it after the "# "');
          unattached(attrs, 'the article title', lineOf(t), cx);
        } else {
          const heading: Block = { kind: 'heading', level: level <= 2 ? 2 : 3, spans, line: lineOf(t) };
          attach(attrs, 'heading', heading, lineOf(t), cx);
          out().push(heading);
        }
        i += 2;
        break;
      }
      case 'paragraph_open': {
        const inline = tokens[i + 1];
        i += 2;
        if (note) {
          if (note.length) note.push({ text: '\n', style: {} });
          note.push(...inlineSpans(inline, lineOf(t), cx));
          break;
        }
        if (list) {
          const item = list.items[list.items.length - 1];
          const attrs = takeAttributes(inline);
          const spans = inlineSpans(inline, lineOf(t), cx);
          if (item.spans.length) item.spans.push({ text: '\n', style: {} });
          item.spans.push(...spans);
          attach(attrs, 'list item', item, lineOf(t), cx);
          break;
        }
        const images = imageRow(inline, src, issueDir, lineOf(t), cx);
        if (images) {
          out().push({ kind: 'images', images, line: lineOf(t) });
          break;
        }
        const attrs = takeAttributes(inline);
        const spans = inlineSpans(inline, lineOf(t), cx);
        // Attributes on a line of their own belong to the block above.
        if (attrs.length && !plainText(spans).trim()) {
          const above = out()[out().length - 1];
          if (above && above.kind in ATTRIBUTE_KEYS) attach(attrs, above.kind as AttributeTarget, above, lineOf(t), cx);
          else unattached(attrs, above ? BLOCK_NAMES[above.kind] : 'the start of the article', lineOf(t), cx);
          break;
        }
        const paragraph: Block = { kind: 'paragraph', spans, line: lineOf(t) };
        attach(attrs, 'paragraph', paragraph, lineOf(t), cx);
        out().push(paragraph);
        break;
      }
      case 'bullet_list_open':
      case 'ordered_list_open': {
        if (listDepth.length >= MAX_LIST_DEPTH) throw fail(t, `lists are nested more than ${MAX_LIST_DEPTH} deep; at most ${MAX_LIST_DEPTH} levels can be set`);
        const ordered = t.type === 'ordered_list_open';
        listDepth.push({ ordered, n: Number(t.attrGet('start') ?? 1) });
        if (!list) {
          list = { kind: 'list', ordered, items: [], line: lineOf(t) };
          out().push(list);
        }
        break;
      }
      case 'list_item_open': {
        const d = listDepth[listDepth.length - 1];
        const marker = d.ordered ? `${d.n++}.` : listDepth.length > 1 ? '◦' : '•';
        list!.items.push({ spans: [], depth: listDepth.length - 1, marker });
        break;
      }
      case 'bullet_list_close':
      case 'ordered_list_close':
        listDepth.pop();
        if (listDepth.length === 0) list = undefined;
        break;
      case 'blockquote_open': {
        if (stack.length > MAX_QUOTE_DEPTH) throw fail(t, `quotes are nested more than ${MAX_QUOTE_DEPTH} deep; at most ${MAX_QUOTE_DEPTH} levels can be set`);
        const quote: Block = { kind: 'quote', blocks: [], line: lineOf(t) };
        out().push(quote);
        stack.push(quote.blocks);
        break;
      }
      case 'blockquote_close':
        stack.pop();
        break;
      case 'fence': {
        const info = t.info.trim().split(/\s+/)[0];
        const fenceLine = lineOf(t);
        const inline = (text: string, line: number) => inlineSpans(md.parseInline(text, {})[0], line, cx);
        if (info === 'table') out().push(parseTableBlock(src.file, fenceLine, t.content, issueDir, inline, warn));
        else if (info === 'chart') out().push(parseChartBlock(src.file, fenceLine, t.content, issueDir, warn));
        else out().push({ kind: 'code', text: t.content.replace(/\n$/, ''), line: fenceLine });
        break;
      }
      case 'code_block':
        out().push({ kind: 'code', text: t.content.replace(/\n$/, ''), line: lineOf(t) });
        break;
      case 'hr':
        out().push({ kind: 'rule', line: lineOf(t) });
        break;
      case 'table_open': {
        const end = tokens.findIndex((x, j) => j > i && x.type === 'table_close');
        out().push(pipeTable(tokens.slice(i, end + 1), lineOf(t), cx));
        i = end;
        break;
      }
      case 'footnote_open':
        notes.push((note = []));
        break;
      case 'footnote_close':
        note = undefined;
        break;
      default:
        break;
    }
  }
  if (title === undefined) throw new UserError('the article has no title: its first heading must be "# Title"', src.file, { line: src.bodyLine, col: 1 });
  if (stack.length !== 1) throw fail(tokens[tokens.length - 1], 'unclosed block quote');
  for (const [label, id] of Object.entries(env.footnotes?.refs ?? {})) {
    if (id < 0) cx.warn(locate(src.bodyLine, `[${label.replace(/^:/, '^')}]:`), `the footnote [${label.replace(/^:/, '^')}] is not referenced in the text; left out`);
  }
  return { file: src.file, title, toc: src.toc ?? title, source: src.source, lang, blocks: withoutEmptyItems(stack[0]), notes, ...(titleNotes.length ? { titleNotes } : {}) };
}

/** What markdown-it-footnote keeps of an article's notes: each label (`:1`) and its number, -1 while nothing refers to it. */
interface FootnoteEnv {
  footnotes?: { refs?: Record<string, number> };
}

/** Tokens a footnote's text may hold. */
const NOTE_TOKENS = new Set(['paragraph_open', 'inline', 'paragraph_close', 'footnote_anchor', 'footnote_close']);

/** What a block is called in a message. */
const BLOCK_NAMES: Record<Block['kind'], string> = { paragraph: 'a paragraph', heading: 'a heading', list: 'a list', quote: 'a quote', code: 'code', images: 'pictures (write the braces right after a picture)', rule: 'a rule', table: 'a table', chart: 'a chart' };

/** Takes attribute groups off the end of a block's inline text. */
function takeAttributes(inline: Token): Attribute[] {
  const children = inline.children ?? [];
  const last = children[children.length - 1];
  if (last?.type !== 'text') return [];
  const { text, attributes } = trailingAttributes(last.content);
  last.content = text;
  return attributes;
}

function unattached(attrs: Attribute[], where: string, line: number, cx: InlineContext): void {
  for (const a of new Set(attrs.map((x) => x.written))) cx.warn(cx.locate(line, a), `${a} cannot be attached to ${where}; left out`);
}

type Attachable = Block | ImageRef | { align?: Align };

/**
 * Applies attributes to what they follow; a key the block does not take,
 * or a value it cannot use, is named in a warning (an impossible width is
 * an error: the layout would have to guess).
 */
function attach(attrs: Attribute[], target: AttributeTarget, to: Attachable, line: number, cx: InlineContext): void {
  for (const a of attrs) {
    const at = cx.locate(line, a.written);
    const allowed: readonly string[] = ATTRIBUTE_KEYS[target];
    if (!allowed.includes(a.key)) {
      const name = a.key === 'class' || a.key === 'id' ? `${a.key === 'class' ? '.' : '#'}${a.value}` : `"${a.key}"`;
      cx.warn(at, `a ${target} has no attribute ${name} (it takes ${allowed.map((k) => `${k}=`).join(' and ')}); left out`);
      continue;
    }
    if (a.key === 'align') {
      if (!/^(left|right|center)$/.test(a.value)) {
        cx.warn(at, `{align=${a.value}} is not an alignment: write left, right or center; left out`);
        continue;
      }
      const align = a.value as Align;
      // A quote's or list's reaches what it holds.
      if ('kind' in to && (to.kind === 'quote' || to.kind === 'list')) alignWithin([to], align);
      else (to as { align?: Align }).align = align;
    } else if (a.key === 'width') {
      const n = /^(\d{1,3})%$/.exec(a.value)?.[1];
      if (!n || !(Number(n) >= 1 && Number(n) <= 100)) throw new UserError(`{width=${a.value}} is not a width: give 1% to 100%`, cx.file, at);
      (to as { width?: number }).width = Number(n) / 100;
    } else if (a.key === 'alt') {
      if (a.value.trim()) (to as ImageRef).alt = a.value.trim();
      else cx.warn(at, '{alt=""} is empty: say what the picture shows');
    } else if (a.key === 'caption') {
      if (a.value.trim()) (to as TableBlock).caption = a.value.trim();
      else cx.warn(at, '{caption=""} is empty: give the table its title');
    }
  }
}

/** An alignment given to quotes or lists applies to every paragraph, heading and item in them that has none of its own. */
function alignWithin(blocks: Block[], align: Align): void {
  for (const b of blocks) {
    if (b.kind === 'paragraph' || b.kind === 'heading') b.align ??= align;
    else if (b.kind === 'quote') alignWithin(b.blocks, align);
    else if (b.kind === 'list') for (const item of b.items) item.align ??= align;
  }
}

/** List items with no text of their own (`- - item`, a bare `-`) print nothing: they are dropped, their sublists kept. */
function withoutEmptyItems(blocks: Block[]): Block[] {
  return blocks.flatMap((b): Block[] => {
    if (b.kind === 'quote') return [{ ...b, blocks: withoutEmptyItems(b.blocks) }];
    if (b.kind !== 'list') return [b];
    const items = b.items.filter((i) => plainText(i.spans).trim() !== '');
    return items.length ? [{ ...b, items }] : [];
  });
}

function safeDecode(s: string): string {
  try {
    return decodeURI(s);
  } catch {
    return s;
  }
}

/** Links in a PDF that is emailed may only open web pages and mail. */
const LINK_SCHEMES = /^(https?:\/\/|mailto:)/i;

/** Characters no URL holds unencoded: in Chinese text a bare address ends at the first of them. */
const WIDE = /[\u1100-\u115f\u2014\u2018-\u201f\u2026\u2e80-\ua4cf\ua960-\ua97f\uac00-\ud7a3\uf900-\ufaff\ufe10-\ufe19\ufe30-\ufe6f\uff00-\uff60\uffe0-\uffe6\u{1f000}-\u{1faff}\u{20000}-\u{3fffd}]+/u;

/** Text with its bare web and mail addresses as links, each found by linkify-it within a run of narrow characters. */
function linkText(text: string): { text: string; link?: string }[] {
  const out: { text: string; link?: string }[] = [];
  const addText = (t: string) => {
    if (!t) return;
    const last = out[out.length - 1];
    if (last && !last.link) last.text += t;
    else out.push({ text: t });
  };
  let rest = text;
  while (rest) {
    const wide = WIDE.exec(rest);
    const narrow = wide ? rest.slice(0, wide.index) : rest;
    let at = 0;
    for (const m of markdownIt().linkify.match(narrow) ?? []) {
      if (!LINK_SCHEMES.test(m.url)) continue;
      addText(narrow.slice(at, m.index));
      out.push({ text: m.text, link: m.url });
      at = m.lastIndex;
    }
    addText(narrow.slice(at));
    if (!wide) break;
    addText(wide[0]);
    rest = rest.slice(wide.index + wide[0].length);
  }
  return out;
}

function inlineSpans(inline: Token, line: number, cx: InlineContext): Span[] {
  const spans: Span[] = [];
  const style: InlineStyle = {};
  const push = (text: string, as: InlineStyle = style) => {
    if (!text) return;
    const last = spans[spans.length - 1];
    if (last && sameStyle(last.style, as)) last.text += text;
    else spans.push({ text, style: { ...as } });
  };
  const children = inline.children ?? [];
  for (let i = 0; i < children.length; i++) {
    const c = children[i];
    switch (c.type) {
      case 'text': {
        let { text, stray } = strayAttributes(c.content);
        for (const s of stray) cx.warn(cx.locate(line, s), `${s} cannot be attached here (attributes go at the end of a paragraph, heading or list item, or after a picture); left out`);
        // markdown-it-footnote leaves a reference to a note that is not written as text.
        text = text.replace(/\[\^([^\]\s]+)\]/g, (whole) => {
          cx.warn(cx.locate(line, whole), `the footnote ${whole} is not written: add "${whole}: the note" to the article; left out`);
          return '';
        });
        if (style.link) push(text);
        else for (const part of linkText(text)) push(part.text, part.link ? { ...style, link: part.link } : style);
        break;
      }
      case 'softbreak': {
        const before = plainText(spans).slice(-1);
        const after = children[i + 1]?.content?.[0] ?? '';
        push(CJK.test(before) && CJK.test(after) ? '' : ' ');
        break;
      }
      case 'hardbreak':
        push('\n');
        break;
      case 'strong_open':
        style.bold = true;
        break;
      case 'strong_close':
        delete style.bold;
        break;
      case 'em_open':
        style.italic = true;
        break;
      case 'em_close':
        delete style.italic;
        break;
      case 'link_open': {
        const href = String(c.attrGet('href') ?? '');
        if (!LINK_SCHEMES.test(href)) throw new UserError(`the link "${href}" is not http, https or mailto; link to a web page, or write the address as text`, cx.file, cx.locate(line, `](${href}`, `](${safeDecode(href)}`, ']('));
        style.link = href;
        break;
      }
      case 'link_close':
        delete style.link;
        break;
      case 'code_inline':
        push(c.content, { ...style, code: true });
        break;
      case 'footnote_ref': {
        const n = (c.meta as { id: number }).id + 1;
        push(String(n), { ...style, note: n });
        break;
      }
      case 'image':
        throw new UserError('an image must stand in a paragraph of its own (images side by side are fine)', cx.file, { line, col: 1 });
      default:
        push(c.content);
    }
  }
  return spans;
}

function sameStyle(a: InlineStyle, b: InlineStyle): boolean {
  return !!a.bold === !!b.bold && !!a.italic === !!b.italic && !!a.code === !!b.code && a.link === b.link && a.note === b.note;
}

/** A paragraph of images only (with optional `{width=NN% alt="…"}` after each) is an image row. */
function imageRow(inline: Token, src: ArticleSource, issueDir: string, line: number, cx: InlineContext): ImageRef[] | undefined {
  const children = inline.children ?? [];
  if (!children.some((c) => c.type === 'image')) return undefined;
  const images: ImageRef[] = [];
  const alone = () => new UserError('an image must stand in a paragraph of its own (images side by side are fine)', src.file, { line, col: 1 });
  for (const c of children) {
    if (c.type === 'image') {
      const written = String(c.attrGet('src') ?? '');
      let decoded: string;
      try {
        decoded = decodeURI(written);
      } catch {
        throw new UserError(`the image path "${written}" has a broken % escape`, src.file, cx.locate(line, '](images/'));
      }
      const r = resolveFile(issueDir, decoded);
      const at = cx.locate(line, `](${written}`, `](${decoded}`);
      if ('missing' in r) throw new UserError(`image ${written} not found`, src.file, at);
      if ('error' in r) throw new UserError(r.error, src.file, at);
      images.push({ file: r.path, caption: c.content });
    } else if (c.type === 'text') {
      let rest = c.content;
      // After a picture, braces are always meant as its attributes: braces that cannot be read are named, not printed.
      for (const g of braceGroups(c.content)) {
        const last = images[images.length - 1];
        if (!last) throw new UserError(`${g.whole} must follow an image`, src.file, cx.locate(line, g.whole));
        const attrs = readAttributes(g.inner, g.whole);
        if (attrs) attach(attrs, 'picture', last, line, cx);
        else cx.warn(cx.locate(line, g.whole), `${g.whole} is not a picture's attributes: write {width=50%} or {alt="what it shows"}; left out`);
        rest = rest.replace(g.whole, '');
      }
      if (rest.trim()) throw alone();
    } else if (c.type !== 'softbreak') throw alone();
  }
  return images;
}

function pipeTable(tokens: Token[], line: number, cx: InlineContext): Block {
  const rows: CsvRow[] = [];
  let headerRows = 0;
  let row: string[] | undefined;
  let spans: Span[][] = [];
  const bodySpans: Span[][][] = [];
  let inHead = false;
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i];
    if (t.type === 'thead_open') inHead = true;
    else if (t.type === 'thead_close') inHead = false;
    else if (t.type === 'tr_open') {
      row = [];
      spans = [];
    } else if (t.type === 'tr_close' && row) {
      rows.push({ cells: row, line: (t.map?.[0] ?? 0) + line, cols: row.map(() => 1) });
      if (inHead) headerRows++;
      else bodySpans.push(spans);
    } else if (t.type === 'inline' && row) {
      const cell = inlineSpans(t, line, cx);
      row.push(plainText(cell).trim());
      spans.push(cell);
    }
  }
  // Cells with links or emphasis keep their styled text.
  const styled = (cell: Span[]) => cell.some((s) => s.style.link || s.style.bold || s.style.italic || s.style.code);
  const table = tableData(rows, headerRows, cx.file);
  const data = bodySpans.some((r) => r.some(styled)) ? { ...table, rich: bodySpans.map((r) => r.map((cell) => (styled(cell) ? cell : undefined))) } : table;
  // GFM alignment (:---, :---:, ---:) where written; numbers right, text left otherwise.
  const written = tokens.filter((t) => t.type === 'th_open').map((t) => /text-align:(left|right|center)/.exec(String(t.attrGet('style') ?? ''))?.[1] as Align | undefined);
  return {
    kind: 'table',
    data,
    merge: [],
    align: defaultAlign(data).map((a, c) => written[c] ?? a),
    line,
  };
}
