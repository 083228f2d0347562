import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { build, type BuildResult } from '../src/build.js';
import { inspectImages, prepareImages } from '../src/assets/images.js';
import type { DocumentModel } from '../src/model/document.js';
import { commitCache } from '../src/cache/sealed.js';
import { UserError } from '../src/source/errors.js';
import { bookletOrder, paddedOrder } from '../src/render/sheets.js';
import { MM } from '../src/template/template.js';
import { preflight } from '../src/preflight/pdfx.js';
import { readPdf } from './pdf-text.js';

const work = fs.mkdtempSync(path.join(os.tmpdir(), 'bulletin-editions-'));
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

const W = 600;
const H = 400;
/** A picture with a red left half and a blue right half, so orientation shows. */
const base = () =>
  sharp({ create: { width: W, height: H, channels: 3, background: '#2050c0' } }).composite([{ input: { create: { width: W / 2, height: H, channels: 3, background: '#d02020' } }, left: 0, top: 0 }]);

async function images(dir: string): Promise<Record<string, Buffer | string>> {
  // Compositing adds an alpha channel: take it off, so that only alpha.png has one.
  const png = await sharp(await base().png().toBuffer()).removeAlpha().png().toBuffer();
  return {
    'oriented.jpg': await sharp(png).jpeg().withMetadata({ orientation: 6 }).toBuffer(),
    'alpha.png': await sharp(png).ensureAlpha(0.5).png().toBuffer(),
    'photo.webp': await sharp(png).webp().toBuffer(),
    'scan.tiff': await sharp(png).tiff().toBuffer(),
    'anim.gif': await sharp(png).gif().toBuffer(),
    'photo.avif': await sharp(png).avif({ effort: 0 }).toBuffer(),
    'cmyk.jpg': await sharp(png).toColourspace('cmyk').jpeg().toBuffer(),
    'deep.png': await sharp(png).toColourspace('rgb16').png().toBuffer(),
    'grey.png': await sharp(png).greyscale().png().toBuffer(),
    'chart.svg': `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}"><rect width="${W}" height="${H}" fill="#d02020"/></svg>`,
    dir,
  };
}

/** A project with issues/<n>: one article showing the given images, one per paragraph. */
function project(name: string, files: Record<string, Buffer | string>, n = 6): string {
  const dir = path.join(work, name);
  const issue = path.join(dir, 'issues', String(n));
  fs.mkdirSync(path.join(issue, 'articles'), { recursive: true });
  fs.mkdirSync(path.join(issue, 'images'), { recursive: true });
  const names = Object.keys(files).filter((f) => f !== 'dir');
  for (const f of names) fs.writeFileSync(path.join(issue, 'images', f), files[f]);
  fs.writeFileSync(path.join(issue, 'issue.yaml'), `number: ${n}\ntemplate: zasto\ndate: 2022-07-31\nperiod: 测试\nlabel: 测试第 ${n} 期\nstaff: [{主编: 某某}]\nsections:\n  - title: 图片\n    articles: [a.md]\n`);
  fs.writeFileSync(path.join(issue, 'articles', 'a.md'), `# 图片\n\n${names.map((f) => `![${f}](images/${f}){width=30%}`).join('\n\n')}\n`);
  return dir;
}

describe('images', () => {
  let dir: string;
  let first: BuildResult;
  beforeAll(async () => {
    dir = project('formats', await images('x'));
    first = await build({ issue: '6', cwd: dir });
  }, 120_000);

  it('reads every format, honours EXIF orientation and keeps alpha on screen only', async () => {
    const cache = path.join(dir, 'out', '.cache', 'images');
    const prepared = fs.readdirSync(cache).filter((f) => /\.(jpg|png)$/.test(f));
    // Nine pictures, one file each per edition; the tenth, an SVG, is drawn as vectors.
    expect(prepared).toHaveLength(18);
    // A cache file is sealed (src/cache/sealed.ts): a line naming the format, two digests, then the picture.
    const picture = (f: string) => {
      const bytes = fs.readFileSync(path.join(cache, f));
      return bytes.subarray(bytes.indexOf(10) + 1 + 64);
    };
    const metas = await Promise.all(prepared.map(async (f) => ({ f, m: await sharp(picture(f)).metadata() })));
    const pngs = metas.filter(({ f }) => f.endsWith('.png'));
    expect(pngs).toHaveLength(1); // the alpha image, screen edition
    expect(pngs[0].m.hasAlpha).toBe(true);
    // Print files: CMYK JPEG, 8 bits, no metadata; screen files sRGB.
    const print = metas.filter(({ f }) => f.includes('-cmyk-'));
    expect(print).toHaveLength(9);
    for (const { m } of print) expect([m.format, m.space, m.depth, m.exif, m.orientation]).toEqual(['jpeg', 'cmyk', 'uchar', undefined, undefined]);
    for (const { m } of metas.filter(({ f }) => f.includes('-rgb-'))) expect([m.space, m.depth, m.orientation]).toEqual(['srgb', 'uchar', undefined]);
    // The oriented JPEG (600×400 stored, orientation 6) stands upright: taller than wide.
    const pdf = await readPdf(fs.readFileSync(first.files[0].path));
    expect(pdf.pages.length).toBeGreaterThan(0);
    const upright = metas.filter(({ m }) => m.height! > m.width!);
    expect(upright).toHaveLength(2);
  });

  it('does no image work on a second build', async () => {
    expect(first.images.made).toBeGreaterThan(0);
    const second = await build({ issue: '6', cwd: dir });
    expect(second.images).toEqual({ made: 0, reused: first.images.made + first.images.reused });
  }, 60_000);

  it('writes each edition with the same bytes whichever editions a build makes', async () => {
    const alone = await Promise.all((['screen', 'print'] as const).map((e) => build({ issue: '6', cwd: dir, out: `alone-${e}`, editions: [e] })));
    for (const [i, output] of (['screen', 'print'] as const).entries()) {
      expect(alone[i].files[0].output).toBe(output);
      expect(fs.readFileSync(alone[i].files[0].path).equals(fs.readFileSync(first.files.find((f) => f.output === output)!.path)), output).toBe(true);
    }
  }, 120_000);

  it('refuses a photo replaced after it was inspected, and caches nothing under the old one', async () => {
    const file = path.join(dir, 'issues', '6', 'images', 'photo.webp');
    const cache = path.join(work, 'replaced-cache');
    const infos = await inspectImages({ sections: [{ title: '', articles: [{ blocks: [{ kind: 'images', images: [{ file, caption: '' }] }] }] }] } as unknown as DocumentModel, cache);
    fs.copyFileSync(path.join(dir, 'issues', '6', 'images', 'grey.png'), `${file}.new`);
    const original = fs.readFileSync(file);
    fs.renameSync(`${file}.new`, file);
    try {
      const settings = { ppi: 150, quality: 80, cmyk: false as const, alpha: true };
      const err = await prepareImages(infos, new Map([[file, { w: 100, h: 70 }]]), [{ edition: 'screen', settings, rasterise: new Set() }], cache).catch((e: unknown) => e);
      expect((err as UserError).format(dir)).toBe('issues/6/images/photo.webp: the file changed while bulletin was building; build again');
      commitCache();
      expect(fs.readdirSync(cache).filter((f) => !f.includes('-info-'))).toEqual([]);
    } finally {
      fs.writeFileSync(file, original);
    }
  }, 60_000);

  it.each([
    ['not an image', Buffer.from('这不是图片'), /not an image bulletin can read/],
    ['a truncated JPEG', 'truncated', /damaged or incomplete/],
    ['a pixel bomb', 'bomb', /more than 100 million pixels/],
  ])('refuses %s in one line naming the file', async (_what, content, message) => {
    let bytes: Buffer;
    if (content === 'truncated') bytes = (await base().jpeg().toBuffer()).subarray(0, 2000);
    else if (content === 'bomb') bytes = await sharp({ create: { width: 12000, height: 9000, channels: 3, background: '#000' } }).png({ compressionLevel: 1 }).toBuffer();
    else bytes = content as Buffer;
    const d = project(`bad-${_what.replace(/\s/g, '-')}`, { 'bad.jpg': bytes });
    const err = await build({ issue: '6', cwd: d }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UserError);
    expect((err as UserError).format(d)).toMatch(new RegExp(`^issues/6/images/bad\\.jpg: .*${message.source}`));
    expect((err as UserError).format(d)).not.toContain('\n');
  }, 60_000);

  it('warns about an image below 200 ppi in print', async () => {
    // 800 px over the 119 mm text width: 171 ppi, sharp enough for the screen, not for print.
    const small = await sharp(await base().png().toBuffer()).resize(800).jpeg().toBuffer();
    const d = project('lowres', { 'small.jpg': small });
    fs.writeFileSync(path.join(d, 'issues', '6', 'articles', 'a.md'), '# 图片\n\n![](images/small.jpg)\n');
    const result = await build({ issue: '6', cwd: d, editions: ['print'] });
    expect(result.warnings.map((w) => w.message)).toEqual([expect.stringMatching(/^the image is \d+ ppi at its printed size \(\d+ mm wide\); print wants 200 or more$/)]);
  }, 60_000);
});

/** Page dictionaries of a pdfkit file: its boxes, in PDF points. */
function pageBoxes(pdf: Buffer): { media: number[]; trim: number[]; bleed: number[] }[] {
  const text = pdf.toString('latin1');
  const nums = (dict: string, key: string) => (new RegExp(`/${key} \\[([^\\]]+)\\]`).exec(dict)?.[1] ?? '').split(' ').map(Number);
  return [...text.matchAll(/<<\n\/Type \/Page\n[\s\S]*?\n>>/g)].map(([d]) => ({ media: nums(d, 'MediaBox'), trim: nums(d, 'TrimBox'), bleed: nums(d, 'BleedBox') }));
}

describe('the two editions and the booklet', () => {
  let dir: string;
  let result: BuildResult;
  beforeAll(async () => {
    dir = project('editions', { 'photo.jpg': await base().jpeg().toBuffer() }, 7);
    result = await build({ issue: '7', cwd: dir, impose: 'booklet' });
  }, 120_000);
  const file = (output: string) => fs.readFileSync(result.files.find((f) => f.output === output)!.path);

  it('gives every print page a trim box of A4 inside a 3 mm bleed box inside the media box', () => {
    const boxes = pageBoxes(file('print'));
    expect(boxes.length % 4).toBe(0);
    expect(boxes.length).toBeGreaterThanOrEqual(result.pages);
    const bleed = 3 * MM;
    for (const b of boxes) {
      expect(b.trim[2] - b.trim[0]).toBeCloseTo(210 * MM, 3);
      expect(b.trim[3] - b.trim[1]).toBeCloseTo(297 * MM, 3);
      for (const i of [0, 1]) expect(b.trim[i] - b.bleed[i]).toBeCloseTo(bleed, 3);
      for (const i of [2, 3]) expect(b.bleed[i] - b.trim[i]).toBeCloseTo(bleed, 3);
      expect(b.media[0]).toBeLessThanOrEqual(b.bleed[0]);
      expect(b.media[1]).toBeLessThanOrEqual(b.bleed[1]);
      expect(b.media[2]).toBeGreaterThanOrEqual(b.bleed[2]);
      expect(b.media[3]).toBeGreaterThanOrEqual(b.bleed[3]);
    }
    // No transparency in print; the screen edition has no page boxes beyond the media box.
    expect(file('print').includes('/SMask')).toBe(false);
    for (const b of pageBoxes(file('screen'))) {
      expect(b.trim).toEqual([0]);
      expect(b.media[2]).toBeCloseTo(210 * MM, 1);
    }
  });

  it('pads the print edition with blank pages before the back cover', async () => {
    const pdf = await readPdf(file('print'));
    const screen = await readPdf(file('screen'));
    expect(result.pages).toBe(3); // cover and contents, one article page, back cover
    expect(pdf.pages).toHaveLength(4);
    expect(pdf.pages[2].text.trim()).toBe('');
    expect(pdf.pages[3].text).toBe(screen.pages[2].text);
    expect(pdf.pages[3].text).toContain('珠海市服务贸易和外包行业协会');
  });

  it('imposes the booklet in saddle-stitch order, two pages to a sheet twice as wide', async () => {
    expect(paddedOrder(3)).toEqual([0, 1, null, 2]);
    expect(bookletOrder(8)).toEqual([
      [7, 0],
      [1, 6],
      [5, 2],
      [3, 4],
    ]);
    expect(bookletOrder(3)).toEqual([
      [2, 0],
      [1, null],
    ]);
    const booklet = await readPdf(file('booklet'));
    const screen = await readPdf(file('screen'));
    expect(booklet.pages).toHaveLength(2);
    const half = (p: number, side: 'left' | 'right') =>
      booklet.pages[p].items
        .filter((i) => (side === 'left' ? i.x < 210 * MM : i.x >= 210 * MM))
        .map((i) => i.str)
        .join('');
    const text = (p: number) => screen.pages[p].items.map((i) => i.str).join('');
    expect(half(0, 'left')).toBe(text(2)); // back cover
    expect(half(0, 'right')).toBe(text(0)); // cover
    expect(half(1, 'left')).toBe(text(1));
    expect(half(1, 'right')).toBe('');
    for (const b of pageBoxes(file('booklet'))) expect(b.media.slice(2)).toEqual([Number((420 * MM).toFixed(6)), Number((297 * MM).toFixed(6))].map((v) => expect.closeTo(v, 3)));
    // Printed from the print edition's CMYK: PDF/X-1a like it, its trim the whole sheet.
    expect(preflight(file('booklet'))).toEqual([]);
  });

  it('writes byte-identical files for identical inputs', async () => {
    const again = await build({ issue: '7', cwd: dir, out: 'out2', impose: 'booklet' });
    for (const f of again.files) expect(fs.readFileSync(f.path).equals(file(f.output)), f.output).toBe(true);
  }, 60_000);
});
