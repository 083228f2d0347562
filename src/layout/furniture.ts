/**
 * Running header and footer, as the template says: text with {fields} on the
 * left and right; wherever the site URL is printed it is also a live link.
 */
import type { DocumentModel } from '../model/document.js';
import type { RunningLine } from '../template/template.js';
import type { DisplayItem } from './display.js';
import type { Styles } from './styles.js';
import { lineItems } from './text.js';

export interface PageFacts {
  /** 0-based page index */
  page: number;
  section?: string;
  cover: boolean;
}

export function fillFields(pattern: string, model: DocumentModel, styles: Styles, facts: PageFacts): string {
  const t = styles.settings;
  const fields: Record<string, string> = {
    publication: t.publication,
    period: model.period,
    label: model.label,
    number: String(model.number),
    section: facts.section ?? '',
    url: t.url,
    // The cover carries no folio.
    page: facts.cover ? '' : String(facts.page + 1),
  };
  return pattern.replace(/\{(\w+)\}/g, (whole, name: string) => fields[name] ?? whole);
}

export function pageFurniture(model: DocumentModel, styles: Styles, facts: PageFacts): DisplayItem[] {
  const t = styles.settings;
  const { frame, footerY } = t.page;
  const fs = styles.get('footer');
  const items: DisplayItem[] = [];

  // Running lines mirror on even pages, so that the folio stands on the outside edge of a spread.
  const even = (facts.page + 1) % 2 === 0;
  const running = (spec: RunningLine, top: number, ruleY: number) => {
    if (facts.cover && !spec.onCover) return;
    const pieces = (['left', 'right'] as const)
      .map((side) => ({ side: even ? (side === 'left' ? 'right' : 'left') : side, text: fillFields(spec[side], model, styles, facts) }))
      .filter((p) => p.text);
    if (pieces.length === 0) return;
    for (const { side, text } of pieces) {
      const [line] = styles.compose(styles.withSiteLink(text, fs), frame.width, { align: side });
      // Running text is decoration, but its link must sit in the structure (PDF/UA): a Link of its own.
      items.push(...lineItems(line, frame.x, top, fs.pitch).map((it) => (it.kind === 'link' ? { ...it, tag: { role: 'Link' as const, alt: it.url } } : it)));
    }
    items.push({ kind: 'line', x1: frame.x, y1: ruleY, x2: frame.x + frame.width, y2: ruleY, colour: t.colours.rule, width: 0.4 });
  };

  const headerTop = frame.y - fs.pitch * 2.2;
  running(t.header, headerTop, headerTop + fs.pitch + 2);
  const footerTop = footerY - fs.pitch;
  running(t.footer, footerTop, footerTop - 3);
  return items;
}
