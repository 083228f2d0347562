/**
 * A small issue (cover, three sections of one article each, back cover) served by `servePreview` in this
 * process, and a reader of its /events stream: for the preview's tests, with and without a browser.
 */
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { servePreview } from '../src/preview/server.js';
import type { BuildEvent } from '../src/preview/events.js';

export const SECTIONS = ['企业动态', '政策法规', '协会动态'];

const paragraph = (n: number) => `协会第${n}次举办培训会，与会企业代表就服务外包的数字化转型交流经验，并参观了园区的公共服务平台。`;

/** The article of section `i` (0-based), `extra` appended to its text. */
export function articleText(i: number, extra = ''): string {
  return `# ${SECTIONS[i]}的一篇报道\n\n${paragraph(i + 1)}${extra}\n\n${paragraph(i + 11)}\n`;
}

export interface PreviewSession {
  dir: string;
  url: string;
  port: number;
  article(i: number): string;
  /** every event so far, in order */
  events: BuildEvent[];
  /** resolves with the event numbered `sequence`, once it has come */
  event(sequence: number): Promise<BuildEvent>;
  close(): Promise<void>;
}

export async function startPreviewSession(): Promise<PreviewSession> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bulletin-preview-'));
  const issue = path.join(dir, 'issues', '5');
  fs.mkdirSync(path.join(issue, 'articles'), { recursive: true });
  const sections = SECTIONS.map((title, i) => `  - title: ${title}\n    articles: [a${i}.md]\n`).join('');
  fs.writeFileSync(path.join(issue, 'issue.yaml'), `number: 5\ntemplate: zasto\ndate: 2022-01-31\nperiod: 2022年1季度报\nlabel: 总第 5 期\nstaff:\n  - 主编: 某某\nsections:\n${sections}`);
  const article = (i: number) => path.join(issue, 'articles', `a${i}.md`);
  SECTIONS.forEach((_, i) => fs.writeFileSync(article(i), articleText(i)));

  const stop = new AbortController();
  const quiet = { built: () => {}, failed: () => {}, crashed: (e: unknown) => console.error(e) };
  let url = '';
  let served!: Promise<void>;
  await new Promise<void>((resolve) => {
    served = servePreview({ issue: '5', cwd: dir, systemFonts: false }, { report: quiet, listening: (u) => ((url = u), resolve()) }, stop.signal);
  });
  const port = Number(new URL(url).port);

  const events: BuildEvent[] = [];
  const waiting = new Set<() => void>();
  const stream = http.get(`${url}events`, (res) => {
    let buffer = '';
    res.on('data', (d: Buffer) => {
      buffer += d.toString();
      for (let end = buffer.indexOf('\n\n'); end >= 0; end = buffer.indexOf('\n\n')) {
        const data = /^data: (.*)$/m.exec(buffer.slice(0, end));
        buffer = buffer.slice(end + 2);
        if (data) events.push(JSON.parse(data[1]) as BuildEvent);
        waiting.forEach((w) => w());
      }
    });
  });
  // The stream ends with the session (or with the server, in a test that stops it).
  stream.on('error', () => {});
  const event = (sequence: number) =>
    new Promise<BuildEvent>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no event ${sequence} in 20 s; had ${events.map((e) => e.sequence).join(', ')}`)), 20_000);
      const check = () => {
        const e = events.find((x) => x.sequence === sequence);
        if (!e) return;
        clearTimeout(timer);
        waiting.delete(check);
        resolve(e);
      };
      waiting.add(check);
      check();
    });
  return {
    dir,
    url,
    port,
    article,
    events,
    event,
    async close() {
      stream.destroy();
      stop.abort();
      await served;
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
