import { describe, expect, it } from 'vitest';
import { paginate as paginateWith, type FlowBox, type Frame } from '../src/layout/paginate.js';

const frame = () => ({ top: 0, bottom: 100 });
/** Lines 10 pt apart, ten to a page. */
const paginate = (boxes: FlowBox[], f: (n: number) => Frame) => paginateWith(boxes, f, { line: 10 });
const box = (height: number, extra: Partial<FlowBox> = {}): FlowBox => ({ height, spaceBefore: 0, items: [], ...extra });
const paragraph = (n: number, h = 10): FlowBox[] => Array.from({ length: n }, (_, index) => box(h, { line: { index, count: n } }));
const counts = (boxes: FlowBox[]) => paginate(boxes, frame).map((p) => p.placed.length);

describe('paginate', () => {
  it('sets the footnotes a box brings at the foot of its page, reserving their room and the separator, or moves the box on', () => {
    const withNote = (h: number) => box(10, { notes: [box(h)] });
    const notes = (boxes: FlowBox[]) => paginate(boxes, () => ({ top: 0, bottom: 100, noteSeparator: 5 }));
    // Five lines, then one with a note of 15: the text may now reach 80 (100 less the note and its separator), two more lines.
    const pages = notes([...Array.from({ length: 5 }, () => box(10)), withNote(15), ...Array.from({ length: 8 }, () => box(10))]);
    expect(pages.map((p) => p.placed.length)).toEqual([8, 6]);
    expect(pages[0].notes.map((n) => n.height)).toEqual([15]);
    expect(pages[0].end.blank).toBeCloseTo(0);
    // A second note on the page needs no second separator: 100 − 5 − 12 − 12 leaves 71, seven lines.
    expect(notes([withNote(12), withNote(12), ...Array.from({ length: 12 }, () => box(10))]).map((p) => p.placed.length)).toEqual([7, 7]);
    // A line whose note does not fit below it moves to the next page, note and all.
    const moved = notes([...Array.from({ length: 8 }, () => box(10)), withNote(30), ...Array.from({ length: 4 }, () => box(10))]);
    expect(moved.map((p) => p.placed.length)).toEqual([8, 5]);
    expect(moved[1].notes).toHaveLength(1);
  });

  it('fills pages in order', () => {
    expect(counts(Array.from({ length: 25 }, () => box(10)))).toEqual([10, 10, 5]);
  });

  it('leaves no orphan: a first line alone at the bottom moves over', () => {
    // 9 lines of filler, then a 4-line paragraph: only its first line would fit.
    expect(counts([...Array.from({ length: 9 }, () => box(10)), ...paragraph(4)])).toEqual([9, 4]);
  });

  // (Four lines of filler after the paragraph: a section's last page is not left with fewer.)
  it('leaves no widow: the last line never stands alone at the top', () => {
    // 6 filler + a 5-line paragraph: 4 lines fit, the 5th would be alone; 2 go over.
    expect(counts([...Array.from({ length: 6 }, () => box(10)), ...paragraph(5), ...Array.from({ length: 4 }, () => box(10))])).toEqual([9, 6]);
  });

  it('keeps a two-line paragraph whole', () => {
    expect(counts([...Array.from({ length: 9 }, () => box(10)), ...paragraph(2), ...Array.from({ length: 4 }, () => box(10))])).toEqual([9, 6]);
  });

  it('sets pictures smaller to finish a page, each giving in proportion to what it may give', () => {
    // A picture may give what its `least` allows; set smaller, it is the height asked.
    const picture = (h: number, least: number): FlowBox => box(h, { figure: 'opens', shrink: { least, set: (height) => box(height, { figure: 'opens' }) } });
    const heading = box(10, { keep: 2 });
    const pages = paginate([...Array.from({ length: 3 }, () => box(10)), heading, picture(60, 36), ...paragraph(4)], frame);
    // 30 + a heading of 10 leave 60; the heading keeps the picture and the paragraph's first line,
    // which brings its second: the picture gives 20, and two lines go over.
    expect(pages[0].placed.map((p) => p.box.height)).toEqual([10, 10, 10, 10, 40, 10, 10]);
    // Two pictures share what is missing in proportion: 10 from a row that may give 40 and one that may give 20.
    const two = paginate([...Array.from({ length: 3 }, () => box(10)), picture(50, 10), picture(30, 10), ...paragraph(5)], frame);
    expect(two[0].placed.map((p) => Math.round(p.box.height * 3) / 3)).toEqual([10, 10, 10, 130 / 3, 80 / 3]);
    // Too little to give: the picture and what it keeps go over whole.
    const over = paginate([...Array.from({ length: 6 }, () => box(10)), heading, picture(60, 36), ...paragraph(4)], frame);
    expect(over[0].placed).toHaveLength(6);
  });

  it('shares the white a kept block leaves among the pages before it, none more than three lines short', () => {
    const block = [box(10, { keep: 1 }), box(80)];
    const lines = (n: number) => Array.from({ length: n }, () => box(10, { line: { index: 0, count: 1 } }));
    // Greedy: 10 lines, then 2 and 8 lines of white before the block. Chosen at once: 6 and 6.
    expect(counts([...lines(12), ...block])).toEqual([6, 6, 2]);
    const three = paginate([...lines(22), ...block], frame);
    expect(three).toHaveLength(4);
    expect(Math.max(...three.slice(0, 3).map((p) => p.end.blank))).toBeLessThanOrEqual(30);
    expect(three.slice(0, 3).map((p) => p.end.reason)).toContain('chosen');
  });

  it('leaves no section a last page of less than four lines where lines can come over', () => {
    const lines = Array.from({ length: 12 }, () => box(10, { line: { index: 0, count: 1 } }));
    expect(counts(lines)).toEqual([8, 4]);
    // A section that is short altogether stays one short page.
    expect(counts(lines.slice(0, 3))).toEqual([3]);
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

describe('figures that wait', () => {
  const figure = (h: number, name: string, extra: Partial<FlowBox> = {}): FlowBox => ({ ...box(h), figure: 'opens', section: name, ...extra });

  it('lets the text after a figure that does not fit fill the page, and sets the figure atop the next', () => {
    const fig = figure(50, 'fig');
    const text = paragraph(6);
    const pages = paginate([...Array.from({ length: 6 }, () => box(10)), fig, ...text], frame);
    // 6 filler + 4 lines of the paragraph fill page 1; the figure opens page 2, the last 2 lines follow it.
    expect(pages.map((p) => p.placed.length)).toEqual([10, 3]);
    expect(pages[1].placed[0].box).toBe(fig);
    expect(pages[0].placed.slice(6).map((p) => p.box)).toEqual(text.slice(0, 4));
    expect(pages[0].end).toEqual({ blank: 0, reason: 'figure' });
  });

  it('waits with the figures and the note right after it, the text after them filling the page', () => {
    // A picture, then a table of a caption and rows, then a note kept with the table's last row.
    const picture = figure(30, 'p');
    const table = [figure(10, 't', { keep: 1 }), box(10, { figure: 'continues' }), box(10, { figure: 'continues', keep: 1 })];
    const note = box(10, { line: { index: 0, count: 1 } });
    const text = paragraph(4);
    const pages = paginate([...Array.from({ length: 6 }, () => box(10)), picture, ...table, note, ...text], frame);
    expect(pages[0].placed.map((p) => p.box)).toEqual([...pages[0].placed.slice(0, 6).map((p) => p.box), ...text]);
    expect(pages[1].placed.map((p) => p.box)).toEqual([picture, ...table, note]);
  });

  it('never moves text past a heading: the page ends short, its white shared with the page before', () => {
    const fig = figure(50, 'fig');
    const pages = paginate([...Array.from({ length: 16 }, () => box(10, { line: { index: 0, count: 1 } })), fig, box(10, { keep: 1 }), ...paragraph(3)], frame);
    expect(pages[1].placed.at(-1)?.box).not.toBe(fig);
    expect(pages[2].placed[0].box).toBe(fig);
    expect(Math.max(pages[0].end.blank, pages[1].end.blank)).toBeLessThanOrEqual(30);
  });
});
