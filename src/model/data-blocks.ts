/**
 * The fenced ```table and ```chart blocks of an article: their YAML is
 * checked here and their data (CSV or inline rows) read into the model.
 */
import path from 'node:path';
import { UserError, type Warning } from '../source/errors.js';
import { resolveFile } from '../source/files.js';
import { YamlSource } from '../source/yaml.js';
import { dict, list, num, obj, oneOf, optional, str } from '../schema.js';
import { readCsv, type CsvRow } from './csv.js';
import { isNumber, readNumber } from './numbers.js';
import type { Align, ChartBlock, ChartType, Span, TableBlock, TableData } from './document.js';

const tableSchema = obj({
  data: str(),
  caption: optional(str()),
  subcaption: optional(str()),
  merge: optional(list(str())),
  'header-rows': optional(num({ int: true, min: 0, max: 5 })),
  align: optional(dict(oneOf(['left', 'right', 'center'] as const))),
  widths: optional(list(str({ pattern: /^(auto|\d{1,3}(\.\d+)?%)$/, patternHint: 'a share like 25% or auto' }))),
  note: optional(str()),
});

const chartTypes = ['bar', 'hbar', 'stacked', 'line', 'pie', 'donut', 'combo'] as const;
/** Inline chart rows: a map per category; an empty value is a missing figure. */
const rowsSchema = list(dict(str({ empty: true })), { min: 1 });
const chartSchema = obj({
  type: oneOf(chartTypes),
  title: optional(str()),
  data: optional(str()),
  rows: optional(rowsSchema),
  x: str(),
  y: optional(list(str(), { min: 1 })),
  exclude: optional(list(str())),
  unit: optional(str()),
  source: optional(str()),
  width: optional(str({ pattern: /^\d{1,3}%$/, patternHint: 'a share like 80%' })),
});

/** Parses the YAML body of a fenced block that starts on `line` (the fence itself) of `file`. */
function blockYaml(file: string, line: number, content: string): YamlSource {
  // Leading newlines keep YAML line numbers equal to the article's.
  return YamlSource.parse(file, '\n'.repeat(line) + content);
}

function csvFile(issueDir: string, written: string, yaml: YamlSource): string {
  const r = resolveFile(issueDir, written);
  if ('missing' in r) throw yaml.error(['data'], `data file ${written} not found`);
  if ('error' in r) throw yaml.error(['data'], r.error);
  return r.path;
}

/** Numbers right, text left: a column is numeric when it has a number and every other cell is empty or a placeholder. */
export function defaultAlign(data: TableData): Align[] {
  return data.columns.map((_, c) => {
    const read = data.body.map((r) => readNumber(r[c]));
    return read.some((n) => 'value' in n) && read.every((n) => !('error' in n)) ? 'right' : 'left';
  });
}

/** A row of labels: no number anywhere, and a label (text that is no placeholder either) past its first cell. */
function isHeaderRow(cells: string[]): boolean {
  return cells.every((c) => !isNumber(c)) && cells.slice(1).some((c) => 'error' in readNumber(c));
}

/** A share of the text width written as 1% to 100%. */
function share(written: string, yaml: YamlSource, at: (string | number)[], auto = false): number {
  const v = parseFloat(written);
  if (!(v >= 1 && v <= 100)) throw yaml.error(at, `${written} is not a width: give 1% to 100%${auto ? ' or auto' : ''}`);
  return v / 100;
}

/** Builds the table of a CSV: header rows, body rows and a name per column. */
export function tableData(rows: CsvRow[], headerRows: number, file: string): TableData {
  if (rows.length <= headerRows) throw new UserError(`the table has ${rows.length} rows, all of them header rows`, file);
  const header = rows.slice(0, headerRows).map((r) => r.cells);
  const columns = rows[0].cells.map((_, c) => {
    for (let r = header.length - 1; r >= 0; r--) if (header[r][c]) return header[r][c];
    return `${c + 1}`;
  });
  const body = rows.slice(headerRows);
  return { file, header, columns, body: body.map((r) => r.cells), bodyLines: body.map((r) => r.line), bodyCells: body.map((r) => r.cols.map((col) => ({ line: r.line, col }))) };
}

/** What marks a cell as Markdown: a link, an autolink, emphasis or code. */
const MARKDOWN = /\[[^\]]*\]\(|<[a-z][a-z0-9+.-]*:[^>]+>|\*[^*\s][^*]*\*|_[^_\s][^_]*_|`[^`]+`/i;

/** Cells written with Markdown become styled text (links, emphasis); their plain text stays in `body`. */
function withMarkdownCells(data: TableData, inline: (text: string, line: number) => Span[]): TableData {
  let any = false;
  const rich = data.body.map((row, r) =>
    row.map((cell) => {
      if (!MARKDOWN.test(cell)) return undefined;
      any = true;
      return inline(cell, data.bodyLines[r]);
    }),
  );
  if (!any) return data;
  return { ...data, rich, body: data.body.map((row, r) => row.map((cell, c) => (rich[r][c] ? rich[r][c]!.map((s) => s.text).join('') : cell))) };
}

/** `atKey`: the column is named by a map key (align), so point at the key. */
function columnIndex(data: TableData, name: string, yaml: YamlSource, at: (string | number)[], atKey = false): number {
  const i = data.columns.indexOf(name);
  if (i < 0) throw yaml.error(at, `no column "${name}" in ${path.basename(data.file)} (columns: ${data.columns.join(', ')})`, atKey);
  return i;
}

export function parseTableBlock(file: string, line: number, content: string, issueDir: string, inline: (text: string, line: number) => Span[], warn?: (w: Warning) => void): TableBlock {
  const yaml = blockYaml(file, line, content);
  const spec = tableSchema.check(yaml.value(), [], yaml);
  const csv = csvFile(issueDir, spec.data, yaml);
  const data = withMarkdownCells(tableData(readCsv(csv, warn), spec['header-rows'] ?? 1, csv), inline);
  const merge = (spec.merge ?? []).map((name, i) => (columnIndex(data, name, yaml, ['merge', i]), name));
  const align = defaultAlign(data);
  for (const [name, a] of Object.entries(spec.align ?? {})) align[columnIndex(data, name, yaml, ['align', name], true)] = a;
  let widths: (number | undefined)[] | undefined;
  if (spec.widths) {
    if (spec.widths.length !== data.columns.length) throw yaml.error(['widths'], `widths has ${spec.widths.length} entries, the table has ${data.columns.length} columns`);
    widths = spec.widths.map((w, i) => (w === 'auto' ? undefined : share(w, yaml, ['widths', i], true)));
    if (widths.reduce<number>((a, b) => a + (b ?? 0), 0) > 1 + 1e-9) throw yaml.error(['widths'], 'the widths add up to more than 100%');
  }
  return {
    kind: 'table',
    data,
    caption: spec.caption,
    subcaption: spec.subcaption,
    note: spec.note === undefined ? undefined : inline(spec.note, yaml.pos(['note']).line),
    merge,
    align,
    widths,
    line,
  };
}

export function parseChartBlock(file: string, line: number, content: string, issueDir: string, warn?: (w: Warning) => void): ChartBlock {
  const yaml = blockYaml(file, line, content);
  const spec = chartSchema.check(yaml.value(), [], yaml);
  let data: TableData;
  if (spec.data && spec.rows) throw yaml.error(['rows'], 'give either data: or rows:, not both');
  if (spec.data) {
    const csv = csvFile(issueDir, spec.data, yaml);
    const rows = readCsv(csv, warn);
    // A chart reads the lowest header row as column names; further rows of labels, with no
    // numbers, are header rows too (a table may carry a spanning header above). A row whose
    // figures are all missing (—, N/A) is data.
    let headerRows = 1;
    while (headerRows < rows.length - 1 && isHeaderRow(rows[headerRows].cells)) headerRows++;
    data = tableData(rows, headerRows, csv);
  } else if (spec.rows) {
    const keys = Object.keys(spec.rows[0]);
    data = {
      file,
      header: [keys],
      columns: keys,
      body: spec.rows.map((r) => keys.map((k) => r[k] ?? '')),
      bodyLines: spec.rows.map((_, i) => yaml.pos(['rows', i]).line),
      bodyCells: spec.rows.map((_, i) => keys.map((k) => yaml.pos(['rows', i, k]))),
    };
  } else throw yaml.error([], 'a chart needs data: (a CSV file) or rows: (a list of maps)');

  const xi = columnIndex(data, spec.x, yaml, ['x']);
  const yNames = spec.y ?? data.columns.filter((_, i) => i !== xi);
  const yi = yNames.map((n, i) => columnIndex(data, n, yaml, ['y', i]));
  const exclude = new Set(spec.exclude ?? []);
  const keep = data.body.map((r, i) => ({ r, at: data.bodyCells[i] })).filter(({ r }) => !exclude.has(r[xi]));
  if (keep.length === 0) throw yaml.error(['exclude'], 'no rows are left to chart');
  const series = yNames.map((name, s) => ({
    name,
    values: keep.map(({ r, at }) => {
      const n = readNumber(r[yi[s]]);
      if ('error' in n) throw new UserError(`"${r[yi[s]]}" in column "${name}" ${n.error}`, data.file, at[yi[s]]);
      return 'value' in n ? n.value : null;
    }),
  }));
  const type: ChartType = spec.type;
  return {
    kind: 'chart',
    type,
    title: spec.title,
    unit: spec.unit,
    source: spec.source,
    categories: keep.map(({ r }) => r[xi]),
    series,
    dataFile: data.file,
    width: spec.width ? share(spec.width, yaml, ['width']) : 1,
    line,
  };
}
