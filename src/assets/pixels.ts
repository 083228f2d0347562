/**
 * The work on pixels, through sharp (libvips), done in the image worker
 * (image-worker.ts), never in the build's own process: a photo's bytes in,
 * its size or its prepared pictures out. Each call decodes what it is given
 * once; an image sharp cannot read is answered with the one line a user
 * can act on.
 */
import type { Sharp } from 'sharp';
import { requirePackage } from '../packages.js';

/** More pixels than this is refused (a 12 000 × 8 000 photo is 96 MP). */
export const MAX_PIXELS = 100_000_000;

/** How an edition's pictures are made. */
export interface EditionImageSettings {
  ppi: number;
  quality: number;
  /**
   * convert to CMYK (print, where the template asks) through an 8-bit ICC
   * transform to this profile: a file, or sharp's built-in 'cmyk'; `id`
   * tells profiles apart in the cache
   */
  cmyk: { profile: string; id: string } | false;
  /** keep transparency as PNG (screen); print flattens onto white, PDF/X has no transparency */
  alpha: boolean;
}

/** A picture to make: its width in pixels, as PNG (with transparency) or JPEG, with these settings. */
export interface PictureWanted {
  target: number;
  png: boolean;
  settings: EditionImageSettings;
}

/** What inspecting an image tells: its size after EXIF orientation, whether any pixel is see-through, its format. */
export interface Inspected {
  width: number;
  height: number;
  hasAlpha: boolean;
  format: string;
}

let sharpFunction: typeof import('sharp').default | undefined;

function loadSharp(): typeof import('sharp').default {
  if (!sharpFunction) {
    // Its CommonJS build, as for every package (packages.ts).
    sharpFunction = requirePackage('sharp') as typeof import('sharp').default;
    // Each image is read once: libvips's operation cache would only hold on to their pixels;
    // and images run side by side, each on one thread, rather than each on all.
    sharpFunction.cache(false);
    sharpFunction.concurrency(1);
  }
  return sharpFunction;
}

function open(bytes: Uint8Array, options: { density?: number; raw?: { width: number; height: number; channels: 1 | 2 | 3 | 4 } } = {}): Sharp {
  return loadSharp()(bytes, { failOn: 'truncated', limitInputPixels: MAX_PIXELS, pages: 1, ...options });
}

/** What went wrong reading an image, as the one line a user can act on. */
export function explain(e: unknown): string {
  const m = (e as Error).message ?? String(e);
  if (/unsupported image format/i.test(m)) return 'not an image bulletin can read (JPEG, PNG, WebP, TIFF, GIF, AVIF or SVG)';
  if (/pixel limit/i.test(m)) return `the image has more than ${MAX_PIXELS / 1e6} million pixels`;
  if (/premature end|truncated|corrupt|invalid|bad/i.test(m)) return `the image is damaged or incomplete (${m.split('\n')[0]})`;
  return `cannot read the image: ${m.split('\n')[0]}`;
}

/** An image's size, format and transparency from its header; `decode`: read it whole, so that damage shows now. */
export async function inspectPixels(bytes: Uint8Array, decode: boolean): Promise<Inspected> {
  const meta = await open(bytes).metadata();
  if (!meta.width || !meta.height) throw new Error('no size');
  // An alpha channel counts only when some pixel is see-through (GIFs always decode with one).
  let hasAlpha = false;
  if (meta.hasAlpha) hasAlpha = !(await open(bytes).stats()).isOpaque;
  else if (decode) await open(bytes).resize(32).raw().toBuffer();
  const turned = (meta.orientation ?? 1) >= 5;
  return { width: turned ? meta.height : meta.width, height: turned ? meta.width : meta.height, hasAlpha, format: meta.format ?? 'unknown' };
}

/** A photo decoded once, turned upright and sized `decoded` pixels wide, then each picture made from those pixels. */
export async function resamplePixels(bytes: Uint8Array, decoded: number, wanted: PictureWanted[]): Promise<Buffer[]> {
  // In sRGB whatever the file's space (CMYK, grey, 16-bit): each picture converts from there.
  const { data, info } = await open(bytes).rotate().resize({ width: decoded, withoutEnlargement: true }).toColourspace('srgb').raw().toBuffer({ resolveWithObject: true });
  const made: Buffer[] = [];
  for (const w of wanted) {
    const raw = open(data, { raw: { width: info.width, height: info.height, channels: info.channels } });
    made.push(await encode(w.target < info.width ? raw.resize({ width: w.target }) : raw, w));
  }
  return made;
}

/** A drawing rendered at each picture's size (its density gives the target width directly); `width`: its own. */
export async function rasterisePixels(bytes: Uint8Array, width: number, wanted: PictureWanted[]): Promise<Buffer[]> {
  const made: Buffer[] = [];
  for (const w of wanted) {
    const density = Math.min(2400, (72 * w.target) / width);
    made.push(await encode(open(bytes, { density }).resize({ width: w.target, withoutEnlargement: true }), w));
  }
  return made;
}

async function encode(img: Sharp, w: PictureWanted): Promise<Buffer> {
  if (w.png) return img.toColourspace('srgb').png({ compressionLevel: 9 }).toBuffer();
  img = img.flatten({ background: '#ffffff' });
  // The profile converts but is not attached: the PDF declares it once, in its output intent.
  img = w.settings.cmyk ? img.withIccProfile(w.settings.cmyk.profile, { attach: false }) : img.toColourspace('srgb');
  // libjpeg-turbo: mozjpeg's trellis would make issue 44's screen edition 7 % smaller (1.45 against
  // 1.55 MB) at three times the encoding time (0.3 s of a cold build). Optimised Huffman tables are
  // for the screen edition, which is emailed; in print they would save 3 % (0.4 of 12.6 MB) for 0.6 s
  // of CPU over issue 44's 28 CMYK photos (30 % of their conversion and encoding).
  const print = Boolean(w.settings.cmyk);
  return img.jpeg({ quality: w.settings.quality, optimiseCoding: !print, chromaSubsampling: print ? '4:4:4' : '4:2:0' }).toBuffer();
}
