/**
 * Stage 3: images, in two steps around layout; the pixels are worked on by
 * the image worker (image-worker.ts), a process of its own.
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
import { UserError, type Warning } from '../source/errors.js';
import { fileURLToPath } from 'node:url';
import { codeFingerprint } from '../cache/fingerprint.js';
import { readSealed, removeSealed, writeSealed } from '../cache/sealed.js';
import { checkSize, fileStamp } from '../source/files.js';
import type { Block, DocumentModel } from '../model/document.js';
import { requirePackage } from '../packages.js';
import { ImageRefused, inspectInWorker, rasteriseInWorker, resampleInWorker } from './image-client.js';
import type { EditionImageSettings, PictureWanted } from './pixels.js';

export type Edition = 'screen' | 'print';

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

/** Print images below this effective resolution get a warning. */
export const MIN_PRINT_PPI = 200;
/** In cache file names: bump when the preparation changes, so that old entries are pruned rather than refused. */
const CACHE_VERSION = 7;
/** This module's code and sharp's (libvips with it), in every cache key: other code, other pictures. */
const CODE = () => codeFingerprint([...['./images', './pixels'].map((m) => fileURLToPath(new URL(m, import.meta.url))), path.dirname(requirePackage.resolve('sharp'))]);
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

/** Told as each image is done: how many of how many. */
export type ImageProgress = (done: number, total: number) => void;

/**
 * At most this many images are worked on at once, each by one libvips
 * thread (pixels.ts): one per core. Issue 44 cold, 2 cores, one malloc
 * arena (then in a relaunched build, now in the image worker): 2.19-2.31 s
 * and 256-270 MB, against 2.07-2.21 s and 286-293 MB at two per core; with
 * glibc's default arenas both peak near 450 MB.
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

/**
 * Each picture's digest in this process, by the file's stamp (size, times,
 * inode; its change time cannot be set back): a rebuild reads again only the
 * pictures that changed (issue 44's 3 MB took 10 ms of each rebuild).
 */
const digests = new Map<string, { stamp: string; hash: string }>();

async function inspect(file: string, cacheDir: string | undefined, decode: boolean): Promise<ImageInfo> {
  checkSize(file, 'image');
  // The stamp before the bytes: a file that changes meanwhile has another stamp next time.
  const stamp = fileStamp(file);
  const known = digests.get(file);
  const bytes = known?.stamp === stamp && !decode ? undefined : fs.readFileSync(file);
  const hash = bytes ? contentHash(bytes) : known!.hash;
  digests.set(file, { stamp, hash });
  const cached = cacheDir && path.join(cacheDir, `${hash}-info-v${CACHE_VERSION}.json`);
  const key = JSON.stringify(['image info', CODE(), hash]);
  const saved = cached && !decode ? readSealed(cached, key) : undefined;
  if (saved) return { file, hash, ...(JSON.parse(saved.toString('utf8')) as Omit<ImageInfo, 'file' | 'hash'>) };
  // Known by its stamp, but not yet inspected into this cache folder: read now, it must still be that picture.
  const read = bytes ?? fs.readFileSync(file);
  if (!bytes && contentHash(read) !== hash) throw new UserError('the file changed while bulletin was building; build again', file);
  const info = await inWorker(file, () => inspectInWorker(read, decode));
  if (cached) writeSealed(cached, key, Buffer.from(JSON.stringify(info)));
  return { file, hash, ...info };
}

/** The worker's answer for `file`; an image it cannot read is the user's error, named by file. */
async function inWorker<T>(file: string, ask: () => Promise<T>): Promise<T> {
  try {
    return await ask();
  } catch (e) {
    throw e instanceof ImageRefused ? new UserError(e.message, file) : e;
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

interface Output extends PictureWanted {
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

/** A photo decoded once, at `decoded` pixels wide, and each output made from its pixels. */
async function resample(image: ImageInfo, decoded: number, outputs: Output[]): Promise<void> {
  const bytes = readAsInspected(image);
  const made = await inWorker(image.file, () => resampleInWorker(bytes, decoded, outputs.map(wanted)));
  outputs.forEach((o, i) => o.made(made[i]));
}

/** A drawing rendered at each output's size. */
async function rasterise(image: ImageInfo, outputs: Output[]): Promise<void> {
  const bytes = readAsInspected(image);
  const made = await inWorker(image.file, () => rasteriseInWorker(bytes, image.width, outputs.map(wanted)));
  outputs.forEach((o, i) => o.made(made[i]));
}

/** What the worker needs of an output (a function does not travel). */
const wanted = (o: Output): PictureWanted => ({ target: o.target, png: o.png, settings: o.settings });

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
    if (hash && (!hashes.has(hash) || Number(version) !== CACHE_VERSION)) removeSealed(path.join(cacheDir, name));
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
