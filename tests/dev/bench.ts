/**
 * `npm run bench [-- --vs DIR] [--runs N] [--x10]`: builds issue 44 (both
 * editions) in fresh processes and prints, per checkout, the medians of N
 * cold runs (empty output folder and caches) and N warm runs, peak RSS and where the
 * time goes, stage by stage (module loading, then each stage the build
 * reports through its progress callback). `--vs DIR` runs another checkout
 * (compiled: `npm run build` there) alternately with this one, so that
 * before and after are measured on one machine at one time. `--x10` also
 * builds an issue ten times as long (issue 44's sections ten times over),
 * warm. Last, what `--watch` takes to rebuild after a one-word edit (one
 * process, many edits), and what `preview` takes from a save to the event
 * announcing the new build. Builds run with the environment the checkout's
 * command line gives them (a checkout that relaunches itself with one malloc
 * arena for image work does so here; later ones work on pictures in a
 * worker process, whose peak memory has a row of its own); the row "via
 * bin/bulletin.js" times the command itself, relaunch included where there
 * is one. A
 * benchmark, not a test: it never fails on a number.
 */
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The checkout this script was compiled in (dist-dev/ lies at its top). */
const HERE = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

const args = process.argv.slice(2);
const option = (name: string) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};
const RUNS = Number(option('--runs') ?? process.env.BENCH_RUNS ?? 5);
const VS = option('--vs');
const X10 = args.includes('--x10');

interface Run {
  ms: number;
  rssMb: number;
  /** the image worker's peak, where the checkout has one (0: none, or none started) */
  workerRssMb: number;
  /** milliseconds per stage, in the order the stages ran */
  stages: [string, number][];
}

type ArenaEnvironment = (argv: string[], env: NodeJS.ProcessEnv, cwd: string) => NodeJS.ProcessEnv | undefined;

/**
 * How `checkout`'s command line would run a build: on glibc, a build that
 * will prepare pictures in one malloc arena (src/arena-relaunch.ts), where
 * that checkout has it.
 */
async function arenaOf(checkout: string): Promise<ArenaEnvironment | undefined> {
  const relaunch = path.join(checkout, 'dist', 'arena-relaunch.js');
  return fs.existsSync(relaunch) ? ((await import(relaunch)) as { arenaEnvironment: ArenaEnvironment }).arenaEnvironment : undefined;
}

/** One build of `issue` with `checkout`'s code, in a fresh process, as its command line would run it. */
function once(checkout: string, issue: string, out: string): Run {
  const build = path.join(checkout, 'dist', 'build.js');
  // The child times itself: loading modules, then each stage its progress callback names.
  const script = `const t0 = performance.now();
const stages = [];
let at = t0, name = 'loading modules';
const mark = (next) => { const now = performance.now(); stages.push([name, now - at]); at = now; name = next; };
const { build } = await import(${JSON.stringify(build)});
mark('reading the issue');
await build({ issue: ${JSON.stringify(issue)}, cwd: ${JSON.stringify(checkout)}, out: ${JSON.stringify(out)}, progress: (stage) => { if (stage !== name) mark(stage); } });
mark('');
// Where pictures are worked on in a process of their own, its peak too (checkouts before it have none).
const client = ${JSON.stringify(path.join(checkout, 'dist', 'assets', 'image-client.js'))};
const worker = (await import('node:fs')).existsSync(client) ? (await import(client)).imageWorkerUsage().peakRss : 0;
process.stderr.write('bench ' + JSON.stringify({ stages, maxrss: process.resourceUsage().maxRSS, worker }) + '\\n');`;
  const t0 = process.hrtime.bigint();
  // Decided as the command line decides, from this output folder as it is now.
  const env = arenas.get(checkout)?.(['node', 'bulletin', 'build', issue, '--out', out], process.env, checkout) ?? process.env;
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { cwd: checkout, encoding: 'utf8', env });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  const line = /bench (\{.*\})/.exec(r.stderr ?? '');
  if (r.status !== 0 || !line) throw new Error(`build failed in ${checkout}: ${r.stderr}`);
  const report = JSON.parse(line[1]) as { stages: [string, number][]; maxrss: number; worker: number };
  return { ms, rssMb: report.maxrss / 1024, workerRssMb: report.worker / 1024, stages: report.stages };
}

/** A warm build through `checkout`'s command line (with its relaunch, if it has one): milliseconds. */
function viaCli(checkout: string, out: string): number {
  const t0 = process.hrtime.bigint();
  const r = spawnSync(process.execPath, [path.join(checkout, 'bin', 'bulletin.js'), 'build', '44', '--out', out, '--quiet'], { cwd: checkout, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`bulletin build failed in ${checkout}: ${r.stderr}`);
  return Number(process.hrtime.bigint() - t0) / 1e6;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

/**
 * What `--watch` does after an edit: issue 44 built once in one process, then
 * EDITS times again, each after one more word in one article.
 */
const EDITS = 12;
function edits(checkout: string, into: string): number[] {
  const script = `import fs from 'node:fs';
const { build } = await import(${JSON.stringify(path.join(checkout, 'dist', 'build.js'))});
const cwd = ${JSON.stringify(into)};
fs.cpSync(${JSON.stringify(path.join(HERE, 'issues', '44'))}, cwd + '/issues/44', { recursive: true });
const dir = cwd + '/issues/44/articles/';
const files = fs.readdirSync(dir).filter((f) => f.endsWith('.md'));
const times = [];
await build({ issue: '44', cwd, out: cwd + '/out' });
for (let i = 0; i < ${EDITS}; i++) {
  const art = dir + files[i % files.length];
  fs.writeFileSync(art, fs.readFileSync(art, 'utf8').replace('。', '的。'));
  const t = performance.now();
  // As --watch rebuilds: what was parsed and composed is written later, when the watcher is idle.
  await build({ issue: '44', cwd, out: cwd + '/out', keepCaches: false });
  times.push(performance.now() - t);
}
process.stderr.write('edits ' + JSON.stringify(times) + '\\n');`;
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { cwd: checkout, encoding: 'utf8' });
  const line = /edits (\[.*\])/.exec(r.stderr ?? '');
  if (r.status !== 0 || !line) throw new Error(`edits failed in ${checkout}: ${r.stderr}`);
  return JSON.parse(line[1]) as number[];
}

/**
 * What `bulletin preview` takes from a one-line save to the event that
 * announces the new build (settle time included), EDITS edits of issue 44,
 * each after the last build is done; undefined for a checkout without it.
 */
async function previewEvents(checkout: string, into: string): Promise<number[] | undefined> {
  if (!fs.existsSync(path.join(checkout, 'dist', 'preview', 'server.js'))) return undefined;
  fs.cpSync(path.join(HERE, 'issues', '44'), path.join(into, 'issues', '44'), { recursive: true });
  const child = spawn(process.execPath, [path.join(checkout, 'bin', 'bulletin.js'), 'preview', '44'], { cwd: into, stdio: ['ignore', 'pipe', 'ignore'] });
  try {
    const url = await new Promise<string>((resolve, reject) => {
      child.stdout.on('data', (d: Buffer) => {
        const m = /preview: (\S+)/.exec(d.toString());
        if (m) resolve(m[1]);
      });
      child.once('exit', () => reject(new Error(`bulletin preview ended in ${checkout}`)));
    });
    const arrived: number[] = [];
    let heard: (() => void) | undefined;
    http.get(`${url}events`, (res) => {
      let buffer = '';
      res.on('data', (d: Buffer) => {
        buffer += d.toString();
        for (let end = buffer.indexOf('\n\n'); end >= 0; end = buffer.indexOf('\n\n')) {
          if (buffer.slice(0, end).startsWith('data: ')) arrived.push(performance.now());
          buffer = buffer.slice(end + 2);
          heard?.();
        }
      });
    });
    const events = (n: number) =>
      new Promise<void>((resolve) => {
        heard = () => {
          if (arrived.length >= n) resolve();
        };
        heard();
      });
    await events(1);
    const dir = path.join(into, 'issues', '44', 'articles');
    const files = fs.readdirSync(dir).filter((f) => f.endsWith('.md'));
    const times: number[] = [];
    for (let i = 0; i < EDITS; i++) {
      // The print edition and the files of the build before are done by then.
      await new Promise((r) => setTimeout(r, 500));
      const art = path.join(dir, files[i % files.length]);
      const text = fs.readFileSync(art, 'utf8').replace('。', '的。');
      const t = performance.now();
      fs.writeFileSync(art, text);
      await events(i + 2);
      times.push(arrived[i + 1] - t);
    }
    return times;
  } finally {
    child.kill('SIGINT');
  }
}

/** Issue 44 with its sections ten times over, in a project folder of its own (for the growth check). */
function tenfold(into: string): string {
  const src = path.join(HERE, 'issues', '44');
  const dir = path.join(into, 'issue-44x10');
  fs.cpSync(src, dir, { recursive: true });
  const manifest = path.join(dir, 'issue.yaml');
  const text = fs.readFileSync(manifest, 'utf8');
  const at = text.indexOf('sections:');
  const sections = text.slice(at + 'sections:'.length);
  // An article may be listed once: the copies are files of their own.
  const articles = path.join(dir, 'articles');
  const copies = Array.from({ length: 9 }, (_, k) => {
    for (const f of fs.readdirSync(articles).filter((f) => /^[^.]+\.md$/.test(f))) fs.copyFileSync(path.join(articles, f), path.join(articles, f.replace(/\.md$/, `-x${k}.md`)));
    return sections.replace(/([\w-]+)\.md\b/g, `$1-x${k}.md`);
  });
  fs.writeFileSync(manifest, text.slice(0, at) + 'sections:' + sections + copies.join(''));
  return dir;
}

const checkouts = VS ? [HERE, path.resolve(VS)] : [HERE];
const arenas = new Map(await Promise.all(checkouts.map(async (c) => [c, await arenaOf(c)] as const)));
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'bulletin-bench-'));
try {
  console.log(`${os.cpus().length} cores, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}; issue 44, both editions; ${RUNS} warm runs`);
  const cold = new Map<string, Run[]>(checkouts.map((c) => [c, []]));
  const warm = new Map<string, Run[]>(checkouts.map((c) => [c, []]));
  const outs = new Map(checkouts.map((c, i) => [c, path.join(work, `out-${i}`)]));
  // Alternate: cold runs interleaved (each into an emptied folder), then warm runs interleaved.
  for (let i = 0; i < RUNS; i++) {
    for (const c of checkouts) {
      fs.rmSync(outs.get(c)!, { recursive: true, force: true });
      cold.get(c)!.push(once(c, '44', outs.get(c)!));
    }
  }
  const cli = new Map<string, number[]>(checkouts.map((c) => [c, []]));
  for (let i = 0; i < RUNS; i++) {
    for (const c of checkouts) warm.get(c)!.push(once(c, '44', outs.get(c)!));
    for (const c of checkouts) cli.get(c)!.push(viaCli(c, outs.get(c)!));
  }

  const name = (c: string) => (c === HERE ? 'this checkout' : path.relative(process.cwd(), c) || c);
  const col = (xs: string[]) => xs.map((x) => x.padStart(16)).join('');
  console.log(col(['', ...checkouts.map(name)]).slice(16));
  const row = (label: string, f: (c: string) => string) => console.log(label.padEnd(34) + col(checkouts.map(f)));
  row(`cold (empty caches), median of ${RUNS}`, (c) => s(median(cold.get(c)!.map((r) => r.ms))));
  row('cold peak RSS, highest', (c) => `${Math.max(...cold.get(c)!.map((r) => r.rssMb)).toFixed(0)} MB`);
  row('  its image worker, highest', (c) => `${Math.max(...cold.get(c)!.map((r) => r.workerRssMb)).toFixed(0)} MB`);
  row(`warm median of ${RUNS}`, (c) => s(median(warm.get(c)!.map((r) => r.ms))));
  row(`warm via bin/bulletin.js, median`, (c) => s(median(cli.get(c)!)));
  row('warm peak RSS, highest', (c) => `${Math.max(...warm.get(c)!.map((r) => r.rssMb)).toFixed(0)} MB`);
  for (const [label, runs] of [
    ['cold', (c: string) => cold.get(c)!],
    ['warm', (c: string) => warm.get(c)!],
  ] as const) {
    console.log(`${label}, by stage (median ms):`);
    const stages = [...new Set(checkouts.flatMap((c) => runs(c).flatMap((r) => r.stages.map(([n]) => n))))];
    for (const st of stages) row(`  ${st}`, (c) => `${median(runs(c).map((r) => r.stages.find(([n]) => n === st)?.[1] ?? 0)).toFixed(0)} ms`);
  }
  row(`watch: rebuild after a one-word edit, median of ${EDITS}`, (c) => `${median(edits(c, path.join(work, `edits-${checkouts.indexOf(c)}`))).toFixed(0)} ms`);
  const previews = new Map<string, number[] | undefined>();
  for (const c of checkouts) previews.set(c, await previewEvents(c, path.join(work, `preview-${checkouts.indexOf(c)}`)));
  row(`preview: save to event, median of ${EDITS}`, (c) => {
    const times = previews.get(c);
    return times ? `${median(times).toFixed(0)} ms` : '—';
  });
  if (X10) {
    const big = tenfold(work);
    for (const c of checkouts) {
      const out = path.join(work, `x10-${checkouts.indexOf(c)}`);
      once(c, big, out);
      const r = once(c, big, out);
      const one = median(warm.get(c)!.map((w) => w.ms));
      console.log(`${name(c)}: 10× issue warm ${s(r.ms)} (${(r.ms / one).toFixed(1)}× the 1× time), peak RSS ${r.rssMb.toFixed(0)} MB`);
    }
  }
  const sizes = fs.readdirSync(outs.get(HERE)!).filter((f) => f.endsWith('.pdf')).map((f) => `${f} ${(fs.statSync(path.join(outs.get(HERE)!, f)).size / 1e6).toFixed(2)} MB`);
  console.log(sizes.join(', '));
} finally {
  fs.rmSync(work, { recursive: true, force: true });
}
