import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { build } from '../src/build.js';
import { loadIssue } from '../src/issue/load.js';
import { addMonths, latestIssue, nextPeriod, scaffoldIssue } from '../src/issue/scaffold.js';
import { REPO } from './helpers.js';

const work = fs.mkdtempSync(path.join(os.tmpdir(), 'bulletin-new-'));
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

describe('bulletin new', () => {
  it('advances quarters and months, and dates by them', () => {
    expect(nextPeriod('2022年2季度报')).toEqual({ period: '2022年3季度报', months: 3 });
    expect(nextPeriod('2022年4季度报')).toEqual({ period: '2023年1季度报', months: 3 });
    expect(nextPeriod('2022年12月刊')).toEqual({ period: '2023年1月刊', months: 1 });
    expect(nextPeriod('春季号')).toBeUndefined();
    expect(addMonths('2022-07-31', 3)).toBe('2022-10-31');
    expect(addMonths('2022-11-30', 3)).toBe('2023-02-28');
    expect(addMonths('2022-01-15', 1)).toBe('2022-02-15');
  });

  it('makes issue 45 from the latest issue, which then builds; and never overwrites', async () => {
    fs.cpSync(path.join(REPO, 'issues', '44'), path.join(work, 'issues', '44'), { recursive: true });
    expect(latestIssue(work)).toBe(44);
    const made = scaffoldIssue(45, work);
    expect(made.notes).toEqual([]);
    const issue = loadIssue('45', work);
    expect(issue).toMatchObject({ number: 45, date: '2022-10-31', period: '2022年3季度报', label: '珠服贸外协编【2022年3季度报】总第 45 期' });
    expect(issue.staff).toEqual(loadIssue('44', REPO).staff);
    expect(issue.sections.map((s) => s.title)).toEqual(['企业动态', '省市服务外包产业园区动态', '政策法规', '协会动态', '行业动态']);
    const result = await build({ issue: '45', cwd: work, editions: ['screen'], systemFonts: false });
    expect(result.pages).toBeGreaterThan(2);
    expect(() => scaffoldIssue(45, work)).toThrow('issues/45 exists already; bulletin new does not overwrite');
    // --from picks the issue to start from: 46 from 44 is the same quarter on.
    expect(loadIssue(path.join(scaffoldIssue(46, work, 44).dir), work).period).toBe('2022年3季度报');
  }, 60_000);
});
