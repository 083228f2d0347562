/** Stage 2 entry: the loaded issue → the document model. */
import type { UserError, Warning } from '../errors.js';
import { collecting, type IssueSource } from '../issue/load.js';
import type { DocumentModel } from './document.js';
import { parseArticle } from './markdown.js';

/** With `onError`, an article that cannot be parsed is reported there and left out (bulletin check). */
export function buildModel(issue: IssueSource, onError?: (e: UserError) => void): DocumentModel {
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
      articles: collecting(s.articles, onError, (a) => parseArticle(a, issue.dir, warn)),
    })),
    warnings,
  };
}
