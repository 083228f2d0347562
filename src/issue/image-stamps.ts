/**
 * The pictures in an issue folder, each with its size and time. A build
 * records them beside its image cache; before a build, the command line
 * compares (arena-relaunch.ts) to tell a build that will prepare images
 * from one that will not, without loading anything.
 */
import fs from 'node:fs';
import path from 'node:path';
import { writeFileAtomically } from '../output/write.js';
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

/** After a build whose images are all prepared: what the issue folder's pictures were. */
export function recordPictures(issueDir: string, outDir: string): void {
  const now = stamps(issueDir);
  const file = recordFile(outDir);
  if (fs.existsSync(file) && fs.readFileSync(file, 'utf8') === now) return;
  writeFileAtomically(file, Buffer.from(now));
}

/** Whether the issue folder's pictures are as the last build in `outDir` recorded them (none recorded: no). */
export function picturesAsRecorded(issueDir: string, outDir: string): boolean {
  try {
    return fs.readFileSync(recordFile(outDir), 'utf8') === stamps(issueDir);
  } catch {
    return false;
  }
}
