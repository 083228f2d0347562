/**
 * `bulletin build --watch`: build, then build again whenever a file of the
 * issue folder or its template changes. The process keeps what it has
 * parsed (fonts) and the image cache on disk keeps what it has prepared; an
 * edit that breaks the issue prints its one line and leaves the last good
 * PDFs in place. A status line after each build says when and how long.
 */
import fs from 'node:fs';
import path from 'node:path';
import { build, keepForNextProcess, type BuildOptions, type BuildResult } from './build.js';
import { UserError } from './source/errors.js';
import { findIssueDir } from './issue/load.js';

export interface WatchReport {
  /** a build begins */
  started?(): void;
  built(result: BuildResult, ms: number): void;
  failed(error: UserError, ms: number): void;
  /** anything unexpected, or a watcher that cannot watch any more (a UserError): watching stops */
  crashed(error: unknown): void;
}

/**
 * Edits come in bursts (an editor saves, renames, touches): wait this long
 * for quiet. An editor's burst takes a few milliseconds; a build started
 * inside one reads what the files hold then, and the burst's last event
 * starts another.
 */
const SETTLE_MS = 30;
/**
 * What a rebuild parsed and composed is written for the next process only
 * after this much quiet (or when watching stops): writing it took 24 ms of
 * each 250 ms rebuild of issue 44.
 */
const KEEP_AFTER_MS = 2000;

export async function watchBuild(options: BuildOptions, report: WatchReport, signal?: AbortSignal): Promise<void> {
  const cwd = options.cwd ?? process.cwd();
  const out = path.resolve(cwd, options.out ?? 'out');
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;
  let again = false;
  /** set while a good build's caches are unwritten */
  let keepTimer: NodeJS.Timeout | undefined;
  const keep = () => {
    keepTimer = undefined;
    keepForNextProcess(out);
  };

  // chokidar watches each folder and file on its own and follows a file replaced by a rename (how vim,
  // JetBrains IDEs and many editors save): Node's recursive fs.watch kept watching the replaced file on
  // Linux and heard no later save.
  const { watch: chokidarWatch } = await import('chokidar');
  const issueDir = findIssueDir(options.issue, cwd).dir;
  const folders = new Set([issueDir]);
  // The output folder may lie inside a watched one: its own writes are no edit.
  const isOutput = (file: string) => file === out || file.startsWith(out + path.sep);
  const watcher = chokidarWatch(issueDir, { ignoreInitial: true, ignored: isOutput });
  const watch = (dir: string) => {
    if (folders.has(dir) || !fs.existsSync(dir)) return;
    folders.add(dir);
    watcher.add(dir);
  };
  // Any event — a save in place, a rename over, a delete and re-create, a truncate then a write, a
  // burst of them — starts one build once the files have been quiet for SETTLE_MS, from what they hold then.
  const edited = () => {
    clearTimeout(timer);
    timer = setTimeout(rebuild, SETTLE_MS);
  };
  watcher.on('all', edited);
  // chokidar drops a file's change that comes within 50 ms of its last one: a save that follows a
  // build's start so closely would go unheard. The file system's own events, which it passes on
  // unthrottled, start the timer too.
  watcher.on('raw', (_event, name, details) => {
    const at = (details as { watchedPath?: string } | undefined)?.watchedPath;
    if (!at) return edited();
    const file = typeof name === 'string' && name && path.basename(at) !== name ? path.join(at, name) : at;
    if (!isOutput(file)) edited();
  });
  // A watcher that cannot watch (the system's limit on watches reached, a folder gone) says so and stops.
  watcher.on('error', (e) => report.crashed(new UserError(`cannot watch for changes any more: ${(e as Error).message}`, issueDir + path.sep)));

  const once = async (first: boolean) => {
    const t0 = Date.now();
    report.started?.();
    // The next build starts counting what it uses: an earlier build's are no longer there to write.
    clearTimeout(keepTimer);
    keepTimer = undefined;
    try {
      const result = await build({ ...options, keepCaches: first });
      if (!first) keepTimer = setTimeout(keep, KEEP_AFTER_MS);
      // The template is known once a build gets through (it may also have changed).
      watch(result.templateDir);
      report.built(result, Date.now() - t0);
    } catch (e) {
      // A broken issue: its folder is watched, and that is enough to notice the fix.
      if (!(e instanceof UserError)) throw e;
      report.failed(e, Date.now() - t0);
    }
  };

  const rebuild = () => {
    if (running) {
      again = true;
      return;
    }
    running = once(false)
      .catch((e) => report.crashed(e))
      .finally(() => {
        running = undefined;
        if (again) {
          again = false;
          rebuild();
        }
      });
  };

  await new Promise<void>((resolve) => watcher.once('ready', resolve));
  await once(true);
  await new Promise<void>((resolve) => {
    const stop = () => {
      clearTimeout(timer);
      void watcher.close();
      // A build that is running has cleared the timer: only a finished build's caches are written.
      if (keepTimer) {
        clearTimeout(keepTimer);
        keep();
      }
      resolve();
    };
    // Stopped during the first build (Ctrl-C while it ran): stop now that it is done.
    if (signal?.aborted) stop();
    else signal?.addEventListener('abort', stop);
  });
}
