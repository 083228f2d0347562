import path from 'node:path';

/** The folder an issue reference names: a number is issues/<number> under `cwd`, anything else a path. */
export function issueFolder(ref: string, cwd: string): { dir: string; byNumber?: number } {
  return /^\d+$/.test(ref) ? { dir: path.join(cwd, 'issues', ref), byNumber: Number(ref) } : { dir: path.resolve(cwd, ref) };
}
