/** Running header and footer: publication and section above, site URL (live) and page number below. */
import type { DocumentModel } from '../model/document.js';
import type { DisplayItem } from './display.js';
import type { Styles } from './styles.js';
import { lineItems } from './text.js';

export function pageFurniture(model: DocumentModel, styles: Styles, page: number, section: string | undefined, withHeader: boolean): DisplayItem[] {
  const t = styles.template;
  const { frame, footerY } = t.page;
  const fs = styles.get('footer');
  const items: DisplayItem[] = [];
  const line = (text: string, align: 'left' | 'right') => styles.compose(styles.plain(text, fs), frame.width, { align })[0];

  if (withHeader) {
    const top = frame.y - fs.pitch * 2.2;
    items.push(...lineItems(line(`简报 · ${model.period}`, 'left'), frame.x, top, fs.pitch));
    if (section) items.push(...lineItems(line(section, 'right'), frame.x, top, fs.pitch));
    items.push({ kind: 'line', x1: frame.x, y1: top + fs.pitch + 2, x2: frame.x + frame.width, y2: top + fs.pitch + 2, colour: t.colours.rule, width: 0.4 });
  }

  const top = footerY - fs.pitch;
  items.push({ kind: 'line', x1: frame.x, y1: top - 3, x2: frame.x + frame.width, y2: top - 3, colour: t.colours.rule, width: 0.4 });
  const url = line(t.url, 'left');
  items.push(...lineItems(url, frame.x, top, fs.pitch));
  items.push({ kind: 'link', x: frame.x, y: top, w: url.width, h: fs.pitch, url: t.url });
  items.push(...lineItems(line(String(page + 1), 'right'), frame.x, top, fs.pitch));
  return items;
}
