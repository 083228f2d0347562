/**
 * A catalogue of broken and hostile issue folders, each built by the real
 * command in a process of its own (10 s, 1 GiB): it exits 1 with one line
 * naming the file (and line and column where there is one), no stack trace,
 * no PDF written and the earlier PDFs untouched — or, where that is right,
 * it builds.
 */
import { execFile, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import zlib from 'node:zlib';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MANIFEST_7, REPO } from './helpers.js';

const run = promisify(execFile);
const BIN = path.join(REPO, 'bin', 'bulletin.js');
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'bulletin-hostile-'));
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

const MANIFEST = MANIFEST_7;
const ARTICLE = '# 标题\n\n协会举办培训会，与会人数30余人。\n';
const CHART = (extra: string, rows = '  - {区域: 香洲区, 总量: "12"}\n  - {区域: 金湾区, 总量: "30"}\n') => `# 图表\n\n\`\`\`chart\ntype: bar\nx: 区域\ny: [总量]\n${extra}rows:\n${rows}\`\`\`\n`;
let png: Buffer;

interface Case {
  /** files of issues/7 to write (Buffer or text); null removes one */
  files?: Record<string, string | Buffer | null>;
  /** anything else to set up in the project folder */
  setup?: (project: string) => void;
  args?: string[];
  /** the one line expected on stderr (after "bulletin: "), or `build` when the issue must build */
  expect: RegExp | 'build';
  /** with `build`: a warning that must be printed */
  warns?: RegExp;
}

const manifest = (edit: (m: string) => string) => ({ 'issue.yaml': edit(MANIFEST) });

const cases: Record<string, Case> = {
  // The manifest
  'YAML syntax error': { files: manifest((m) => m.replace('staff:', 'staff: [unclosed')), expect: /^issues\/7\/issue\.yaml:\d+:\d+: YAML syntax error/ },
  'unknown key': { files: manifest((m) => `${m}colour: blue\n`), expect: /^issues\/7\/issue\.yaml:12:1: unknown key "colour"/ },
  'wrong type': { files: manifest((m) => m.replace('number: 7', 'number: seven')), expect: /^issues\/7\/issue\.yaml:1:9: expected a whole number/ },
  'missing article': { files: manifest((m) => m.replace('a.md', 'b.md')), expect: /^issues\/7\/issue\.yaml:11:9: article file articles\/b\.md not found/ },
  'article listed twice': { files: manifest((m) => `${m}  - title: 又一节\n    articles: [a.md]\n`), expect: /^issues\/7\/issue\.yaml:13:16: article a\.md is listed twice/ },
  'empty section': { files: manifest((m) => `${m}  - title: 空\n    articles: []\n`), expect: /^issues\/7\/issue\.yaml:13:15: the list is empty/ },
  'impossible date': { files: manifest((m) => m.replace('2022-07-31', '2022-13-45')), expect: /^issues\/7\/issue\.yaml:3:7: 2022-13-45 is not a date in the calendar/ },
  'February 30th': { files: manifest((m) => m.replace('2022-07-31', '2023-02-30')), expect: /^issues\/7\/issue\.yaml:3:7: 2023-02-30 is not a date in the calendar/ },
  'YAML anchors and aliases': { files: manifest((m) => m.replace('  - 主编: 某某', '  - &who 主编: 某某\n  - *who')), expect: /^issues\/7\/issue\.yaml:7:5: YAML anchors and aliases are not allowed/ },
  'alias bomb': {
    files: manifest((m) => `a: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: [*c, *c, *c, *c, *c, *c, *c, *c, *c]\n${m}`),
    expect: /^issues\/7\/issue\.yaml:1:4: YAML anchors and aliases are not allowed/,
  },
  'unknown template': { files: manifest((m) => m.replace('template: zasto', 'template: nosuch')), expect: /^issues\/7\/issue\.yaml: template "nosuch" not found/ },
  'path leaving the folder': { files: manifest((m) => m.replace('a.md', '../../secret.md')), expect: /^issues\/7\/issue\.yaml:11:9: "..\/..\/secret\.md" leaves the folder/ },
  'absolute path': { files: manifest((m) => m.replace('a.md', '/etc/passwd')), expect: /^issues\/7\/issue\.yaml:11:9: "\/etc\/passwd" is an absolute path/ },
  'URL as article': { files: manifest((m) => m.replace('a.md', 'https://example.com/a.md')), expect: /^issues\/7\/issue\.yaml:11:9: "https:\/\/example\.com\/a\.md" is a URL/ },
  'article that is a folder': { files: { 'articles/a.md': null, 'articles/a.md/x': 'x' }, expect: /^issues\/7\/issue\.yaml:11:9: a\.md is a folder, not a file/ },

  // Articles
  'article not UTF-8': { files: { 'articles/a.md': Buffer.from([0x23, 0x20, 0xb1, 0xea, 0xcc, 0xe2, 0x0a]) }, expect: /^issues\/7\/articles\/a\.md:1:3: the file is not UTF-8 text/ },
  'article holding U+FFFD': { files: { 'articles/a.md': '# 标题\n\n替换字符\uFFFD照样印出。\n' }, expect: 'build' },
  'no title': { files: { 'articles/a.md': '正文。\n' }, expect: /^issues\/7\/articles\/a\.md:1:1: the article has no title/ },
  'empty title': { files: { 'articles/a.md': '#\n\n正文。\n' }, expect: /^issues\/7\/articles\/a\.md:1:1: the title is empty/ },
  'front matter never closed': { files: { 'articles/a.md': '---\ntoc: 目录名\n# 标题\n\n正文。\n' }, expect: /^issues\/7\/articles\/a\.md:1:1: the front matter opened here is never closed/ },
  'unknown front matter key': { files: { 'articles/a.md': '---\nauthor: 某某\n---\n# 标题\n' }, expect: /^issues\/7\/articles\/a\.md:2:1: unknown key "author"/ },
  'list item holding only a list': { files: { 'articles/a.md': '# 标题\n\n- - 项目\n' }, expect: 'build' },
  'empty list item': { files: { 'articles/a.md': '# 标题\n\n- 第一项\n-\n- 第三项\n' }, expect: 'build' },
  'deep quote nesting': { files: { 'articles/a.md': `# 标题\n\n${'>'.repeat(150)} 引文\n` }, expect: /^issues\/7\/articles\/a\.md:3:\d+: quotes are nested more than 5 deep/ },
  'raw HTML': { files: { 'articles/a.md': '# 标题\n\n<script>alert(1)</script>\n\n<b>粗体</b>正文。\n' }, expect: 'build' },
  'control characters': { files: { 'articles/a.md': '# 标题\n\n正文\u0007里有\u001b控制字符。\n' }, expect: 'build', warns: /^bulletin: warning: issues\/7\/articles\/a\.md:3:3: a control character \(U\+0007\) is left out/m },
  'a 5 MB paragraph': { files: { 'articles/a.md': `# 标题\n\n${'长'.repeat(1_800_000)}\n` }, expect: /^issues\/7\/articles\/a\.md: the file is 5\.4 MB; an article may be at most 1 MB/ },
  'a word of 990,000 letters': { files: { 'articles/a.md': `# 标题\n\n见${'x'.repeat(990_000)}\n` }, expect: /^issues\/7\/articles\/a\.md:3:2: a word of 990,000 characters; bulletin sets words of up to 10,000/ },
  'a 10 MB line': { files: { 'articles/a.md': `# 标题\n\n${'x'.repeat(10_000_000)}\n` }, expect: /^issues\/7\/articles\/a\.md: the file is 10\.0 MB; an article may be at most 1 MB/ },

  // Links
  'smb: link': { files: { 'articles/a.md': '# 标题\n\n见[共享](smb://server/share)。\n' }, expect: /^issues\/7\/articles\/a\.md:3:5: the link "smb:\/\/server\/share" is not http, https or mailto/ },
  'ms-msdt: link': { files: { 'articles/a.md': '# 标题\n\n见[这里](ms-msdt:/id%20PCWDiagnostic)。\n' }, expect: /^issues\/7\/articles\/a\.md:3:5: the link "ms-msdt:\/id%20PCWDiagnostic" is not http, https or mailto/ },
  'UNC link': { files: { 'articles/a.md': '# 标题\n\n见[这里](\\\\\\\\server\\\\share)。\n' }, expect: /^issues\/7\/articles\/a\.md:3:5: the link ".*server.*" is not http, https or mailto/ },
  'relative link': { files: { 'articles/a.md': '# 标题\n\n见[附件](files/a.pdf)。\n' }, expect: /^issues\/7\/articles\/a\.md:3:5: the link "files\/a\.pdf" is not http, https or mailto/ },
  'mailto and https links': { files: { 'articles/a.md': '# 标题\n\n写信至[协会](mailto:info@example.org)或见[网站](https://example.org)。\n' }, expect: 'build' },

  // Images
  'image not found': { files: { 'articles/a.md': '# 标题\n\n![](images/none.png)\n' }, expect: /^issues\/7\/articles\/a\.md:3:3: image images\/none\.png not found/ },
  'image URL': { files: { 'articles/a.md': '# 标题\n\n![](https://example.com/a.png)\n' }, expect: /^issues\/7\/articles\/a\.md:3:3: "https:\/\/example\.com\/a\.png" is a URL/ },
  'malformed % escape': { files: { 'articles/a.md': '# 标题\n\n![](images/%E0%A4%A.png)\n' }, expect: /^issues\/7\/articles\/a\.md:3:3: the image path "images\/%E0%A4%(25)?A\.png" has a broken % escape/ },
  'image that is a folder': { files: { 'articles/a.md': '# 标题\n\n![](images/dir)\n', 'images/dir/x': 'x' }, expect: /^issues\/7\/articles\/a\.md:3:3: images\/dir is a folder, not a file/ },
  'image linked outside': {
    files: { 'articles/a.md': '# 标题\n\n![](images/link.png)\n' },
    setup: (p) => {
      fs.writeFileSync(path.join(p, 'outside.png'), png);
      fs.mkdirSync(path.join(p, 'issues/7/images'), { recursive: true });
      fs.symlinkSync(path.join(p, 'outside.png'), path.join(p, 'issues/7/images/link.png'));
    },
    expect: /^issues\/7\/articles\/a\.md:3:3: images\/link\.png is a link to a file outside the folder 7\//,
  },
  'image linked to /dev/zero': {
    files: { 'articles/a.md': '# 标题\n\n![](images/zero.png)\n' },
    setup: (p) => {
      fs.mkdirSync(path.join(p, 'issues/7/images'), { recursive: true });
      fs.symlinkSync('/dev/zero', path.join(p, 'issues/7/images/zero.png'));
    },
    expect: /^issues\/7\/articles\/a\.md:3:3: images\/zero\.png is a link to a file outside the folder 7\//,
  },
  'pixel bomb': { files: { 'articles/a.md': '# 标题\n\n![](images/bomb.png)\n' }, setup: (p) => fs.writeFileSync(path.join(p, 'issues/7/images/bomb.png'), pngHeader(60_000, 60_000)), expect: /^issues\/7\/images\/bomb\.png: the image has more than 100 million pixels/ },
  'fake image': { files: { 'articles/a.md': '# 标题\n\n![](images/fake.png)\n', 'images/fake.png': '这不是图片' }, expect: /^issues\/7\/images\/fake\.png: not an image bulletin can read/ },
  'truncated image': { files: { 'articles/a.md': '# 标题\n\n![](images/cut.png)\n' }, setup: (p) => fs.writeFileSync(path.join(p, 'issues/7/images/cut.png'), png.subarray(0, 60)), expect: /^issues\/7\/images\/cut\.png: the image is damaged or incomplete/ },
  'image {width=0%}': { files: { 'articles/a.md': '# 标题\n\n![](images/a.png){width=0%}\n' }, setup: (p) => fs.writeFileSync(path.join(p, 'issues/7/images/a.png'), png), expect: /^issues\/7\/articles\/a\.md:3:18: \{width=0%\} is not a width: give 1% to 100%/ },

  // Data: CSV and charts
  'ragged CSV row': { files: { 'articles/a.md': '# 标题\n\n```table\ndata: data/t.csv\n```\n', 'data/t.csv': '区域,总量\n香洲区,12\n金湾区,30,9\n' }, expect: /^issues\/7\/data\/t\.csv:3:8: row has 3 cells, the first row has 2/ },
  'CSV not UTF-8': { files: { 'articles/a.md': '# 标题\n\n```table\ndata: data/t.csv\n```\n', 'data/t.csv': Buffer.from([0xc7, 0xf8, 0xd3, 0xf2, 0x2c, 0x31, 0x0a, 0x31, 0x2c, 0x32, 0x0a]) }, expect: /^issues\/7\/data\/t\.csv:1:1: the file is not UTF-8 text/ },
  'CSV that is a named pipe': {
    files: { 'articles/a.md': '# 标题\n\n```table\ndata: data/t.csv\n```\n' },
    setup: (p) => {
      fs.mkdirSync(path.join(p, 'issues/7/data'), { recursive: true });
      execFileSync('mkfifo', [path.join(p, 'issues/7/data/t.csv')]);
    },
    expect: /^issues\/7\/articles\/a\.md:4:7: data\/t\.csv is not a regular file/,
  },
  'CSV linked outside': {
    files: { 'articles/a.md': '# 标题\n\n```table\ndata: data/t.csv\n```\n' },
    setup: (p) => {
      fs.mkdirSync(path.join(p, 'issues/7/data'), { recursive: true });
      fs.symlinkSync('/etc/passwd', path.join(p, 'issues/7/data/t.csv'));
    },
    expect: /^issues\/7\/articles\/a\.md:4:7: data\/t\.csv is a link to a file outside the folder 7\//,
  },
  'table widths of 0%': { files: { 'articles/a.md': '# 标题\n\n```table\ndata: data/t.csv\nwidths: [0%, auto]\n```\n', 'data/t.csv': '区域,总量\n香洲区,12\n' }, expect: /^issues\/7\/articles\/a\.md:5:10: 0% is not a width: give 1% to 100% or auto/ },
  'chart width of 0%': { files: { 'articles/a.md': CHART('width: 0%\n') }, expect: /^issues\/7\/articles\/a\.md:7:8: 0% is not a width: give 1% to 100%/ },
  'unknown chart type': { files: { 'articles/a.md': CHART('').replace('type: bar', 'type: radar') }, expect: /^issues\/7\/articles\/a\.md:4:7: expected one of bar \| hbar/ },
  'chart column missing': { files: { 'articles/a.md': CHART('').replace('y: [总量]', 'y: [合计]') }, expect: /^issues\/7\/articles\/a\.md:6:5: no column "合计"/ },
  'non-numeric chart value': { files: { 'articles/a.md': CHART('', '  - {区域: 香洲区, 总量: "十二"}\n') }, expect: /^issues\/7\/articles\/a\.md:8:19: "十二" in column "总量" is not a number/ },
  'hex chart value': { files: { 'articles/a.md': CHART('', '  - {区域: 香洲区, 总量: "0x1F"}\n') }, expect: /^issues\/7\/articles\/a\.md:8:\d+: "0x1F" in column "总量" is not a number/ },
  'huge chart value': { files: { 'articles/a.md': CHART('', '  - {区域: 香洲区, 总量: "1.797e308"}\n') }, expect: /^issues\/7\/articles\/a\.md:8:\d+: "1\.797e308" in column "总量" is not a number/ },
  'a 20-digit chart value': { files: { 'articles/a.md': CHART('', '  - {区域: 香洲区, 总量: "100000000000000000000"}\n') }, expect: /^issues\/7\/articles\/a\.md:8:\d+: "100000000000000000000" in column "总量" is too large/ },
  'Infinity as a chart value': { files: { 'articles/a.md': CHART('', '  - {区域: 香洲区, 总量: "Infinity"}\n') }, expect: /^issues\/7\/articles\/a\.md:8:\d+: "Infinity" in column "总量" is not a number/ },
  'thousands separators and percent': { files: { 'articles/a.md': CHART('', '  - {区域: 香洲区, 总量: "1,234.5"}\n  - {区域: 金湾区, 总量: "-12%"}\n') }, expect: 'build' },
  'hbar with 500 categories': {
    files: { 'articles/a.md': CHART('', Array.from({ length: 500 }, (_, i) => `  - {区域: 园区${i}, 总量: "${i}"}\n`).join('')).replace('type: bar', 'type: hbar') },
    expect: /^issues\/7\/articles\/a\.md:3:1: the chart has 500 categories and needs \d+ pt; a page holds \d+ pt/,
  },
  'bar chart with 500 categories': {
    files: { 'articles/a.md': CHART('', Array.from({ length: 500 }, (_, i) => `  - {区域: 园区${i}, 总量: "${i}"}\n`).join('')) },
    expect: /^issues\/7\/articles\/a\.md:3:1: the chart has 500 categories; at most \d+ fit across a bar chart this wide/,
  },

  // Output
  'out is a file': { setup: (p) => fs.writeFileSync(path.join(p, 'outfile'), 'x'), args: ['--out', 'outfile'], expect: /^outfile: the output folder is a file/ },
  'out under a file': { setup: (p) => fs.writeFileSync(path.join(p, 'outfile'), 'x'), args: ['--out', 'outfile/sub'], expect: /^outfile\/sub: the output folder cannot be made: outfile is a file/ },
};

/** CRC-32 as PNG chunks use it. */
function crc32(buf: Buffer): number {
  let c = ~0;
  for (const b of buf) {
    c ^= b;
    for (let k = 0; k < 8; k++) c = (c >>> 1) ^ (0xedb88320 & -(c & 1));
  }
  return ~c >>> 0;
}

/** A PNG that claims a size and holds almost nothing: decoding it would need width × height pixels. */
function pngHeader(width: number, height: number): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(body));
    return Buffer.concat([len, body, crc]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr.set([8, 2, 0, 0, 0], 8);
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', ihdr), chunk('IDAT', zlib.deflateSync(Buffer.alloc(64))), chunk('IEND', Buffer.alloc(0))]);
}

beforeAll(async () => {
  png = await sharp({ create: { width: 40, height: 30, channels: 3, background: '#336699' } }).png().toBuffer();
});

function project(name: string, c: Case): string {
  const dir = path.join(work, name.replace(/[^\w]+/g, '-'));
  const issue = path.join(dir, 'issues', '7');
  fs.mkdirSync(path.join(issue, 'articles'), { recursive: true });
  fs.mkdirSync(path.join(issue, 'images'), { recursive: true });
  for (const [f, content] of Object.entries({ 'issue.yaml': MANIFEST, 'articles/a.md': ARTICLE, ...c.files })) {
    const p = path.join(issue, f);
    if (content === null) {
      fs.rmSync(p, { force: true });
      continue;
    }
    fs.mkdirSync(path.dirname(p), { recursive: true });
    fs.writeFileSync(p, content);
  }
  c.setup?.(dir);
  return dir;
}

describe('broken and hostile issue folders', () => {
  it('has at least 40 of them', () => expect(Object.keys(cases).length).toBeGreaterThanOrEqual(40));

  for (const [name, c] of Object.entries(cases)) {
    it.concurrent(name, async () => {
      const dir = project(name, c);
      const out = path.join(dir, c.args ? c.args[1] : 'out');
      // Earlier PDFs that a failed build must leave as they are.
      const earlier = c.expect === 'build' || c.args ? [] : ['bulletin-7.pdf', 'bulletin-7-print.pdf'].map((f) => path.join(out, f));
      for (const f of earlier) {
        fs.mkdirSync(path.dirname(f), { recursive: true });
        fs.writeFileSync(f, `earlier ${f}`);
      }
      const args = ['--max-old-space-size=1024', BIN, 'build', '7', '--no-system-fonts', ...(c.args ?? [])];
      const r = await run(process.execPath, args, { cwd: dir, timeout: 10_000, encoding: 'utf8' }).then(
        (ok) => ({ code: 0, err: ok.stderr }),
        (e: { code?: number; stderr?: string; killed?: boolean }) => ({ code: e.killed ? 'timeout' : e.code, err: e.stderr ?? '' }),
      );
      if (c.expect === 'build') {
        expect(r, r.err).toMatchObject({ code: 0 });
        expect(fs.readFileSync(path.join(out, 'bulletin-7.pdf')).subarray(0, 5).toString()).toBe('%PDF-');
        if (c.warns) expect(r.err).toMatch(c.warns);
        return;
      }
      const lines = r.err.trim().split('\n');
      expect(lines, r.err).toHaveLength(1);
      expect(r.code, r.err).toBe(1);
      expect(lines[0].replace(/^bulletin: /, '')).toMatch(c.expect);
      for (const f of earlier) expect(fs.readFileSync(f, 'utf8')).toBe(`earlier ${f}`);
      if (fs.existsSync(out) && fs.statSync(out).isDirectory()) expect(fs.readdirSync(out).filter((f) => !f.startsWith('earlier') && f !== '.cache' && !earlier.some((e) => path.basename(e) === f))).toEqual([]);
    }, 15_000);
  }
});
