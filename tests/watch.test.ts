import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import v8 from 'node:v8';
import { unseal } from '../src/cache/sealed.js';
import { afterAll, describe, expect, it } from 'vitest';
import { REPO } from './helpers.js';

const work = fs.mkdtempSync(path.join(os.tmpdir(), 'bulletin-watch-'));
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

describe('bulletin build --watch', () => {
  it('builds again after an edit, and after a breaking edit says so in one line and keeps the last good PDFs', async () => {
    const issue = path.join(work, 'issues', '3');
    fs.mkdirSync(path.join(issue, 'articles'), { recursive: true });
    fs.writeFileSync(path.join(issue, 'issue.yaml'), 'number: 3\ntemplate: zasto\ndate: 2022-01-31\nperiod: 2022年1季度报\nlabel: 总第 3 期\nstaff:\n  - 主编: 某某\nsections:\n  - title: 企业动态\n    articles: [a.md]\n');
    const article = path.join(issue, 'articles', 'a.md');
    fs.writeFileSync(article, '# 标题\n\n协会举办培训会。\n');
    const child = spawn(process.execPath, [path.join(REPO, 'bin', 'bulletin.js'), 'build', '3', '--watch', '--no-system-fonts'], { cwd: work });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    const waitFor = async (pattern: RegExp, count: number) => {
      for (let t = 0; t < 200 && (out.match(pattern) ?? []).length < count; t++) await new Promise((r) => setTimeout(r, 50));
      expect((out.match(pattern) ?? []).length, out + err).toBeGreaterThanOrEqual(count);
    };
    try {
      await waitFor(/built in/g, 1);
      fs.writeFileSync(article, '# 标题\n\n协会举办培训会，与会人数30余人。\n');
      await waitFor(/built in/g, 2);
      const good = fs.readFileSync(path.join(work, 'out', 'bulletin-3.pdf'));
      fs.writeFileSync(article, '#\n\n正文。\n');
      await waitFor(/failed after/g, 1);
      expect(err).toContain('bulletin: error: issues/3/articles/a.md:1:1: the title is empty');
      expect(fs.readFileSync(path.join(work, 'out', 'bulletin-3.pdf')).equals(good)).toBe(true);
      fs.writeFileSync(article, '# 标题\n\n正文。\n');
      await waitFor(/built in/g, 3);
      expect(out).toMatch(/^\[\d\d:\d\d:\d\d\] built in \d+\.\d s$/m);
    } finally {
      child.kill('SIGINT');
    }
    // What the last rebuild parsed is written for the next process when watching stops (not after every rebuild).
    await new Promise((r) => child.once('exit', r));
    const sealed = unseal(fs.readFileSync(path.join(work, 'out', '.cache', 'articles.bin')), 'articles');
    if (!('value' in sealed)) throw new Error(sealed.refused);
    const kept = v8.deserialize(sealed.value) as { entries: [string, { source: string }][] };
    expect(kept.entries.map(([, p]) => p.source).join('')).toContain('正文。');
  }, 30_000);
});
