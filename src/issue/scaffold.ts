/**
 * `bulletin new`: the next issue's folder, made from the latest one (or a
 * given one): number, period, label and date advanced by the issue's
 * rhythm (a quarter for 2022年2季度报, a month for 2022年6月), the same
 * template, staff and sections, and a placeholder article per section so
 * that the new issue builds at once. Nothing is overwritten.
 */
import fs from 'node:fs';
import path from 'node:path';
import { UserError } from '../source/errors.js';
import { readManifest, type Manifest } from './load.js';
import { requirePackage } from '../packages.js';

const { stringify } = requirePackage('yaml') as typeof import('yaml');

/** The highest-numbered issue under `issues/` that has an issue.yaml. */
export function latestIssue(cwd: string): number | undefined {
  const dir = path.join(cwd, 'issues');
  const numbers = fs.existsSync(dir)
    ? fs
        .readdirSync(dir)
        .filter((n) => /^\d+$/.test(n) && fs.existsSync(path.join(dir, n, 'issue.yaml')))
        .map(Number)
    : [];
  return numbers.length ? Math.max(...numbers) : undefined;
}

const lastDay = (y: number, m: number) => new Date(Date.UTC(y, m, 0)).getUTCDate();

/** The date `months` later, on the same day of the month (the last day stays the last). */
export function addMonths(date: string, months: number): string {
  const [y, m, d] = date.split('-').map(Number);
  const total = y * 12 + (m - 1) + months;
  const ny = Math.floor(total / 12);
  const nm = (total % 12) + 1;
  const day = d === lastDay(y, m) ? lastDay(ny, nm) : Math.min(d, lastDay(ny, nm));
  return `${ny}-${String(nm).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/** The next period and how many months it is on; unchanged when its pattern is not known. */
export function nextPeriod(period: string): { period: string; months: number } | undefined {
  const q = /(\d{4})年([1-4])季度/.exec(period);
  if (q) {
    const [y, n] = [Number(q[1]), Number(q[2])];
    const next = n === 4 ? `${y + 1}年1季度` : `${y}年${n + 1}季度`;
    return { period: period.replace(q[0], next), months: 3 };
  }
  const m = /(\d{4})年(\d{1,2})月/.exec(period);
  if (m) {
    const [y, n] = [Number(m[1]), Number(m[2])];
    const next = n === 12 ? `${y + 1}年1月` : `${y}年${n + 1}月`;
    return { period: period.replace(m[0], next), months: 1 };
  }
  return undefined;
}

export interface Scaffolded {
  dir: string;
  files: string[];
  /** what could not be advanced and must be edited by hand */
  notes: string[];
}

export function scaffoldIssue(number: number, cwd: string, from?: number): Scaffolded {
  const source = from ?? latestIssue(cwd);
  if (source === undefined) throw new UserError(`there is no issue under ${path.join(cwd, 'issues')} to start from; copy one, or name it with --from`);
  const sourceFile = path.join(cwd, 'issues', String(source), 'issue.yaml');
  if (!fs.existsSync(sourceFile)) throw new UserError(`issue ${source} not found: there is no issues/${source}/issue.yaml`);
  const dir = path.join(cwd, 'issues', String(number));
  if (fs.existsSync(dir)) throw new UserError(`issues/${number} exists already; bulletin new does not overwrite`);
  const { manifest: m } = readManifest(sourceFile);

  const notes: string[] = [];
  const next = nextPeriod(m.period);
  if (!next) notes.push(`the period "${m.period}" was kept: edit it, the label and the date`);
  const period = next?.period ?? m.period;
  // The number inside the label: 总第 44 期 → 总第 45 期, spacing as written.
  let label = m.label.split(m.period).join(period);
  const numbered = new RegExp(`(总第\\s*)${m.number}(\\s*期)`);
  if (numbered.test(label)) label = label.replace(numbered, `$1${number}$2`);
  else notes.push(`the label "${m.label}" has no 总第 ${m.number} 期 to advance: edit it`);

  const sections = m.sections.map((s, i) => ({ title: s.title, articles: [`section-${i + 1}.md`] }));
  const manifest: Manifest = { number, template: m.template, date: next ? addMonths(m.date, next.months) : m.date, period, label, staff: m.staff, sections };
  const files: [string, string][] = [
    ['issue.yaml', stringify(manifest, { lineWidth: 0 })],
    ...m.sections.map((s, i): [string, string] => [path.join('articles', `section-${i + 1}.md`), `# ${s.title}：标题待定\n\n正文待写。\n`]),
  ];
  for (const [name, text] of files) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), text);
  }
  fs.mkdirSync(path.join(dir, 'images'), { recursive: true });
  fs.mkdirSync(path.join(dir, 'data'), { recursive: true });
  return { dir, files: files.map(([name]) => path.join(dir, name)), notes };
}
