/**
 * A tagged PDF's structure tree, read with the preflight's PDF reader, and
 * the text of each marked-content sequence as pdf.js extracts it (what a
 * reader copies): enough to check the PDF/UA rules and copy fidelity.
 */
import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';
import { name, PdfDict, PdfFile, PdfRef, PdfString, type PdfValue } from '../src/preflight/pdf-file.js';
import { LINE_END } from './readers.js';

export interface Element {
  role: string;
  alt?: string;
  /** attributes (/A), flattened */
  attrs: Record<string, unknown>;
  parent?: Element;
  kids: Element[];
  /** marked content of this element itself, in order: "page object number:mcid" */
  content: string[];
  /** annotations (OBJR) by object number */
  annots: number[];
  /** the element's text: its content and its children's, in order */
  text: string;
  /** the same with LINE_END where pdf.js ends a line (what its copy turns into a line break) */
  copied: string;
}

export interface Tagged {
  pdf: PdfFile;
  roots: Element[];
  elements: Element[];
  /** text of every marked-content sequence of an element, by "page:mcid" */
  marked: Map<string, string>;
  /** the same with LINE_END at each line's end */
  markedLines: Map<string, string>;
  /** per page: text drawn outside any marked content (neither tagged nor an artifact) */
  untaggedText: string[];
  /** per page: text inside artifacts */
  artifactText: string[];
}

export async function readTagged(data: Buffer): Promise<Tagged> {
  const pdf = new PdfFile(data);
  const marked = new Map<string, string>();
  const markedLines = new Map<string, string>();
  const untaggedText: string[] = [];
  const artifactText: string[] = [];
  const doc = await getDocument({ data: new Uint8Array(data), verbosity: 0 }).promise;
  for (let i = 1; i <= doc.numPages; i++) {
    const page = await doc.getPage(i);
    const content = await page.getTextContent({ includeMarkedContent: true });
    const stack: string[] = [];
    let lastMarked: string | undefined;
    let untagged = '';
    let artifact = '';
    for (const it of content.items) {
      if ('type' in it) {
        if (it.type === 'beginMarkedContentProps' || it.type === 'beginMarkedContent') {
          const m = /^p(\d+)R_mc(\d+)$/.exec(it.id ?? '');
          stack.push(m ? `${m[1]}:${m[2]}` : (it as { tag?: string }).tag === 'Artifact' ? 'artifact' : 'other');
        } else if (it.type === 'endMarkedContent') stack.pop();
        continue;
      }
      const top = stack[stack.length - 1];
      if (!top) untagged += it.str;
      else if (stack.includes('artifact')) artifact += it.str;
      else if (it.str) {
        marked.set(top, (marked.get(top) ?? '') + it.str);
        markedLines.set(top, (markedLines.get(top) ?? '') + it.str);
        lastMarked = top;
      }
      // pdf.js ends a line with an empty item, in whatever sequence is open when it sees the next line: the line ended in the last one written.
      if (it.hasEOL && lastMarked && !markedLines.get(lastMarked)!.endsWith(LINE_END)) markedLines.set(lastMarked, markedLines.get(lastMarked) + LINE_END);
    }
    // A page's last line ends too.
    if (lastMarked && !markedLines.get(lastMarked)!.endsWith(LINE_END)) markedLines.set(lastMarked, markedLines.get(lastMarked) + LINE_END);
    untaggedText.push(untagged);
    artifactText.push(artifact);
  }
  await doc.destroy();

  const catalog = pdf.dict(pdf.trailer.get('Root'));
  const treeRoot = pdf.dict(catalog?.get('StructTreeRoot'));
  const elements: Element[] = [];
  const seen = new Set<PdfDict>();
  const element = (d: PdfDict, parent?: Element): Element => {
    seen.add(d);
    const alt = pdf.resolve(d.get('Alt'));
    const attrs: Record<string, unknown> = {};
    const a = pdf.dict(d.get('A'));
    for (const [k, v] of a?.map ?? []) attrs[k] = name(v) ?? v;
    const el: Element = { role: name(d.get('S')) ?? '?', alt: alt instanceof PdfString ? alt.text : undefined, attrs, parent, kids: [], content: [], annots: [], text: '', copied: '' };
    elements.push(el);
    const pg = d.get('Pg');
    const pageNum = (v: PdfValue | undefined) => (v instanceof PdfRef ? v.num : -1);
    const kids = pdf.resolve(d.get('K'));
    for (const k of Array.isArray(kids) ? kids : kids === undefined ? [] : [kids]) {
      if (typeof k === 'number') {
        el.content.push(`${pageNum(pg)}:${k}`);
        el.text += marked.get(`${pageNum(pg)}:${k}`) ?? '';
        el.copied += markedLines.get(`${pageNum(pg)}:${k}`) ?? '';
        continue;
      }
      const kd = k instanceof PdfRef ? pdf.dict(k) : k instanceof PdfDict ? k : undefined;
      if (!kd) continue;
      const type = name(kd.get('Type'));
      if (type === 'MCR') {
        const key = `${pageNum(kd.get('Pg') ?? pg)}:${pdf.resolve(kd.get('MCID'))}`;
        el.content.push(key);
        el.text += marked.get(key) ?? '';
        el.copied += markedLines.get(key) ?? '';
      } else if (type === 'OBJR') {
        const obj = kd.get('Obj');
        if (obj instanceof PdfRef) el.annots.push(obj.num);
      } else if (!seen.has(kd)) {
        const child = element(kd, el);
        el.kids.push(child);
        el.text += child.text;
        el.copied += child.copied;
      }
    }
    return el;
  };
  const top = pdf.resolve(treeRoot?.get('K'));
  const roots = (Array.isArray(top) ? top : top === undefined ? [] : [top]).flatMap((k) => {
    const d = pdf.dict(k);
    return d ? [element(d)] : [];
  });
  return { pdf, roots, elements, marked, markedLines, untaggedText, artifactText };
}

/** Painting operators (text, paths, images, shadings) outside any marked content, per page. */
export function unmarkedPainting(pdf: PdfFile, ops: (content: Buffer) => Iterable<{ op: string }>): number[] {
  const PAINT = new Set(['Tj', 'TJ', "'", '"', 'f', 'F', 'f*', 'S', 's', 'B', 'B*', 'b', 'b*', 'Do', 'sh', 'BI']);
  return pdf.pages().map((page) => {
    let depth = 0;
    let n = 0;
    for (const c of pdf.array(page.get('Contents'))) {
      const d = pdf.dict(c);
      const bytes = d && pdf.decoded(d);
      if (!bytes) continue;
      for (const { op } of ops(bytes)) {
        if (op === 'BDC' || op === 'BMC') depth++;
        else if (op === 'EMC') depth--;
        else if (depth === 0 && PAINT.has(op)) n++;
      }
    }
    return n;
  });
}
