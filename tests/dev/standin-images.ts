/**
 * Generates the photo stand-ins of a sample issue: we have no originals of
 * issue 44's photos, so each image an article names is drawn here, from a
 * seed derived from its file name, as a 2400×1600 JPEG that looks like a
 * photograph to a layout (sky, horizon, buildings, people, grain).
 *
 *   npm run standins -- issues/44        (writes only the missing ones)
 *   npm run standins -- issues/44 --all  (rewrites them all)
 */
import fs from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';

const W = 2400;
const H = 1600;

/** mulberry32: a tiny deterministic PRNG, so the same name gives the same picture. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function hash(s: string): number {
  let h = 2166136261;
  for (const ch of s) h = Math.imul(h ^ ch.codePointAt(0)!, 16777619);
  return h >>> 0;
}

type RGB = [number, number, number];
const mix = (a: RGB, b: RGB, t: number): RGB => [a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t, a[2] + (b[2] - a[2]) * t];

export async function drawStandIn(name: string): Promise<Buffer> {
  const r = rng(hash(name));
  const px = new Float32Array(W * H * 3);
  const horizon = H * (0.45 + r() * 0.2);
  const skyTop: RGB = [70 + r() * 60, 120 + r() * 60, 190 + r() * 50];
  const skyLow: RGB = [200 + r() * 40, 210 + r() * 30, 225 + r() * 25];
  const ground: RGB = [90 + r() * 80, 90 + r() * 60, 70 + r() * 50];
  const groundNear: RGB = mix(ground, [40, 40, 40], 0.5);
  for (let y = 0; y < H; y++) {
    const c = y < horizon ? mix(skyTop, skyLow, y / horizon) : mix(ground, groundNear, (y - horizon) / (H - horizon));
    for (let x = 0; x < W; x++) {
      const i = (y * W + x) * 3;
      px[i] = c[0];
      px[i + 1] = c[1];
      px[i + 2] = c[2];
    }
  }
  const rect = (x0: number, y0: number, x1: number, y1: number, c: RGB, shade = 0) => {
    for (let y = Math.max(0, y0 | 0); y < Math.min(H, y1); y++) {
      for (let x = Math.max(0, x0 | 0); x < Math.min(W, x1); x++) {
        const i = (y * W + x) * 3;
        const s = 1 - shade * ((x - x0) / Math.max(1, x1 - x0));
        px[i] = c[0] * s;
        px[i + 1] = c[1] * s;
        px[i + 2] = c[2] * s;
      }
    }
  };
  // Buildings along the horizon, with rows of windows.
  let x = -r() * 200;
  while (x < W) {
    const w = 150 + r() * 300;
    const h = 150 + r() * (horizon * 0.8);
    const c: RGB = [120 + r() * 110, 120 + r() * 100, 120 + r() * 100];
    rect(x, horizon - h, x + w, horizon + 4, c, 0.25);
    for (let wy = horizon - h + 30; wy < horizon - 40; wy += 48) {
      for (let wx = x + 20; wx < x + w - 30; wx += 44) rect(wx, wy, wx + 24, wy + 26, mix(c, [40, 60, 80], 0.6));
    }
    x += w + r() * 60;
  }
  // People: dark ellipses with heads, in the foreground.
  const people = 6 + Math.floor(r() * 14);
  for (let p = 0; p < people; p++) {
    const cx = r() * W;
    const base = horizon + 60 + r() * (H - horizon - 80);
    const scale = 0.4 + (base - horizon) / (H - horizon);
    const bw = 55 * scale;
    const bh = 210 * scale;
    const coat: RGB = [20 + r() * 90, 20 + r() * 90, 30 + r() * 110];
    for (let y = Math.max(0, (base - bh - bw) | 0); y < Math.min(H, base); y++) {
      for (let xx = Math.max(0, (cx - bw) | 0); xx < Math.min(W, cx + bw); xx++) {
        const dx = (xx - cx) / bw;
        const body = y > base - bh && Math.abs(dx) < 0.8 - 0.2 * ((base - y) / bh);
        const hy = (y - (base - bh - bw * 0.45)) / (bw * 0.45);
        const head = dx * dx * 1.9 + hy * hy < 1;
        if (body || head) {
          const i = (y * W + xx) * 3;
          const c = head ? [205, 160, 130] : coat;
          px[i] = c[0];
          px[i + 1] = c[1];
          px[i + 2] = c[2];
        }
      }
    }
  }
  // Vignette and film grain.
  const out = Buffer.alloc(W * H * 3);
  for (let y = 0; y < H; y++) {
    for (let xx = 0; xx < W; xx++) {
      const dx = xx / W - 0.5;
      const dy = y / H - 0.5;
      const v = 1 - 0.45 * (dx * dx + dy * dy);
      const g = (r() - 0.5) * 10;
      const i = (y * W + xx) * 3;
      for (let k = 0; k < 3; k++) out[i + k] = Math.max(0, Math.min(255, px[i + k] * v + g));
    }
  }
  return sharp(out, { raw: { width: W, height: H, channels: 3 } }).blur(1.2).jpeg({ quality: 78, mozjpeg: true }).toBuffer();
}

async function main(args: string[]): Promise<void> {
  const dir = args.find((a) => !a.startsWith('--')) ?? 'issues/44';
  const all = args.includes('--all');
  const names = new Set<string>();
  for (const f of fs.readdirSync(path.join(dir, 'articles'))) {
    const text = fs.readFileSync(path.join(dir, 'articles', f), 'utf8');
    for (const m of text.matchAll(/!\[[^\]]*\]\((images\/[^)\s]+\.jpg)\)/g)) names.add(m[1]);
  }
  for (const name of [...names].sort()) {
    const file = path.join(dir, name);
    if (!all && fs.existsSync(file)) continue;
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, await drawStandIn(name));
    console.log(file);
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await main(process.argv.slice(2));
