// The XSS corpus planted through ingestion (feed titles and bodies, links, IOC values, source titles) executes nothing in a real browser.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { Fetcher } from '../../src/fetch/index.js';
import { NO_PROGRESS } from '../../src/sources/progress.js';
import { runSources } from '../../src/sources/scheduler.js';
import { openSqliteStore, type Store } from '../../src/store/index.js';
import { createApp } from '../../src/web/app.js';
import { signIn, testContext } from '../helpers.js';
import { type BrowserContext, type BrowserRig, injectedMarkup, screenshot, serveToBrowser, signedInContext, watch } from './browser.js';

const PAYLOADS = fs.readFileSync(path.join(import.meta.dirname, 'xss-payloads.txt'), 'utf8').split('\n').filter((l) => l.trim() && !l.startsWith('#'));
const xml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const tag = (i: number) => `xss${String(i).padStart(3, '0')}`;

/** An RSS feed whose entries carry one payload each in the title, the HTML body (as markup and as text), an IOC and the link's query. */
function rss(base: string): string {
  const items = PAYLOADS.map((p, i) => `<item><title>${xml(`${tag(i)} ${p}`)}</title>
<link>${xml(`https://news.example/${tag(i)}?q=${encodeURIComponent(p)}&r="${p.slice(0, 20)}`)}</link><guid>${tag(i)}</guid>
<pubDate>Tue, 01 Dec 2026 10:00:00 GMT</pubDate>
<description><![CDATA[<p>Report ${tag(i)} about ${p.replace(/]]>/g, '')} in a breach.</p><p>${xml(p)} Indicators: hxxp://bad-${i}[.]example[.]com/${p.replace(/]]>/g, '').replace(/\s/g, '')} and C2 198.51.100.${i % 250}.</p>]]></description></item>`).join('\n');
  return `<?xml version="1.0"?><rss version="2.0"><channel><title>${xml(PAYLOADS[0])}</title><link>${base}/</link>${items}</channel></rss>`;
}

/** A JSON Feed carrying the payloads in content_html, summary, tags and authors. */
function jsonFeed(): string {
  return JSON.stringify({
    version: 'https://jsonfeed.org/version/1.1', title: PAYLOADS[1],
    items: PAYLOADS.slice(0, 40).map((p, i) => ({
      id: `j${tag(i)}`, url: `https://json.example/${tag(i)}`, title: `j${tag(i)} ransomware ${p}`, date_published: '2026-12-02T08:00:00Z',
      content_html: `<h2>${p}</h2><p>Ransomware gang claims j${tag(i)}. ${p}</p><a href="javascript:alert(${i})">${p}</a>`, tags: [p], authors: [{ name: p }],
    })),
  });
}

let feeds: http.Server;
let base: string;
let store: Store;
let rig: BrowserRig;

before(async () => {
  feeds = http.createServer((req, res) => {
    if (req.url === '/xss.rss') return res.writeHead(200, { 'content-type': 'application/rss+xml' }).end(rss(base));
    if (req.url === '/xss.json') return res.writeHead(200, { 'content-type': 'application/feed+json' }).end(jsonFeed());
    res.writeHead(404).end();
  });
  await new Promise<void>((r) => feeds.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(feeds.address() as AddressInfo).port}`;
  store = await openSqliteStore(':memory:');
  const at = '2026-12-03T00:00:00Z';
  await store.saveSource({ name: 'xss-rss', kind: 'feed', location: `${base}/xss.rss`, title: '<img src=x onerror=alert("source")>', intervalMinutes: 60, enabled: true, fetchArticles: false }, at);
  await store.saveSource({ name: 'xss-json', kind: 'feed', location: `${base}/xss.json`, title: '"><svg onload=alert("source2")>', intervalMinutes: 60, enabled: true, fetchArticles: false }, at);
  const fetcher = new Fetcher({ userAgent: 'Vigil-test', allowPrivateNetworks: false, allowHosts: ['127.0.0.1'], retries: 0, perHostDelayMs: 0 });
  const sources = await Promise.all(['xss-rss', 'xss-json'].map(async (n) => (await store.getSource(n))!));
  const reports = await runSources(sources, {
    store, fetcher, pipeline: testContext(), progress: NO_PROGRESS, maxBytes: 64 * 1024 * 1024, nvdApiKey: null, nvdBackfillDays: 30, sleep: async () => {},
  });
  for (const r of reports) assert.equal(r.status, 'ok', `${r.source}: ${r.error?.message}`);
  rig = await serveToBrowser({ store });
});

after(async () => {
  await rig?.close();
  await store?.close();
  await new Promise((r) => feeds.close(r));
});

/** Every HTML page a reader reaches: the GET routes without parameters (from the router, so new pages are covered), each list page and each item. */
async function pages(): Promise<string[]> {
  const app = createApp({ store });
  const fixed = [...new Set(app.routes.filter((r) => r.method === 'GET' && !r.path.includes(':') && !r.path.includes('*')).map((r) => r.path))]
    .filter((p) => !/^\/(api|feeds|taxii2|static)\b/.test(p) && !/\.(json|xml|rss|atom|txt|csv|ico)$/.test(p));
  const ids = await store.itemIds();
  const listPages = Array.from({ length: Math.ceil(ids.length / 50) }, (_, i) => `/?page=${i + 1}`);
  return [...fixed, ...listPages, ...ids.map((id) => `/items/${encodeURIComponent(id)}`)];
}

/** A signed-in admin's context, who may open every page (the accounts page too); with `bypassCSP`, only escaping stands between a payload and the page. */
async function adminContext(bypassCSP: boolean): Promise<BrowserContext> {
  return signedInContext(rig, (await signIn(store, 'admin')).cookie, { bypassCSP });
}

/** Visits every page in one tab, watching it; with `interact`, tabs through each page and moves the mouse over it. */
async function visitAll(context: BrowserContext, urls: readonly string[], interact: boolean) {
  const page = await context.newPage();
  const seen = watch(page);
  // A planted tag that ran would fetch its marked resource: a stylesheet, an image, a frame.
  const loads: string[] = [];
  page.on('request', (r) => { if (/xss-console|bad-\d+/.test(r.url())) loads.push(`${page.url()}: ${r.url()}`); });
  const injected: string[] = [];
  let text = '';
  for (const url of urls) {
    const response = await page.goto(`${rig.server.url}${url}`, { waitUntil: 'load' });
    assert.ok(response, url);
    assert.ok(response.status() < 500, `${url}: HTTP ${response.status()}`);
    assert.match(response.headers()['content-security-policy'] ?? '', /default-src 'none'/, `${url} carries the CSP`);
    if (interact) {
      // Focus and hover handlers would only fire on interaction: tab through the page and move the mouse over it.
      for (let i = 0; i < 5; i++) await page.keyboard.press('Tab');
      await page.mouse.move(200, 200);
    }
    injected.push(...(await injectedMarkup(page)).map((m) => `${url}: ${m}`));
    text += await page.evaluate(() => document.body.innerText);
  }
  return { page, seen, loads, injected, text };
}

test(`${PAYLOADS.length} payloads planted through two feeds and two source titles run nowhere, even with the CSP bypassed`, async () => {
  assert.ok(PAYLOADS.length >= 100, 'the corpus holds at least 100 payloads');
  assert.ok(PAYLOADS.filter((p) => p.includes('xss-console')).length >= 10, 'payloads that would write to the console or load a marked resource');
  // With the CSP bypassed, only escaping stands between a payload and the page: the header is checked separately below.
  const context = await adminContext(true);
  const visited = await pages();
  assert.ok(visited.length > PAYLOADS.length / 2, `items were made from the planted entries (${visited.length} pages)`);
  const { page, seen, loads, injected, text } = await visitAll(context, visited, true);
  await screenshot(page, 'xss-list');
  await context.close();
  assert.deepEqual(seen.dialogs, [], 'no payload opened a dialog');
  assert.deepEqual(injected, [], 'no payload put live markup in the page');
  assert.deepEqual(seen.errors, [], 'no script error');
  // Our own pages write nothing to the console: any message at all (a payload's console.log, a failed load) is a finding.
  assert.deepEqual(seen.console, [], 'no console message');
  assert.deepEqual(loads, [], 'no planted tag loaded a resource');
  // The payloads reached the pages as text: planted, shown, inert.
  const shown = PAYLOADS.filter((_, i) => text.includes(tag(i)));
  assert.ok(shown.length >= PAYLOADS.length * 0.9, `${shown.length} of ${PAYLOADS.length} planted entries are shown`);
  assert.ok(text.includes('<script>alert(1)</script>'), 'a script tag in a title is shown as text');
  assert.ok(text.includes('<img src=x onerror=alert(12)>'), 'an event handler payload is shown as text');
  assert.ok(text.includes("<script>console.log('xss-console-116')</script>"), 'a console payload is shown as text');
});

test('under the CSP the same pages report no violation: nothing planted even tries to run', async () => {
  // A payload that reached the markup would be blocked here, and Chromium reports each block on the console as "Refused to ...".
  const context = await adminContext(false);
  const { seen, loads, injected } = await visitAll(context, await pages(), false);
  await context.close();
  assert.deepEqual(seen.console, [], 'no CSP violation or other console message');
  assert.deepEqual([...seen.dialogs, ...seen.errors, ...loads, ...injected], []);
});
