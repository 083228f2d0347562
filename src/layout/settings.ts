/**
 * What layout needs of the template, resolved once: lengths in points,
 * colours as template colours (each with its RGB and CMYK). Layout reads
 * these, never the template — in the spirit of Typst's resolved `Config`.
 */
import type { Colour } from '../template/colour.js';
import type { Logo, RunningLine, Template } from '../template/template.js';

export interface LayoutSettings {
  /** page size, text frame (whole body characters wide) and footer baseline, from the trim's top-left corner */
  page: Template['page'];
  /** how far a band that touches the trim edge runs on past it (print bleed) */
  bleed: number;
  /** the named colours: text, accent, muted, rule, fill, paper */
  colours: Template['colours'];
  /** chart series colours, in order */
  palette: Colour[];
  /** the type scale: each style's font role, size, pitch and colour */
  type: Template['type'];
  /** line-breaking strictness (clreq prohibition level) and whether a line-start bracket loses its blank half */
  composition: Template['composition'];
  /** the publication's name, printed large on the cover (简报) */
  publication: string;
  /** the association's names, Chinese and English, on the covers */
  association: Template['association'];
  /** the site, a live link wherever it is printed */
  url: string;
  /** the association's emblem (an SVG drawing and its proportions), on both covers */
  logo?: Logo;
  /** the running lines at the head and the foot of the page */
  header: RunningLine;
  footer: RunningLine;
  /** how a section opens: a band across the page, or a rule under its title */
  sectionOpener: Template['sectionOpener'];
  /** table rules (a full grid or the three lines of a 三线表) and zebra striping */
  table: Template['table'];
  /** air above and below pictures, charts and tables */
  figureSpace: number;
  /** what the tagged edition says of a picture with neither caption nor description */
  undescribedPictures: Template['undescribedPictures'];
  /** how footnote markers look */
  noteMarker: Template['noteMarker'];
  /** first-line indent of Latin-script paragraphs, in ems */
  latinIndent: number;
  /** how small and tight the contents may be set to fit on the cover */
  contents: Template['contents'];
}

export function layoutSettings(t: Template): LayoutSettings {
  return {
    page: t.page,
    bleed: t.print.bleed,
    colours: t.colours,
    palette: t.palette,
    type: t.type,
    composition: t.composition,
    publication: t.publication,
    association: t.association,
    url: t.url,
    logo: t.logo,
    header: t.header,
    footer: t.footer,
    sectionOpener: t.sectionOpener,
    table: t.table,
    figureSpace: t.figureSpace,
    undescribedPictures: t.undescribedPictures,
    noteMarker: t.noteMarker,
    latinIndent: t.latinIndent,
    contents: t.contents,
  };
}
