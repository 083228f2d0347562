/**
 * Shapes that touch the trim edge by design (cover band, section bands, the
 * back-cover band) run on past it by the template's bleed. The print edition
 * shows that margin; on screen the page box crops it.
 */
import type { LayoutSettings } from './settings.js';

export interface Area {
  x: number;
  y: number;
  w: number;
  h: number;
}

/** `across`: only the left and right edges count (a band in the flow, whose box starts at 0 before it is placed). */
export function runOff(area: Area, settings: LayoutSettings, across = false): Area {
  const { width, height } = settings.page;
  const b = settings.bleed;
  const e = 0.01;
  let { x, y, w, h } = area;
  if (x <= e) (x -= b), (w += b);
  if (!across && y <= e) (y -= b), (h += b);
  if (x + w >= width - e) w += b;
  if (!across && y + h >= height - e) h += b;
  return { x, y, w, h };
}
