/**
 * `bulletin preflight`: does a PDF keep the PDF/X-1a:2001 rules a print shop
 * checks (ISO 15930-1)? Each finding names the page (or the document) and
 * the rule. What is checked: PDF 1.3, the PDF/X info keys and Trapped, one
 * GTS_PDFX output intent, TrimBox (or ArtBox) inside BleedBox inside
 * MediaBox on every page, no /UserUnit, no annotations, no transparency
 * (soft masks, constant alpha, blend modes, transparency groups), no RGB or
 * device-independent colour anywhere (content streams, images, inline
 * images, shadings, forms), every font embedded, no encryption.
 */
import fs from 'node:fs';
import { UserError } from '../source/errors.js';
import { REGISTERED_CONDITIONS } from '../template/conditions.js';
import { name, operators, PdfDict, PdfFile, PdfString, type PdfValue } from './pdf-file.js';

export interface Finding {
  /** 1-based page, or undefined for the document */
  page?: number;
  message: string;
}

/** Colour spaces PDF/X-1a allows: the printing inks, and what is made of them. */
const PROCESS = new Set(['DeviceCMYK', 'DeviceGray', 'Separation', 'DeviceN', 'Pattern']);
const ABBREVIATED: Record<string, string> = { G: 'DeviceGray', RGB: 'DeviceRGB', CMYK: 'DeviceCMYK', I: 'Indexed' };

export function preflight(data: Buffer): Finding[] {
  const pdf = new PdfFile(data);
  const findings: Finding[] = [];
  const doc = (message: string) => findings.push({ message });

  if (Number(pdf.version) > 1.3) doc(`the file is PDF ${pdf.version}; PDF/X-1a:2001 is PDF 1.3`);
  if (pdf.trailer.get('Encrypt') !== undefined) doc('the file is encrypted');

  const info = pdf.dict(pdf.trailer.get('Info'));
  const text = (k: string) => {
    const v = info && pdf.resolve(info.get(k));
    return v instanceof PdfString ? v.text : undefined;
  };
  if (text('GTS_PDFXVersion') === undefined) doc('the document info has no GTS_PDFXVersion');
  if (text('GTS_PDFXConformance') !== 'PDF/X-1a:2001') doc(`GTS_PDFXConformance is ${text('GTS_PDFXConformance') ?? 'missing'}, not PDF/X-1a:2001`);
  const trapped = info && name(pdf.resolve(info.get('Trapped')));
  if (trapped !== 'True' && trapped !== 'False') doc('Trapped is not /True or /False');
  for (const k of ['Title', 'CreationDate', 'ModDate']) if (text(k) === undefined) doc(`the document info has no ${k}`);

  const root = pdf.dict(pdf.trailer.get('Root'));
  const intents = pdf.array(root?.get('OutputIntents')).map((i) => pdf.dict(i)).filter((i) => name(i?.get('S')) === 'GTS_PDFX');
  if (intents.length !== 1) doc(`the file has ${intents.length} GTS_PDFX output intents; PDF/X wants one`);
  for (const intent of intents) {
    const id = pdf.resolve(intent!.get('OutputConditionIdentifier'));
    const profile = pdf.dict(intent!.get('DestOutputProfile'));
    if (!(id instanceof PdfString)) doc('the output intent has no OutputConditionIdentifier');
    else if (!profile && !(id.text in REGISTERED_CONDITIONS)) doc(`the output intent names "${id.text}", which is not a registered printing condition, and embeds no profile`);
    if (profile && pdf.resolve(profile.get('N')) !== 4) doc('the output profile is not a CMYK profile');
  }

  const seen = new Set<PdfValue>();
  pdf.pages().forEach((page, i) => {
    const at = (message: string) => findings.push({ page: i + 1, message });
    const box = (k: string) => {
      const b = pdf.array(page.get(k)).map((v) => pdf.resolve(v));
      return b.length === 4 && b.every((n) => typeof n === 'number') ? (b as number[]) : undefined;
    };
    const media = box('MediaBox');
    const trim = box('TrimBox') ?? box('ArtBox');
    const bleed = box('BleedBox');
    const inside = (a: number[], b: number[]) => Math.min(a[0], a[2]) >= Math.min(b[0], b[2]) - 0.01 && Math.max(a[0], a[2]) <= Math.max(b[0], b[2]) + 0.01 && Math.min(a[1], a[3]) >= Math.min(b[1], b[3]) - 0.01 && Math.max(a[1], a[3]) <= Math.max(b[1], b[3]) + 0.01;
    if (!media) at('no MediaBox');
    if (!trim) at('no TrimBox (or ArtBox)');
    if (trim && bleed && !inside(trim, bleed)) at('the TrimBox is not inside the BleedBox');
    if (bleed && media && !inside(bleed, media)) at('the BleedBox is not inside the MediaBox');
    if (page.get('UserUnit') !== undefined) at('the page has /UserUnit (PDF 1.6)');
    if (pdf.array(page.get('Annots')).length) at(`the page has ${pdf.array(page.get('Annots')).length} annotation(s) (links); PDF/X-1a allows none on the page`);
    if (name(pdf.dict(page.get('Group'))?.get('S')) === 'Transparency') at('the page is a transparency group');
    const content = pdf.array(page.get('Contents')).map((c) => pdf.dict(c));
    checkContent(pdf, content, pdf.dict(page.get('Resources')), at, seen, 0);
  });

  // Fonts anywhere in the file: each embedded.
  for (const v of pdf.objects.values()) {
    if (!(v instanceof PdfDict) || name(v.get('Type')) !== 'Font') continue;
    const sub = name(v.get('Subtype'));
    if (sub === 'Type3' || sub === 'Type0') continue;
    const desc = pdf.dict(v.get('FontDescriptor'));
    if (!desc || !['FontFile', 'FontFile2', 'FontFile3'].some((k) => desc.get(k) !== undefined)) doc(`the font ${name(v.get('BaseFont')) ?? '(unnamed)'} is not embedded`);
  }
  // One line per kind of fault on a page, however often it occurs there.
  const counted = new Map<string, Finding & { n: number }>();
  for (const f of findings) {
    const key = `${f.page ?? 0}\u0000${f.message}`;
    const had = counted.get(key);
    if (had) had.n++;
    else counted.set(key, { ...f, n: 1 });
  }
  return [...counted.values()].map(({ n, ...f }) => (n > 1 ? { ...f, message: `${f.message} (${n} times)` } : f));
}

/** Colour, transparency and images in content streams and the resources they use, forms included. */
function checkContent(pdf: PdfFile, streams: (PdfDict | undefined)[], resources: PdfDict | undefined, at: (m: string) => void, seen: Set<PdfValue>, depth: number): void {
  if (depth > 16) return;
  const res = (kind: string, key: string) => pdf.dict(pdf.dict(resources?.get(kind))?.get(key));
  const spaceOf = (v: PdfValue | undefined): string | undefined => {
    const cs = pdf.resolve(v);
    if (cs instanceof PdfDict) return undefined;
    if (Array.isArray(cs)) return name(cs[0]);
    const n = name(cs);
    if (!n) return undefined;
    if (ABBREVIATED[n]) return ABBREVIATED[n];
    const named = pdf.resolve(pdf.dict(resources?.get('ColorSpace'))?.get(n));
    return named === undefined ? n : spaceOf(named);
  };
  const colourSpace = (v: PdfValue | undefined, what: string) => {
    const s = spaceOf(v);
    if (s && !PROCESS.has(s)) {
      // Indexed over CMYK is fine; over RGB is not.
      const cs = pdf.resolve(v);
      if (s === 'Indexed' && Array.isArray(cs) && PROCESS.has(spaceOf(cs[1]) ?? '')) return;
      at(`${what} in ${s}: PDF/X-1a wants CMYK (or grey, or spot colours)`);
    }
  };
  const image = (img: PdfDict, what: string) => {
    if (img.get('SMask') !== undefined || img.get('SM') !== undefined) at(`${what} has a soft mask (transparency)`);
    if (!img.get('ImageMask') && !img.get('IM')) colourSpace(img.get('ColorSpace') ?? img.get('CS'), what);
  };

  for (const stream of streams) {
    if (!stream) continue;
    const bytes = pdf.decoded(stream);
    if (!bytes) continue;
    for (const { op, args } of operators(bytes)) {
      if (op === 'rg' || op === 'RG') at(`colour set in RGB (${args.map(String).join(' ')} ${op})`);
      else if (op === 'cs' || op === 'CS') colourSpace(args[0], 'a colour');
      else if (op === 'BI') image(args[0] as PdfDict, 'an inline image');
      else if (op === 'gs') {
        const key = name(args[0]);
        const gs = key ? res('ExtGState', key) : undefined;
        if (!gs || seen.has(gs)) continue;
        seen.add(gs);
        const smask = pdf.resolve(gs.get('SMask'));
        if (smask !== undefined && name(smask) !== 'None') at(`graphics state /${key} sets a soft mask (transparency)`);
        for (const k of ['CA', 'ca']) {
          const a = pdf.resolve(gs.get(k));
          if (typeof a === 'number' && a < 1) at(`graphics state /${key} sets ${k} ${a} (transparency)`);
        }
        const bm = name(pdf.resolve(gs.get('BM')));
        if (bm && bm !== 'Normal' && bm !== 'Compatible') at(`graphics state /${key} sets blend mode ${bm} (transparency)`);
      } else if (op === 'sh') {
        const key = name(args[0]);
        const sh = key ? res('Shading', key) : undefined;
        if (sh) colourSpace(sh.get('ColorSpace'), `shading /${key}`);
      } else if (op === 'Do') {
        const key = name(args[0]);
        const xo = key ? res('XObject', key) : undefined;
        if (!xo || seen.has(xo)) continue;
        seen.add(xo);
        const sub = name(xo.get('Subtype'));
        if (sub === 'Image') image(xo, `image /${key}`);
        else if (sub === 'Form') {
          if (name(pdf.dict(xo.get('Group'))?.get('S')) === 'Transparency') at(`form /${key} is a transparency group`);
          checkContent(pdf, [xo], pdf.dict(xo.get('Resources')) ?? resources, at, seen, depth + 1);
        }
      }
    }
  }
  // Patterns' own content and shadings.
  const patterns = pdf.dict(resources?.get('Pattern'));
  for (const [key, p] of patterns?.map ?? []) {
    const pat = pdf.dict(p);
    if (!pat || seen.has(pat)) continue;
    seen.add(pat);
    if (pat.stream) checkContent(pdf, [pat], pdf.dict(pat.get('Resources')), at, seen, depth + 1);
    const sh = pdf.dict(pat.get('Shading'));
    if (sh) colourSpace(sh.get('ColorSpace'), `pattern /${key}`);
  }
}

/** The findings for a PDF file; a file that is missing or not a PDF is the user's error, in one line. */
export function preflightFile(file: string): Finding[] {
  let data: Buffer;
  try {
    if (!fs.statSync(file).isFile()) throw new UserError('is not a regular file', file);
    data = fs.readFileSync(file);
  } catch (e) {
    if (e instanceof UserError) throw e;
    throw new UserError('cannot be read (no such file)', file);
  }
  try {
    return preflight(data);
  } catch (e) {
    throw new UserError(`is not a PDF the preflight can read (${(e as Error).message})`, file);
  }
}
