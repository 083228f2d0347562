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

export const requirePackage = createRequire(import.meta.url);
