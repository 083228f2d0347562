/**
 * The cover: masthead (association, 简报, issue label, staff credits) and the
 * table of contents, which continues on the next pages when it must.
 */
import type { DocumentModel } from '../model/document.js';
import { isLatinLanguage } from '../model/language.js';
import { runOff } from './bleed.js';
import type { DisplayItem, StructNode } from './display.js';
import type { FlowBox } from './paginate.js';
import type { Styles } from './styles.js';
import { blockOfLines, lineItems } from './text.js';
import type { Logo } from '../template/template.js';

export interface Masthead {
  /** bottom of the masthead on page 1: the contents start below it */
  bottom: number;
  items: DisplayItem[];
}

export function masthead(model: DocumentModel, styles: Styles, frame: { x: number; y: number; width: number }, pageWidth: number): Masthead {
  const t = styles.settings;
  const paper = t.colours.paper;
  const items: DisplayItem[] = [];
  const zh = styles.recolour(styles.get('h2'), paper);
  const en = styles.recolour(styles.get('caption'), paper);
  const bandH = frame.y + zh.pitch + en.pitch + 16;
  items.push({ kind: 'rect', ...runOff({ x: 0, y: 0, w: pageWidth, h: bandH }, t), fill: t.colours.accent });
  const textTop = (bandH - zh.pitch - en.pitch) / 2 + 4;
  let textX = frame.x;
  if (t.logo) {
    const size = zh.pitch + en.pitch + 14;
    items.push(logoItem(t.logo, frame.x, textTop + (zh.pitch + en.pitch - size) / 2, size));
    textX += size + 10;
  }
  const zhLines = styles.compose(styles.plain(t.association.zh, zh, true), frame.width, { align: 'left' });
  const enLines = styles.compose(styles.plain(t.association.en, en), frame.width, { align: 'left' });
  items.push(...blockOfLines(zhLines, textX, zh.pitch, { role: 'P' }, textTop).items);
  items.push(...blockOfLines(enLines, textX, en.pitch, { role: 'P' }, textTop + zh.pitch).items);

  const mh = styles.get('masthead');
  let y = bandH + mh.size * 0.6;
  const title = styles.compose(styles.plain(t.publication, mh), frame.width, { align: 'left' });
  items.push(...blockOfLines(title, frame.x, mh.pitch, { role: 'H1' }, y).items);
  const label = styles.get('h3');
  const labelLines = styles.compose(styles.plain(model.label, label), frame.width * 0.6, { align: 'left' });
  items.push(...blockOfLines(labelLines, frame.x, label.pitch, { role: 'P' }, y + mh.pitch).items);

  // Staff credits, right-aligned beside the title; a long one (an e-mail address) wraps.
  const cs = styles.get('caption');
  const credits = model.staff.map((s) => styles.compose(styles.plain(`${s.role}：${s.name}`, cs), frame.width * 0.35, { align: 'right' }));
  let creditTop = y + mh.size * 0.2;
  for (const lines of credits) {
    items.push(...blockOfLines(lines, frame.x + frame.width * 0.65, cs.pitch, { role: 'P' }, creditTop).items);
    creditTop += lines.length * cs.pitch;
  }
  y += Math.max(mh.pitch + labelLines.length * label.pitch, creditTop - y) + 10;
  items.push({ kind: 'line', x1: frame.x, y1: y, x2: frame.x + frame.width, y2: y, colour: t.colours.accent, width: 1.2 });
  return { bottom: y + 14, items };
}

/** Leader dots: their pitch and size, in points. */
const LEADER_STEP = 4;
const LEADER_DOT = 0.9;

/** A contents entry: a section (by its place in the issue; two may share a title) or an article (by its file). */
export interface TocTarget {
  title: string;
  section?: number;
  file?: string;
  level: 0 | 1;
  /** an article in a Latin-script language */
  latin?: boolean;
}

/**
 * Contents entries as flow boxes, at a given entry size and leading (section
 * lines in proportion), with the pages `pageOf` gives. Their heights do not
 * depend on the numbers (they stand in a fixed column): the contents are
 * laid out once with any numbers to paginate, and again with the pages the
 * locations pass found.
 */
export function tocBoxes(model: DocumentModel, styles: Styles, frame: { x: number; width: number }, pageOf: (entry: TocTarget) => number, size = styles.body.size, leading = styles.body.pitch / styles.body.size): FlowBox[] {
  const t = styles.settings;
  const head = styles.recolour(styles.get('h2'), t.colours.accent);
  const headLines = styles.compose(styles.plain('目录 CONTENTS', head, true), frame.width, { align: 'left' });
  const toc: StructNode = { role: 'TOC' };
  const boxes: FlowBox[] = [{ height: head.pitch * 1.4, spaceBefore: 0, keep: 2, items: blockOfLines(headLines, frame.x, head.pitch, { role: 'H2' }).items }];
  // Contents that run on to another page say so at its top.
  const contLines = styles.compose(styles.plain('目录 CONTENTS（续）', head, true), frame.width, { align: 'left' });
  const continued: FlowBox = { height: head.pitch * 1.4, spaceBefore: 0, items: blockOfLines(contLines, frame.x, head.pitch).items };
  const scale = size / styles.body.size;
  const h3 = styles.get('h3');
  const sectionStyle = styles.sized(h3, h3.size * scale, h3.size * scale * leading);
  const entryStyle = styles.sized(styles.body, size, size * leading);
  const numW = entryStyle.size * 3;
  // The leaders end where the number column begins, short of the widest number.
  const leaderEnd = frame.x + frame.width - numW;
  for (const [index, section] of model.sections.entries()) {
    const entries: TocTarget[] = [{ title: section.title, section: index, level: 0 }, ...section.articles.map((a) => ({ title: a.toc, file: a.file, level: 1 as const, latin: isLatinLanguage(a.lang) }))];
    for (const e of entries) {
      const st = e.level === 0 ? sectionStyle : entryStyle;
      const indent = e.level === 0 ? 0 : entryStyle.size * 1.5;
      const text = e.level === 0 ? styles.recolour(st, t.colours.accent) : st;
      // An English article's title keeps Latin rules (its quotes are part of its words), unhyphenated.
      const lines = styles.compose(styles.plain(e.title, text, e.level === 0), frame.width - indent - numW - st.size, { align: 'left', title: true, ...(e.latin ? { latin: {} } : {}) });
      const height = lines.length * st.pitch;
      const page = pageOf(e);
      // Each entry is one link: its title and page number read as one item of the contents.
      const link: StructNode = { role: 'Link', parent: { role: 'TOCI', parent: toc }, alt: `${e.title} ${page + 1}` };
      const items = blockOfLines(lines, frame.x + indent, st.pitch, link).items;
      const num = styles.compose(styles.plain(String(page + 1), text, e.level === 0), numW, { align: 'right' });
      const lastY = height - st.pitch;
      items.push(...lineItems(num[0], frame.x + frame.width - numW, lastY, st.pitch, link));
      // Dot leaders from the end of the title to the number column, on one grid for every entry.
      const from = frame.x + indent + lines[lines.length - 1].width + st.size * 0.5;
      const ly = lastY + st.pitch / 2 + st.size * 0.3;
      // One dashed line whose dashes are the dots: it starts on the grid, at the first dot after the title.
      const dots = Math.floor((leaderEnd - LEADER_STEP / 2 - LEADER_DOT / 2 - from) / LEADER_STEP) + 1;
      if (dots > 0) {
        const x1 = leaderEnd - LEADER_STEP / 2 - (dots - 1) * LEADER_STEP - LEADER_DOT / 2;
        items.push({ kind: 'line', x1, y1: ly, x2: leaderEnd - LEADER_STEP / 2 + LEADER_DOT / 2, y2: ly, colour: t.colours.rule, width: LEADER_DOT, dash: LEADER_DOT, gap: LEADER_STEP - LEADER_DOT });
      }
      items.push({ kind: 'goto', x: frame.x, y: 0, w: frame.width, h: height, dest: `page-${page}`, tag: link });
      boxes.push({ height, spaceBefore: e.level === 0 ? st.pitch * 0.4 : 0, keep: e.level === 0 ? 1 : undefined, repeat: [continued], items });
    }
  }
  return boxes;
}

/** The logo fitted into a square of `size` points at (x, y), centred, keeping its proportions. */
export function logoItem(logo: Logo, x: number, y: number, size: number): DisplayItem {
  const k = size / Math.max(logo.width, logo.height);
  const w = logo.width * k;
  const h = logo.height * k;
  return { kind: 'image', x: x + (size - w) / 2, y: y + (size - h) / 2, w, h, image: logo.file };
}
