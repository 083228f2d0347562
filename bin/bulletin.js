#!/usr/bin/env node
import { endWithParent, relaunchWithOneArena } from '../dist/arena-relaunch.js';

// Output piped into a reader that stops early (| head) ends the run quietly, not with a stack trace.
process.stdout.on('error', (e) => {
  if (e.code !== 'EPIPE') throw e;
  process.exit(process.exitCode ?? 0);
});

endWithParent();

// A build on glibc runs in a child with one malloc arena (see arena-relaunch.ts); the CLI's
// modules are loaded only where the command runs.
process.exitCode = (await relaunchWithOneArena(process.argv)) ?? (await (await import('../dist/cli.js')).main(process.argv));
