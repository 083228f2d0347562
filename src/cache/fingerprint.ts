/**
 * A hash of code: a cache that code made is trusted only while the code is
 * the same. Each path is a folder (every file in it) or a module without its
 * extension (.js compiled in a build, .ts from the sources under the tests).
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

const known = new Map<string, string>();

export function codeFingerprint(paths: string[]): string {
  const key = paths.join('\u0000');
  let fingerprint = known.get(key);
  if (!fingerprint) {
    const hash = crypto.createHash('sha256');
    for (const p of paths) {
      const files = fs.existsSync(p) ? fs.readdirSync(p).sort().map((f) => path.join(p, f)) : ['.js', '.ts'].map((ext) => p + ext).filter((f) => fs.existsSync(f));
      for (const f of files) hash.update(f).update(fs.readFileSync(f));
    }
    known.set(key, (fingerprint = hash.digest('hex')));
  }
  return fingerprint;
}
