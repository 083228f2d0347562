import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { build } from '../src/build.js';
import { UserError } from '../src/source/errors.js';
import { loadTemplate } from '../src/template/template.js';
import sharp from 'sharp';
import { PdfFile, type PdfString } from '../src/preflight/pdf-file.js';
import { preflight } from '../src/preflight/pdfx.js';
import { MANIFEST_7, REPO } from './helpers.js';
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

describe("the print edition's printing condition", () => {
  const withPrint = (name: string, lines: string, files: Record<string, Buffer> = {}) => {
    const dir = variant(name, 'template.yaml', (t) => t.replace('  cmyk-images: true           # photos converted to CMYK', `  cmyk-images: true\n${lines}`));
    for (const [f, data] of Object.entries(files)) fs.writeFileSync(path.join(dir, f), data);
    return dir;
  };

  it('refuses a printing condition the ICC registry does not know, unless the profile is given, and a profile that is not a CMYK output profile', () => {
    expect(failure(() => loadTemplate(withPrint('p1', '  output-condition: MyPress')))).toMatch(/^p1\/template\.yaml:\d+:\d+: "MyPress" is not a registered printing condition \(FOGRA39, .*\); name the printer's profile with print\.icc$/);
    expect(failure(() => loadTemplate(withPrint('p2', '  icc: printer.icc', { 'printer.icc': Buffer.from('not a profile at all'.repeat(10)) })))).toBe('p2/printer.icc: is not an ICC profile');
    const srgb = fs.readFileSync(path.join(REPO, 'node_modules', 'pdfkit', 'js', 'data', 'sRGB_IEC61966_2_1.icc'));
    expect(failure(() => loadTemplate(withPrint('p3', '  icc: srgb.icc', { 'srgb.icc': srgb })))).toBe('p3/srgb.icc: is an ICC profile of class mntr for RGB; print wants a CMYK output (prtr) profile');
    expect(loadTemplate(withPrint('p4', '  output-condition: JC200103')).print.outputCondition).toBe('JC200103');
  });

  it("embeds the template's printer profile as the output intent's and names its condition", async () => {
    // A CMYK output profile: the one sharp (libvips) converts with by default.
    const tagged = await sharp({ create: { width: 2, height: 2, channels: 3, background: '#808080' } }).withIccProfile('cmyk').jpeg().toBuffer();
    const profile = (await sharp(tagged).metadata()).icc!;
    const dir = withPrint('p5', '  output-condition: MyPress\n  icc: printer.icc', { 'printer.icc': profile });
    const project = path.join(work, 'p5-project');
    fs.mkdirSync(path.join(project, 'issues', '7', 'articles'), { recursive: true });
    fs.mkdirSync(path.join(project, 'templates'));
    fs.cpSync(dir, path.join(project, 'templates', 'mypress'), { recursive: true });
    fs.writeFileSync(path.join(project, 'issues', '7', 'issue.yaml'), MANIFEST_7.replace('template: zasto', 'template: mypress'));
    fs.writeFileSync(path.join(project, 'issues', '7', 'articles', 'a.md'), '# 标题\n\n正文。\n');
    const result = await build({ issue: '7', cwd: project, out: path.join(project, 'out'), editions: ['print'] });
    const data = fs.readFileSync(result.files[0].path);
    expect(preflight(data)).toEqual([]);
    const pdf = new PdfFile(data);
    const intent = pdf.dict(pdf.array(pdf.dict(pdf.trailer.get('Root'))!.get('OutputIntents'))[0])!;
    expect((pdf.resolve(intent.get('OutputConditionIdentifier')) as PdfString).text).toBe('MyPress');
    const embedded = pdf.dict(intent.get('DestOutputProfile'))!;
    expect(pdf.resolve(embedded.get('N'))).toBe(4);
    expect(pdf.decoded(embedded)!.equals(profile)).toBe(true);
  });
});
