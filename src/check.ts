/**
 * `bulletin check`: every problem of an issue at once, no PDF written. The
 * same stages as a build up to layout; a problem in one article or image
 * does not hide the others (layout runs only when none is found, as it needs
 * every article and picture).
 */
import fs from 'node:fs';
import path from 'node:path';
import { holdImageWorker } from './assets/image-client.js';
import { inspectImages, type ImageInfos } from './assets/images.js';
import { layOut } from './build.js';
import { commitCache } from './cache/sealed.js';
import { UserError, type Warning } from './source/errors.js';
import { loadIssue } from './issue/load.js';
import { buildModel } from './model/build.js';
import type { Block, DocumentModel } from './model/document.js';

export interface Finding {
  level: 'error' | 'warning' | 'note';
  /** relative to the working directory where it lies below it */
  file?: string;
  line?: number;
  col?: number;
  message: string;
}

export interface CheckOptions {
  issue: string;
  cwd?: string;
  /** the build's output folder: its image cache, where there is one, spares decoding pictures again */
  out?: string;
  fontFolders?: string[];
  systemFonts?: boolean;
}

function finding(level: Finding['level'], w: { file?: string; pos?: { line: number; col: number }; message: string }, cwd: string): Finding {
  const rel = w.file && path.relative(cwd, w.file);
  const file = w.file && rel && !rel.startsWith('..') && !path.isAbsolute(rel) ? rel : w.file;
  return { level, ...(file ? { file } : {}), ...(w.pos ? { line: w.pos.line, col: w.pos.col } : {}), message: w.message };
}

export async function check(options: CheckOptions): Promise<Finding[]> {
  const cwd = options.cwd ?? process.cwd();
  const errors: UserError[] = [];
  const collect = (e: UserError) => errors.push(e);
  let warnings: Warning[] = [];
  const release = holdImageWorker();
  try {
    const issue = loadIssue(options.issue, cwd, collect);
    const model = buildModel(issue, collect);
    const cache = path.join(path.resolve(cwd, options.out ?? 'out'), '.cache', 'images');
    // Whole: a damaged picture is found now, not when a build prepares it.
    const infos = await inspectImages(model, fs.existsSync(cache) ? cache : undefined, collect, undefined, true);
    warnings = model.warnings;
    if (errors.length === 0) ({ warnings } = await layOut(issue, model, { cwd, fontFolders: options.fontFolders, systemFonts: options.systemFonts, infos }));
    warnings = [...warnings, ...undescribedPictures(model, issue.dir, infos)];
  } catch (e) {
    if (!(e instanceof UserError)) throw e;
    errors.push(e);
  } finally {
    await release();
  }
  // What the images' inspection learnt, for the next build (and the machine's font index).
  commitCache();
  return [...errors.map((e) => finding('error', e, cwd)), ...warnings.map((w) => finding(w.kind ?? 'warning', w, cwd))];
}

/** A warning for each readable picture with neither caption nor description: a screen reader cannot tell what it shows. */
function undescribedPictures(model: DocumentModel, issueDir: string, readable: ImageInfos): Warning[] {
  const warnings: Warning[] = [];
  const visit = (file: string, blocks: Block[]) => {
    for (const b of blocks) {
      if (b.kind === 'quote') visit(file, b.blocks);
      if (b.kind !== 'images') continue;
      for (const img of b.images.filter((i) => !i.caption && !i.alt && readable.has(i.file))) {
        const written = path.relative(issueDir, img.file).split(path.sep).join('/');
        warnings.push({ file, pos: { line: b.line, col: 1 }, message: `${written} has neither a caption nor a description: write ![caption](${written}) or {alt="what it shows"} after it, for screen readers` });
      }
    }
  };
  for (const s of model.sections) for (const a of s.articles) visit(a.file, a.blocks);
  return warnings;
}

/** One line: `file:line:col: error: message`. */
export function formatFinding(f: Finding): string {
  const where = f.file ? `${f.file}${f.line ? `:${f.line}:${f.col}` : ''}: ` : '';
  return `${where}${f.level}: ${f.message}`;
}
