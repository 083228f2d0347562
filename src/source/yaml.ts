import type { Document, Node } from 'yaml';
import { requirePackage } from '../packages.js';
import { UserError, type SourcePos } from './errors.js';

const { LineCounter, parseDocument, isAlias, isMap, isNode, isPair, isScalar, visit } = requirePackage('yaml') as typeof import('yaml');

export type YamlPath = readonly (string | number)[];

/**
 * A parsed YAML file that remembers where each value came from, so that
 * validation errors can name the line and column.
 */
export class YamlSource {
  private constructor(
    readonly file: string,
    private readonly doc: Document.Parsed,
    private readonly lines: InstanceType<typeof LineCounter>,
  ) {}

  static parse(file: string, text: string): YamlSource {
    const lines = new LineCounter();
    const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
    const first = doc.errors[0];
    if (first) {
      const lp = lines.linePos(first.pos[0]);
      const what = first.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '');
      throw new UserError(`YAML syntax error: ${what}`, file, { line: lp.line, col: lp.col });
    }
    // Anchors and aliases repeat content by reference: nothing an editor needs, and a way to
    // make a small file expand without bound.
    let shared: Node | undefined;
    visit(doc, (_key, node) => {
      if ((isAlias(node) || (isNode(node) && node.anchor)) && !shared) {
        shared = node as Node;
        return visit.BREAK;
      }
      return undefined;
    });
    if (shared) {
      // Point at the & of an anchor (the node's range starts after it) or the * of an alias.
      const start = shared.range?.[0] ?? 0;
      const at = isAlias(shared) ? start : text.lastIndexOf(`&${shared.anchor}`, start);
      const lp = lines.linePos(Math.max(0, at));
      throw new UserError('YAML anchors and aliases are not allowed: write each value out', file, { line: lp.line, col: lp.col });
    }
    return new YamlSource(file, doc, lines);
  }

  /** The plain value (maps, lists, strings, numbers; dates stay strings). */
  value(): unknown {
    return this.doc.toJS();
  }

  /** Position of the value at `path`, or of the key when `key` is set; falls back to the nearest parent. */
  pos(path: YamlPath, key = false): SourcePos {
    let node: unknown = this.doc.contents;
    let best: SourcePos = { line: 1, col: 1 };
    for (let i = 0; i < path.length; i++) {
      const seg = path[i];
      if (!node || typeof node !== 'object' || !('items' in node)) break;
      const items = (node as { items: unknown[] }).items;
      let next: unknown;
      if (isMap(node)) {
        const pair = items.find((p) => isPair(p) && isScalar(p.key) && String(p.key.value) === String(seg));
        if (!isPair(pair)) break;
        if (key && i === path.length - 1) return this.at(pair.key as Node) ?? best;
        next = pair.value;
        best = this.at(pair.key as Node) ?? best;
      } else {
        next = items[Number(seg)];
      }
      if (!next) break;
      best = this.at(next as Node) ?? best;
      node = next;
    }
    return best;
  }

  error(path: YamlPath, message: string, key = false): UserError {
    return new UserError(message, this.file, this.pos(path, key));
  }

  private at(node: Node): SourcePos | undefined {
    const r = node.range;
    if (!r) return undefined;
    const lp = this.lines.linePos(r[0]);
    return { line: lp.line, col: lp.col };
  }
}
