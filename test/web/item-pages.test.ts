// The item page kept in the store: the kept page is the page a fresh render gives, sent gzipped to a client that accepts it
// and plain otherwise; a new revision of the item or any work on it shows at once; a viewer never gets the analysts' forms.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { after, before, test } from 'node:test';
import type { Hono } from 'hono';
import { ingest } from '../../src/pipeline.js';
import { openSqliteStore, type Store } from '../../src/store/index.js';
import { createApp } from '../../src/web/app.js';
import type { AppEnv } from '../../src/web/context.js';
import { keepItemPages, keptVariant, renderMain } from '../../src/web/item-pages.js';
import { STAND_IN, acceptsGzip } from '../../src/web/page-bytes.js';
import { EXAMPLES, signIn, testContext } from '../helpers.js';

let store: Store;
let app: Hono<AppEnv>;
let ids: string[];

before(async () => {
  store = await openSqliteStore(':memory:');
  ids = [];
  for (const f of ['03-vpn-zero-day-exploited.txt', '02-ransomware-manufacturer.html']) {
    ids.push((await ingest(store, { bytes: fs.readFileSync(path.join(EXAMPLES, f)), origin: f, example: true }, testContext())).item.id);
  }
  app = createApp({ store });
});
after(async () => store.close());

const get = async (id: string, headers: Record<string, string>) => {
  const res = await app.request(`/items/${id}`, { headers });
  assert.equal(res.status, 200);
  assert.match(res.headers.get('content-security-policy') ?? '', /default-src 'none'/);
  assert.match(res.headers.get('vary') ?? '', /accept-encoding/i);
  const body = Buffer.from(await res.arrayBuffer());
  return { encoding: res.headers.get('content-encoding'), body, html: res.headers.get('content-encoding') === 'gzip' ? zlib.gunzipSync(body).toString() : body.toString() };
};

test('a kept page is the page rendered on request, gzipped when the client accepts gzip', async () => {
  const ann = await signIn(store, 'analyst', 'ann');
  const id = ids[0];
  assert.equal((await store.itemPageState(id, keptVariant('edit')))?.page, null, 'nothing kept before the first view or the keeper');
  const rendered = await get(id, { cookie: ann.cookie });
  assert.ok((await store.itemPageState(id, keptVariant('edit')))?.page, 'the first view keeps the page of this revision');
  assert.equal(await keepItemPages(store), 2, 'the keeper renders each item whose pages are not all kept');
  assert.equal(await keepItemPages(store), 0, 'and nothing once all are');
  const plain = await get(id, { cookie: ann.cookie });
  assert.equal(plain.encoding, null);
  assert.equal(plain.html, rendered.html);
  const gz = await get(id, { cookie: ann.cookie, 'accept-encoding': 'gzip, deflate, br, zstd' });
  assert.equal(gz.encoding, 'gzip');
  assert.equal(gz.html, plain.html, 'the gzip stream (its CRC checked by gunzip) holds the same page');
  assert.ok(gz.body.length * 4 < plain.body.length, `compressed ${gz.body.length} of ${plain.body.length} bytes`);
  assert.equal((await get(id, { cookie: ann.cookie, 'accept-encoding': 'gzip;q=0, identity' })).encoding, null);
  assert.ok(plain.html.includes(`name="_csrf" value="${ann.csrfToken}"`));
  assert.ok(!/csrf[0-9a-f]{32}/.test(plain.html), 'no stand-in token is left in the page');
});

test('two analysts read one kept page, each with their own token and name; a viewer gets the read variant', async () => {
  await keepItemPages(store);
  const ann = await signIn(store, 'analyst', 'ann');
  const bob = await signIn(store, 'analyst', 'bob');
  const a = (await get(ids[1], { cookie: ann.cookie, 'accept-encoding': 'gzip' })).html;
  const b = (await get(ids[1], { cookie: bob.cookie, 'accept-encoding': 'gzip' })).html;
  assert.equal(a.replaceAll(ann.csrfToken, 'T').replace('>ann <', '>X <'), b.replaceAll(bob.csrfToken, 'T').replace('>bob <', '>X <'));
  assert.ok((a.match(/class="step-form/g) ?? []).length > 3);
  const vic = await signIn(store, 'viewer', 'vic');
  const v = (await get(ids[1], { cookie: vic.cookie, 'accept-encoding': 'gzip' })).html;
  assert.doesNotMatch(v, /class="step-form/);
  assert.equal([...v.matchAll(/name="_csrf" value="([^"]*)"/g)].length, 1, 'only the sign-out form');
});

test('a new revision or the first work on an item shows at once, though its page was kept', async () => {
  await keepItemPages(store);
  const ann = await signIn(store, 'analyst', 'ann');
  const id = ids[0];
  const item = (await store.getItem(id))!;
  await store.saveItem({ ...item, title: `${item.title} <revised> & "quoted"` }, [], '2026-12-02T10:00:00.000Z');
  assert.equal((await store.itemPageState(id, keptVariant('edit')))?.page, null, 'a kept page of the old revision is never given out');
  const revised = (await get(id, { cookie: ann.cookie, 'accept-encoding': 'gzip' })).html;
  assert.ok(revised.includes('&lt;revised&gt;</h1>') || revised.includes('&lt;revised&gt; '), 'the new title, escaped');
  assert.ok(!revised.includes('<revised>'));
  assert.ok(revised.includes(`<title>${item.title.replace(/&/g, '&amp;')} &lt;revised&gt; &amp; &quot;quoted&quot; · Vigil</title>`), 'the frame\'s title, escaped as JSX escapes it');
  await store.updateStep(id, item.checklist[0].key, { done: true, note: 'gateway isolated <now>' }, { actor: 'ann', at: '2026-12-02T11:00:00.000Z' });
  assert.equal((await store.itemPageState(id, keptVariant('edit')))?.hasWork, true);
  const worked = (await get(id, { cookie: ann.cookie, 'accept-encoding': 'gzip' })).html;
  assert.ok(worked.includes('gateway isolated &lt;now&gt;'));
  assert.ok(worked.includes('Done by ann at'));
  const plain = (await get(id, { cookie: ann.cookie })).html;
  assert.equal(plain, worked, 'the page with work is the same gzipped or not');
});

test('a page holding the control characters of the stand-in is kept part by part, and reads back right', async () => {
  const ann = await signIn(store, 'analyst', 'ann');
  const id = ids[1];
  const item = (await store.getItem(id))!;
  const odd = `${item.title} \u0001\u0002a\u0003`;
  await store.saveItem({ ...item, title: odd, summary: [STAND_IN, ...item.summary] }, [], '2026-12-03T10:00:00.000Z');
  const page = await renderMain((await store.getItem(id))!, 'edit');
  assert.equal(page.slot, 0, 'not in one window');
  const html = (await get(id, { cookie: ann.cookie, 'accept-encoding': 'gzip' })).html;
  assert.ok(html.includes(odd));
  assert.ok(html.includes(`<p>${STAND_IN} `), 'text like the stand-in is the item\'s, not a token');
  assert.equal([...html.matchAll(/name="_csrf" value="([^"]*)"/g)].filter((m) => m[1] !== ann.csrfToken).length, 0);
  assert.equal((await renderMain(item, 'edit')).slot, STAND_IN.length, 'an ordinary page is kept in one window');
});

test('pages kept by other code are never given out, and the keeper drops them', async () => {
  await keepItemPages(store);
  const id = ids[0];
  const { revision } = (await store.itemPageState(id, keptVariant('edit')))!;
  assert.match(keptVariant('edit'), /^edit@[0-9a-f]{16}$/, 'the variant names the code that rendered it');
  await store.saveItemPage(id, 'edit@0000000000000000', revision, Buffer.from('rendered by an older release'));
  const ann = await signIn(store, 'analyst', 'ann');
  assert.ok(!(await get(id, { cookie: ann.cookie })).html.includes('older release'));
  assert.equal((await store.itemPageState(id, 'edit@0000000000000000'))!.page !== null, true, 'still there until a keeper runs in a new process');
});

test('Accept-Encoding is read as HTTP says', () => {
  assert.equal(acceptsGzip('gzip, deflate, br, zstd'), true);
  assert.equal(acceptsGzip('br;q=1.0, gzip;q=0.8'), true);
  assert.equal(acceptsGzip('*'), true);
  assert.equal(acceptsGzip('gzip;q=0'), false);
  assert.equal(acceptsGzip('identity'), false);
  assert.equal(acceptsGzip(undefined), false);
});
