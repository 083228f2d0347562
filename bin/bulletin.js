#!/usr/bin/env node
import { main } from '../dist/cli.js';

// Output piped into a reader that stops early (| head) ends the run quietly, not with a stack trace.
process.stdout.on('error', (e) => {
  if (e.code !== 'EPIPE') throw e;
  process.exit(process.exitCode ?? 0);
});

process.exitCode = await main(process.argv);
