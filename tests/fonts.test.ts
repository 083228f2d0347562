import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { build } from '../src/build.js';
import { FontChain } from '../src/fonts/fallback.js';
import { EMOJI_FONT, LoadedFont, loadFonts } from '../src/fonts/fonts.js';
import { faceStyle, unlikeness } from '../src/fonts/face-style.js';
import { composeParagraph } from '../src/compose/paragraph.js';
import { commitCache, seal, unseal } from '../src/cache/sealed.js';
import { INDEX_KEY, indexFonts, rangesHave, systemFontFolders, userCacheFolder } from '../src/fonts/system.js';
import { loadTemplate } from '../src/template/template.js';
import { REPO, settings, text, zasto } from './helpers.js';

const TEST_FONTS = path.join(REPO, 'tests', 'stress', 'fonts');
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'bulletin-fonts-'));
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

describe('font folders and the machine index', () => {
  it('indexes a folder once and reads a file again only when it changes', () => {
    const dir = path.join(work, 'index');
    fs.mkdirSync(path.join(dir, 'nested'), { recursive: true });
    fs.copyFileSync(path.join(TEST_FONTS, 'BulletinTestExtB.ttf'), path.join(dir, 'nested', 'a.ttf'));
    fs.writeFileSync(path.join(dir, 'notes.txt'), 'not a font');
    const cache = path.join(work, 'cache', 'system-fonts.json');
    const [face] = indexFonts([dir], cache);
    commitCache();
    expect(face.name).toBe('BulletinTestExtB-Regular');
    expect(rangesHave(face.ranges, 0x20bb7)).toBe(true);
    expect(rangesHave(face.ranges, 0x4e00)).toBe(false);
    // The cache is what is read while the file is unchanged (an entry sealed as bulletin seals it)...
    const opened = unseal(fs.readFileSync(cache), INDEX_KEY);
    if (!('value' in opened)) throw new Error(opened.refused);
    const stored = JSON.parse(opened.value.toString('utf8'));
    stored.files[face.file].faces[0].name = 'FromTheCache';
    fs.writeFileSync(cache, seal(INDEX_KEY, Buffer.from(JSON.stringify(stored))));
    expect(indexFonts([dir], cache)[0].name).toBe('FromTheCache');
    // ...but an index changed in any other way is refused, and the fonts read again.
    const bytes = fs.readFileSync(cache);
    fs.writeFileSync(cache, bytes.toString('latin1').replace('FromTheCache', 'FromTheCachf'), 'latin1');
    expect(indexFonts([dir], cache)[0].name).toBe('BulletinTestExtB-Regular');
    // ...and a changed file is read anew.
    commitCache();
    fs.writeFileSync(face.file, 'no longer a font');
    expect(indexFonts([dir], cache)).toEqual([]);
  });

  it('knows where each platform keeps fonts and caches', () => {
    expect(systemFontFolders('win32', { WINDIR: 'C:\\Windows', LOCALAPPDATA: 'C:\\Users\\a\\AppData\\Local' }, 'C:\\Users\\a')).toEqual([
      path.join('C:\\Windows', 'Fonts'),
      path.join('C:\\Users\\a\\AppData\\Local', 'Microsoft', 'Windows', 'Fonts'),
    ]);
    expect(systemFontFolders('darwin', {}, '/Users/a')).toEqual(['/System/Library/Fonts', '/Library/Fonts', '/Users/a/Library/Fonts']);
    expect(systemFontFolders('linux', {}, '/home/a')).toContain('/usr/share/fonts');
    expect(userCacheFolder('linux', { XDG_CACHE_HOME: '/x' }, '/home/a')).toBe('/x/bulletin');
  });
});

describe('font chain', () => {
  const { template, fonts } = zasto();
  const chain = new FontChain(fonts, template, { fontFolders: [TEST_FONTS], systemFonts: false });
  const body = fonts.roles.body;

  it('sets each cluster in the first font of the chain that has all of it', () => {
    expect(chain.fontFor(body, '中')).toBe(body);
    expect(chain.fontFor(body, '𠮷')?.key).toMatch(/BulletinTestExtB\.ttf$/);
    expect(chain.fontFor(body, '😀')?.key).toMatch(/NotoEmoji/);
    expect(chain.fontFor(body, '👨‍👩‍👧')?.key).toMatch(/NotoEmoji/);
    // U+F900 is in the sans, not the serif: the template's fallback sets it.
    expect(chain.fontFor(body, '\uf900')).toBe(fonts.roles.sans);
    expect(chain.fontFor(body, '𪜀')).toBeUndefined();
  });

  it('takes the emoji font for a character asked for in emoji style, though a text font has it', () => {
    expect(chain.fontFor(body, '☎')).toBe(body);
    expect(chain.fontFor(body, '☎\ufe0f')?.key).toMatch(/NotoEmoji/);
    expect(EMOJI_FONT).toBe('NotoEmoji-Regular');
  });

  it('records what it substituted and what it left out', () => {
    const { byFont, missing } = chain.substitutions();
    expect([...missing]).toEqual(['𪜀']);
    expect([...byFont.keys()].map((f) => path.basename(f.file))).toEqual(expect.arrayContaining(['BulletinTestExtB.ttf', 'NotoEmoji_400Regular.ttf']));
  });

  it("searches the template's own font folders", () => {
    const dir = path.join(work, 'tpl');
    fs.cpSync(path.join(REPO, 'templates', 'zasto'), dir, { recursive: true });
    fs.cpSync(TEST_FONTS, path.join(dir, 'extra'), { recursive: true });
    fs.writeFileSync(path.join(dir, 'template.yaml'), fs.readFileSync(path.join(dir, 'template.yaml'), 'utf8').replace('  fallback: [NotoSansSC-Regular]', '  fallback: [NotoSansSC-Regular]\n  folders: [extra]'));
    const t = loadTemplate(dir);
    const own = new FontChain(loadFonts(t), t, { systemFonts: false });
    expect(own.fontFor(body, '𠮷')?.key).toMatch(/extra\/BulletinTestExtB\.ttf$/);
  });

  it('refuses a --font-path that is not a folder, in one line', async () => {
    await expect(build({ issue: '44', cwd: REPO, out: path.join(work, 'out'), fontFolders: ['no/such/fonts'] })).rejects.toThrow('--font-path no/such/fonts: there is no such folder');
    expect(fs.existsSync(path.join(work, 'out'))).toBe(false);
  });

  it('sets a character the run lacks in the face most like the run: bold for bold, sans for sans, never italic for upright', () => {
    // U+F900 is in Noto Sans SC (both weights) and not in the serif.
    expect(chain.fontFor(fonts.roles['body-bold'], '\uf900')).toBe(fonts.roles['sans-bold']);
    expect(chain.fontFor(body, '\uf900')).toBe(fonts.roles.sans);
    const sans = fonts.roles.sans;
    const italic = new LoadedFont('italic sans', sans.file, sans.font);
    Object.defineProperty(italic, 'style', { value: { weight: 400, italic: true, serif: false } });
    // First in the fallback list, yet upright text takes the upright face after it.
    const upright = new FontChain({ roles: fonts.roles, fallbacks: [italic] }, template, { systemFonts: false });
    expect(upright.fontFor(body, '\uf900')).toBe(sans);
    expect(upright.fontFor(fonts.roles['body-bold'], '\uf900')).toBe(fonts.roles['sans-bold']);
  });

  it('reads weight, slant and class from the fonts themselves', () => {
    expect(faceStyle(fonts.roles['body-bold'].font)).toEqual({ weight: 700, italic: false, serif: true });
    expect(faceStyle(fonts.roles.sans.font)).toEqual({ weight: 400, italic: false, serif: false });
    expect(unlikeness({ weight: 400, italic: false }, { weight: 700, italic: true })).toBeGreaterThan(unlikeness({ weight: 400, italic: false }, { weight: 900, italic: false, serif: true }));
  });
});

describe('superscripts and subscripts', () => {
  const { fonts } = zasto();
  const body = fonts.roles.body;

  it("draws the digits the run's font lacks as its own digits, smaller and raised or lowered, copying as the characters written", () => {
    const [line] = composeParagraph(text('10⁶、x²与CO₂'), settings(400, { align: 'left' }));
    const glyphs = line.runs.flatMap((r) => r.glyphs.map((g) => ({ cps: String.fromCodePoint(...g.codePoints), size: r.size, y: g.y, font: r.font })));
    const at = (c: string) => glyphs.find((g) => g.cps === c)!;
    expect(glyphs.map((g) => g.cps).join('')).toBe('10⁶、x²与CO₂');
    // ² is in Noto Serif SC: set as it is; ⁶ and ₂ are not: drawn from its 6 and 2.
    expect(body.covers(0xb2) && !body.covers(0x2076) && !body.covers(0x2082)).toBe(true);
    expect(at('²')).toMatchObject({ size: 10, y: 0, font: body.key });
    expect(at('⁶')).toMatchObject({ font: body.key });
    expect(at('⁶').size).toBeCloseTo(6.2);
    expect(at('⁶').y).toBeCloseTo(3.6);
    expect(at('₂').y).toBeCloseTo(-1.2);
    // The same glyphs as the run's own 6 and 2.
    const [plain] = composeParagraph(text('62'), settings(400, { align: 'left' }));
    const runGlyph = (c: string) => line.runs.flatMap((r) => r.glyphs).find((g) => String.fromCodePoint(...g.codePoints) === c)!.id;
    expect([runGlyph('⁶'), runGlyph('₂')]).toEqual(plain.runs[0].glyphs.map((g) => g.id));
  });
});
