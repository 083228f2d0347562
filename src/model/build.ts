/** Stage 2 entry: the loaded issue → the document model. */
import type { Warning } from '../errors.js';
import type { IssueSource } from '../issue/load.js';
import type { DocumentModel } from './document.js';
import { parseArticle } from './markdown.js';

export function buildModel(issue: IssueSource): DocumentModel {
  const warnings = [...issue.warnings];
  const warn = (w: Warning) => warnings.push(w);
  return {
    number: issue.number,
    date: issue.date,
    period: issue.period,
    label: issue.label,
    staff: issue.staff,
    sections: issue.sections.map((s) => ({
      title: s.title,
      articles: s.articles.map((a) => parseArticle(a, issue.dir, warn)),
    })),
    warnings,
  };
}
