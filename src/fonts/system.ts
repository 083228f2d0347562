/**
 * Fonts found on the machine, for characters that no font of the template
 * has (a rare name character the designer's Windows or Mac can print). Each
 * font file's character coverage is read once and kept in the user's cache
 * folder, keyed by path, size and modification time, so that a build only
 * opens the one file it needs.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { readSealed, writeSealed } from '../cache/sealed.js';
import type * as Fontkit from 'fontkit';
import { requirePackage } from '../packages.js';
import { faceStyle, type FaceStyle } from './face-style.js';

const fontkit = requirePackage('fontkit') as typeof Fontkit;

/** The folders each platform keeps fonts in: the system's, then the user's. */
export function systemFontFolders(platform = process.platform, env = process.env, home = os.homedir()): string[] {
  if (platform === 'win32') {
    const windir = env.WINDIR ?? 'C:\\Windows';
    return [path.join(windir, 'Fonts'), ...(env.LOCALAPPDATA ? [path.join(env.LOCALAPPDATA, 'Microsoft', 'Windows', 'Fonts')] : [])];
  }
  if (platform === 'darwin') return ['/System/Library/Fonts', '/Library/Fonts', path.join(home, 'Library', 'Fonts')];
  return ['/usr/share/fonts', '/usr/local/share/fonts', path.join(env.XDG_DATA_HOME ?? path.join(home, '.local', 'share'), 'fonts'), path.join(home, '.fonts')];
}

/** bulletin's folder in the user's cache (XDG, macOS Caches, Windows LocalAppData). */
export function userCacheFolder(platform = process.platform, env = process.env, home = os.homedir()): string {
  if (platform === 'win32') return path.join(env.LOCALAPPDATA ?? path.join(home, 'AppData', 'Local'), 'bulletin', 'Cache');
  if (platform === 'darwin') return path.join(home, 'Library', 'Caches', 'bulletin');
  return path.join(env.XDG_CACHE_HOME ?? path.join(home, '.cache'), 'bulletin');
}

/** One face of a font file and the code points it has, as sorted [first, last] ranges. */
export interface IndexedFace {
  file: string;
  /** face index in a collection (.ttc), 0 otherwise */
  face: number;
  name: string;
  ranges: number[];
  style: FaceStyle;
}

interface CacheEntry {
  size: number;
  mtime: number;
  ctime: number;
  faces: Omit<IndexedFace, 'file'>[];
}

const FONT_FILE = /\.(ttf|otf|ttc|otc)$/i;
/** The index file's key (sealed.ts): another version's index is refused. */
export const INDEX_KEY = 'system font index 3';
/** Folders deeper than this are not searched (font folders are shallow; links may loop). */
const MAX_DEPTH = 6;

function fontFiles(dir: string, depth = 0): string[] {
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(dir, { withFileTypes: true });
  } catch {
    return [];
  }
  const files: string[] = [];
  for (const e of entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
    const p = path.join(dir, e.name);
    if (e.isDirectory() && depth < MAX_DEPTH) files.push(...fontFiles(p, depth + 1));
    else if ((e.isFile() || e.isSymbolicLink()) && FONT_FILE.test(e.name)) files.push(p);
  }
  return files;
}

function toRanges(cps: number[]): number[] {
  const sorted = [...new Set(cps)].sort((a, b) => a - b);
  const ranges: number[] = [];
  for (const cp of sorted) {
    if (ranges.length && ranges[ranges.length - 1] === cp - 1) ranges[ranges.length - 1] = cp;
    else ranges.push(cp, cp);
  }
  return ranges;
}

export function rangesHave(ranges: number[], cp: number): boolean {
  let lo = 0;
  let hi = ranges.length / 2 - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (cp < ranges[2 * mid]) hi = mid - 1;
    else if (cp > ranges[2 * mid + 1]) lo = mid + 1;
    else return true;
  }
  return false;
}

/** Faces of one file with their coverage; none when fontkit cannot read it. */
function readFaces(file: string): Omit<IndexedFace, 'file'>[] {
  try {
    const opened = fontkit.openSync(file) as Fontkit.Font | Fontkit.FontCollection;
    const faces = 'fonts' in opened ? opened.fonts : [opened];
    return faces.map((f, face) => ({ face, name: f.postscriptName ?? path.basename(file), ranges: toRanges(f.characterSet), style: faceStyle(f) }));
  } catch {
    return [];
  }
}

/**
 * Indexes the font files under `folders`, reading only files that are new or
 * changed since the cache was written. `cacheFile` undefined: no cache.
 */
export function indexFonts(folders: string[], cacheFile: string | undefined): IndexedFace[] {
  let cache: Record<string, CacheEntry> = {};
  if (cacheFile) {
    const saved = readSealed(cacheFile, INDEX_KEY);
    try {
      if (saved) cache = (JSON.parse(saved.toString('utf8')) as { files: Record<string, CacheEntry> }).files;
    } catch {
      // sealed but not this version's shape: index afresh
    }
  }
  const next: Record<string, CacheEntry> = {};
  let changed = false;
  const faces: IndexedFace[] = [];
  for (const file of folders.flatMap((d) => fontFiles(d))) {
    let st: fs.Stats;
    try {
      st = fs.statSync(file);
    } catch {
      continue;
    }
    let entry: CacheEntry | undefined = cache[file];
    if (!entry || entry.size !== st.size || entry.mtime !== st.mtimeMs || entry.ctime !== st.ctimeMs) {
      entry = { size: st.size, mtime: st.mtimeMs, ctime: st.ctimeMs, faces: readFaces(file) };
      changed = true;
    }
    next[file] = entry;
    for (const f of entry.faces) faces.push({ file, ...f });
  }
  if (cacheFile && (changed || Object.keys(cache).length !== Object.keys(next).length)) {
    // A cache that cannot be written only costs time next build.
    writeSealed(cacheFile, INDEX_KEY, Buffer.from(JSON.stringify({ files: next })));
  }
  return faces;
}
