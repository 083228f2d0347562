/**
 * Page content streams deflated once per process: a rebuild after an edit
 * writes the same bytes for most pages, and deflating every page took 17 ms
 * of the 100 ms the screen edition of issue 44 takes to render. A stream is
 * found by a digest of its bytes and taken only if its bytes are equal, and
 * deflated as pdfkit would (zlib's defaults): the PDF's bytes are the same.
 */
import { createHash } from 'node:crypto';
import zlib from 'node:zlib';

/** What we use of a pdfkit stream object (js/reference.js): its chunks, and whether it deflates them when it ends. */
interface PdfStream {
  compress: boolean;
  buffer: Uint8Array[];
  finalize(): void;
}

/** Enough for both editions of a few issues' pages; the least recently used go first. */
const LIMIT = 2000;
const deflated = new Map<string, { bytes: Buffer; deflated: Buffer }>();

function deflate(bytes: Buffer): Buffer {
  const key = createHash('sha1').update(bytes).digest('base64');
  const had = deflated.get(key);
  if (had && had.bytes.equals(bytes)) {
    deflated.delete(key);
    deflated.set(key, had);
    return had.deflated;
  }
  const made = { bytes, deflated: zlib.deflateSync(bytes) };
  deflated.set(key, made);
  if (deflated.size > LIMIT) deflated.delete(deflated.keys().next().value!);
  return made.deflated;
}

/** Makes `stream` (a page's content, as pdfkit made it) take its deflated bytes from this process's store when it ends. */
export function deflateOnce(stream: unknown): void {
  const s = stream as PdfStream;
  const finalize = s.finalize.bind(s);
  s.finalize = () => {
    // pdfkit marked it FlateDecode as it was written; its bytes go in deflated already.
    if (s.compress && s.buffer.length) {
      s.buffer = [deflate(Buffer.concat(s.buffer))];
      s.compress = false;
    }
    finalize();
  };
}
