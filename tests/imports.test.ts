/**
 * Every import points down the pipeline: no module imports, however
 * indirectly, one that imports it (types included), and loading a template
 * loads no PDF writer.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO } from './helpers.js';

const SRC = path.join(REPO, 'src');

/** Each module of src/ and the modules of src/ it imports (`import type` too, when `types`). */
function importGraph(types: boolean): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  for (const name of fs.readdirSync(SRC, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.ts'))) {
    const file = path.join(SRC, name);
    const source = fs.readFileSync(file, 'utf8');
    const targets: string[] = [];
    for (const m of source.matchAll(/^(?:import|export)\s+(type\s+)?[^;]*?from\s+'(\.[^']+)'|import\('(\.[^']+)'\)/gms)) {
      if (m[1] && !types) continue;
      targets.push(path.resolve(path.dirname(file), (m[2] ?? m[3]).replace(/\.js$/, '.ts')));
    }
    graph.set(file, targets);
  }
  return graph;
}

/** The import circles of a graph, each as the modules it passes through. */
function circles(graph: Map<string, string[]>): string[][] {
  const found: string[][] = [];
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const visit = (file: string) => {
    state.set(file, 'open');
    stack.push(file);
    for (const next of graph.get(file) ?? []) {
      if (state.get(next) === 'open') found.push(stack.slice(stack.indexOf(next)).map((f) => path.relative(SRC, f)));
      else if (!state.has(next)) visit(next);
    }
    stack.pop();
    state.set(file, 'done');
  };
  for (const file of graph.keys()) if (!state.has(file)) visit(file);
  return found;
}

describe('imports', () => {
  it('form no circle, at run time or in types', () => {
    expect(circles(importGraph(false))).toEqual([]);
    expect(circles(importGraph(true))).toEqual([]);
  });

  it('load no PDF writer with the template', () => {
    const graph = importGraph(false);
    const reached = new Set<string>();
    const walk = (file: string) => {
      if (reached.has(file)) return;
      reached.add(file);
      for (const next of graph.get(file) ?? []) walk(next);
    };
    walk(path.join(SRC, 'template', 'template.ts'));
    expect(reached.size).toBeGreaterThan(3);
    const writers = [...reached].filter((f) => /requirePackage\('(pdfkit|svg-to-pdfkit)'\)/.test(fs.readFileSync(f, 'utf8')));
    expect(writers.map((f) => path.relative(SRC, f))).toEqual([]);
  });

  it('finds a circle where there is one', () => {
    const a = path.join(SRC, 'a.ts');
    const b = path.join(SRC, 'b.ts');
    expect(circles(new Map([[a, [b]], [b, [a]]]))).toEqual([['a.ts', 'b.ts']]);
  });
});
