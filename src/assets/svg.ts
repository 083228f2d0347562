/**
 * SVG drawings (diagrams in an issue, the template's logo) are drawn into the
 * PDF as vectors by svg-to-pdfkit. Before that, each file is read here and
 * made safe and printable:
 *
 * - nothing leaves the file: scripts, foreign objects, embedded or linked
 *   images, external references and DOCTYPE declarations (entities) are
 *   removed, each with a warning naming the element and its line;
 * - effects the drawer cannot do (filters, animation) are warnings;
 * - its text is set in the template's sans face (the faces diagrams are
 *   labelled in); a character that face lacks is taken out with a warning,
 *   so that no label prints as an empty box.
 */
import { readText } from '../source/files.js';
import { svgSize } from '../source/svg-size.js';
import { clusters } from '../compose/collect.js';
import { coversCluster } from '../fonts/fallback.js';
import type { LoadedFont } from '../fonts/fonts.js';
import { UserError, type Warning } from '../source/errors.js';
import { requirePackage } from '../packages.js';

const PDFDocument = requirePackage('pdfkit') as typeof import('pdfkit');
const SVGtoPDF = requirePackage('svg-to-pdfkit') as typeof import('svg-to-pdfkit');

export interface VectorImage {
  file: string;
  /** the SVG source as it will be drawn */
  svg: string;
  /** the drawing's size in its own units (viewBox, else width/height) */
  width: number;
  height: number;
  /**
   * it needs transparency to be drawn (see-through colour or groups, clip
   * paths, masks), which PDF/X does not allow: print places it as a picture
   */
  seeThrough: boolean;
}

/** What only a transparent PDF can draw: opacity below 1, rgba/hsla colours, clip paths, masks. */
const SEE_THROUGH = /\b(?:fill-|stroke-|stop-)?opacity\s*[=:]\s*["']?\s*(?:0*\.\d+|0)\b|\b(?:rgba|hsla)\s*\(|<clipPath\b|<mask\b|\bclip-path\s*[=:]|\bmask\s*[=:]/;

/** Elements removed: they run code, reach outside the file, or embed pictures bulletin cannot prepare. */
const REMOVED = ['script', 'foreignObject', 'image', 'iframe', 'audio', 'video'];
/** Elements the drawer ignores: the drawing prints without their effect. */
const IGNORED = ['filter', 'animate', 'animateMotion', 'animateTransform', 'set', 'switch'];

function lineAt(text: string, index: number): { line: number; col: number } {
  const before = text.slice(0, index);
  const line = before.split('\n').length;
  return { line, col: [...before.slice(before.lastIndexOf('\n') + 1)].length + 1 };
}

/**
 * Reads an SVG for drawing. `covers(cluster)`: does the face the text is set
 * in have this character? Returns the drawing and what was changed in it.
 */
export function readSvg(file: string, source: string, covers: (cluster: string) => boolean): { image: VectorImage; warnings: Warning[] } {
  const warnings: Warning[] = [];
  const warn = (index: number, message: string) => warnings.push({ file, pos: lineAt(source, index), message });
  // Blank out what is removed, keeping every other character where it was, so that
  // positions in later warnings are still those of the file.
  let svg = source;
  const blank = (from: number, to: number) => {
    svg = svg.slice(0, from) + svg.slice(from, to).replace(/[^\n]/g, ' ') + svg.slice(to);
  };
  for (const m of source.matchAll(/<!DOCTYPE(\s[^[>]*)?(\[[\s\S]*?\])?\s*>/gi)) {
    warn(m.index, 'the SVG declares a DOCTYPE; it is ignored (no entities or external definitions are read)');
    blank(m.index, m.index + m[0].length);
  }
  for (const name of REMOVED) {
    const re = new RegExp(`<${name}\\b[^>]*?(/>|>[\\s\\S]*?</${name}\\s*>)`, 'gi');
    for (const m of svg.matchAll(re)) {
      warn(m.index, `the SVG's <${name}> is left out: bulletin draws no ${name === 'image' ? 'pictures inside a drawing (place them in the article)' : 'scripts or embedded content'}`);
      blank(m.index, m.index + m[0].length);
    }
  }
  for (const m of svg.matchAll(/\s(?:xlink:)?href\s*=\s*("[^"]*"|'[^']*')/g)) {
    const target = m[1].slice(1, -1).trim();
    if (target.startsWith('#')) continue;
    warn(m.index + 1, `the SVG links to "${target.slice(0, 60)}", outside the drawing; the reference is left out`);
    blank(m.index, m.index + m[0].length);
  }
  for (const name of IGNORED) {
    for (const m of svg.matchAll(new RegExp(`<${name}\\b`, 'g'))) warn(m.index, `the SVG's <${name}> is not drawn; the drawing prints without it`);
  }
  // Text nodes inside <text>: characters the face lacks come out.
  for (const t of svg.matchAll(/<text\b[\s\S]*?<\/text\s*>/g)) {
    for (const node of t[0].matchAll(/>([^<]+)</g)) {
      let offset = t.index + node.index + 1;
      for (const segment of clusters(node[1])) {
        if (!/^\s+$/.test(segment) && !/^&/.test(segment) && !covers(segment)) {
          warn(offset, `the SVG's <text> has ${segment}, which the template's sans face lacks; it is left out`);
          svg = svg.slice(0, offset) + ' '.repeat(segment.length) + svg.slice(offset + segment.length);
        }
        offset += segment.length;
      }
    }
  }
  const { width, height } = svgSize(svg) ?? { width: 300, height: 150 };
  const seeThrough = SEE_THROUGH.exec(svg);
  const text = /<text\b/.exec(svg);
  if (seeThrough && text) {
    warn(seeThrough.index, "the SVG needs transparency, which print (PDF/X) does not allow: the print edition places it as a 300 ppi picture, its text drawn in the machine's fonts");
  }
  warnings.sort((a, b) => a.pos!.line - b.pos!.line || a.pos!.col - b.pos!.col);
  return { image: { file, svg, width, height, seeThrough: !!seeThrough }, warnings };
}

/**
 * SVG files (the drawings, the template's logo), read for drawing as vectors, and drawn
 * once into a scratch document so that whatever else the drawer cannot do
 * is said now, once, with the file named.
 */
export function readVectors(files: string[], fonts: { regular: LoadedFont; bold: LoadedFont }): { vectors: Map<string, VectorImage>; warnings: Warning[] } {
  const vectors = new Map<string, VectorImage>();
  const warnings: Warning[] = [];
  const covers = (c: string) => coversCluster(fonts.regular, c) && coversCluster(fonts.bold, c);
  for (const file of files) {
    const read = readSvg(file, readText(file, 'drawing'), covers);
    vectors.set(file, read.image);
    warnings.push(...read.warnings);
    const scratch = new PDFDocument({ autoFirstPage: true });
    for (const f of [fonts.regular, fonts.bold]) scratch.registerFont(f.key, f.font as unknown as string);
    const said = new Set<string>();
    try {
      SVGtoPDF(scratch, read.image.svg, 0, 0, {
        width: read.image.width,
        height: read.image.height,
        fontCallback: (_family, bold) => (bold ? fonts.bold.key : fonts.regular.key),
        imageCallback: () => '',
        warningCallback: (m) => said.add(m),
      });
    } catch (e) {
      throw new UserError(`the SVG cannot be drawn: ${(e as Error).message.split('\n')[0]}`, file);
    }
    scratch.end();
    for (const m of said) warnings.push({ file, message: `the SVG cannot be drawn exactly: ${m}` });
  }
  return { vectors, warnings };
}
