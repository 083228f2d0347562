/**
 * Before layout: every character of the issue is looked up in the
 * template's fonts and fallbacks. A character that none of them has is
 * reported (file and line) and left out of the PDF rather than drawn as an
 * empty box.
 */
import type { Warning } from '../errors.js';
import type { Block, DocumentModel, Span } from '../model/document.js';
import type { FontSet } from './fonts.js';

interface Located {
  text: string;
  file: string;
  line?: number;
}

function* blockTexts(b: Block, file: string): Generator<Located> {
  const spans = (s: Span[], line: number) => ({ text: s.map((x) => x.text).join(''), file, line });
  switch (b.kind) {
    case 'paragraph':
    case 'heading':
      yield spans(b.spans, b.line);
      break;
    case 'list':
      for (const item of b.items) yield spans(item.spans, b.line);
      break;
    case 'quote':
      for (const inner of b.blocks) yield* blockTexts(inner, file);
      break;
    case 'code':
      yield { text: b.text, file, line: b.line };
      break;
    case 'images':
      for (const i of b.images) yield { text: i.caption, file, line: b.line };
      break;
    case 'table':
      for (const t of [b.caption, b.subcaption, b.note]) if (t) yield { text: t, file, line: b.line };
      for (const row of b.data.header) yield { text: row.join(''), file: b.data.file, line: 1 };
      for (const [i, row] of b.data.body.entries()) yield { text: row.join(''), file: b.data.file, line: b.data.bodyLines[i] };
      break;
    case 'chart':
      yield { text: [b.title, b.unit, b.source, ...b.categories, ...b.series.map((s) => s.name)].join(''), file, line: b.line };
      break;
    case 'rule':
      break;
  }
}

function* modelTexts(model: DocumentModel, issueFile: string): Generator<Located> {
  yield { text: [model.label, model.period, ...model.staff.flatMap((s) => [s.role, s.name])].join(''), file: issueFile };
  for (const section of model.sections) {
    yield { text: section.title, file: issueFile };
    for (const a of section.articles) {
      yield { text: [a.title, a.toc, a.source ?? ''].join(''), file: a.file, line: 1 };
      for (const b of a.blocks) yield* blockTexts(b, a.file);
    }
  }
}

export function checkCoverage(model: DocumentModel, fonts: FontSet, issueFile: string): Warning[] {
  const warnings: Warning[] = [];
  const seen = new Set<string>();
  const covered = new Map<number, boolean>();
  for (const { text, file, line } of modelTexts(model, issueFile)) {
    for (const ch of text) {
      if (/\s|\p{Cc}|\p{Cf}/u.test(ch)) continue;
      const cp = ch.codePointAt(0)!;
      let ok = covered.get(cp);
      if (ok === undefined) covered.set(cp, (ok = fonts.all.some((f) => f.covers(cp))));
      const key = `${file}\u0000${ch}`;
      if (ok || seen.has(key)) continue;
      seen.add(key);
      const code = `U+${cp.toString(16).toUpperCase().padStart(4, '0')}`;
      warnings.push({ file, pos: line ? { line, col: 1 } : undefined, message: `no font of the template has ${ch} (${code}); it is left out` });
    }
  }
  return warnings;
}
