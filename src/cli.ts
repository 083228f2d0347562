/** The command line: `bulletin build|preview|check|preflight|new …`. */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { Edition } from './assets/images.js';
import { build, type BuildResult } from './build.js';
import { check, formatFinding } from './check.js';
import { scaffoldIssue } from './issue/scaffold.js';
import { preflightFile } from './preflight/pdfx.js';
import { terminal } from './terminal.js';
import { watchBuild } from './watch.js';
import { servePreview } from './preview/server.js';
import { formatWarning, UserError } from './source/errors.js';
import { PACKAGE_ROOT, requirePackage } from './packages.js';

const { Command, CommanderError, InvalidArgumentError, Option } = requirePackage('commander') as typeof import('commander');

const EXIT_USER = 1;
const EXIT_USAGE = 2;
/** Anything unexpected: a bug of bulletin's, not the input's (scripts can tell the two apart). */
const EXIT_INTERNAL = 3;

const clock = () => new Date().toTimeString().slice(0, 8);

/** `--font-path DIR`, repeatable, for build and check alike. */
const fontPathOption = () =>
  new Option('--font-path <dir>', 'a folder of fonts for characters the template lacks (repeatable)').argParser((d: string, all: string[] | undefined) => [...(all ?? []), d]).default([]);

/** What a build tells the terminal: its warnings, the files it wrote (unless quiet) and, watching, when it was built or failed. */
function buildReport(term: ReturnType<typeof terminal>, o: { quiet?: boolean; watching: boolean; debug: boolean }) {
  const at = () => (o.watching ? `[${clock()}] ` : '');
  return {
    built(result: BuildResult, ms: number) {
      term.done();
      for (const w of result.warnings) term.message(w.kind ?? 'warning', formatWarning(w));
      if (!o.quiet) {
        for (const f of result.files) {
          console.log(`${path.relative(process.cwd(), f.path)}  ${f.output}, ${f.sheets} ${f.output === 'booklet' ? 'sheet sides' : 'pages'}, ${(f.bytes / 1e6).toFixed(1)} MB`);
        }
      }
      if (o.debug) for (const n of result.cacheNotes) term.message('note', `cache: ${n}`);
      if (o.debug) for (const n of result.layoutNotes) term.message('note', formatWarning(n));
      if (o.debug) for (const e of result.pageEnds) console.log(`page ${e.page + 1}: ${e.blank.toFixed(1)} pt white at the foot (${e.reason})`);
      if (o.debug) for (const f of result.figures) if (f.page !== f.reference) console.log(`page ${f.page + 1}: a figure set a page after its text (page ${f.reference + 1})`);
      console.log(`${at()}built in ${(ms / 1000).toFixed(1)} s`);
    },
    failed(e: UserError, ms: number) {
      term.done();
      term.message('error', e.format());
      console.log(`${at()}failed after ${(ms / 1000).toFixed(1)} s; the last good PDFs stay; watching for changes`);
    },
  };
}

/**
 * Runs a watcher until Ctrl-C (it then closes what it opened and the command
 * ends with 0) or until it crashes (the crash is the command's error).
 */
async function untilInterrupted(run: (crashed: (e: unknown) => void, signal: AbortSignal) => Promise<void>): Promise<void> {
  let crash: unknown;
  const stop = new AbortController();
  const interrupt = () => stop.abort();
  process.once('SIGINT', interrupt);
  process.once('SIGTERM', interrupt);
  try {
    await run((e) => {
      crash = e;
      stop.abort();
    }, stop.signal);
  } finally {
    process.off('SIGINT', interrupt);
    process.off('SIGTERM', interrupt);
  }
  if (crash) throw crash;
}

/** The platform's way to open an address in the default browser; `failed` hears why it could not. */
function openBrowser(url: string, failed: (why: string) => void): void {
  const [command, ...args] = process.platform === 'darwin' ? ['open', url] : process.platform === 'win32' ? ['cmd', '/c', 'start', '""', url] : ['xdg-open', url];
  const child = spawn(command, args, { stdio: 'ignore', detached: true });
  child.on('error', (e) => failed(e.message));
  child.unref();
}

/** `check` found errors: they are printed already. */
class CheckFailed extends Error {}

export async function main(argv: string[]): Promise<number> {
  const version = (JSON.parse(fs.readFileSync(path.join(PACKAGE_ROOT, 'package.json'), 'utf8')) as { version: string }).version;
  let debug = argv.includes('--debug');
  const program = new Command()
    .name('bulletin')
    .description('Typesets a newsletter issue folder (Markdown, CSV, photos) into print and screen PDFs.')
    .version(version)
    .exitOverride()
    .configureOutput({ writeErr: (s) => process.stderr.write(s) });

  program
    .command('build')
    .description('build issues/<number> (or a folder) into out/bulletin-<n>.pdf and out/bulletin-<n>-print.pdf')
    .argument('<issue>', 'issue number (looked up as ./issues/<number>) or path to an issue folder')
    .addOption(new Option('--profile <edition>', 'build only one edition').choices(['screen', 'print']))
    .addOption(new Option('--impose <layout>', 'also write printer spreads: booklet (saddle-stitched, two pages a sheet)').choices(['booklet']))
    .option('--out <dir>', 'output folder', 'out')
    .addOption(fontPathOption())
    .addOption(new Option('--no-system-fonts', "do not look in the machine's font folders"))
    .option('--watch', 'build again whenever the issue or its template changes')
    .option('--quiet', 'no progress line and no list of files written')
    .option('--debug', 'show stack traces for errors')
    .action(async (issue: string, opts: { profile?: Edition; impose?: 'booklet'; out: string; debug?: boolean; fontPath: string[]; systemFonts: boolean; watch?: boolean; quiet?: boolean }) => {
      debug = !!opts.debug;
      const term = terminal(process.stderr, process.env, opts.quiet);
      const options = { issue, out: opts.out, editions: opts.profile ? [opts.profile] : undefined, impose: opts.impose, fontFolders: opts.fontPath, systemFonts: opts.systemFonts, progress: term.progress };
      const report = buildReport(term, { quiet: opts.quiet, watching: !!opts.watch, debug });
      if (!opts.watch) {
        const started = Date.now();
        report.built(await build(options), Date.now() - started);
        return;
      }
      await untilInterrupted((crashed, signal) => watchBuild(options, { ...report, crashed }, signal));
    });

  program
    .command('preview')
    .description('build and watch an issue, and show its pages live in the browser at http://127.0.0.1:PORT/')
    .argument('<issue>', 'issue number (looked up as ./issues/<number>) or path to an issue folder')
    .option('--port <n>', 'the port to listen on (default: a free one)', (v: string) => {
      if (!/^\d+$/.test(v) || Number(v) < 1 || Number(v) > 65535) throw new InvalidArgumentError('not a port number (1–65535)');
      return Number(v);
    })
    .option('--out <dir>', 'output folder', 'out')
    .option('--open', 'open the preview in the default browser')
    .addOption(fontPathOption())
    .addOption(new Option('--no-system-fonts', "do not look in the machine's font folders"))
    .option('--debug', 'show stack traces for errors')
    .action(async (issue: string, opts: { port?: number; out: string; open?: boolean; fontPath: string[]; systemFonts: boolean; debug?: boolean }) => {
      debug = !!opts.debug;
      const term = terminal(process.stderr, process.env, false);
      const options = { issue, out: opts.out, fontFolders: opts.fontPath, systemFonts: opts.systemFonts, progress: term.progress };
      const report = buildReport(term, { quiet: true, watching: true, debug });
      await untilInterrupted((crashed, signal) =>
        servePreview(
          options,
          {
            port: opts.port,
            report: { ...report, crashed },
            listening: (url) => {
              console.log(`preview: ${url}`);
              if (opts.open) openBrowser(url, (why) => term.message('note', `could not open a browser (${why}): open ${url}`));
            },
          },
          signal,
        ),
      );
    });

  program
    .command('check')
    .description('report every error and warning of an issue at once, without writing a PDF')
    .argument('<issue>', 'issue number (looked up as ./issues/<number>) or path to an issue folder')
    .option('--json', 'print the findings as JSON')
    .option('--out <dir>', 'the build output folder, whose image cache saves decoding pictures again', 'out')
    .addOption(fontPathOption())
    .addOption(new Option('--no-system-fonts', "do not look in the machine's font folders"))
    .option('--debug', 'show stack traces for internal errors')
    .action(async (issue: string, opts: { json?: boolean; out: string; fontPath: string[]; systemFonts: boolean; debug?: boolean }) => {
      debug = !!opts.debug;
      const findings = await check({ issue, out: opts.out, fontFolders: opts.fontPath, systemFonts: opts.systemFonts });
      if (opts.json) process.stdout.write(`${JSON.stringify(findings, null, 2)}\n`);
      else for (const f of findings) process.stdout.write(`${formatFinding(f)}\n`);
      const errors = findings.filter((f) => f.level === 'error').length;
      const warnings = findings.filter((f) => f.level === 'warning').length;
      if (!opts.json) process.stderr.write(`${errors} error${errors === 1 ? '' : 's'}, ${warnings} warning${warnings === 1 ? '' : 's'}\n`);
      if (errors) throw new CheckFailed();
    });

  program
    .command('preflight')
    .description('check a PDF against the PDF/X-1a:2001 rules a print shop checks; exit 1 on any finding')
    .argument('<pdf>', 'the PDF file (e.g. out/bulletin-44-print.pdf)')
    .action((file: string) => {
      const findings = preflightFile(file);
      const shown = path.relative(process.cwd(), path.resolve(file)) || file;
      for (const f of findings) process.stdout.write(`${shown}: ${f.page ? `page ${f.page}: ` : ''}${f.message}\n`);
      process.stderr.write(findings.length ? `${findings.length} finding${findings.length === 1 ? '' : 's'}: not PDF/X-1a:2001\n` : `${shown}: PDF/X-1a:2001, no findings\n`);
      if (findings.length) throw new CheckFailed();
    });

  program
    .command('new')
    .description('make issues/<number> from the latest issue (or --from): period, label and date advanced, placeholder articles')
    .argument('<number>', 'the new issue number')
    .option('--from <n>', 'the issue to start from (default: the latest)')
    .action((number: string, opts: { from?: string }) => {
      if (!/^\d+$/.test(number) || Number(number) < 1) throw new UserError(`"${number}" is not an issue number`);
      if (opts.from !== undefined && !/^\d+$/.test(opts.from)) throw new UserError(`--from "${opts.from}" is not an issue number`);
      const made = scaffoldIssue(Number(number), process.cwd(), opts.from === undefined ? undefined : Number(opts.from));
      for (const f of made.files) console.log(path.relative(process.cwd(), f));
      for (const n of made.notes) process.stderr.write(`bulletin: note: ${n}\n`);
      console.log(`made issues/${number}: write its articles, then bulletin build ${number}`);
    });

  try {
    await program.parseAsync(argv);
    return 0;
  } catch (e) {
    if (e instanceof CommanderError) return e.exitCode === 0 ? 0 : EXIT_USAGE;
    if (e instanceof CheckFailed) return EXIT_USER;
    if (e instanceof UserError) {
      process.stderr.write(`bulletin: ${e.format()}\n`);
      if (debug) process.stderr.write(`${e.stack}\n`);
      return EXIT_USER;
    }
    const err = e as Error;
    process.stderr.write(`bulletin: internal error: ${err.message}${debug ? `\n${err.stack}` : ' (run again with --debug for details, and report it)'}\n`);
    return EXIT_INTERNAL;
  }
}
