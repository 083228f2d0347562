/**
 * Footnotes as Chinese publications set them (页下注): each note in the
 * caption size at the foot of the page that holds its first reference, under
 * a short rule, its marker hanging; pagination reserves the room (a box
 * brings its notes, paginate.ts). A note too long to share a page with its
 * reference goes to its article's end. In the screen edition the marker
 * links to its note and the note's marker back to the reference.
 */
import type { Article } from '../model/document.js';
import type { Warning } from '../source/errors.js';
import type { DisplayItem, StructNode } from './display.js';
import type { FlowBox } from './paginate.js';
import type { Styles } from './styles.js';
import { blockOfLines } from './text.js';

/** A note taller than this share of the frame cannot share a page with much else: it is set at the article's end. */
const MAX_FOOT_SHARE = 1 / 3;
/** The rule over the notes: this share of the measure. */
const RULE_SHARE = 1 / 4;

/** Where each of an article's notes and references stands, by the article's place in the issue. */
export interface NoteNames {
  note(n: number): string;
  reference(n: number): string;
}

export function noteNames(section: number, article: number): NoteNames {
  return { note: (n) => `note-${section}-${article}-${n}`, reference: (n) => `noteref-${section}-${article}-${n}` };
}

/** The height of what separates notes from the text above them: a caption line, the rule across its middle. */
export const noteSeparator = (styles: Styles) => styles.get('caption').pitch;

/** The separator's rule, for a foot whose notes start at `top`. */
export function noteRule(styles: Styles, x: number, width: number, top: number): DisplayItem {
  const y = top - noteSeparator(styles) / 2;
  return { kind: 'line', x1: x, y1: y, x2: x + width * RULE_SHARE, y2: y, colour: styles.settings.colours.rule, width: 0.5 };
}

function noteBox(article: Article, n: number, names: NoteNames, styles: Styles, x: number, width: number, parent: StructNode): FlowBox {
  const cs = styles.get('caption');
  const marker = styles.noteMarker(n);
  const hang = Math.max(cs.size * 1.5, styles.measure(styles.plain(marker, cs)) + cs.size * 0.5);
  const tag: StructNode = { role: 'Note', parent, id: names.note(n) };
  const text = blockOfLines(styles.compose(styles.spans(article.notes[n - 1], cs), width - hang, { align: 'justify' }), x + hang, cs.pitch, tag);
  const label = blockOfLines(styles.compose([{ text: marker, style: { ...cs.run, link: `#${names.reference(n)}` } }], hang, { align: 'left' }), x, cs.pitch, tag);
  return { height: text.height, spaceBefore: 0, items: [{ kind: 'anchor', x, y: 0, name: names.note(n) }, ...label.items, ...text.items] };
}

/**
 * Gives each box that holds a note's first reference that note (and the
 * reference a destination for the way back); returns the boxes to set at
 * the article's end: notes too long for a page's foot, and notes whose
 * reference could not be found on a line.
 */
export function placeNotes(boxes: FlowBox[], article: Article, names: NoteNames, styles: Styles, frame: { x: number; width: number; height: number }, parent: StructNode, debug: (note: Warning) => void): FlowBox[] {
  const atEnd: FlowBox[] = [];
  const placed = new Set<number>();
  const make = (n: number) => noteBox(article, n, names, styles, frame.x, frame.width, parent);
  for (const box of boxes) {
    for (const it of [...box.items]) {
      if (it.kind !== 'goto') continue;
      const n = article.notes.findIndex((_, k) => names.note(k + 1) === it.dest) + 1;
      if (n === 0 || placed.has(n)) continue;
      placed.add(n);
      box.items.push({ kind: 'anchor', x: it.x, y: it.y, name: names.reference(n) });
      const note = make(n);
      if (note.height > frame.height * MAX_FOOT_SHARE) {
        debug({ kind: 'note', file: article.file, message: `footnote ${n} is set at the article's end: at ${Math.round(note.height)} pt it is longer than a third of a page` });
        atEnd.push(note);
      } else (box.notes ??= []).push(note);
    }
  }
  article.notes.forEach((_, k) => {
    if (placed.has(k + 1)) return;
    debug({ kind: 'note', file: article.file, message: `footnote ${k + 1} is set at the article's end: its reference is not in running text (a table cell)` });
    atEnd.push(make(k + 1));
  });
  if (!atEnd.length) return [];
  const sep = noteSeparator(styles);
  const rule: FlowBox = { height: sep, spaceBefore: styles.body.pitch / 2, keep: 1, items: [noteRule(styles, frame.x, frame.width, sep)] };
  return [rule, ...atEnd];
}
