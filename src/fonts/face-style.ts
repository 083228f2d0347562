/**
 * A face's weight, slant and class, read from its OS/2 and post tables, so
 * that a character set from another font is set in a face like the run's
 * own: bold for bold, never italic for upright, serif for serif.
 */
import type * as Fontkit from 'fontkit';

export interface FaceStyle {
  /** 100–900 (OS/2 usWeightClass; 400 where the table has none) */
  weight: number;
  italic: boolean;
  /** serif or sans where the face says (PANOSE, else its name); undefined when it does not */
  serif?: boolean;
}

interface Os2 {
  usWeightClass?: number;
  fsSelection?: { italic?: boolean; oblique?: boolean };
  panose?: number[];
}

export function faceStyle(font: Fontkit.Font): FaceStyle {
  const os2 = (font as unknown as { 'OS/2'?: Os2 })['OS/2'];
  const name = `${font.postscriptName ?? ''} ${font.subfamilyName ?? ''}`;
  const italic = !!(os2?.fsSelection?.italic || os2?.fsSelection?.oblique) || (font.italicAngle ?? 0) !== 0 || /italic|oblique/i.test(name);
  const weight = os2?.usWeightClass || (/bold|black|heavy/i.test(name) ? 700 : 400);
  // PANOSE, Latin text faces (family kind 2): serif styles 2–10, sans 11–13.
  const panose = os2?.panose;
  const serif = panose?.[0] === 2 && panose[1] >= 2 && panose[1] <= 13 ? panose[1] <= 10 : /sans|gothic|hei|黑/i.test(name) ? false : /serif|song|ming|mincho|times|宋|明/i.test(name) ? true : undefined;
  return { weight, italic, ...(serif === undefined ? {} : { serif }) };
}

/**
 * How unlike `want` a face is, for choosing among the faces that have a
 * character: slant first (an upright run never takes italic), then weight,
 * then class.
 */
export function unlikeness(want: FaceStyle, face: FaceStyle): number {
  const slant = want.italic === face.italic ? 0 : 10_000;
  const weight = Math.abs(want.weight - face.weight);
  const cls = want.serif === undefined || face.serif === undefined || want.serif === face.serif ? 0 : 50;
  return slant + weight + cls;
}
