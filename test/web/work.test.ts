// The team's work over HTTP: steps ticked, assigned and annotated (kept across reloads and re-enrichment), the evidence
// register and its CSV, technique and IOC verdicts, the false-positive list feeding enrichment, the audit log, and refusals.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { Hono } from 'hono';
import { ingest, reenrich } from '../../src/pipeline.js';
import { openSqliteStore, type Store } from '../../src/store/index.js';
import { createApp } from '../../src/web/app.js';
import type { AppEnv, Role } from '../../src/web/context.js';
import { EXAMPLES, signIn, testContext } from '../helpers.js';

let store: Store;
let app: Hono<AppEnv>;
let vpn: string;
let saas: string;
const STEP = 'containment:contain-edge-restrict-exposure';
const HASH = 'af8c6e1469ee51f4b4161d6387f301d55194e6c820707ffabf121b3f5de43e23';

before(async () => {
  store = await openSqliteStore(':memory:');
  const read = (f: string) => ({ bytes: fs.readFileSync(path.join(EXAMPLES, f)), origin: f, example: true });
  vpn = (await ingest(store, read('03-vpn-zero-day-exploited.txt'), testContext())).item.id;
  saas = (await ingest(store, read('01-saas-vendor-breach.txt'), testContext())).item.id;
  app = createApp({ store });
});
after(async () => store.close());

// Signed in for real: a session per user, whose cookie and CSRF token a same-site browser would send.
const sessions = new Map<string, Awaited<ReturnType<typeof signIn>>>();
async function session(user: string, role: Role = 'analyst') {
  const key = `${user}/${role}`;
  if (!sessions.has(key)) sessions.set(key, await signIn(store, role, user));
  return sessions.get(key)!;
}
const as = async (user: string | null, role?: Role): Promise<Record<string, string>> => (user ? (await session(user, role)).headers : {});
/** The CSRF token the page of `user` carries. */
const csrf = async (user = 'ann') => (await session(user)).csrfToken;
const page = async (id: string, user: string | null = 'ann', role?: Role) => (await app.request(`/items/${id}`, { headers: await as(user, role) })).text();
const form = async (p: string, fields: Record<string, string | string[]>, user: string | null = 'ann', role?: Role) => {
  const body = new URLSearchParams();
  for (const [k, v] of Object.entries(fields)) for (const x of [v].flat()) body.append(k, x);
  return app.request(p, { method: 'POST', body, headers: { ...(await as(user, role)), 'content-type': 'application/x-www-form-urlencoded' } });
};
const api = async (p: string, body: unknown, user: string | null = 'ann', role?: Role, method = 'POST') =>
  app.request(p, { method, body: JSON.stringify(body), headers: { ...(await as(user, role)), 'content-type': 'application/json' } });
const section = (html: string, from: string, to: string) => html.slice(html.indexOf(from), html.indexOf(to));
const stepHtml = (html: string) => section(html, 'id="step-containment-contain-edge-restrict-exposure"', 'id="step-detection-analysis');

test('an analyst sees the step forms with the CSRF token; a reader sees the state only', async () => {
  const html = await page(vpn);
  assert.match(stepHtml(html), /<form method="post" action="\/items\/itm_[0-9a-f]+\/steps\/containment%3Acontain-edge-restrict-exposure"/);
  assert.ok(stepHtml(html).includes(`name="_csrf" value="${await csrf()}"`));
  assert.match(stepHtml(html), /Not done yet\. Unassigned\./);
  const reader = await page(vpn, 'rita', 'viewer');
  assert.doesNotMatch(stepHtml(reader), /<form/);
  assert.match(stepHtml(reader), /Not done yet\. Unassigned\./);
  assert.match(reader, /<script src="\/static\/vigil\.js" defer/);
});

test('a ticked, assigned and annotated step keeps its state across a reload and a re-enrichment, and every change is audited', async () => {
  const res = await form(`/items/${vpn}/steps/${encodeURIComponent(STEP)}`, { _csrf: await csrf(), done: ['0', '1'], assignee: 'bob', note: 'Edge ACL applied on both appliances' });
  assert.equal(res.status, 303);
  assert.equal(res.headers.get('location'), `/items/${vpn}#step-containment-contain-edge-restrict-exposure`);
  const shown = stepHtml(await page(vpn));
  assert.match(shown, /Done by ann at \d{4}-\d\d-\d\d \d\d:\d\d UTC\. Assigned to bob\./);
  assert.match(shown, /<input type="checkbox" name="done" value="1" checked=""/);
  assert.match(shown, />Edge ACL applied on both appliances<\/textarea>/);

  // Re-enrichment on another day rebuilds the item; the state is keyed by the step's stable key, so it stays.
  const later = testContext({ now: () => new Date('2026-12-03T08:00:00Z'), asOf: '2026-12-03' });
  assert.equal((await reenrich(store, later)).updated, 2);
  assert.equal((await store.getItem(vpn))?.asOf, '2026-12-03');
  assert.match(stepHtml(await page(vpn, 'rita', 'viewer')), /Done by ann at .* Assigned to bob\./);
  assert.match(stepHtml(await page(vpn, 'rita', 'viewer')), /<strong>Note:<\/strong> Edge ACL applied on both appliances/);

  // The JSON API unticks it and says where it stands in the words the page uses.
  const json = await (await api(`/api/items/${vpn}/steps/${encodeURIComponent(STEP)}`, { done: false }, 'bob')).json();
  assert.equal(json.state.done, false);
  assert.equal(json.state.assignee, 'bob');
  assert.match(json.status, /^Not done yet\. Assigned to bob\. Last change by bob at /);
  const work = await (await app.request(`/api/items/${vpn}/work`, { headers: await as('ann') })).json();
  assert.deepEqual(work.steps.map((s: { stepKey: string; done: boolean }) => [s.stepKey, s.done]), [[STEP, false]]);

  const log = (await (await app.request(`/api/audit?item=${vpn}`, { headers: await as('ann') })).json()).entries;
  assert.deepEqual(log.map((e: { actor: string; action: string }) => `${e.actor} ${e.action}`), ['bob step.undone', 'ann step.note', 'ann step.assign', 'ann step.done']);
  assert.deepEqual(log[2].before, { assignee: null });
  assert.deepEqual(log[2].after, { assignee: 'bob' });
  assert.equal(log[0].target, STEP);
  const audit = await (await app.request(`/audit?item=${vpn}`, { headers: await as('ann') })).text();
  assert.match(audit, /<code>step\.undone<\/code>/);
  assert.match(audit, /assignee: —<\/td><td>assignee: bob/);
});

test('analyst notes and assignees are escaped; bad step input is refused with a clear message', async () => {
  const hostile = '<script>alert("note")</script><img src=x onerror=alert(1)>';
  assert.equal((await form(`/items/${saas}/steps/${encodeURIComponent((await store.getItem(saas))!.checklist[0].key)}`, { note: hostile })).status, 303);
  const html = await page(saas, 'rita', 'viewer');
  assert.doesNotMatch(html, /<script>alert\("note"\)/);
  assert.doesNotMatch(html, /<img src=x/);
  assert.match(html, /&lt;script&gt;alert\(&quot;note&quot;\)&lt;\/script&gt;&lt;img src=x onerror=alert\(1\)&gt;/);
  const audit = await (await app.request('/audit', { headers: await as('ann') })).text();
  assert.doesNotMatch(audit, /<script>alert\("note"\)/);
  const bad = await api(`/api/items/${vpn}/steps/${encodeURIComponent(STEP)}`, { assignee: 'bob"><script>' });
  assert.equal(bad.status, 400);
  assert.match((await bad.json()).error.message, /assignee .* is not a user name/);
  const missing = await api(`/api/items/${vpn}/steps/containment%3Anope`, { done: true });
  assert.equal(missing.status, 404);
  assert.match((await missing.json()).error.message, /no checklist step containment:nope/);
  const empty = await api(`/api/items/${vpn}/steps/${encodeURIComponent(STEP)}`, {});
  assert.equal((await empty.json()).error.message, 'nothing to change: give done, assignee or note');
});

test('changes need a signed-in analyst: 401 without a user, 403 for a viewer', async () => {
  const anon = await api(`/api/items/${vpn}/steps/${encodeURIComponent(STEP)}`, { done: true }, null);
  assert.equal(anon.status, 401);
  assert.equal((await anon.json()).error.code, 'unauthenticated');
  const viewer = await api(`/api/items/${vpn}/steps/${encodeURIComponent(STEP)}`, { done: true }, 'vic', 'viewer');
  assert.equal(viewer.status, 403);
  assert.match((await viewer.json()).error.message, /needs the analyst role; you are viewer/);
  const html = await form(`/items/${vpn}/evidence`, { fileName: 'a', sha256: HASH, storedAt: 'x' }, null);
  assert.equal(html.status, 401);
  assert.equal((await html.json()).error.code, 'unauthenticated');
});

test('the evidence register refuses a bad sha256 with a clear message, lists rows with who and when, and exports CSV', async () => {
  const bad = await form(`/items/${vpn}/evidence`, { fileName: 'vpn-logs.tar', sha256: HASH.slice(0, 63), storedAt: 'case share' });
  assert.equal(bad.status, 400);
  const badHtml = await bad.text();
  assert.match(badHtml, /sha256 must be 64 hexadecimal digits \(0-9, a-f\); it has 63/);
  assert.match(badHtml, new RegExp(`<a href="/items/${vpn}">Back to the item`));
  const notHex = await api(`/api/items/${vpn}/evidence`, { fileName: 'x', sha256: `${HASH.slice(0, 63)}g`, storedAt: 'y' });
  assert.equal(notHex.status, 400);
  assert.match((await notHex.json()).error.message, /holds characters other than 0-9 and a-f/);
  assert.equal((await store.listEvidence(vpn)).length, 0, 'nothing written for a refused row');

  const ok = await form(`/items/${vpn}/evidence`, { fileName: 'vpn-logs.tar', sha256: HASH.toUpperCase(), storedAt: 'WORM share \\\\ir\\2026-12', note: '' });
  assert.equal(ok.status, 303);
  assert.equal(ok.headers.get('location'), `/items/${vpn}#evidence-register`);
  const made = await api(`/api/items/${vpn}/evidence`, { fileName: '=HYPERLINK("http://x")', sha256: HASH, storedAt: 'S3 object lock', note: 'memory image' }, 'bob');
  assert.equal(made.status, 201);
  assert.equal((await made.json()).entry.addedBy, 'bob');
  const register = section(await page(vpn), 'id="evidence-register"', 'id="recovery"');
  assert.match(register, /<td>vpn-logs\.tar<\/td><td class="hash"><span class="copyable"><code class="copy-value">af8c6e14/);
  assert.match(register, /<td>ann<\/td><td class="date">\d{4}-\d\d-\d\d \d\d:\d\d UTC<\/td>/);
  assert.match(register, /memory image/);
  const csv = await app.request(`/items/${vpn}/evidence.csv`, { headers: await as('ann') });
  assert.match(csv.headers.get('content-type') ?? '', /text\/csv/);
  const lines = (await csv.text()).trim().split('\r\n');
  assert.equal(lines[0], '"item_id","file_name","sha256","stored_at","note","added_by","added_at"');
  assert.match(lines[1], new RegExp(`^"${vpn}","vpn-logs\\.tar","${HASH}","WORM share \\\\\\\\ir\\\\2026-12","","ann","\\d{4}-`));
  assert.match(lines[2], /^"itm_[0-9a-f]+","'=HYPERLINK\(""http:\/\/x""\)"/, 'a formula cell is neutralised');
  const log = (await (await app.request(`/api/audit?item=${vpn}&limit=1`, { headers: await as('ann') })).json()).entries;
  assert.equal(log[0].action, 'evidence.add');
});

test('a rejected technique moves to "rejected by analyst" with its reason; a confirmed one is marked', async () => {
  assert.equal((await form(`/items/${vpn}/techniques/T1136/verdict`, { verdict: 'rejected', reason: 'no new accounts in the appliance audit' })).status, 303);
  const confirmed = await api(`/api/items/${vpn}/techniques/T1190/verdict`, { verdict: 'confirmed' }, 'bob');
  assert.equal((await confirmed.json()).verdict.verdict, 'confirmed');
  const attack = section(await page(vpn, 'rita', 'viewer'), 'id="attack"', 'id="disclaimer"');
  const [kept, rejected] = attack.split('Rejected by analyst');
  assert.ok(rejected, 'a rejected part is shown');
  assert.doesNotMatch(kept, /T1136/);
  assert.match(rejected, /T1136/);
  assert.match(rejected, /Rejected by ann, [^<]*: no new accounts in the appliance audit/);
  assert.match(kept, /T1190[\s\S]*Confirmed by bob/);
  const bad = await api(`/api/items/${vpn}/techniques/T1190/verdict`, { verdict: 'false-positive', reason: 'x' });
  assert.equal((await bad.json()).error.message, 'only an IOC can be a false positive');
  const none = await api(`/api/items/${vpn}/techniques/T9999/verdict`, { verdict: 'confirmed' });
  assert.equal(none.status, 404);
  assert.equal((await api(`/api/items/${vpn}/techniques/T1190/verdict`, { verdict: 'maybe' })).status, 400);
});

test('an IOC rejected as a false positive is listed, and marked benign with its reason on an item ingested afterwards', async () => {
  const noReason = await form(`/items/${vpn}/iocs/verdict`, { type: 'url', display: 'hxxps://cdn-edge-metrics[.]net/upd/sync', verdict: 'false-positive', reason: '' });
  assert.equal(noReason.status, 400);
  assert.match(await noReason.text(), /a false positive needs a reason/);
  const res = await form(`/items/${vpn}/iocs/verdict`, { type: 'url', display: 'hxxps://cdn-edge-metrics[.]net/upd/sync', verdict: 'false-positive', reason: 'our own telemetry CDN' });
  assert.equal(res.status, 303);
  const iocs = section(await page(vpn, 'rita', 'viewer'), 'id="iocs"', 'id="mappings"');
  const [, rejected] = iocs.split('Rejected by analyst');
  assert.match(rejected, /hxxps:\/\/cdn-edge-metrics\[\.\]net\/upd\/sync/);
  assert.match(rejected, /Rejected as a false positive by ann, [^<]*: our own telemetry CDN/);
  assert.doesNotMatch(iocs, /https:\/\/cdn-edge-metrics\.net/, 'the live value never sits in the page');

  const list = await (await app.request('/false-positives', { headers: await as('ann') })).text();
  assert.match(list, /<td>url<\/td><td><span class="copyable" data-type="url"><code class="copy-value">hxxps:\/\/cdn-edge-metrics\[\.\]net\/upd\/sync/);
  assert.match(list, /our own telemetry CDN/);

  const text = 'Title: Telemetry beacons in a second intrusion\nSource: Example Wire\nPublished: 2026-11-30\n\n'
    + 'Responders at Larchmont Freight said the malware beaconed to the C2 server hxxps://cdn-edge-metrics[.]net/upd/sync and to hxxp://bad-relay[.]org/gate every hour.';
  const fresh = await ingest(store, { bytes: Buffer.from(text), origin: 'second.txt' }, testContext());
  assert.equal(fresh.item_, 'inserted');
  assert.notEqual(fresh.item.id, vpn);
  const marked = fresh.item.iocs.find((i) => i.value === 'https://cdn-edge-metrics.net/upd/sync');
  assert.equal(marked?.benign, true, 'kept, not dropped, and marked benign');
  assert.match(marked?.benignReason ?? '', /^rejected as a false positive by ann on \d{4}-\d\d-\d\d: our own telemetry CDN$/);
  assert.equal(marked?.confidence, 'low');
  assert.equal(fresh.item.iocs.find((i) => i.value === 'http://bad-relay.org/gate')?.benign, false, 'other values are untouched');
  const blocklist = await (await app.request(`/api/items/${fresh.item.id}/export/blocklist?type=url`, { headers: await as('ann') })).text();
  assert.doesNotMatch(blocklist, /cdn-edge-metrics/);
  assert.match(blocklist, /bad-relay\.org/);

  // Removed from the list, the value is no longer cleared on items enriched afterwards.
  const removed = await form('/false-positives/remove', { type: 'url', display: 'hxxps://cdn-edge-metrics[.]net/upd/sync' }, 'bob');
  assert.equal(removed.status, 303);
  assert.deepEqual(await store.falsePositives(), []);
  await reenrich(store, testContext());
  assert.equal((await store.getItem(fresh.item.id))?.iocs.find((i) => i.value === 'https://cdn-edge-metrics.net/upd/sync')?.benign, false);
  const log = (await (await app.request('/api/audit?limit=3', { headers: await as('ann') })).json()).entries;
  assert.deepEqual(log.map((e: { actor: string; action: string }) => `${e.actor} ${e.action}`), ['bob false-positive.remove', 'ann false-positive.add', 'ann ioc.reject']);
  const gone = await api('/api/false-positives', { type: 'url', value: 'https://cdn-edge-metrics.net/upd/sync' }, 'bob', undefined, 'DELETE');
  assert.equal(gone.status, 404);
});
