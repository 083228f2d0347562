import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import v8 from 'node:v8';
import { unseal } from '../src/cache/sealed.js';
import { afterAll, describe, expect, it } from 'vitest';
import { REPO } from './helpers.js';
import { readPdfText } from './pdf-text.js';

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

  it('hears every save, however the editor saves, and builds from what the file holds last', async () => {
    const issue = path.join(work, 'issues', '4');
    fs.mkdirSync(path.join(issue, 'articles'), { recursive: true });
    fs.writeFileSync(path.join(issue, 'issue.yaml'), 'number: 4\ntemplate: zasto\ndate: 2022-01-31\nperiod: 2022年1季度报\nlabel: 总第 4 期\nstaff:\n  - 主编: 某某\nsections:\n  - title: 企业动态\n    articles: [a.md]\n');
    const article = path.join(issue, 'articles', 'a.md');
    const text = (marker: string) => `# 标题\n\n协会举办培训会，${marker}。\n`;
    fs.writeFileSync(article, text('第零次保存'));
    const child = spawn(process.execPath, [path.join(REPO, 'bin', 'bulletin.js'), 'build', '4', '--watch', '--no-system-fonts', '--profile', 'screen', '--out', 'out4'], { cwd: work });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    const builds = () => (out.match(/built in/g) ?? []).length;
    const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));
    const printed = async () => (await readPdfText(fs.readFileSync(path.join(work, 'out4', 'bulletin-4.pdf')))).map((p) => p.text).join('');
    /** Saves the article the way `save` does, then waits until a build prints `marker`. */
    const saved = async (how: string, marker: string, save: () => Promise<void> | void) => {
      const before = builds();
      await save();
      for (let t = 0; t < 200; t++) {
        await pause(50);
        if (builds() > before && (await printed()).includes(marker)) return;
      }
      expect.fail(`${how}: no build printed ${marker}\n${out}`);
    };
    const renameOver = (marker: string) => {
      fs.writeFileSync(`${article}.swp`, text(marker));
      fs.renameSync(`${article}.swp`, article);
    };
    try {
      for (let t = 0; t < 200 && builds() < 1; t++) await pause(50);
      await saved('in place', '第一次保存', () => fs.writeFileSync(article, text('第一次保存')));
      // The save that made Node's recursive watcher deaf, and the saves after it, in each way.
      await saved('renamed over', '第二次保存', () => renameOver('第二次保存'));
      await saved('renamed over again', '第三次保存', () => renameOver('第三次保存'));
      await saved('in place after a rename', '第四次保存', () => fs.writeFileSync(article, text('第四次保存')));
      await saved('deleted and written anew', '第五次保存', async () => {
        fs.rmSync(article);
        await pause(30);
        fs.writeFileSync(article, text('第五次保存'));
      });
      await saved('truncated, then written', '第六次保存', async () => {
        fs.truncateSync(article, 0);
        await pause(30);
        fs.appendFileSync(article, text('第六次保存'));
      });
      await saved('a burst', '第十九次保存', async () => {
        for (let i = 7; i <= 19; i++) {
          fs.writeFileSync(article, text(`第${['七', '八', '九', '十', '十一', '十二', '十三', '十四', '十五', '十六', '十七', '十八', '十九'][i - 7]}次保存`));
          await pause(10);
        }
      });
      // chokidar drops a change within 50 ms of the last: this one comes after the build the first started.
      await saved('again 45 ms later', '第二十一次保存', async () => {
        fs.writeFileSync(article, text('第二十次保存'));
        await pause(45);
        fs.writeFileSync(article, text('第二十一次保存'));
      });
    } finally {
      child.kill('SIGINT');
      await new Promise((r) => child.once('exit', r));
    }
  }, 60_000);
});
