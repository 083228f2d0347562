/**
 * Generated issues (tests/generate): a fixed sample of seeds on every run,
 * and every regression folder a failure ever shrank to. `npm run fuzz --
 * --runs N [--from S]` runs N more seeds from S (FUZZ_RUNS, FUZZ_FROM), shrinks
 * each failure and saves it under tests/regressions.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { REPO } from './helpers.js';
import { checkIssue, type Rebuilds, type Verdict } from './generate/invariants.js';
import { generateIssue, issueFiles, sourceText, type GenIssue } from './generate/issue.js';
import { REGRESSION_NOTE, saveRegression, shrink, writeFolder, type RegressionNote } from './generate/shrink.js';

const work = fs.mkdtempSync(path.join(os.tmpdir(), 'bulletin-generated-'));
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

/** Seeds every `npm test` builds: about a minute on two cores. */
const SAMPLE = [1, 2, 3, 4, 5, 6, 7, 8];

async function verdict(issue: GenIssue, name: string, rebuilds?: Rebuilds): Promise<Verdict> {
  const dir = path.join(work, name);
  writeFolder(dir, await issueFiles(issue));
  return checkIssue(dir, path.join(work, `${name}-out`), sourceText(issue), rebuilds);
}

const regressions = fs.existsSync(path.join(REPO, 'tests', 'regressions')) ? fs.readdirSync(path.join(REPO, 'tests', 'regressions')).sort() : [];

describe('generated issues', () => {
  it.each(SAMPLE)('seed %i: every invariant holds', async (seed) => {
    const v = await verdict(generateIssue(seed), `seed-${seed}`);
    // A generated issue is written as the format allows: refused, it shows a fault of bulletin's or the generator's.
    expect(v).toEqual({});
  }, 180_000);

  it.runIf(regressions.length > 0).each(regressions)('regression %s: every invariant holds', async (name) => {
    const dir = path.join(REPO, 'tests', 'regressions', name);
    const note = JSON.parse(fs.readFileSync(path.join(dir, REGRESSION_NOTE), 'utf8')) as RegressionNote;
    const v = await checkIssue(dir, path.join(work, `${name}-out`), note.text);
    expect(v.failed).toBeUndefined();
  }, 180_000);
});

const runs = Number(process.env.FUZZ_RUNS ?? 0);
const from = Number(process.env.FUZZ_FROM ?? 1000);

describe.runIf(runs > 0)('a long run', () => {
  it(`builds ${runs} generated issues from seed ${from}`, async () => {
    const failures: string[] = [];
    const refused = new Map<string, number>();
    // The first failure of each invariant is shrunk and kept; later ones are listed (one class, one regression).
    const shrunk = new Set<string>();
    let next = from;
    const worker = async () => {
      while (next < from + runs) {
        const seed = next++;
        const issue = generateIssue(seed);
        // Rebuilds are checked on a third of the seeds (from a damaged cache on a sixth): the rest spend their time on new content.
        const v = await verdict(issue, `fuzz-${seed}`, { warm: seed % 3 === 0, damaged: seed % 6 === 0 });
        if (v.refused) refused.set(v.refused.replace(/^bulletin: \S+ /, ''), (refused.get(v.refused) ?? 0) + 1);
        if (!v.failed) continue;
        const { invariant } = v.failed;
        console.log(`seed ${seed}: ${invariant}: ${v.failed.detail}`);
        if (shrunk.has(invariant)) {
          failures.push(`seed ${seed}: ${invariant} (${v.failed.detail})`);
          continue;
        }
        shrunk.add(invariant);
        const rebuilds = { warm: invariant.includes('rebuild'), damaged: invariant.includes('damaged') };
        const small = await shrink(issue, async (c) => (await verdict(c, `shrink-${seed}`, rebuilds)).failed?.invariant === invariant, 80);
        const saved = saveRegression(REPO, `seed-${seed}-${invariant.replace(/\W+/g, '-')}`, await issueFiles(small), { failure: `${invariant}: ${v.failed.detail}`, text: sourceText(small) });
        failures.push(`seed ${seed}: ${invariant} (${v.failed.detail}) → ${path.relative(REPO, saved)}`);
      }
    };
    await Promise.all([worker(), worker()]);
    console.log(`${runs} generated issues from seed ${from}: ${failures.length} failed, ${[...refused.values()].reduce((a, b) => a + b, 0)} refused`);
    for (const [why, n] of refused) console.log(`  refused ${n}×: ${why}`);
    expect(failures).toEqual([]);
  }, 0);
});
