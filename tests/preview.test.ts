import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { warningPage } from '../src/layout/locate.js';
import { pageFingerprints } from '../src/layout/fingerprint.js';
import type { DisplayItem } from '../src/layout/display.js';
import { REPO } from './helpers.js';
import { requirePackage } from '../src/packages.js';
import { articleText, startPreviewSession, type PreviewSession } from './preview-session.js';

/** A raw request, as a browser or an attacker may write it: status and body. */
function get(port: number, target: string, host = `127.0.0.1:${port}`, method = 'GET'): Promise<{ status: number; body: Buffer; type?: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, path: target, method, headers: { Host: host } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (d: Buffer) => chunks.push(d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks), type: res.headers['content-type'] }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('which page a warning concerns', () => {
  const layout = {
    articlePages: new Map([['/i/a.md', 2]]),
    sources: [
      { file: '/i/a.md', line: 3, page: 2 },
      { file: '/i/a.md', line: 9, page: 3 },
      { file: '/i/data.csv', line: 2, page: 3 },
      { file: '/i/a.md', line: 20, page: 5 },
      { file: '/i/photo.jpg', line: 1, page: 4 },
    ],
  };
  it('is the page of the block at or last before its line, else its file first shows', () => {
    expect(warningPage(layout, { message: '', file: '/i/a.md', pos: { line: 12, col: 1 } })).toBe(4);
    expect(warningPage(layout, { message: '', file: '/i/a.md', pos: { line: 9, col: 4 } })).toBe(4);
    expect(warningPage(layout, { message: '', file: '/i/a.md', pos: { line: 1, col: 1 } })).toBe(3);
    expect(warningPage(layout, { message: '', file: '/i/a.md', pos: { line: 40, col: 1 } })).toBe(6);
    expect(warningPage(layout, { message: '', file: '/i/photo.jpg' })).toBe(5);
    expect(warningPage(layout, { message: '', file: '/i/data.csv', pos: { line: 7, col: 2 } })).toBe(4);
    expect(warningPage(layout, { message: '', file: '/i/issue.yaml', pos: { line: 2, col: 1 } })).toBeUndefined();
  });
});

describe('page fingerprints', () => {
  const text = (x: number, id: number): DisplayItem => ({ kind: 'text', y: 10, x, text: '协', glyphs: [{ id, codePoints: [0x534f], advance: 10, x, y: 10 }], font: 'serif', size: 10, colour: { rgb: '#000000', cmyk: [0, 0, 0, 100] }, spacing: 0 });
  const photo: DisplayItem = { kind: 'image', x: 0, y: 0, w: 10, h: 10, image: '/i/p.jpg' };
  it('change with what a page shows, and only then', () => {
    const base = pageFingerprints({ pages: [{ number: 1, items: [text(0, 5)] }, { number: 2, items: [photo] }] }, () => 'aaa');
    const tagged = pageFingerprints({ pages: [{ number: 1, items: [{ ...text(0, 5), tag: { role: 'P' } }] }, { number: 2, items: [photo] }] }, () => 'aaa');
    expect(tagged).toEqual(base);
    const moved = pageFingerprints({ pages: [{ number: 1, items: [text(0.01, 5)] }, { number: 2, items: [photo] }] }, () => 'aaa');
    expect(moved[0]).not.toBe(base[0]);
    expect(moved[1]).toBe(base[1]);
    const glyph = pageFingerprints({ pages: [{ number: 1, items: [text(0, 6)] }, { number: 2, items: [photo] }] }, () => 'aaa');
    expect(glyph[0]).not.toBe(base[0]);
    // A photo replaced under its own name.
    const replaced = pageFingerprints({ pages: [{ number: 1, items: [text(0, 5)] }, { number: 2, items: [photo] }] }, () => 'bbb');
    expect(replaced).toEqual([base[0], expect.not.stringMatching(base[1])]);
  });
});

describe('bulletin preview', () => {
  let s: PreviewSession;
  beforeAll(async () => {
    s = await startPreviewSession();
  }, 60_000);
  afterAll(() => s?.close());

  it('announces each build: the pages that changed, its time, its warnings, an error with file:line:col, cleared when fixed', async () => {
    const first = await s.event(1);
    expect(first).toMatchObject({ sequence: 1, ok: true, errors: [] });
    expect(first.changed).toEqual(Array.from({ length: first.pages }, (_, i) => i + 1));
    expect(first.editions.screen!.sheets).toEqual(first.changed.map((p) => [p]));
    // The print edition is padded to whole sheets before the back cover: a padded sheet shows no page.
    expect(first.editions.print!.sheets.flat()).toEqual(first.changed);
    expect(first.ms).toBeGreaterThan(0);

    // The second section's article: its page alone changes.
    const page = first.pages === 5 ? 3 : NaN;
    fs.writeFileSync(s.article(1), articleText(1, '会议由协会秘书长主持。'));
    const second = await s.event(2);
    expect(second).toMatchObject({ ok: true, changed: [page] });

    fs.writeFileSync(s.article(1), '#\n\n正文。\n');
    const broken = await s.event(3);
    expect(broken).toMatchObject({ ok: false, changed: [], pages: first.pages });
    expect(broken.errors).toEqual([expect.objectContaining({ kind: 'error', text: expect.stringMatching(/^issues\/5\/articles\/a1\.md:1:1: the title is empty/), file: 'issues/5/articles/a1.md', line: 1, col: 1 })]);

    // Fixed, with a warning on the page it concerns.
    fs.writeFileSync(s.article(1), `${articleText(1)}\n协会将继续组织交流活动。{align=middle}\n`);
    const fixed = await s.event(4);
    expect(fixed).toMatchObject({ ok: true, errors: [] });
    expect(fixed.warnings).toEqual([expect.objectContaining({ kind: 'warning', file: 'issues/5/articles/a1.md', line: 7, page, text: expect.stringMatching(/^issues\/5\/articles\/a1\.md:7:\d+: \{align=middle\} is not an alignment/) })]);
  }, 60_000);

  it('sees a photo replaced under its own name, and changes its page alone', async () => {
    const sharp = requirePackage('sharp') as typeof import('sharp').default;
    const photo = (r: number) => sharp({ create: { width: 600, height: 400, channels: 3, background: { r, g: 90, b: 160 } } }).jpeg().toBuffer();
    const file = path.join(s.dir, 'issues', '5', 'images', 'p.jpg');
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, await photo(20));
    const next = s.events.at(-1)!.sequence + 1;
    fs.writeFileSync(s.article(0), `${articleText(0)}\n![会场](images/p.jpg)\n`);
    const placed = await s.event(next);
    expect(placed, JSON.stringify(placed.errors)).toMatchObject({ ok: true, changed: [2] });
    // The same size, another picture: in this process its digest is known by the file's stamp, which changes.
    fs.writeFileSync(file, await photo(200));
    expect(await s.event(next + 1)).toMatchObject({ ok: true, changed: [2] });
  }, 30_000);

  it('serves the PDFs the build wrote, byte for byte', async () => {
    const last = s.events.filter((e) => e.ok).at(-1)!;
    for (const [edition, file] of [['screen', 'bulletin-5.pdf'], ['print', 'bulletin-5-print.pdf']] as const) {
      expect(last.editions[edition]!.url).toBe(`/${file}`);
      const res = await get(s.port, `/${file}`);
      expect(res.status).toBe(200);
      expect(res.type).toBe('application/pdf');
      expect(res.body.equals(fs.readFileSync(path.join(s.dir, 'out', file)))).toBe(true);
    }
  }, 30_000);

  it('answers only its own host names, serves only its own files, and writes nothing of its own', async () => {
    for (const target of ['/', '/preview.js', '/preview.css', '/pdf.mjs', '/pdf.worker.mjs']) expect((await get(s.port, target)).status, target).toBe(200);
    expect((await get(s.port, '/', `localhost:${s.port}`)).status).toBe(200);
    // DNS rebinding: a page of another site whose name now points here.
    for (const host of ['evil.example', `evil.example:${s.port}`, `127.0.0.1:${s.port + 1}`, '127.0.0.1', `[::1]:${s.port}`]) expect((await get(s.port, '/bulletin-5.pdf', host)).status, host).toBe(403);
    for (const target of ['/../package.json', '/..%2fpackage.json', '/%2e%2e/package.json', '/%2E%2E%2Fpackage.json', '/src/preview/page/index.html', '/issues/5/issue.yaml', '/out/bulletin-5.pdf', '//etc/passwd', '/preview.js/', '/bulletin-5.pdf/..', '/index.html', '/./preview.js']) {
      expect((await get(s.port, target)).status, target).toBe(404);
    }
    expect((await get(s.port, '/', undefined, 'POST')).status).toBe(405);
    // Only the build's files in the project: the issue, and out/ with the PDFs and the build's cache.
    const all = (fs.readdirSync(s.dir, { recursive: true }) as string[]).filter((f) => !f.startsWith(`out${path.sep}.cache`)).sort();
    expect(all.filter((f) => !f.startsWith('issues'))).toEqual(['out', 'out/bulletin-5-print.pdf', 'out/bulletin-5.pdf'].map((f) => f.split('/').join(path.sep)));
  }, 30_000);

  it('listens on 127.0.0.1 only', async () => {
    const other = Object.values((await import('node:os')).networkInterfaces())
      .flat()
      .find((a) => a && a.family === 'IPv4' && !a.internal)?.address;
    for (const address of ['::1', ...(other ? [other] : [])]) {
      const refused = await new Promise<boolean>((resolve) => {
        const socket = net.connect({ host: address, port: s.port }, () => (socket.destroy(), resolve(false)));
        socket.on('error', () => resolve(true));
      });
      expect(refused, address).toBe(true);
    }
  });
});

describe('bulletin preview on the command line', () => {
  const bin = path.join(REPO, 'bin', 'bulletin.js');
  /** Starts the command in the small issue's project; resolves with its address once it prints it. */
  const start = (cwd: string, ...args: string[]) => {
    const child = spawn(process.execPath, [bin, 'preview', '5', '--no-system-fonts', ...args], { cwd });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    const printed = async (pattern: RegExp) => {
      for (let t = 0; t < 400 && !pattern.test(out); t++) await new Promise((r) => setTimeout(r, 50));
      expect(out + err).toMatch(pattern);
      return pattern.exec(out)!;
    };
    return { child, exited, printed, output: () => out + err };
  };

  it('prints its address in one line, and Ctrl-C ends it with 0, during the first build or after it', async () => {
    const s = await startPreviewSession();
    try {
      for (const when of ['after the first build', 'during the first build']) {
        const p = start(s.dir);
        const [, url] = await p.printed(/^preview: (http:\/\/127\.0\.0\.1:\d+\/)$/m);
        if (when === 'after the first build') await p.printed(/built in/);
        p.child.kill('SIGINT');
        expect(await p.exited, `${when}: ${p.output()}`).toBe(0);
        await expect(fetch(url), when).rejects.toThrow();
      }
    } finally {
      await s.close();
    }
  }, 60_000);

  it('says in one line that a port is taken or not a port', async () => {
    const s = await startPreviewSession();
    try {
      const taken = spawnSync(process.execPath, [bin, 'preview', '5', '--port', String(s.port)], { cwd: s.dir, encoding: 'utf8' });
      expect(taken.status).toBe(1);
      expect(taken.stderr).toBe(`bulletin: --port ${s.port}: the port is in use\n`);
      const nonsense = spawnSync(process.execPath, [bin, 'preview', '5', '--port', '80x'], { cwd: s.dir, encoding: 'utf8' });
      expect(nonsense.status).toBe(2);
      expect(nonsense.stderr).toMatch(/--port.*not a port number/);
    } finally {
      await s.close();
    }
  }, 60_000);
});
