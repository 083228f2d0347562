/**
 * What must hold for any issue folder, read back from the PDFs with pdf.js:
 * the command ends with exit 0 or 1 (never an internal error, never a hang);
 * every character of the source text is printed or named in a warning; no
 * glyph outside the page frame or on another glyph; no Markdown printed as
 * text; a rebuild gives the same bytes, from the cache and from a damaged
 * cache; both editions set the same text on the same pages.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { REPO } from '../helpers.js';
import { inkExtent, itemBox, outsideFrame, readPdfText, type PdfPageText } from '../pdf-text.js';

/** A build's end: its exit code (null: killed, after the time limit) and what it printed on stderr. */
interface Ended {
  code: number | null;
  stderr: string;
}

/** The longest a build of a generated issue may take: longer is a hang. */
const TIME_LIMIT_MS = 120_000;

function bulletin(issueDir: string, out: string): Promise<Ended> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [path.join(REPO, 'bin', 'bulletin.js'), 'build', issueDir, '--out', out, '--quiet', '--no-system-fonts', '--font-path', path.join(REPO, 'tests', 'stress', 'fonts')], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += String(d)));
    const timer = setTimeout(() => child.kill('SIGKILL'), TIME_LIMIT_MS);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stderr });
    });
  });
}

/** Markdown that reaches the page only where the source used it as markup, which generated issues never do otherwise. */
const MARKUP = ['**', '](', '{align', '{width', '{alt', '[^'];

/**
 * Text items of one page whose ink lies on one another's (more than a
 * quarter of the smaller one), as "p3: 'a' on 'b'". Across, each item's ink
 * (the blank half of a full-width mark at either end left out: compressed
 * punctuation lets the next glyph stand there); down, its em box.
 */
export function overlaps(pages: PdfPageText[]): string[] {
  const found: string[] = [];
  pages.forEach((p, page) => {
    const boxes = p.items
      .filter((it) => it.str.trim())
      .map((it) => {
        const b = itemBox(it);
        if (Math.abs(it.angle) > 1e-6) return { it, b };
        const { left, right } = inkExtent(it);
        return { it, b: { ...b, x: left, w: right - left } };
      });
    for (let i = 0; i < boxes.length; i++)
      for (let j = i + 1; j < boxes.length; j++) {
        const [a, b] = [boxes[i].b, boxes[j].b];
        const w = Math.min(a.x + a.w, b.x + b.w) - Math.max(a.x, b.x);
        const h = Math.min(a.y + a.h, b.y + b.h) - Math.max(a.y, b.y);
        if (w > 0.5 && h > 0.5 && w * h > 0.25 * Math.min(a.w * a.h, b.w * b.h)) found.push(`p${page + 1}: '${boxes[i].it.str.slice(0, 20)}' on '${boxes[j].it.str.slice(0, 20)}'`);
      }
  });
  return found;
}

export interface Verdict {
  /** the first invariant that failed, by name, and what showed it; none when all held */
  failed?: { invariant: string; detail: string };
  /** exit 1: the input was refused, in this one line */
  refused?: string;
}

/** Which rebuilds a check makes besides the first, cold build: again from the cache, and from a damaged one. */
export interface Rebuilds {
  warm: boolean;
  damaged: boolean;
}

/**
 * Builds `issueDir` into `out` (cold, then as `rebuilds` asks) and checks
 * every invariant. `text` is what the reader must find.
 */
export async function checkIssue(issueDir: string, out: string, text: string, rebuilds: Rebuilds = { warm: true, damaged: true }): Promise<Verdict> {
  fs.rmSync(out, { recursive: true, force: true });
  const first = await bulletin(issueDir, out);
  if (first.code === null) return { failed: { invariant: 'no hang', detail: `killed after ${TIME_LIMIT_MS / 1000} s` } };
  if (first.code !== 0 && first.code !== 1) return { failed: { invariant: 'exit 0 or 1', detail: `exit ${first.code}: ${first.stderr}` } };
  if (first.code === 1) {
    const lines = first.stderr.trim().split('\n');
    if (lines.length !== 1 || !lines[0].startsWith('bulletin: ')) return { failed: { invariant: 'one-line error', detail: first.stderr } };
    return { refused: lines[0] };
  }
  const files = fs.readdirSync(out).filter((f) => f.endsWith('.pdf')).sort();
  const screenFile = files.find((f) => !f.endsWith('-print.pdf'))!;
  const printFile = files.find((f) => f.endsWith('-print.pdf'))!;
  const screen = fs.readFileSync(path.join(out, screenFile));
  const print = fs.readFileSync(path.join(out, printFile));
  const pages = await readPdfText(screen);
  const printed = pages.map((p) => p.text).join('');

  const warned = first.stderr;
  const lost = [...new Set([...text].filter((ch) => ch.trim()))].filter((ch) => !printed.includes(ch) && !warned.includes(ch));
  if (lost.length) return { failed: { invariant: 'nothing lost', detail: `not printed, not warned: ${lost.join(' ')}` } };

  const markup = MARKUP.filter((m) => printed.includes(m));
  if (markup.length) return { failed: { invariant: 'no markup printed', detail: markup.join(' ') } };

  const outside = outsideFrame(pages);
  if (outside.length) return { failed: { invariant: 'inside the frame', detail: outside.slice(0, 5).join('; ') } };

  const onTop = overlaps(pages);
  if (onTop.length) return { failed: { invariant: 'no glyph on another', detail: onTop.slice(0, 5).join('; ') } };

  // Print pads blank pages before the back cover; otherwise page for page the same text.
  const printPages = await readPdfText(print);
  const differ = pages.findIndex((p, i) => p.text !== printPages[i === pages.length - 1 ? printPages.length - 1 : i].text);
  if (differ >= 0) return { failed: { invariant: 'one layout, two editions', detail: `page ${differ + 1} differs` } };

  // A rebuild that differs keeps the first build's PDFs beside its own (NAME.first.pdf), to be compared.
  const differs = (ended: Ended) => {
    const changed = [[screenFile, screen], [printFile, print]].filter(([f, bytes]) => !fs.readFileSync(path.join(out, f as string)).equals(bytes as Buffer)).map(([f]) => f as string);
    for (const f of changed) fs.writeFileSync(path.join(out, f.replace(/\.pdf$/, '.first.pdf')), f === screenFile ? screen : print);
    return ended.code !== 0 || changed.length > 0 ? `${changed.length ? `${changed.join(', ')} differ (first build kept as .first.pdf in ${out}); ` : ''}exit ${ended.code} ${ended.stderr}` : undefined;
  };
  if (rebuilds.warm) {
    const again = differs(await bulletin(issueDir, out));
    if (again) return { failed: { invariant: 'identical rebuild', detail: again } };
  }
  if (rebuilds.damaged) {
    // One cache file, chosen by the issue, with a byte in its middle changed.
    const cached = fs
      .readdirSync(path.join(out, '.cache'), { recursive: true, encoding: 'utf8' })
      .filter((f) => fs.statSync(path.join(out, '.cache', f)).isFile())
      .sort();
    const victim = path.join(out, '.cache', cached[text.length % cached.length]);
    const bytes = fs.readFileSync(victim);
    bytes[Math.floor(bytes.length / 2)] ^= 0x41;
    fs.writeFileSync(victim, bytes);
    const damaged = differs(await bulletin(issueDir, out));
    if (damaged) return { failed: { invariant: 'identical rebuild from a damaged cache', detail: `${path.relative(out, victim)}: ${damaged}` } };
  }
  return {};
}
