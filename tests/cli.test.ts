import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { REPO } from './helpers.js';

const BIN = path.join(REPO, 'bin', 'bulletin.js');
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'bulletin-cli-'));
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

function run(args: string[], cwd: string) {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd, encoding: 'utf8' });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

function smallIssue(dir: string, manifest?: string): void {
  const issue = path.join(dir, 'issues', '3');
  fs.mkdirSync(path.join(issue, 'articles'), { recursive: true });
  fs.writeFileSync(
    path.join(issue, 'issue.yaml'),
    manifest ?? 'number: 3\ntemplate: zasto\ndate: 2022-01-31\nperiod: 2022年1季度报\nlabel: 总第 3 期\nstaff:\n  - 主编: 某某\nsections:\n  - title: 企业动态\n    articles: [a.md]\n',
  );
  fs.writeFileSync(path.join(issue, 'articles', 'a.md'), '# 标题\n\n协会举办培训会，与会人数30余人。\n');
}

describe('bulletin', () => {
  it('prints help and version, and exits 2 on a usage error', () => {
    expect(run(['--help'], work).code).toBe(0);
    expect(run(['--version'], work).out.trim()).toMatch(/^\d+\.\d+\.\d+$/);
    const bad = run(['build'], work);
    expect(bad.code).toBe(2);
    expect(run(['build', '3', '--profile', 'poster'], work).code).toBe(2);
  }, 30_000);

  it('says in one line that an issue does not exist', () => {
    const r = run(['build', '99'], REPO);
    expect(r.code).toBe(1);
    expect(r.err.trim().split('\n')).toHaveLength(1);
    expect(r.err).toMatch(/^bulletin: issue 99 not found: there is no issues\/99\/issue\.yaml/);
  });

  it('builds both editions, and a failed build leaves them in place', () => {
    const dir = path.join(work, 'project');
    smallIssue(dir);
    const ok = run(['build', '3'], dir);
    expect(ok.code, ok.err).toBe(0);
    const screen = path.join(dir, 'out', 'bulletin-3.pdf');
    const print = path.join(dir, 'out', 'bulletin-3-print.pdf');
    const before = [fs.readFileSync(screen), fs.readFileSync(print)];
    expect(before[0].subarray(0, 5).toString()).toBe('%PDF-');

    fs.writeFileSync(path.join(dir, 'issues', '3', 'issue.yaml'), 'number: 3\ntemplate: zasto\nstaff: [unclosed\n');
    const bad = run(['build', '3'], dir);
    expect(bad.code).toBe(1);
    expect(bad.err.trim().split('\n')).toHaveLength(1);
    expect(bad.err).toMatch(/^bulletin: issues\/3\/issue\.yaml:\d+:\d+: YAML syntax error/);
    expect(fs.readFileSync(screen).equals(before[0])).toBe(true);
    expect(fs.readFileSync(print).equals(before[1])).toBe(true);
    expect(fs.readdirSync(path.join(dir, 'out')).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  }, 60_000);

  it('builds one edition with --profile into --out', () => {
    const dir = path.join(work, 'profile');
    smallIssue(dir);
    const r = run(['build', 'issues/3', '--profile', 'print', '--out', 'pdf'], dir);
    expect(r.code, r.err).toBe(0);
    expect(fs.readdirSync(path.join(dir, 'pdf')).filter((f) => f.endsWith('.pdf'))).toEqual(['bulletin-3-print.pdf']);
  }, 60_000);
});
