/**
 * An SVG file's size, read from its root element's attributes: what the
 * template needs of its logo without loading the SVG drawer (assets/svg.ts).
 */

/** The drawing's size in its own units: the root's viewBox, else its width and height; undefined when it is no SVG. */
export function svgSize(source: string): { width: number; height: number } | undefined {
  const root = /<svg\b[^>]*>/.exec(source)?.[0];
  if (!root) return undefined;
  const attr = (name: string) => new RegExp(`\\s${name}\\s*=\\s*["']([^"']*)["']`).exec(root)?.[1];
  const vb = attr('viewBox')?.split(/[\s,]+/).map(Number);
  if (vb?.length === 4 && vb[2] > 0 && vb[3] > 0) return { width: vb[2], height: vb[3] };
  const width = parseFloat(attr('width') ?? '');
  const height = parseFloat(attr('height') ?? '');
  return width > 0 && height > 0 ? { width, height } : undefined;
}
