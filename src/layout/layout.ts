/**
 * Stages 4–5 entry: compose and paginate the whole issue. The cover and
 * contents come first; the body follows; then every page is drawn into
 * display items, with page numbers known. Nothing here depends on the
 * edition: screen and print share this one layout.
 */
import type { ImageInfos } from '../assets/images.js';
import type { Warning } from '../source/errors.js';
import { backCover } from './back.js';
import type { FontFallback } from '../compose/types.js';
import type { FontSet } from '../fonts/fonts.js';
import type { DocumentModel } from '../model/document.js';
import type { Template } from '../template/template.js';
import { masthead, tocBoxes, type TocTarget } from './cover.js';
import { moved, type Layout, type OutlineEntry, type Page } from './display.js';
import { articleAnchor, sectionAnchor, sectionBoxes } from './flow.js';
import { pageFurniture } from './furniture.js';
import { noteRule, noteSeparator } from './notes.js';
import { paginate, type FlowBox, type FlowPage } from './paginate.js';
import { layoutSettings } from './settings.js';
import { Styles } from './styles.js';

export function layoutIssue(model: DocumentModel, template: Template, fonts: FontSet, fallback: FontFallback, images: ImageInfos): Layout {
  const settings = layoutSettings(template);
  const styles = new Styles(settings, fonts, fallback);
  const { frame, width, height } = settings.page;
  const bottom = frame.y + frame.height;

  const warnings: Warning[] = [];
  const debug: Warning[] = [];
  const body = model.sections.flatMap((s, i) =>
    sectionBoxes(s, i, {
      styles,
      images,
      x: frame.x,
      width: frame.width,
      frameHeight: frame.height,
      pageWidth: width,
      warn: (w) => warnings.push(w),
      debug: (m) => debug.push(m),
    }),
  );

  const cover = masthead(model, styles, frame, width);
  // The contents fit the cover where they can: as the body is set, else tighter and smaller,
  // down to the template's contents.min-size; else as the body, on to page 2. They are set
  // first without page numbers: their heights do not depend on them.
  const coverRoom = bottom - cover.bottom;
  const flowHeight = (boxes: FlowBox[]) => boxes.reduce((h, b, i) => h + b.height + (i ? b.spaceBefore : 0), 0);
  const { minSize, leading } = settings.contents;
  const tries: [number, number][] = [[styles.body.size, styles.body.pitch / styles.body.size]];
  for (let s = styles.body.size; s >= minSize - 1e-9; s -= 0.5) tries.push([s, leading]);
  const unnumbered = () => 0;
  let tocSize = tries[0];
  let unnumberedToc = tocBoxes(model, styles, frame, unnumbered, ...tocSize);
  for (const t of tries) {
    const boxes = t === tries[0] ? unnumberedToc : tocBoxes(model, styles, frame, unnumbered, ...t);
    if (flowHeight(boxes) <= coverRoom + 1e-6) {
      [tocSize, unnumberedToc] = [t, boxes];
      break;
    }
  }
  const coverFrame = (n: number) => ({ top: n === 0 ? cover.bottom : frame.y, bottom });
  const line = styles.body.pitch;
  const coverPages = paginate(unnumberedToc, coverFrame, { line }).length;
  const bodyPages = paginate(body, () => ({ top: frame.y, bottom, noteSeparator: noteSeparator(styles) }), { line });

  // The locations pass: where each section's opener and each article's title landed (0-based page).
  const locations = new Map<string, number>();
  bodyPages.forEach((p, i) => p.placed.forEach(({ box }) => box.anchor !== undefined && !locations.has(box.anchor) && locations.set(box.anchor, coverPages + i)));
  const page = (anchor: string) => locations.get(anchor) ?? 0;
  const pageOf = (e: TocTarget) => page(e.file ? articleAnchor(e.file) : sectionAnchor(e.section!));
  // Now with their page numbers: the same heights, so the same pages.
  const flowPages: FlowPage[] = [...paginate(tocBoxes(model, styles, frame, pageOf, ...tocSize), coverFrame, { line }), ...bodyPages];

  let section: string | undefined;
  const pages: Page[] = flowPages.map((p, i) => {
    const items = i === 0 ? [...cover.items] : [];
    p.placed.forEach(({ box, y, first }, k) => {
      items.push(...moved(first && box.atPageTop ? box.atPageTop : box.items, y));
      if (k === p.placed.length - 1 && box.atPageFoot) items.push(...moved(box.atPageFoot, y));
    });
    // Footnotes stand on the frame's foot, under their rule.
    let noteTop = bottom - p.notes.reduce((h, n) => h + n.height, 0);
    if (p.notes.length) items.push(noteRule(styles, frame.x, frame.width, noteTop));
    for (const n of p.notes) {
      items.push(...moved(n.items, noteTop));
      noteTop += n.height;
    }
    section = p.placed.find((x) => x.box.section)?.box.section ?? section;
    items.push(...pageFurniture(model, styles, { page: i, section: i < coverPages ? undefined : section, cover: i === 0 }));
    return { number: i + 1, items };
  });
  pages.push(backCover(model, styles, pages.length + 1));

  const outline: OutlineEntry[] = model.sections.map((s, si) => ({
    title: s.title,
    page: page(sectionAnchor(si)),
    children: s.articles.map((a) => ({ title: a.toc, page: page(articleAnchor(a.file)), children: [] })),
  }));
  const imageSizes = new Map<string, { w: number; h: number }>();
  for (const p of pages) {
    for (const item of p.items) {
      if (item.kind !== 'image') continue;
      const had = imageSizes.get(item.image);
      imageSizes.set(item.image, { w: Math.max(item.w, had?.w ?? 0), h: Math.max(item.h, had?.h ?? 0) });
    }
  }
  const pageEnds = flowPages.map((p, page) => ({ page, ...p.end }));
  // Each figure's page, and the page of the text before it (what refers to it).
  const pageAt: number[] = [];
  bodyPages.forEach((p, i) => p.placed.forEach(({ at }) => at !== undefined && (pageAt[at] = coverPages + i)));
  const figures = body.flatMap((b, j) => {
    if (b.figure !== 'opens') return [];
    let r = j - 1;
    while (r > 0 && body[r].figure) r--;
    return [{ page: pageAt[j], reference: pageAt[r] }];
  });
  const articlePages = new Map(model.sections.flatMap((s) => s.articles.map((a) => [a.file, page(articleAnchor(a.file))] as const)));
  // A box set smaller is a new box: where it was written is read from the flow's own.
  const sources = bodyPages.flatMap((p, i) => p.placed.flatMap(({ at }) => (at === undefined ? [] : (body[at].sources ?? []).map((s) => ({ ...s, page: coverPages + i })))));
  return { width, height, pages, outline, articlePages, imageSizes, warnings, pageEnds, figures, debug, sources };
}
