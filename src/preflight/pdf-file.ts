/**
 * Just enough of a PDF reader for a preflight: every indirect object found
 * by scanning the file (as repair tools do, so a damaged cross-reference
 * table does not hide anything), parsed into plain values, and content
 * streams split into operators. Streams are decoded when FlateDecode (or
 * unfiltered); images are judged by their dictionaries, never decoded.
 */
import zlib from 'node:zlib';

export type PdfValue = null | boolean | number | PdfName | PdfString | PdfRef | PdfValue[] | PdfDict;
export class PdfName {
  constructor(readonly name: string) {}
}
export class PdfString {
  constructor(readonly bytes: Buffer) {}
  get text(): string {
    const b = this.bytes;
    if (b[0] === 0xfe && b[1] === 0xff) return b.subarray(2).swap16().toString('utf16le');
    return b.toString('latin1');
  }
}
export class PdfRef {
  constructor(readonly num: number) {}
}
export class PdfDict {
  constructor(
    readonly map: Map<string, PdfValue>,
    /** raw stream bytes after the dictionary, when it is a stream */
    readonly stream?: Buffer,
  ) {}
  get(key: string): PdfValue | undefined {
    return this.map.get(key);
  }
}

const WS = new Set([0x00, 0x09, 0x0a, 0x0c, 0x0d, 0x20]);
const DELIM = new Set([...'()<>[]{}/%'].map((c) => c.charCodeAt(0)));

/** Tokens of PDF syntax from a buffer (file bodies and content streams alike). */
export class Lexer {
  pos: number;
  constructor(
    readonly buf: Buffer,
    pos = 0,
  ) {
    this.pos = pos;
  }

  private skip(): void {
    const b = this.buf;
    while (this.pos < b.length) {
      if (WS.has(b[this.pos])) this.pos++;
      else if (b[this.pos] === 0x25) while (this.pos < b.length && b[this.pos] !== 0x0a && b[this.pos] !== 0x0d) this.pos++;
      else break;
    }
  }

  /** The next object, or an operator (a bare word) as a string; undefined at the end. */
  next(): PdfValue | string | undefined {
    this.skip();
    const b = this.buf;
    if (this.pos >= b.length) return undefined;
    const c = b[this.pos];
    if (c === 0x2f) {
      let e = ++this.pos;
      while (e < b.length && !WS.has(b[e]) && !DELIM.has(b[e])) e++;
      const raw = b.subarray(this.pos, e).toString('latin1');
      this.pos = e;
      return new PdfName(raw.replace(/#([0-9a-fA-F]{2})/g, (_, h: string) => String.fromCharCode(parseInt(h, 16))));
    }
    if (c === 0x28) return this.literal();
    if (c === 0x3c && b[this.pos + 1] === 0x3c) {
      this.pos += 2;
      return this.dict();
    }
    if (c === 0x3c) {
      const e = b.indexOf(0x3e, this.pos);
      const hex = b.subarray(this.pos + 1, e < 0 ? b.length : e).toString('latin1').replace(/[^0-9a-fA-F]/g, '');
      this.pos = e < 0 ? b.length : e + 1;
      return new PdfString(Buffer.from(hex.length % 2 ? hex + '0' : hex, 'hex'));
    }
    if (c === 0x5b) {
      this.pos++;
      const arr: PdfValue[] = [];
      for (;;) {
        this.skip();
        if (this.pos >= b.length) return arr;
        if (b[this.pos] === 0x5d) {
          this.pos++;
          return arr;
        }
        const v = this.value();
        if (v === undefined) return arr;
        arr.push(v);
      }
    }
    if (c === 0x5d || c === 0x3e || c === 0x29 || c === 0x7b || c === 0x7d) {
      this.pos++;
      return String.fromCharCode(c);
    }
    let e = this.pos;
    while (e < b.length && !WS.has(b[e]) && !DELIM.has(b[e])) e++;
    if (e === this.pos) e++;
    const word = b.subarray(this.pos, e).toString('latin1');
    this.pos = e;
    if (/^[+-]?(\d+\.?\d*|\.\d+)$/.test(word)) return Number(word);
    if (word === 'true' || word === 'false') return word === 'true';
    if (word === 'null') return null;
    return word;
  }

  /** The next value, with `n g R` read as a reference. */
  value(): PdfValue | undefined {
    const v = this.next();
    if (typeof v === 'number' && Number.isInteger(v)) {
      const save = this.pos;
      const g = this.next();
      const r = typeof g === 'number' ? this.next() : undefined;
      if (r === 'R') return new PdfRef(v);
      this.pos = save;
      return v;
    }
    return typeof v === 'string' ? undefined : v;
  }

  private dict(): PdfDict {
    const map = new Map<string, PdfValue>();
    const b = this.buf;
    for (;;) {
      this.skip();
      if (this.pos >= b.length) break;
      if (b[this.pos] === 0x3e && b[this.pos + 1] === 0x3e) {
        this.pos += 2;
        break;
      }
      const k = this.next();
      if (!(k instanceof PdfName)) {
        if (k === undefined) break;
        continue;
      }
      const v = this.value();
      if (v !== undefined) map.set(k.name, v);
    }
    return new PdfDict(map);
  }

  private literal(): PdfString {
    const b = this.buf;
    const out: number[] = [];
    let depth = 0;
    this.pos++;
    while (this.pos < b.length) {
      const c = b[this.pos++];
      if (c === 0x5c) {
        const n = b[this.pos++];
        const esc: Record<number, number> = { 0x6e: 10, 0x72: 13, 0x74: 9, 0x62: 8, 0x66: 12 };
        if (n in esc) out.push(esc[n]);
        else if (n >= 0x30 && n <= 0x37) {
          let oct = String.fromCharCode(n);
          while (oct.length < 3 && b[this.pos] >= 0x30 && b[this.pos] <= 0x37) oct += String.fromCharCode(b[this.pos++]);
          out.push(parseInt(oct, 8) & 0xff);
        } else if (n !== 0x0a && n !== 0x0d) out.push(n);
      } else if (c === 0x28) {
        depth++;
        out.push(c);
      } else if (c === 0x29) {
        if (depth-- === 0) break;
        out.push(c);
      } else out.push(c);
    }
    return new PdfString(Buffer.from(out));
  }
}

export class PdfFile {
  readonly objects = new Map<number, PdfValue>();
  readonly version: string;
  readonly trailer: PdfDict;

  constructor(readonly data: Buffer) {
    const head = /^%PDF-(\d\.\d)/.exec(data.subarray(0, 1024).toString('latin1'));
    if (!head) throw new Error('not a PDF file (no %PDF- header)');
    this.version = head[1];
    const text = data.toString('latin1');
    const re = /(\d+)\s+(\d+)\s+obj\b/g;
    for (let m = re.exec(text); m; m = re.exec(text)) {
      const lex = new Lexer(data, m.index + m[0].length);
      const v = lex.value();
      if (v === undefined) continue;
      let value: PdfValue = v;
      if (v instanceof PdfDict) {
        const after = /^\s*stream\r?\n/.exec(text.slice(lex.pos, lex.pos + 20));
        if (after) {
          const start = lex.pos + after[0].length;
          const len = v.get('Length');
          const end = typeof len === 'number' && text.startsWith('endstream', skipWs(text, start + len)) ? start + len : text.indexOf('endstream', start);
          value = new PdfDict(v.map, data.subarray(start, end < 0 ? data.length : end));
          re.lastIndex = end < 0 ? data.length : end;
        }
      }
      this.objects.set(Number(m[1]), value);
    }
    this.trailer = this.findTrailer(text);
  }

  private findTrailer(text: string): PdfDict {
    const at = text.lastIndexOf('trailer');
    if (at >= 0) {
      const t = new Lexer(this.data, at + 7).value();
      if (t instanceof PdfDict) return t;
    }
    // A cross-reference stream carries the trailer's keys.
    for (const v of this.objects.values()) if (v instanceof PdfDict && name(v.get('Type')) === 'XRef') return v;
    throw new Error('no trailer');
  }

  resolve(v: PdfValue | undefined): PdfValue | undefined {
    for (let i = 0; v instanceof PdfRef && i < 32; i++) v = this.objects.get(v.num);
    return v instanceof PdfRef ? undefined : v;
  }

  dict(v: PdfValue | undefined): PdfDict | undefined {
    const d = this.resolve(v);
    return d instanceof PdfDict ? d : undefined;
  }

  array(v: PdfValue | undefined): PdfValue[] {
    const a = this.resolve(v);
    return Array.isArray(a) ? a : a === undefined ? [] : [a];
  }

  /** A stream's bytes decoded, when its filters are ones we read (Flate, or none). */
  decoded(d: PdfDict): Buffer | undefined {
    if (!d.stream) return undefined;
    const filters = this.array(d.get('Filter')).map(name);
    let bytes = d.stream;
    for (const f of filters) {
      if (f !== 'FlateDecode') return undefined;
      try {
        bytes = zlib.inflateSync(bytes);
      } catch {
        return undefined;
      }
    }
    return bytes;
  }

  /** Pages in order, with the attributes they inherit from the page tree. */
  pages(): PdfDict[] {
    const root = this.dict(this.trailer.get('Root'));
    const out: PdfDict[] = [];
    const inheritable = ['Resources', 'MediaBox', 'CropBox', 'Rotate'];
    const walk = (node: PdfDict | undefined, inherited: Map<string, PdfValue>, depth: number) => {
      if (!node || depth > 64) return;
      const here = new Map(inherited);
      for (const k of inheritable) if (node.get(k) !== undefined) here.set(k, node.get(k)!);
      if (name(node.get('Type')) === 'Pages') for (const kid of this.array(node.get('Kids'))) walk(this.dict(kid), here, depth + 1);
      else out.push(new PdfDict(new Map([...here, ...node.map]), node.stream));
    };
    walk(this.dict(root?.get('Pages')), new Map(), 0);
    return out;
  }
}

const skipWs = (t: string, i: number) => {
  while (i < t.length && /\s/.test(t[i])) i++;
  return i;
};

export const name = (v: PdfValue | undefined): string | undefined => (v instanceof PdfName ? v.name : undefined);

/** The operators of a content stream, each with its operands; inline images as one `BI` with their dictionary. */
export function* operators(content: Buffer): Generator<{ op: string; args: PdfValue[] }> {
  const lex = new Lexer(content);
  let args: PdfValue[] = [];
  for (;;) {
    const t = lex.next();
    if (t === undefined) return;
    if (typeof t !== 'string') {
      args.push(t);
      continue;
    }
    if (t === 'BI') {
      const map = new Map<string, PdfValue>();
      for (;;) {
        const k = lex.next();
        if (k === undefined || k === 'ID') break;
        if (k instanceof PdfName) {
          const v = lex.value();
          if (v !== undefined) map.set(k.name, v);
        }
      }
      const end = content.indexOf('EI', lex.pos);
      lex.pos = end < 0 ? content.length : end + 2;
      yield { op: 'BI', args: [new PdfDict(map)] };
    } else yield { op: t, args };
    args = [];
  }
}
