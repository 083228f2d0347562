/**
 * `npm run profile [-- --cold]`: where a build of issue 44 spends its time.
 * Builds it once to warm the caches (unless --cold), then again in a fresh
 * process under V8's CPU profiler, and prints the time spent inside each
 * pipeline step (inclusive) and the functions that take the most time
 * themselves. The raw profile is kept for Chrome DevTools (Performance tab,
 * "Load profile").
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const cold = process.argv.includes('--cold');

interface Node {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface Profile {
  nodes: Node[];
  samples: number[];
  timeDeltas: number[];
}

/** Pipeline steps by the function that runs them (and the file it is in). */
const STEPS: [string, string, string][] = [
  ['read the issue', 'loadIssue', 'issue/load'],
  ['parse Markdown and CSV', 'buildModel', 'model/build'],
  ['read fonts and drawings', 'readVectors', 'assets/svg'],
  ['lay out (compose, paginate)', 'layoutIssue', 'layout/layout'],
  ['  compose paragraphs', 'composeParagraph', 'compose/paragraph'],
  ['prepare images', 'prepareImages', 'assets/images'],
  ['render both PDFs', 'renderPdf', 'render/pdf'],
  ['  write text', 'line', 'render/text'],
  ['  embed font subsets', 'embed', 'pdfkit'],
  ['  compress (zlib)', 'processChunkSync', 'zlib'],
  ['garbage collection', '(garbage collector)', ''],
];

const work = fs.mkdtempSync(path.join(os.tmpdir(), 'bulletin-profile-'));
try {
  const out = path.join(work, 'out');
  // The build's own process (a cold build's pixel work runs in the image worker, unprofiled: the profile shows waiting for it).
  const argv = ['build', '44', '--out', out, '--quiet'];
  const build = (args: string[]) => spawnSync(process.execPath, [...args, path.join(HERE, 'bin', 'bulletin.js'), ...argv], { cwd: HERE, encoding: 'utf8' });
  if (!cold) build([]);
  const r = build(['--cpu-prof', `--cpu-prof-dir=${work}`]);
  if (r.status !== 0) throw new Error(r.stderr);
  const file = fs.readdirSync(work).find((f) => f.endsWith('.cpuprofile'))!;
  const kept = path.join(HERE, 'dist-dev', `build-44${cold ? '-cold' : ''}.cpuprofile`);
  fs.copyFileSync(path.join(work, file), kept);
  const p = JSON.parse(fs.readFileSync(kept, 'utf8')) as Profile;

  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of p.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const self = new Map<number, number>();
  p.samples.forEach((s, i) => self.set(s, (self.get(s) ?? 0) + p.timeDeltas[i]));
  const total = [...self.values()].reduce((a, b) => a + b, 0);

  const inclusive = (fn: string, file: string) => {
    let t = 0;
    for (const [id, us] of self) {
      for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
        const f = byId.get(cur)!.callFrame;
        if (f.functionName === fn && f.url.includes(file)) {
          t += us;
          break;
        }
      }
    }
    return t / 1000;
  };
  console.log(`issue 44, ${cold ? 'cold (empty caches)' : 'warm'}, one fresh process: ${(total / 1000).toFixed(0)} ms sampled (profile: ${path.relative(process.cwd(), kept)})`);
  console.log('inside each step (ms, callees included; asynchronous steps count only their synchronous part):');
  for (const [label, fn, file] of STEPS) console.log(`  ${label.padEnd(30)} ${inclusive(fn, file).toFixed(0).padStart(6)}`);

  const bySelf = new Map<string, number>();
  for (const [id, us] of self) {
    const f = byId.get(id)!.callFrame;
    const key = `${f.functionName || '(anonymous)'} ${f.url.replace(/^.*\/(node_modules\/|src\/|dist\/)/, '$1')}:${f.lineNumber + 1}`;
    bySelf.set(key, (bySelf.get(key) ?? 0) + us);
  }
  console.log('most time in the function itself (ms):');
  for (const [k, us] of [...bySelf].sort((a, b) => b[1] - a[1]).slice(0, 15)) console.log(`  ${(us / 1000).toFixed(0).padStart(6)}  ${k}`);
} finally {
  fs.rmSync(work, { recursive: true, force: true });
}
