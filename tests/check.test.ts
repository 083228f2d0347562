import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { check, formatFinding } from '../src/check.js';
import { REPO } from './helpers.js';

const work = fs.mkdtempSync(path.join(os.tmpdir(), 'bulletin-check-'));
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

function brokenIssue(): string {
  const issue = path.join(work, 'issues', '8');
  fs.mkdirSync(path.join(issue, 'articles'), { recursive: true });
  fs.mkdirSync(path.join(issue, 'images'), { recursive: true });
  fs.writeFileSync(
    path.join(issue, 'issue.yaml'),
    'number: 8\ntemplate: zasto\ndate: 2022-07-31\nperiod: 2022年2季度报\nlabel: 总第 8 期\nstaff:\n  - 主编: 某某\nsections:\n  - title: 企业动态\n    articles: [a.md, b.md, c.md, missing.md]\n',
  );
  fs.writeFileSync(path.join(issue, 'articles', 'a.md'), '# A\n\n见[共享](smb://x/y)。\n');
  fs.writeFileSync(path.join(issue, 'articles', 'b.md'), '#\n\n正文\n');
  fs.writeFileSync(path.join(issue, 'articles', 'c.md'), '# C\n\n![](images/fake.png)\n\n正文\u0007。\n');
  fs.writeFileSync(path.join(issue, 'images', 'fake.png'), 'nope');
  return work;
}

describe('bulletin check', () => {
  it('reports every error and warning at once, one line each, and writes nothing', async () => {
    const dir = brokenIssue();
    const findings = await check({ issue: '8', cwd: dir });
    expect(findings.map(formatFinding)).toEqual([
      'issues/8/issue.yaml:10:34: error: article file articles/missing.md not found',
      'issues/8/articles/a.md:3:5: error: the link "smb://x/y" is not http, https or mailto; link to a web page, or write the address as text',
      'issues/8/articles/b.md:1:1: error: the title is empty: write it after the "# "',
      'issues/8/images/fake.png: error: not an image bulletin can read (JPEG, PNG, WebP, TIFF, GIF, AVIF or SVG)',
      'issues/8/articles/c.md:5:3: warning: a control character (U+0007) is left out',
    ]);
    expect(fs.existsSync(path.join(dir, 'out'))).toBe(false);
  });

  it('exits 1 on errors and prints JSON for scripts', () => {
    const dir = brokenIssue();
    const r = spawnSync(process.execPath, [path.join(REPO, 'bin', 'bulletin.js'), 'check', '8', '--json', '--no-system-fonts'], { cwd: dir, encoding: 'utf8' });
    expect(r.status).toBe(1);
    const json = JSON.parse(r.stdout) as { level: string; file: string; line?: number }[];
    expect(json.filter((f) => f.level === 'error')).toHaveLength(4);
    expect(json[0]).toMatchObject({ level: 'error', file: 'issues/8/issue.yaml', line: 10, col: 34 });
  });

  it('finds no error in issue 44', async () => {
    const findings = await check({ issue: '44', cwd: REPO });
    expect(findings.filter((f) => f.level === 'error')).toEqual([]);
  }, 60_000);
});
