#!/usr/bin/env node
// npm run fuzz -- --runs N [--from S]: builds N generated issues from seed S (default 1000) through
// tests/generated.test.ts, two at a time; each failure is shrunk and saved under tests/regressions.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const args = process.argv.slice(2);
const value = (name, fallback) => {
  const i = args.indexOf(name);
  return i >= 0 && args[i + 1] !== undefined ? args[i + 1] : fallback;
};
const runs = value('--runs', '100');
const from = value('--from', '1000');
if (!/^\d+$/.test(runs) || !/^\d+$/.test(from)) {
  console.error('usage: npm run fuzz -- --runs N [--from SEED]');
  process.exit(2);
}
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const r = spawnSync(process.execPath, [path.join(root, 'node_modules', 'vitest', 'vitest.mjs'), 'run', 'tests/generated.test.ts', '-t', 'a long run'], {
  cwd: root,
  stdio: 'inherit',
  env: { ...process.env, FUZZ_RUNS: runs, FUZZ_FROM: from },
});
process.exit(r.status ?? 1);
