/**
 * The pipeline, stage by stage: load + validate → document model → image
 * inspection → compose and paginate (one layout) → images resampled per
 * edition → render each output → write all files atomically.
 */
import fs from 'node:fs';
import { createHash } from 'node:crypto';
import path from 'node:path';
import { drawingInfo, inspectImages, prepareImages, printResolution, pruneImageCache, type Edition, type ImageInfos } from './assets/images.js';
import type { EditionImageSettings } from './assets/pixels.js';
import { readVectors, type VectorImage } from './assets/svg.js';
import { UserError, type Warning } from './source/errors.js';
import { coverageMessages, sourceFiles } from './fonts/coverage.js';
import { FontChain } from './fonts/fallback.js';
import { loadFonts, type LoadedFont } from './fonts/fonts.js';
import { loadIssue, type IssueSource } from './issue/load.js';
import type { Layout } from './layout/display.js';
import { beginCompositions, saveCompositions } from './layout/composed.js';
import { layoutIssue } from './layout/layout.js';
import { pageFingerprints } from './layout/fingerprint.js';
import { warningPage } from './layout/locate.js';
import { buildModel, beginParses, saveParses } from './model/build.js';
import type { DocumentModel } from './model/document.js';
import { checkOutputFolder, removeStaleTemporaries, writeAtomically } from './output/write.js';
import { commitCache, takeJournal } from './cache/sealed.js';
import { renderPdf } from './render/pdf.js';
import { beginSubsets, pruneSubsets } from './render/text.js';
import type { Conformance } from './render/standards.js';
import { ICC_REGISTRY, REGISTERED_CONDITIONS } from './template/conditions.js';
import { templateColour } from './template/colour.js';
import { bookletSheets, printSheets, screenSheets } from './render/sheets.js';
import type { Template } from './template/template.js';
import { holdImageWorker } from './assets/image-client.js';

export interface BuildOptions {
  /** issue number (looked up as issues/N) or folder */
  issue: string;
  cwd?: string;
  /** output folder, default `out` under cwd */
  out?: string;
  editions?: Edition[];
  /** also write printer spreads for a saddle-stitched booklet */
  impose?: 'booklet';
  /** folders of fonts for characters the template's fonts lack, searched before the machine's */
  fontFolders?: string[];
  /** look for such characters in the machine's fonts too (default true) */
  systemFonts?: boolean;
  /** told what the build is doing, for a progress line */
  progress?: Progress;
  /**
   * told as each output is rendered, before the next is and all are written
   * together: a preview shows the first edition while the print one renders
   */
  rendered?: (file: PlannedFile & { data: Buffer }, build: LaidOutBuild) => void;
  /** work out what each page shows as a digest (`pageFingerprints`), for a preview that redraws only what an edit changed: 10–15 ms of a build */
  pageDigests?: boolean;
  /**
   * false: leave the parsed articles and composed paragraphs of this build
   * unwritten (`keepForNextProcess` writes them later); a watcher rebuilding
   * on every edit writes them once it is idle
   */
  keepCaches?: boolean;
}

/** Where a build keeps what it parsed and composed for the next process. */
const keptFiles = (outDir: string) => ({ articles: path.join(outDir, '.cache', 'articles.bin'), compositions: path.join(outDir, '.cache', 'compositions.bin') });

/** Writes what the last build in `outDir` parsed and composed, for the next process. */
export function keepForNextProcess(outDir: string): void {
  const files = keptFiles(outDir);
  saveParses(files.articles);
  saveCompositions(files.compositions);
  commitCache();
}

/** A stage of the build, with a count where it has one (images). */
export type Progress = (stage: string, done?: number, total?: number) => void;

export type Output = Edition | 'booklet';

/** An output as planned before it is rendered: where it goes, and the pages (1-based) on each sheet, none on a blank one. */
export interface PlannedFile {
  output: Output;
  path: string;
  shows: number[][];
}

/** What a build knows once its pages are laid out, before any PDF is rendered. */
export interface LaidOutBuild {
  files: PlannedFile[];
  /** pages of the layout (the print edition may add blank ones) */
  pages: number;
  /** a digest of what each page shows (see layout/fingerprint.ts), when `pageDigests` asked for them */
  pageFingerprints?: string[];
  /** the issue's warnings, each with its page where layout can tell */
  warnings: Warning[];
  /** each page's white at the foot and why it ended (for --debug) */
  pageEnds: Layout['pageEnds'];
  figures: Layout['figures'];
  /** layout's decisions worth a line under --debug */
  layoutNotes: Warning[];
  /** the folder of the template the issue used (watched by --watch) */
  templateDir: string;
}

export interface BuildResult extends LaidOutBuild {
  /** `data`: the file's bytes, as written */
  files: (PlannedFile & { bytes: number; sheets: number; data: Buffer })[];
  /** image files resampled now, and taken from the cache */
  images: { made: number; reused: number };
  /** cache entries refused and made again, one line each (for --debug) */
  cacheNotes: string[];
}

export function outputName(number: number, output: Output): string {
  return output === 'screen' ? `bulletin-${number}.pdf` : `bulletin-${number}-${output}.pdf`;
}

/** Screen: ~150 ppi, JPEG 80 %, transparency kept. Print: 300 ppi, no transparency, CMYK if the template says. */
function imageSettings(edition: Edition, template: Template): EditionImageSettings {
  if (edition === 'screen') return { ppi: 150, quality: 80, cmyk: false, alpha: true };
  const { icc, cmykImages } = template.print;
  const cmyk = icc ? { profile: icc.file, id: createHash('sha256').update(icc.data).digest('hex').slice(0, 12) } : { profile: 'cmyk', id: 'builtin' };
  return { ppi: 300, quality: 92, cmyk: cmykImages && cmyk, alpha: false };
}

/** Everything before rendering, shared by build and check: fonts, images inspected, drawings read, the one layout. */
export interface LaidOut {
  chain: FontChain;
  infos: ImageInfos;
  vectors: Map<string, VectorImage>;
  /** the faces SVG text is set in */
  svgFonts: { regular: LoadedFont; bold: LoadedFont };
  layout: Layout;
  /** every warning and note of the issue, the print edition's picture resolution included */
  warnings: Warning[];
}

export interface LayOutOptions {
  cwd: string;
  fontFolders?: string[];
  systemFonts?: boolean;
  /** where inspected images are cached; undefined writes nothing */
  cacheDir?: string;
  /** the issue's images, when they have been inspected already (check) */
  infos?: ImageInfos;
  progress?: Progress;
}

export async function layOut(issue: IssueSource, model: DocumentModel, o: LayOutOptions): Promise<LaidOut> {
  const { template } = issue;
  const fonts = loadFonts(template);
  const fontFolders = (o.fontFolders ?? []).map((d) => path.resolve(o.cwd, d));
  for (const d of fontFolders) if (!fs.statSync(d, { throwIfNoEntry: false })?.isDirectory()) throw new UserError(`--font-path ${path.relative(o.cwd, d) || d}: there is no such folder`);
  const chain = new FontChain(fonts, template, { fontFolders, systemFonts: o.systemFonts });
  const infos = o.infos ?? (await inspectImages(model, o.cacheDir, undefined, (d, t) => o.progress?.('reading images', d, t)));
  const svgFonts = { regular: fonts.roles.sans, bold: fonts.roles['sans-bold'] };
  const drawings = [...(template.logo ? [template.logo.file] : []), ...[...infos.values()].filter((i) => i.format === 'svg').map((i) => i.file)];
  const { vectors, warnings: svgWarnings } = readVectors(drawings, svgFonts);
  o.progress?.('laying out pages');
  const layout = layoutIssue(model, template, fonts, chain, infos);
  // A picture layout already set smaller for want of pixels has been warned about.
  const capped = new Set(layout.warnings.map((w) => w.file));
  const warnings = [
    ...model.warnings,
    ...svgWarnings,
    ...layout.warnings,
    ...printResolution(infos, layout.imageSizes).filter((w) => !capped.has(w.file)),
    ...coverageMessages(chain.substitutions(), sourceFiles(model, issue.file, template.file), new Set([...Object.values(fonts.roles), ...fonts.fallbacks])),
  ];
  return { chain, infos, vectors, svgFonts, layout, warnings };
}

/**
 * Screen: PDF/UA-1. Print: PDF/X-1a:2001 for the template's printing
 * condition, its profile embedded when the template names one — unless
 * photos stay RGB (print.cmyk-images: false), which PDF/X-1a does not allow.
 */
function conformance(edition: Edition, template: Template): Conformance {
  if (edition === 'screen') return { standard: 'PDF/UA-1' };
  if (!template.print.cmykImages) return { standard: 'none' };
  const { outputCondition: condition, icc } = template.print;
  return { standard: 'PDF/X-1a:2001', intent: { condition, info: REGISTERED_CONDITIONS[condition] ?? condition, registry: ICC_REGISTRY, profile: icc?.data } };
}

export async function build(options: BuildOptions): Promise<BuildResult> {
  const release = holdImageWorker();
  try {
    return await buildIssue(options, release);
  } finally {
    // The image worker, if pictures were read or made, ends with the build, however it ends.
    await release();
  }
}

/** `release`: lets go of the image worker once the pictures are made. */
async function buildIssue(options: BuildOptions, release: () => Promise<void>): Promise<BuildResult> {
  const cwd = options.cwd ?? process.cwd();
  const outDir = path.resolve(cwd, options.out ?? 'out');
  const cacheDir = path.join(outDir, '.cache', 'images');
  const editions = options.editions ?? ['screen', 'print'];
  checkOutputFolder(outDir);
  removeStaleTemporaries(outDir);
  // What the cache refused or could not write is told per build.
  takeJournal();

  const { progress } = options;
  progress?.('reading the issue');
  const issue = loadIssue(options.issue, cwd);
  const { template } = issue;
  const kept = keptFiles(outDir);
  beginParses(kept.articles);
  const model = buildModel(issue);
  const subsets = path.join(outDir, '.cache', 'subsets');
  beginCompositions(kept.compositions);
  beginSubsets();
  const { chain, infos, vectors, svgFonts, layout, warnings } = await layOut(issue, model, { cwd, fontFolders: options.fontFolders, systemFonts: options.systemFonts, cacheDir, progress });

  const info = {
    title: `${template.publication} ${model.period} 总第${model.number}期`,
    author: template.association.zh,
    subject: model.label,
    keywords: model.sections.map((s) => s.title).join(', '),
    date: new Date(`${model.date}T00:00:00Z`),
  };
  const outputs: Output[] = [...editions, ...(options.impose === 'booklet' ? (['booklet'] as const) : [])];
  const planned = outputs.map((output) => {
    const sheets = output === 'screen' ? screenSheets(layout) : output === 'print' ? printSheets(layout, template) : bookletSheets(layout);
    const shows = sheets.map((sh) => sh.placements.flatMap((p) => (p.page === null ? [] : [p.page + 1])));
    return { output, path: path.join(outDir, outputName(model.number, output)), shows, sheets };
  });
  const drawn = (file: string) => infos.get(file)?.hash ?? (vectors.has(file) ? createHash('sha256').update(vectors.get(file)!.svg).digest('hex') : undefined);
  const laidOut: LaidOutBuild = {
    files: planned.map(({ output, path, shows }) => ({ output, path, shows })),
    pages: layout.pages.length,
    pageFingerprints: options.pageDigests ? pageFingerprints(layout, drawn) : undefined,
    warnings: warnings.map((w) => ({ ...w, page: warningPage(layout, w) })),
    pageEnds: layout.pageEnds,
    figures: layout.figures,
    layoutNotes: layout.debug,
    templateDir: template.dir,
  };
  const files: BuildResult['files'] = [];
  // Images for every edition at once (each photo decoded once); the booklet prints with the print edition's.
  const wanted = [...new Set(outputs.map((o): Edition => (o === 'screen' ? 'screen' : 'print')))].map((edition) => ({
    edition,
    settings: imageSettings(edition, template),
    // Print: a drawing that needs transparency is a picture there (PDF/X allows none).
    rasterise: new Set(edition === 'print' ? [...vectors.values()].filter((v) => v.seeThrough).map((v) => v.file) : []),
  }));
  const drawings = new Map(wanted.flatMap((w) => [...w.rasterise]).filter((f) => !infos.has(f)).map((f) => [f, drawingInfo(f, vectors.get(f)!)]));
  const preparedFor = await prepareImages(new Map([...infos, ...drawings]), layout.imageSizes, wanted, cacheDir, (d, t) => progress?.('preparing images', d, t));
  // Its memory goes before the PDFs are rendered.
  await release();
  const images = { made: 0, reused: 0 };
  for (const p of preparedFor.values()) {
    images.made += p.made;
    images.reused += p.reused;
  }
  for (const { output, path: file, shows, sheets } of planned) {
    const edition: Edition = output === 'screen' ? 'screen' : 'print';
    const prepared = preparedFor.get(edition)!;
    progress?.(`writing the ${output} PDF`);
    const data = await renderPdf(layout, sheets, {
      fonts: chain.fonts,
      colours: edition === 'print' ? 'cmyk' : 'rgb',
      images: prepared.files,
      svg: { vectors: edition === 'print' ? new Map([...vectors].filter(([, v]) => !v.seeThrough)) : vectors, fonts: { regular: svgFonts.regular.key, bold: svgFonts.bold.key }, colour: (hex) => templateColour(hex, [...Object.values(template.colours), ...template.palette]) },
      navigation: output !== 'booklet',
      conformance: conformance(edition, template),
      subsetDir: subsets,
      info,
    });
    files.push({ output, path: file, shows, data, bytes: data.length, sheets: sheets.length });
    if (options.rendered) {
      options.rendered({ output, path: file, shows, data }, laidOut);
      // What it did goes out (a preview's event is written on the next tick) before the next output renders.
      await new Promise((resolve) => setImmediate(resolve));
    }
  }
  writeAtomically(files);
  // The caches, once the PDFs are in place, best-effort: what this build prepared, subset, parsed and
  // composed, for the next one. A cache that cannot be kept costs the next build time, nothing more.
  if (options.keepCaches !== false) keepForNextProcess(outDir);
  else commitCache();
  // What it no longer uses goes.
  try {
    pruneSubsets(subsets);
    pruneImageCache(cacheDir, new Map([...infos, ...drawings]));
  } catch {
    // entries left behind are refused or unused, never wrong
  }
  const journal = takeJournal();
  const unwritten = journal.unwritten[0];
  if (unwritten) {
    laidOut.warnings.push({ file: path.dirname(unwritten.file) + path.sep, message: `the cache could not be kept: ${unwritten.why}; the PDFs are written, the next build will take longer` });
  }
  return { ...laidOut, files, images, cacheNotes: journal.refused };
}
