/**
 * What each edition declares: the print edition PDF/X-1a:2001 (output
 * intent, PDF/X info keys, PDF 1.3), the screen edition PDF/UA-1 (XMP with
 * pdfuaid, PDF 1.7). pdfkit writes most of a PDF; these are the pieces it
 * writes wrongly or not at all.
 */
/** What the document says of itself (Info dictionary, XMP). */
export interface DocumentInfo {
  title: string;
  author: string;
  subject: string;
  keywords: string;
  /** the date, also used as creation date so that rebuilds are identical */
  date: Date;
}

/** The printing condition the print edition is made for (ICC registry names, https://www.color.org/registry/). */
export interface OutputIntent {
  /** OutputConditionIdentifier, e.g. FOGRA39 */
  condition: string;
  /** what the identifier stands for, in words */
  info: string;
  registry: string;
  /** the printer's ICC profile (CMYK) when the template names one: embedded as DestOutputProfile */
  profile?: Buffer;
}

export type Conformance = { standard: 'PDF/X-1a:2001'; intent: OutputIntent } | { standard: 'PDF/UA-1' } | { standard: 'none' };


export function pdfVersion(c: Conformance): '1.3' | '1.7' {
  // PDF/X-1a:2001 is built on PDF 1.3; the screen edition uses what 1.7 gives (structure, Lang, XMP).
  return c.standard === 'PDF/UA-1' ? '1.7' : '1.3';
}

interface PdfRef {
  data: unknown;
  write(chunk: Buffer | string): void;
  end(chunk?: Buffer | string): void;
}
interface PdfDoc {
  ref(data?: unknown): PdfRef;
  _root: { data: Record<string, unknown> };
  info: Record<string, unknown>;
  endMetadata(): void;
}

const TRAPPED = '\u0000trapped-false';

/** Output intent and PDF/X keys. Call before `doc.end()`. */
export function declarePdfx(document: PDFKit.PDFDocument, intent: OutputIntent): void {
  const doc = document as unknown as PdfDoc;
  const out: Record<string, unknown> = {
    Type: 'OutputIntent',
    S: 'GTS_PDFX',
    OutputConditionIdentifier: new String(intent.condition),
    RegistryName: new String(intent.registry),
    Info: new String(intent.info),
  };
  if (intent.profile) {
    const profile = doc.ref({ N: 4 });
    profile.end(intent.profile);
    out.DestOutputProfile = profile;
  }
  const ref = doc.ref(out);
  ref.end();
  doc._root.data.OutputIntents = [ref];
  doc.info.GTS_PDFXVersion = 'PDF/X-1:2001';
  doc.info.GTS_PDFXConformance = 'PDF/X-1a:2001';
  // pdfkit writes every info value as a text string; PDF/X wants Trapped as the name /False.
  doc.info.Trapped = TRAPPED;
  const ref0 = doc.ref.bind(doc);
  doc.ref = (data?: unknown) => ref0(data instanceof String && data.valueOf() === TRAPPED ? 'False' : data);
}

const xml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
const xmpDate = (d: Date) => d.toISOString().replace(/\.\d+Z$/, 'Z');

/**
 * The XMP packet pdfkit would write, escaped (pdfkit writes the title raw:
 * a & or < breaks it), with the PDF/UA identification. Replaces pdfkit's.
 */
export function declareXmp(document: PDFKit.PDFDocument, info: DocumentInfo, ua: boolean): void {
  const doc = document as unknown as PdfDoc;
  doc.endMetadata = () => {
    const packet = `<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>
<x:xmpmeta xmlns:x="adobe:ns:meta/">
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
<rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:xmp="http://ns.adobe.com/xap/1.0/" xmlns:pdf="http://ns.adobe.com/pdf/1.3/"${ua ? ' xmlns:pdfuaid="http://www.aiim.org/pdfua/ns/id/"' : ''}>
<dc:format>application/pdf</dc:format>
<dc:title><rdf:Alt><rdf:li xml:lang="x-default">${xml(info.title)}</rdf:li></rdf:Alt></dc:title>
<dc:creator><rdf:Seq><rdf:li>${xml(info.author)}</rdf:li></rdf:Seq></dc:creator>
<dc:description><rdf:Alt><rdf:li xml:lang="x-default">${xml(info.subject)}</rdf:li></rdf:Alt></dc:description>
<dc:language><rdf:Bag><rdf:li>zh-CN</rdf:li></rdf:Bag></dc:language>
<xmp:CreateDate>${xmpDate(info.date)}</xmp:CreateDate>
<xmp:ModifyDate>${xmpDate(info.date)}</xmp:ModifyDate>
<xmp:CreatorTool>bulletin</xmp:CreatorTool>
<pdf:Producer>bulletin</pdf:Producer>
<pdf:Keywords>${xml(info.keywords)}</pdf:Keywords>${ua ? '\n<pdfuaid:part>1</pdfuaid:part>' : ''}
</rdf:Description>
</rdf:RDF>
</x:xmpmeta>
<?xpacket end="w"?>`;
    const bytes = Buffer.from(packet, 'utf8');
    const ref = doc.ref({ Type: 'Metadata', Subtype: 'XML' });
    // XMP stays readable to tools that scan for it: not compressed.
    (ref as unknown as { compress: boolean }).compress = false;
    ref.end(bytes);
    doc._root.data.Metadata = ref;
  };
}
