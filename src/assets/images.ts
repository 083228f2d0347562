/**
 * Stage 3: images through sharp, in two steps around layout.
 *
 * `inspectImages` (before layout) decodes each image once to learn its size
 * after EXIF orientation and to refuse what cannot be read: not an image, a
 * truncated file, a pixel bomb. `prepareImages` (after layout, per edition)
 * resamples each image to its placed size — screen ~150 ppi, print 300 ppi,
 * never upsampled — and strips its metadata. Both steps cache on disk in
 * sealed files (cache/sealed.ts) under the image's content hash and the
 * settings, so a rebuild of an unchanged issue does no image work, and a
 * damaged entry is made again.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Sharp } from 'sharp';
import { UserError, type Warning } from '../source/errors.js';
import { fileURLToPath } from 'node:url';
import { codeFingerprint } from '../cache/fingerprint.js';
import { readSealed, writeSealed } from '../cache/sealed.js';
import { checkSize } from '../source/files.js';
import type { Block, DocumentModel } from '../model/document.js';
import { requirePackage } from '../packages.js';

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
  /** image file → the picture prepared for this edition (JPEG or PNG) */
  files: Map<string, Buffer>;
  /** how many files were made now, and how many came from the cache */
  made: number;
  reused: number;
}

/** More pixels than this is refused (a 12 000 × 8 000 photo is 96 MP). */
export const MAX_PIXELS = 100_000_000;
/** Print images below this effective resolution get a warning. */
export const MIN_PRINT_PPI = 200;
/** In cache file names: bump when the preparation changes, so that old entries are pruned rather than refused. */
const CACHE_VERSION = 7;
/** This module's code and sharp's (libvips with it), in every cache key: other code, other pictures. */
const CODE = () => codeFingerprint([fileURLToPath(import.meta.url).replace(/\.[jt]s$/, ''), path.dirname(requirePackage.resolve('sharp'))]);
/**
 * A photo is decoded at this resolution of its largest placed size (and no
 * larger than it is), and every edition's picture is resampled from those
 * pixels: the same whichever editions a build makes.
 */
const DECODE_PPI = 300;

function* imageFiles(blocks: Block[]): Generator<string> {
  for (const b of blocks) {
    if (b.kind === 'images') for (const i of b.images) yield i.file;
    if (b.kind === 'quote') yield* imageFiles(b.blocks);
  }
}

/** sharp (libvips) is loaded only when an image must be read or made: a rebuild from the cache never loads it. */
let sharpFunction: typeof import('sharp').default | undefined;

function loadSharp(): typeof import('sharp').default {
  if (!sharpFunction) {
    // Its CommonJS build, as for every package (packages.ts).
    sharpFunction = requirePackage('sharp') as typeof import('sharp').default;
    // Each image is read once: libvips's operation cache would only hold on to their pixels;
    // and images run side by side (PARALLEL), each on one thread, rather than each on all.
    sharpFunction.cache(false);
    sharpFunction.concurrency(1);
  }
  return sharpFunction;
}

function open(bytes: Buffer, options: { density?: number; raw?: { width: number; height: number; channels: 1 | 2 | 3 | 4 } } = {}): Sharp {
  return loadSharp()(bytes, { failOn: 'truncated', limitInputPixels: MAX_PIXELS, pages: 1, ...options });
}

function explain(e: unknown): string {
  const m = (e as Error).message ?? String(e);
  if (/unsupported image format/i.test(m)) return 'not an image bulletin can read (JPEG, PNG, WebP, TIFF, GIF, AVIF or SVG)';
  if (/pixel limit/i.test(m)) return `the image has more than ${MAX_PIXELS / 1e6} million pixels`;
  if (/premature end|truncated|corrupt|invalid|bad/i.test(m)) return `the image is damaged or incomplete (${m.split('\n')[0]})`;
  return `cannot read the image: ${m.split('\n')[0]}`;
}

/** Told as each image is done: how many of how many. */
export type ImageProgress = (done: number, total: number) => void;

/**
 * At most this many images are worked on at once, each by one libvips
 * thread (see `open`): one per core. Issue 44 cold, 2 cores, one malloc
 * arena (arena-relaunch.ts): 2.19-2.31 s and 256-270 MB, against 2.07-2.21 s
 * and 286-293 MB at two per core; with glibc's default arenas both peak
 * near 450 MB.
 */
const PARALLEL = Math.max(1, os.availableParallelism());

/** `jobs` run at most PARALLEL at a time, in order; settled results as Promise.allSettled gives them. */
async function bounded<T>(jobs: (() => Promise<T>)[], progress?: ImageProgress): Promise<PromiseSettledResult<T>[]> {
  const results: PromiseSettledResult<T>[] = new Array(jobs.length);
  let next = 0;
  let done = 0;
  // Said at the start too: the stage begins now, not when the first image is done.
  progress?.(0, jobs.length);
  const worker = async () => {
    while (next < jobs.length) {
      const i = next++;
      try {
        results[i] = { status: 'fulfilled', value: await jobs[i]() };
      } catch (reason) {
        results[i] = { status: 'rejected', reason };
      }
      progress?.(++done, jobs.length);
    }
  };
  await Promise.all(Array.from({ length: Math.min(PARALLEL, jobs.length) }, worker));
  return results;
}

/**
 * Every image of the issue, inspected from its header (size, orientation,
 * format; an alpha channel is decoded to see whether any pixel uses it).
 * `decode`: read every image whole, so that a damaged one is found now
 * (bulletin check) rather than when it is prepared. `cacheDir` undefined:
 * nothing is written. With `onError`, an unreadable image is reported there
 * and left out of the result (bulletin check); without, the first one is
 * thrown.
 */
export async function inspectImages(model: DocumentModel, cacheDir: string | undefined, onError?: (e: UserError) => void, progress?: ImageProgress, decode = false): Promise<ImageInfos> {
  const files = new Set<string>();
  for (const s of model.sections) for (const a of s.articles) for (const f of imageFiles(a.blocks)) files.add(f);
  const sorted = [...files].sort();
  const inspected = await bounded(
    sorted.map((file) => () => inspect(file, cacheDir, decode)),
    progress,
  );
  const infos: ImageInfos = new Map();
  inspected.forEach((r, i) => {
    if (r.status === 'fulfilled') infos.set(sorted[i], r.value);
    else if (onError && r.reason instanceof UserError) onError(r.reason);
    else throw r.reason;
  });
  return infos;
}

const contentHash = (bytes: Uint8Array) => crypto.createHash('sha256').update(bytes).digest('hex').slice(0, 32);

async function inspect(file: string, cacheDir: string | undefined, decode: boolean): Promise<ImageInfo> {
  checkSize(file, 'image');
  const bytes = fs.readFileSync(file);
  const hash = contentHash(bytes);
  const cached = cacheDir && path.join(cacheDir, `${hash}-info-v${CACHE_VERSION}.json`);
  const key = JSON.stringify(['image info', CODE(), hash]);
  const saved = cached && !decode ? readSealed(cached, key) : undefined;
  if (saved) return { file, hash, ...(JSON.parse(saved.toString('utf8')) as Omit<ImageInfo, 'file' | 'hash'>) };
  try {
    const meta = await open(bytes).metadata();
    if (!meta.width || !meta.height) throw new Error('no size');
    // An alpha channel counts only when some pixel is see-through (GIFs always decode with one).
    let hasAlpha = false;
    if (meta.hasAlpha) hasAlpha = !(await open(bytes).stats()).isOpaque;
    else if (decode) await open(bytes).resize(32).raw().toBuffer();
    const turned = (meta.orientation ?? 1) >= 5;
    const info = { width: turned ? meta.height : meta.width, height: turned ? meta.width : meta.height, hasAlpha, format: meta.format ?? 'unknown' };
    if (cached) writeSealed(cached, key, Buffer.from(JSON.stringify(info)));
    return { file, hash, ...info };
  } catch (e) {
    throw new UserError(explain(e), file);
  }
}

/** One edition's wishes: how its pictures are made, and which SVG drawings it wants as pictures. */
export interface EditionImages {
  edition: Edition;
  settings: EditionImageSettings;
  /** SVG drawings this edition places as pictures (print: drawings that need transparency) */
  rasterise: Set<string>;
}

/**
 * Each placed picture resampled (and converted) for each edition, cached by
 * content and settings. A photo missing from the cache is decoded once, at
 * the largest size any edition needs, and every edition's file is made from
 * those pixels. SVG drawings are drawn as vectors (svg.ts) and have no pixels
 * to prepare, except those an edition rasterises, rendered at its resolution.
 */
export async function prepareImages(infos: ImageInfos, placed: Placements, editions: EditionImages[], cacheDir: string, progress?: ImageProgress): Promise<Map<Edition, PreparedImages>> {
  const result = new Map(editions.map((e) => [e.edition, { files: new Map<string, Buffer>(), made: 0, reused: 0 } as PreparedImages]));
  const jobs: (() => Promise<void>)[] = [];
  for (const [file, size] of placed) {
    const info = infos.get(file);
    if (!info) continue;
    const missing: Output[] = [];
    // Never upsample: an image smaller than the target keeps its pixels (a drawing has none to keep).
    const targetAt = (ppi: number) => (info.format === 'svg' ? Math.ceil((size.w / 72) * ppi) : Math.min(info.width, Math.ceil((size.w / 72) * ppi)));
    const decoded = targetAt(DECODE_PPI);
    for (const e of editions) {
      if (info.format === 'svg' && !e.rasterise.has(file)) continue;
      if (e.settings.ppi > DECODE_PPI) throw new Error(`an edition's pictures at ${e.settings.ppi} ppi are resampled from ${DECODE_PPI}`);
      const target = targetAt(e.settings.ppi);
      const png = e.settings.alpha && info.hasAlpha;
      const { cmyk, quality } = e.settings;
      const name = `${info.hash}-v${CACHE_VERSION}-${target}-${quality}-${cmyk ? `cmyk-${cmyk.id}` : 'rgb'}.${png ? 'png' : 'jpg'}`;
      const key = JSON.stringify(['prepared image', CODE(), info.hash, info.format, decoded, target, quality, cmyk || 'rgb', png]);
      const r = result.get(e.edition)!;
      const cached = readSealed(path.join(cacheDir, name), key);
      if (cached) {
        r.files.set(file, cached);
        r.reused++;
      } else {
        r.made++;
        missing.push({ target, png, settings: e.settings, made: (bytes) => (r.files.set(file, bytes), writeSealed(path.join(cacheDir, name), key, bytes)) });
      }
    }
    if (missing.length) jobs.push(() => (info.format === 'svg' ? rasterise(info, missing) : resample(info, decoded, missing)));
  }
  const failed = (await bounded(jobs, progress)).find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed) throw failed.reason;
  return result;
}

interface Output {
  target: number;
  png: boolean;
  settings: EditionImageSettings;
  /** told the prepared picture */
  made: (bytes: Buffer) => void;
}

/**
 * The file's bytes, if they are still those inspected: a photo replaced
 * while the build runs would otherwise be kept under the other's hash.
 */
function readAsInspected(info: ImageInfo): Buffer {
  const bytes = fs.readFileSync(info.file);
  if (contentHash(bytes) !== info.hash) throw new UserError('the file changed while bulletin was building; build again', info.file);
  return bytes;
}

/** A photo decoded once, turned upright and sized `decoded` pixels wide, then each output made from its pixels. */
async function resample(image: ImageInfo, decoded: number, outputs: Output[]): Promise<void> {
  const bytes = readAsInspected(image);
  try {
    // In sRGB whatever the file's space (CMYK, grey, 16-bit): each output converts from there.
    const { data, info } = await open(bytes).rotate().resize({ width: decoded, withoutEnlargement: true }).toColourspace('srgb').raw().toBuffer({ resolveWithObject: true });
    for (const o of outputs) {
      const raw = open(data, { raw: { width: info.width, height: info.height, channels: info.channels } });
      o.made(await encode(o.target < info.width ? raw.resize({ width: o.target }) : raw, o));
    }
  } catch (e) {
    throw e instanceof UserError ? e : new UserError(explain(e), image.file);
  }
}

/** A drawing rendered at each output's size (its density gives the target width directly). */
async function rasterise(image: ImageInfo, outputs: Output[]): Promise<void> {
  const bytes = readAsInspected(image);
  try {
    for (const o of outputs) {
      const density = Math.min(2400, (72 * o.target) / image.width);
      o.made(await encode(open(bytes, { density }).resize({ width: o.target, withoutEnlargement: true }), o));
    }
  } catch (e) {
    throw e instanceof UserError ? e : new UserError(explain(e), image.file);
  }
}

async function encode(img: Sharp, o: Output): Promise<Buffer> {
  if (o.png) return img.toColourspace('srgb').png({ compressionLevel: 9 }).toBuffer();
  img = img.flatten({ background: '#ffffff' });
  // The profile converts but is not attached: the PDF declares it once, in its output intent.
  img = o.settings.cmyk ? img.withIccProfile(o.settings.cmyk.profile, { attach: false }) : img.toColourspace('srgb');
  // libjpeg-turbo: mozjpeg's trellis would make issue 44's screen edition 7 % smaller (1.45 against
  // 1.55 MB) at three times the encoding time (0.3 s of a cold build). Optimised Huffman tables are
  // for the screen edition, which is emailed; in print they would save 3 % (0.4 of 12.6 MB) for 0.6 s
  // of CPU over issue 44's 28 CMYK photos (30 % of their conversion and encoding).
  const print = Boolean(o.settings.cmyk);
  return img.jpeg({ quality: o.settings.quality, optimiseCoding: !print, chromaSubsampling: print ? '4:4:4' : '4:2:0' }).toBuffer();
}

/**
 * Removes from the image cache the entries of pictures other than `infos`
 * (a photo replaced or taken out of the issue leaves its old entries behind),
 * and those an earlier CACHE_VERSION made.
 * The other sizes of a picture still in use stay: another edition or an
 * earlier layout may want them again.
 */
export function pruneImageCache(cacheDir: string, infos: ImageInfos): void {
  const hashes = new Set([...infos.values()].map((i) => i.hash));
  let names: string[];
  try {
    names = fs.readdirSync(cacheDir);
  } catch {
    return;
  }
  for (const name of names) {
    const [, hash, version] = /^([0-9a-f]{32})-(?:info-)?v(\d+)/.exec(name) ?? [];
    if (hash && (!hashes.has(hash) || Number(version) !== CACHE_VERSION)) fs.rmSync(path.join(cacheDir, name), { force: true });
  }
}

/** An SVG drawing's entry for `prepareImages` (a template's logo is never inspected as an issue image). */
export function drawingInfo(file: string, size: { width: number; height: number }): ImageInfo {
  const hash = contentHash(fs.readFileSync(file));
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
