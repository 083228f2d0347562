/** Stage 7: write files so that a reader never sees half a PDF and a failed build leaves the old one. */
import fs from 'node:fs';
import path from 'node:path';
import { UserError } from '../source/errors.js';

/** A temporary file's name: its file's, the writing process's id, `.tmp`. */
const TEMPORARY = /\.(\d+)\.tmp$/;

/**
 * Writes every file to a temporary name first, then renames them all into
 * place. A fault of the machine (a full disk, a read-only or vanished
 * folder) is an input-side problem, told in one line naming the folder.
 */
export function writeAtomically(files: { path: string; data: Buffer }[]): void {
  const temps: string[] = [];
  let folder = '';
  try {
    for (const f of files) {
      folder = path.dirname(f.path);
      fs.mkdirSync(folder, { recursive: true });
      const tmp = `${f.path}.${process.pid}.tmp`;
      temps.push(tmp);
      fs.writeFileSync(tmp, f.data);
    }
    files.forEach((f, i) => {
      folder = path.dirname(f.path);
      fs.renameSync(temps[i], f.path);
    });
  } catch (e) {
    throw machineFault(e, folder, files.reduce((n, f) => n + f.data.length, 0)) ?? e;
  } finally {
    for (const t of temps) fs.rmSync(t, { force: true });
  }
}

/** A write's error (of `bytes` in all, when known) as the one line a user can act on, or undefined when it is no fault of the machine's. */
export function machineFault(e: unknown, folder: string, bytes?: number): UserError | undefined {
  const code = (e as NodeJS.ErrnoException).code;
  const needed = bytes === undefined ? '' : ` (needed about ${Math.max(1, Math.round(bytes / 1e6))} MB)`;
  const why: Record<string, string> = {
    ENOSPC: `the disk is full${needed}`,
    EDQUOT: `the disk quota is used up${needed}`,
    EROFS: 'the disk is read-only',
    EACCES: 'permission denied',
    EPERM: 'permission denied',
    ENOENT: 'the folder vanished while bulletin wrote to it',
    ENOTDIR: 'part of the path is not a folder',
    EIO: 'the disk reported an input/output error',
  };
  return code && why[code] ? new UserError(why[code], folder + path.sep) : undefined;
}

/**
 * Removes the temporary files that builds killed or failed before they could
 * (a process that is no longer running) left in the output folder `dir`
 * (where the PDFs go) and anywhere in its `.cache`: nowhere else, since an
 * output folder may hold anything.
 */
export function removeStaleTemporaries(dir: string): void {
  const list = (d: string, recursive: boolean) => {
    try {
      return fs.readdirSync(d, { recursive, encoding: 'utf8' }).map((n) => path.join(path.relative(dir, d), n));
    } catch {
      return [];
    }
  };
  const names = [...list(dir, false), ...list(path.join(dir, '.cache'), true)];
  for (const name of names) {
    const pid = TEMPORARY.exec(name)?.[1];
    if (!pid || running(Number(pid))) continue;
    try {
      fs.rmSync(path.join(dir, name), { force: true });
    } catch {
      // a folder we cannot change: its leftovers stay, and the build will say why it cannot write
    }
  }
}

function running(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** One file, atomically (caches: a crash leaves the old file or none, never half of one). */
export function writeFileAtomically(file: string, data: Buffer | Uint8Array | string): void {
  writeAtomically([{ path: file, data: Buffer.from(data) }]);
}

/**
 * Before any work: the output folder is a folder (or can be made one) and
 * can be written to. Says which part of the path is in the way.
 */
export function checkOutputFolder(dir: string): void {
  // The nearest part of the path that exists must be a folder we may write in.
  let existing = dir;
  while (!fs.existsSync(existing)) existing = path.dirname(existing);
  if (existing === dir && !fs.statSync(dir).isDirectory()) throw new UserError('the output folder is a file', dir);
  if (!fs.statSync(existing).isDirectory()) throw new UserError(`the output folder cannot be made: ${path.relative(process.cwd(), existing) || existing} is a file`, dir);
  try {
    fs.accessSync(existing, fs.constants.W_OK);
  } catch (e) {
    throw new UserError(`the output folder cannot be written to (${machineFault(e, existing)?.message ?? 'permission denied'})`, existing + path.sep);
  }
}
