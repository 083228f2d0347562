/**
 * The composer's inputs and outputs. The composer is pure: styled text,
 * font metrics and a measure in, lines of positioned glyph runs out. It
 * knows nothing of pdfkit, pages or files.
 */
import type { Colour } from '../template/colour.js';

/** A glyph as shaping gives it; lengths in em. */
export interface ShapedGlyph {
  /** glyph id in the font */
  id: number;
  /** the characters it stands for (what copied text gives) */
  codePoints: number[];
  /** its own advance (the font's metrics) */
  advance: number;
  /** where shaping moves the pen after it (kerning included) */
  xAdvance: number;
  /** where shaping moves the glyph from the pen */
  dx: number;
  dy: number;
}

/** What the composer needs to know of a font; lengths in em. */
export interface FontMetrics {
  /** stable name the renderer uses to pick the font */
  readonly key: string;
  /** advance of one code point, in em */
  advance(cp: number): number;
  /** advance of a shaped string (kerning included), in em, with optional OpenType features */
  measure(text: string, features?: readonly string[]): number;
  /** the glyphs of a shaped string: shaped once, drawn as they are (the renderer shapes nothing) */
  shape(text: string, features?: readonly string[]): readonly ShapedGlyph[];
  covers(cp: number): boolean;
  /** left and right edge of a code point's ink, in em (for symbols set to their ink) */
  ink?(cp: number): [number, number];
}

/** Picks the font for a character (grapheme cluster) a run's font may lack; undefined: no font has it. */
export interface FontFallback {
  fontFor(primary: FontMetrics, cluster: string): FontMetrics | undefined;
}

export interface RunStyle {
  font: FontMetrics;
  /** where characters `font` lacks are set; without one they are left out */
  fallback?: FontFallback;
  size: number;
  colour: Colour;
  link?: string;
  /** baseline shift in points, up when positive: superscripts, subscripts, footnote markers */
  rise?: number;
  /** a mark that clings to the text around it (a footnote marker): no gap on either side, no break before it */
  clings?: true;
}

export interface StyledText {
  text: string;
  style: RunStyle;
}

export type Prohibition = 'basic' | 'gb' | 'strict';

/** Settings resolved once per paragraph style. */
export interface ComposeSettings {
  /** the measure, in points */
  width: number;
  /** first-line indent, in points */
  indent: number;
  align: 'justify' | 'left' | 'center' | 'right';
  prohibition: Prohibition;
  /** an opening bracket at the start of a line loses its blank half */
  trimOpeningAtLineStart: boolean;
  /** titles and heads: break between Chinese words, not inside them, into lines of even length with no last line under three characters */
  title?: boolean;
  /**
   * Latin-script text (an article in English): word spaces from 0.8 to 1.33
   * times their width, words hyphenated with the patterns of `hyphenation`
   * (a language tag) where that keeps them so
   */
  latin?: { hyphenation?: string };
}

/** A glyph of a run, placed: `x`, `y` from the run's origin, in points. */
export interface PlacedGlyph {
  id: number;
  codePoints: number[];
  /** the glyph's own advance in points (what the PDF's widths say) */
  advance: number;
  x: number;
  y: number;
}

/** Glyphs drawn from `x` on, each advanced by its natural width plus `spacing`; `glyphs` are where they stand. */
export interface GlyphRun {
  x: number;
  text: string;
  glyphs: PlacedGlyph[];
  font: string;
  size: number;
  colour: Colour;
  spacing: number;
  /** OpenType features to shape with (fwid for a 2-em ——) */
  features?: readonly string[];
  /** the source had a space before the run (the gap before `x`): copied text keeps it */
  spaceBefore?: true;
  /** the line broke at a space after the run: copied text keeps it */
  spaceAfter?: true;
  /** index into the line's links: the run is (part of) that link's text */
  link?: number;
}

export interface LinkSpan {
  x: number;
  width: number;
  url: string;
}

export interface ComposedLine {
  runs: GlyphRun[];
  links: LinkSpan[];
  /** right edge of the last glyph's box, after adjustment */
  width: number;
  /** largest font size on the line */
  size: number;
}
