/**
 * What the preview tells its page after each build, as one JSON object on
 * the `/events` stream: the build's sequence number and time, which pages
 * changed since the last good build, where each edition's PDF is and which
 * page each of its sheets shows, and the build's warnings or its error,
 * each with its file:line:col and the one line `build` prints.
 */
import path from 'node:path';
import type { LaidOutBuild, Output } from '../build.js';
import { formatWarning, type UserError, type Warning } from '../source/errors.js';

/** A warning or error: the line `build` prints, and its parts. */
export interface Finding {
  kind: 'error' | 'warning' | 'note';
  text: string;
  message: string;
  /** relative to the folder the preview was started in */
  file?: string;
  line?: number;
  col?: number;
  /** the page it concerns (1-based), where layout can tell */
  page?: number;
}

export interface BuildEvent {
  sequence: number;
  ok: boolean;
  /** milliseconds from the build's start to this event: for a good build, until its screen edition was rendered */
  ms: number;
  /** pages of the last good build */
  pages: number;
  /** pages (1-based) that show something else than after the last good build (all of them after the first) */
  changed: number[];
  /** each edition's PDF (its address on this server) and the pages on each of its sheets, none on a blank one */
  editions: Partial<Record<'screen' | 'print', { url: string; sheets: number[][] }>>;
  warnings: Finding[];
  /** a failed build's one error; the pages stay those of the last good build */
  errors: Finding[];
}

/** A good build's pages, for the next build's comparison. */
export interface Shown {
  fingerprints: string[];
  editions: BuildEvent['editions'];
}

export const editionUrl = (file: string) => `/${path.basename(file)}`;
export const isEdition = (o: Output): o is 'screen' | 'print' => o === 'screen' || o === 'print';

function finding(kind: Finding['kind'], w: Warning, cwd: string): Finding {
  const rel = w.file && path.relative(cwd, w.file);
  return {
    kind,
    text: formatWarning(w, cwd),
    message: w.message,
    ...(w.file ? { file: rel && !rel.startsWith('..') && !path.isAbsolute(rel) ? rel : w.file } : {}),
    ...(w.pos ? { line: w.pos.line, col: w.pos.col } : {}),
    ...(w.page ? { page: w.page } : {}),
  };
}

/** The event for a good build, once laid out, compared with what the last good build showed (none: every page changed). */
export function builtEvent(sequence: number, build: LaidOutBuild, ms: number, before: Shown | undefined, cwd: string): { event: BuildEvent; shown: Shown } {
  const fingerprints = build.pageFingerprints;
  if (!fingerprints) throw new Error("a preview's builds digest their pages (pageDigests)");
  const changed = fingerprints.flatMap((f, i) => (before?.fingerprints[i] === f ? [] : [i + 1]));
  const editions: BuildEvent['editions'] = {};
  for (const f of build.files) if (isEdition(f.output)) editions[f.output] = { url: editionUrl(f.path), sheets: f.shows };
  const warnings = build.warnings.map((w) => finding(w.kind ?? 'warning', w, cwd));
  return { event: { sequence, ok: true, ms, pages: fingerprints.length, changed, editions, warnings, errors: [] }, shown: { fingerprints, editions } };
}

/** The event for a build that failed: the last good pages stay, with the error over them. */
export function failedEvent(sequence: number, error: UserError, ms: number, before: Shown | undefined, cwd: string): BuildEvent {
  return {
    sequence,
    ok: false,
    ms,
    pages: before?.fingerprints.length ?? 0,
    changed: [],
    editions: before?.editions ?? {},
    warnings: [],
    errors: [finding('error', { message: error.message, file: error.file, pos: error.pos }, cwd)],
  };
}

