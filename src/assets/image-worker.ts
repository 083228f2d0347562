/**
 * The image worker: a process of its own that does the work on pixels
 * (pixels.ts), started by a build at its first picture to read or make
 * (image-client.ts) and ended with the build. It runs with one malloc arena
 * on glibc: libvips works on twenty-odd threads, each of which would get an
 * arena of its own that keeps what it frees (issue 44's cold build peaked
 * near 450 MB so). A build whose pictures all come from the cache starts
 * none. It ends when its parent does, however the parent ends.
 */
import { explain, inspectPixels, rasterisePixels, resamplePixels, type PictureWanted } from './pixels.js';

export type WorkerRequest = { id: number } & (
  | { op: 'inspect'; bytes: Uint8Array; decode: boolean }
  | { op: 'resample'; bytes: Uint8Array; decoded: number; wanted: PictureWanted[] }
  | { op: 'rasterise'; bytes: Uint8Array; width: number; wanted: PictureWanted[] }
  | { op: 'usage' }
);

/** The answer to request `id`: its result, or the one line why the image cannot be read. */
export interface WorkerReply {
  id: number;
  result?: unknown;
  refused?: string;
}

async function run(m: WorkerRequest): Promise<unknown> {
  switch (m.op) {
    case 'inspect':
      return inspectPixels(m.bytes, m.decode);
    case 'resample':
      return resamplePixels(m.bytes, m.decoded, m.wanted);
    case 'rasterise':
      return rasterisePixels(m.bytes, m.width, m.wanted);
    case 'usage':
      return process.resourceUsage().maxRSS;
  }
}

if (process.send) {
  process.on('message', (m: WorkerRequest) => {
    run(m).then(
      (result) => process.send!({ id: m.id, result } satisfies WorkerReply),
      (e: unknown) => process.send!({ id: m.id, refused: explain(e) } satisfies WorkerReply),
    );
  });
  process.on('disconnect', () => process.exit(0));
}
