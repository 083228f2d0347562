/**
 * One grammar for attributes in braces, wherever they are written: after a
 * paragraph, heading or list item's text, after a picture, or on a line of
 * their own under a quote, list, table or chart.
 *
 *   {align=center}   {width=50% alt="培训现场"}   {caption=“表 1　名单”}
 *
 * A brace group is attributes when everything inside is `key=value` (the
 * value bare or in straight or curly double quotes) or `.class`/`#id`
 * (pandoc's forms, read so that they can be named in a warning); anything
 * else in braces (`{1,2,3}`) is text.
 */

export interface Attribute {
  key: string;
  value: string;
  /** the group as written, braces included, to find it in the source */
  written: string;
}

/** What each kind of block takes. */
export const ATTRIBUTE_KEYS = {
  paragraph: ['align'],
  heading: ['align'],
  'list item': ['align'],
  list: ['align'],
  quote: ['align'],
  picture: ['width', 'alt'],
  table: ['width', 'caption'],
  chart: ['width'],
} as const;

export type AttributeTarget = keyof typeof ATTRIBUTE_KEYS;

const PAIR = /\s*(?:([A-Za-z][\w-]*)=(?:"([^"]*)"|“([^”]*)”|([^\s"“”{}]+))|([.#])([A-Za-z][\w-]*))\s*/y;

/** The attributes between a pair of braces, or undefined when the braces hold text. */
export function readAttributes(inner: string, written = `{${inner}}`): Attribute[] | undefined {
  if (!inner.trim()) return undefined;
  const out: Attribute[] = [];
  PAIR.lastIndex = 0;
  while (PAIR.lastIndex < inner.length) {
    const m = PAIR.exec(inner);
    if (!m) return undefined;
    const [, key, q1, q2, bare, sigil, name] = m;
    out.push(sigil ? { key: sigil === '.' ? 'class' : 'id', value: name, written } : { key, value: q1 ?? q2 ?? bare, written });
  }
  return out;
}

/** Brace groups within one line. */
const GROUP = /\{([^{}\n]*)\}/g;

/**
 * Splits attribute groups off the end of a block's text (`正文 {align=right}`):
 * the text without them, and their attributes in order. Groups that hold text
 * stay in it.
 */
export function trailingAttributes(text: string): { text: string; attributes: Attribute[] } {
  const attributes: Attribute[][] = [];
  let rest = text;
  for (;;) {
    const m = /\{([^{}\n]*)\}\s*$/.exec(rest);
    const read = m ? readAttributes(m[1], m[0].trim()) : undefined;
    if (!m || !read) break;
    attributes.unshift(read);
    rest = rest.slice(0, m.index);
  }
  return { text: attributes.length ? rest.replace(/[ \t]+$/, '') : text, attributes: attributes.flat() };
}

/** Attribute groups inside running text, where nothing can take them: found so that they can be named and left out. */
export function strayAttributes(text: string): { text: string; stray: string[] } {
  const stray: string[] = [];
  const out = text.replace(GROUP, (whole, inner: string) => {
    if (!readAttributes(inner)) return whole;
    stray.push(whole);
    return '';
  });
  return { text: out, stray };
}

/** Every brace group of a text, attributes or not (after a picture, braces are always meant as attributes). */
export function braceGroups(text: string): { whole: string; inner: string }[] {
  return [...text.matchAll(GROUP)].map((m) => ({ whole: m[0], inner: m[1] }));
}
