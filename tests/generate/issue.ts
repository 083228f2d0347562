/**
 * Whole issue folders made at random from a seed: everything the format
 * allows, mixed at random sizes and nestings — Chinese and English prose,
 * number forms, links, lists nested three deep, quotes, notices set flush
 * right, headings, pipe tables and CSV tables with merges, charts of every
 * type, photos of random sizes and shapes, SVG drawings, rare characters
 * (one only the stress font has, one no font has) and emoji. The same seed
 * gives the same folder.
 *
 * An issue is kept as a tree (sections → articles → blocks) so that a failing
 * one can be shrunk by leaving parts out (shrink.ts); `issueFiles` turns the
 * tree into files, and `sourceText` tells what text the reader must find.
 */
import sharp from 'sharp';

/** A seeded generator (mulberry32): the same seed, the same issue. */
export class Random {
  private state: number;
  constructor(seed: number) {
    this.state = seed >>> 0;
  }
  next(): number {
    let t = (this.state = (this.state + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }
  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)];
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
}

/** Text as written (Markdown) and as the reader sees it (what must reach the page). */
export interface Inline {
  md: string;
  plain: string;
}

export type GenBlock =
  | { kind: 'paragraph'; inline: Inline[]; align?: 'right' | 'left' | 'center' }
  | { kind: 'heading'; level: 2 | 3; inline: Inline[]; align?: 'right' | 'left' | 'center' }
  | { kind: 'list'; ordered: boolean; items: { depth: number; inline: Inline[]; align?: 'right' | 'left' | 'center' }[] }
  | { kind: 'quote'; paragraphs: Inline[][] }
  | { kind: 'pictures'; pictures: { file: string; caption: string; width?: number; alt?: string }[] }
  | { kind: 'pipe-table'; rows: string[][] }
  | { kind: 'csv-table'; file: string; rows: string[][]; caption?: string; merge?: string; note?: string }
  | { kind: 'chart'; type: string; file: string; rows: string[][]; title: string; series: number; unit?: string };

export interface GenArticle {
  file: string;
  title: Inline[];
  toc?: string;
  source?: string;
  blocks: GenBlock[];
  /** footnotes, referred to as [^1] … in its paragraphs */
  notes: string[];
  /** `lang:` in its front matter */
  lang?: string;
}

export interface GenIssue {
  seed: number;
  number: number;
  staff: [string, string][];
  sections: { title: string; articles: GenArticle[] }[];
  /** images/NAME → how to make it */
  pictures: Map<string, { width: number; height: number; format: 'jpg' | 'png' | 'svg'; alpha: boolean; colour: [number, number, number] }>;
}

const HAN = '协会举办培训服务外包企业数字化转型产业生态资源池珠海市横琴粤澳深度合作区发展改革委员会关于做好年度工作通知各有关单位为进一步推动贸易高质量会展中心国际交易成果创新科研突出产品银行营商环境改革政务领域重要落地受到媒体广泛关注人民政府共同';
const PUNCT_AFTER = ['，', '。', '、', '；', '：', '！', '？'];
const WORDS = ['ZASTO', 'API', 'HarmonyOS', 'CortexTM-M0', 'LQFP48', 'Secretariat', 'cloud', 'DCMM', 'ISO 9001', 'e-commerce', 'AI'];
const NUMBERS = ['2023年', '3.5%', '1,234.56万元', '−6.8%', '-12', '30余人', '7月26日—7月28日', '9:30—11:30', '0756-3312456', '10⁶', 'CO₂', '１２３'];
const RARE = ['𠮷', '😀', '𪜀', '〇', '·'];
/** Bare addresses in Chinese text: each ends at the full-width character after it. */
const BARE = ['https://www.zasto.org.cn/news', 'editor@zasto-example.org.cn', 'http://example.org/path_with_underscores/x?y=1'];
const ENGLISH = ['the', 'association', 'members', 'outsourcing', 'information', 'technology', 'contracts', 'quarterly', 'demand', 'Zhuhai', 'Macao', 'secretariat', 'training', 'programme', 'international', 'compliance', 'recruitment', 'internationalisation', 'and', 'of', 'in', 'with', 'for', 'ZASTO', '2023', 'cross-border', 'well-known'];
const URLS = ['https://www.zasto.org.cn', 'http://example.org/a/very/long/path/that/must/break/somewhere/inside?with=query&and=more', 'mailto:editor@zasto-example.org.cn'];

function hanRun(r: Random, min: number, max: number): string {
  let s = '';
  for (let i = r.int(min, max); i > 0; i--) s += HAN[r.int(0, HAN.length - 1)];
  return s;
}

const plain = (text: string): Inline => ({ md: text, plain: text });

/** A sentence: Han runs with words, numbers, rare characters, emphasis and links among them. */
function sentence(r: Random): Inline[] {
  const parts: Inline[] = [plain(hanRun(r, 2, 12))];
  for (let i = r.int(0, 4); i > 0; i--) {
    const roll = r.next();
    if (roll < 0.2) parts.push(plain(r.pick(WORDS)));
    else if (roll < 0.4) parts.push(plain(r.pick(NUMBERS)));
    else if (roll < 0.5) parts.push(plain(r.pick(RARE)));
    else if (roll < 0.53) {
      // A question in bold, its colon inside the emphasis and Han text right after (CJK-friendly emphasis).
      const t = hanRun(r, 1, 3);
      parts.push({ md: `**${t}：**`, plain: `${t}：` });
    } else if (roll < 0.56) parts.push(plain(r.pick(BARE)));
    else if (roll < 0.62) {
      const t = hanRun(r, 2, 6);
      parts.push({ md: `**${t}**`, plain: t });
    } else if (roll < 0.7) {
      const t = hanRun(r, 2, 6);
      parts.push({ md: `*${t}*`, plain: t });
    } else if (roll < 0.8) {
      const t = hanRun(r, 2, 8);
      parts.push({ md: `[${t}](${r.pick(URLS)})`, plain: t });
    } else if (roll < 0.85) parts.push(plain(` ${r.pick(WORDS)} ${r.pick(WORDS)} `));
    parts.push(plain(hanRun(r, 1, 10)));
  }
  parts.push(plain(r.pick(PUNCT_AFTER)));
  return parts;
}

/** An English sentence, with quotes and apostrophes written straight (they print curly). */
function englishSentence(r: Random): Inline[] {
  const words = Array.from({ length: r.int(6, 22) }, () => r.pick(ENGLISH));
  words[0] = words[0][0].toUpperCase() + words[0].slice(1);
  const out: Inline[] = [plain(words.join(' '))];
  if (r.chance(0.3)) {
    const quoted = `${r.pick(ENGLISH)} ${r.pick(ENGLISH)}`;
    out.push({ md: ` "${quoted}"`, plain: ` “${quoted}”` });
  }
  if (r.chance(0.3)) out.push({ md: ` didn't`, plain: ' didn’t' });
  out.push(plain('. '));
  return out;
}

function prose(r: Random, sentences: number): Inline[] {
  const out: Inline[] = [];
  for (let i = 0; i < sentences; i++) out.push(...sentence(r));
  // An English sentence now and then.
  if (r.chance(0.2)) out.push(plain(' The association held its annual meeting in Zhuhai, with 120 members attending.'));
  return out;
}

function cell(r: Random, numeric: boolean): string {
  if (numeric) return r.pick(['', '—', String(r.int(-500, 90000)), (r.next() * 1000).toFixed(2), `${r.int(1, 99)}%`, '1,234', `\u2212${(r.next() * 50).toFixed(1)}`, 'N/A']);
  return r.chance(0.1) ? `${hanRun(r, 2, 4)}${r.pick(RARE)}` : hanRun(r, 1, r.chance(0.1) ? 18 : 6);
}

function tableRows(r: Random, cols: number, rows: number): string[][] {
  const numeric = Array.from({ length: cols }, (_, c) => c > 0 && r.chance(0.5));
  const header = Array.from({ length: cols }, (_, c) => `${hanRun(r, 1, 3)}${c}`);
  return [header, ...Array.from({ length: rows }, () => Array.from({ length: cols }, (_, c) => cell(r, numeric[c])))];
}

const CHARTS = ['bar', 'hbar', 'stacked', 'line', 'pie', 'donut', 'combo'];

function chartRows(r: Random, type: string, series: number): string[][] {
  const categories = r.int(2, type === 'pie' || type === 'donut' ? 6 : 9);
  const positive = type === 'pie' || type === 'donut' || type === 'stacked';
  const header = ['类别', ...Array.from({ length: series }, (_, s) => `系列${s + 1}`)];
  // Now and then a missing value, and negative values written with U+2212 as statistics offices do.
  const value = () => (r.chance(0.08) ? r.pick(['', '—', 'N/A']) : positive ? (r.next() * 1000 + 1).toFixed(r.int(0, 2)) : (r.next() * 2000 - 400).toFixed(r.int(0, 2)).replace(/^-/, r.chance(0.5) ? '\u2212' : '-'));
  return [header, ...Array.from({ length: categories }, (_, c) => [`${hanRun(r, 1, r.chance(0.2) ? 9 : 4)}${c}`, ...Array.from({ length: series }, value)])];
}

function block(r: Random, issue: GenIssue, article: string, n: number, depth = 0): GenBlock {
  const roll = r.next();
  if (roll < 0.34 || depth > 0) return { kind: 'paragraph', inline: prose(r, r.int(1, 6)), ...(r.chance(0.08) ? { align: r.pick(['right', 'left', 'center'] as const) } : {}) };
  if (roll < 0.42) return { kind: 'heading', level: r.pick([2, 3] as const), inline: [plain(hanRun(r, 2, 14))], ...(r.chance(0.15) ? { align: r.pick(['right', 'left', 'center'] as const) } : {}) };
  if (roll < 0.52) {
    let d = 0;
    return {
      kind: 'list',
      ordered: r.chance(0.5),
      items: Array.from({ length: r.int(1, 6) }, () => {
        // Now and then deeper than three, to the eight levels a list may have.
        d = Math.max(0, Math.min(r.chance(0.1) ? 7 : 2, d + r.int(-1, 1)));
        return { depth: d, inline: prose(r, r.int(1, 2)), ...(r.chance(0.05) ? { align: r.pick(['right', 'left', 'center'] as const) } : {}) };
      }),
    };
  }
  if (roll < 0.58) return { kind: 'quote', paragraphs: Array.from({ length: r.int(1, 3) }, () => prose(r, r.int(1, 3))) };
  if (roll < 0.7) {
    const pictures = Array.from({ length: r.chance(0.7) ? 1 : r.int(2, 3) }, (_, i) => {
      const format = r.pick(['jpg', 'jpg', 'png', 'svg'] as const);
      const file = `images/${article}-${n}-${i}.${format}`;
      const width = r.int(40, 1600);
      issue.pictures.set(file, { width, height: Math.max(20, Math.round(width * (0.3 + r.next() * 2.7))), format, alpha: format === 'png' && r.chance(0.3), colour: [r.int(0, 255), r.int(0, 255), r.int(0, 255)] });
      return { file, caption: r.chance(0.6) ? hanRun(r, 3, 30) : '', ...(r.chance(0.3) ? { width: r.int(20, 100) } : {}), ...(r.chance(0.2) ? { alt: hanRun(r, 3, 12) } : {}) };
    });
    return { kind: 'pictures', pictures };
  }
  if (roll < 0.78) return { kind: 'pipe-table', rows: tableRows(r, r.int(2, 5), r.int(1, 8)) };
  if (roll < 0.86) {
    const rows = tableRows(r, r.int(2, 6), r.int(1, 30));
    // Runs of one value in the first column, merged.
    const merge = r.chance(0.5);
    if (merge) for (let i = 2; i < rows.length; i++) if (r.chance(0.5)) rows[i][0] = '';
    return { kind: 'csv-table', file: `data/${article}-${n}.csv`, rows, ...(r.chance(0.7) ? { caption: hanRun(r, 4, 20) } : {}), ...(merge ? { merge: rows[0][0] } : {}), ...(r.chance(0.3) ? { note: `注：${hanRun(r, 5, 30)}` } : {}) };
  }
  const type = r.pick(CHARTS);
  const series = type === 'pie' || type === 'donut' ? 1 : type === 'combo' ? 2 : r.int(1, 3);
  return { kind: 'chart', type, file: `data/${article}-${n}.csv`, rows: chartRows(r, type, series), title: hanRun(r, 4, 24), series, ...(r.chance(0.5) ? { unit: r.pick(['万美元', '%', '家']) } : {}) };
}

export function generateIssue(seed: number): GenIssue {
  const r = new Random(seed);
  const issue: GenIssue = { seed, number: 100 + (seed % 900), staff: [], sections: [], pictures: new Map() };
  issue.staff = Array.from({ length: r.int(1, 4) }, (_, i) => [r.pick(['主编', '排版', '电话', '邮箱']) + (i || ''), r.chance(0.2) ? 'editor-in-chief.of-the-bulletin@zasto-example.org.cn' : hanRun(r, 2, 4)]);
  let a = 0;
  for (let s = r.int(1, 3); s > 0; s--) {
    const articles: GenArticle[] = [];
    for (let k = r.int(1, 2); k > 0; k--) {
      const file = `a${a++}`;
      // One article in ten is in English: paragraphs and a heading or two.
      const english = r.chance(0.1);
      const blocks = english
        ? Array.from({ length: r.int(2, 8) }, (): GenBlock => (r.chance(0.2) ? { kind: 'heading', level: 2, inline: [plain(englishSentence(r)[0].plain)] } : { kind: 'paragraph', inline: Array.from({ length: r.int(1, 6) }, () => englishSentence(r)).flat() }))
        : Array.from({ length: r.int(1, 10) }, (_, n) => block(r, issue, file, n));
      // Footnotes: a reference at the end of some paragraphs, the notes written after the text.
      const notes: string[] = [];
      const note = () => (english ? englishSentence(r)[0].plain : hanRun(r, 4, r.chance(0.1) ? 300 : 30));
      for (const b of blocks) if (b.kind === 'paragraph' && r.chance(0.15)) b.inline.push({ md: `[^${notes.push(note())}]`, plain: '' });
      // An English article has an English title, and says its language half the time (else it is found).
      const title = english ? englishSentence(r)[0].plain : `${hanRun(r, 3, 20)}${r.chance(0.2) ? ` ${r.pick(WORDS)} 5.0` : ''}`;
      articles.push({ file, title: [plain(title)], ...(r.chance(0.2) ? { toc: hanRun(r, 3, 10) } : {}), ...(r.chance(0.3) ? { source: hanRun(r, 2, 8) } : {}), blocks, notes, ...(english && r.chance(0.5) ? { lang: 'en' } : {}) });
    }
    issue.sections.push({ title: `${hanRun(r, 2, 6)}${s}`, articles });
  }
  return issue;
}

const md = (inline: Inline[]) => inline.map((i) => i.md).join('');
/** A YAML value quoted (JSON strings are YAML): `%`, `:` or `#` in it mean nothing. */
const q = (s: string) => JSON.stringify(s);
const csv = (rows: string[][]) => rows.map((row) => row.map((c) => (/[",\n]/.test(c) ? `"${c.replace(/"/g, '""')}"` : c)).join(',')).join('\n') + '\n';

function blockMarkdown(b: GenBlock): string {
  switch (b.kind) {
    case 'paragraph':
      return md(b.inline) + (b.align ? ` {align=${b.align}}` : '');
    case 'heading':
      return `${'#'.repeat(b.level)} ${md(b.inline)}${b.align ? ` {align=${b.align}}` : ''}`;
    case 'list':
      return b.items.map((item, i) => `${'   '.repeat(item.depth)}${b.ordered ? `${i + 1}.` : '-'} ${md(item.inline)}${item.align ? ` {align=${item.align}}` : ''}`).join('\n');
    case 'quote':
      return b.paragraphs.map((p) => `> ${md(p)}`).join('\n>\n');
    case 'pictures':
      return b.pictures.map((p) => `![${p.caption}](${p.file})${p.width || p.alt ? `{${[p.width ? `width=${p.width}%` : '', p.alt ? `alt="${p.alt}"` : ''].filter(Boolean).join(' ')}}` : ''}`).join(' ');
    case 'pipe-table':
      return [b.rows[0], b.rows[0].map(() => '---'), ...b.rows.slice(1)].map((row) => `| ${row.map((c) => c || ' ').join(' | ')} |`).join('\n');
    case 'csv-table':
      return ['```table', `data: ${b.file}`, ...(b.caption ? [`caption: ${q(b.caption)}`] : []), ...(b.merge ? [`merge: [${q(b.merge)}]`] : []), ...(b.note ? [`note: ${q(b.note)}`] : []), '```'].join('\n');
    case 'chart':
      return ['```chart', `type: ${b.type}`, `title: ${q(b.title)}`, `data: ${b.file}`, `x: ${q(b.rows[0][0])}`, `y: [${b.rows[0].slice(1).map(q).join(', ')}]`, ...(b.unit ? [`unit: ${q(b.unit)}`] : []), '```'].join('\n');
  }
}

/** The issue's files, by path inside its folder. */
export async function issueFiles(issue: GenIssue): Promise<Map<string, Buffer | string>> {
  const files = new Map<string, Buffer | string>();
  const yaml = (s: string) => JSON.stringify(s);
  files.set(
    'issue.yaml',
    [
      `number: ${issue.number}`,
      'template: zasto',
      'date: 2023-03-31',
      'period: 2023年1季度报',
      `label: ${yaml(`总第 ${issue.number} 期`)}`,
      'staff:',
      ...issue.staff.map(([k, v]) => `  - ${yaml(k)}: ${yaml(v)}`),
      'sections:',
      ...issue.sections.flatMap((s) => [`  - title: ${yaml(s.title)}`, '    articles:', ...s.articles.map((a) => `      - ${a.file}.md`)]),
      '',
    ].join('\n'),
  );
  const used = new Set<string>();
  for (const s of issue.sections)
    for (const a of s.articles) {
      const front = [...(a.toc ? [`toc: ${yaml(a.toc)}`] : []), ...(a.source ? [`source: ${yaml(a.source)}`] : []), ...(a.lang ? [`lang: ${a.lang}`] : [])];
      const body = [`# ${md(a.title)}`, ...a.blocks.map(blockMarkdown), ...a.notes.map((n, k) => `[^${k + 1}]: ${n}`)].join('\n\n');
      files.set(`articles/${a.file}.md`, `${front.length ? `---\n${front.join('\n')}\n---\n` : ''}${body}\n`);
      for (const b of a.blocks) {
        if (b.kind === 'csv-table' || b.kind === 'chart') files.set(b.file, csv(b.rows));
        if (b.kind === 'pictures') for (const p of b.pictures) used.add(p.file);
      }
    }
  for (const [file, p] of issue.pictures) {
    if (!used.has(file)) continue;
    const [r, g, b] = p.colour;
    if (p.format === 'svg') {
      // Its label inside its box: what a drawing holds outside it is clipped, but a PDF reader still reports that text.
      const size = Math.max(2, Math.min(30, p.width / 5, p.height / 2));
      files.set(file, `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${p.width} ${p.height}"><rect width="${p.width}" height="${p.height}" fill="rgb(${r},${g},${b})"/><text x="1" y="${size}" font-size="${size}">图示</text></svg>`);
      continue;
    }
    const image = sharp({ create: { width: p.width, height: p.height, channels: p.alpha ? 4 : 3, background: { r, g, b, alpha: p.alpha ? 0.5 : 1 } } });
    files.set(file, await (p.format === 'png' ? image.png() : image.jpeg()).toBuffer());
  }
  return files;
}

/** Every piece of text a reader must find in the PDF: titles, paragraphs, list items, quotes, captions, table cells. */
export function sourceText(issue: GenIssue): string {
  const parts: string[] = [...issue.staff.flat(), ...issue.sections.map((s) => s.title)];
  const text = (inline: Inline[]) => inline.map((i) => i.plain).join('');
  for (const s of issue.sections)
    for (const a of s.articles) {
      parts.push(text(a.title));
      if (a.source) parts.push(a.source);
      parts.push(...a.notes);
      for (const b of a.blocks) {
        if (b.kind === 'paragraph' || b.kind === 'heading') parts.push(text(b.inline));
        if (b.kind === 'list') parts.push(...b.items.map((i) => text(i.inline)));
        if (b.kind === 'quote') parts.push(...b.paragraphs.map(text));
        if (b.kind === 'pictures') parts.push(...b.pictures.map((p) => p.caption));
        if (b.kind === 'pipe-table' || b.kind === 'csv-table') parts.push(...b.rows.flat());
        if (b.kind === 'csv-table') parts.push(b.caption ?? '', b.note ?? '');
        if (b.kind === 'chart') parts.push(b.title);
      }
    }
  return parts.join('\n');
}
