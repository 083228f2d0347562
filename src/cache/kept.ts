/**
 * Entries a process keeps (parsed articles, composed paragraphs) that a
 * build also leaves in a file of the output folder's cache, for the next
 * build in another process: the entries the build used, written only when
 * they differ from what the file holds, and read back by a process that
 * holds none yet, while the file's stamp (the code and input files they were
 * made from) still holds.
 */
import v8 from 'node:v8';
import { readSealed, writeSealed } from './sealed.js';

interface Saved<V, S> {
  stamp: S;
  entries: [string, V][];
}

export class KeptBetweenBuilds<V, S> {
  readonly entries = new Map<string, V>();
  /** the keys the build in progress used: what the file keeps for the next one */
  private used = new Set<string>();
  /** the keys the file held when read or last written */
  private onDisk = new Set<string>();
  /** keys whose entries were made since (an article parsed again keeps its key) */
  private fresh = new Set<string>();

  constructor(
    private readonly options: {
      /** what the entries were made from, written with them */
      stamp: (entries: V[]) => S;
      /** what the file holds, its key (sealed.ts): a file of another kind is refused */
      kind: string;
      /** whether saved entries still hold (a file from other code may hold anything, or nothing) */
      stillHolds: (stamp: S | undefined) => boolean;
      /** an entry as the file keeps it (without what only this process can hold) */
      forFile?: (entry: V) => V;
    },
  ) {}

  /** Before a build: counts anew and, if this process holds nothing yet, reads what the last build in `file` kept. */
  begin(file: string): void {
    this.used = new Set();
    if (this.entries.size > 0) return;
    const bytes = readSealed(file, this.options.kind);
    if (!bytes) return;
    let saved: Saved<V, S> | undefined;
    try {
      saved = v8.deserialize(bytes) as Saved<V, S>;
    } catch {
      return;
    }
    if (!Array.isArray(saved?.entries) || !this.options.stillHolds(saved.stamp)) return;
    for (const [key, entry] of saved.entries) this.entries.set(key, entry);
    this.onDisk = new Set(saved.entries.map(([key]) => key));
  }

  /** A new entry, used by the build in progress. */
  set(key: string, entry: V): void {
    this.entries.set(key, entry);
    this.fresh.add(key);
    this.used.add(key);
  }

  /** The build in progress used this entry. */
  use(key: string): void {
    this.used.add(key);
  }

  /** After a build: keeps in `file` the entries it used. */
  save(file: string): void {
    const unchanged = this.used.size === this.onDisk.size && [...this.used].every((k) => this.onDisk.has(k) && !this.fresh.has(k));
    if (unchanged) return;
    this.onDisk = new Set(this.used);
    this.fresh = new Set();
    const forFile = this.options.forFile ?? ((e: V) => e);
    // An entry the process let go of since (a bounded keeper drops its oldest) is not kept.
    const kept = [...this.used].filter((key) => this.entries.has(key)).map((key): [string, V] => [key, forFile(this.entries.get(key)!)]);
    writeSealed(file, this.options.kind, v8.serialize({ stamp: this.options.stamp(kept.map(([, e]) => e)), entries: kept } satisfies Saved<V, S>));
  }
}
