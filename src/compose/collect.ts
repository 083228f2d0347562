/**
 * Composer step 1: styled text → atoms, the units lines are made of: one Han
 * character or punctuation mark, one Latin word (letters, digits and the
 * signs that cling to them), or an unbreakable —— / …… pair. Spaces become
 * a flag on the atom after them; `\n` splits the paragraph into segments.
 */
import { classify, type CharClass } from './classify.js';
import type { RunStyle, StyledText } from './types.js';

export interface Atom {
  text: string;
  cls: CharClass;
  style: RunStyle;
  /** a space (of this width in em of the atom's font) stood before this atom in the source */
  spaceBefore: number;
  /** continues the previous atom's word (a style change inside a word, or a URL piece) */
  joinPrev: boolean;
  /** with joinPrev: a break is allowed here, but only as a last resort (URLs) */
  emergency: boolean;
}

const URL_BREAK_AFTER = /[/.\-?&=_@]/;

/** Splits styled text into segments (at forced line breaks) of atoms. */
export function collect(runs: StyledText[]): Atom[][] {
  const segments: Atom[][] = [[]];
  let pendingSpace = 0;
  let prevClass: CharClass | undefined;
  for (const run of runs) {
    const chars = [...run.text];
    for (let i = 0; i < chars.length; i++) {
      const ch = chars[i];
      const atoms = segments[segments.length - 1];
      if (ch === '\n') {
        segments.push([]);
        pendingSpace = 0;
        prevClass = undefined;
        continue;
      }
      const cls = classify(ch);
      if (cls === 'space') {
        if (atoms.length) pendingSpace = run.style.font.advance(32);
        prevClass = 'space';
        continue;
      }
      const last = atoms[atoms.length - 1];
      const sameRunWord = last && prevClass === 'latin' && cls === 'latin';
      if (sameRunWord && last.style === run.style) {
        last.text += ch;
      } else if ((ch === '—' || ch === '…') && last && last.text === ch && last.style === run.style) {
        last.text += ch; // —— and …… are one unbreakable unit
      } else {
        atoms.push({ text: ch, cls, style: run.style, spaceBefore: pendingSpace, joinPrev: !!sameRunWord, emergency: false });
      }
      pendingSpace = 0;
      prevClass = cls;
    }
  }
  return segments.map(splitUrls);
}

/** Long words with URL punctuation may break after / . - ? & = _ @, as a last resort. */
function splitUrls(atoms: Atom[]): Atom[] {
  const out: Atom[] = [];
  for (const a of atoms) {
    if (a.cls !== 'latin' || a.text.length < 16 || !/[/@]/.test(a.text)) {
      out.push(a);
      continue;
    }
    let piece = '';
    let first = true;
    for (const ch of a.text) {
      piece += ch;
      if (URL_BREAK_AFTER.test(ch)) {
        out.push({ ...a, text: piece, spaceBefore: first ? a.spaceBefore : 0, joinPrev: first ? a.joinPrev : true, emergency: !first });
        piece = '';
        first = false;
      }
    }
    if (piece) out.push({ ...a, text: piece, spaceBefore: first ? a.spaceBefore : 0, joinPrev: first ? a.joinPrev : true, emergency: !first });
  }
  return out;
}
