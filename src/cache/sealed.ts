/**
 * Every cache file bulletin writes is sealed: it starts with the digest of
 * its full key (every input that can change its value) and the digest of the
 * value it holds, and both are checked on every read. A file damaged in any
 * way (truncated, a bit flipped, replaced, renamed over another entry) or
 * made from other inputs is refused, and the caller makes the value again
 * and writes it anew: a cache can make a build faster, never different.
 *
 * Cache writes wait for `commitCache`, which a build calls once its PDFs
 * are in place, and are best-effort: a full disk or a read-only folder costs
 * the next build time, never this build its PDFs. What was refused and what
 * could not be written is told through the journal (`--debug`, a warning).
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { machineFault, writeFileAtomically } from '../output/write.js';
import { UserError } from '../source/errors.js';
import { fileStamp } from '../source/files.js';

/** The format's mark: a file without it (an older bulletin's, or anything else) is refused. */
const MAGIC = Buffer.from('bulletin-cache-2\n', 'latin1');
const DIGEST = 32;
const HEADER = MAGIC.length + 2 * DIGEST;

const digest = (data: string | Uint8Array) => crypto.createHash('sha256').update(data).digest();

/** A value sealed under its key, as a cache file holds it. */
export function seal(key: string, value: Uint8Array): Buffer {
  return Buffer.concat([MAGIC, digest(key), digest(value), value]);
}

/** The value of a sealed file's bytes if they are whole and were made under `key`; else why not. */
export function unseal(bytes: Buffer, key: string): { value: Buffer } | { refused: string } {
  if (bytes.length < HEADER || !bytes.subarray(0, MAGIC.length).equals(MAGIC)) return { refused: 'not a bulletin cache file of this version' };
  if (!bytes.subarray(MAGIC.length, MAGIC.length + DIGEST).equals(digest(key))) return { refused: 'made from other inputs' };
  const value = bytes.subarray(HEADER);
  if (!bytes.subarray(MAGIC.length + DIGEST, HEADER).equals(digest(value))) return { refused: 'damaged (its digest does not match)' };
  return { value };
}

/** What the cache refused and failed to write since the journal was last taken. */
interface Journal {
  refused: string[];
  /** each file that could not be written, and why in a few words */
  unwritten: { file: string; why: string }[];
}

let journal: Journal = { refused: [], unwritten: [] };

/** The journal since the last call, emptied. */
export function takeJournal(): Journal {
  const taken = journal;
  journal = { refused: [], unwritten: [] };
  return taken;
}

/** Files to write at the next commit, by path. */
const pending = new Map<string, { key: string; value: Uint8Array }>();

/**
 * Files this process read and verified, with their stamp then: a watching
 * process rebuilding every few seconds reads each picture once, not on every
 * rebuild, while the file is as it was (any write changes its stamp).
 */
const verified = new Map<string, { stamp: string; key: string; value: Buffer }>();

/** A sealed file's value, or undefined when there is none or it is refused (the refusal is journalled). */
export function readSealed(file: string, key: string): Buffer | undefined {
  const waiting = pending.get(file);
  if (waiting) return waiting.key === key ? Buffer.from(waiting.value) : undefined;
  const stamp = fileStamp(file);
  const known = verified.get(file);
  if (known && known.stamp === stamp && known.key === key) return known.value;
  let bytes: Buffer;
  try {
    bytes = fs.readFileSync(file);
  } catch {
    return undefined;
  }
  const r = unseal(bytes, key);
  if ('value' in r) {
    verified.set(file, { stamp, key, value: r.value });
    return r.value;
  }
  journal.refused.push(`${file}: ${r.refused}; made again`);
  return undefined;
}

/** Removes a cache file that is no longer wanted (a build prunes what it did not use), and what this process remembers of it. */
export function removeSealed(file: string): void {
  verified.delete(file);
  fs.rmSync(file, { force: true });
}

/** A sealed file to write at the next commit. */
export function writeSealed(file: string, key: string, value: Uint8Array): void {
  pending.set(file, { key, value });
}

/** Writes every pending file, each atomically; a failure is journalled, not thrown. */
export function commitCache(): void {
  for (const [file, { key, value }] of pending) {
    pending.delete(file);
    try {
      fs.mkdirSync(path.dirname(file), { recursive: true });
      writeFileAtomically(file, seal(key, value));
    } catch (e) {
      journal.unwritten.push({ file, why: e instanceof UserError ? e.message : (machineFault(e, path.dirname(file))?.message ?? (e as Error).message) });
    }
  }
}
