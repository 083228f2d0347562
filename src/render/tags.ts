/**
 * The screen edition's structure tree (PDF/UA-1): layout names each item's
 * element (display.ts StructNode); here those become pdfkit structure
 * elements, created the first time they are met, so that the tree is in
 * reading order, and every piece of content is marked as an element's or
 * as an artifact. Without tagging, every call does nothing.
 */
import type { StructNode } from '../layout/display.js';

/** pdfkit's structure element (js/structure_element.js), the little of it we use. */
interface PdfStruct {
  add(child: unknown): PdfStruct;
  end(): void;
  dictionary: { data: Record<string, unknown> };
}

export class Tagger {
  private elements = new Map<StructNode, PdfStruct>();
  private root?: PdfStruct;
  /** the marked content open now: an element's, or null for an artifact */
  private open: StructNode | null | undefined;

  constructor(
    private doc: PDFKit.PDFDocument,
    readonly tagged: boolean,
  ) {
    if (tagged) {
      this.root = this.doc.struct('Document') as unknown as PdfStruct;
      this.doc.addStructure(this.root as unknown as PDFKit.PDFStructureElement);
    }
  }

  /** The element of `node`, made (with its parents) when first met. */
  element(node: StructNode): PdfStruct {
    let el = this.elements.get(node);
    if (el) return el;
    const parent = node.parent ? this.element(node.parent) : this.root!;
    const options: Record<string, unknown> = {};
    if (node.alt && node.role === 'Figure') options.alt = node.alt;
    el = this.doc.struct(node.role, options) as unknown as PdfStruct;
    // pdfkit knows Scope but not the span attributes; both belong to the Table attribute owner.
    const table: Record<string, unknown> = {};
    if (node.scope) table.Scope = node.scope;
    if (node.rowSpan) table.RowSpan = node.rowSpan;
    if (node.colSpan) table.ColSpan = node.colSpan;
    if (Object.keys(table).length) el.dictionary.data.A = { O: 'Table', ...table };
    // pdfkit writes a String object as a string (a JS string as a name).
    if (node.id) el.dictionary.data.ID = new String(node.id);
    parent.add(el);
    this.elements.set(node, el);
    return el;
  }

  /** Marks what is drawn next as `node`'s content, or as an artifact when there is none. */
  begin(node: StructNode | undefined): void {
    if (!this.tagged || this.open === (node ?? null)) return;
    this.end();
    if (node) this.element(node).add(this.doc.markStructureContent(node.role));
    else this.doc.markContent('Artifact');
    this.open = node ?? null;
  }

  end(): void {
    if (this.open === undefined) return;
    this.doc.endMarkedContent();
    this.open = undefined;
  }

  /** pdfkit options that put an annotation into `node`'s element, or none untagged. */
  annotation(node: StructNode | undefined, contents: string): { structParent?: unknown; Contents?: String } {
    if (!this.tagged || !node) return {};
    // pdfkit writes a JS string as a name; a String object is a text string.
    return { structParent: this.element(node), Contents: new String(contents) };
  }

  /** An element whose content and annotation are all written; ended now so that pdfkit records the annotation's page correctly. */
  finish(node: StructNode | undefined): void {
    if (this.tagged && node) this.elements.get(node)?.end();
  }
}
