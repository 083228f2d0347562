/** Stage 7: write files so that a reader never sees half a PDF and a failed build leaves the old one. */
import fs from 'node:fs';
import path from 'node:path';
import { UserError } from '../source/errors.js';

/** Writes every file to a temporary name first, then renames them all into place. */
export function writeAtomically(files: { path: string; data: Buffer }[]): void {
  const temps: string[] = [];
  try {
    for (const f of files) {
      fs.mkdirSync(path.dirname(f.path), { recursive: true });
      const tmp = `${f.path}.${process.pid}.tmp`;
      fs.writeFileSync(tmp, f.data);
      temps.push(tmp);
    }
    files.forEach((f, i) => fs.renameSync(temps[i], f.path));
  } finally {
    for (const t of temps) fs.rmSync(t, { force: true });
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
  } catch {
    throw new UserError(`the output folder cannot be written to (${existing})`, dir);
  }
}
