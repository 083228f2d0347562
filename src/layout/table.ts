/**
 * Tables: column widths from content (the table as low as it can be),
 * header rows with spans, merged cells (their value at the top of the run,
 * and again atop each page it continues on), rows as flow boxes so that a
 * table breaks between rows and repeats its header on every page.
 */
import path from 'node:path';
import { breaksAnywhere, numberLike } from '../compose/collect.js';
import type { ComposedLine, StyledText } from '../compose/types.js';
import { UserError } from '../source/errors.js';
import type { Align, Span, TableBlock } from '../model/document.js';
import type { DisplayItem, StructNode } from './display.js';
import type { FlowBox } from './paginate.js';
import { decimalTail } from '../model/numbers.js';
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

/** Lines a cell whose text (with its padding) is `t` wide takes in a column `w` wide, as Chinese text wraps: anywhere. */
const linesAt = (t: number, w: number) => (t <= w + 1e-6 ? 1 : Math.ceil((t - 2 * PAD_X) / Math.max(1e-6, w - 2 * PAD_X) - 1e-9));

/**
 * Column widths filling `width`. Maximum content widths, grown in proportion,
 * when they fit. Else the table as low as it can be: from every column at its
 * minimum, width goes step by step where it saves the most lines per point —
 * a step widens a column to where one of its cells takes a line fewer — and
 * what is left goes in proportion to what each column still lacks. `cells[r][c]`
 * is the width row r's cell in column c takes on one line (a merged value in
 * every row of its run: any of them may show it atop a page).
 */
export function columnWidths(min: number[], max: number[], width: number, cells: number[][] = []): number[] | undefined {
  const sumMin = min.reduce((a, b) => a + b, 0);
  const sumMax = max.reduce((a, b) => a + b, 0);
  if (sumMin > width + 1e-6) return undefined;
  if (sumMax <= width) return max.map((m) => (m * width) / sumMax);
  const w = [...min];
  let room = width - sumMin;
  const height = () => cells.reduce((h, row) => h + Math.max(1, ...row.map((t, c) => linesAt(t, w[c]))), 0);
  const lines = () => cells.reduce((h, row) => h + row.reduce((n, t, c) => n + linesAt(t, w[c]), 0), 0);
  for (;;) {
    const [h0, l0] = [height(), lines()];
    let best: { c: number; to: number; rate: number } | undefined;
    for (let c = 0; c < w.length; c++) {
      // The next width at which a cell of this column takes a line fewer.
      let to = Infinity;
      for (const row of cells) {
        const k = linesAt(row[c], w[c]);
        if (k > 1) to = Math.min(to, 2 * PAD_X + (row[c] - 2 * PAD_X) / (k - 1));
      }
      to = Math.min(to, max[c]);
      const step = to - w[c];
      if (!(step > 1e-6) || step > room + 1e-6) continue;
      const was = w[c];
      w[c] = to;
      // Rows saved first; where no single step saves a row, lines saved within cells lead the way.
      const saved = (h0 - height()) * 1000 + (l0 - lines());
      w[c] = was;
      const rate = saved / step;
      if (saved > 0 && (!best || rate > best.rate + 1e-9)) best = { c, to, rate };
    }
    if (!best) break;
    room -= best.to - w[best.c];
    w[best.c] = best.to;
  }
  const lack = w.map((x, c) => Math.max(0, max[c] - x));
  const want = lack.reduce((a, b) => a + b, 0);
  for (let c = 0; c < w.length; c++) w[c] += want > 0 ? (room * lack[c]) / want : room / w.length;
  unwrapFromSlack(w, min, cells);
  return w;
}

/**
 * No cell wraps while the other columns have the slack to unwrap it: a
 * column's slack is what it may give without any of its cells taking a line
 * more. Takes it, in proportion, where it unwraps a cell, the nearest first.
 */
function unwrapFromSlack(w: number[], min: number[], cells: number[][]) {
  const slackOf = (c: number) => {
    let need = min[c];
    for (const row of cells) {
      const k = linesAt(row[c], w[c]);
      need = Math.max(need, k === 1 ? row[c] : 2 * PAD_X + (row[c] - 2 * PAD_X) / k);
    }
    return Math.max(0, w[c] - need);
  };
  // Each round a cell takes a line fewer and none a line more: it ends.
  for (;;) {
    const wrapped: { c: number; step: number }[] = [];
    for (let c = 0; c < w.length; c++) {
      for (const row of cells) {
        const k = linesAt(row[c], w[c]);
        if (k > 1) wrapped.push({ c, step: 2 * PAD_X + (row[c] - 2 * PAD_X) / (k - 1) - w[c] + 1e-6 });
      }
    }
    const slack = w.map((_, c) => slackOf(c));
    const all = slack.reduce((a, b) => a + b, 0);
    const best = wrapped.sort((a, b) => a.step - b.step || a.c - b.c).find((x) => x.step <= all - slack[x.c]);
    if (!best) return;
    const total = all - slack[best.c];
    slack[best.c] = 0;
    for (let c = 0; c < w.length; c++) w[c] -= (best.step * slack[c]) / total;
    w[best.c] += best.step;
  }
}

/** Widths per column: fixed shares where the block gives them, content-based for the rest. */
function allocate(block: TableBlock, min: number[], max: number[], width: number, cells: number[][]): number[] | undefined {
  const fixed = block.widths ?? [];
  const auto = min.map((_, c) => fixed[c] === undefined);
  const rest = width - min.reduce((a, _, c) => a + (auto[c] ? 0 : fixed[c]! * width), 0);
  const shares = columnWidths(
    min.filter((_, c) => auto[c]),
    max.filter((_, c) => auto[c]),
    rest,
    cells.map((row) => row.filter((_, c) => auto[c])),
  );
  if (!shares) return undefined;
  let k = 0;
  return min.map((_, c) => (auto[c] ? shares[k++] : fixed[c]! * width));
}

export function tableBoxes(block: TableBlock, styles: Styles, x: number, width: number, maxHeight: number, section: string, file: string, parent?: StructNode): FlowBox[] {
  const table: StructNode | undefined = parent && { role: 'Table', parent };
  const t = styles.settings;
  const style = styles.get('table');
  const head = styles.recolour(style, t.colours.text);
  const { rules, zebra } = t.table;
  const { data } = block;
  const ncol = data.columns.length;
  const text = (s: string, st: ParagraphStyle, bold = false): StyledText[] => styles.plain(s, st, bold);
  const measure = (s: string, bold = false) => styles.measure(text(s, style, bold));

  // Each row's cells on one line — the header's, then the body's with a merged value in every row of its
  // run: a column's widest is its maximum width, and the rows give the table's height.
  const hcells = headerCells(data.header);
  const mergeCols = new Set(block.merge.map((m) => data.columns.indexOf(m)));
  const value = data.body.map((r) => [...r]);
  for (const c of mergeCols) for (let r = 1; r < value.length; r++) if (value[r][c] === '') value[r][c] = value[r - 1][c];
  const oneLine = (s: string, bold: boolean) => (s ? measure(s, bold) + 2 * PAD_X : 0);
  const oneLineWidths = [
    ...data.header.map((_, r) => data.columns.map((_, c) => oneLine(hcells.find((h) => h.row === r && h.col === c && h.span === 1)?.text ?? '', true))),
    ...value.map((row) => row.map((s) => oneLine(s, false))),
  ];
  const max = data.columns.map((_, c) => oneLineWidths.reduce((m, row) => Math.max(m, row[c]), 0));

  // Minimum widths per column. A Chinese cell may wrap between any two characters, but a column
  // narrower than three is unreadable; a URL or a long word may wrap anywhere, but not narrower than ten.
  const min = new Array<number>(ncol).fill(0);
  const consider = (c: number, s: string, bold: boolean) => {
    if (!s) return;
    const han = [...s].filter((ch) => /\p{Script=Han}/u.test(ch)).length;
    // A number may break between its / alternatives: the unbreakable stretch below holds it.
    const words = s
      .split(/[\s\p{Script=Han}]+/u)
      .filter((w) => w && !numberLike(w))
      .map((w) => (breaksAnywhere(w) ? Math.min(measure(w, bold), style.size * 10) : measure(w, bold)));
    // What no line may break (7月26日—, 0756-3312456/) stays whole in a cell: the column holds it.
    min[c] = Math.max(min[c], Math.max(style.size * Math.min(3, han), ...words, styles.unbreakable(text(s, style, bold))) + 2 * PAD_X);
  };
  data.body.forEach((r) => r.forEach((s, c) => consider(c, s, false)));
  for (const h of hcells) if (h.span === 1) consider(h.col, h.text, true);
  const widths = allocate(block, min, max, width, oneLineWidths);
  if (!widths) {
    const need = min.reduce((a, b) => a + b, 0);
    throw new UserError(`the table from ${path.basename(data.file)} needs ${need.toFixed(0)} pt even at its narrowest; the text is ${width.toFixed(0)} pt wide`, file, { line: block.line, col: 1 });
  }
  const colX = widths.map((_, c) => x + widths.slice(0, c).reduce((a, b) => a + b, 0));
  const spanWidth = (c: number, span: number) => widths.slice(c, c + span).reduce((a, b) => a + b, 0);

  // Numbers right-aligned line up on the decimal point: pad each by the fraction it lacks.
  const fracWidth = data.columns.map((_, c) => (block.align[c] === 'right' ? Math.max(0, ...data.body.map((r) => (r[c] ? measure(decimalTail(r[c])) : 0))) : 0));
  const cellLines = (s: string, c: number, span: number, st: ParagraphStyle, bold: boolean, align: Align, rich?: Span[]): ComposedLine[] => {
    if (!s) return [];
    const pad = align === 'right' && span === 1 ? fracWidth[c] - measure(decimalTail(s)) : 0;
    return styles.compose(rich ? styles.spans(rich, st) : text(s, st, bold), spanWidth(c, span) - 2 * PAD_X - pad, { align: align === 'right' ? 'right' : align === 'center' ? 'center' : 'left' });
  };
  // An empty cell is still a cell of its row: its element stands in reading order with nothing in it.
  const cellItems = (lines: ComposedLine[], c: number, top: number, tag?: StructNode): DisplayItem[] =>
    lines.length ? lines.flatMap((l, i) => lineItems(l, colX[c] + PAD_X, top + PAD_Y + i * style.pitch, style.pitch, tag)) : tag ? [{ kind: 'struct', tag }] : [];

  const boxes: FlowBox[] = [];
  const rule = t.colours.rule;
  const grid = rules === 'grid';
  const hline = (y: number, x1: number, x2: number, w = RULE): DisplayItem => ({ kind: 'line', x1, y1: y, x2, y2: y, colour: grid ? rule : t.colours.text, width: w });
  const vline = (xx: number, y: number, h: number): DisplayItem => ({ kind: 'line', x1: xx, y1: y, x2: xx, y2: y + h, colour: rule, width: RULE });
  const THICK = 1;

  // Header: one box holding all header rows.
  const hLines = hcells.map((h) => cellLines(h.text, h.col, h.span, head, true, 'center'));
  const rowH = data.header.map(() => style.pitch + 2 * PAD_Y);
  hcells.forEach((h, i) => {
    if (h.rowSpan === 1) rowH[h.row] = Math.max(rowH[h.row], hLines[i].length * style.pitch + 2 * PAD_Y);
  });
  const rowTop = rowH.map((_, r) => rowH.slice(0, r).reduce((a, b) => a + b, 0));
  const headerHeight = rowH.reduce((a, b) => a + b, 0);
  // Header rows where the table begins are its first rows; set again on later pages, they are decoration.
  const headerItems = (y: number, tagged: boolean) => {
    const rows = data.header.map((): StructNode | undefined => (tagged && table ? { role: 'TR', parent: table } : undefined));
    const items: DisplayItem[] = [{ kind: 'rect', x, y, w: width, h: headerHeight, fill: t.colours.fill }];
    hcells.forEach((h, i) => {
      const w = spanWidth(h.col, h.span);
      const hh = rowH.slice(h.row, h.row + h.rowSpan).reduce((a, b) => a + b, 0);
      const top = y + rowTop[h.row] + (hh - hLines[i].length * style.pitch - 2 * PAD_Y) / 2;
      const row = rows[h.row];
      const th: StructNode | undefined = row && { role: 'TH', parent: row, scope: 'Column', ...(h.span > 1 ? { colSpan: h.span } : {}), ...(h.rowSpan > 1 ? { rowSpan: h.rowSpan } : {}) };
      items.push(...cellItems(hLines[i], h.col, top, th));
      if (grid) items.push({ kind: 'rect', x: colX[h.col], y: y + rowTop[h.row], w, h: hh, stroke: rule, lineWidth: RULE });
      else if (h.row + h.rowSpan < data.header.length) items.push(hline(y + rowTop[h.row] + hh, colX[h.col] + 2, colX[h.col] + w - 2));
    });
    if (!grid) items.push(hline(y, x, x + width, THICK), hline(y + headerHeight, x, x + width));
    return items;
  };
  const header: FlowBox | undefined = data.header.length ? { height: headerHeight, spaceBefore: 0, keep: 1, section, items: headerItems(0, true) } : undefined;
  const repeatedHeader: FlowBox | undefined = header && { ...header, items: headerItems(0, false) };

  // Caption above, note below.
  const captionStyle = styles.get('h3');
  if (block.caption) {
    const lines = styles.compose(text(block.caption, captionStyle, true), width, { align: 'center' });
    const sub = block.subcaption ? styles.compose(text(block.subcaption, styles.get('caption')), width, { align: 'center' }) : [];
    const caption: StructNode | undefined = table && { role: 'Caption', parent: table };
    const cap = blockOfLines(lines, x, captionStyle.pitch, caption);
    const subBlock = blockOfLines(sub, x, styles.get('caption').pitch, caption, cap.height);
    boxes.push({
      height: cap.height + subBlock.height + PAD_Y,
      spaceBefore: t.figureSpace,
      keep: 2,
      section,
      items: [...cap.items, ...subBlock.items],
    });
  }
  if (header) boxes.push({ ...header, spaceBefore: block.caption ? 0 : t.figureSpace });

  // Body rows; merged columns show their value on the first row of a run and again at a page top.
  const last = data.body.length - 1;
  const rowLines = data.body.map((row, r) => row.map((s, c) => cellLines(mergeCols.has(c) ? value[r][c] : s, c, 1, style, false, block.align[c], data.rich?.[r][c])));
  const rowHeight = rowLines.map((lines) => Math.max(1, ...lines.map((l) => l.length)) * style.pitch + 2 * PAD_Y);
  rowHeight.forEach((height, r) => {
    if (height + headerHeight > maxHeight) {
      throw new UserError(`this row is taller than a page (${height.toFixed(0)} pt); split its text`, data.file, { line: data.bodyLines[r], col: 1 });
    }
  });
  // A merged cell's run of rows ends before the next value in its column.
  const runEnd = (r: number, c: number) => {
    let e = r;
    while (e < last && data.body[e + 1][c] === '') e++;
    return e;
  };
  data.body.forEach((row, r) => {
    const lines = rowLines[r];
    const height = rowHeight[r];
    const continues = (c: number) => mergeCols.has(c) && r < last && data.body[r + 1][c] === '';
    const tr: StructNode | undefined = table && { role: 'TR', parent: table };
    // A merged value is one cell spanning its run; shown again at a page top, it is a reminder, not a cell.
    const cells = row.map((s, c): StructNode | undefined => (tr && (!mergeCols.has(c) || s !== '') ? { role: 'TD', parent: tr, ...(mergeCols.has(c) && s !== '' && runEnd(r, c) > r ? { rowSpan: runEnd(r, c) - r + 1 } : {}) } : undefined));
    /** The row's items; `first`: it opens a page, where merged values are repeated. */
    const rowItems = (first: boolean) => {
      const items: DisplayItem[] = [];
      if (zebra && r % 2 === 1) items.push({ kind: 'rect', x, y: 0, w: width, h: height, fill: t.colours.fill });
      row.forEach((s, c) => {
        // Every merged value stands at the top of its run, and again at the top of each page the run continues on.
        const shown = !mergeCols.has(c) || s !== '' || first;
        if (shown) items.push(...cellItems(lines[c], c, 0, cells[c]));
        if (grid) {
          items.push(vline(colX[c], 0, height));
          if (!continues(c)) items.push(hline(height, colX[c], colX[c] + widths[c]));
          if (first || shown) items.push(hline(0, colX[c], colX[c] + widths[c]));
        }
      });
      if (grid) items.push(vline(x + width, 0, height));
      else if (r === last) items.push(hline(height, x, x + width, THICK));
      return items;
    };
    const repeats = row.some((s, c) => mergeCols.has(c) && s === '');
    // Ending a page inside the table, the row closes it there: under merged runs that go on (grid), or with the bottom rule (three-line).
    const footRules = r === last ? [] : grid ? row.flatMap((_, c) => (continues(c) ? [hline(height, colX[c], colX[c] + widths[c])] : [])) : [hline(height, x, x + width, THICK)];
    boxes.push({
      height,
      spaceBefore: 0,
      section,
      repeat: repeatedHeader ? [repeatedHeader] : undefined,
      // Never a single row above a page turn, nor alone under a repeated header.
      keep: (r === 0 || r === last - 1) && data.body.length > 1 ? 1 : undefined,
      items: rowItems(false),
      ...(repeats ? { atPageTop: rowItems(true) } : {}),
      ...(footRules.length ? { atPageFoot: footRules } : {}),
    });
  });

  if (block.note) {
    const cs = styles.get('caption');
    const note = blockOfLines(styles.compose(styles.spans(block.note, cs), width), x, cs.pitch, parent && { role: 'P', parent });
    boxes[boxes.length - 1].keep = 1;
    boxes.push({ height: note.height, spaceBefore: PAD_Y, section, items: note.items });
  }
  // Air below, as above, before the text resumes (dropped at a page's foot or head).
  boxes.push({ height: 0, spaceBefore: t.figureSpace, section, items: [] });
  // The table is a figure: it may wait for the next page as a whole.
  return boxes.map((b, k) => ({ ...b, figure: k ? 'continues' : 'opens' }));
}
