/**
 * Character classes for Chinese line composition, and the clreq prohibition
 * lists at each level (see shared typography reference §1, §2).
 */
import type { Prohibition } from './types.js';

export type CharClass =
  | 'han' // ideographs, kana, full-width letters: 1 em, breakable on both sides
  | 'open' // full-width opening brackets and quotes: ink on the right half
  | 'close' // full-width closing marks, commas, stops: ink on the left half
  | 'middot' // ·・‧ : narrow, never adjusted
  | 'space'
  | 'latin'; // letters, digits, ASCII punctuation, symbols: joined into words

const OPEN = new Set([...'“‘「『（《〈【〖〔［｛']);
const CLOSE = new Set([...'、，。．：；！？”’」』）》〉】〗〕］｝']);
const MIDDOT = new Set([...'·・‧']);
const HAN = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}\u3000\u3007\uff10-\uff19\uff21-\uff3a\uff41-\uff5a\u2e3a\u2014\u2026～]/u;

export function classify(ch: string): CharClass {
  if (ch === ' ' || ch === '\t') return 'space';
  if (OPEN.has(ch)) return 'open';
  if (CLOSE.has(ch)) return 'close';
  if (MIDDOT.has(ch)) return 'middot';
  if (HAN.test(ch)) return 'han';
  // An emoji is set like an ideograph: its own box, a break allowed on either side.
  if (/\p{Extended_Pictographic}/u.test(ch) && (ch.includes('\ufe0f') || /\p{Emoji_Presentation}/u.test(ch))) return 'han';
  return 'latin';
}

const START_BASIC = new Set([...'、，。．：；！？‼⁇”’」』）》〉】〗〕］｝～–—·・‧%‰℃!),.:;?]}']);
const END_BASIC = new Set([...'“‘「『（《〈【〖〔［｛([{$£¥￥']);
const END_GB = new Set([...'/／']);

/** May not begin a line. `text` is an atom's text (a character, a word, —— or ……). */
export function noLineStart(text: string, level: Prohibition): boolean {
  if (level === 'strict' && /^(——|……|⋯⋯|\u2e3a)/.test(text)) return true;
  if (text === '——' || text === '……') return false;
  return START_BASIC.has(text[0]);
}

/** May not end a line. */
export function noLineEnd(text: string, level: Prohibition): boolean {
  const last = text[text.length - 1];
  if (END_BASIC.has(last)) return true;
  return level !== 'basic' && END_GB.has(last);
}

export const isDigit = (ch: string) => ch >= '0' && ch <= '9';

/** Symbols CJK fonts draw one em wide that Latin text sets narrow: an atom of their own, set to their ink (prepare.ts). */
export const SET_TO_INK = /^[±×÷]$/;
