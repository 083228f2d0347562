/**
 * On Linux with glibc, a `bulletin build` that will prepare pictures runs in
 * a child process whose malloc has one arena. glibc gives every thread that
 * allocates an arena of its own (up to eight per core) and keeps what is
 * freed in it; a cold build's image work spreads over twenty-odd libvips and
 * libuv threads, so issue 44's cold build peaks near 450 MB against about
 * 260 MB with one arena, at the same speed. The allocator reads
 * MALLOC_ARENA_MAX only when a process starts, hence the child. A build of
 * a folder whose pictures are as the last build recorded them runs no image
 * threads: it stays in this process and spares a Node start. This module is
 * loaded before anything heavy: the parent only waits and passes signals on.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { issueFolder } from './issue/folder.js';
import { picturesAsRecorded } from './issue/image-stamps.js';

/** glibc's setting, also honoured when the user has set it (then nothing is relaunched). */
const ARENA_VARIABLE = 'MALLOC_ARENA_MAX';

/** Whether this process's C library is glibc (musl, macOS and Windows have no such arenas). */
function glibc(): boolean {
  if (process.platform !== 'linux') return false;
  const report = process.report.getReport() as { header?: { glibcVersionRuntime?: string } };
  return typeof report.header?.glibcVersionRuntime === 'string';
}

/** `build`'s options that take a value (the others are flags): enough to find its issue and output folder. */
const VALUED = new Set(['--profile', '--impose', '--out', '--font-path']);

/** The issue, output folder and editions of `bulletin build` arguments, or undefined when they cannot be told. */
function buildTarget(args: readonly string[]): { issue: string; out: string; editions: string[] } | undefined {
  let issue: string | undefined;
  let out = 'out';
  // A booklet is imposed from the print edition's pages.
  let editions = ['screen', 'print'];
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    const [name, value] = a.startsWith('--') && a.includes('=') ? [a.slice(0, a.indexOf('=')), a.slice(a.indexOf('=') + 1)] : [a, undefined];
    if (VALUED.has(name)) {
      const v = value ?? args[++i];
      if (v === undefined) return undefined;
      if (name === '--out') out = v;
      if (name === '--profile') editions = [v];
    } else if (!a.startsWith('-')) {
      if (issue !== undefined) return undefined;
      issue = a;
    }
  }
  return issue === undefined ? undefined : { issue, out, editions };
}

/**
 * The environment a build should run with for one arena, or undefined when
 * it already does, the platform has no arenas, or it will prepare no
 * pictures (its folder's are as its output folder's last build recorded).
 * `--watch` is left alone: a watching process lives long and rebuilds from
 * its caches.
 */
export function arenaEnvironment(argv: readonly string[], env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): NodeJS.ProcessEnv | undefined {
  const building = argv[2] === 'build' && !argv.includes('--watch');
  if (!building || env[ARENA_VARIABLE] !== undefined || !glibc()) return undefined;
  const target = buildTarget(argv.slice(3));
  if (target && picturesAsRecorded(issueFolder(target.issue, cwd).dir, path.resolve(cwd, target.out), target.editions)) return undefined;
  return { ...env, [ARENA_VARIABLE]: '1' };
}

const FORWARDED = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

/** Names the parent's process id in a relaunched child's environment. */
const PARENT_VARIABLE = 'BULLETIN_RELAUNCHED_BY';

/**
 * In a relaunched child: end when the parent ends, whatever ends it (a
 * SIGKILL passes nothing on), so that no orphan goes on to replace the PDFs
 * after the shell has seen the command end; a killed build's temporary files
 * are removed by the next build. An orphan is given another parent, so the
 * child looks at its parent's id now and every 200 ms (a pipe to the parent
 * was no use: a child started just as its parent died had none).
 */
export function endWithParent(): void {
  const parent = Number(process.env[PARENT_VARIABLE]);
  if (!parent) return;
  const look = () => {
    if (process.ppid !== parent) process.kill(process.pid, 'SIGKILL');
  };
  look();
  setInterval(look, 200).unref();
}

/**
 * Runs this command again in a child with one malloc arena and returns its
 * exit code, or undefined when no child is needed. A signal sent to this
 * process goes on to the child; a child ended by a signal ends this process
 * by the same signal, so a caller sees what it would have seen.
 */
export async function relaunchWithOneArena(argv: readonly string[]): Promise<number | undefined> {
  const env = arenaEnvironment(argv);
  // Under a debugger the build stays in the process being debugged.
  if (!env || process.execArgv.some((a) => a.startsWith('--inspect'))) return undefined;
  // The child ends when this process does, however it ends (endWithParent).
  const child = spawn(process.execPath, [...process.execArgv, ...argv.slice(1)], { stdio: 'inherit', env: { ...env, [PARENT_VARIABLE]: String(process.pid) } });
  const forward = (signal: NodeJS.Signals) => child.kill(signal);
  for (const s of FORWARDED) process.on(s, forward);
  const ended = await new Promise<[number | null, NodeJS.Signals | null] | undefined>((resolve) => {
    // No child could be started (no processes left, say): the command runs here after all.
    child.once('error', () => resolve(undefined));
    child.once('exit', (c, s) => resolve([c, s]));
  });
  for (const s of FORWARDED) process.off(s, forward);
  if (!ended) return undefined;
  const [code, signal] = ended;
  if (signal) process.kill(process.pid, signal);
  return code ?? 1;
}
