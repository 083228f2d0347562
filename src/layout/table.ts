/**
 * Tables: column widths from content (like CSS automatic table layout),
 * header rows with spans, merged cells, rows as flow boxes so that a table
 * breaks between rows and repeats its header on every page.
 */
import type { ComposedLine, StyledText } from '../compose/types.js';
import { UserError } from '../errors.js';
import type { Align, TableBlock } from '../model/document.js';
import type { DisplayItem } from './display.js';
import type { FlowBox } from './paginate.js';
import type { ParagraphStyle, Styles } from './styles.js';
import { blockOfLines, lineItems } from './text.js';

const PAD_X = 4;
const PAD_Y = 2.5;
const RULE = 0.4;

interface HeaderCell {
  text: string;
  col: number;
  span: number;
  row: number;
  rowSpan: number;
}

/** Header cells: identical neighbours in a row join; an empty cell joins the cell above. */
export function headerCells(header: string[][]): HeaderCell[] {
  const cells: HeaderCell[] = [];
  const owner: (HeaderCell | undefined)[][] = header.map((r) => r.map(() => undefined));
  header.forEach((row, r) => {
    for (let c = 0; c < row.length; ) {
      if (row[c] === '' && r > 0 && owner[r - 1][c]) {
        const above = owner[r - 1][c]!;
        if (above.col === c) above.rowSpan++;
        for (let k = above.col; k < above.col + above.span; k++) owner[r][k] = above;
        c = above.col + above.span;
        continue;
      }
      let span = 1;
      while (c + span < row.length && row[c + span] === row[c] && row[c] !== '') span++;
      const cell: HeaderCell = { text: row[c], col: c, span, row: r, rowSpan: 1 };
      cells.push(cell);
      for (let k = c; k < c + span; k++) owner[r][k] = cell;
      c += span;
    }
  });
  return cells;
}

/**
 * Column widths filling `width`, as CSS automatic layout does: maximum content widths grown in
 * proportion when they fit, else each column between its minimum and maximum in proportion.
 */
export function columnWidths(min: number[], max: number[], width: number): number[] | undefined {
  const sumMin = min.reduce((a, b) => a + b, 0);
  const sumMax = max.reduce((a, b) => a + b, 0);
  if (sumMin > width + 1e-6) return undefined;
  if (sumMax <= width) return max.map((m) => (m * width) / sumMax);
  const room = width - sumMin;
  const want = sumMax - sumMin;
  return min.map((m, i) => m + (room * (max[i] - m)) / want);
}

export function tableBoxes(block: TableBlock, styles: Styles, x: number, width: number, section: string, file: string): FlowBox[] {
  const t = styles.template;
  const style = styles.get('table');
  const head = styles.recolour(style, t.colours.text);
  const { data } = block;
  const ncol = data.columns.length;
  const text = (s: string, st: ParagraphStyle, bold = false): StyledText[] => styles.plain(s, st, bold);

  // Minimum and maximum content widths per column.
  const min = new Array<number>(ncol).fill(0);
  const max = new Array<number>(ncol).fill(0);
  const consider = (c: number, s: string, bold: boolean) => {
    if (!s) return;
    const full = styles.measure(text(s, style, bold));
    max[c] = Math.max(max[c], full + 2 * PAD_X);
    const longest = s.split(/\s+/).reduce((m, w) => Math.max(m, /[\u3400-\u9fff]/.test(w) ? style.size * Math.min(4, [...w].length) : styles.measure(text(w, style, bold))), 0);
    min[c] = Math.max(min[c], longest + 2 * PAD_X);
  };
  data.body.forEach((r) => r.forEach((s, c) => consider(c, s, false)));
  const hcells = headerCells(data.header);
  for (const h of hcells) if (h.span === 1) consider(h.col, h.text, true);
  const widths = columnWidths(min, max, width);
  if (!widths) {
    const need = min.reduce((a, b) => a + b, 0);
    throw new UserError(`table from ${data.file.split('/').pop()} needs ${need.toFixed(0)} pt even at its narrowest, the text width is ${width.toFixed(0)} pt`, file, { line: block.line, col: 1 });
  }
  const colX = widths.map((_, c) => x + widths.slice(0, c).reduce((a, b) => a + b, 0));
  const cellLines = (s: string, c: number, span: number, st: ParagraphStyle, bold: boolean, align: Align): ComposedLine[] =>
    s ? styles.compose(text(s, st, bold), widths.slice(c, c + span).reduce((a, b) => a + b, 0) - 2 * PAD_X, { align: align === 'right' ? 'right' : align === 'center' ? 'center' : 'left' }) : [];
  const cellItems = (lines: ComposedLine[], c: number, top: number) => lines.flatMap((l, i) => lineItems(l, colX[c] + PAD_X, top + PAD_Y + i * style.pitch, style.pitch));

  const boxes: FlowBox[] = [];
  const rule = t.colours.rule;

  // Header: one box holding all header rows.
  const hLines = hcells.map((h) => cellLines(h.text, h.col, h.span, head, true, 'center'));
  const rowH = data.header.map(() => style.pitch + 2 * PAD_Y);
  hcells.forEach((h, i) => {
    if (h.rowSpan === 1) rowH[h.row] = Math.max(rowH[h.row], hLines[i].length * style.pitch + 2 * PAD_Y);
  });
  const rowTop = rowH.map((_, r) => rowH.slice(0, r).reduce((a, b) => a + b, 0));
  const headerHeight = rowH.reduce((a, b) => a + b, 0);
  const header: FlowBox | undefined = data.header.length
    ? {
        height: headerHeight,
        spaceBefore: 0,
        keep: 1,
        section,
        draw: (y) => {
          const items: DisplayItem[] = [{ kind: 'rect', x, y, w: width, h: headerHeight, fill: t.colours.fill }];
          hcells.forEach((h, i) => {
            const w = widths.slice(h.col, h.col + h.span).reduce((a, b) => a + b, 0);
            const hh = rowH.slice(h.row, h.row + h.rowSpan).reduce((a, b) => a + b, 0);
            const top = y + rowTop[h.row] + (hh - hLines[i].length * style.pitch - 2 * PAD_Y) / 2;
            items.push(...cellItems(hLines[i], h.col, top));
            items.push({ kind: 'rect', x: colX[h.col], y: y + rowTop[h.row], w, h: hh, stroke: rule, lineWidth: RULE });
          });
          return items;
        },
      }
    : undefined;

  // Caption above, note below.
  const captionStyle = styles.get('h3');
  if (block.caption) {
    const lines = styles.compose(text(block.caption, captionStyle, true), width, { align: 'center' });
    const sub = block.subcaption ? styles.compose(text(block.subcaption, styles.get('caption')), width, { align: 'center' }) : [];
    const cap = blockOfLines(lines, x, captionStyle.pitch);
    const subBlock = blockOfLines(sub, x, styles.get('caption').pitch);
    boxes.push({
      height: cap.height + subBlock.height + PAD_Y,
      spaceBefore: styles.body.pitch / 2,
      keep: 2,
      section,
      draw: (y) => [...cap.draw(y), ...subBlock.draw(y + cap.height)],
    });
  }
  if (header) boxes.push({ ...header, spaceBefore: block.caption ? 0 : styles.body.pitch / 2 });

  // Body rows; merged columns show their value on the first row of a run and again at a page top.
  const mergeCols = new Set(block.merge.map((m) => data.columns.indexOf(m)));
  const value = data.body.map((r) => [...r]);
  for (const c of mergeCols) for (let r = 1; r < value.length; r++) if (value[r][c] === '') value[r][c] = value[r - 1][c];
  data.body.forEach((row, r) => {
    const lines = row.map((s, c) => cellLines(mergeCols.has(c) ? value[r][c] : s, c, 1, style, false, block.align[c]));
    const height = Math.max(1, ...lines.map((l) => l.length)) * style.pitch + 2 * PAD_Y;
    const continues = (c: number) => mergeCols.has(c) && r + 1 < data.body.length && data.body[r + 1][c] === '';
    boxes.push({
      height,
      spaceBefore: 0,
      section,
      repeat: header ? [header] : undefined,
      keep: r === 0 && data.body.length > 1 ? 1 : undefined,
      draw: (y, first) => {
        const items: DisplayItem[] = [];
        row.forEach((s, c) => {
          const shown = !mergeCols.has(c) || s !== '' || first;
          if (shown) items.push(...cellItems(lines[c], c, y));
          items.push({ kind: 'line', x1: colX[c], y1: y, x2: colX[c], y2: y + height, colour: rule, width: RULE });
          if (!continues(c)) items.push({ kind: 'line', x1: colX[c], y1: y + height, x2: colX[c] + widths[c], y2: y + height, colour: rule, width: RULE });
          if (first || !mergeCols.has(c) || s !== '') items.push({ kind: 'line', x1: colX[c], y1: y, x2: colX[c] + widths[c], y2: y, colour: rule, width: RULE });
        });
        items.push({ kind: 'line', x1: x + width, y1: y, x2: x + width, y2: y + height, colour: rule, width: RULE });
        return items;
      },
    });
  });

  if (block.note) {
    const cs = styles.get('caption');
    const note = blockOfLines(styles.compose(text(block.note, cs), width, { align: 'left' }), x, cs.pitch);
    boxes[boxes.length - 1].keep = 1;
    boxes.push({ height: note.height, spaceBefore: PAD_Y, section, draw: note.draw });
  }
  return boxes;
}
