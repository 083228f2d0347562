/**
 * Stage 1: find the issue folder, read and validate issue.yaml, the article
 * files' front matter and the template. Nothing here interprets Markdown.
 */
import fs from 'node:fs';
import path from 'node:path';
import { UserError, type Warning } from '../source/errors.js';
import { dict, list, num, obj, optional, str, type Infer } from '../schema.js';
import { findTemplate, loadTemplate, type Template } from '../template/template.js';
import { readText, resolveFile } from '../source/files.js';
import { YamlSource } from '../source/yaml.js';
import { issueFolder } from './folder.js';

const manifestSchema = obj({
  number: num({ int: true, min: 1 }),
  template: str(),
  date: str({ pattern: /^\d{4}-\d{2}-\d{2}$/, patternHint: 'a date like 2022-07-31' }),
  period: str(),
  label: str(),
  staff: list(dict(str())),
  sections: list(obj({ title: str(), articles: list(str(), { min: 1 }) }), { min: 1 }),
});

/** `lang`: a language tag (en, en-GB, fr …); the article is set as that language's text is. */
const frontMatterSchema = obj({ toc: optional(str()), source: optional(str()), lang: optional(str({ pattern: /^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$/, patternHint: 'a language tag like en, en-GB or zh' })) });

export interface StaffCredit {
  role: string;
  name: string;
}

export interface ArticleSource {
  /** absolute path of the Markdown file */
  file: string;
  /** the Markdown after the front matter */
  body: string;
  /** 1-based line of the file on which `body` starts */
  bodyLine: number;
  toc?: string;
  source?: string;
  /** the article's language as its front matter names it */
  lang?: string;
}

export interface SectionSource {
  title: string;
  articles: ArticleSource[];
}

export interface IssueSource {
  dir: string;
  file: string;
  number: number;
  date: string;
  period: string;
  label: string;
  staff: StaffCredit[];
  sections: SectionSource[];
  template: Template;
  /** what reading the files found but forgave (control characters) */
  warnings: Warning[];
}

/** `44` means `./issues/44`; anything else is a folder path. */
export function findIssueDir(ref: string, cwd: string): { dir: string; byNumber?: number } {
  const found = issueFolder(ref, cwd);
  if (fs.existsSync(path.join(found.dir, 'issue.yaml'))) return found;
  if (found.byNumber === undefined) throw new UserError(`no issue folder at ${ref}: issue.yaml is missing`);
  throw new UserError(`issue ${ref} not found: there is no ${path.relative(cwd, found.dir) || found.dir}/issue.yaml under ${cwd}`);
}

/**
 * With `onError`, a problem with one article is reported there and that
 * article left out, so that every article's problems are found at once
 * (bulletin check); without, the first is thrown.
 */
export function loadIssue(ref: string, cwd = process.cwd(), onError?: (e: UserError) => void): IssueSource {
  const { dir, byNumber } = findIssueDir(ref, cwd);
  const file = path.join(dir, 'issue.yaml');
  const warnings: Warning[] = [];
  const warn = (w: Warning) => warnings.push(w);
  const { manifest: m, src } = readManifest(file, warn);
  if (byNumber !== undefined && m.number !== byNumber) {
    throw src.error(['number'], `number ${m.number} does not match the folder issues/${byNumber}`);
  }

  const staff = m.staff.map((entry, i) => {
    const pairs = Object.entries(entry);
    if (pairs.length !== 1) throw src.error(['staff', i], 'each staff entry is one "role: name" pair');
    return { role: pairs[0][0], name: pairs[0][1] };
  });

  const seen = new Map<string, string>();
  const sections = m.sections.map((s, si) => ({
    title: s.title,
    articles: collecting(s.articles, onError, (name, ai) => {
      const at = ['sections', si, 'articles', ai] as const;
      const resolved = resolveFile(path.join(dir, 'articles'), name);
      if ('missing' in resolved) throw src.error(at, `article file articles/${name} not found`);
      if ('error' in resolved) throw src.error(at, resolved.error);
      const before = seen.get(resolved.path);
      if (before) throw src.error(at, `article ${name} is listed twice (also in section ${before})`);
      seen.set(resolved.path, s.title);
      return readArticle(resolved.path, warn);
    }),
  }));

  const template = loadTemplate(findTemplate(m.template, cwd, file));
  return { dir, file, number: m.number, date: m.date, period: m.period, label: m.label, staff, sections, template, warnings };
}

export type Manifest = Infer<typeof manifestSchema>;

/** issue.yaml, checked against the schema and the calendar. */
export function readManifest(file: string, warn?: (w: Warning) => void): { manifest: Manifest; src: YamlSource } {
  const src = YamlSource.parse(file, readText(file, 'manifest', warn));
  const manifest = manifestSchema.check(src.value(), [], src);
  if (!isCalendarDate(manifest.date)) throw src.error(['date'], `${manifest.date} is not a date in the calendar`);
  return { manifest, src };
}

/** Maps `items`; with `onError`, an item whose mapping fails with a UserError is reported and left out. */
export function collecting<T, U>(items: T[], onError: ((e: UserError) => void) | undefined, f: (item: T, i: number) => U): U[] {
  if (!onError) return items.map(f);
  return items.flatMap((item, i) => {
    try {
      return [f(item, i)];
    } catch (e) {
      if (!(e instanceof UserError)) throw e;
      onError(e);
      return [];
    }
  });
}

/** 2023-02-30 matches the pattern but names no day. */
function isCalendarDate(date: string): boolean {
  const [y, mo, d] = date.split('-').map(Number);
  const t = new Date(Date.UTC(y, mo - 1, d));
  return t.getUTCFullYear() === y && t.getUTCMonth() === mo - 1 && t.getUTCDate() === d;
}

/** No word is longer than this: a longer run of letters and signs is pasted data, not text to set. */
export const MAX_WORD = 10_000;

export function readArticle(file: string, warn?: (w: Warning) => void): ArticleSource {
  const text = readText(file, 'article', warn);
  const long = new RegExp(`[!-~]{${MAX_WORD + 1},}`).exec(text);
  if (long) {
    const before = text.slice(0, long.index).split('\n');
    const run = /[!-~]+/.exec(text.slice(long.index))![0].length;
    throw new UserError(`a word of ${run.toLocaleString('en')} characters; bulletin sets words of up to ${MAX_WORD.toLocaleString('en')}`, file, { line: before.length, col: [...before[before.length - 1]].length + 1 });
  }
  const fm = /^---\n([\s\S]*?)\n---[ \t]*(?:\n|$)/.exec(text);
  if (!fm) {
    if (/^---[ \t]*\n/.test(text)) throw new UserError('the front matter opened here is never closed: end it with a line "---"', file, { line: 1, col: 1 });
    return { file, body: text, bodyLine: 1 };
  }
  // A leading newline keeps YAML's line numbers equal to the file's (the opening --- is line 1).
  const yaml = YamlSource.parse(file, '\n' + fm[1]);
  const meta = frontMatterSchema.check(yaml.value() ?? {}, [], yaml);
  const bodyLine = fm[0].split('\n').length - (fm[0].endsWith('\n') ? 1 : 0) + 1;
  return { file, body: text.slice(fm[0].length), bodyLine, toc: meta.toc, source: meta.source, ...(meta.lang ? { lang: meta.lang } : {}) };
}
