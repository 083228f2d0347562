/**
 * `bulletin preview`: builds and watches an issue as `build --watch` does and
 * serves a page that shows every page of it, rendered by pdf.js in the
 * browser from the very PDFs the build wrote. Each build is announced on a
 * Server-Sent Events stream (events.ts); the page re-renders only the pages
 * that changed.
 *
 * Safe on a laptop on any network: it listens on 127.0.0.1 only, answers
 * only a Host of 127.0.0.1:PORT or localhost:PORT (a page elsewhere cannot
 * reach it through a name it controls), and serves a fixed list of paths —
 * its page, its scripts, the PDFs from memory — so that nothing
 * else on the disk can be asked for, however the path is written. It
 * writes nothing but what the build writes.
 */
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import type { BuildOptions, LaidOutBuild, PlannedFile } from '../build.js';
import { PACKAGE_ROOT, requirePackage } from '../packages.js';
import { UserError } from '../source/errors.js';
import { watchBuild, type WatchReport } from '../watch.js';
import { builtEvent, editionUrl, failedEvent, isEdition, type BuildEvent, type Shown } from './events.js';

/** The page's own files, shipped with the package. */
const PAGE_DIR = path.join(PACKAGE_ROOT, 'src', 'preview', 'page');
const PDFJS_DIR = path.join(path.dirname(requirePackage.resolve('pdfjs-dist/package.json')), 'build');

/** Every file the server answers with, by its exact path. */
const STATIC: Record<string, { file: string; type: string }> = {
  '/': { file: path.join(PAGE_DIR, 'index.html'), type: 'text/html; charset=utf-8' },
  '/preview.js': { file: path.join(PAGE_DIR, 'preview.js'), type: 'text/javascript; charset=utf-8' },
  '/preview.css': { file: path.join(PAGE_DIR, 'preview.css'), type: 'text/css; charset=utf-8' },
  '/pdf.mjs': { file: path.join(PDFJS_DIR, 'pdf.min.mjs'), type: 'text/javascript; charset=utf-8' },
  '/pdf.worker.mjs': { file: path.join(PDFJS_DIR, 'pdf.worker.min.mjs'), type: 'text/javascript; charset=utf-8' },
};

/** pdf.js compiles no code (isEvalSupported: false) and draws its fonts from the PDF's bytes. */
const POLICY = "default-src 'self'; img-src 'self' data: blob:; font-src 'self' data: blob:; style-src 'self' 'unsafe-inline'; worker-src 'self' blob:; connect-src 'self'; frame-ancestors 'none'";

/** An open stream that carries nothing for this long is sent a comment, so that no proxy or browser drops it. */
const KEEPALIVE_MS = 15_000;

export interface PreviewOptions {
  /** 0 or undefined: a free port */
  port?: number;
  /** told of every build, as `--watch` tells the terminal */
  report: WatchReport;
  /** called once the server listens, with its address */
  listening(url: string): void;
}

/** Serves the preview until `signal` aborts; resolves once the server and the watcher are closed. */
export async function servePreview(build: BuildOptions, options: PreviewOptions, signal: AbortSignal): Promise<void> {
  const cwd = build.cwd ?? process.cwd();
  let sequence = 0;
  /** when the running build began */
  let started = Date.now();
  /** the last good build: its event, what it showed, and its PDFs by address (the print one resolves once rendered; undefined: the build failed first) */
  let good: { event: BuildEvent; shown: Shown; files: Map<string, Promise<Buffer | undefined>> } | undefined;
  /** how the last good build's PDFs still being rendered are handed over */
  let handOver = new Map<string, (data: Buffer | undefined) => void>();
  /** a build that failed after it, until one succeeds */
  let failure: BuildEvent | undefined;
  const streams = new Set<http.ServerResponse>();
  const send = (res: http.ServerResponse, event: BuildEvent) => res.write(`data: ${JSON.stringify(event)}\n\n`);
  const broadcast = (event: BuildEvent) => streams.forEach((res) => send(res, event));
  const giveUp = () => {
    for (const give of handOver.values()) give(undefined);
    handOver = new Map();
  };

  /**
   * A build is announced as soon as its first edition is rendered: the page
   * shows it while the print edition renders, and a request for that one
   * waits for it.
   */
  const rendered = (file: PlannedFile & { data: Buffer }, laidOut: LaidOutBuild) => {
    const url = editionUrl(file.path);
    if (handOver.has(url)) {
      handOver.get(url)!(file.data);
      handOver.delete(url);
      return;
    }
    if (!isEdition(file.output)) return;
    const { event, shown } = builtEvent(++sequence, laidOut, Date.now() - started, good?.shown, cwd);
    const files = new Map<string, Promise<Buffer | undefined>>([[url, Promise.resolve(file.data)]]);
    for (const f of laidOut.files) {
      const later = editionUrl(f.path);
      if (!files.has(later) && isEdition(f.output)) files.set(later, new Promise((resolve) => handOver.set(later, resolve)));
    }
    good = { event, shown, files };
    failure = undefined;
    broadcast(event);
  };

  const server = http.createServer((req, res) => {
    const port = (server.address() as AddressInfo).port;
    res.setHeader('Cache-Control', 'no-store');
    res.setHeader('X-Content-Type-Options', 'nosniff');
    if (req.headers.host !== `127.0.0.1:${port}` && req.headers.host !== `localhost:${port}`) return refuse(res, 403, 'this preview answers only 127.0.0.1 and localhost');
    if (req.method !== 'GET' && req.method !== 'HEAD') return refuse(res, 405, 'only GET');
    // Matched exactly, as written: /../, %2e%2e and the like are no path of ours.
    const at = (req.url ?? '').split('?')[0];
    if (at === '/events') {
      res.writeHead(200, { 'Content-Type': 'text/event-stream; charset=utf-8', Connection: 'keep-alive' });
      res.write('retry: 1000\n\n');
      // A page that opens late is told where things are: the last good build (all its pages), then a failure since.
      if (good) send(res, { ...good.event, changed: good.shown.fingerprints.map((_, i) => i + 1) });
      if (failure) send(res, failure);
      streams.add(res);
      req.on('close', () => streams.delete(res));
      return;
    }
    const pdf = good?.files.get(at);
    if (pdf) {
      const sequence = good!.event.sequence;
      void pdf.then((data) => {
        if (!data) return refuse(res, 503, 'this build failed before its PDF was made');
        res.writeHead(200, { 'Content-Type': 'application/pdf', 'Content-Length': data.length, 'X-Build': String(sequence) });
        res.end(req.method === 'HEAD' ? undefined : data);
      });
      return;
    }
    const known = Object.hasOwn(STATIC, at) ? STATIC[at] : undefined;
    if (!known) return refuse(res, 404, 'not found');
    res.writeHead(200, { 'Content-Type': known.type, ...(known.type.startsWith('text/html') ? { 'Content-Security-Policy': POLICY } : {}) });
    res.end(req.method === 'HEAD' ? undefined : fs.readFileSync(known.file));
  });
  const keepalive = setInterval(() => streams.forEach((res) => res.write(': \n\n')), KEEPALIVE_MS);
  keepalive.unref();

  await new Promise<void>((resolve, reject) => {
    server.once('error', (e: NodeJS.ErrnoException) =>
      reject(e.code === 'EADDRINUSE' ? new UserError(`--port ${options.port}: the port is in use`) : e.code === 'EACCES' ? new UserError(`--port ${options.port}: not allowed to listen there`) : e),
    );
    server.listen(options.port ?? 0, '127.0.0.1', resolve);
  });
  options.listening(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`);

  try {
    await watchBuild(
      { ...build, rendered, pageDigests: true },
      {
        started: () => {
          started = Date.now();
          giveUp();
        },
        built: (result, ms) => options.report.built(result, ms),
        failed: (error, ms) => {
          giveUp();
          failure = failedEvent(++sequence, error, ms, good?.shown, cwd);
          broadcast(failure);
          options.report.failed(error, ms);
        },
        crashed: (e) => options.report.crashed(e),
      },
      signal,
    );
  } finally {
    clearInterval(keepalive);
    giveUp();
    for (const res of streams) res.end();
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
}

function refuse(res: http.ServerResponse, status: number, text: string): void {
  res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8' });
  res.end(`${text}\n`);
}
