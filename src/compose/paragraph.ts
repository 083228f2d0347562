/**
 * The composer's entry: collect → prepare → linebreak → finalize, the four
 * steps each in its own file. Settings are resolved by the caller once per
 * paragraph style.
 */
import { collect } from './collect.js';
import { finalize } from './finalize.js';
import { linebreak } from './linebreak.js';
import { prepare } from './prepare.js';
import type { ComposeSettings, ComposedLine, StyledText } from './types.js';

export function composeParagraph(text: StyledText[], settings: ComposeSettings): ComposedLine[] {
  const segments = collect(text, settings.latin);
  const lines: ComposedLine[] = [];
  segments.forEach((atoms, si) => {
    if (atoms.length === 0) return;
    const firstSegment = si === 0;
    const indent = (line: number) => (firstSegment && line === 0 ? settings.indent : 0);
    const width = (line: number) => settings.width - indent(line);
    const prepared = prepare(atoms, settings);
    lines.push(...finalize(prepared, linebreak(prepared, settings, width), settings, width, indent));
  });
  return lines;
}

/**
 * The widest stretch of a text that no line may break (a date, a phone
 * number, a word): what a table column must hold at least. Every break the
 * composer may take counts, its emergency breaks inside long words and
 * addresses too (how narrow those may get is the table's choice).
 */
export function unbreakableWidth(text: StyledText[], settings: ComposeSettings): number {
  let widest = 0;
  for (const atoms of collect(text, settings.latin)) {
    if (atoms.length === 0) continue;
    const p = prepare(atoms, settings);
    let run = 0;
    p.items.forEach((it, i) => {
      const g = p.gaps[i];
      if (i > 0 && g.penalty < Infinity) run = 0;
      else if (i > 0) run += g.natural;
      run += it.advance - it.trimLeft - it.trimRight;
      widest = Math.max(widest, run);
    });
  }
  return widest;
}

/** Natural width of a single line of text, in points (labels, table cells). */
export function measureText(text: StyledText[]): number {
  const settings: ComposeSettings = { width: Infinity, indent: 0, align: 'left', prohibition: 'basic', trimOpeningAtLineStart: false };
  let widest = 0;
  for (const atoms of collect(text)) {
    if (atoms.length === 0) continue;
    const p = prepare(atoms, settings);
    let w = 0;
    p.items.forEach((it, i) => (w += it.advance - it.trimLeft - it.trimRight + (i > 0 ? p.gaps[i].natural : 0)));
    widest = Math.max(widest, w);
  }
  return widest;
}
