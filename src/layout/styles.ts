/**
 * Paragraph styles: the template's type scale resolved once into what the
 * composer takes (run styles and compose settings), so that layout code
 * never reads the template's raw values.
 */
import { scriptStyle } from '../compose/collect.js';
import { composeRemembered, measureRemembered, unbreakableRemembered } from './composed.js';
import type { ComposeSettings, ComposedLine, FontFallback, RunStyle, StyledText } from '../compose/types.js';
import type { FontSet } from '../fonts/fonts.js';
import type { Span } from '../model/document.js';
import type { Colour } from '../template/colour.js';
import type { TextStyle } from '../template/template.js';
import type { LayoutSettings } from './settings.js';

export type StyleName = keyof LayoutSettings['type'];

export interface ParagraphStyle {
  run: RunStyle;
  bold: RunStyle;
  /** emphasis: Chinese fonts have no italic, so emphasis is set in the sans face */
  emphasis: RunStyle;
  pitch: number;
  size: number;
}

export class Styles {
  readonly body: ParagraphStyle;
  private readonly cache = new Map<StyleName, ParagraphStyle>();

  constructor(
    readonly settings: LayoutSettings,
    readonly fonts: FontSet,
    readonly fallback: FontFallback,
  ) {
    this.body = this.get('body');
  }

  get(name: StyleName): ParagraphStyle {
    let s = this.cache.get(name);
    if (!s) {
      s = this.resolve(this.settings.type[name]);
      this.cache.set(name, s);
    }
    return s;
  }

  /** The same style at another size; the line pitch scales with it unless given. */
  sized(style: ParagraphStyle, size: number, pitch = style.pitch * (size / style.size)): ParagraphStyle {
    if (size === style.size && pitch === style.pitch) return style;
    const at = (r: RunStyle) => ({ ...r, size });
    return { run: at(style.run), bold: at(style.bold), emphasis: at(style.emphasis), size, pitch };
  }

  /** The same style in another colour (links, table headers on a dark fill). */
  recolour(style: ParagraphStyle, colour: Colour): ParagraphStyle {
    return {
      ...style,
      run: { ...style.run, colour },
      bold: { ...style.bold, colour },
      emphasis: { ...style.emphasis, colour },
    };
  }

  private resolve(t: TextStyle): ParagraphStyle {
    const f = this.fonts.roles;
    const font = f[t.font];
    const sansLike = t.font === 'sans' || t.font === 'sans-bold';
    const bold = sansLike ? f['sans-bold'] : f['body-bold'];
    const run: RunStyle = { font, fallback: this.fallback, size: t.size, colour: t.colour };
    return {
      run,
      bold: { ...run, font: bold },
      emphasis: { ...run, font: sansLike ? f['sans-bold'] : f.sans },
      pitch: t.pitch,
      size: t.size,
    };
  }

  /**
   * Model spans → styled text for the composer. A footnote reference is set
   * as its marker, superscript; with `notes` (the article's destinations,
   * see notes.ts) it links to its note.
   */
  spans(spans: Span[], style: ParagraphStyle, notes?: (n: number) => string): StyledText[] {
    return spans.map((s) => {
      const base = s.style.bold ? style.bold : s.style.italic ? style.emphasis : style.run;
      const note = s.style.note;
      if (note !== undefined) {
        const marker: RunStyle = { ...scriptStyle(base, true), clings: true };
        return { text: this.noteMarker(note), style: notes ? { ...marker, link: `#${notes(note)}` } : marker };
      }
      const link = s.style.link;
      return { text: s.text, style: link ? { ...base, colour: this.settings.colours.accent, link } : base };
    });
  }

  /** Note n's marker: its number, or circled (① to ㊿, numbers beyond) as the template chooses. */
  noteMarker(n: number): string {
    if (this.settings.noteMarker === 'number' || n > 50) return String(n);
    return String.fromCodePoint(n <= 20 ? 0x245f + n : n <= 35 ? 0x3250 + n - 20 : 0x32b0 + n - 35);
  }

  plain(text: string, style: ParagraphStyle, bold = false): StyledText[] {
    return [{ text, style: bold ? style.bold : style.run }];
  }

  /** Plain text in which the site URL, wherever it is printed, is a live link (in the style's own colour). */
  withSiteLink(text: string, style: ParagraphStyle): StyledText[] {
    const url = this.settings.url;
    return text
      .split(url)
      .flatMap((part, i) => [...(i > 0 ? [{ text: url, style: { ...style.run, link: url } }] : []), ...(part ? [{ text: part, style: style.run }] : [])]);
  }

  composeSettings(width: number, opts: Partial<ComposeSettings> = {}): ComposeSettings {
    const c = this.settings.composition;
    return { width, indent: 0, align: 'justify', prohibition: c.prohibition, trimOpeningAtLineStart: c.trimLineStartBracket, ...opts };
  }

  /** Composed lines, remembered across builds in one process (see composed.ts). */
  compose(text: StyledText[], width: number, opts: Partial<ComposeSettings> = {}): ComposedLine[] {
    return composeRemembered(text, this.composeSettings(width, opts));
  }

  measure(text: StyledText[]): number {
    return measureRemembered(text);
  }

  /** The widest stretch of `text` no line may break (a date, a phone number): what a column must hold. */
  unbreakable(text: StyledText[]): number {
    return unbreakableRemembered(text, this.composeSettings(Infinity));
  }
}
