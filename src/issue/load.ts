/**
 * Stage 1: find the issue folder, read and validate issue.yaml, the article
 * files' front matter and the template. Nothing here interprets Markdown.
 */
import fs from 'node:fs';
import path from 'node:path';
import { UserError } from '../errors.js';
import { dict, list, num, obj, optional, str } from '../schema.js';
import { findTemplate, loadTemplate, type Template } from '../template/template.js';
import { resolveInside } from './paths.js';
import { YamlSource } from './yaml-source.js';

const manifestSchema = obj({
  number: num({ int: true, min: 1 }),
  template: str(),
  date: str({ pattern: /^\d{4}-\d{2}-\d{2}$/, patternHint: 'a date like 2022-07-31' }),
  period: str(),
  label: str(),
  staff: list(dict(str())),
  sections: list(obj({ title: str(), articles: list(str(), { min: 1 }) }), { min: 1 }),
});

const frontMatterSchema = obj({ toc: optional(str()), source: optional(str()) });

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
}

/** `44` means `./issues/44`; anything else is a folder path. */
export function findIssueDir(ref: string, cwd: string): { dir: string; byNumber?: number } {
  if (/^\d+$/.test(ref)) {
    const dir = path.join(cwd, 'issues', ref);
    if (!fs.existsSync(path.join(dir, 'issue.yaml'))) {
      const rel = path.relative(cwd, dir) || dir;
      throw new UserError(`issue ${ref} not found: there is no ${rel}/issue.yaml under ${cwd}`);
    }
    return { dir, byNumber: Number(ref) };
  }
  const dir = path.resolve(cwd, ref);
  if (!fs.existsSync(path.join(dir, 'issue.yaml'))) throw new UserError(`no issue folder at ${ref}: issue.yaml is missing`);
  return { dir };
}

export function loadIssue(ref: string, cwd = process.cwd()): IssueSource {
  const { dir, byNumber } = findIssueDir(ref, cwd);
  const file = path.join(dir, 'issue.yaml');
  const src = YamlSource.parse(file, readUtf8(file));
  const m = manifestSchema.check(src.value(), [], src);
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
    articles: s.articles.map((name, ai) => {
      const at = ['sections', si, 'articles', ai] as const;
      const resolved = resolveInside(path.join(dir, 'articles'), name);
      if ('error' in resolved) throw src.error(at, resolved.error);
      if (!fs.existsSync(resolved.path)) throw src.error(at, `article file articles/${name} not found`);
      const before = seen.get(resolved.path);
      if (before) throw src.error(at, `article ${name} is listed twice (also in section ${before})`);
      seen.set(resolved.path, s.title);
      return readArticle(resolved.path);
    }),
  }));

  const template = loadTemplate(findTemplate(m.template, cwd, file));
  return { dir, file, number: m.number, date: m.date, period: m.period, label: m.label, staff, sections, template };
}

function readUtf8(file: string): string {
  const buf = fs.readFileSync(file);
  const text = new TextDecoder('utf-8', { fatal: false }).decode(buf);
  if (text.includes('\uFFFD')) throw new UserError('the file is not valid UTF-8', file);
  return text.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n');
}

export function readArticle(file: string): ArticleSource {
  const text = readUtf8(file);
  const fm = /^---\n([\s\S]*?)\n---[ \t]*(?:\n|$)/.exec(text);
  if (!fm) return { file, body: text, bodyLine: 1 };
  // A leading newline keeps YAML's line numbers equal to the file's (the opening --- is line 1).
  const yaml = YamlSource.parse(file, '\n' + fm[1]);
  const meta = frontMatterSchema.check(yaml.value() ?? {}, [], yaml);
  const bodyLine = fm[0].split('\n').length - (fm[0].endsWith('\n') ? 1 : 0) + 1;
  return { file, body: text.slice(fm[0].length), bodyLine, toc: meta.toc, source: meta.source };
}
