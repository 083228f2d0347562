/**
 * Third-party packages are loaded through `require`, as their CommonJS
 * builds: Node 20 loads those in half the time of the same packages' ES
 * modules (commander, yaml, markdown-it, linebreak, fontkit, pdfkit and
 * svg-to-pdfkit together: 115–156 against 252–283 ms, fresh processes; sharp,
 * loaded only for image work: 36–41 against 79–92 ms), and every `bulletin
 * build` is a fresh process. All of them through this one `require` (also
 * to find their files), so each package is loaded once, in one form.
 */
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const requirePackage = createRequire(import.meta.url);

/** bulletin's own folder (its package.json, templates and fonts), from dist/ or src/ alike. */
export const PACKAGE_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
