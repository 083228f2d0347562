/** CSV (comma or tab separated, UTF-8 with or without BOM) for tables and charts. */
import { UserError, type Warning } from '../source/errors.js';
import { readText } from '../source/files.js';

export interface CsvRow {
  cells: string[];
  /** 1-based line where the row starts */
  line: number;
  /** 1-based column (in characters) where each cell starts, on its row's line */
  cols: number[];
}

export function readCsv(file: string, warn?: (w: Warning) => void): CsvRow[] {
  return parseCsv(readText(file, 'data', warn), file);
}

/** Tab-separated when the first line has a tab and no comma; comma-separated otherwise. */
export function parseCsv(text: string, file: string): CsvRow[] {
  const firstLine = text.split(/\r?\n/, 1)[0] ?? '';
  const sep = firstLine.includes('\t') && !firstLine.includes(',') ? '\t' : ',';
  const rows: CsvRow[] = [];
  let cells: string[] = [];
  let cols: number[] = [1];
  let cell = '';
  let line = 1;
  let rowLine = 1;
  let quoted = false;
  let quoteLine = 0;
  // Where the current line starts, to count columns in characters (surrogate pairs count once).
  let lineStart = 0;
  const colAt = (i: number) => [...text.slice(lineStart, i)].length + 1;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"') {
        if (text[i + 1] === '"') {
          cell += '"';
          i++;
        } else quoted = false;
      } else {
        if (ch === '\n') {
          line++;
          lineStart = i + 1;
        }
        cell += ch;
      }
      continue;
    }
    if (ch === '"' && cell === '') {
      quoted = true;
      quoteLine = line;
    } else if (ch === sep) {
      cells.push(cell);
      cols.push(colAt(i + 1));
      cell = '';
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      cells.push(cell);
      if (cells.some((c) => c !== '') || cells.length > 1) rows.push({ cells, line: rowLine, cols });
      cells = [];
      cols = [1];
      cell = '';
      line++;
      lineStart = i + 1;
      rowLine = line;
    } else cell += ch;
  }
  if (quoted) throw new UserError(`a quoted cell opened on line ${quoteLine} is never closed`, file, { line: quoteLine, col: 1 });
  if (cell !== '' || cells.length) {
    cells.push(cell);
    rows.push({ cells, line: rowLine, cols });
  }
  if (rows.length === 0) throw new UserError('the CSV file is empty', file);
  const width = rows[0].cells.length;
  for (const r of rows) {
    if (r.cells.length !== width) {
      const col = r.cells.length > width ? r.cols[width] : 1;
      throw new UserError(`row has ${r.cells.length} cells, the first row has ${width}`, file, { line: r.line, col });
    }
  }
  return rows.map((r) => ({ line: r.line, cols: r.cols, cells: r.cells.map((c) => c.trim()) }));
}
