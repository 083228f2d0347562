import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { build } from '../src/build.js';
import { UserError } from '../src/errors.js';
import { loadTemplate } from '../src/template/template.js';
import { REPO } from './helpers.js';
import { pdfLines, readPdf } from './pdf-text.js';

const work = fs.mkdtempSync(path.join(os.tmpdir(), 'bulletin-templates-'));
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

/** A copy of a shipped template in a folder of its own, with one file replaced. */
function variant(name: string, file: string, edit: (text: string) => string): string {
  const dir = path.join(work, name);
  fs.cpSync(path.join(REPO, 'templates', 'zasto'), dir, { recursive: true });
  fs.writeFileSync(path.join(dir, file), edit(fs.readFileSync(path.join(dir, file), 'utf8')));
  return dir;
}

function failure(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    if (e instanceof UserError) return e.format(work);
    throw e;
  }
  throw new Error('expected a UserError');
}

describe('templates', () => {
  it('reports template errors with file, line and column', () => {
    expect(failure(() => loadTemplate(variant('a', 'template.yaml', (t) => t.replace('name: zasto', 'name: zasto\nbrand: blue'))))).toMatch(/^a\/template\.yaml:3:1: unknown key "brand"/);
    expect(failure(() => loadTemplate(variant('b', 'template.yaml', (t) => t.replace('size: 10.5', 'size: big'))))).toMatch(/^b\/template\.yaml:\d+:\d+: expected a number, found the text "big"/);
    expect(failure(() => loadTemplate(variant('c', 'template.yaml', (t) => t.replace('logo: logo.svg', 'logo: ../logo.svg'))))).toMatch(/^c\/template\.yaml:4:7: "..\/logo.svg" leaves the folder/);
    expect(failure(() => loadTemplate(variant('d', 'logo.svg', () => 'GIF89a')))).toMatch(/^d\/logo\.svg: the logo is not an SVG drawing with a size/);
  });

  it("reads the logo's proportions from its viewBox, written with either quote", () => {
    expect(loadTemplate(path.join(REPO, 'templates', 'zasto')).logo).toMatchObject({ width: 100, height: 100 });
    const wide = loadTemplate(variant('e', 'logo.svg', (t) => t.replace('viewBox="0 0 100 100"', "viewBox='0 0 200 50'")));
    expect(wide.logo).toMatchObject({ width: 200, height: 50 });
  });

  it('builds issue 44 with the plain template: other fonts, running lines and openers, from data alone', async () => {
    const project = path.join(work, 'plain-project');
    fs.cpSync(path.join(REPO, 'issues', '44'), path.join(project, 'issues', '44'), { recursive: true });
    const manifest = path.join(project, 'issues', '44', 'issue.yaml');
    fs.writeFileSync(manifest, fs.readFileSync(manifest, 'utf8').replace('template: zasto', 'template: plain'));
    const result = await build({ issue: '44', cwd: project, editions: ['screen'] });
    const pdf = await readPdf(fs.readFileSync(result.files[0].path));
    const lines = pdfLines(pdf.pages);
    const plain = loadTemplate(path.join(REPO, 'templates', 'plain'));

    // Body text in the plain template's body font and size, titles in its heading font.
    const body = lines.filter((l) => l.page > 2 && Math.abs(l.size - plain.type.body.size) < 0.01);
    expect(body.filter((l) => l.font === 'NotoSansSC-Regular').length).toBeGreaterThan(500);
    expect(lines.filter((l) => Math.abs(l.size - plain.type.title.size) < 0.01).every((l) => l.font === 'NotoSerifSC-Bold')).toBe(true);
    // Its header prints the issue label; every article is there.
    expect(pdf.pages[3].text.replace(/\s+/g, '')).toContain('珠服贸外协编【2022年2季度报】总第44期');
    const all = pdf.pages.map((p) => p.text.replace(/\s+/g, '')).join('');
    for (const s of pdf.outline) for (const a of s.children) expect(all).toContain(a.title.replace(/\s+/g, '').slice(0, 8));
    expect(pdf.outline.flatMap((s) => s.children)).toHaveLength(27);
  }, 180_000);
});
