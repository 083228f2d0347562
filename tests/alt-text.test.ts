/**
 * What a screen reader says of a picture: its caption, else the editor's
 * description (`{alt="…"}`), else the article it belongs to — never its file
 * name; or nothing, out of the reading order, where the template calls such
 * pictures decorative. `bulletin check` names every picture with neither.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { build } from '../src/build.js';
import { check } from '../src/check.js';
import { formatWarning } from '../src/source/errors.js';
import { MANIFEST_7, REPO } from './helpers.js';
import { readTagged } from './pdf-structure.js';
import { readPdfText } from './pdf-text.js';

const work = fs.mkdtempSync(path.join(os.tmpdir(), 'bulletin-alt-'));
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

const ARTICLE = '# 港口见闻\n\n![港口全景](images/harbour.jpg)\n\n![](images/training-1.jpg){alt="培训现场，学员围坐听讲" width=60%}\n\n![](images/training-2.jpg)\n';

function project(name: string, article: string, template?: (yaml: string) => string): string {
  const dir = path.join(work, name);
  const issue = path.join(dir, 'issues', '7');
  fs.mkdirSync(path.join(issue, 'articles'), { recursive: true });
  fs.mkdirSync(path.join(issue, 'images'));
  for (const f of ['harbour.jpg', 'training-1.jpg', 'training-2.jpg']) fs.copyFileSync(path.join(REPO, 'tests', 'stress', 'issue', 'images', f), path.join(issue, 'images', f));
  fs.writeFileSync(path.join(issue, 'articles', 'a.md'), article);
  let manifest = MANIFEST_7;
  if (template) {
    const dest = path.join(dir, 'templates', 'mine');
    fs.cpSync(path.join(REPO, 'templates', 'zasto'), dest, { recursive: true });
    const file = path.join(dest, 'template.yaml');
    fs.writeFileSync(file, template(fs.readFileSync(file, 'utf8')));
    manifest = manifest.replace('template: zasto', 'template: mine');
  }
  fs.writeFileSync(path.join(issue, 'issue.yaml'), manifest);
  return dir;
}

async function figureAlts(dir: string): Promise<(string | undefined)[]> {
  const result = await build({ issue: '7', cwd: dir, editions: ['screen'], systemFonts: false });
  const tagged = await readTagged(fs.readFileSync(result.files[0].path));
  return tagged.elements.filter((e) => e.role === 'Figure').map((e) => e.alt);
}

describe('alternative text', () => {
  let dir: string;
  beforeAll(() => {
    dir = project('plain', ARTICLE);
  });

  it('is the caption, else the description, else the article, never the file name', async () => {
    expect(await figureAlts(dir)).toEqual(['港口全景', '培训现场，学员围坐听讲', '图片：港口见闻']);
  }, 60_000);

  it('leaves undescribed pictures out of the reading order where the template calls them decorative', async () => {
    const d = project('decorative', ARTICLE, (t) => `${t}\npictures:\n  undescribed: decorative\n`);
    expect(await figureAlts(d)).toEqual(['港口全景', '培训现场，学员围坐听讲']);
  }, 60_000);

  it('is named by bulletin check where a picture has neither caption nor description', async () => {
    const findings = await check({ issue: '7', cwd: dir, systemFonts: false });
    const named = findings.filter((f) => /neither a caption nor a description/.test(f.message));
    expect(named).toEqual([
      { level: 'warning', file: 'issues/7/articles/a.md', line: 7, col: 1, message: 'images/training-2.jpg has neither a caption nor a description: write ![caption](images/training-2.jpg) or {alt="what it shows"} after it, for screen readers' },
    ]);
  }, 60_000);

  it.each([
    ['{alt=""}', /:5:24: \{alt=""\} is empty: say what the picture shows$/],
    ['{title=港口}', /:5:24: a picture has no attribute "title" \(it takes width= and alt=\); left out$/],
    ['{width=50% alt}', /:5:24: \{width=50% alt\} is not a picture's attributes: write \{width=50%\} or \{alt="what it shows"\}; left out$/],
    ['{}', /:5:24: \{\} is not a picture's attributes: .*; left out$/],
  ])('warns about %s after a picture at its line and column, and prints nothing of it', async (attributes, message) => {
    const d = project(`bad-${attributes.replace(/\W/g, '')}`, `# 标题\n\n正文。\n\n![](images/harbour.jpg)${attributes}\n`);
    const result = await build({ issue: '7', cwd: d, editions: ['screen'], systemFonts: false });
    const shown = result.warnings.map((w) => formatWarning(w, d));
    expect(shown.filter((w) => message.test(w)), shown.join('\n')).toHaveLength(1);
    const text = (await readPdfText(fs.readFileSync(result.files[0].path))).map((p) => p.text).join('');
    expect(text).not.toContain('{');
  }, 60_000);
});
