import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { layOut } from '../src/build.js';
import { loadIssue } from '../src/issue/load.js';
import { buildModel } from '../src/model/build.js';
import { REPO } from './helpers.js';

describe('contents', () => {
  it('set their leader dots on one grid, ending at the number column, for every entry', async () => {
    const issue = loadIssue('44', REPO);
    const model = buildModel(issue);
    const cache = path.join(REPO, 'out', '.cache', 'images');
    const { layout } = await layOut(issue, model, { cwd: REPO, systemFonts: false, cacheDir: fs.existsSync(cache) ? cache : undefined });
    const dots = layout.pages.slice(0, 2).flatMap((p) => p.items.filter((i) => i.kind === 'rect' && i.w < 1.5 && i.h < 1.5)) as { x: number; y: number; w: number }[];
    const rows = new Map<number, number[]>();
    for (const d of dots) rows.set(Math.round(d.y * 10), [...(rows.get(Math.round(d.y * 10)) ?? []), d.x + d.w / 2]);
    expect(rows.size).toBeGreaterThanOrEqual(30);
    const ends = [...rows.values()].map((xs) => Math.max(...xs));
    const end = ends[0];
    for (const e of ends) expect(Math.abs(e - end)).toBeLessThan(0.5);
    const step = Math.min(...[...rows.values()].flatMap((xs) => xs.sort((a, b) => a - b).slice(1).map((x, i) => x - xs[i])));
    for (const xs of rows.values()) {
      for (const x of xs) {
        const k = (end - x) / step;
        expect(Math.abs(k - Math.round(k)) * step).toBeLessThan(0.5);
      }
    }
  }, 60_000);
});
