/**
 * The `source` module is how bulletin reads what editors write: this file
 * (every text file, one reader), paths.ts (paths kept inside their folder),
 * yaml.ts (YAML with positions) and errors.ts (the one-line error type).
 *
 * Files an issue or template names, checked before they are opened: the
 * path as written must stay inside the folder, and so must the file it
 * reaches through any link; it must be a regular file (not a folder, a pipe
 * or a device) no larger than its kind allows. Text files are read as strict
 * UTF-8, the first bad byte named by line and column.
 */
import fs from 'node:fs';
import path from 'node:path';
import { UserError, type Warning } from './errors.js';
import { resolveInside } from './paths.js';

/** The largest file of each kind, in bytes, checked before reading. */
export const MAX_BYTES = {
  article: 1_000_000,
  manifest: 1_000_000,
  data: 10_000_000,
  image: 100_000_000,
  drawing: 10_000_000,
  profile: 20_000_000,
} as const;

export type FileKind = keyof typeof MAX_BYTES;

const KIND_NAME: Record<FileKind, string> = { article: 'an article', manifest: 'a YAML file', data: 'a data file', image: 'an image', drawing: 'an SVG drawing', profile: 'an ICC profile' };

/**
 * `written` (a path from the issue or template) as a regular file inside
 * `base`. `missing`: the path is fine but nothing is there.
 */
export function resolveFile(base: string, written: string): Resolved {
  const resolved = resolveUnrecorded(base, written);
  recording?.resolved.push([base, written, JSON.stringify(resolved)]);
  return resolved;
}

type Resolved = { path: string } | { error: string; missing?: true };

function resolveUnrecorded(base: string, written: string): Resolved {
  const r = resolveInside(base, written);
  if ('error' in r) return r;
  const st = fs.lstatSync(r.path, { throwIfNoEntry: false });
  if (!st) return { error: `${written} not found`, missing: true };
  let real: string;
  try {
    real = fs.realpathSync(r.path);
  } catch {
    return { error: `${written} is a link to nothing`, missing: true };
  }
  const realBase = fs.realpathSync(base);
  const rel = path.relative(realBase, real);
  if (rel.startsWith('..') || path.isAbsolute(rel)) return { error: `${written} is a link to a file outside the folder ${path.basename(base)}/` };
  const target = fs.statSync(real);
  if (target.isDirectory()) return { error: `${written} is a folder, not a file` };
  if (!target.isFile()) return { error: `${written} is not a regular file` };
  return { path: r.path };
}

/**
 * A file as it is now, for cache keys: its size, modification and change
 * times and inode ('gone' when there is none). The change time is the
 * system's own: any write or rename changes it, even one that sets the
 * modification time back.
 */
export function fileStamp(file: string): string {
  let st: fs.Stats | undefined;
  try {
    st = fs.statSync(file, { throwIfNoEntry: false });
  } catch {
    // a part of the path is a file, or cannot be read: no file there either
  }
  return st ? `${st.size}:${st.mtimeMs}:${st.ctimeMs}:${st.ino}` : 'gone';
}

/** What a piece of work asked of the files: each path resolved, and each text read, with the answers. */
export interface Inputs {
  resolved: [base: string, written: string, answer: string][];
  read: [file: string, kind: FileKind, text: string][];
}

let recording: Inputs | undefined;

/**
 * Runs `fn`, telling which paths it resolved and which text files it read,
 * with what came back, so that its result can be reused while `sameInputs`
 * (reading is synchronous: nothing else interleaves).
 */
export function recordingInputs<T>(fn: () => T): { value: T; inputs: Inputs } {
  const outer = recording;
  const inputs: Inputs = { resolved: [], read: [] };
  recording = inputs;
  try {
    return { value: fn(), inputs };
  } finally {
    recording = outer;
  }
}

/** Whether every path resolves as it did (the path rules applied again) and every file reads the same. */
export function sameInputs(inputs: Inputs): boolean {
  try {
    return inputs.resolved.every(([base, written, answer]) => JSON.stringify(resolveUnrecorded(base, written)) === answer) && inputs.read.every(([file, kind, text]) => readText(file, kind) === text);
  } catch {
    return false;
  }
}

/** Refuses a file too large for its kind, before it is read. */
export function checkSize(file: string, kind: FileKind): void {
  const st = fs.statSync(file);
  if (st.isDirectory()) throw new UserError('is a folder, not a file', file);
  if (!st.isFile()) throw new UserError('is not a regular file', file);
  const max = MAX_BYTES[kind];
  if (st.size > max) throw new UserError(`the file is ${(st.size / 1e6).toFixed(1)} MB; ${KIND_NAME[kind]} may be at most ${max / 1e6} MB`, file);
}

/** Offset of the first byte that is not part of well-formed UTF-8, or -1. */
function firstBadByte(buf: Uint8Array): number {
  for (let i = 0; i < buf.length; ) {
    const b = buf[i];
    const n = b < 0x80 ? 1 : b >= 0xc2 && b <= 0xdf ? 2 : b >= 0xe0 && b <= 0xef ? 3 : b >= 0xf0 && b <= 0xf4 ? 4 : 0;
    if (n === 0 || i + n > buf.length) return i;
    for (let k = 1; k < n; k++) if ((buf[i + k] & 0xc0) !== 0x80) return i;
    // Overlong, surrogate and out-of-range forms.
    if ((b === 0xe0 && buf[i + 1] < 0xa0) || (b === 0xed && buf[i + 1] >= 0xa0) || (b === 0xf0 && buf[i + 1] < 0x90) || (b === 0xf4 && buf[i + 1] >= 0x90)) return i;
    i += n;
  }
  return -1;
}

/** Line and column (1-based, in characters) of a byte offset in a buffer that is valid UTF-8 up to it. */
function bytePosition(buf: Uint8Array, offset: number): { line: number; col: number } {
  const before = new TextDecoder().decode(buf.subarray(0, offset));
  const lines = before.split('\n');
  return { line: lines.length, col: [...lines[lines.length - 1]].length + 1 };
}

/** C0 and C1 controls other than tab and line breaks: invisible in print, dropped. */
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/g;

/**
 * A text file of the given kind: size checked, strict UTF-8 (BOM dropped,
 * line breaks made \n), control characters taken out with a warning each.
 */
export function readText(file: string, kind: FileKind, warn?: (w: Warning) => void): string {
  const text = readUnrecorded(file, kind, warn);
  recording?.read.push([file, kind, text]);
  return text;
}

function readUnrecorded(file: string, kind: FileKind, warn?: (w: Warning) => void): string {
  checkSize(file, kind);
  const buf = fs.readFileSync(file);
  const bad = firstBadByte(buf);
  if (bad >= 0) {
    const hint = kind === 'data' ? ' (save it as UTF-8 CSV)' : ' (save it as UTF-8)';
    throw new UserError(`the file is not UTF-8 text: byte 0x${buf[bad].toString(16).padStart(2, '0')} cannot start a character${hint}`, file, bytePosition(buf, bad));
  }
  const text = new TextDecoder('utf-8').decode(buf).replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n');
  if (!CONTROL.test(text)) return text;
  CONTROL.lastIndex = 0;
  const lines = text.split('\n');
  lines.forEach((l, i) => {
    for (const m of l.matchAll(CONTROL)) {
      const code = `U+${m[0].codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;
      warn?.({ file, pos: { line: i + 1, col: [...l.slice(0, m.index)].length + 1 }, message: `a control character (${code}) is left out` });
    }
  });
  return text.replace(CONTROL, '');
}
