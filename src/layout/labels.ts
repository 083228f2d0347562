/**
 * The words bulletin adds to an article (its source line, a chart's unit,
 * source and missing values, a picture's description), in the article's
 * language: Chinese, or English for Latin-script articles.
 */
export interface Labels {
  source(name: string): string;
  unit(unit: string): string;
  /** the note under a chart with missing values, naming each gap */
  missing(gaps: string[]): string;
  /** where a value is missing (a pie's legend, a chart's description) */
  noData: string;
  /** one gap of a chart of several series: its category and series */
  gap(category: string, series: string): string;
  /** what a chart says to a reader who cannot see it: its title, unit, each category's values, source */
  chartDescription(title: string | undefined, unit: string | undefined, rows: [string, string[]][], source: string | undefined): string;
  /** a picture's description when it has neither caption nor alt text */
  picture(articleTitle: string): string;
}

const ZH: Labels = {
  source: (name) => `来源：${name}`,
  unit: (unit) => `单位：${unit}`,
  missing: (gaps) => `注：${gaps.join('、')}无数据，图中留空。`,
  noData: '无数据',
  gap: (category, series) => `${category}（${series}）`,
  chartDescription: (title, unit, rows, source) =>
    `${title ?? '图表'}${unit ? `（单位：${unit}）` : ''}。${rows.map(([c, v]) => `${c}：${v.join('，')}`).join('；')}${source ? `。来源：${source}` : ''}`,
  picture: (title) => `图片：${title}`,
};

const EN: Labels = {
  source: (name) => `Source: ${name}`,
  unit: (unit) => `Unit: ${unit}`,
  missing: (gaps) => `Note: no data for ${gaps.join(', ')}; left blank.`,
  noData: 'no data',
  gap: (category, series) => `${category} (${series})`,
  chartDescription: (title, unit, rows, source) =>
    `${title ?? 'Chart'}${unit ? ` (unit: ${unit})` : ''}. ${rows.map(([c, v]) => `${c}: ${v.join(', ')}`).join('; ')}${source ? `. Source: ${source}` : ''}`,
  picture: (title) => `Picture: ${title}`,
};

export const labelsFor = (latin: boolean): Labels => (latin ? EN : ZH);
