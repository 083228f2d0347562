/**
 * Stage 3: images through sharp. Each image is auto-oriented, converted to
 * sRGB and resampled for each edition (screen ~150 ppi, print 300 ppi at the
 * full text width, never upsampled). Results are cached on disk under a key
 * made of the image's content hash and the settings, so an unchanged image
 * costs one hash on the next build.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import sharp, { type Metadata } from 'sharp';
import { UserError } from '../errors.js';
import type { DocumentModel, Block } from '../model/document.js';

export type Edition = 'screen' | 'print';

export const EDITION_PPI: Record<Edition, number> = { screen: 150, print: 300 };

export interface ImageAsset {
  file: string;
  /** pixel size after orientation */
  width: number;
  height: number;
  /** prepared files per edition (JPEG, or PNG when the image has transparency) */
  variants: Record<Edition, string>;
}

export type ImageAssets = Map<string, ImageAsset>;

/** Settings that change the prepared bytes; part of the cache key. */
const SETTINGS_VERSION = 'v1';

function* imageFiles(blocks: Block[]): Generator<string> {
  for (const b of blocks) {
    if (b.kind === 'images') for (const i of b.images) yield i.file;
    if (b.kind === 'quote') yield* imageFiles(b.blocks);
  }
}

export async function prepareImages(model: DocumentModel, cacheDir: string, maxWidthPt: number): Promise<ImageAssets> {
  const files = new Set<string>();
  for (const s of model.sections) for (const a of s.articles) for (const f of imageFiles(a.blocks)) files.add(f);
  fs.mkdirSync(cacheDir, { recursive: true });
  const assets: ImageAssets = new Map();
  for (const file of [...files].sort()) assets.set(file, await prepareImage(file, cacheDir, maxWidthPt));
  return assets;
}

async function prepareImage(file: string, cacheDir: string, maxWidthPt: number): Promise<ImageAsset> {
  const bytes = fs.readFileSync(file);
  const hash = crypto.createHash('sha256').update(bytes).digest('hex').slice(0, 32);
  const metaFile = path.join(cacheDir, `${hash}-${SETTINGS_VERSION}-${Math.round(maxWidthPt)}.json`);
  if (fs.existsSync(metaFile)) {
    const cached = JSON.parse(fs.readFileSync(metaFile, 'utf8')) as Omit<ImageAsset, 'file'>;
    if (Object.values(cached.variants).every((v) => fs.existsSync(path.join(cacheDir, v)))) {
      return { file, ...cached, variants: { screen: path.join(cacheDir, cached.variants.screen), print: path.join(cacheDir, cached.variants.print) } };
    }
  }
  let meta: Metadata;
  try {
    meta = await sharp(bytes).metadata();
  } catch (e) {
    throw new UserError(`cannot read the image: ${(e as Error).message}`, file);
  }
  if (!meta.width || !meta.height) throw new UserError('cannot read the image size', file);
  const rotated = (meta.orientation ?? 1) >= 5;
  const width = rotated ? meta.height : meta.width;
  const height = rotated ? meta.width : meta.height;
  const alpha = !!meta.hasAlpha;
  const variants = {} as Record<Edition, string>;
  for (const edition of ['screen', 'print'] as Edition[]) {
    const target = Math.ceil((maxWidthPt / 72) * EDITION_PPI[edition]);
    const name = `${hash}-${SETTINGS_VERSION}-${edition}-${target}.${alpha ? 'png' : 'jpg'}`;
    const out = path.join(cacheDir, name);
    if (!fs.existsSync(out)) {
      try {
        let img = sharp(bytes).rotate().toColourspace('srgb').resize({ width: target, withoutEnlargement: true });
        img = alpha ? img.png() : img.flatten({ background: '#ffffff' }).jpeg({ quality: edition === 'screen' ? 80 : 92, mozjpeg: true });
        const tmp = `${out}.${process.pid}.tmp`;
        await img.toFile(tmp);
        fs.renameSync(tmp, out);
      } catch (e) {
        throw new UserError(`cannot prepare the image: ${(e as Error).message}`, file);
      }
    }
    variants[edition] = name;
  }
  fs.writeFileSync(metaFile, JSON.stringify({ width, height, variants }));
  return { file, width, height, variants: { screen: path.join(cacheDir, variants.screen), print: path.join(cacheDir, variants.print) } };
}
