/** Stage 2 entry: the loaded issue → the document model. */
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import v8 from 'node:v8';
import { writeFileAtomically } from '../output/write.js';
import type { UserError, Warning } from '../source/errors.js';
import { readText } from '../source/files.js';
import { codeFingerprint } from '../source/fingerprint.js';
import { collecting, type ArticleSource, type IssueSource } from '../issue/load.js';
import { recordingReads } from './csv.js';
import type { Article, Block, DocumentModel } from './document.js';
import { parseArticle } from './markdown.js';

interface Parsed {
  source: string;
  /** the data files the article's tables and charts read, and what they held */
  read: [string, string][];
  article: Article;
  warnings: Warning[];
}

/**
 * Articles parsed once, kept while neither their text nor their data files
 * change: in one process (bulletin build --watch), and from one build to the
 * next through a file in the output folder's cache, used while the parsing
 * code is the same.
 */
const parsed = new Map<string, Parsed>();
/** the articles the build in progress used, and those the file held when read (unchanged: not written again) */
let used = new Set<string>();
let onDisk = new Set<string>();

/** The code whose change changes what a parse makes. */
const CODE = ['.', '../source'].map((p) => fileURLToPath(new URL(p, import.meta.url)));

interface Saved {
  fingerprint: string;
  entries: [string, Parsed][];
}

/** Before a build: starts counting what it uses and, if this process has parsed nothing yet, reads what the last build parsed. */
export function beginParses(file: string): void {
  used = new Set();
  if (parsed.size > 0) return;
  let saved: Saved;
  try {
    saved = v8.deserialize(fs.readFileSync(file)) as Saved;
  } catch {
    return;
  }
  if (saved.fingerprint !== codeFingerprint(CODE)) return;
  for (const [key, p] of saved.entries) parsed.set(key, p);
  onDisk = new Set(saved.entries.map(([key]) => key));
}

/** After a build: keeps in `file` the articles it used, for the next build in another process. */
export function saveParses(file: string): void {
  if (used.size === onDisk.size && [...used].every((k) => onDisk.has(k))) return;
  onDisk = new Set(used);
  writeFileAtomically(file, v8.serialize({ fingerprint: codeFingerprint(CODE), entries: [...used].map((k) => [k, parsed.get(k)!]) } satisfies Saved));
}

function parseRemembered(a: ArticleSource, issueDir: string, warn: (w: Warning) => void): Article {
  const source = JSON.stringify([a, issueDir]);
  const had = parsed.get(a.file);
  if (had && had.source === source && had.read.every(([file, text]) => readsTheSame(file, text)) && pictures(had.article.blocks).every((f) => fs.existsSync(f))) {
    used.add(a.file);
    had.warnings.forEach(warn);
    return had.article;
  }
  const warnings: Warning[] = [];
  const { value: article, read } = recordingReads(() => parseArticle(a, issueDir, (w) => warnings.push(w)));
  parsed.set(a.file, { source, read, article, warnings });
  used.add(a.file);
  warnings.forEach(warn);
  return article;
}

/** The picture files an article places (a picture gone since its parse must be reported as the parse reports it). */
function pictures(blocks: Block[]): string[] {
  return blocks.flatMap((b) => (b.kind === 'images' ? b.images.map((i) => i.file) : b.kind === 'quote' ? pictures(b.blocks) : []));
}

function readsTheSame(file: string, text: string): boolean {
  try {
    return readText(file, 'data') === text;
  } catch {
    return false;
  }
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
