/**
 * What a build leaves in out/.cache for the next one (parsed articles,
 * composed paragraphs, font subsets) is used only while it is still true: tested across fresh
 * processes, as a designer rebuilds.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import v8 from 'node:v8';
import { afterAll, expect, it } from 'vitest';
import { MANIFEST_7, REPO } from './helpers.js';
import { readPdfText } from './pdf-text.js';

const work = fs.mkdtempSync(path.join(os.tmpdir(), 'bulletin-cache-'));
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

it('rebuilds from the cache to the same bytes, uses it, and drops it when a font file changes', async () => {
  const issue = path.join(work, 'issues', '7');
  fs.mkdirSync(path.join(issue, 'articles'), { recursive: true });
  fs.writeFileSync(path.join(issue, 'issue.yaml'), MANIFEST_7);
  // The table's columns are measured (and cached) too, one cell in the fallback font.
  fs.writeFileSync(path.join(issue, 'articles', 'a.md'), '# 标题\n\n第一段：𠮷田先生来访。\n\n第二段：双方交流。\n\n| 来宾 | 单位 |\n|---|---|\n| 𡈽山先生 | 珠海市服务外包协会 |\n');
  const fonts = path.join(work, 'fonts');
  fs.mkdirSync(fonts);
  const font = path.join(fonts, 'extb.ttf');
  fs.copyFileSync(path.join(REPO, 'tests', 'stress', 'fonts', 'BulletinTestExtB.ttf'), font);
  const out = path.join(work, 'out');
  const build = () => {
    const r = spawnSync(process.execPath, [path.join(REPO, 'bin', 'bulletin.js'), 'build', '7', '--profile', 'screen', '--font-path', fonts, '--no-system-fonts', '--out', out, '--quiet'], { cwd: work, encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
    return { pdf: fs.readFileSync(path.join(out, 'bulletin-7.pdf')), notes: r.stderr };
  };
  const text = async (pdf: Buffer) => (await readPdfText(pdf)).map((p) => p.text).join('');

  const first = build();
  const second = build();
  expect(second.pdf.equals(first.pdf)).toBe(true);
  expect(second.notes).toBe(first.notes);
  expect(second.notes).toMatch(/extb\.ttf: set 𠮷 𡈽/);

  // Swap the two paragraphs' composed lines in the cache: the next build prints what the cache says.
  const cache = path.join(out, '.cache', 'compositions.bin');
  const saved = v8.deserialize(fs.readFileSync(cache)) as { entries: [string, unknown, unknown][] };
  const one = saved.entries.find(([key]) => key.includes('第一段'))!;
  const two = saved.entries.find(([key]) => key.includes('第二段'))!;
  [one[1], two[1]] = [two[1], one[1]];
  fs.writeFileSync(cache, v8.serialize(saved));
  expect(await text(build().pdf)).toMatch(/第二段.*第一段/);

  // The parsed article comes from the cache too: a title changed there prints.
  const articles = path.join(out, '.cache', 'articles.bin');
  const parsed = v8.deserialize(fs.readFileSync(articles)) as { entries: [string, { article: { title: string } }][] };
  parsed.entries[0][1].article.title = '缓存里的标题';
  fs.writeFileSync(articles, v8.serialize(parsed));
  expect(await text(build().pdf)).toMatch(/缓存里的标题/);
  // The article's text changed: it is parsed again.
  fs.appendFileSync(path.join(issue, 'articles', 'a.md'), '\n第三段。\n');
  const edited = await text(build().pdf);
  expect(edited).not.toMatch(/缓存里的标题/);
  expect(edited).toMatch(/第三段/);
  // ... and kept so, under the article's same key, for the build after.
  const reparsed = v8.deserialize(fs.readFileSync(articles)) as { entries: [string, { source: string }][] };
  expect(reparsed.entries[0][1].source).toContain('第三段');

  // A font the lines use has changed: the cache is not trusted, and the paragraphs come back in order.
  const later = new Date(Date.now() + 10_000);
  fs.utimesSync(font, later, later);
  expect(await text(build().pdf)).toMatch(/第一段.*第二段/);
}, 60_000);
