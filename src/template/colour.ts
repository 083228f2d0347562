/**
 * A colour as bulletin prints it: RGB on screen, CMYK in print. Colours the
 * template does not name (in an SVG drawing) become template colours, so
 * that print gets CMYK.
 */

export interface Colour {
  rgb: string;
  cmyk: [number, number, number, number];
}

/** An RGB colour (#rrggbb): the template's own when the RGB matches one (its CMYK prints), else a plain conversion. */
export function templateColour(hex: string, known: Colour[]): Colour {
  const match = known.find((c) => c.rgb.toLowerCase() === hex.toLowerCase());
  if (match) return match;
  const [r, g, b] = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16) / 255);
  const k = 1 - Math.max(r, g, b);
  const cmy = (x: number) => (k >= 1 ? 0 : Math.round(((1 - x - k) / (1 - k)) * 100));
  return { rgb: hex, cmyk: [cmy(r), cmy(g), cmy(b), Math.round(k * 100)] };
}
