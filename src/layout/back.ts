/**
 * The back cover: the association's emblem, names, credits and site, over a
 * band that runs off the bottom edge. No running header or footer.
 */
import type { DocumentModel } from '../model/document.js';
import { runOff } from './bleed.js';
import { logoItem } from './cover.js';
import type { DisplayItem, Page } from './display.js';
import type { Styles } from './styles.js';
import { blockOfLines } from './text.js';

export function backCover(model: DocumentModel, styles: Styles, number: number): Page {
  const t = styles.settings;
  const { width, height, frame } = t.page;
  const items: DisplayItem[] = [];
  const bandH = frame.y * 0.8;
  items.push({ kind: 'rect', ...runOff({ x: 0, y: height - bandH, w: width, h: bandH }, t), fill: t.colours.accent });

  const centre = (text: string, style: ReturnType<Styles['get']>, y: number, bold = false) => {
    const lines = styles.compose(bold ? styles.plain(text, style, true) : styles.withSiteLink(text, style), frame.width, { align: 'center' });
    items.push(...blockOfLines(lines, frame.x, style.pitch, { role: 'P' }, y).items);
    return y + lines.length * style.pitch;
  };
  let y = height - bandH - frame.y * 3.2;
  if (t.logo) {
    const size = 56;
    items.push(logoItem(t.logo, (width - size) / 2, y - size - 12, size));
  }
  y = centre(t.association.zh, styles.recolour(styles.get('h2'), t.colours.accent), y, true);
  y = centre(t.association.en, styles.get('caption'), y);
  y = centre(model.staff.map((s) => `${s.role}：${s.name}`).join('　'), styles.get('caption'), y + 6);
  centre(t.url, styles.get('caption'), y);

  const onBand = styles.recolour(styles.get('caption'), t.colours.paper);
  centre(model.label, onBand, height - bandH / 2 - onBand.pitch / 2);
  return { number, items };
}
