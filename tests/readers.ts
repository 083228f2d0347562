/**
 * The text three PDF engines copy out of a PDF, as members' readers do:
 * pdf.js (Firefox), PDFium (Chrome, Edge) and MuPDF (SumatraPDF, many phone
 * viewers), each through its npm build (WebAssembly for the last two). Each
 * gives the lines of every page in its own reading order, with the line's
 * baseline measured from the top of the page, so that a test can leave out
 * the running lines and compare what is left with the source.
 */
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pdfLines, readPdfText } from './pdf-text.js';

export const ENGINES = ['pdf.js', 'PDFium', 'MuPDF'] as const;

/** Stands where a reader ends a line, in text joined from its lines. */
export const LINE_END = '\u2028';

/**
 * Does text copied line by line (lines joined by LINE_END) hold `source`
 * exactly, as a reader pastes it? A line may end anywhere (between two
 * Chinese characters, inside an address), and where it ends at a space the
 * reader may keep that space or make the line's end stand for it (pdf.js and
 * PDFium do); where it ends inside a hyphenated word, the hyphen is a soft
 * hyphen (U+00AD; PDFium gives U+0002), which pastes as nothing. Nothing else
 * may differ: no space added or lost, no character.
 */
export function copiesAs(copied: string, source: string, whole = false): boolean {
  const text = copied.replace(/[\u00ad\u0002]/g, '');
  const esc = (c: string) => c.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const pattern = [...source].map((c, i) => (c === ' ' ? '(?: \u2028?|\u2028)' : `${i ? '\u2028?' : ''}${esc(c)}`)).join('');
  return new RegExp(whole ? `^\\u2028?${pattern}\\u2028?$` : pattern, 'u').test(text);
}
export type Engine = (typeof ENGINES)[number];

export interface CopiedLine {
  /** 0-based page index */
  page: number;
  /** the line's baseline (MuPDF: its box's foot), points from the top of the page */
  y: number;
  text: string;
}

const require = createRequire(import.meta.url);

export async function copiedLines(engine: Engine, data: Buffer): Promise<CopiedLine[]> {
  if (engine === 'pdf.js') return pdfjsLines(data);
  if (engine === 'PDFium') return pdfiumLines(data);
  return mupdfLines(data);
}

async function pdfjsLines(data: Buffer): Promise<CopiedLine[]> {
  const pages = await readPdfText(data);
  const heights = pages.map((p) => p.height);
  return pdfLines(pages).map((l) => ({ page: l.page, y: heights[l.page] - l.y, text: l.text }));
}

async function mupdfLines(data: Buffer): Promise<CopiedLine[]> {
  const mupdf = await import('mupdf');
  const doc = mupdf.Document.openDocument(data, 'application/pdf');
  const lines: CopiedLine[] = [];
  try {
    for (let page = 0; page < doc.countPages(); page++) {
      const p = doc.loadPage(page);
      const text = p.toStructuredText('preserve-whitespace');
      const json = JSON.parse(text.asJSON()) as { blocks: { type: string; lines?: { bbox: { y: number; h: number }; text: string }[] }[] };
      for (const b of json.blocks) for (const l of b.lines ?? []) lines.push({ page, y: l.bbox.y + l.bbox.h, text: l.text });
      text.destroy();
      p.destroy();
    }
  } finally {
    doc.destroy();
  }
  return lines;
}

type Pdfium = Awaited<ReturnType<typeof import('@embedpdf/pdfium').init>>;
let pdfium: Promise<Pdfium> | undefined;

async function pdfiumLines(data: Buffer): Promise<CopiedLine[]> {
  pdfium ??= (async () => {
    const { init } = await import('@embedpdf/pdfium');
    const wasmBinary = fs.readFileSync(path.join(path.dirname(require.resolve('@embedpdf/pdfium')), 'pdfium.wasm'));
    const p = await init({ wasmBinary: wasmBinary.buffer.slice(wasmBinary.byteOffset, wasmBinary.byteOffset + wasmBinary.byteLength) as ArrayBuffer });
    p.PDFiumExt_Init();
    return p;
  })();
  const p = await pdfium;
  const m = p.pdfium;
  const bytes = m.wasmExports.malloc(data.length);
  // The module's memory (emscripten's HEAPU8, which the package's types leave out).
  (m as unknown as { HEAPU8: Uint8Array }).HEAPU8.set(data, bytes);
  const doc = p.FPDF_LoadMemDocument(bytes, data.length, '');
  const origin = m.wasmExports.malloc(16);
  const lines: CopiedLine[] = [];
  try {
    for (let page = 0; page < p.FPDF_GetPageCount(doc); page++) {
      const pg = p.FPDF_LoadPage(doc, page);
      const height = p.FPDF_GetPageHeightF(pg);
      const tp = p.FPDFText_LoadPage(pg);
      // Characters in PDFium's order; the line breaks it generates end a line, the spaces it generates stay (they are copied).
      let line: CopiedLine | undefined;
      for (let i = 0; i < p.FPDFText_CountChars(tp); i++) {
        const ch = String.fromCodePoint(p.FPDFText_GetUnicode(tp, i));
        if (ch === '\r' || ch === '\n') {
          if (line) lines.push(line);
          line = undefined;
          continue;
        }
        p.FPDFText_GetCharOrigin(tp, i, origin, origin + 8);
        const y = height - m.getValue(origin + 8, 'double');
        // PDFium carries a line that ends in a soft hyphen on into whatever it reads next (the running
        // head of the page): a character on another line (not a superscript's shift) starts a new one.
        if (line && Math.abs(y - line.y) > 6) {
          lines.push(line);
          line = undefined;
        }
        line ??= { page, y, text: '' };
        line.text += ch;
      }
      if (line) lines.push(line);
      p.FPDFText_ClosePage(tp);
      p.FPDF_ClosePage(pg);
    }
  } finally {
    p.FPDF_CloseDocument(doc);
    m.wasmExports.free(origin);
    m.wasmExports.free(bytes);
  }
  return lines;
}
