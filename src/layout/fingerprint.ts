/**
 * What each page shows, as one digest per page: a live preview re-renders
 * only the pages whose digest changed. Read from the layout (the same for
 * both editions), with the content of the pictures and drawings a page
 * places, so that a photo replaced under its own name changes its page.
 * Structure tags are left out: they change nothing seen.
 */
import { createHash } from 'node:crypto';
import type { Layout } from './display.js';

/**
 * `content(file)`: a digest of a picture or drawing's bytes. Items go in as
 * JSON, but a text item's glyphs as numbers (id, position, advance), all of
 * a page at once: stringifying every glyph took 40 ms of a rebuild of issue
 * 44, hashing item by item 7 ms. Tags hang only on items, never inside them.
 */
export function pageFingerprints(layout: Pick<Layout, 'pages'>, content: (file: string) => string | undefined): string[] {
  // A digest to tell pages apart, not to resist forgery: SHA-1 over single-precision numbers (0.0001 pt at a page's width).
  return layout.pages.map((page) => {
    const fields: string[] = [];
    const numbers: number[] = [];
    for (const item of page.items) {
      if (item.kind === 'text') {
        const { glyphs, tag: _tag, ...rest } = item;
        fields.push(JSON.stringify(rest));
        for (const g of glyphs) numbers.push(g.id, g.x, g.y, g.advance);
        continue;
      }
      const { tag: _tag, ...rest } = item;
      fields.push(JSON.stringify(rest));
      if (item.kind === 'image') fields.push(content(item.image) ?? '');
    }
    return createHash('sha1').update(fields.join('\n')).update(new Uint8Array(Float32Array.from(numbers).buffer)).digest('hex').slice(0, 24);
  });
}
