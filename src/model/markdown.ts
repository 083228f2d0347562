/**
 * Stage 2: an article's Markdown → blocks of the document model.
 * markdown-it tokenises (raw HTML off: it stays text); we keep what a
 * newsletter needs and refuse what we cannot set, naming the line.
 */
import type { Token } from 'markdown-it';
import { UserError, type SourcePos, type Warning } from '../source/errors.js';
import { resolveFile } from '../source/files.js';
import type { ArticleSource } from '../issue/load.js';
import type { Align, Article, Block, ImageRef, InlineStyle, Span } from './document.js';
import type { CsvRow } from './csv.js';
import { defaultAlign, parseChartBlock, parseTableBlock, tableData } from './data-blocks.js';
import { requirePackage } from '../packages.js';

/** Loaded when an article must be parsed: a rebuild from the cache parses none. */
let parser: InstanceType<typeof import('markdown-it').default> | undefined;
const markdownIt = () => (parser ??= new (requirePackage('markdown-it') as typeof import('markdown-it').default)('default', { html: false, linkify: false, typographer: false }));

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

export function parseArticle(src: ArticleSource, issueDir: string, warn?: (w: Warning) => void): Article {
  const tokens = markdownIt().parse(src.body, {});
  const locate = locator(src);
  const lineOf = (t: Token) => (t.map ? t.map[0] + src.bodyLine : src.bodyLine);
  const fail = (t: Token, message: string) => new UserError(message, src.file, { line: lineOf(t), col: 1 });

  let title: string | undefined;
  const stack: Block[][] = [[]];
  const out = () => stack[stack.length - 1];
  let list: Extract<Block, { kind: 'list' }> | undefined;
  const listDepth: { ordered: boolean; n: number }[] = [];

  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i];
    switch (t.type) {
      case 'heading_open': {
        const inline = tokens[i + 1];
        const level = Number(t.tag.slice(1));
        const spans = inlineSpans(inline, src.file, lineOf(t), locate);
        if (level === 1 && title === undefined) {
          title = plain(spans).trim();
          if (!title) throw fail(t, 'the title is empty: write it after the "# "');
        }
        else out().push({ kind: 'heading', level: level <= 2 ? 2 : 3, spans, line: lineOf(t) });
        i += 2;
        break;
      }
      case 'paragraph_open': {
        const inline = tokens[i + 1];
        i += 2;
        if (list) {
          const item = list.items[list.items.length - 1];
          const spans = inlineSpans(inline, src.file, lineOf(t), locate);
          if (item.spans.length) item.spans.push({ text: '\n', style: {} });
          item.spans.push(...spans);
          break;
        }
        const images = imageRow(inline, src, issueDir, lineOf(t), locate, warn);
        if (images) out().push({ kind: 'images', images, line: lineOf(t) });
        else {
          const align = takeAlign(inline);
          out().push({ kind: 'paragraph', spans: inlineSpans(inline, src.file, lineOf(t), locate), line: lineOf(t), ...(align ? { align } : {}) });
        }
        break;
      }
      case 'bullet_list_open':
      case 'ordered_list_open': {
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
        const inline = (text: string, line: number) => inlineSpans(markdownIt().parseInline(text, {})[0], src.file, line, locate);
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
        out().push(pipeTable(tokens.slice(i, end + 1), src.file, lineOf(t), locate));
        i = end;
        break;
      }
      default:
        break;
    }
  }
  if (title === undefined) throw new UserError('the article has no title: its first heading must be "# Title"', src.file, { line: src.bodyLine, col: 1 });
  if (stack.length !== 1) throw fail(tokens[tokens.length - 1], 'unclosed block quote');
  return { file: src.file, title, toc: src.toc ?? title, source: src.source, blocks: withoutEmptyItems(stack[0]) };
}

/** List items with no text of their own (`- - item`, a bare `-`) print nothing: they are dropped, their sublists kept. */
function withoutEmptyItems(blocks: Block[]): Block[] {
  return blocks.flatMap((b): Block[] => {
    if (b.kind === 'quote') return [{ ...b, blocks: withoutEmptyItems(b.blocks) }];
    if (b.kind !== 'list') return [b];
    const items = b.items.filter((i) => plain(i.spans).trim() !== '');
    return items.length ? [{ ...b, items }] : [];
  });
}

/**
 * `{align=right}` at the end of a paragraph sets it flush right (the issuer
 * and date that close a notice), `{align=left}` flush left without the
 * indent (the addressees that open one), `{align=center}` centred. Removed
 * from the text.
 */
function takeAlign(inline: Token): Align | undefined {
  const last = inline.children?.[inline.children.length - 1];
  const m = last?.type === 'text' ? /\s*\{align=(left|right|center)\}\s*$/.exec(last.content) : null;
  if (!last || !m) return undefined;
  last.content = last.content.slice(0, m.index);
  return m[1] as Align;
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

export function plain(spans: Span[]): string {
  return spans.map((s) => s.text).join('');
}

function inlineSpans(inline: Token, file: string, line: number, locate: Locate): Span[] {
  const spans: Span[] = [];
  const style: InlineStyle = {};
  const push = (text: string) => {
    if (!text) return;
    const last = spans[spans.length - 1];
    if (last && sameStyle(last.style, style)) last.text += text;
    else spans.push({ text, style: { ...style } });
  };
  const children = inline.children ?? [];
  for (let i = 0; i < children.length; i++) {
    const c = children[i];
    switch (c.type) {
      case 'text':
        push(c.content);
        break;
      case 'softbreak': {
        const before = plain(spans).slice(-1);
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
        if (!LINK_SCHEMES.test(href)) throw new UserError(`the link "${href}" is not http, https or mailto; link to a web page, or write the address as text`, file, locate(line, `](${href}`, `](${safeDecode(href)}`, ']('));
        style.link = href;
        break;
      }
      case 'link_close':
        delete style.link;
        break;
      case 'code_inline':
        style.code = true;
        push(c.content);
        delete style.code;
        break;
      case 'image':
        throw new UserError('an image must stand in a paragraph of its own (images side by side are fine)', file, { line, col: 1 });
      default:
        push(c.content);
    }
  }
  return spans;
}

function sameStyle(a: InlineStyle, b: InlineStyle): boolean {
  return !!a.bold === !!b.bold && !!a.italic === !!b.italic && !!a.code === !!b.code && a.link === b.link;
}

/** One `key=value` of a picture's attributes: the value bare, or in straight or curly double quotes. */
const ATTRIBUTE = /\s*([A-Za-z-]+)=(?:"([^"]*)"|“([^”]*)”|([^\s"“”]+))\s*/y;

/**
 * `{width=NN% alt="…"}` after a picture: its share of the text width, and
 * what it shows for screen readers. An impossible width is an error; braces
 * that cannot be read, an unknown key or an empty description, a warning (the
 * spec: never printed, never silent).
 */
function pictureAttributes(inner: string, image: ImageRef, error: (message: string) => UserError, warn: (message: string) => void): void {
  if (!inner.trim()) return warn(`{} after a picture says nothing: write {width=50%} or {alt="what it shows"}; left out`);
  ATTRIBUTE.lastIndex = 0;
  let at = 0;
  while (at < inner.length) {
    const m = ATTRIBUTE.exec(inner);
    if (!m) return warn(`{${inner}} is not a picture's attributes: write {width=50%} or {alt="what it shows"}; left out`);
    const [, key, ...quoted] = m;
    const value = quoted.find((q) => q !== undefined)!;
    if (key === 'width') {
      const n = /^(\d{1,3})%$/.exec(value)?.[1];
      if (!n || !(Number(n) >= 1 && Number(n) <= 100)) throw error(`{width=${value}} is not a width: give 1% to 100%`);
      image.width = Number(n) / 100;
    } else if (key === 'alt') {
      if (value.trim()) image.alt = value.trim();
      else warn('{alt=""} is empty: say what the picture shows');
    } else warn(`a picture has no attribute "${key}" (it has width= and alt=); left out`);
    at = ATTRIBUTE.lastIndex;
  }
}

/** A paragraph of images only (with optional `{width=NN% alt="…"}` after each) is an image row. */
function imageRow(inline: Token, src: ArticleSource, issueDir: string, line: number, locate: Locate, warn?: (w: Warning) => void): ImageRef[] | undefined {
  const children = inline.children ?? [];
  if (!children.some((c) => c.type === 'image')) return undefined;
  const images: ImageRef[] = [];
  for (const c of children) {
    if (c.type === 'image') {
      const written = String(c.attrGet('src') ?? '');
      let decoded: string;
      try {
        decoded = decodeURI(written);
      } catch {
        throw new UserError(`the image path "${written}" has a broken % escape`, src.file, locate(line, '](images/'));
      }
      const r = resolveFile(issueDir, decoded);
      const at = locate(line, `](${written}`, `](${decoded}`);
      if ('missing' in r) throw new UserError(`image ${written} not found`, src.file, at);
      if ('error' in r) throw new UserError(r.error, src.file, at);
      images.push({ file: r.path, caption: c.content });
    } else if (c.type === 'text') {
      const rest = c.content.replace(/\{([^{}]*)\}/g, (whole: string, inner: string) => {
        const last = images[images.length - 1];
        if (!last) throw new UserError(`${whole} must follow an image`, src.file, { line, col: 1 });
        const at = locate(line, whole);
        pictureAttributes(inner, last, (message) => new UserError(message, src.file, at), (message) => warn?.({ file: src.file, pos: at, message }));
        return '';
      });
      if (rest.trim()) throw new UserError('an image must stand in a paragraph of its own (images side by side are fine)', src.file, { line, col: 1 });
    } else if (c.type !== 'softbreak') {
      throw new UserError('an image must stand in a paragraph of its own (images side by side are fine)', src.file, { line, col: 1 });
    }
  }
  return images;
}

function pipeTable(tokens: Token[], file: string, line: number, locate: Locate): Block {
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
      const cell = inlineSpans(t, file, line, locate);
      row.push(plain(cell).trim());
      spans.push(cell);
    }
  }
  // Cells with links or emphasis keep their styled text.
  const styled = (cell: Span[]) => cell.some((s) => s.style.link || s.style.bold || s.style.italic || s.style.code);
  const table = tableData(rows, headerRows, file);
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
