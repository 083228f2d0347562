import path from 'node:path';

/**
 * Resolves a path written inside an issue (or template) against its folder.
 * Returns an error message instead of a path when the path is a URL, absolute,
 * or leaves the folder: editors' files must travel with the folder.
 */
export function resolveInside(base: string, written: string): { path: string } | { error: string } {
  if (/^[a-z][a-z0-9+.-]*:/i.test(written)) return { error: `"${written}" is a URL; only files inside the folder can be used` };
  if (path.isAbsolute(written) || written.startsWith('\\')) return { error: `"${written}" is an absolute path; write it relative to the folder` };
  const full = path.resolve(base, written);
  const rel = path.relative(base, full);
  if (rel.startsWith('..') || path.isAbsolute(rel)) return { error: `"${written}" leaves the folder ${path.basename(base)}/` };
  return { path: full };
}
