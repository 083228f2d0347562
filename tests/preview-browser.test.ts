/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
/**
 * The preview page in a real browser: headless Chromium (Debian's, through
 * puppeteer-core), as `.ci/run` installs it. Without one, this says so in
 * one line and the rest of the tests run.
 */
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'puppeteer-core';
import { requirePackage } from '../src/packages.js';
import { articleText, startPreviewSession, type PreviewSession } from './preview-session.js';

const CHROMIUM = [process.env.CHROMIUM, '/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'].find((f) => f && fs.existsSync(f));
if (!CHROMIUM) console.log('preview browser test skipped: no Chromium found (apt-get install -y chromium, or set CHROMIUM)');

describe.skipIf(!CHROMIUM)('bulletin preview in Chromium', () => {
  let s: PreviewSession;
  let browser: Browser;
  let page: Page;
  /** each sheet's page numbers, build drawn and how many times it was drawn */
  const sheets = () => page.$$eval('.sheet', (els) => els.map((e) => ({ page: e.getAttribute('data-page'), build: e.getAttribute('data-build'), renders: Number(e.getAttribute('data-renders')) })));
  const drawn = (build: number) => page.waitForFunction((b) => document.body.dataset.build === String(b) && [...document.querySelectorAll('.sheet')].every((e) => e.hasAttribute('data-build')), { timeout: 30_000 }, build);

  beforeAll(async () => {
    s = await startPreviewSession();
    const puppeteer = requirePackage('puppeteer-core') as typeof import('puppeteer-core');
    // As root in a container, without the sandbox; without background networking, which this closed network refuses.
    browser = await puppeteer.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'] });
    page = await browser.newPage();
    await page.setViewport({ width: 1200, height: 900 });
    await page.goto(s.url);
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await s?.close();
  });

  it('shows every page, drawn from the build', async () => {
    const first = await s.event(1);
    await drawn(1);
    const all = await sheets();
    expect(all.map((x) => x.page)).toEqual(first.changed.map(String));
    // Drawn, not blank: each canvas has ink (text, the cover's band) on it.
    const inked = await page.$$eval('.sheet canvas', (cs) =>
      cs.map((c) => {
        const d = (c as HTMLCanvasElement).getContext('2d')!.getImageData(0, 0, (c as HTMLCanvasElement).width, (c as HTMLCanvasElement).height).data;
        let ink = 0;
        for (let i = 0; i < d.length; i += 4) if (d[i] + d[i + 1] + d[i + 2] < 600) ink++;
        return ink;
      }),
    );
    expect(inked.every((n) => n > 1000), String(inked)).toBe(true);
    expect(await page.$$eval('#thumbs canvas', (cs) => cs.length)).toBe(all.length);
  }, 60_000);

  it('draws again only the page an edit changed, keeping the reader where they were', async () => {
    await page.evaluate(() => document.querySelector('.sheet[data-page="3"]')!.scrollIntoView({ block: 'start' }));
    const scrolled = await page.evaluate(() => window.scrollY);
    const before = await sheets();
    fs.writeFileSync(s.article(1), articleText(1, '会议由协会秘书长主持。'));
    const event = await s.event(2);
    expect(event.changed).toEqual([3]);
    await drawn(2);
    const after = await sheets();
    expect(after.map((x, i) => x.renders - before[i].renders)).toEqual(after.map((x) => (x.page === '3' ? 1 : 0)));
    expect(await page.evaluate(() => window.scrollY)).toBe(scrolled);
  }, 60_000);

  it('shows an error over the last good pages, and takes it away when fixed', async () => {
    fs.writeFileSync(s.article(1), '#\n\n正文。\n');
    await s.event(3);
    await page.waitForFunction(() => document.body.dataset.failed === '3', { timeout: 20_000 });
    const shown = await page.$eval('#error', (e) => ({ hidden: (e as HTMLElement).hidden, text: e.textContent }));
    expect(shown.hidden).toBe(false);
    expect(shown.text).toMatch(/^issues\/5\/articles\/a1\.md:1:1: the title is empty/);
    const kept = await sheets();
    fs.writeFileSync(s.article(1), articleText(1));
    await s.event(4);
    await drawn(4);
    expect(await page.$eval('#error', (e) => (e as HTMLElement).hidden)).toBe(true);
    // While the error showed, the pages stayed as they were; the fix brought page 3 back.
    expect(kept.map((x) => x.build)).toEqual(kept.map((x) => (x.page === '3' ? '2' : '1')));
    expect((await sheets()).filter((x) => x.build === '4').map((x) => x.page)).toEqual(['3']);
  }, 60_000);

  it('lists warnings; a click goes to the page', async () => {
    await page.evaluate(() => window.scrollTo(0, 0));
    fs.writeFileSync(s.article(2), `${articleText(2)}\n协会将继续组织交流活动。{align=middle}\n`);
    await s.event(5);
    await drawn(5);
    await page.click('#warnings-toggle');
    await page.click('#warnings li[data-page="4"]');
    // At the top of the window, under the bar.
    const [top, bar] = await page.evaluate(() => [document.querySelector('.sheet[data-page="4"]')!.getBoundingClientRect().top, document.getElementById('bar')!.getBoundingClientRect().bottom]);
    expect(top).toBeGreaterThanOrEqual(bar);
    expect(top).toBeLessThan(bar + 30);
  }, 60_000);

  it('sets facing pages side by side as the booklet opens, and the print edition with its bleed', async () => {
    await page.select('#view', 'spread');
    const boxes = await page.$$eval('.sheet', (els) => els.map((e) => e.getBoundingClientRect().toJSON() as DOMRect));
    // Page 1 alone (on the right, as a cover), then 2 beside 3.
    expect(boxes[1].top).toBeCloseTo(boxes[2].top, 0);
    expect(boxes[2].left).toBeCloseTo(boxes[1].right, 0);
    expect(boxes[0].top).toBeLessThan(boxes[1].top);
    expect(boxes[0].left).toBeCloseTo(boxes[2].left, 0);
    const screenWidth = boxes[0].width;
    await page.select('#edition', 'print');
    await page.waitForFunction((w) => document.querySelector('.sheet')!.getBoundingClientRect().width > w + 10, { timeout: 20_000 }, screenWidth);
    await page.screenshot({ path: `${s.dir}/spread.png` });
  }, 60_000);
});
