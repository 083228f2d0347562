/** Latin-script text set as Latin typography (issue 19): language, hyphenation, word spaces, quotes. */
import { describe, expect, it } from 'vitest';
import { hyphenPoints } from '../src/compose/hyphenate.js';
import { composeParagraph } from '../src/compose/paragraph.js';
import { articleLanguage, isLatinLanguage } from '../src/model/language.js';
import { settings, text, zasto } from './helpers.js';

const { fonts } = zasto();

const ENGLISH =
  'Information technology outsourcing remained the largest segment, followed by business process outsourcing and knowledge process outsourcing. Members described a shift from simple maintenance contracts towards integrated digital transformation projects, in which the outsourcing provider designs, builds and operates a system for several years. “We didn’t expect the cross-border data rules to move so quickly,” said the managing director of one software firm in the Hengqin Cooperation Zone.';

describe('the language of an article', () => {
  it('is its front matter’s lang, else English where its letters are mostly Latin, else Chinese', () => {
    expect(articleLanguage({ body: ENGLISH })).toBe('en');
    expect(articleLanguage({ body: `# 标题\n\n珠海市服务贸易和外包行业协会举办培训会，${ENGLISH.slice(0, 60)}` })).toBe('zh');
    expect(articleLanguage({ body: '# 协会\n\n珠海市服务贸易和外包行业协会举办培训会。https://www.example-gov-services.gd.gov.cn/portal/apply/index.html' })).toBe('zh');
    expect(articleLanguage({ body: '短', lang: 'en-GB' })).toBe('en-GB');
    expect([isLatinLanguage('en'), isLatinLanguage('fr'), isLatinLanguage('zh-Hant'), isLatinLanguage('ja')]).toEqual([true, true, false, false]);
  });
});

describe('hyphenation', () => {
  it('breaks by Liang’s patterns with two letters before and three after', () => {
    expect(hyphenPoints('hyphenation', 'en')).toEqual([2, 6]);
    expect(hyphenPoints('(typography),', 'en').map((p) => '(typography),'.slice(0, p))).toEqual(['(ty', '(typog', '(typogra']);
    // Compounds: each part on its own, the hard hyphen a break already.
    expect(hyphenPoints('cross-border', 'en').map((p) => 'cross-border'.slice(0, p))).toEqual(['cross-bor']);
  });

  it('never in a word in capitals, with digits, an apostrophe or too short, nor without patterns', () => {
    for (const w of ['ZASTO', 'COVID19', 'abc123def', 'association’s', 'data', 'Hengqin'.slice(0, 4)]) expect(hyphenPoints(w, 'en'), w).toEqual([]);
    expect(hyphenPoints('hyphenation', 'xx')).toEqual([]);
  });
});

describe('a Latin paragraph', () => {
  const latin = { hyphenation: 'en' };
  // The zasto template's measure: 430 pt.
  const lines = composeParagraph(text(ENGLISH, 10.5), settings(430, { latin }));
  const lineText = (i: number) => lines[i].runs.flatMap((r) => r.glyphs.map((g) => String.fromCodePoint(...g.codePoints))).join('');

  it('ends a line inside a word only at a hyphenation point, with a hyphen that copies as a soft hyphen', () => {
    const ends = lines.map((_, i) => lineText(i));
    const hyphenated = ends.filter((l) => l.endsWith('\u00ad'));
    expect(hyphenated.length).toBeGreaterThan(0);
    for (const l of hyphenated) {
      const word = /(\p{L}+)\u00ad$/u.exec(l)![1];
      expect(word.length, l).toBeGreaterThanOrEqual(2);
    }
    // Nowhere else a soft hyphen, and the last word whole.
    expect(ends.join('').replace(/\u00ad$/gmu, '').split('\u00ad').length - 1).toBe(hyphenated.length);
    expect(ends[ends.length - 1]).toMatch(/Zone\.$/);
  });

  it('keeps word spaces from 0.8 of their width up, near 1.33 at most where hyphenation gives the breaks, and brings every line but the last to the measure', () => {
    const space = 10.5 * fonts.roles.body.advance(32);
    const ratios = (ls: typeof lines) =>
      ls.slice(0, -1).flatMap((l) => l.runs.slice(1).filter((r) => r.spaceBefore).map((r) => (r.x - (l.runs[l.runs.indexOf(r) - 1].x + Math.max(...l.runs[l.runs.indexOf(r) - 1].glyphs.map((g) => g.x + g.advance)))) / space));
    const gaps = ratios(lines);
    expect(gaps.length).toBeGreaterThan(40);
    expect(Math.min(...gaps)).toBeGreaterThanOrEqual(0.8 - 1e-6);
    // This paragraph's first words leave no break near the measure: its first two lines are loose, the rest within 1.33.
    expect(gaps.filter((g) => g <= 4 / 3 + 1e-6).length / gaps.length).toBeGreaterThan(0.7);
    expect((Math.max(...gaps) * space) / 10.5).toBeLessThan(0.55);
    // Without hyphenation the same paragraph is looser.
    const unhyphenated = ratios(composeParagraph(text(ENGLISH, 10.5), settings(430, { latin: {} })));
    expect(Math.max(...unhyphenated)).toBeGreaterThan(Math.max(...gaps));
    for (const l of lines.slice(0, -1)) expect(l.width).toBeCloseTo(430, 1);
  });

  it('sets curly quotes proportionally, as part of their word', () => {
    const glyphs = lines.flatMap((l) => l.runs.flatMap((r) => r.glyphs.map((g) => ({ c: String.fromCodePoint(...g.codePoints), w: g.advance }))));
    for (const q of ['“', '’', '”']) {
      const g = glyphs.find((x) => x.c === q)!;
      expect(g.w, q).toBeLessThan(10.5 * 0.5);
    }
    // Titles and heads of a Latin article too (set with latin rules, unhyphenated).
    const [title] = composeParagraph(text('Zhuhai’s Service Outsourcing Industry', 16), settings(430, { title: true, align: 'left', latin: {} }));
    expect(title.runs.flatMap((r) => r.glyphs).find((g) => g.codePoints[0] === 0x2019)!.advance).toBeLessThan(16 * 0.5);
    // In Chinese text the same quotes are full width.
    const [zh] = composeParagraph(text('他说：“好”。', 10.5), settings(300));
    expect(zh.runs.flatMap((r) => r.glyphs).find((g) => g.codePoints[0] === 0x201c)!.advance).toBeCloseTo(10.5);
  });
});
