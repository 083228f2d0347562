/** Stage 7: write files so that a reader never sees half a PDF and a failed build leaves the old one. */
import fs from 'node:fs';
import path from 'node:path';

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
