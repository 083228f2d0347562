/**
 * The one reader of numbers as editors and statistics offices write them,
 * for tables (is a column numeric? where is its decimal point?) and charts
 * (what value does a bar have?).
 *
 *   3,157   −19.2 (U+2212)   -6.8   +4.5%   ±0.3   ３，１５７ → no; ３１５７ → 3157
 *   1 234 567 (spaces, thin or no-break, as thousands separators)
 *   —  -  –  N/A  /  …  and an empty cell: no figure (a missing value)
 */

export type NumberReading = { value: number } | { missing: true } | { error: string };

/** Values beyond this are refused: no chart or table of an association's figures needs them, and axes must stay finite. */
export const MAX_MAGNITUDE = 1e15;

/** What a table writes where it has no figure. */
const PLACEHOLDER = /^(|—+|-+|–|\/|／|N\/?A|n\/a|\*|…+)$/;

/** Sign, digits (thousands grouped by commas or by spaces, one kind per number), fraction, percent. */
const NUMBER = /^([-+±]?)(\d{1,3}(?:,\d{3})+|\d{1,3}(?:[ \u00a0\u2009\u202f]\d{3})+|\d+)(\.\d+)?(%?)$/;

/** Full-width digits, signs, point and percent, and the minus sign U+2212, as their ASCII forms. */
function narrow(text: string): string {
  return text
    .trim()
    .replace(/[０-９]/g, (d) => String.fromCharCode(d.charCodeAt(0) - 0xfee0))
    .replace(/[\u2212－]/g, '-')
    .replace(/＋/g, '+')
    .replace(/．/g, '.')
    .replace(/％/g, '%');
}

export function readNumber(text: string): NumberReading {
  const t = narrow(text);
  if (PLACEHOLDER.test(t)) return { missing: true };
  const m = NUMBER.exec(t);
  if (!m) return { error: 'is not a number (write digits, with an optional sign, decimal point, thousands separators and %; or — for no figure)' };
  const [, sign, digits, fraction = ''] = m;
  const magnitude = Number(digits.replace(/[^\d]/g, '') + fraction);
  if (magnitude > MAX_MAGNITUDE) return { error: `is too large: values may be at most ${MAX_MAGNITUDE.toExponential()} in size` };
  return { value: sign === '-' && magnitude !== 0 ? -magnitude : magnitude };
}

export const isNumber = (text: string): boolean => 'value' in readNumber(text);

/** The part of a written number from its decimal point on (with a % after it), or its % alone, or '': numbers are aligned on the point. */
export function decimalTail(text: string): string {
  const t = text.trim();
  if (!isNumber(t)) return '';
  const point = t.search(/[.．]/);
  return point >= 0 ? t.slice(point) : /[%％]$/.test(t) ? t.slice(-1) : '';
}
