/**
 * Shapes that touch the trim edge by design (cover band, section bands, the
 * back-cover band) run on past it by the template's bleed. The print edition
 * shows that margin; on screen the page box crops it.
 */
import type { Template } from '../template/template.js';

export interface Area {
  x: number;
  y: number;
  w: number;
  h: number;
}

export function runOff(area: Area, template: Template): Area {
  const { width, height } = template.page;
  const b = template.print.bleed;
  const e = 0.01;
  let { x, y, w, h } = area;
  if (x <= e) (x -= b), (w += b);
  if (y <= e) (y -= b), (h += b);
  if (x + w >= width - e) w += b;
  if (y + h >= height - e) h += b;
  return { x, y, w, h };
}
