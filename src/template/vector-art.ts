/**
 * The logo: a small SVG subset read into vector shapes, so that the PDF draws
 * it as vectors in the edition's colour space. Supported: <svg viewBox>, <g>
 * with transform, <path>, <rect>, <circle>, <ellipse>, <polygon>,
 * <polyline>, <line>; fill, stroke and stroke-width as attributes or style.
 * Anything else (text, images, gradients) is refused with the file named:
 * convert it to paths in the drawing program.
 */
import fs from 'node:fs';
import { UserError } from '../errors.js';
import type { Colour } from './template.js';

/** 2-D affine matrix [a, b, c, d, e, f], as in SVG and PDF. */
export type Matrix = [number, number, number, number, number, number];

export interface VectorShape {
  d: string;
  fill?: Colour;
  stroke?: Colour;
  lineWidth?: number;
  transform: Matrix;
}

export interface VectorArt {
  /** viewBox: x, y, width, height */
  box: [number, number, number, number];
  shapes: VectorShape[];
}

export const IDENTITY: Matrix = [1, 0, 0, 1, 0, 0];

export function multiply(m: Matrix, n: Matrix): Matrix {
  return [m[0] * n[0] + m[2] * n[1], m[1] * n[0] + m[3] * n[1], m[0] * n[2] + m[2] * n[3], m[1] * n[2] + m[3] * n[3], m[0] * n[4] + m[2] * n[5] + m[4], m[1] * n[4] + m[3] * n[5] + m[5]];
}

const DRAWN = new Set(['path', 'rect', 'circle', 'ellipse', 'polygon', 'polyline', 'line']);
const IGNORED = new Set(['svg', 'g', 'title', 'desc', 'metadata', 'defs']);

function parseTransform(t: string | undefined, file: string): Matrix {
  let m = IDENTITY;
  for (const [, fn, args] of (t ?? '').matchAll(/(\w+)\s*\(([^)]*)\)/g)) {
    const n = args.split(/[\s,]+/).filter(Boolean).map(Number);
    let step: Matrix;
    if (fn === 'translate') step = [1, 0, 0, 1, n[0] ?? 0, n[1] ?? 0];
    else if (fn === 'scale') step = [n[0], 0, 0, n[1] ?? n[0], 0, 0];
    else if (fn === 'matrix' && n.length === 6) step = n as Matrix;
    else if (fn === 'rotate') {
      const a = ((n[0] ?? 0) * Math.PI) / 180;
      const r: Matrix = [Math.cos(a), Math.sin(a), -Math.sin(a), Math.cos(a), 0, 0];
      step = n.length === 3 ? multiply(multiply([1, 0, 0, 1, n[1], n[2]], r), [1, 0, 0, 1, -n[1], -n[2]]) : r;
    } else throw new UserError(`the logo uses transform ${fn}(), which bulletin does not draw`, file);
    m = multiply(m, step);
  }
  return m;
}

/** SVG colour → template colour: a template colour when the RGB matches one, else a plain conversion. */
function colour(value: string | undefined, palette: Colour[], file: string): Colour | undefined | null {
  if (value === undefined) return undefined;
  const v = value.trim().toLowerCase();
  if (v === 'none' || v === 'transparent') return null;
  const named: Record<string, string> = { white: '#ffffff', black: '#000000' };
  let hex = named[v] ?? v;
  if (/^#[0-9a-f]{3}$/.test(hex)) hex = '#' + [...hex.slice(1)].map((c) => c + c).join('');
  if (!/^#[0-9a-f]{6}$/.test(hex)) throw new UserError(`the logo uses the colour "${value}"; write colours as #rrggbb`, file);
  const match = palette.find((c) => c.rgb.toLowerCase() === hex);
  if (match) return match;
  const [r, g, b] = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16) / 255);
  const k = 1 - Math.max(r, g, b);
  const cmy = (x: number) => (k >= 1 ? 0 : Math.round(((1 - x - k) / (1 - k)) * 100));
  return { rgb: hex, cmyk: [cmy(r), cmy(g), cmy(b), Math.round(k * 100)] };
}

function shapePath(tag: string, a: Record<string, string>): string {
  const n = (k: string) => Number(a[k] ?? 0);
  switch (tag) {
    case 'path':
      return a.d ?? '';
    case 'rect':
      return `M${n('x')} ${n('y')} h${n('width')} v${n('height')} h${-n('width')} Z`;
    case 'circle':
    case 'ellipse': {
      const rx = tag === 'circle' ? n('r') : n('rx');
      const ry = tag === 'circle' ? n('r') : n('ry');
      const cx = n('cx');
      const cy = n('cy');
      return `M${cx - rx} ${cy} A${rx} ${ry} 0 1 0 ${cx + rx} ${cy} A${rx} ${ry} 0 1 0 ${cx - rx} ${cy} Z`;
    }
    case 'line':
      return `M${n('x1')} ${n('y1')} L${n('x2')} ${n('y2')}`;
    default: {
      const pts = (a.points ?? '').trim().split(/[\s,]+/).map(Number);
      const pairs = [];
      for (let i = 0; i + 1 < pts.length; i += 2) pairs.push(`${pts[i]} ${pts[i + 1]}`);
      return `M${pairs.join(' L')}${tag === 'polygon' ? ' Z' : ''}`;
    }
  }
}

export function readVectorArt(file: string, palette: Colour[]): VectorArt {
  const svg = fs.readFileSync(file, 'utf8');
  const root = /<svg\b([^>]*)>/.exec(svg);
  if (!root) throw new UserError('the logo is not an SVG file', file);
  const attrs = (s: string) => Object.fromEntries([...s.matchAll(/([\w:-]+)\s*=\s*"([^"]*)"/g)].map((m) => [m[1], m[2]]));
  const rootAttrs = attrs(root[1]);
  const vb = (rootAttrs.viewBox ?? `0 0 ${parseFloat(rootAttrs.width ?? '0')} ${parseFloat(rootAttrs.height ?? '0')}`).split(/[\s,]+/).map(Number);
  if (vb.length !== 4 || !(vb[2] > 0 && vb[3] > 0)) throw new UserError('the logo needs a viewBox (or width and height)', file);

  type Inherited = { transform: Matrix; fill?: string; stroke?: string; width?: string };
  const stack: Inherited[] = [{ transform: IDENTITY }];
  const shapes: VectorShape[] = [];
  const body = svg.replace(/<!--[\s\S]*?-->/g, '').replace(/<\?[\s\S]*?\?>/g, '').replace(/<!DOCTYPE[^>]*>/gi, '');
  for (const [, close, tag, rest, selfClose] of body.matchAll(/<(\/?)([\w:-]+)([^>]*?)(\/?)>/g)) {
    const name = tag.replace(/^svg:/, '');
    if (close) {
      if (name === 'g') stack.pop();
      continue;
    }
    if (name === 'svg' && !close) continue;
    const a = attrs(rest);
    const style = Object.fromEntries((a.style ?? '').split(';').map((d) => d.split(':').map((x) => x.trim())).filter((d) => d.length === 2));
    const up = stack[stack.length - 1];
    const here: Inherited = {
      transform: multiply(up.transform, parseTransform(a.transform, file)),
      fill: style.fill ?? a.fill ?? up.fill,
      stroke: style.stroke ?? a.stroke ?? up.stroke,
      width: style['stroke-width'] ?? a['stroke-width'] ?? up.width,
    };
    if (name === 'g') {
      if (!selfClose) stack.push(here);
      continue;
    }
    if (IGNORED.has(name)) continue;
    if (!DRAWN.has(name)) throw new UserError(`the logo uses <${name}>, which bulletin does not draw; convert it to paths`, file);
    const fill = colour(here.fill ?? '#000000', palette, file);
    const stroke = colour(here.stroke, palette, file);
    shapes.push({ d: shapePath(name, a), fill: fill ?? undefined, stroke: stroke ?? undefined, lineWidth: stroke ? Number(here.width ?? 1) : undefined, transform: here.transform });
  }
  if (shapes.length === 0) throw new UserError('the logo draws nothing', file);
  return { box: [vb[0], vb[1], vb[2], vb[3]], shapes };
}
