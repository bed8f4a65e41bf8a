// The pictures: the ATT&CK heatmap, items per day by severity and the source health panel, as SVG with text alternatives,
// filtered by time and sector, with no inline script or style.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { ingest } from '../../src/pipeline.js';
import { openSqliteStore, type Store } from '../../src/store/index.js';
import { createApp } from '../../src/web/app.js';
import { EXAMPLES, exampleFiles, testContext } from '../helpers.js';

let store: Store;
let app: ReturnType<typeof createApp>;

before(async () => {
  store = await openSqliteStore(':memory:');
  for (const f of exampleFiles()) {
    const file = path.join(EXAMPLES, f);
    await ingest(store, { bytes: fs.readFileSync(file), origin: file, example: true }, testContext());
  }
  await store.saveSource({ name: 'wire', kind: 'feed', location: 'https://wire.example/feed', title: 'The Wire', intervalMinutes: 60, enabled: true, fetchArticles: false }, '2026-12-01T00:00:00Z');
  await store.saveSource({ name: 'broken', kind: 'feed', location: 'https://broken.example/feed', title: null, intervalMinutes: 60, enabled: true, fetchArticles: false }, '2026-12-01T00:00:00Z');
  const health = (await store.getSource('wire'))!.health;
  await store.saveSourceHealth('wire', { ...health, lastSuccessAt: new Date(Date.now() - 3 * 3_600_000).toISOString(), entriesSeen: 40 });
  await store.saveSourceHealth('broken', { ...health, lastErrorCode: 'timeout-body', lastError: 'body timed out', failures: 3 });
  app = createApp({ store, auth: { anonymousRead: true } });
});
after(async () => store.close());

const page = async (p: string, status = 200) => {
  const res = await app.request(p);
  assert.equal(res.status, status, p);
  const html = await res.text();
  assert.doesNotMatch(html, /<script(?![^>]*\bsrc="\/static\/)|style=/, 'no inline script or style');
  return html;
};

test('the heatmap puts techniques under their tactics, in matrix order, shaded by count, with a table and links to the list', async () => {
  const html = await page('/attack');
  // A group of links, not an image: role="img" would hide the cells (links) from assistive technology (axe: nested-interactive).
  assert.match(html, /<svg class="heatmap"[^>]*role="group" aria-labelledby="heat-title heat-desc"/);
  assert.match(html, /<title id="heat-title">ATT&amp;CK techniques by tactic<\/title>/);
  const tactics = [...html.matchAll(/<text class="axis-label"[^>]*>([^<]+)<\/text>/g)].map((m) => m[1]);
  assert.ok(tactics.length >= 3);
  assert.ok(tactics.indexOf('Initial Access') >= 0 && tactics.indexOf('Initial Access') < tactics.indexOf('Impact'));
  assert.match(html, /<a href="\/\?technique=T1486"><title>T1486 [^<]+: 1 item<\/title><rect class="heat heat-\d"/);
  assert.match(html, /<table class="chart-table">.*<td>Impact<\/td><td><a href="\/\?technique=T1486">T1486<\/a><\/td>/s);
  const manufacturing = await page('/attack?sector=manufacturing');
  assert.match(manufacturing, /T1486/);
  assert.doesNotMatch(manufacturing, /T1190/, 'the VPN item is not in manufacturing');
  assert.match(manufacturing, /<a href="\/\?sector=manufacturing&amp;technique=T1486">/);
  const all = await page('/attack?basis=all');
  assert.ok((all.match(/<rect class="heat /g) ?? []).length >= (html.match(/<rect class="heat /g) ?? []).length);
  const none = await page('/attack?from=2020-01-01&to=2020-01-31');
  assert.match(none, /No item in this selection maps to an ATT&amp;CK technique/);
  assert.match(await page('/attack?basis=guess', 400), /basis must be observed or all/);
});

test('items per day: stacked bars by severity over the range, a table of the same counts, dark-mode classes', async () => {
  const html = await page('/dashboard?from=2026-07-01&to=2026-08-31');
  assert.match(html, /<svg class="daily"[^>]*aria-labelledby="daily-title daily-desc"/);
  assert.match(html, /2 items from 2026-07-01 to 2026-08-31; the busiest day has 1/);
  assert.match(html, /<title>2026-07-14: 1 critical<\/title><rect class="sev-fill-CRITICAL"/);
  assert.match(html, /<title>2026-08-12: 1 high<\/title><rect class="sev-fill-HIGH"/);
  assert.match(html, /<td class="date">2026-07-14<\/td><td class="num">1<\/td>/);
  assert.equal((html.match(/<tr><td class="date">/g) ?? []).length, 2, 'the table lists the days with items');
  const healthcare = await page('/dashboard?from=2026-01-01&to=2026-12-31&sector=healthcare');
  assert.match(healthcare, /1 item from 2026-01-01 to 2026-12-31/);
  assert.match(await page('/dashboard?from=2026-13-01', 400), /from must be a date YYYY-MM-DD/);
  const css = await (await app.request('/static/vigil.css')).text();
  assert.match(css, /\.sev-fill-CRITICAL \{ fill:var\(--critical\); \}/);
  assert.match(css, /prefers-color-scheme: dark/);
});

test('the source health panel: each source with its state, entries and last success, in SVG and a table', async () => {
  const html = await page('/dashboard');
  assert.match(html, /<svg class="health"/);
  assert.match(html, /1 ok, 1 failing\. Each bar/);
  assert.match(html, /<title>The Wire: ok; last success 3 h ago<\/title><circle class="health-ok"/);
  assert.match(html, /<title>broken: failing \(timeout-body, 3 in a row\); last success never<\/title><circle class="health-failing"/);
  assert.match(html, /<td>broken<\/td><td>failing<\/td><td class="num">0<\/td><td class="date">never<\/td><td>timeout-body<\/td><td class="num">3<\/td>/);
  assert.match(html, /<nav aria-label="Main"><a href="\/">Items<\/a> <a href="\/dashboard">Dashboard<\/a> <a href="\/attack">ATT&amp;CK<\/a>/);
});
