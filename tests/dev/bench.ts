/**
 * `npm run bench`: builds issue 44 (both editions) in fresh processes and
 * prints wall time and peak RSS — one cold run (empty image cache), then
 * warm runs, reporting their median. A benchmark, not a test: it never fails
 * on a number.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The checkout this script was compiled in (dist-dev/ lies at its top). */
const PACKAGE_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const cli = path.join(PACKAGE_ROOT, 'dist', 'cli.js');

function once(out: string): { ms: number; rssMb: number } {
  // The child reports its own peak RSS; the build itself is the CLI's.
  const script = `import { main } from ${JSON.stringify(cli)};
const code = await main(['node', 'bulletin', 'build', '44', '--out', ${JSON.stringify(out)}]);
process.stderr.write('maxrss ' + process.resourceUsage().maxRSS + '\\n');
process.exit(code);`;
  const t0 = process.hrtime.bigint();
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { cwd: PACKAGE_ROOT, encoding: 'utf8' });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  if (r.status !== 0) throw new Error(`build failed: ${r.stderr}`);
  const kb = Number(/maxrss (\d+)/.exec(r.stderr)?.[1] ?? NaN);
  return { ms, rssMb: kb / 1024 };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

const out = fs.mkdtempSync(path.join(os.tmpdir(), 'bulletin-bench-'));
try {
  const cold = once(out);
  console.log(`cold (empty image cache): ${(cold.ms / 1000).toFixed(2)} s, peak RSS ${cold.rssMb.toFixed(0)} MB`);
  const warm = Array.from({ length: RUNS }, () => once(out));
  console.log(`warm, ${RUNS} runs: median ${(median(warm.map((w) => w.ms)) / 1000).toFixed(2)} s, peak RSS ${Math.max(...warm.map((w) => w.rssMb)).toFixed(0)} MB`);
  const sizes = fs.readdirSync(out).filter((f) => f.endsWith('.pdf')).map((f) => `${f} ${(fs.statSync(path.join(out, f)).size / 1e6).toFixed(2)} MB`);
  console.log(sizes.join(', '));
} finally {
  fs.rmSync(out, { recursive: true, force: true });
}
