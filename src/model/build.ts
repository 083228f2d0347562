/** Stage 2 entry: the loaded issue → the document model. */
import type { IssueSource } from '../issue/load.js';
import type { DocumentModel } from './document.js';
import { parseArticle } from './markdown.js';

export function buildModel(issue: IssueSource): DocumentModel {
  return {
    number: issue.number,
    date: issue.date,
    period: issue.period,
    label: issue.label,
    staff: issue.staff,
    sections: issue.sections.map((s) => ({
      title: s.title,
      articles: s.articles.map((a) => parseArticle(a, issue.dir)),
    })),
  };
}
