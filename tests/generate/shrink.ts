/**
 * A failing generated issue made as small as it can be while it still fails
 * the same way: sections, articles, blocks, list items, table rows, pictures
 * and pieces of text left out one at a time, each kept out when the failure
 * stays. The result is saved as a regression folder under tests/regressions.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { GenBlock, GenIssue } from './issue.js';

/** Every issue one step smaller than `issue`: one part left out. */
function* smaller(issue: GenIssue): Generator<GenIssue> {
  const copy = (): GenIssue => ({ ...issue, sections: structuredClone(issue.sections), pictures: issue.pictures });
  for (let s = 0; s < issue.sections.length && issue.sections.length > 1; s++) {
    const c = copy();
    c.sections.splice(s, 1);
    yield c;
  }
  for (let s = 0; s < issue.sections.length; s++)
    for (let a = 0; a < issue.sections[s].articles.length && issue.sections[s].articles.length > 1; a++) {
      const c = copy();
      c.sections[s].articles.splice(a, 1);
      yield c;
    }
  for (let s = 0; s < issue.sections.length; s++)
    for (let a = 0; a < issue.sections[s].articles.length; a++) {
      const blocks = issue.sections[s].articles[a].blocks;
      for (let b = 0; b < blocks.length; b++) {
        const c = copy();
        c.sections[s].articles[a].blocks.splice(b, 1);
        yield c;
      }
      for (let b = 0; b < blocks.length; b++)
        for (const inner of smallerBlock(blocks[b])) {
          const c = copy();
          c.sections[s].articles[a].blocks[b] = inner;
          yield c;
        }
    }
  if (issue.staff.length > 1)
    for (let i = 0; i < issue.staff.length; i++) {
      const c = copy();
      c.staff = issue.staff.filter((_, k) => k !== i);
      yield c;
    }
}

/** A block one step smaller: an item, a row, a picture, a piece of text left out. */
function* smallerBlock(b: GenBlock): Generator<GenBlock> {
  const without = <T>(items: T[], i: number) => items.filter((_, k) => k !== i);
  if ((b.kind === 'paragraph' || b.kind === 'heading') && b.inline.length > 1) for (let i = 0; i < b.inline.length; i++) yield { ...b, inline: without(b.inline, i) };
  if (b.kind === 'list' && b.items.length > 1) for (let i = 0; i < b.items.length; i++) yield { ...b, items: without(b.items, i) };
  if (b.kind === 'quote' && b.paragraphs.length > 1) for (let i = 0; i < b.paragraphs.length; i++) yield { ...b, paragraphs: without(b.paragraphs, i) };
  if (b.kind === 'pictures' && b.pictures.length > 1) for (let i = 0; i < b.pictures.length; i++) yield { ...b, pictures: without(b.pictures, i) };
  if ((b.kind === 'pipe-table' || b.kind === 'csv-table' || b.kind === 'chart') && b.rows.length > 2) for (let i = 1; i < b.rows.length; i++) yield { ...b, rows: without(b.rows, i) };
}

/** The smallest issue found that `fails` still holds for, trying at most `budget` builds. */
export async function shrink(issue: GenIssue, fails: (candidate: GenIssue) => Promise<boolean>, budget = 300): Promise<GenIssue> {
  let current = issue;
  let tries = 0;
  for (let progress = true; progress && tries < budget; ) {
    progress = false;
    for (const candidate of smaller(current)) {
      if (++tries > budget) break;
      if (await fails(candidate)) {
        current = candidate;
        progress = true;
        break;
      }
    }
  }
  return current;
}

/** What a regression folder keeps beside the issue: what failed, and the text a reader must find. */
export interface RegressionNote {
  failure: string;
  text: string;
}

export const REGRESSION_NOTE = 'regression.json';

/** Saves an issue's files as tests/regressions/NAME/, with its note. */
export function saveRegression(repo: string, name: string, files: Map<string, Buffer | string>, note: RegressionNote): string {
  const dir = path.join(repo, 'tests', 'regressions', name);
  writeFolder(dir, files);
  fs.writeFileSync(path.join(dir, REGRESSION_NOTE), `${JSON.stringify(note, null, 2)}\n`);
  return dir;
}

/** Writes `files` as the folder `dir` (emptied first). */
export function writeFolder(dir: string, files: Map<string, Buffer | string>): void {
  fs.rmSync(dir, { recursive: true, force: true });
  for (const [file, data] of files) {
    fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    fs.writeFileSync(path.join(dir, file), data);
  }
}
