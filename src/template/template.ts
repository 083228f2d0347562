/**
 * The template: branding, fonts, type scale and page geometry, read from
 * `templates/<name>/template.yaml`. Designers write millimetres; everything
 * here is resolved once into points.
 */
import fs from 'node:fs';
import path from 'node:path';
import { UserError } from '../source/errors.js';
import { checkSize, readText, resolveFile } from '../source/files.js';
import { resolveInside } from '../source/paths.js';
import { YamlSource } from '../source/yaml.js';
import { svgSize } from '../source/svg-size.js';
import { REGISTERED_CONDITIONS } from './conditions.js';
import type { Colour } from './colour.js';
import { PACKAGE_ROOT } from '../packages.js';
import { bool, list, num, obj, oneOf, optional, str, type Infer } from '../schema.js';

export const MM = 72 / 25.4;

/** The folder bulletin is installed in (templates and fonts shipped with it). */

const hex = str({ pattern: /^#[0-9a-fA-F]{6}$/, patternHint: 'a colour like #0b4f8a' });
const colourSchema = obj({ rgb: hex, cmyk: list(num({ min: 0, max: 100 })) });
const textStyle = obj({
  font: str(),
  size: num({ min: 4, max: 200 }),
  leading: optional(num({ min: 1, max: 4 })),
  colour: optional(str()),
});

const runningLine = obj({ left: optional(str()), right: optional(str()), 'on-cover': optional(bool()) });

const templateSchema = obj({
  name: str(),
  publication: str(),
  association: obj({ zh: str(), en: str() }),
  url: str({ pattern: /^https?:\/\/\S+$/, patternHint: 'an http(s) URL' }),
  logo: optional(str()),
  colours: obj({
    text: colourSchema,
    accent: colourSchema,
    muted: colourSchema,
    rule: colourSchema,
    fill: colourSchema,
    paper: colourSchema,
  }),
  palette: list(colourSchema, { min: 2 }),
  fonts: obj({
    body: str(),
    'body-bold': str(),
    sans: str(),
    'sans-bold': str(),
    fallback: optional(list(str())),
    folders: optional(list(str())),
  }),
  type: obj({
    body: textStyle,
    title: textStyle,
    section: textStyle,
    h2: textStyle,
    h3: textStyle,
    caption: textStyle,
    table: textStyle,
    footer: textStyle,
    masthead: textStyle,
  }),
  page: obj({
    size: list(num({ min: 50, max: 1000 })),
    margins: obj({ top: num({ min: 0 }), bottom: num({ min: 0 }), left: num({ min: 0 }), right: num({ min: 0 }) }),
    'footer-offset': num({ min: 0 }),
  }),
  header: optional(runningLine),
  footer: optional(runningLine),
  'section-opener': optional(obj({ style: oneOf(['band', 'rule'] as const) })),
  table: optional(obj({ rules: optional(oneOf(['grid', 'three-line'] as const)), zebra: optional(bool()) })),
  pictures: optional(obj({ undescribed: optional(oneOf(['titled', 'decorative'] as const)) })),
  notes: optional(obj({ marker: optional(oneOf(['number', 'circled'] as const)) })),
  latin: optional(obj({ indent: optional(num({ min: 0, max: 4 })) })),
  print: optional(
    obj({
      bleed: optional(num({ min: 0, max: 10 })),
      'crop-marks': optional(bool()),
      'cmyk-images': optional(bool()),
      'output-condition': optional(str()),
      icc: optional(str()),
    }),
  ),
  composition: optional(
    obj({
      prohibition: optional(oneOf(['basic', 'gb', 'strict'] as const)),
      'trim-line-start-bracket': optional(bool()),
    }),
  ),
  spacing: optional(obj({ figures: optional(num({ min: 0, max: 4 })) })),
  contents: optional(obj({ 'min-size': optional(num({ min: 5, max: 30 })), leading: optional(num({ min: 1, max: 3 })) })),
});

export type TemplateSource = Infer<typeof templateSchema>;
export type FontRole = Exclude<keyof TemplateSource['fonts'], 'fallback' | 'folders'>;
export type ColourName = keyof TemplateSource['colours'];


export interface TextStyle {
  font: FontRole;
  size: number;
  /** line pitch in points */
  pitch: number;
  colour: Colour;
}

/** A running header or footer: text with {fields} on the left and right, and whether the cover has it. */
export interface RunningLine {
  left: string;
  right: string;
  onCover: boolean;
}

/** The template with every length in points and every reference resolved. */
export interface Template {
  name: string;
  dir: string;
  file: string;
  /** the publication's name, printed large on the cover (简报) */
  publication: string;
  association: { zh: string; en: string };
  url: string;
  /** the logo: an SVG file in the template folder (drawn as vectors, see assets/svg.ts) and its proportions */
  logo?: Logo;
  header: RunningLine;
  footer: RunningLine;
  sectionOpener: 'band' | 'rule';
  /** table rules (a full grid, or the three lines of a 三线表) and zebra striping with the fill colour */
  table: { rules: 'grid' | 'three-line'; zebra: boolean };
  /**
   * what a screen reader is told of a picture with neither caption nor
   * description: 'titled', a picture of its article (图片：title);
   * 'decorative', nothing (an artifact, out of the reading order)
   */
  undescribedPictures: 'titled' | 'decorative';
  /** footnote markers: superscript numbers (¹ ²) or circled (① ②) */
  noteMarker: 'number' | 'circled';
  /** first-line indent of a Latin-script article's paragraphs, in ems (Chinese paragraphs take two) */
  latinIndent: number;
  /**
   * the print edition: bleed in points, crop marks, images converted to CMYK;
   * the printing condition it declares (PDF/X output intent) and the printer's
   * profile, if the template names one (images are converted with it)
   */
  print: { bleed: number; cropMarks: boolean; cmykImages: boolean; outputCondition: string; icc?: { file: string; data: Buffer } };
  colours: Record<ColourName, Colour>;
  palette: Colour[];
  /** font role → a built-in font name or a file fonts/NAME.ttf */
  fonts: Record<FontRole, string>;
  /** fonts tried in order for characters a role's font lacks */
  fallbackFonts: string[];
  /** folders of font files (inside the template folder) searched for characters no named font has */
  fontFolders: string[];
  type: Record<keyof TemplateSource['type'], TextStyle>;
  page: {
    width: number;
    height: number;
    /** the text frame: width is a whole number of body characters */
    frame: { x: number; y: number; width: number; height: number };
    footerY: number;
  };
  composition: {
    /** clreq prohibition level */
    prohibition: 'basic' | 'gb' | 'strict';
    /** an opening bracket at a line start loses its blank half */
    trimLineStartBracket: boolean;
  };
  /** air above and below pictures, charts and tables, in points (the template writes body lines) */
  figureSpace: number;
  /** the contents may be set this small (points) at this leading (pitch ÷ size) to fit on the cover */
  contents: { minSize: number; leading: number };
}

/** Finds `templates/<name>` in the working directory first, then among those shipped with bulletin. */
export function findTemplate(name: string, cwd: string, issueFile: string): string {
  if (!/^[a-z0-9][a-z0-9_-]*$/i.test(name)) throw new UserError(`template name "${name}" must be a plain folder name`, issueFile);
  for (const root of [cwd, PACKAGE_ROOT]) {
    const dir = path.join(root, 'templates', name);
    if (fs.existsSync(path.join(dir, 'template.yaml'))) return dir;
  }
  throw new UserError(`template "${name}" not found (looked in ./templates/ and bulletin's own templates)`, issueFile);
}

/** A file (or, `folder`, a folder) named in the template must lie inside the template folder. */
function templateFile(dir: string, written: string, src: YamlSource, at: (string | number)[], folder = false): string {
  if (folder) {
    const r = resolveInside(dir, written);
    if ('error' in r) throw src.error(at, r.error);
    if (!fs.statSync(r.path, { throwIfNoEntry: false })?.isDirectory()) throw src.error(at, `${written} is not a folder in ${path.basename(dir)}/`);
    return r.path;
  }
  const r = resolveFile(dir, written);
  if ('missing' in r) throw src.error(at, `${written} not found in ${path.basename(dir)}/`);
  if ('error' in r) throw src.error(at, r.error);
  return r.path;
}

export function loadTemplate(dir: string): Template {
  const file = path.join(dir, 'template.yaml');
  const src = YamlSource.parse(file, readText(file, 'manifest'));
  const t = templateSchema.check(src.value(), [], src);

  const colour = (c: Infer<typeof colourSchema>, p: (string | number)[]): Colour => {
    if (c.cmyk.length !== 4) throw src.error([...p, 'cmyk'], 'expected four CMYK percentages [c, m, y, k]');
    return { rgb: c.rgb, cmyk: [c.cmyk[0], c.cmyk[1], c.cmyk[2], c.cmyk[3]] };
  };
  const colours = Object.fromEntries(
    Object.entries(t.colours).map(([k, c]) => [k, colour(c, ['colours', k])]),
  ) as Record<ColourName, Colour>;

  const { fallback, folders, ...roleFonts } = t.fonts;
  const roles = Object.keys(roleFonts) as FontRole[];
  const type = Object.fromEntries(
    Object.entries(t.type).map(([k, s]) => {
      if (!roles.includes(s.font as FontRole)) {
        throw src.error(['type', k, 'font'], `unknown font role "${s.font}" (expected one of: ${roles.join(', ')})`);
      }
      const c = s.colour ?? 'text';
      if (!(c in colours)) throw src.error(['type', k, 'colour'], `unknown colour "${c}"`);
      return [k, { font: s.font as FontRole, size: s.size, pitch: s.size * (s.leading ?? 1.3), colour: colours[c as ColourName] }];
    }),
  ) as Template['type'];

  if (t.page.size.length !== 2) throw src.error(['page', 'size'], 'expected [width, height] in millimetres');
  const condition = t.print?.['output-condition'];
  if (condition !== undefined && !(condition in REGISTERED_CONDITIONS) && !t.print?.icc) {
    throw src.error(['print', 'output-condition'], `"${condition}" is not a registered printing condition (${Object.keys(REGISTERED_CONDITIONS).join(', ')}); name the printer's profile with print.icc`);
  }
  const width = t.page.size[0] * MM;
  const height = t.page.size[1] * MM;
  const m = t.page.margins;
  const available = width - (m.left + m.right) * MM;
  // Whole body characters per line: lines of pure Han text then need no adjustment.
  const chars = Math.floor(available / type.body.size + 1e-9);
  if (chars < 10) throw src.error(['page', 'margins'], 'the margins leave room for fewer than 10 body characters a line');
  const frameWidth = chars * type.body.size;
  const frameX = m.left * MM + (available - frameWidth) / 2;
  const frameY = m.top * MM;
  const frameHeight = height - (m.top + m.bottom) * MM;

  return {
    name: t.name,
    dir,
    file,
    publication: t.publication,
    association: t.association,
    url: t.url,
    logo: t.logo ? readLogo(templateFile(dir, t.logo, src, ['logo'])) : undefined,
    header: { left: t.header?.left ?? '', right: t.header?.right ?? '', onCover: t.header?.['on-cover'] ?? false },
    footer: { left: t.footer?.left ?? '', right: t.footer?.right ?? '', onCover: t.footer?.['on-cover'] ?? false },
    sectionOpener: t['section-opener']?.style ?? 'band',
    table: { rules: t.table?.rules ?? 'grid', zebra: t.table?.zebra ?? false },
    undescribedPictures: t.pictures?.undescribed ?? 'titled',
    noteMarker: t.notes?.marker ?? 'number',
    latinIndent: t.latin?.indent ?? 1,
    print: {
      bleed: (t.print?.bleed ?? 3) * MM,
      cropMarks: t.print?.['crop-marks'] ?? true,
      cmykImages: t.print?.['cmyk-images'] ?? true,
      outputCondition: t.print?.['output-condition'] ?? 'FOGRA39',
      icc: t.print?.icc ? readProfile(templateFile(dir, t.print.icc, src, ['print', 'icc'])) : undefined,
    },
    colours,
    palette: t.palette.map((c, i) => colour(c, ['palette', i])),
    fonts: roleFonts,
    fallbackFonts: fallback ?? [],
    fontFolders: (folders ?? []).map((f, i) => templateFile(dir, f, src, ['fonts', 'folders', i], true)),
    type,
    page: {
      width,
      height,
      frame: { x: frameX, y: frameY, width: frameWidth, height: frameHeight },
      footerY: height - t.page['footer-offset'] * MM,
    },
    composition: {
      prohibition: t.composition?.prohibition ?? 'gb',
      trimLineStartBracket: t.composition?.['trim-line-start-bracket'] ?? true,
    },
    figureSpace: (t.spacing?.figures ?? 0.5) * type.body.pitch,
    contents: { minSize: t.contents?.['min-size'] ?? 9, leading: t.contents?.leading ?? 1.45 },
  };
}

export interface Logo {
  file: string;
  width: number;
  height: number;
}

/** A printer profile: an ICC output profile for CMYK (what PDF/X-1a's DestOutputProfile must be). */
function readProfile(file: string): { file: string; data: Buffer } {
  checkSize(file, 'profile');
  const data = fs.readFileSync(file);
  const tag = (at: number) => data.subarray(at, at + 4).toString('latin1');
  if (data.length < 132 || tag(36) !== 'acsp') throw new UserError('is not an ICC profile', file);
  if (tag(16) !== 'CMYK' || tag(12) !== 'prtr') throw new UserError(`is an ICC profile of class ${tag(12).trim()} for ${tag(16).trim()}; print wants a CMYK output (prtr) profile`, file);
  return { file, data };
}

function readLogo(file: string): Logo {
  const size = svgSize(readText(file, 'drawing'));
  if (!size) throw new UserError('the logo is not an SVG drawing with a size (a viewBox, or width and height)', file);
  return { file, ...size };
}
