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
  built(result: BuildResult, ms: number): void;
  failed(error: UserError, ms: number): void;
  /** anything unexpected: watching stops */
  crashed(error: unknown): void;
}

/** Edits come in bursts (an editor saves, renames, touches): wait this long for quiet. */
const SETTLE_MS = 150;
/**
 * What a rebuild parsed and composed is written for the next process only
 * after this much quiet (or when watching stops): writing it took 24 ms of
 * each 250 ms rebuild of issue 44.
 */
const KEEP_AFTER_MS = 2000;

export async function watchBuild(options: BuildOptions, report: WatchReport, signal?: AbortSignal): Promise<void> {
  const cwd = options.cwd ?? process.cwd();
  const out = path.resolve(cwd, options.out ?? 'out');
  const watched = new Map<string, fs.FSWatcher>();
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;
  let again = false;
  /** set while a good build's caches are unwritten */
  let keepTimer: NodeJS.Timeout | undefined;
  const keep = () => {
    keepTimer = undefined;
    keepForNextProcess(out);
  };

  const watch = (dir: string) => {
    if (watched.has(dir) || !fs.existsSync(dir)) return;
    watched.set(
      dir,
      fs.watch(dir, { recursive: true }, (_event, name) => {
        // The output folder may lie inside a watched one: its own writes are no edit.
        if (name && path.resolve(dir, name.toString()).startsWith(out + path.sep)) return;
        clearTimeout(timer);
        timer = setTimeout(rebuild, SETTLE_MS);
      }),
    );
  };

  const once = async (first: boolean) => {
    const t0 = Date.now();
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

  watch(findIssueDir(options.issue, cwd).dir);
  await once(true);
  await new Promise<void>((resolve) => {
    signal?.addEventListener('abort', () => {
      clearTimeout(timer);
      for (const w of watched.values()) w.close();
      // A build that is running has cleared the timer: only a finished build's caches are written.
      if (keepTimer) {
        clearTimeout(keepTimer);
        keep();
      }
      resolve();
    });
  });
}
