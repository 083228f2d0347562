/**
 * Charts drawn as vectors: the geometry is computed here (axes with 1-2-5
 * ticks, bars, lines, slices, labels, legend) and handed on as display
 * items, so the renderer only draws.
 */
import type { ComposedLine, StyledText } from '../compose/types.js';
import type { ChartBlock } from '../model/document.js';
import type { Colour } from '../template/template.js';
import type { DisplayItem } from './display.js';
import type { FlowBox } from './paginate.js';
import type { ParagraphStyle, Styles } from './styles.js';
import { blockOfLines, lineItems } from './text.js';

/** Tick step from the 1-2-5 series giving about `target` intervals over [lo, hi]. */
export function niceTicks(lo: number, hi: number, target = 5): number[] {
  if (hi === lo) hi = lo + 1;
  const raw = (hi - lo) / target;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * mag).find((s) => s >= raw * 0.999)!;
  const first = Math.floor(lo / step + 1e-9) * step;
  const last = Math.ceil(hi / step - 1e-9) * step;
  const ticks: number[] = [];
  for (let v = first; v <= last + step / 2; v += step) ticks.push(Number(v.toPrecision(12)));
  return ticks;
}

export function formatNumber(v: number): string {
  return Number(v.toFixed(2)).toString();
}

interface Ctx {
  styles: Styles;
  label: ParagraphStyle;
  palette: Colour[];
  items: DisplayItem[];
}

function text(ctx: Ctx, s: string, x: number, top: number, width: number, align: 'left' | 'center' | 'right'): ComposedLine[] {
  const lines = ctx.styles.compose(ctx.styles.plain(s, ctx.label), width, { align });
  lines.forEach((l, i) => ctx.items.push(...lineItems(l, x, top + i * ctx.label.pitch, ctx.label.pitch)));
  return lines;
}

function measure(ctx: Ctx, s: string): number {
  return ctx.styles.measure(ctx.styles.plain(s, ctx.label) as StyledText[]);
}

export function chartBox(block: ChartBlock, styles: Styles, frameX: number, frameWidth: number, section: string): FlowBox {
  const t = styles.template;
  const width = frameWidth * block.width;
  const x = frameX + (frameWidth - width) / 2;
  const titleStyle = styles.get('h3');
  const label = styles.get('table');
  const title = block.title ? blockOfLines(styles.compose(styles.plain(block.title, titleStyle, true), width, { align: 'center' }), x, titleStyle.pitch) : undefined;
  const round = block.type === 'pie' || block.type === 'donut';
  const plotHeight = round ? width * 0.4 : width * 0.42;
  const multi = block.series.length > 1 && !round;
  const legendHeight = multi ? label.pitch * 1.5 : 0;
  const foot = block.source ? label.pitch : 0;
  const top0 = title ? title.height + 4 : 0;
  const height = top0 + plotHeight + legendHeight + foot;

  return {
    height,
    spaceBefore: styles.body.pitch,
    section,
    draw: (y) => {
      const ctx: Ctx = { styles, label, palette: t.palette, items: [] };
      if (title) ctx.items.push(...title.draw(y));
      const area = { x, y: y + top0, w: width, h: plotHeight };
      if (round) drawRound(ctx, block, area);
      else drawAxes(ctx, block, area);
      if (multi) drawLegend(ctx, block.series.map((s) => s.name), x, y + top0 + plotHeight + label.pitch * 0.25, width);
      if (block.source) text(ctx, `来源：${block.source}`, x, y + height - label.pitch, width, 'right');
      return ctx.items;
    },
  };
}

function drawLegend(ctx: Ctx, names: string[], x: number, top: number, width: number): void {
  const sw = ctx.label.size;
  const widths = names.map((n) => sw * 1.4 + measure(ctx, n) + sw * 1.5);
  let cx = x + (width - widths.reduce((a, b) => a + b, 0)) / 2;
  names.forEach((n, i) => {
    ctx.items.push({ kind: 'rect', x: cx, y: top + (ctx.label.pitch - sw) / 2, w: sw, h: sw, fill: ctx.palette[i % ctx.palette.length] });
    text(ctx, n, cx + sw * 1.4, top, widths[i], 'left');
    cx += widths[i];
  });
}

function drawAxes(ctx: Ctx, block: ChartBlock, area: { x: number; y: number; w: number; h: number }): void {
  const t = ctx.styles.template;
  const horizontal = block.type === 'hbar';
  const stacked = block.type === 'stacked';
  const combo = block.type === 'combo';
  const barSeries = block.type === 'line' ? [] : combo ? block.series.slice(0, 1) : block.series;
  const lineSeries = block.type === 'line' ? block.series : combo ? block.series.slice(1) : [];
  const n = block.categories.length;
  const values = (ss: typeof block.series) =>
    stacked
      ? block.categories.flatMap((_, i) => [ss.reduce((a, s) => a + Math.max(0, s.values[i]), 0), ss.reduce((a, s) => a + Math.min(0, s.values[i]), 0)])
      : ss.flatMap((s) => s.values);
  const primary = combo || block.type !== 'line' ? values(barSeries) : values(lineSeries);
  const ticks = niceTicks(Math.min(0, ...primary), Math.max(0, ...primary));
  const ticks2 = combo ? niceTicks(Math.min(0, ...values(lineSeries)), Math.max(0, ...values(lineSeries))) : [];
  const pitch = ctx.label.pitch;
  const unit = block.unit ? `单位：${block.unit}` : '';
  if (unit) text(ctx, unit, area.x, area.y, area.w, 'left');
  const top = area.y + (unit ? pitch * 1.2 : pitch * 0.5);
  const tickW = Math.max(...ticks.map((v) => measure(ctx, formatNumber(v)))) + 6;
  const tickW2 = combo ? Math.max(...ticks2.map((v) => measure(ctx, formatNumber(v)))) + 6 : 0;

  if (horizontal) {
    const catW = Math.min(area.w * 0.3, Math.max(...block.categories.map((c) => measure(ctx, c))) + 6);
    const plot = { x: area.x + catW, y: top, w: area.w - catW - 10, h: area.y + area.h - top - pitch * 1.4 };
    const sx = (v: number) => plot.x + ((v - ticks[0]) / (ticks[ticks.length - 1] - ticks[0])) * plot.w;
    for (const v of ticks) {
      ctx.items.push({ kind: 'line', x1: sx(v), y1: plot.y, x2: sx(v), y2: plot.y + plot.h, colour: v === 0 ? t.colours.muted : t.colours.fill, width: v === 0 ? 0.8 : 0.5 });
      text(ctx, formatNumber(v), sx(v) - 40, plot.y + plot.h + 2, 80, 'center');
    }
    const slot = plot.h / n;
    const bar = (slot * 0.7) / (stacked ? 1 : barSeries.length);
    block.categories.forEach((c, i) => {
      const lines = ctx.styles.compose(ctx.styles.plain(c, ctx.label), catW - 6, { align: 'right' });
      const cy = plot.y + slot * i + (slot - lines.length * pitch) / 2;
      lines.forEach((l, k) => ctx.items.push(...lineItems(l, area.x, cy + k * pitch, pitch)));
      let pos = 0;
      let neg = 0;
      barSeries.forEach((s, si) => {
        const v = s.values[i];
        const base = stacked ? (v >= 0 ? pos : neg) : 0;
        const y0 = plot.y + slot * i + slot * 0.15 + (stacked ? 0 : bar * si);
        const a = sx(base);
        const b = sx(base + v);
        ctx.items.push({ kind: 'rect', x: Math.min(a, b), y: y0, w: Math.abs(b - a), h: bar, fill: ctx.palette[si % ctx.palette.length] });
        if (stacked) (v >= 0 ? (pos += v) : (neg += v));
        else if (bar >= ctx.label.size) {
          const s2 = formatNumber(v);
          const w = measure(ctx, s2);
          const lx = v >= 0 ? b + 2 : b - 2 - w;
          text(ctx, s2, lx, y0 + (bar - pitch) / 2, w + 1, 'left');
        }
      });
    });
    return;
  }

  // Vertical bars and lines: categories along the bottom.
  const catLines = block.categories.map((c) => ctx.styles.compose(ctx.styles.plain(c, ctx.label), Math.max(ctx.label.size * 2, (area.w - tickW - tickW2) / n - 4), { align: 'center' }));
  const catH = Math.max(...catLines.map((l) => l.length)) * pitch + 4;
  const plot = { x: area.x + tickW, y: top + pitch / 2, w: area.w - tickW - tickW2, h: area.y + area.h - top - pitch / 2 - catH };
  const lo = ticks[0];
  const hi = ticks[ticks.length - 1];
  const sy = (v: number) => plot.y + plot.h - ((v - lo) / (hi - lo)) * plot.h;
  const sy2 = (v: number) => plot.y + plot.h - ((v - ticks2[0]) / (ticks2[ticks2.length - 1] - ticks2[0])) * plot.h;
  for (const v of ticks) {
    ctx.items.push({ kind: 'line', x1: plot.x, y1: sy(v), x2: plot.x + plot.w, y2: sy(v), colour: v === 0 ? t.colours.muted : t.colours.fill, width: v === 0 ? 0.8 : 0.5 });
    text(ctx, formatNumber(v), area.x, sy(v) - pitch / 2, tickW - 4, 'right');
  }
  for (const v of ticks2) text(ctx, formatNumber(v), plot.x + plot.w + 4, sy2(v) - pitch / 2, tickW2 - 4, 'left');
  const slot = plot.w / n;
  const groupW = slot * 0.7;
  const bar = barSeries.length ? groupW / (stacked ? 1 : barSeries.length) : 0;
  block.categories.forEach((_, i) => {
    const sx0 = plot.x + slot * i;
    catLines[i].forEach((l, k) => ctx.items.push(...lineItems(l, sx0 + 2, plot.y + plot.h + 3 + k * pitch, pitch)));
    let pos = 0;
    let neg = 0;
    barSeries.forEach((s, si) => {
      const v = s.values[i];
      const base = stacked ? (v >= 0 ? pos : neg) : 0;
      const bx = sx0 + (slot - groupW) / 2 + (stacked ? 0 : bar * si);
      const a = sy(base);
      const b = sy(base + v);
      ctx.items.push({ kind: 'rect', x: bx, y: Math.min(a, b), w: bar, h: Math.abs(b - a), fill: ctx.palette[si % ctx.palette.length] });
      if (stacked) (v >= 0 ? (pos += v) : (neg += v));
      else {
        const s2 = formatNumber(v);
        const w = measure(ctx, s2);
        if (w <= slot) text(ctx, s2, bx + bar / 2 - slot / 2, v >= 0 ? b - pitch : b, slot, 'center');
      }
    });
  });
  lineSeries.forEach((s, li) => {
    const colour = ctx.palette[(barSeries.length + li) % ctx.palette.length];
    const scale = combo ? sy2 : sy;
    const pts = s.values.map((v, i) => [plot.x + slot * (i + 0.5), scale(v)] as const);
    ctx.items.push({ kind: 'path', d: pts.map(([px, py], i) => `${i ? 'L' : 'M'}${px.toFixed(2)} ${py.toFixed(2)}`).join(' '), stroke: colour, lineWidth: 1.5 });
    for (const [px, py] of pts) ctx.items.push({ kind: 'rect', x: px - 2, y: py - 2, w: 4, h: 4, fill: colour });
  });
}

function arc(cx: number, cy: number, r: number, a: number): [number, number] {
  return [cx + r * Math.sin(a), cy - r * Math.cos(a)];
}

function drawRound(ctx: Ctx, block: ChartBlock, area: { x: number; y: number; w: number; h: number }): void {
  const values = block.series[0].values.map((v) => Math.max(0, v));
  const total = values.reduce((a, b) => a + b, 0) || 1;
  const r = Math.min(area.h / 2 - 4, area.w * 0.25);
  const cx = area.x + area.w * 0.3;
  const cy = area.y + area.h / 2;
  const inner = block.type === 'donut' ? r * 0.55 : 0;
  let a0 = 0;
  values.forEach((v, i) => {
    const a1 = a0 + (v / total) * Math.PI * 2;
    const colour = ctx.palette[i % ctx.palette.length];
    const large = a1 - a0 > Math.PI ? 1 : 0;
    const [x0, y0] = arc(cx, cy, r, a0);
    const [x1, y1] = arc(cx, cy, r, a1 - 1e-6);
    let d: string;
    if (inner > 0) {
      const [ix1, iy1] = arc(cx, cy, inner, a1 - 1e-6);
      const [ix0, iy0] = arc(cx, cy, inner, a0);
      d = `M${x0} ${y0} A${r} ${r} 0 ${large} 1 ${x1} ${y1} L${ix1} ${iy1} A${inner} ${inner} 0 ${large} 0 ${ix0} ${iy0} Z`;
    } else d = `M${cx} ${cy} L${x0} ${y0} A${r} ${r} 0 ${large} 1 ${x1} ${y1} Z`;
    if (v > 0) ctx.items.push({ kind: 'path', d, fill: colour, stroke: ctx.styles.template.colours.paper, lineWidth: 0.8 });
    a0 = a1;
  });
  // Legend beside the circle: swatch, category, share.
  const lx = cx + r + 24;
  const pitch = ctx.label.pitch;
  const top = cy - (values.length * pitch) / 2;
  values.forEach((v, i) => {
    const y = top + i * pitch;
    ctx.items.push({ kind: 'rect', x: lx, y: y + (pitch - ctx.label.size) / 2, w: ctx.label.size, h: ctx.label.size, fill: ctx.palette[i % ctx.palette.length] });
    text(ctx, `${block.categories[i]}  ${((v / total) * 100).toFixed(1)}%`, lx + ctx.label.size * 1.5, y, area.x + area.w - lx - ctx.label.size * 1.5, 'left');
  });
}
