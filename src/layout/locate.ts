/**
 * Which page a warning concerns, so that a preview can show it there: the
 * page where the block at (or last before) its line begins, in its file; a
 * picture's or data file's warning, the first page that shows it.
 */
import type { Warning } from '../source/errors.js';
import type { Layout } from './display.js';

/** The warning's page, 1-based as printed; undefined where no page shows its file (issue.yaml, the template). */
export function warningPage(layout: Pick<Layout, 'sources' | 'articlePages'>, w: Warning): number | undefined {
  if (!w.file) return undefined;
  const line = w.pos?.line ?? 0;
  // An article's title (its front matter) stands before its first block.
  const title = layout.articlePages.get(w.file);
  const places = [...(title === undefined ? [] : [{ line: 0, page: title }]), ...layout.sources.filter((s) => s.file === w.file)];
  if (!places.length) return undefined;
  // The block last at or before the line (the first of equals); a warning before them all, the file's first page.
  const before = places.filter((s) => s.line <= line);
  const best = before.length ? before.reduce((a, b) => (b.line > a.line ? b : a)) : places.reduce((a, b) => (b.page < a.page ? b : a));
  return best.page + 1;
}
