/**
 * Stage 3: images through sharp, in two steps around layout.
 *
 * `inspectImages` (before layout) decodes each image once to learn its size
 * after EXIF orientation and to refuse what cannot be read: not an image, a
 * truncated file, a pixel bomb. `prepareImages` (after layout, per edition)
 * resamples each image to its placed size — screen ~150 ppi, print 300 ppi,
 * never upsampled — and strips its metadata. Both steps cache on disk under
 * the image's content hash and the settings, so a rebuild of an unchanged
 * issue does no image work.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Sharp } from 'sharp';
import { UserError, type Warning } from '../errors.js';
import { checkSize } from '../issue/files.js';
import type { Block, DocumentModel } from '../model/document.js';

export type Edition = 'screen' | 'print';

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

export interface ImageInfo {
  file: string;
  hash: string;
  /** pixel size after EXIF orientation */
  width: number;
  height: number;
  hasAlpha: boolean;
  format: string;
}

export type ImageInfos = Map<string, ImageInfo>;

/** Largest size, in points, at which an image is placed anywhere in the layout. */
export type Placements = Map<string, { w: number; h: number }>;

export interface PreparedImages {
  /** image file → prepared file for this edition */
  files: Map<string, string>;
  /** how many files were made now, and how many came from the cache */
  made: number;
  reused: number;
}

/** More pixels than this is refused (a 12 000 × 8 000 photo is 96 MP). */
export const MAX_PIXELS = 100_000_000;
/** Print images below this effective resolution get a warning. */
export const MIN_PRINT_PPI = 200;
/** Bump when the preparation changes, so old cache entries are not used. */
const CACHE_VERSION = 3;

function* imageFiles(blocks: Block[]): Generator<string> {
  for (const b of blocks) {
    if (b.kind === 'images') for (const i of b.images) yield i.file;
    if (b.kind === 'quote') yield* imageFiles(b.blocks);
  }
}

/** sharp (libvips) is loaded only when an image must be read or made: a rebuild from the cache never loads it. */
let sharpModule: Promise<typeof import('sharp')> | undefined;

async function open(bytes: Buffer, options: { density?: number } = {}): Promise<Sharp> {
  const { default: sharp } = await (sharpModule ??= import('sharp'));
  return sharp(bytes, { failOn: 'truncated', limitInputPixels: MAX_PIXELS, pages: 1, ...options });
}

function explain(e: unknown): string {
  const m = (e as Error).message ?? String(e);
  if (/unsupported image format/i.test(m)) return 'not an image bulletin can read (JPEG, PNG, WebP, TIFF, GIF, AVIF or SVG)';
  if (/pixel limit/i.test(m)) return `the image has more than ${MAX_PIXELS / 1e6} million pixels`;
  if (/premature end|truncated|corrupt|invalid|bad/i.test(m)) return `the image is damaged or incomplete (${m.split('\n')[0]})`;
  return `cannot read the image: ${m.split('\n')[0]}`;
}

/**
 * Every image of the issue, inspected. `cacheDir` undefined: nothing is
 * written. With `onError`, an unreadable image is reported there and left out
 * of the result (bulletin check); without, the first one is thrown.
 */
/** Told as each image is done: how many of how many. */
export type ImageProgress = (done: number, total: number) => void;

export async function inspectImages(model: DocumentModel, cacheDir: string | undefined, onError?: (e: UserError) => void, progress?: ImageProgress): Promise<ImageInfos> {
  const files = new Set<string>();
  for (const s of model.sections) for (const a of s.articles) for (const f of imageFiles(a.blocks)) files.add(f);
  if (cacheDir) fs.mkdirSync(cacheDir, { recursive: true });
  // sharp works in its own threads: inspecting all at once keeps both cores busy.
  const sorted = [...files].sort();
  let done = 0;
  const inspected = await Promise.allSettled(sorted.map((file) => inspect(file, cacheDir).finally(() => progress?.(++done, sorted.length))));
  const infos: ImageInfos = new Map();
  inspected.forEach((r, i) => {
    if (r.status === 'fulfilled') infos.set(sorted[i], r.value);
    else if (onError && r.reason instanceof UserError) onError(r.reason);
    else throw r.reason;
  });
  return infos;
}

async function inspect(file: string, cacheDir: string | undefined): Promise<ImageInfo> {
  checkSize(file, 'image');
  const bytes = fs.readFileSync(file);
  const hash = crypto.createHash('sha256').update(bytes).digest('hex').slice(0, 32);
  const cached = cacheDir && path.join(cacheDir, `${hash}-info-v${CACHE_VERSION}.json`);
  if (cached && fs.existsSync(cached)) return { file, hash, ...(JSON.parse(fs.readFileSync(cached, 'utf8')) as Omit<ImageInfo, 'file' | 'hash'>) };
  try {
    const meta = await (await open(bytes)).metadata();
    if (!meta.width || !meta.height) throw new Error('no size');
    // Decoding reads the whole file, so a truncated or damaged one fails here. An alpha
    // channel counts only when some pixel is see-through (GIFs always decode with one).
    let hasAlpha = false;
    if (meta.hasAlpha) hasAlpha = !(await (await open(bytes)).stats()).isOpaque;
    else await (await open(bytes)).resize(32).raw().toBuffer();
    const turned = (meta.orientation ?? 1) >= 5;
    const info = { width: turned ? meta.height : meta.width, height: turned ? meta.width : meta.height, hasAlpha, format: meta.format ?? 'unknown' };
    if (cached) writeAtomic(cached, Buffer.from(JSON.stringify(info)));
    return { file, hash, ...info };
  } catch (e) {
    throw new UserError(explain(e), file);
  }
}

/**
 * Each placed picture resampled (and converted) for one edition, cached by
 * content. SVG drawings are drawn as vectors (svg.ts) and have no pixels to
 * prepare, except those in `rasterise` (print: drawings that need
 * transparency), which are rendered at the edition's resolution.
 */
export async function prepareImages(infos: ImageInfos, placed: Placements, settings: EditionImageSettings, cacheDir: string, progress?: ImageProgress, rasterise = new Set<string>()): Promise<PreparedImages> {
  const result: PreparedImages = { files: new Map(), made: 0, reused: 0 };
  const jobs: Promise<void>[] = [];
  for (const [file, size] of placed) {
    const info = infos.get(file);
    if (!info || (info.format === 'svg' && !rasterise.has(file))) continue;
    // Never upsample: an image smaller than the target keeps its pixels (a drawing has none to keep).
    const wanted = Math.ceil((size.w / 72) * settings.ppi);
    const target = info.format === 'svg' ? wanted : Math.min(info.width, wanted);
    const png = settings.alpha && info.hasAlpha;
    const key = `${info.hash}-v${CACHE_VERSION}-${target}-${settings.quality}-${settings.cmyk ? `cmyk-${settings.cmyk.id}` : 'rgb'}-${png ? 'png' : 'jpg'}`;
    const out = path.join(cacheDir, `${key}.${png ? 'png' : 'jpg'}`);
    if (fs.existsSync(out)) result.reused++;
    else {
      result.made++;
      jobs.push(resample(file, info, target, settings, png).then((data) => writeAtomic(out, data)));
    }
    result.files.set(file, out);
  }
  let done = 0;
  await Promise.all(jobs.map((j) => j.then(() => progress?.(++done, jobs.length))));
  return result;
}

/** An SVG drawing's entry for `prepareImages` (a template's logo is never inspected as an issue image). */
export function drawingInfo(file: string, size: { width: number; height: number }): ImageInfo {
  const hash = crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex').slice(0, 32);
  return { file, hash, width: size.width, height: size.height, hasAlpha: true, format: 'svg' };
}

/** Pictures that print below MIN_PRINT_PPI at the size layout placed them. */
export function printResolution(infos: ImageInfos, placed: Placements): Warning[] {
  const warnings: Warning[] = [];
  for (const [file, size] of placed) {
    const info = infos.get(file);
    if (!info || info.format === 'svg') continue;
    const effective = info.width / (size.w / 72);
    if (effective < MIN_PRINT_PPI) {
      warnings.push({ file, message: `the image is ${Math.round(effective)} ppi at its printed size (${Math.round((size.w / 72) * 25.4)} mm wide); print wants ${MIN_PRINT_PPI} or more` });
    }
  }
  return warnings;
}

async function resample(file: string, info: ImageInfo, target: number, settings: EditionImageSettings, png: boolean): Promise<Buffer> {
  const bytes = fs.readFileSync(file);
  try {
    // SVG is rasterised at the density that gives the target width directly.
    const density = info.format === 'svg' ? Math.min(2400, (72 * target) / info.width) : undefined;
    let img = (await open(bytes, { density })).rotate().resize({ width: target, withoutEnlargement: true });
    if (png) return await img.toColourspace('srgb').png({ compressionLevel: 9 }).toBuffer();
    img = img.flatten({ background: '#ffffff' });
    // The profile converts but is not attached: the PDF declares it once, in its output intent.
    img = settings.cmyk ? img.withIccProfile(settings.cmyk.profile, { attach: false }) : img.toColourspace('srgb');
    return await img.jpeg({ quality: settings.quality, mozjpeg: !settings.cmyk, chromaSubsampling: settings.cmyk ? '4:4:4' : '4:2:0' }).toBuffer();
  } catch (e) {
    throw new UserError(explain(e), file);
  }
}

function writeAtomic(file: string, data: Buffer): void {
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, data);
  fs.renameSync(tmp, file);
}
