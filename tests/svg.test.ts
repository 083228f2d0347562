import { describe, expect, it } from 'vitest';
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
