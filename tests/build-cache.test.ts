/**
 * What a build leaves in out/.cache for the next one makes it faster, never
 * different: every kind of cache file, damaged in every way, gives the bytes
 * a build without a cache gives, and is made again; inputs changed behind
 * the cache's back (a picture become a link outside the folder, another
 * --font-path) are seen. Tested across fresh processes, as a designer
 * rebuilds.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MANIFEST_7, REPO } from './helpers.js';

const work = fs.mkdtempSync(path.join(os.tmpdir(), 'bulletin-cache-'));
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

const issue = path.join(work, 'issues', '7');
const fontsA = path.join(work, 'fonts-a');
const fontsB = path.join(work, 'fonts-b');

interface Run {
  status: number | null;
  stderr: string;
}

/** `bulletin build 7` (or another issue) in a fresh process. */
function bulletin(out: string, ...extra: string[]): Promise<Run> {
  return buildIssue('7', out, ...extra);
}

function buildIssue(number: string, out: string, ...extra: string[]): Promise<Run> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [path.join(REPO, 'bin', 'bulletin.js'), 'build', number, '--no-system-fonts', '--out', out, '--quiet', ...extra], { cwd: work });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += String(d)));
    child.on('close', (status) => resolve({ status, stderr }));
  });
}

const pdfs = (out: string) => ['bulletin-7.pdf', 'bulletin-7-print.pdf'].map((f) => fs.readFileSync(path.join(out, f)));

/** `jobs` two at a time (the machine has two cores). */
async function twoAtATime<T>(jobs: (() => Promise<T>)[]): Promise<T[]> {
  const results: T[] = [];
  let next = 0;
  await Promise.all(
    [0, 1].map(async () => {
      while (next < jobs.length) {
        const i = next++;
        results[i] = await jobs[i]();
      }
    }),
  );
  return results;
}

/** The ways a cache file gets damaged: on a full disk, by a bad sector, by a stray tool, by a person. */
const DAMAGE: Record<string, (b: Buffer) => Buffer> = {
  truncated: (b) => b.subarray(0, Math.floor(b.length / 2)),
  'one bit flipped': (b) => {
    const c = Buffer.from(b);
    c[Math.floor(c.length * 0.7)] ^= 0x10;
    return c;
  },
  'random bytes': (b) => {
    let seed = b.length;
    return Buffer.from(Array.from(b, () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) >> 16) & 0xff));
  },
  'one digit changed': (b) => {
    const c = Buffer.from(b);
    // The last ASCII digit of the value (the header's digests are binary): a size, a count, a code.
    let i = c.length - 1;
    while (i > 81 && !(c[i] >= 0x30 && c[i] <= 0x39)) i--;
    c[i] = c[i] === 0x37 ? 0x38 : 0x37;
    return c;
  },
};

/** One file of each kind the cache holds, relative to the output folder. */
function cacheFiles(out: string): Record<string, string> {
  const images = fs.readdirSync(path.join(out, '.cache', 'images'));
  const subsets = fs.readdirSync(path.join(out, '.cache', 'subsets'));
  const one = (list: string[], re: RegExp) => {
    const f = list.find((n) => re.test(n));
    if (!f) throw new Error(`no cache file ${re}`);
    return f;
  };
  return {
    'parsed articles': '.cache/articles.bin',
    'composed paragraphs': '.cache/compositions.bin',
    'image info': `.cache/images/${one(images, /-info-/)}`,
    'screen picture': `.cache/images/${one(images, /-rgb\.jpg$/)}`,
    'print picture': `.cache/images/${one(images, /-cmyk-.*\.jpg$/)}`,
    'font subset': `.cache/subsets/${subsets[0]}`,
  };
}

/** Another font with the same characters: the same one with its head table's modification time changed (its subsets differ). */
function modifiedLater(font: Buffer): Buffer {
  const copy = Buffer.from(font);
  for (let i = 0; i < copy.readUInt16BE(4); i++) {
    const record = 12 + 16 * i;
    if (copy.toString('latin1', record, record + 4) !== 'head') continue;
    const modified = copy.readUInt32BE(record + 8) + 28;
    copy.writeUInt32BE(copy.readUInt32BE(modified + 4) + 86400, modified + 4);
    return copy;
  }
  throw new Error('no head table');
}

const reference = path.join(work, 'reference');
const warm = path.join(work, 'warm');

beforeAll(async () => {
  fs.mkdirSync(path.join(issue, 'articles'), { recursive: true });
  fs.mkdirSync(path.join(issue, 'images'));
  fs.writeFileSync(path.join(issue, 'issue.yaml'), MANIFEST_7);
  // A paragraph and a table cell in the fallback font (their lines and widths are cached with the font's answers), and a photo.
  fs.writeFileSync(
    path.join(issue, 'articles', 'a.md'),
    '# 标题\n\n第一段：𠮷田先生来访，全生态周期服务。\n\n第二段：双方交流。\n\n![港口](images/harbour.jpg)\n\n| 来宾 | 单位 |\n|---|---|\n| 𡈽山先生 | 珠海市服务外包协会 |\n',
  );
  fs.copyFileSync(path.join(REPO, 'tests', 'stress', 'issue', 'images', 'harbour.jpg'), path.join(issue, 'images', 'harbour.jpg'));
  const font = fs.readFileSync(path.join(REPO, 'tests', 'stress', 'fonts', 'BulletinTestExtB.ttf'));
  fs.mkdirSync(fontsA);
  fs.mkdirSync(fontsB);
  fs.writeFileSync(path.join(fontsA, 'extb.ttf'), font);
  fs.writeFileSync(path.join(fontsB, 'other-extb.ttf'), modifiedLater(font));
  const [a, b] = await Promise.all([bulletin(reference, '--font-path', fontsA), bulletin(warm, '--font-path', fontsA)]);
  expect(a.status, a.stderr).toBe(0);
  expect(b.status, b.stderr).toBe(0);
}, 60_000);

describe('the cache', () => {
  it('rebuilds from the cache to the same bytes, refusing nothing and writing nothing again', async () => {
    const before = fs.statSync(path.join(warm, '.cache', 'compositions.bin')).mtimeMs;
    const again = await bulletin(warm, '--font-path', fontsA, '--debug');
    expect(again.status, again.stderr).toBe(0);
    expect(again.stderr).not.toMatch(/cache:/);
    expect(pdfs(warm)).toEqual(pdfs(reference));
    expect(fs.statSync(path.join(warm, '.cache', 'compositions.bin')).mtimeMs).toBe(before);
  }, 30_000);

  it('gives the same bytes as no cache when any cache file is damaged in any way, and makes it again', async () => {
    const files = cacheFiles(warm);
    const cases = Object.entries(files).flatMap(([kind, file]) => Object.entries(DAMAGE).map(([way, damage]) => ({ kind, file, way, damage })));
    expect(cases.length).toBe(24);
    const results = await twoAtATime(
      cases.map((c, i) => async () => {
        const out = path.join(work, `damaged-${i}`);
        fs.cpSync(warm, out, { recursive: true });
        const target = path.join(out, c.file);
        const damaged = c.damage(fs.readFileSync(target));
        fs.writeFileSync(target, damaged);
        const run = await bulletin(out, '--font-path', fontsA, '--debug');
        const result = { ...c, run, same: run.status === 0 && pdfs(out).every((p, k) => p.equals(pdfs(reference)[k])), rewritten: !fs.readFileSync(target).equals(damaged) };
        fs.rmSync(out, { recursive: true, force: true });
        return result;
      }),
    );
    for (const r of results) {
      const what = `${r.kind} (${r.file}), ${r.way}: ${r.run.stderr}`;
      expect(r.run.status, what).toBe(0);
      expect(r.same, what).toBe(true);
      expect(r.rewritten, what).toBe(true);
      expect(r.run.stderr, what).toMatch(new RegExp(`note: cache: .*${path.basename(r.file).replace(/\./g, '\\.')}: .*; made again`));
    }
  }, 240_000);

  it('sets a character from the font a changed --font-path names, as a build without a cache does', async () => {
    const out = path.join(work, 'font-path');
    fs.cpSync(warm, out, { recursive: true });
    const cold = path.join(work, 'font-path-cold');
    const [run, coldRun] = await Promise.all([bulletin(out, '--font-path', fontsB), bulletin(cold, '--font-path', fontsB)]);
    expect(run.status, run.stderr).toBe(0);
    expect(run.stderr).toMatch(/other-extb\.ttf: set 𠮷 𡈽/);
    expect(coldRun.stderr).toBe(run.stderr);
    expect(pdfs(out)).toEqual(pdfs(cold));
    expect(pdfs(out)[0].equals(pdfs(reference)[0])).toBe(false);
  }, 60_000);

  it('refuses a picture replaced by a link outside the folder, warm or cold', async () => {
    const copy = path.join(work, 'issues', '8');
    fs.cpSync(issue, copy, { recursive: true });
    fs.writeFileSync(path.join(copy, 'issue.yaml'), MANIFEST_7.replace('number: 7', 'number: 8'));
    const out = path.join(work, 'link');
    const run8 = (o: string) => buildIssue('8', o);
    expect((await run8(out)).status).toBe(0);
    const picture = path.join(copy, 'images', 'harbour.jpg');
    const outside = path.join(work, 'outside.jpg');
    fs.renameSync(picture, outside);
    fs.symlinkSync(outside, picture);
    for (const o of [out, path.join(work, 'link-cold')]) {
      const r = await run8(o);
      expect(r.status, r.stderr).toBe(1);
      expect(r.stderr).toMatch(/a\.md:\d+:\d+: .*images\/harbour\.jpg is a link to a file outside the folder 8\//);
    }
  }, 60_000);

  it('removes the temporary files of builds that were killed, and of none that run', async () => {
    const out = path.join(work, 'leftovers');
    fs.cpSync(warm, out, { recursive: true });
    // A process id no process has (Linux's pid_max is at most 4194304).
    const dead = [path.join(out, 'bulletin-7-print.pdf.99999999.tmp'), path.join(out, '.cache', 'images', 'x.jpg.99999999.tmp'), path.join(out, '.cache', 'subsets', 'y.bin.99999999.tmp')];
    const alive = path.join(out, `bulletin-7.pdf.${process.pid}.tmp`);
    for (const f of [...dead, alive]) fs.writeFileSync(f, 'half a file');
    const r = await bulletin(out, '--font-path', fontsA);
    expect(r.status, r.stderr).toBe(0);
    for (const f of dead) expect(fs.existsSync(f), f).toBe(false);
    expect(fs.existsSync(alive)).toBe(true);
  }, 30_000);
});
