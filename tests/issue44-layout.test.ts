import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { layOut } from '../src/build.js';
import { loadIssue } from '../src/issue/load.js';
import { buildModel } from '../src/model/build.js';
import type { Layout } from '../src/layout/display.js';
import { REPO, zasto } from './helpers.js';
import { layoutSettings } from '../src/layout/settings.js';

/** The layout of an issue (no PDF): issue 44, or the stress issue with its fonts. */
async function laidOut(ref: string, fontFolders: string[] = []): Promise<Layout> {
  const issue = loadIssue(ref, REPO);
  const cache = path.join(REPO, 'out', '.cache', 'images');
  return (await layOut(issue, buildModel(issue), { cwd: REPO, systemFonts: false, fontFolders, cacheDir: fs.existsSync(cache) ? cache : undefined })).layout;
}

describe('pages chosen together', () => {
  const lines = 3;
  for (const [name, ref, folders] of [
    ['issue 44', '44', []],
    ['the stress issue', 'tests/stress/issue', ['tests/stress/fonts']],
  ] as const) {
    it(`${name}: no page inside a section ends more than ${lines} body lines short, none but the cover holds less than four lines, every figure is on its text's page or the next`, async () => {
      const layout = await laidOut(ref, [...folders]);
      const pitch = zasto().template.type.body.pitch;
      const frame = layoutSettings(zasto().template).page.frame.height;
      const inside = layout.pageEnds.filter((e) => e.reason !== 'end' && e.reason !== 'new page');
      expect(inside.length).toBeGreaterThan(5);
      expect(inside.filter((e) => e.blank > lines * pitch + 0.5)).toEqual([]);
      // The cover is page 0; the back cover has no flow.
      expect(layout.pageEnds.filter((e) => e.page > 0 && frame - e.blank < 4 * pitch - 0.5)).toEqual([]);
      expect(layout.figures.length).toBeGreaterThan(5);
      for (const f of layout.figures) expect(f.page - f.reference).toBeOneOf([0, 1]);
    }, 60_000);
  }
});

describe('contents', () => {
  it('set their leader dots on one grid, ending at the number column, for every entry', async () => {
    const layout = await laidOut('44');
    // Leaders are dashed lines whose dashes are the dots: each dot's centre, from the pattern.
    const leaders = layout.pages.slice(0, 2).flatMap((p) => p.items.filter((i) => i.kind === 'line' && i.dash !== undefined && i.gap !== undefined)) as { x1: number; x2: number; y1: number; dash: number; gap: number }[];
    const rows = new Map<number, number[]>();
    for (const l of leaders) {
      const xs: number[] = [];
      for (let x = l.x1; x + l.dash <= l.x2 + 1e-6; x += l.dash + l.gap) xs.push(x + l.dash / 2);
      rows.set(Math.round(l.y1 * 10), xs);
    }
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

describe('air below tables', () => {
  for (const [name, ref, folders] of [
    ['issue 44', '44', []],
    ['the stress issue', 'tests/stress/issue', ['tests/stress/fonts']],
  ] as const) {
    it(`${name}: the text after a table starts at least half a line below its last rule`, async () => {
      const layout = await laidOut(ref, [...folders]);
      const { template } = zasto();
      const body = template.type.body;
      const ruleColour = template.colours.rule;
      let checked = 0;
      for (const page of layout.pages) {
        // Table rules (0.4 pt in the rule colour) inside the text frame: the running lines' rules lie outside it.
        const { frame } = template.page;
        const rules = page.items.filter((i): i is Extract<typeof i, { kind: 'line' }> => i.kind === 'line' && i.y1 === i.y2 && i.width === 0.4 && i.colour.rgb === ruleColour.rgb && i.y1 > frame.y && i.y1 < frame.y + frame.height);
        const texts = page.items.filter((i): i is Extract<typeof i, { kind: 'text' }> => i.kind === 'text' && Math.abs(i.size - body.size) < 0.01);
        if (!rules.length) continue;
        // Tables end where a rule has body text below it before any further rule.
        const ys = [...new Set(rules.map((r) => r.y1))].sort((a, b) => a - b);
        for (const y of ys) {
          const nextRule = ys.find((r) => r > y + 0.1) ?? Infinity;
          const next = texts.filter((t) => t.y > y).sort((a, b) => a.y - b.y)[0];
          if (!next || next.y > nextRule) continue;
          if (ys.some((r) => r > y + 0.1 && r < next.y)) continue;
          const lineTop = next.y - (body.pitch - body.size) / 2 - 0.88 * body.size;
          expect(lineTop - y, `p${page.number} text at ${next.y.toFixed(1)} under the rule at ${y.toFixed(1)}`).toBeGreaterThanOrEqual(body.pitch / 2 - 0.5);
          checked++;
        }
      }
      expect(checked).toBeGreaterThanOrEqual(ref === '44' ? 3 : 1);
    }, 60_000);
  }
});
