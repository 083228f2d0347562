import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { build } from '../src/build.js';
import { loadIssue } from '../src/issue/load.js';
import { buildModel } from '../src/model/build.js';
import { REPO } from './helpers.js';
import { readPdfText, type PdfPageText } from './pdf-text.js';

const SEED = path.join(REPO, 'tests', 'fixtures', 'bulletin-44-source.txt');

/** The seed's content: without the running footers and without the printed contents list. */
function seedContent(): string {
  const lines = fs.readFileSync(SEED, 'utf8').split('\n').filter((l) => l.trim() !== '<http://www.zasto.org.cn>');
  const tocStart = lines.findIndex((l) => l.trim() === '目录 CONTENTS');
  // The contents list ends where its first section title comes again, as the body's opener.
  const firstEntry = lines.findIndex((l, i) => i > tocStart && l.trim() === '企业动态');
  const bodyStart = lines.findIndex((l, i) => i > firstEntry && l.trim() === '企业动态');
  return [...lines.slice(0, tocStart), ...lines.slice(bodyStart)].join('\n');
}

function hanCounts(s: string): Map<string, number> {
  const m = new Map<string, number>();
  for (const ch of s.match(/\p{Script=Han}/gu) ?? []) m.set(ch, (m.get(ch) ?? 0) + 1);
  return m;
}

const out = fs.mkdtempSync(path.join(os.tmpdir(), 'bulletin-44-'));
let pages: PdfPageText[];

beforeAll(async () => {
  const result = await build({ issue: '44', cwd: REPO, out });
  expect(result.files.map((f) => path.basename(f.path))).toEqual(['bulletin-44.pdf', 'bulletin-44-print.pdf']);
  pages = await readPdfText(fs.readFileSync(path.join(out, 'bulletin-44.pdf')));
}, 180_000);
afterAll(() => fs.rmSync(out, { recursive: true, force: true }));

describe('issue 44', () => {
  it('holds every Han character of the printed issue at least as often', () => {
    const pdf = hanCounts(pages.map((p) => p.text).join('\n'));
    const missing: string[] = [];
    for (const [ch, n] of hanCounts(seedContent())) {
      const got = pdf.get(ch) ?? 0;
      if (got < n) missing.push(`${ch} ${got}/${n}`);
    }
    expect(missing).toEqual([]);
  });

  it('prints every article title', () => {
    const model = buildModel(loadIssue('44', REPO));
    const all = pages.map((p) => p.text.replace(/\s+/g, '')).join('');
    const titles = model.sections.flatMap((s) => s.articles.map((a) => a.title));
    expect(titles).toHaveLength(27);
    for (const t of titles) expect(all, t).toContain(t.replace(/\s+/g, ''));
  });

  it('carries the site URL in the footer of every page', () => {
    pages.forEach((p, i) => expect(p.text, `page ${i + 1}`).toContain('http://www.zasto.org.cn'));
  });
});
