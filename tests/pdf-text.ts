import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';

export interface PdfPageText {
  text: string;
  items: { str: string; x: number; y: number }[];
}

/** The text of every page, read back with pdf.js. */
export async function readPdfText(data: Buffer): Promise<PdfPageText[]> {
  const doc = await getDocument({ data: new Uint8Array(data), verbosity: 0 }).promise;
  const pages: PdfPageText[] = [];
  for (let i = 1; i <= doc.numPages; i++) {
    const page = await doc.getPage(i);
    const content = await page.getTextContent();
    const items = content.items.flatMap((it) => ('str' in it ? [{ str: it.str, x: it.transform[4], y: it.transform[5] }] : []));
    pages.push({ text: items.map((i) => i.str).join(''), items });
  }
  await doc.destroy();
  return pages;
}
