import path from 'node:path';

/** The folder an issue reference names: a number is issues/<number> under `cwd`, anything else a path. */
export function issueFolder(ref: string, cwd: string): string {
  return /^\d+$/.test(ref) ? path.join(cwd, 'issues', ref) : path.resolve(cwd, ref);
}
