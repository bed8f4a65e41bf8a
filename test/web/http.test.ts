// The web server over HTTP: list page, item page sections, IOC display, escaping, CSP and the JSON API.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { ingest } from '../../src/pipeline.js';
import { openSqliteStore, type Store } from '../../src/store/index.js';
import { createApp } from '../../src/web/app.js';
import { type Server, startServer } from '../../src/web/serve.js';
import { EXAMPLES, exampleFiles, testContext } from '../helpers.js';

let store: Store;
let server: Server;
const ids: Record<string, string> = {};

before(async () => {
  store = await openSqliteStore(':memory:');
  for (const f of exampleFiles()) {
    const file = path.join(EXAMPLES, f);
    ids[f] = (await ingest(store, { bytes: fs.readFileSync(file), origin: file, example: true }, testContext())).item.id;
  }
  const hostile = 'Title: <script>alert("t")</script> Acme "breach"\nSource: <img src=x onerror=alert(1)>\n\nAttackers exfiltrated data from Acme Health Partners via hxxp://evil[.]com/<script>. Ransomware <b>encrypted</b> servers.';
  ids.hostile = (await ingest(store, { bytes: Buffer.from(hostile), origin: 'h.txt' }, testContext())).item.id;
  server = await startServer(createApp({ store, auth: { anonymousRead: true } }), 0);
});
after(async () => {
  await server.close();
  await store.close();
});

const get = (p: string) => fetch(`${server.url}${p}`);

test('the list page sorts by priority and shows severity, triage, archetype, organisation and date', async () => {
  const res = await get('/');
  assert.equal(res.status, 200);
  assert.match(res.headers.get('content-security-policy') ?? '', /default-src 'none'/);
  assert.match(res.headers.get('content-security-policy') ?? '', /style-src 'self'/);
  const html = await res.text();
  const priorities = [...html.matchAll(/<td class="num">([\d.]+)<\/td>/g)].map((m) => Number(m[1]));
  assert.equal(priorities.length, exampleFiles().length + 1);
  assert.deepEqual(priorities, [...priorities].sort((a, b) => b - a));
  assert.match(html, /Ironvale patches SecureEdge VPN zero-day/);
  assert.match(html, /class="badge sev-CRITICAL">CRITICAL/);
  assert.match(html, /IMMEDIATE/);
  assert.match(html, /Ironvale Networks/);
  assert.match(html, /2026-07-14/);
  assert.match(html, /class="example"/);
});

test('an item page holds every ITEM.md section, in order, with content', async () => {
  const res = await get(`/items/${ids['01-saas-vendor-breach.txt']}`);
  assert.equal(res.status, 200);
  const html = await res.text();
  const order = ['id="header"', 'id="summary"', 'id="analysis"', 'id="checklist"', 'id="recovery"', 'id="artifacts"', 'id="detection"', 'id="iocs"', 'id="mappings"', 'id="attack"', 'id="disclaimer"'];
  const at = order.map((o) => html.indexOf(o));
  assert.ok(at.every((i) => i > 0), `missing section: ${order[at.indexOf(-1)]}`);
  assert.deepEqual(at, [...at].sort((a, b) => a - b));
  assert.match(html, /Cadence Scheduling Cloud/);
  assert.match(html, /<strong class="num">0\.\d{3}<\/strong>/);
  assert.match(html, /estimated/);
  for (const phase of ['Containment', 'Detection &amp; Analysis', 'Eradication', 'Recovery', 'Post-Incident']) assert.match(html, new RegExp(`\\d\\. ${phase}:`));
  assert.match(html, /Compensating control/);
  assert.match(html, /Preserve evidence/);
  assert.match(html, /45 CFR 164\.4/);
  assert.match(html, /no group has claimed it/);
  assert.match(html, /NIST SP 800-53 Rev\. 5/);
  assert.match(html, /no substitute/i);
});

test('the IOC table shows values defanged, with confidence, and benign references marked', async () => {
  const html = await (await get(`/items/${ids['03-vpn-zero-day-exploited.txt']}`)).text();
  const iocs = html.slice(html.indexOf('id="iocs"'), html.indexOf('id="mappings"'));
  assert.match(iocs, /hxxps?:\/\/[a-z0-9-]+\[\.\]/, 'URLs defanged');
  assert.match(iocs, /198\[\.\]51\[\.\]100\[\.\]23/);
  assert.match(iocs, /never exported as malicious: documentation range/);
  assert.match(iocs, /<td>high<details class="evidence">/, 'the confidence, its rule one click away');
  assert.doesNotMatch(iocs, /https?:\/\/[a-z0-9.-]+\.[a-z]{2,}\//i, 'no live link-like value in the table');
});

test('hostile text is escaped everywhere, nothing executes', async () => {
  const html = await (await get(`/items/${ids.hostile}`)).text();
  assert.doesNotMatch(html, /<script>alert/);
  assert.doesNotMatch(html, /<img src=x/);
  assert.doesNotMatch(html, /<b>encrypted/);
  assert.match(html, /&lt;script&gt;alert/);
  const list = await (await get('/')).text();
  assert.doesNotMatch(list, /<script>alert/);
});

test('the JSON API serves the list and the item', async () => {
  const list = await (await get('/api/items?limit=3')).json();
  assert.equal(list.total, exampleFiles().length + 1);
  assert.equal(list.items.length, 3);
  assert.ok(list.items[0].priority >= list.items[1].priority);
  const id = ids['03-vpn-zero-day-exploited.txt'];
  const item = await (await get(`/api/items/${id}`)).json();
  assert.equal(item.schema, 'vigil.item/1');
  assert.equal(item.id, id);
  assert.equal(item.cvss.kind, 'computed');
  assert.equal(item.cvss.baseScore, 9.8);
  const missing = await get('/api/items/itm_nope');
  assert.equal(missing.status, 404);
  assert.equal((await missing.json()).error.code, 'not-found');
});
