/**
 * The pipeline, stage by stage: load + validate → document model → assets
 * → compose and paginate (one layout) → render each edition → write both
 * files atomically.
 */
import path from 'node:path';
import { prepareImages, type Edition } from './assets/images.js';
import type { Warning } from './errors.js';
import { checkCoverage } from './fonts/coverage.js';
import { loadFonts } from './fonts/fonts.js';
import { loadIssue } from './issue/load.js';
import { layoutIssue } from './layout/layout.js';
import { buildModel } from './model/build.js';
import { writeAtomically } from './output/write.js';
import { renderPdf } from './render/pdf.js';

export interface BuildOptions {
  /** issue number (looked up as issues/N) or folder */
  issue: string;
  cwd?: string;
  /** output folder, default `out` under cwd */
  out?: string;
  editions?: Edition[];
}

export interface BuildResult {
  files: { edition: Edition; path: string; bytes: number }[];
  pages: number;
  warnings: Warning[];
}

export function outputName(number: number, edition: Edition): string {
  return edition === 'screen' ? `bulletin-${number}.pdf` : `bulletin-${number}-print.pdf`;
}

export async function build(options: BuildOptions): Promise<BuildResult> {
  const cwd = options.cwd ?? process.cwd();
  const outDir = path.resolve(cwd, options.out ?? 'out');
  const editions = options.editions ?? ['screen', 'print'];

  const issue = loadIssue(options.issue, cwd);
  const model = buildModel(issue);
  const fonts = loadFonts(issue.template);
  const warnings = checkCoverage(model, fonts, issue.file);
  const images = await prepareImages(model, path.join(outDir, '.cache', 'images'), issue.template.page.frame.width);
  const layout = layoutIssue(model, issue.template, fonts, images);

  const info = {
    title: `简报 ${model.period} 总第${model.number}期`,
    author: issue.template.association.zh,
    subject: model.label,
    keywords: model.sections.map((s) => s.title).join(', '),
    date: new Date(`${model.date}T00:00:00Z`),
  };
  const files = [];
  for (const edition of editions) {
    files.push({ edition, path: path.join(outDir, outputName(model.number, edition)), data: await renderPdf(layout, edition, fonts, images, info) });
  }
  writeAtomically(files);
  return { files: files.map((f) => ({ edition: f.edition, path: f.path, bytes: f.data.length })), pages: layout.pages.length, warnings };
}
