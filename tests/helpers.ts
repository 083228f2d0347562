import path from 'node:path';
import { loadFonts, type FontSet } from '../src/fonts/fonts.js';
import { loadTemplate, PACKAGE_ROOT, type Template } from '../src/template/template.js';
import type { ComposeSettings, RunStyle, StyledText } from '../src/compose/types.js';

export const REPO = PACKAGE_ROOT;

let cached: { template: Template; fonts: FontSet } | undefined;

/** The shipped zasto template and its fonts (parsed once per test process). */
export function zasto(): { template: Template; fonts: FontSet } {
  cached ??= (() => {
    const template = loadTemplate(path.join(REPO, 'templates', 'zasto'));
    return { template, fonts: loadFonts(template) };
  })();
  return cached;
}

export function bodyStyle(size = 10): RunStyle {
  const { template, fonts } = zasto();
  return { font: fonts.roles.body, fallbacks: fonts.fallbacks, size, colour: template.colours.text };
}

export function text(s: string, size = 10): StyledText[] {
  return [{ text: s, style: bodyStyle(size) }];
}

export function settings(width: number, extra: Partial<ComposeSettings> = {}): ComposeSettings {
  return { width, indent: 0, align: 'justify', prohibition: 'gb', trimOpeningAtLineStart: true, ...extra };
}
