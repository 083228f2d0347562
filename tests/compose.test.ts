import { describe, expect, it } from 'vitest';
import { composeParagraph, measureText } from '../src/compose/paragraph.js';
import { noLineEnd, noLineStart } from '../src/compose/classify.js';
import type { ComposedLine } from '../src/compose/types.js';
import { settings, text } from './helpers.js';

const lineText = (l: ComposedLine) => l.runs.map((r) => r.text).join('');

const POLICY =
  '为全面落实《广东省制造业数字化转型实施方案及若干政策措施》（粤府〔2021〕45号）要求，深化新一代信息技术与制造业融合发展，以工业互联网创新应用为着力点，深入推进广东省制造业数字化转型和高质量发展，珠海爱浦京软件股份有限公司（简称：APJ）积极申报广东省制造业数字化转型产业生态供给资源池，经广东省制造业数字化转型专家组书面评审、企业线上答辩，APJ成功入选成为资源池企业。';

describe('composeParagraph', () => {
  it('justifies every line but the last to the measure', () => {
    for (const chars of [17, 23, 30, 41]) {
      const lines = composeParagraph(text(POLICY), settings(chars * 10, { indent: 20 }));
      expect(lines.length).toBeGreaterThan(2);
      for (const l of lines.slice(0, -1)) expect(Math.abs(l.width - chars * 10)).toBeLessThan(0.05);
      expect(lines[lines.length - 1].width).toBeLessThanOrEqual(chars * 10 + 0.05);
    }
  });

  it('keeps the prohibitions at every measure', () => {
    for (let chars = 8; chars <= 44; chars++) {
      const lines = composeParagraph(text(POLICY), settings(chars * 10));
      lines.forEach((l, i) => {
        const s = lineText(l);
        if (i > 0) expect(noLineStart([...s][0], 'gb'), `line ${i} at ${chars}: ${s}`).toBe(false);
        if (i < lines.length - 1) expect(noLineEnd([...s].pop()!, 'gb'), `line ${i} at ${chars}: ${s}`).toBe(false);
      });
    }
  });

  it('never leaves a single character on the last line', () => {
    for (let chars = 8; chars <= 44; chars++) {
      const lines = composeParagraph(text(POLICY), settings(chars * 10));
      const last = lineText(lines[lines.length - 1]).replace(/[\p{P}]/gu, '');
      expect([...last].length, `at ${chars} chars: ${lineText(lines[lines.length - 1])}`).toBeGreaterThan(1);
    }
  });

  it('keeps a digit run with its unit', () => {
    const s = '截至2022年3月底，中国服务外包累计吸纳从业人员1422万人，其中大学及以上学历915万人，占64.3%。';
    for (let chars = 6; chars <= 30; chars++) {
      const lines = composeParagraph(text(s), settings(chars * 10)).map(lineText);
      for (let i = 1; i < lines.length; i++) expect(/\d$/.test(lines[i - 1]) && /^[年月万%]/.test(lines[i]), lines.join('|')).toBe(false);
      expect(lines.join('')).toBe(s);
    }
  });

  it('sets two adjacent full-width marks in 1.5 em', () => {
    const [line] = composeParagraph(text('好。」好'), settings(400, { align: 'left' }));
    // Every glyph here advances 1 em (10 pt) plus its run's spacing.
    const x = line.runs.flatMap((r) => [...r.text].map((_, i) => r.x + i * (10 + r.spacing)));
    // 。 loses its blank right half, so 。」 together take 1.5 em.
    expect(x.map((v) => Number(v.toFixed(3)))).toEqual([0, 10, 15, 25]);
  });

  it('puts a quarter em between Han and Latin, and none beside brackets', () => {
    const w = measureText(text('中A'));
    expect(w).toBeCloseTo(measureText(text('中')) + measureText(text('A')) + 2.5, 3);
    const paren = measureText(text('中(A)'));
    expect(paren).toBeCloseTo(measureText(text('中')) + measureText(text('(A)')), 3);
  });

  it('breaks a long URL inside the measure', () => {
    const s = '详见http://syspt.aiigd.cn/some/very/long/path/to/the/login/page?user=member&lang=zh-CN进行公布';
    const lines = composeParagraph(text(s), settings(120));
    expect(lines.length).toBeGreaterThan(2);
    for (const l of lines) expect(l.width).toBeLessThanOrEqual(120 + 0.05);
    expect(lines.map(lineText).join('')).toBe(s);
  });
});
