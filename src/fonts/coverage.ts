/**
 * After layout, the font chain's decisions become messages: a note per
 * substitute font naming the characters it set, and a warning for every
 * occurrence of a character no font has, at its line and column in the file
 * it was written in (it is left out of the PDF).
 */
import { readText, type FileKind } from '../source/files.js';
import type { Warning } from '../source/errors.js';
import type { Block, DocumentModel } from '../model/document.js';
import type { Substitutions } from './fallback.js';
import type { LoadedFont } from './fonts.js';

function* dataFiles(blocks: Block[]): Generator<string> {
  for (const b of blocks) {
    if (b.kind === 'table') yield b.data.file;
    if (b.kind === 'chart') yield b.dataFile;
    if (b.kind === 'quote') yield* dataFiles(b.blocks);
  }
}

export interface SourceFile {
  file: string;
  /** what it is, for its size limit when read again */
  kind: FileKind;
}

/** Every file the issue's text came from, in reading order, and last the template (its names print too). */
export function sourceFiles(model: DocumentModel, issueFile: string, templateFile: string): SourceFile[] {
  const files: SourceFile[] = [{ file: issueFile, kind: 'manifest' }];
  for (const s of model.sections) for (const a of s.articles) files.push({ file: a.file, kind: 'article' }, ...[...dataFiles(a.blocks)].map((file) => ({ file, kind: 'data' as const })));
  files.push({ file: templateFile, kind: 'manifest' });
  return files.filter((f, i) => files.findIndex((g) => g.file === f.file) === i);
}

const codePoint = (cluster: string) => [...cluster].map((c) => `U+${c.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`).join(' ');

/** Each occurrence of `cluster` in `text`: 1-based line, and column counted in characters. */
function occurrences(text: string, cluster: string): { line: number; col: number }[] {
  const found: { line: number; col: number }[] = [];
  text.split('\n').forEach((line, i) => {
    let from = 0;
    for (let at = line.indexOf(cluster); at >= 0; at = line.indexOf(cluster, from)) {
      found.push({ line: i + 1, col: [...line.slice(0, at)].length + 1 });
      from = at + cluster.length;
    }
  });
  return found;
}

export function coverageMessages(subs: Substitutions, sources: SourceFile[], templateFonts: ReadonlySet<LoadedFont>): Warning[] {
  const messages: Warning[] = [];
  for (const [font, clusters] of subs.byFont) {
    if (templateFonts.has(font)) continue;
    messages.push({ kind: 'note', file: font.file, message: `set ${[...clusters].join(' ')} (${clusters.size > 1 ? 'characters' : 'a character'} the template's fonts lack)` });
  }
  if (subs.missing.size === 0) return messages;
  const texts = sources.map(({ file, kind }) => ({ file, text: readText(file, kind) }));
  const found: (Warning & { source: number })[] = [];
  for (const cluster of subs.missing) {
    const message = `no font has ${cluster} (${codePoint(cluster)}); it is left out`;
    const at = texts.flatMap(({ file, text }, source) => occurrences(text, cluster).map((pos) => ({ file, pos, message, source })));
    found.push(...(at.length ? at : [{ file: sources[0].file, message, source: 0 }]));
  }
  // In reading order: file by file, line by line.
  found.sort((a, b) => a.source - b.source || (a.pos?.line ?? 0) - (b.pos?.line ?? 0) || (a.pos?.col ?? 0) - (b.pos?.col ?? 0));
  return [...messages, ...found.map(({ source: _, ...w }) => w)];
}
