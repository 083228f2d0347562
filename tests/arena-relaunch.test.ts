import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { arenaEnvironment } from '../src/arena-relaunch.js';
import { recordPictures } from '../src/issue/image-stamps.js';
import { REPO } from './helpers.js';

const BIN = path.join(REPO, 'bin', 'bulletin.js');
const onGlibc = process.platform === 'linux' && typeof (process.report.getReport() as { header?: { glibcVersionRuntime?: string } }).header?.glibcVersionRuntime === 'string';
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'bulletin-arena-'));
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

/** The processes whose parent is `pid` (Linux). */
function children(pid: number): number[] {
  const tasks = fs.readdirSync(`/proc/${pid}/task`);
  const of = (t: string) => {
    try {
      return fs.readFileSync(`/proc/${pid}/task/${t}/children`, 'utf8');
    } catch {
      return ''; // a thread that ended meanwhile
    }
  };
  return tasks.flatMap((t) => of(t).trim().split(/\s+/).filter(Boolean).map(Number));
}

/** Whether `pid` runs (a zombie, ended but not yet reaped, does not). */
/** `bulletin build 44` into an empty `out`, and its relaunched child once it is there. A cold build takes seconds: long enough to look at it and stop it. */
async function coldBuild(out: string): Promise<{ cli: ReturnType<typeof spawn>; builder: number }> {
  const cli = spawn(process.execPath, [BIN, 'build', '44', '--out', out, '--quiet'], { cwd: REPO, stdio: 'ignore' });
  let builder: number | undefined;
  for (let waited = 0; builder === undefined && waited < 5000; waited += 50) {
    await new Promise((r) => setTimeout(r, 50));
    builder = children(cli.pid!)[0];
  }
  if (builder === undefined) throw new Error('no relaunched child within 5 s');
  return { cli, builder };
}

function alive(pid: number): boolean {
  try {
    return !/^State:\s+Z/m.test(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
  } catch {
    return false;
  }
}

describe('a build on glibc runs with one malloc arena', () => {
  it.runIf(onGlibc)('asks for one arena for a build that will prepare pictures, and only for one', () => {
    const cwd = path.join(work, 'project');
    const issue = path.join(cwd, 'issues', '5');
    fs.mkdirSync(path.join(issue, 'images'), { recursive: true });
    fs.writeFileSync(path.join(issue, 'issue.yaml'), 'number: 5\n');
    const photo = path.join(issue, 'images', 'a.jpg');
    fs.writeFileSync(photo, 'a photo');
    const argv = (...a: string[]) => ['node', 'bulletin', ...a];
    const arena = (a: string[], env: NodeJS.ProcessEnv = {}) => arenaEnvironment(argv(...a), env, cwd);
    // Nothing recorded in the output folder yet: pictures to prepare.
    expect(arena(['build', '5'])?.MALLOC_ARENA_MAX).toBe('1');
    expect(arena(['build', '5', '--profile', 'print'], { HOME: '/h' })).toEqual({ HOME: '/h', MALLOC_ARENA_MAX: '1' });
    // Watching lives long on its caches; the user's own setting stands; other commands stay here.
    expect(arena(['build', '5', '--watch'])).toBeUndefined();
    expect(arena(['build', '5'], { MALLOC_ARENA_MAX: '4' })).toBeUndefined();
    expect(arena(['check', '5'])).toBeUndefined();
    expect(arena(['--version'])).toBeUndefined();
    // The last build into out/ prepared these pictures: none to prepare, whichever way the folders are named.
    recordPictures(issue, path.join(cwd, 'out'), ['screen']);
    expect(arena(['build', '5'])?.MALLOC_ARENA_MAX).toBe('1');
    expect(arena(['build', '5', '--profile', 'screen'])).toBeUndefined();
    recordPictures(issue, path.join(cwd, 'out'), ['print']);
    expect(arena(['build', '5'])).toBeUndefined();
    expect(arena(['build', '--quiet', 'issues/5', '--out=out'])).toBeUndefined();
    expect(arena(['build', '5', '--out', 'elsewhere'])?.MALLOC_ARENA_MAX).toBe('1');
    // A picture added or changed: pictures to prepare.
    fs.writeFileSync(path.join(issue, 'images', 'b.png'), 'another');
    expect(arena(['build', '5'])?.MALLOC_ARENA_MAX).toBe('1');
    recordPictures(issue, path.join(cwd, 'out'), ['screen', 'print']);
    expect(arena(['build', '5'])).toBeUndefined();
    fs.appendFileSync(photo, ', retouched');
    expect(arena(['build', '5'])?.MALLOC_ARENA_MAX).toBe('1');
  });

  it.runIf(onGlibc)('builds in a child that has the setting, and a signal to the command ends the child too, with nothing written', async () => {
    const out = path.join(work, 'out');
    const { cli, builder } = await coldBuild(out);
    const environ = fs.readFileSync(`/proc/${builder}/environ`, 'latin1').split('\0');
    expect(environ).toContain('MALLOC_ARENA_MAX=1');
    const ended = new Promise<NodeJS.Signals | null>((r) => cli.once('exit', (_code, signal) => r(signal)));
    cli.kill('SIGTERM');
    expect(await ended).toBe('SIGTERM');
    for (let waited = 0; alive(builder) && waited < 2000; waited += 50) await new Promise((r) => setTimeout(r, 50));
    expect(alive(builder)).toBe(false);
    expect(fs.existsSync(path.join(out, 'bulletin-44.pdf'))).toBe(false);
  });

  it.runIf(onGlibc)('ends the child when the command is killed outright, with nothing written', async () => {
    const out = path.join(work, 'out-killed');
    const { cli, builder } = await coldBuild(out);
    cli.kill('SIGKILL');
    // The child hears of it between two steps of its work (layout runs for most of a second at a time).
    for (let waited = 0; alive(builder) && waited < 5000; waited += 50) await new Promise((r) => setTimeout(r, 50));
    expect(alive(builder)).toBe(false);
    // Long after a build would have finished: no PDF appeared.
    await new Promise((r) => setTimeout(r, 4000));
    expect(fs.existsSync(path.join(out, 'bulletin-44.pdf'))).toBe(false);
  }, 20_000);
});
