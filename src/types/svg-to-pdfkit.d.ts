// svg-to-pdfkit ships no types; this is the part we use.
declare module 'svg-to-pdfkit' {
  type SvgColour = [number[], number] | undefined;
  interface Options {
    width?: number;
    height?: number;
    preserveAspectRatio?: string;
    assumePt?: boolean;
    precision?: number;
    fontCallback?: (family: string, bold: boolean, italic: boolean, options: { fauxItalic: boolean; fauxBold: boolean }) => string;
    imageCallback?: (link: string) => string;
    colorCallback?: (colour: SvgColour, raw: string) => SvgColour;
    warningCallback?: (message: string) => void;
    documentCallback?: (file: string) => unknown;
  }
  function SVGtoPDF(doc: PDFKit.PDFDocument, svg: string, x: number, y: number, options?: Options): void;
  export = SVGtoPDF;
}
