// The preview page: every sheet of the chosen edition, drawn by pdf.js from the PDF the build wrote.
// Each build arrives on /events (see src/preview/events.ts); only the pages it changed are drawn again,
// in place, so the reader keeps their place. A failed build shows its one line over the last good pages.
import * as pdfjs from '/pdf.mjs';

pdfjs.GlobalWorkerOptions.workerSrc = '/pdf.worker.mjs';

const ZOOMS = [0.5, 0.75, 1, 1.25, 1.5, 2, 3];
/** CSS pixels per PDF point at 100 %: the page at its printed size on a 96 dpi screen */
const PX_PER_PT = 96 / 72;

const $ = (id) => document.getElementById(id);
const pagesEl = $('pages');
const thumbsEl = $('thumbs');

const settings = {
  edition: localStorage.getItem('bulletin.edition') ?? 'screen',
  view: localStorage.getItem('bulletin.view') ?? 'single',
  zoom: Number(localStorage.getItem('bulletin.zoom')) || 0.75,
};

/** the last good build's event, and the document drawn from it */
let shown;
let pdf;
/** per sheet (0-based): its element, its thumbnail and the pages it shows */
let sheets = [];
/** events that arrived while a build was being drawn */
let queue = [];
let drawing = false;

function sheetKey(pages) {
  return pages.join(',');
}

function setStatus(event) {
  const built = `build ${event.sequence} · ${(event.ms / 1000).toFixed(2)} s`;
  $('status').textContent = event.ok ? `${built} · ${event.pages} pages` : `${built} · failed; showing build ${shown?.sequence ?? '—'}`;
}

function showErrors(event) {
  const box = $('error');
  box.hidden = event.ok;
  box.textContent = event.ok ? '' : event.errors.map((e) => e.text).join('\n');
}

function showWarnings(event) {
  const list = $('warnings');
  const toggle = $('warnings-toggle');
  list.replaceChildren(
    ...event.warnings.map((w) => {
      const li = document.createElement('li');
      li.textContent = w.page ? `p${w.page}  ${w.text}` : w.text;
      li.className = w.kind;
      if (w.page) {
        li.dataset.page = String(w.page);
        li.addEventListener('click', () => goTo(w.page));
      }
      return li;
    }),
  );
  const count = (kind) => {
    const n = event.warnings.filter((w) => w.kind === kind).length;
    return n ? [`${n} ${kind}${n === 1 ? '' : 's'}`] : [];
  };
  toggle.hidden = event.warnings.length === 0;
  toggle.textContent = [...count('warning'), ...count('note')].join(', ');
  if (!event.warnings.length) list.hidden = true;
}

/** Scrolls to the sheet that shows `page` and marks it for a moment. */
function goTo(page) {
  const sheet = sheets.find((s) => s.pages.includes(page));
  if (!sheet) return;
  sheet.el.scrollIntoView({ block: 'start' });
  sheet.el.classList.add('flash');
  setTimeout(() => sheet.el.classList.remove('flash'), 1200);
}

/** Puts the sheets into rows: one per row, or as the printed booklet opens (the first alone, then 2–3, 4–5 …). */
function arrange() {
  pagesEl.className = settings.view;
  const rows = [];
  sheets.forEach((s, i) => {
    if (settings.view === 'single' || i === 0 || i % 2 === 1) rows.push([]);
    rows[rows.length - 1].push(s.el);
  });
  pagesEl.replaceChildren(
    ...rows.map((els, r) => {
      const row = document.createElement('div');
      row.className = r === 0 && settings.view === 'spread' ? 'row first' : 'row';
      row.append(...els);
      return row;
    }),
  );
}

/** The first sheet that shows more than a sliver under the bar: the reader's place, kept when the pages are laid out again. */
function currentSheet() {
  const top = $('bar').getBoundingClientRect().bottom + 40;
  return sheets.find((s) => s.el.getBoundingClientRect().bottom > top) ?? sheets[sheets.length - 1];
}

/** Marks the thumbnail of the reader's place, and keeps it in view. */
function markCurrent() {
  const current = currentSheet();
  for (const s of sheets) s.thumb.classList.toggle('current', s === current);
  current?.thumb.scrollIntoView({ block: 'nearest' });
}

async function fetchPdf(url) {
  const res = await fetch(url, { cache: 'no-store' });
  if (!res.ok) throw new Error(`${url}: ${res.status}`);
  const data = new Uint8Array(await res.arrayBuffer());
  return pdfjs.getDocument({ data, isEvalSupported: false }).promise;
}

/** Makes the sheet elements match `event` (keeping those that still show the same pages); returns the ones to draw. */
function matchSheets(event, changed, all) {
  const plan = event.editions[settings.edition]?.sheets ?? [];
  const redraw = [];
  const next = plan.map((pages, i) => {
    const had = sheets[i];
    const same = had && sheetKey(had.pages) === sheetKey(pages) && !all && !pages.some((p) => changed.has(p));
    const sheet = had ?? makeSheet(i);
    sheet.pages = pages;
    if (pages.length) sheet.el.dataset.page = sheetKey(pages);
    else delete sheet.el.dataset.page;
    sheet.el.toggleAttribute('data-blank', !pages.length);
    sheet.thumb.querySelector('span').textContent = pages.length ? pages.join('–') : '·';
    if (!same) redraw.push(sheet);
    return sheet;
  });
  sheets = next;
  thumbsEl.replaceChildren(...sheets.map((s) => s.thumb));
  return redraw;
}

function makeSheet(i) {
  const el = document.createElement('div');
  el.className = 'sheet';
  el.dataset.sheet = String(i + 1);
  el.dataset.renders = '0';
  el.append(document.createElement('canvas'));
  const thumb = document.createElement('button');
  const small = document.createElement('canvas');
  const label = document.createElement('span');
  thumb.append(small, label);
  const sheet = { el, thumb, pages: [] };
  thumb.addEventListener('click', () => {
    sheet.el.scrollIntoView({ block: 'start' });
  });
  return sheet;
}

/** Gives every sheet its size at this zoom before anything is drawn, so that the reader's place can hold. */
async function size() {
  for (let i = 0; i < sheets.length; i++) {
    const page = await pdf.getPage(i + 1);
    const vp = page.getViewport({ scale: settings.zoom * PX_PER_PT });
    sheets[i].el.style.width = `${vp.width}px`;
    sheets[i].el.style.height = `${vp.height}px`;
  }
  const first = sheets[0]?.el;
  if (first) pagesEl.style.setProperty('--page-w', first.style.width);
}

/** Draws the sheets asked, nearest the window first. */
async function draw(redraw, sequence) {
  const view = window.innerHeight;
  const distance = (s) => {
    const r = s.el.getBoundingClientRect();
    return r.bottom < 0 ? -r.bottom : r.top > view ? r.top - view : 0;
  };
  for (const sheet of [...redraw].sort((a, b) => distance(a) - distance(b))) {
    const i = sheets.indexOf(sheet);
    if (i < 0) continue;
    const page = await pdf.getPage(i + 1);
    const vp = page.getViewport({ scale: settings.zoom * PX_PER_PT * devicePixelRatio });
    // Drawn aside, then put in place at once: the page never shows half drawn.
    const canvas = document.createElement('canvas');
    canvas.width = Math.round(vp.width);
    canvas.height = Math.round(vp.height);
    await page.render({ canvas, canvasContext: canvas.getContext('2d'), viewport: vp }).promise;
    sheet.el.querySelector('canvas').replaceWith(canvas);
    sheet.el.dataset.build = String(sequence);
    sheet.el.dataset.renders = String(Number(sheet.el.dataset.renders) + 1);
    const small = sheet.thumb.querySelector('canvas');
    small.width = 90;
    small.height = Math.round((90 * canvas.height) / canvas.width);
    small.getContext('2d').drawImage(canvas, 0, 0, small.width, small.height);
  }
}

/** Draws a good build: fetches its PDF, re-draws the sheets whose pages changed (`all`: every sheet). */
async function drawBuild(event, changed, all) {
  const edition = event.editions[settings.edition];
  if (!edition) {
    $('status').textContent = `build ${event.sequence} has no ${settings.edition} edition`;
    return;
  }
  pdf?.destroy();
  pdf = await fetchPdf(edition.url);
  const keep = currentSheet();
  const redraw = matchSheets(event, changed, all);
  arrange();
  await size();
  // Sizes change with the edition and the zoom: the sheet that was at the top of the window stays there.
  if (all && keep && sheets.includes(keep)) keep.el.scrollIntoView({ block: 'start' });
  await draw(redraw, event.sequence);
  markCurrent();
  document.body.dataset.build = String(event.sequence);
}

/**
 * Takes events in order; those that arrive while a build is being drawn are taken together: the last good
 * one is drawn, with the pages all of them changed, and the last one says whether there is an error to show.
 */
async function receive(event) {
  queue.push(event);
  if (drawing) return;
  drawing = true;
  try {
    while (queue.length) {
      const batch = queue;
      queue = [];
      const last = batch[batch.length - 1];
      const good = batch.filter((e) => e.ok);
      if (good.length) shown = good[good.length - 1];
      setStatus(last);
      showErrors(last);
      if (last.ok) delete document.body.dataset.failed;
      else document.body.dataset.failed = String(last.sequence);
      if (!good.length) continue;
      showWarnings(shown);
      const all = good.some((e) => e.all) || !pdf;
      await drawBuild(shown, new Set(good.flatMap((e) => e.changed)), all);
    }
  } catch (err) {
    $('status').textContent = `preview: ${err.message}`;
  } finally {
    drawing = false;
  }
}

/** Every sheet drawn again (a new edition or zoom), from the last good build. */
function redrawAll() {
  if (shown) receive({ ...shown, changed: [], all: true });
}

function setUp() {
  const zoom = $('zoom');
  zoom.replaceChildren(...ZOOMS.map((z) => new Option(`${Math.round(z * 100)} %`, String(z))));
  zoom.value = String(settings.zoom);
  $('edition').value = settings.edition;
  $('view').value = settings.view;
  const setZoom = (z) => {
    settings.zoom = z;
    zoom.value = String(z);
    localStorage.setItem('bulletin.zoom', String(z));
    redrawAll();
  };
  zoom.addEventListener('change', () => setZoom(Number(zoom.value)));
  $('zoom-in').addEventListener('click', () => setZoom(ZOOMS[Math.min(ZOOMS.length - 1, ZOOMS.indexOf(settings.zoom) + 1)]));
  $('zoom-out').addEventListener('click', () => setZoom(ZOOMS[Math.max(0, ZOOMS.indexOf(settings.zoom) - 1)]));
  $('edition').addEventListener('change', (e) => {
    settings.edition = e.target.value;
    localStorage.setItem('bulletin.edition', settings.edition);
    redrawAll();
  });
  $('view').addEventListener('change', (e) => {
    settings.view = e.target.value;
    localStorage.setItem('bulletin.view', settings.view);
    const keep = currentSheet();
    arrange();
    keep?.el.scrollIntoView({ block: 'start' });
  });
  $('warnings-toggle').addEventListener('click', () => ($('warnings').hidden = !$('warnings').hidden));
  // The thumbnail of the sheet at the top of the window is marked as the reader scrolls.
  let marking = false;
  window.addEventListener('scroll', () => {
    if (marking) return;
    marking = true;
    requestAnimationFrame(() => {
      marking = false;
      markCurrent();
    });
  });
  const events = new EventSource('/events');
  events.onmessage = (m) => receive(JSON.parse(m.data));
}

setUp();
