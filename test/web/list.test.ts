// The list page and /api/items: search with raw input, filters and chips, sort, pages, bad parameters, read state per user,
// saved views behind the CSRF token, escaping, and no inline script or style.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { Hono } from 'hono';
import type { Item } from '../../src/domain/index.js';
import { ingest } from '../../src/pipeline.js';
import { openSqliteStore, type Store } from '../../src/store/index.js';
import { createApp } from '../../src/web/app.js';
import type { AppEnv, SessionUser } from '../../src/web/context.js';
import { EXAMPLES, exampleFiles, signIn, testContext } from '../helpers.js';

let store: Store;
let app: Hono<AppEnv>;
const ids: Record<string, string> = {};
const TOKEN = 'csrf-token-for-tests';
const USERS: Record<string, SessionUser> = { ana: { id: 'u-ana', name: 'Ana', role: 'analyst' }, bob: { id: 'u-bob', name: 'Bob', role: 'viewer' } };

before(async () => {
  store = await openSqliteStore(':memory:');
  for (const f of exampleFiles()) {
    const file = path.join(EXAMPLES, f);
    ids[f] = (await ingest(store, { bytes: fs.readFileSync(file), origin: file, example: true }, testContext())).item.id;
  }
  // Sixty reports of one advisory series, low priority: enough for a second page.
  const base = (await store.getItem(ids['06-low-xss-advisory.txt']))!;
  const series: Item[] = Array.from({ length: 60 }, (_, n) => ({
    ...base, id: `itm_series_${String(n).padStart(2, '0')}`, title: `Kestrel series advisory ${n}`,
    priority: { ...base.priority, value: 0.01 }, lastUpdated: `2026-06-${String(1 + (n % 28)).padStart(2, '0')}T00:00:00.000Z`,
  }));
  await store.importItems(series, '2026-12-01T00:00:00.000Z');
  // Anonymous reading on for the plain list tests; ana (analyst) and bob (viewer) sign in for real.
  app = createApp({ store, auth: { anonymousRead: true } });
  for (const [key, u] of Object.entries(USERS)) sessions.set(key, await signIn(store, u.role, u.name));
});
after(async () => store.close());

const sessions = new Map<string, Awaited<ReturnType<typeof signIn>>>();
const headersOf = (user?: string): Record<string, string> => (user ? { cookie: sessions.get(user)!.cookie } : {});
/** The CSRF token of a user's session: the forms' `_csrf` field. */
const tokenOf = (user: string) => sessions.get(user)!.csrfToken;
const get = (p: string, user?: string) => app.request(p, { headers: headersOf(user) });
const html = async (p: string, user?: string) => {
  const res = await get(p, user);
  assert.equal(res.status, 200, p);
  return res.text();
};
const post = (p: string, fields: Record<string, string | string[]>, user?: string) => {
  const body = new URLSearchParams();
  // TOKEN in a form stands for the poster's own session token.
  for (const [k, v] of Object.entries(fields)) for (const x of ([] as string[]).concat(v)) body.append(k, x === TOKEN && user ? tokenOf(user) : x);
  return app.request(p, { method: 'POST', body, headers: { 'content-type': 'application/x-www-form-urlencoded', ...headersOf(user) } });
};
const rowTitles = (page: string) => [...page.matchAll(/<a href="\/items\/[^"]+">([^<]+)<\/a>/g)].map((m) => m[1]);

test('the list page has a GET filter form, the total, pages and no inline script or style', async () => {
  const page = await html('/');
  assert.match(page, /<form class="filters noprint" method="get" action="\/"/);
  assert.match(page, /<input type="search" name="q" value=""/);
  assert.match(page, /<input type="checkbox" name="severity" value="CRITICAL"\/> critical <span class="muted">1<\/span>/);
  assert.match(page, /<option value="ransomware">Ransomware attack \(1\)<\/option>/);
  assert.match(page, /67 items, highest priority first/);
  assert.match(page, /page 1 of 2/);
  assert.match(page, /<a href="\/\?page=2" rel="next">/);
  assert.doesNotMatch(page, /<script(?![^>]*\bsrc="\/static\/)|style=/);
  assert.match(page, /Sign in to save views/);
  assert.doesNotMatch(page, /mark-unread/, 'an anonymous reader sees no unread state');
  const second = await html('/?page=2');
  assert.equal(rowTitles(second).length, 17);
  assert.ok(rowTitles(second).every((t) => t.startsWith('Kestrel series')));
});

test('raw input searches: a CVE id, a domain, a defanged domain; chips remove their filter', async () => {
  for (const q of ['CVE-2026-21847', 'cdn-edge-metrics.net', 'cdn-edge-metrics[.]net', '198.51.100.23']) {
    const page = await html(`/?q=${encodeURIComponent(q)}`);
    assert.deepEqual(rowTitles(page), ['Ironvale patches SecureEdge VPN zero-day exploited since late June; CISA adds flaw to KEV'], q);
    assert.match(page, /1 item matches/);
  }
  const page = await html('/?q=ransomware&severity=HIGH&sort=date');
  assert.match(page, /<a class="chip" href="\/\?severity=HIGH&amp;sort=date" title="Remove the search filter">search: ransomware/);
  assert.match(page, /<a class="chip" href="\/\?q=ransomware&amp;sort=date" title="Remove the severity filter">severity: HIGH/);
  assert.match(page, /newest first/);
  assert.match(page, /<option value="date" selected="">date<\/option>/);
});

test('filters and both sorts give the same rows on the page and the API', async () => {
  const api = await (await get('/api/items?severity=HIGH&sort=date&limit=2&offset=1')).json() as { total: number; limit: number; offset: number; sort: string; items: { title: string; lastUpdated: string; severity: string }[] };
  assert.equal(api.total, 4);
  assert.deepEqual([api.limit, api.offset, api.sort], [2, 1, 'date']);
  assert.deepEqual(api.items.map((i) => i.lastUpdated.slice(0, 10)), ['2026-08-12', '2026-05-19']);
  const page = await html('/?severity=HIGH&sort=date');
  assert.deepEqual(rowTitles(page).slice(1, 3), api.items.map((i) => i.title));
  const sector = await (await get('/api/items?sector=healthcare')).json() as { items: { sectorLabel: string }[] };
  assert.deepEqual(sector.items.map((i) => i.sectorLabel), ['Healthcare']);
  const range = await (await get('/api/items?from=2026-06-01&to=2026-06-01')).json() as { total: number };
  assert.equal(range.total, 3, 'three of the series fall on 1 June');
  const vendor = await (await get(`/api/items?vendor=${encodeURIComponent('ironvale networks')}&affects=no`)).json() as { total: number };
  assert.equal(vendor.total, 1);
});

test('a source filter keeps exactly that outlet\'s items, on the API and the page', async () => {
  const api = async (qs: string) => (await (await get(`/api/items?${qs}&limit=200`)).json()) as { total: number; items: { id: string; title: string }[] };
  const idsOf = async (qs: string) => (await api(qs)).items.map((i) => i.id).sort();
  const vpn = ids['03-vpn-zero-day-exploited.txt'];
  assert.deepEqual(await idsOf('source=Perimeter%20Brief'), [vpn]);
  assert.deepEqual(await idsOf('source=perimeter%20%20BRIEF'), [vpn], 'an outlet matches whatever its case and spacing');
  assert.deepEqual(await idsOf('source=Perimeter%20Brief&source=Meridian%20Security%20Wire'), [ids['01-saas-vendor-breach.txt'], vpn].sort(), 'two outlets: either');
  // The advisory and its sixty reprints share one outlet; no item from another outlet comes with them.
  const series = await api(`source=${encodeURIComponent('Brightmere Systems Product Security')}`);
  assert.equal(series.total, 61);
  assert.ok(series.items.every((i) => i.id === ids['06-low-xss-advisory.txt'] || i.id.startsWith('itm_series_')), 'only the Brightmere items');
  assert.equal((await api('source=Perimeter')).total, 0, 'an outlet is matched whole, not by a word of it');
  assert.equal((await api('source=Nobody%20Wire')).total, 0);

  const page = await html('/?source=Perimeter%20Brief');
  assert.deepEqual(rowTitles(page), [(await store.getItem(vpn))!.title]);
  assert.match(page, /1 item matches/);
  assert.match(page, /<a class="chip" href="\/" title="Remove the source filter">source: Perimeter Brief/);
  assert.match(page, /<input type="text" name="source" value="Perimeter Brief" list="source-names"\/>/);
});

test('a triage filter keeps exactly the items at those levels, alone and with a source, on the API and the page', async () => {
  const api = async (qs: string) => (await (await get(`/api/items?${qs}&limit=200`)).json()) as { total: number; items: { id: string; triage: string }[] };
  const urgent = await api('triage=URGENT');
  assert.deepEqual(urgent.items.map((i) => i.id).sort(), ['01-saas-vendor-breach.txt', '02-ransomware-manufacturer.html', '05-npm-supply-chain.txt'].map((f) => ids[f]).sort());
  assert.deepEqual([...new Set(urgent.items.map((i) => i.triage))], ['URGENT']);
  const two = await api('triage=immediate&triage=ELEVATED');
  assert.deepEqual(two.items.map((i) => i.id).sort(), [ids['03-vpn-zero-day-exploited.txt'], ids['04-aitm-phishing-bec.md']].sort());
  const routine = await api('triage=ROUTINE');
  assert.equal(routine.total, 62, 'the low advisory, the product launch and the sixty reprints');
  assert.ok(routine.items.every((i) => i.triage === 'ROUTINE'));
  assert.equal((await api('triage=IMMEDIATE&source=Perimeter%20Brief')).total, 1, 'filters of two kinds must both hold');
  assert.equal((await api('triage=URGENT&source=Perimeter%20Brief')).total, 0);

  const page = await html('/?triage=URGENT');
  const titles = await Promise.all(urgent.items.map(async (i) => (await store.getItem(i.id))!.title));
  assert.deepEqual(rowTitles(page).sort(), titles.sort());
  assert.match(page, /3 items match/);
  assert.match(page, /<input type="checkbox" name="triage" value="URGENT" checked=""\/> urgent/);
  assert.match(page, /<input type="checkbox" name="triage" value="ROUTINE"\/> routine/);
});

test('bad parameters are refused by name: 400 with the message on the page and {error:{code,message}} on the API', async () => {
  const cases: [string, RegExp][] = [
    ['severity=URGENT', /severity must be one of CRITICAL, HIGH, MEDIUM, LOW, INFORMATIONAL/],
    ['sort=size', /sort must be priority or date/],
    ['from=2026-02-30', /from must be a date YYYY-MM-DD/],
    ['from=2026-05-01&to=2026-04-01', /from \(2026-05-01\) is after to \(2026-04-01\)/],
    ['technique=T99', /technique must be an ATT&CK technique id/],
    ['affects=maybe', /affects must be yes or no/],
    ['unread=1', /unread needs a signed-in user/],
    ['limit=500', /limit must be a whole number from 1 to 200/],
    ['offset=-1', /offset must be a whole number/],
  ];
  for (const [qs, message] of cases) {
    const res = await get(`/api/items?${qs}`);
    assert.equal(res.status, 400, qs);
    const body = await res.json() as { error: { code: string; message: string } };
    assert.equal(body.error.code, 'bad-request');
    assert.match(body.error.message, message);
  }
  const res = await get('/?severity=URGENT');
  assert.equal(res.status, 400);
  assert.match(await res.text(), /<p class="error" role="alert">severity must be one of/);
  assert.equal((await get('/?page=0')).status, 400);
});

test('hostile search input is escaped in the form, the chips and the links', async () => {
  const q = '"><script>alert(1)</script>';
  const page = await html(`/?q=${encodeURIComponent(q)}`);
  assert.doesNotMatch(page, /<script>alert/);
  assert.match(page, /value="&quot;&gt;&lt;script&gt;alert\(1\)&lt;\/script&gt;"/);
  assert.match(page, /Nothing matches/);
});

test('a signed-in reader: unread marks, opening an item reads it, new since the last visit, marking a page read', async () => {
  const first = await html('/?q=Ironvale', 'ana');
  assert.match(first, /<tr class="unread">/);
  assert.match(first, /class="mark-unread">unread/);
  assert.doesNotMatch(first, /class="mark-new"/, 'a first visit has nothing to compare with');
  assert.equal((await get(`/items/${ids['03-vpn-zero-day-exploited.txt']}`, 'ana')).status, 200);
  const after = await html('/?q=Ironvale', 'ana');
  assert.doesNotMatch(after, /mark-unread/);
  assert.match(await html('/?q=Ironvale', 'bob'), /mark-unread/, "another reader's marks are their own");
  const unread = await (await get('/api/items?unread=1&limit=1', 'ana')).json() as { total: number };
  assert.equal(unread.total, 66);
  const page = await html('/?q=phishing', 'ana');
  const form = page.slice(page.indexOf('action="/read"'));
  const res = await post('/read', { _csrf: TOKEN, id: ids['04-aitm-phishing-bec.md'], return: '/?q=phishing' }, 'ana');
  assert.equal(res.status, 303);
  assert.equal(res.headers.get('location'), '/?q=phishing');
  assert.match(form, /name="id" value="itm_/);
  assert.equal((await (await get('/api/items?unread=1&limit=1', 'ana')).json() as { total: number }).total, 65);
  assert.equal((await post('/read', { _csrf: TOKEN, id: ids['01-saas-vendor-breach.txt'], return: 'https://evil.example/' }, 'ana')).headers.get('location'), '/');
  const since = await (await get('/api/items?new=1&since=2026-12-01T06:00:00Z', 'ana')).json() as { total: number; items: { isNew: boolean }[] };
  assert.equal(since.total, 67 - 60, 'the series was indexed at midnight, the examples at noon (the test clock)');
  assert.ok(since.items.every((i) => i.isNew));
});

test('saved views: per user, posted with the CSRF token, stored with only list parameters', async () => {
  assert.equal((await post('/views', { name: 'High', query: 'severity=HIGH' })).status, 401);
  assert.equal((await post('/views', { name: 'High', query: 'severity=HIGH' }, 'ana')).status, 403, 'no token');
  assert.equal((await post('/views', { _csrf: 'wrong', name: 'High', query: 'severity=HIGH' }, 'ana')).status, 403);
  assert.equal((await post('/views', { _csrf: TOKEN, name: 'Bad', query: 'severity=URGENT' }, 'ana')).status, 400);
  const res = await post('/views', { _csrf: TOKEN, name: 'High healthcare', query: 'page=3&_csrf=x&sector=healthcare&severity=high&other=1' }, 'ana');
  assert.equal(res.status, 303);
  assert.equal(res.headers.get('location'), '/?severity=HIGH&sector=healthcare');
  const page = await html('/?severity=HIGH', 'ana');
  assert.match(page, /<a href="\/\?severity=HIGH&amp;sector=healthcare">High healthcare<\/a>/);
  assert.match(page, /<input type="hidden" name="query" value="severity=HIGH"\/>/);
  assert.ok(page.includes(`<input type="hidden" name="_csrf" value="${tokenOf('ana')}"/>`));
  assert.doesNotMatch(await html('/', 'bob'), /High healthcare/);
  const id = /action="\/views\/(\d+)\/delete"/.exec(page)![1];
  assert.equal((await post(`/views/${id}/delete`, { _csrf: TOKEN }, 'bob')).status, 404, "bob cannot remove ana's view");
  assert.equal((await post(`/views/${id}/delete`, { _csrf: TOKEN }, 'ana')).status, 303);
  assert.doesNotMatch(await html('/', 'ana'), /High healthcare/);
});

test('a list whose count stopped says "more than", offers the next page and names no last one', async () => {
  const { ListPage } = await import('../../src/web/views/list.js');
  const rows = (await store.searchItems({ sort: 'priority', limit: 50, offset: 50 })).items;
  const html = String(await ListPage({
    params: { filters: { severity: ['LOW'] }, sort: 'priority', page: 2 }, result: { items: rows, total: 1050, more: true }, pageSize: 50,
    facets: [], views: [], user: null, csrfToken: '', since: null,
  }));
  assert.match(html, /More than 1050 items match, highest priority first\./);
  assert.match(html, /<span>page 2 of more than 21<\/span>/);
  assert.match(html, /rel="next"/);
  assert.doesNotMatch(html, /last »/);
});
