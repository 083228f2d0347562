import path from 'node:path';
import { FontChain } from '../src/fonts/fallback.js';
import { loadFonts, type FontSet } from '../src/fonts/fonts.js';
import { PACKAGE_ROOT } from '../src/packages.js';
import { loadTemplate, type Template } from '../src/template/template.js';
import type { ComposeSettings, RunStyle, StyledText } from '../src/compose/types.js';

export const REPO = PACKAGE_ROOT;

let cached: { template: Template; fonts: FontSet; chain: FontChain } | undefined;

/** The shipped zasto template, its fonts and a fallback chain without the machine's fonts (parsed once per test process). */
export function zasto(): { template: Template; fonts: FontSet; chain: FontChain } {
  cached ??= (() => {
    const template = loadTemplate(path.join(REPO, 'templates', 'zasto'));
    const fonts = loadFonts(template);
    return { template, fonts, chain: new FontChain(fonts, template, { systemFonts: false }) };
  })();
  return cached;
}

export function bodyStyle(size = 10): RunStyle {
  const { template, fonts, chain } = zasto();
  return { font: fonts.roles.body, fallback: chain, size, colour: template.colours.text };
}

export function text(s: string, size = 10): StyledText[] {
  return [{ text: s, style: bodyStyle(size) }];
}

export function settings(width: number, extra: Partial<ComposeSettings> = {}): ComposeSettings {
  return { width, indent: 0, align: 'justify', prohibition: 'gb', trimOpeningAtLineStart: true, ...extra };
}

/** issue.yaml of a one-article test issue number 7 (articles/a.md in 企业动态). */
export const MANIFEST_7 = `number: 7
template: zasto
date: 2022-07-31
period: 2022年2季度报
label: 总第 7 期
staff:
  - 主编: 某某
sections:
  - title: 企业动态
    articles:
      - a.md
`;
