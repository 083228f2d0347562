#!/usr/bin/env node
// Output piped into a reader that stops early (| head) ends the run quietly, not with a stack trace.
process.stdout.on('error', (e) => {
  if (e.code !== 'EPIPE') throw e;
  process.exit(process.exitCode ?? 0);
});

process.exitCode = await (await import('../dist/cli.js')).main(process.argv);
