/**
 * The machine's faults are told like the input's: a full disk or a
 * read-only folder ends a build with exit 1 and one line naming the folder,
 * never an internal error, and leaves the earlier PDFs and no temporary
 * files; a cache that cannot be written costs a warning, never the PDFs.
 * Real small disks: tmpfs mounts, which need root (as CI runs); elsewhere
 * these tests say so and are skipped.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MANIFEST_7, REPO } from './helpers.js';

const work = fs.mkdtempSync(path.join(os.tmpdir(), 'bulletin-disk-'));
const mounted: string[] = [];

/** A tmpfs of `bytes` at a new folder `name` (read-only with `ro`), or undefined when this machine lets us mount none. */
function smallDisk(name: string, bytes: number): string | undefined {
  const dir = path.join(work, name);
  fs.mkdirSync(dir, { recursive: true });
  const r = spawnSync('mount', ['-t', 'tmpfs', '-o', `size=${bytes}`, 'tmpfs', dir], { encoding: 'utf8' });
  if (r.status !== 0) return undefined;
  mounted.push(dir);
  return dir;
}

const readOnly = (dir: string) => expect(spawnSync('mount', ['-o', 'remount,ro', dir]).status).toBe(0);

const canMount = (() => {
  const probe = smallDisk('probe', 65536);
  if (!probe) console.log('disk-faults: cannot mount a tmpfs here (not root?): the full-disk and read-only tests are skipped');
  return probe !== undefined;
})();

afterAll(() => {
  for (const dir of mounted.reverse()) spawnSync('umount', [dir]);
  fs.rmSync(work, { recursive: true, force: true });
});

function bulletin(out: string) {
  return spawnSync(process.execPath, [path.join(REPO, 'bin', 'bulletin.js'), 'build', '7', '--no-system-fonts', '--out', out, '--quiet'], { cwd: work, encoding: 'utf8' });
}

const PDFS = ['bulletin-7.pdf', 'bulletin-7-print.pdf'];
const sizeOf = (dir: string): number => fs.readdirSync(dir, { recursive: true, encoding: 'utf8' }).reduce((n, f) => n + (fs.statSync(path.join(dir, f)).isFile() ? fs.statSync(path.join(dir, f)).size : 0), 0);
const temporaries = (dir: string) => fs.readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.tmp'));

describe.skipIf(!canMount)('a build on a faulty disk', () => {
  const reference = path.join(work, 'reference');
  let pdfBytes = 0;
  beforeAll(() => {
    const issue = path.join(work, 'issues', '7');
    fs.mkdirSync(path.join(issue, 'articles'), { recursive: true });
    fs.mkdirSync(path.join(issue, 'images'));
    fs.writeFileSync(path.join(issue, 'issue.yaml'), MANIFEST_7);
    fs.writeFileSync(path.join(issue, 'articles', 'a.md'), '# 标题\n\n第一段：双方交流，全生态周期服务。\n\n![港口](images/harbour.jpg)\n');
    fs.copyFileSync(path.join(REPO, 'tests', 'stress', 'issue', 'images', 'harbour.jpg'), path.join(issue, 'images', 'harbour.jpg'));
    const r = bulletin(reference);
    expect(r.status, r.stderr).toBe(0);
    pdfBytes = PDFS.reduce((n, f) => n + fs.statSync(path.join(reference, f)).size, 0);
    // The cases below rely on the cache being larger than the slack they give.
    expect(sizeOf(path.join(reference, '.cache'))).toBeGreaterThan(256 * 1024);
  }, 60_000);

  it('says the disk is full in one line, exit 1, the earlier PDF kept and no temporary file left', () => {
    const out = smallDisk('full', Math.floor(pdfBytes / 2))!;
    fs.writeFileSync(path.join(out, 'bulletin-7.pdf'), 'the earlier PDF');
    const r = bulletin(out);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/^bulletin: full\/: the disk is full \(needed about \d+ MB\)\n$/);
    expect(fs.readFileSync(path.join(out, 'bulletin-7.pdf'), 'utf8')).toBe('the earlier PDF');
    expect(temporaries(out)).toEqual([]);
  }, 60_000);

  it('writes the PDFs when only the cache does not fit, with a warning', () => {
    // Room for the PDFs, their temporary copies never both at once, and a little: not for the cache.
    const out = smallDisk('room-for-pdfs', pdfBytes + 128 * 1024)!;
    const r = bulletin(out);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/warning: room-for-pdfs\/\.cache\/\w+\/: the cache could not be kept: the disk is full \(needed about \d+ MB\); the PDFs are written, the next build will take longer\n$/);
    for (const f of PDFS) expect(fs.readFileSync(path.join(out, f)).equals(fs.readFileSync(path.join(reference, f))), f).toBe(true);
    expect(temporaries(out)).toEqual([]);
  }, 60_000);

  it('says a read-only output folder is read-only, exit 1, the earlier PDF kept', () => {
    const out = smallDisk('read-only', 1024 * 1024)!;
    fs.writeFileSync(path.join(out, 'bulletin-7.pdf'), 'the earlier PDF');
    readOnly(out);
    const r = bulletin(out);
    expect(r.status).toBe(1);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/^bulletin: .*read-only.*\n$/);
    expect(fs.readFileSync(path.join(out, 'bulletin-7.pdf'), 'utf8')).toBe('the earlier PDF');
  }, 60_000);

  it('builds with a read-only cache, from what it holds', () => {
    const out = path.join(work, 'read-only-cache');
    fs.cpSync(reference, out, { recursive: true });
    const cache = smallDisk(path.join('read-only-cache', '.cache'), 8 * 1024 * 1024)!;
    fs.cpSync(path.join(reference, '.cache'), cache, { recursive: true });
    readOnly(cache);
    fs.rmSync(path.join(out, 'bulletin-7.pdf'));
    const r = bulletin(out);
    expect(r.status, r.stderr).toBe(0);
    for (const f of PDFS) expect(fs.readFileSync(path.join(out, f)).equals(fs.readFileSync(path.join(reference, f))), f).toBe(true);
  }, 60_000);
});
