/**
 * Pixels are worked on in a process of their own (src/assets/image-worker.ts):
 * started at a build's first picture to read or make, with one malloc arena,
 * never for a build whose pictures all come from the cache, and ended with
 * the command, however the command ends.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { imageWorkerUsage } from '../src/assets/image-client.js';
import { build } from '../src/build.js';
import { REPO } from './helpers.js';

const BIN = path.join(REPO, 'bin', 'bulletin.js');
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'bulletin-worker-'));
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

/** The processes whose parent is `pid`. */
function children(pid: number): number[] {
  const tasks = fs.readdirSync(`/proc/${pid}/task`);
  const of = (t: string) => {
    try {
      return fs.readFileSync(`/proc/${pid}/task/${t}/children`, 'utf8');
    } catch {
      return '';
    }
  };
  return tasks.flatMap((t) => of(t).trim().split(/\s+/).filter(Boolean).map(Number));
}

/** Still running (a zombie, ended but not yet waited for, is not). */
function alive(pid: number): boolean {
  try {
    return !/^State:\s+Z/m.test(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
  } catch {
    return false;
  }
}

const onLinux = process.platform === 'linux';

/** `bulletin build 44` into an empty `out`, and its image worker once it is there. A cold build takes seconds. */
async function coldBuild(out: string): Promise<{ cli: ReturnType<typeof spawn>; worker: number }> {
  const cli = spawn(process.execPath, [BIN, 'build', '44', '--out', out, '--quiet'], { cwd: REPO, stdio: 'ignore' });
  let worker: number | undefined;
  // Its command line, once it has one (a process just forked reads as empty for a moment).
  const command = (pid: number) => {
    try {
      return fs.readFileSync(`/proc/${pid}/cmdline`, 'latin1');
    } catch {
      return '';
    }
  };
  for (let waited = 0; worker === undefined && waited < 10_000; waited += 50) {
    await new Promise((r) => setTimeout(r, 50));
    worker = children(cli.pid!).find((pid) => command(pid).includes('image-worker.js'));
  }
  if (worker === undefined) throw new Error('no image worker within 10 s');
  return { cli, worker };
}

describe('the image worker', () => {
  it.runIf(onLinux)('works on a cold build\'s pictures in a process of its own, with one malloc arena', async () => {
    const { cli, worker } = await coldBuild(path.join(work, 'cold'));
    expect(fs.readFileSync(`/proc/${worker}/environ`, 'latin1').split('\0')).toContain('MALLOC_ARENA_MAX=1');
    const code = await new Promise<number | null>((r) => cli.once('exit', r));
    expect(code).toBe(0);
    expect(alive(worker)).toBe(false);
  }, 60_000);

  it('is not started by a build whose pictures all come from the cache', async () => {
    const out = path.join(work, 'warm');
    const cold = await build({ issue: '44', cwd: REPO, out });
    expect(cold.images.made).toBeGreaterThan(0);
    const { starts } = imageWorkerUsage();
    expect(starts).toBeGreaterThan(0);
    const warm = await build({ issue: '44', cwd: REPO, out });
    expect(warm.images.made).toBe(0);
    expect(imageWorkerUsage().starts).toBe(starts);
  }, 120_000);

  it.runIf(onLinux)('ends when the command is killed outright, and no PDF appears', async () => {
    const out = path.join(work, 'killed');
    const { cli, worker } = await coldBuild(out);
    cli.kill('SIGKILL');
    for (let waited = 0; alive(worker) && waited < 5000; waited += 50) await new Promise((r) => setTimeout(r, 50));
    expect(alive(worker)).toBe(false);
    // Long after a build would have finished: no PDF appeared.
    await new Promise((r) => setTimeout(r, 3000));
    expect(fs.existsSync(path.join(out, 'bulletin-44.pdf'))).toBe(false);
  }, 30_000);
});
