/**
 * The build's side of the image worker (image-worker.ts): started at the
 * first request, asked by message, ended when the builds that hold it
 * (`holdImageWorker`) have their pictures. Photos travel as bytes both ways.
 */
import { fork, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { PACKAGE_ROOT } from '../packages.js';
import type { WorkerReply, WorkerRequest } from './image-worker.js';
import type { Inspected, PictureWanted } from './pixels.js';

/** The worker's compiled module: beside this one, or under dist/ when this one runs from the sources (the tests). */
const WORKER = import.meta.url.endsWith('.ts') ? path.join(PACKAGE_ROOT, 'dist', 'assets', 'image-worker.js') : fileURLToPath(new URL('./image-worker.js', import.meta.url));

/** Why the image cannot be read, in one line (the caller names the file). */
export class ImageRefused extends Error {}

type Request = WorkerRequest extends infer R ? (R extends { id: number } ? Omit<R, 'id'> : never) : never;

class ImageWorker {
  private readonly child: ChildProcess;
  private readonly waiting = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  private next = 0;

  constructor() {
    // One malloc arena (see image-worker.ts), unless the user set their own.
    this.child = fork(WORKER, [], { execArgv: [], serialization: 'advanced', stdio: ['ignore', 'inherit', 'inherit', 'ipc'], env: { ...process.env, MALLOC_ARENA_MAX: process.env.MALLOC_ARENA_MAX ?? '1' } });
    this.child.on('message', (m: WorkerReply) => {
      const w = this.waiting.get(m.id);
      this.waiting.delete(m.id);
      if (m.refused !== undefined) w?.reject(new ImageRefused(m.refused));
      else w?.resolve(m.result);
    });
    this.child.on('exit', (code, signal) => {
      for (const w of this.waiting.values()) w.reject(new Error(`the image worker ended (${signal ?? `exit ${code}`})`));
      this.waiting.clear();
    });
  }

  call(request: Request): Promise<unknown> {
    const id = this.next++;
    return new Promise((resolve, reject) => {
      this.waiting.set(id, { resolve, reject });
      this.child.send({ ...request, id });
    });
  }

  close(): void {
    if (this.child.connected) this.child.disconnect();
  }
}

let worker: ImageWorker | undefined;
/** The highest memory a worker of this process used, in kB (for the bench), and how many were started. */
let peakRss = 0;
let starts = 0;

const started = () => {
  if (!worker) starts++;
  return (worker ??= new ImageWorker());
};

const asBuffer = (u: Uint8Array) => Buffer.from(u.buffer, u.byteOffset, u.byteLength);

export async function inspectInWorker(bytes: Buffer, decode: boolean): Promise<Inspected> {
  return (await started().call({ op: 'inspect', bytes, decode })) as Inspected;
}

export async function resampleInWorker(bytes: Buffer, decoded: number, wanted: PictureWanted[]): Promise<Buffer[]> {
  return ((await started().call({ op: 'resample', bytes, decoded, wanted })) as Uint8Array[]).map(asBuffer);
}

export async function rasteriseInWorker(bytes: Buffer, width: number, wanted: PictureWanted[]): Promise<Buffer[]> {
  return ((await started().call({ op: 'rasterise', bytes, width, wanted })) as Uint8Array[]).map(asBuffer);
}

/** Builds in this process that may still ask the worker for something. */
let holders = 0;

/**
 * Marks a build that may ask the worker for pictures, and returns what it
 * calls when it will ask no more (once or more: only the first counts). The
 * worker, if one was started, ends when the last build that held it lets go.
 */
export function holdImageWorker(): () => Promise<void> {
  holders++;
  let held = true;
  return async () => {
    if (!held) return;
    held = false;
    if (--holders > 0 || !worker) return;
    const w = worker;
    worker = undefined;
    // A worker that has ended already has nothing to tell.
    peakRss = Math.max(peakRss, ((await w.call({ op: 'usage' }).catch(() => 0)) as number));
    w.close();
  };
}

/** This process's image workers so far: how many were started, and their peak memory in kB. */
export function imageWorkerUsage(): { starts: number; peakRss: number } {
  return { starts, peakRss };
}
