import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { layOut } from '../src/build.js';
import { loadIssue } from '../src/issue/load.js';
import { buildModel } from '../src/model/build.js';
import type { Layout } from '../src/layout/display.js';
import { REPO, zasto } from './helpers.js';

/** The layout of an issue (no PDF): issue 44, or the stress issue with its fonts. */
async function laidOut(ref: string, fontFolders: string[] = []): Promise<Layout> {
  const issue = loadIssue(ref, REPO);
  const cache = path.join(REPO, 'out', '.cache', 'images');
  return (await layOut(issue, buildModel(issue), { cwd: REPO, systemFonts: false, fontFolders, cacheDir: fs.existsSync(cache) ? cache : undefined })).layout;
}

describe('page ends', () => {
  const lines = 3;
  for (const [name, ref, folders] of [
    ['issue 44', '44', []],
    ['the stress issue', 'tests/stress/issue', ['tests/stress/fonts']],
  ] as const) {
    it(`${name}: no page ends more than ${lines} body lines short but for a reason (a section's end, a keep rule, a figure nothing may replace)`, async () => {
      const layout = await laidOut(ref, [...folders]);
      const pitch = zasto().template.type.body.pitch;
      const short = layout.pageEnds.filter((e) => e.blank > lines * pitch + 0.5 && e.reason === 'too tall');
      expect(short).toEqual([]);
      expect(layout.pageEnds.length).toBeGreaterThan(5);
    }, 60_000);
  }
});

describe('contents', () => {
  it('set their leader dots on one grid, ending at the number column, for every entry', async () => {
    const layout = await laidOut('44');
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
