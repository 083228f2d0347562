/**
 * Where a word of Latin-script text may break with a hyphen: Liang's
 * patterns (TeX's, through the `hyphen` package) for the paragraph's
 * language, with at least two letters before a break and three after, and
 * never in a word that holds digits, is written in capitals, or is an
 * address (URL, e-mail).
 */
import { requirePackage } from '../packages.js';

type Hyphenator = (text: string, options?: { hyphenChar?: string; minWordLength?: number }) => string;

const MIN_BEFORE = 2;
const MIN_AFTER = 3;

const loaded = new Map<string, Hyphenator | null>();

/** The patterns for a language tag (en → en-us, en-GB → en-gb), loaded once; null when `hyphen` has none. */
function hyphenator(language: string): Hyphenator | null {
  const tag = language.toLowerCase();
  let h = loaded.get(tag);
  if (h === undefined) {
    h = null;
    for (const name of tag === 'en' ? ['en-us'] : [tag, tag.split('-')[0]]) {
      try {
        h = (requirePackage(`hyphen/${name}`) as { hyphenateSync: Hyphenator }).hyphenateSync;
        break;
      } catch {
        // no patterns under this name
      }
    }
    loaded.set(tag, h);
  }
  return h;
}

const LETTERS = /^\p{L}+$/u;
const CAPITALS = /^\p{Lu}+$/u;

/**
 * Break positions (UTF-16 offsets into `word`, each the start of the piece
 * after a hyphen) of a word as the composer has it: letters with what clings
 * to them ("garden," "(example)"). The letters between leading and trailing
 * punctuation are hyphenated; a word with anything else inside is not.
 */
export function hyphenPoints(word: string, language: string): number[] {
  const [, lead, core] = /^(\P{L}*)(.*?)(\P{L}*)$/su.exec(word)!;
  const h = hyphenator(language);
  if (!h) return [];
  // A compound's parts (cross-border, latency-sensitive) are hyphenated each on its own; its hyphens are breaks already.
  const points: number[] = [];
  let offset = lead.length;
  for (const part of core.split('-')) {
    const letters = [...part].length;
    if (LETTERS.test(part) && !CAPITALS.test(part) && letters >= MIN_BEFORE + MIN_AFTER) {
      let at = 0;
      let seen = 0;
      for (const piece of h(part, { hyphenChar: '\u00ad', minWordLength: MIN_BEFORE + MIN_AFTER }).split('\u00ad').slice(0, -1)) {
        at += piece.length;
        seen += [...piece].length;
        if (seen >= MIN_BEFORE && letters - seen >= MIN_AFTER) points.push(offset + at);
      }
    }
    offset += part.length + 1;
  }
  return points;
}
