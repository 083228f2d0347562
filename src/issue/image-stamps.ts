/**
 * The pictures in an issue folder, each with its size and time. A build
 * records them beside its image cache; before a build, the command line
 * compares (arena-relaunch.ts) to tell a build that will prepare images
 * from one that will not, without loading anything.
 */
import fs from 'node:fs';
import path from 'node:path';
import { readSealed, writeSealed } from '../cache/sealed.js';
import { fileStamp } from '../source/files.js';

const PICTURE = /\.(?:jpe?g|png|webp|tiff?|gif|avif|heic|heif|svg)$/i;

function stamps(issueDir: string): string {
  const files = fs
    .readdirSync(issueDir, { recursive: true, encoding: 'utf8' })
    .filter((f) => PICTURE.test(f))
    .sort();
  return JSON.stringify(files.map((f) => [f, fileStamp(path.join(issueDir, f))]));
}

const recordFile = (outDir: string) => path.join(outDir, '.cache', 'images', 'pictures.json');

/** The record's key (sealed.ts): it holds what it says. */
const RECORD = 'picture record';

interface PictureRecord {
  /** the editions whose pictures are prepared ('screen', 'print') */
  editions: string[];
  pictures: string;
}

function readRecord(outDir: string): PictureRecord | undefined {
  const saved = readSealed(recordFile(outDir), RECORD);
  try {
    return saved && (JSON.parse(saved.toString('utf8')) as PictureRecord);
  } catch {
    return undefined;
  }
}

/** After a build that prepared `editions`' pictures: what the issue folder's pictures were. */
export function recordPictures(issueDir: string, outDir: string, editions: string[]): void {
  const pictures = stamps(issueDir);
  const had = readRecord(outDir);
  // The same pictures: the editions prepared before are prepared still.
  const all = had?.pictures === pictures ? [...new Set([...had.editions, ...editions])].sort() : [...editions].sort();
  if (had?.pictures === pictures && had.editions.join() === all.join()) return;
  writeSealed(recordFile(outDir), RECORD, Buffer.from(JSON.stringify({ editions: all, pictures } satisfies PictureRecord)));
}

/** Whether the issue folder's pictures are prepared for `editions`, as the last build in `outDir` recorded (none recorded: no). */
export function picturesAsRecorded(issueDir: string, outDir: string, editions: string[]): boolean {
  const had = readRecord(outDir);
  try {
    return had !== undefined && Array.isArray(had.editions) && editions.every((e) => had.editions.includes(e)) && had.pictures === stamps(issueDir);
  } catch {
    return false;
  }
}
