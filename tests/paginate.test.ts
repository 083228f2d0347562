import { describe, expect, it } from 'vitest';
import { paginate, type FlowBox, type Shrink } from '../src/layout/paginate.js';

const frame = () => ({ top: 0, bottom: 100 });
const box = (height: number, extra: Partial<FlowBox> = {}): FlowBox => ({ height, spaceBefore: 0, items: [], ...extra });
const paragraph = (n: number, h = 10): FlowBox[] => Array.from({ length: n }, (_, index) => box(h, { line: { index, count: n } }));
const counts = (boxes: FlowBox[]) => paginate(boxes, frame).map((p) => p.placed.length);

describe('paginate', () => {
  it('sets the footnotes a box brings at the foot of its page, reserving their room and the separator, or moves the box on', () => {
    const withNote = (h: number) => box(10, { notes: [box(h)] });
    const notes = (boxes: FlowBox[]) => paginate(boxes, () => ({ top: 0, bottom: 100, noteSeparator: 5 }));
    // Five lines, then one with a note of 15: the text may now reach 80 (100 less the note and its separator), two more lines.
    const pages = notes([...Array.from({ length: 5 }, () => box(10)), withNote(15), ...Array.from({ length: 4 }, () => box(10))]);
    expect(pages.map((p) => p.placed.length)).toEqual([8, 2]);
    expect(pages[0].notes.map((n) => n.height)).toEqual([15]);
    expect(pages[0].end.blank).toBeCloseTo(0);
    // A second note on the page needs no second separator: 100 − 5 − 12 − 12 leaves 71, seven lines.
    expect(notes([withNote(12), withNote(12), ...Array.from({ length: 8 }, () => box(10))]).map((p) => p.placed.length)).toEqual([7, 3]);
    // A line whose note does not fit below it moves to the next page, note and all.
    const moved = notes([...Array.from({ length: 8 }, () => box(10)), withNote(30)]);
    expect(moved.map((p) => p.placed.length)).toEqual([8, 1]);
    expect(moved[1].notes).toHaveLength(1);
  });

  it('fills pages in order', () => {
    expect(counts(Array.from({ length: 25 }, () => box(10)))).toEqual([10, 10, 5]);
  });

  it('leaves no orphan: a first line alone at the bottom moves over', () => {
    // 9 lines of filler, then a 4-line paragraph: only its first line would fit.
    expect(counts([...Array.from({ length: 9 }, () => box(10)), ...paragraph(4)])).toEqual([9, 4]);
  });

  it('leaves no widow: the last line never stands alone at the top', () => {
    // 6 filler + a 5-line paragraph: 4 lines fit, the 5th would be alone; 2 go over.
    expect(counts([...Array.from({ length: 6 }, () => box(10)), ...paragraph(5)])).toEqual([9, 2]);
  });

  it('keeps a two-line paragraph whole', () => {
    expect(counts([...Array.from({ length: 9 }, () => box(10)), ...paragraph(2)])).toEqual([9, 2]);
  });

  it('shrinks a box that may shrink to finish a page, leaving room for what it keeps with', () => {
    // A picture (anchor 'picture') gives up to 40 % of its height.
    const picture = (h: number): FlowBox => box(h, { anchor: 'picture' });
    const shrink: Shrink = (b, room) => (b.anchor === 'picture' && room >= b.height * 0.6 ? picture(Math.min(b.height, room)) : undefined);
    const heading = box(10, { keep: 2 });
    const pages = paginate([...Array.from({ length: 3 }, () => box(10)), heading, picture(60), ...paragraph(4)], frame, shrink);
    // 30 + a heading of 10 leave 60; the heading keeps the picture and the paragraph's first line,
    // which brings its second: the picture gets 40, and two lines go over.
    expect(pages[0].placed.map((p) => p.box.height)).toEqual([10, 10, 10, 10, 40, 10, 10]);
    // Too little room (under 60 %): the picture and what it keeps go over whole.
    const over = paginate([...Array.from({ length: 6 }, () => box(10)), heading, picture(60), ...paragraph(4)], frame, shrink);
    expect(over[0].placed).toHaveLength(6);
  });

  it('keeps a heading with the two lines after it', () => {
    const heading = box(10, { keep: 2 });
    expect(counts([...Array.from({ length: 8 }, () => box(10)), heading, ...paragraph(4)])).toEqual([8, 5]);
  });

  it('starts a new page where asked and drops space at a page top', () => {
    const pages = paginate([box(10), box(10, { newPage: true, spaceBefore: 30 }), box(10, { spaceBefore: 5 })], frame);
    expect(pages.map((p) => p.placed.map((x) => x.y))).toEqual([[0], [0, 15]]);
  });

  it('repeats header boxes at the top of a page a table continues on', () => {
    const header = box(10, { keep: 1 });
    const rows = Array.from({ length: 14 }, () => box(10, { repeat: [header] }));
    const pages = paginate([header, ...rows], frame);
    expect(pages).toHaveLength(2);
    expect(pages[1].placed[0].box).toBe(header);
    expect(pages[1].placed.slice(1).every((p) => p.box !== header)).toBe(true);
  });
});

describe('floating figures', () => {
  const figure = (h: number, name: string): FlowBox => ({ ...box(h), float: true, section: name });

  it('lets the text after a figure that does not fit fill the page, and sets the figure atop the next', () => {
    const fig = figure(50, 'fig');
    const text = paragraph(6);
    const pages = paginate([...Array.from({ length: 6 }, () => box(10)), fig, ...text], frame);
    // 6 filler + 4 lines of the paragraph fill page 1; the figure opens page 2, the last 2 lines follow it.
    expect(pages.map((p) => p.placed.length)).toEqual([10, 3]);
    expect(pages[1].placed[0].box).toBe(fig);
    expect(pages[0].placed.slice(6).map((p) => p.box)).toEqual(text.slice(0, 4));
    expect(pages[0].end.blank).toBe(0);
  });

  it('never moves text past a heading, and says why the page ends short', () => {
    const fig = figure(50, 'fig');
    const pages = paginate([...Array.from({ length: 6 }, () => box(10)), fig, box(10, { keep: 1 }), ...paragraph(3)], frame);
    expect(pages[0].placed).toHaveLength(6);
    expect(pages[0].end).toEqual({ blank: 40, reason: 'figure' });
    expect(pages[1].placed[0].box).toBe(fig);
  });
});
