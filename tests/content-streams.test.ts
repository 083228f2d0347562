import zlib from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { deflateOnce } from '../src/render/contents.js';

/** A stand-in for a pdfkit stream that records what its own finalize was given. */
function stream(chunks: string[]) {
  const s = { compress: true, buffer: chunks.map((c) => Buffer.from(c)) as Uint8Array[], seen: [] as { compress: boolean; bytes: Buffer }[], finalize() {} };
  s.finalize = () => void s.seen.push({ compress: s.compress, bytes: Buffer.concat(s.buffer) });
  deflateOnce(s);
  return s;
}

describe('page content streams deflated once per process', () => {
  it('gives pdfkit what zlib makes of each stream, marked as deflated already: the same content again, or other content', () => {
    const page = 'BT /F1 10 Tf [<0001> 20 <0002>] TJ ET\n'.repeat(200);
    const other = page.replace('<0002>', '<0003>');
    for (const chunks of [[page], [page.slice(0, 100), page.slice(100)], [other], [page], [other.slice(0, 7), other.slice(7)]]) {
      const s = stream(chunks);
      s.finalize();
      expect(s.seen).toHaveLength(1);
      expect(s.seen[0].compress).toBe(false);
      expect(s.seen[0].bytes.equals(zlib.deflateSync(Buffer.from(chunks.join(''))))).toBe(true);
    }
  });

  it('leaves an empty stream, or one pdfkit does not deflate, as it is', () => {
    const empty = stream([]);
    empty.finalize();
    expect(empty.seen).toEqual([{ compress: true, bytes: Buffer.alloc(0) }]);
    const plain = stream(['q Q\n']);
    plain.compress = false;
    plain.finalize();
    expect(plain.seen).toEqual([{ compress: false, bytes: Buffer.from('q Q\n') }]);
  });
});
