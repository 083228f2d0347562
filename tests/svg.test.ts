import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { build } from '../src/build.js';
import { MANIFEST_7 } from './helpers.js';
import { readSvg } from '../src/assets/svg.js';
import { svgSize } from '../src/source/svg-size.js';

const all = () => true;

describe('SVG reader', () => {
  it('takes out scripts, pictures, foreign objects and references outside the drawing, each with its line', () => {
    const src = [
      '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10">',
      '<script>fetch("http://example.com")</script>',
      '<foreignObject><div>x</div></foreignObject>',
      "<image href='file:///etc/passwd' width='5' height='5'/>",
      '<use xlink:href="http://example.com/a.svg#b"/>',
      '<use href="#local"/>',
      '</svg>',
    ].join('\n');
    const { image, warnings } = readSvg('d.svg', src, all);
    expect(warnings.map((w) => `${w.pos!.line}: ${w.message.split(' ').slice(0, 3).join(' ')}`)).toEqual(['2: the SVG\'s <script>', '3: the SVG\'s <foreignObject>', '4: the SVG\'s <image>', '5: the SVG links']);
    expect(image.svg).not.toMatch(/script|foreignObject|passwd|example\.com/);
    expect(image.svg).toContain('href="#local"');
    // Positions in the file are kept: the blanked text keeps its line breaks.
    expect(image.svg.split('\n')).toHaveLength(7);
  });

  it('ignores a DOCTYPE and its entities', () => {
    const src = '<?xml version="1.0"?>\n<!DOCTYPE svg [<!ENTITY x SYSTEM "file:///etc/passwd">]>\n<svg viewBox="0 0 4 2"><text>&x;</text></svg>';
    const { image, warnings } = readSvg('d.svg', src, all);
    expect(image.svg).not.toMatch(/ENTITY|passwd/);
    expect(warnings[0].message).toMatch(/DOCTYPE/);
  });

  it('takes out characters of its text that the face lacks, and says where', () => {
    const { image, warnings } = readSvg('d.svg', '<svg viewBox="0 0 4 2">\n<text>流程✅<tspan>图😀</tspan></text></svg>', (c) => !/\p{Extended_Pictographic}/u.test(c));
    expect(image.svg).toContain('<text>流程 <tspan>图  </tspan></text>');
    expect(warnings.map((w) => `${w.pos!.line}:${w.pos!.col} ${w.message}`)).toEqual([
      "2:9 the SVG's <text> has ✅, which the template's sans face lacks; it is left out",
      "2:18 the SVG's <text> has 😀, which the template's sans face lacks; it is left out",
    ]);
  });

  it('sizes a drawing by its viewBox, else its width and height', () => {
    expect(svgSize("<svg viewBox='0 0 600 220' width='10'>")).toEqual({ width: 600, height: 220 });
    expect(svgSize('<svg width="300px" height="100px">')).toEqual({ width: 300, height: 100 });
    expect(svgSize('<svg>')).toBeUndefined();
    expect(svgSize('GIF89a')).toBeUndefined();
  });
});

describe('SVG drawing', () => {
  it('shows nothing a drawing holds outside its own box, as a browser shows it (rendered with MuPDF)', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bulletin-svg-clip-'));
    try {
      const issue = path.join(dir, 'issues', '7');
      fs.mkdirSync(path.join(issue, 'articles'), { recursive: true });
      fs.mkdirSync(path.join(issue, 'images'));
      fs.writeFileSync(path.join(issue, 'issue.yaml'), MANIFEST_7);
      // A 100 × 50 drawing whose red square reaches far past its box on every side.
      fs.writeFileSync(path.join(issue, 'images', 'big.svg'), '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 100 50"><rect x="-2000" y="-2000" width="4100" height="4050" fill="#ff0000"/></svg>');
      fs.writeFileSync(path.join(issue, 'articles', 'a.md'), '# 标题\n\n正文。\n\n![](images/big.svg){width=30%}\n');
      const result = await build({ issue: '7', cwd: dir, editions: ['screen'], systemFonts: false });
      const mupdf = await import('mupdf');
      const doc = mupdf.Document.openDocument(fs.readFileSync(result.files[0].path), 'application/pdf');
      // The article's page, at 1 px a point: how much of it is red.
      const page = doc.loadPage(1);
      const pixmap = page.toPixmap(mupdf.Matrix.identity, mupdf.ColorSpace.DeviceRGB, false);
      const px = pixmap.getPixels();
      let red = 0;
      for (let i = 0; i < px.length; i += 3) if (px[i] > 200 && px[i + 1] < 60 && px[i + 2] < 60) red++;
      // The drawing placed at 30 % of the 451.5 pt frame: 135.5 × 67.7 pt, give or take its edges' pixels.
      expect(red).toBeGreaterThan(134 * 66);
      expect(red).toBeLessThan(138 * 70);
      doc.destroy();
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});

