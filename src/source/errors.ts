import path from 'node:path';

/** Where in an input file a problem is, 1-based. */
export interface SourcePos {
  line: number;
  col: number;
}

/**
 * A problem with the user's input (issue folder, template, command line).
 * Printed as one line `file:line:col: message`, never with a stack trace.
 */
export class UserError extends Error {
  constructor(
    message: string,
    readonly file?: string,
    readonly pos?: SourcePos,
  ) {
    super(message);
    this.name = 'UserError';
  }

  /** One line, with the file relative to the working directory when it lies below it. */
  format(cwd = process.cwd()): string {
    if (!this.file) return this.message;
    const rel = path.relative(cwd, this.file);
    // A folder is named with its trailing separator (`out/: the disk is full`).
    const folder = this.file.endsWith(path.sep) && rel ? path.sep : '';
    const shown = rel && !rel.startsWith('..') && !path.isAbsolute(rel) ? rel + folder : this.file;
    const where = this.pos ? `${shown}:${this.pos.line}:${this.pos.col}` : shown;
    return `${where}: ${this.message}`;
  }
}

/** A warning (or, `kind: 'note'`, information) that does not stop the build, in the same one-line form. */
export interface Warning {
  kind?: 'note';
  message: string;
  file?: string;
  pos?: SourcePos;
  /** the page it concerns (1-based, as printed), where layout can tell: set by the build */
  page?: number;
}

export function formatWarning(w: Warning, cwd = process.cwd()): string {
  return new UserError(w.message, w.file, w.pos).format(cwd);
}
