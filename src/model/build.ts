/** Stage 2 entry: the loaded issue → the document model. */
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { requirePackage } from '../packages.js';
import { KeptBetweenBuilds } from '../cache/kept.js';
import type { UserError, Warning } from '../source/errors.js';
import { recordingInputs, sameInputs, type Inputs } from '../source/files.js';
import { codeFingerprint } from '../cache/fingerprint.js';
import { collecting, type ArticleSource, type IssueSource } from '../issue/load.js';
import type { Article, DocumentModel } from './document.js';
import { parseArticle } from './markdown.js';

interface Parsed {
  source: string;
  /** the paths the parse resolved (pictures, data files) and the data files it read, with their answers */
  inputs: Inputs;
  article: Article;
  warnings: Warning[];
}

/** The code whose change changes what a parse makes: ours, markdown-it, its plugins and the link finder it brings. */
const CODE = [
  ...['.', '../source'].map((p) => fileURLToPath(new URL(p, import.meta.url))),
  ...['markdown-it', 'markdown-it-cjk-friendly', 'markdown-it-footnote'].map((p) => requirePackage.resolve(p).replace(/\.js$/, '')),
  createRequire(requirePackage.resolve('markdown-it')).resolve('linkify-it').replace(/\.js$/, ''),
];

/**
 * Articles parsed once, kept while neither their text nor their data files
 * change: in one process (bulletin build --watch), and from one build to the
 * next through a file in the output folder's cache, used while the parsing
 * code is the same.
 */
const kept = new KeptBetweenBuilds<Parsed, string>({ kind: 'articles', stamp: () => codeFingerprint(CODE), stillHolds: (stamp) => stamp === codeFingerprint(CODE) });
const parsed = kept.entries;

/** Before a build: reads what the last build parsed, if this process has parsed nothing yet. */
export const beginParses = (file: string) => kept.begin(file);
/** After a build: keeps in `file` the articles it used, for the next build in another process. */
export const saveParses = (file: string) => kept.save(file);

function parseRemembered(a: ArticleSource, issueDir: string, warn: (w: Warning) => void): Article {
  const source = JSON.stringify([a, issueDir]);
  const had = parsed.get(a.file);
  // The path rules hold on every build: a picture replaced by a link outside the folder is refused, cached or not.
  if (had && had.source === source && sameInputs(had.inputs)) {
    kept.use(a.file);
    had.warnings.forEach(warn);
    return had.article;
  }
  const warnings: Warning[] = [];
  const { value: article, inputs } = recordingInputs(() => parseArticle(a, issueDir, (w) => warnings.push(w)));
  kept.set(a.file, { source, inputs, article, warnings });
  warnings.forEach(warn);
  return article;
}

/** With `onError`, an article that cannot be parsed is reported there and left out (bulletin check). */
export function buildModel(issue: IssueSource, onError?: (e: UserError) => void): DocumentModel {
  const warnings = [...issue.warnings];
  const warn = (w: Warning) => warnings.push(w);
  return {
    number: issue.number,
    date: issue.date,
    period: issue.period,
    label: issue.label,
    staff: issue.staff,
    sections: issue.sections.map((s) => ({
      title: s.title,
      articles: collecting(s.articles, onError, (a) => parseRemembered(a, issue.dir, warn)),
    })),
    warnings,
  };
}
