// The item page kept rendered: two sessions share the rendered page but each gets its own CSRF token and user menu; a change
// of the item (its revision), of the team's work or of the viewer's rights is a new page; the byte bound holds.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import type { Hono } from 'hono';
import { ingest } from '../../src/pipeline.js';
import { openSqliteStore, type Store } from '../../src/store/index.js';
import { createApp } from '../../src/web/app.js';
import type { AppEnv } from '../../src/web/context.js';
import { ItemPageCache, fill } from '../../src/web/item-page-cache.js';
import { EXAMPLES, signIn, testContext } from '../helpers.js';

let store: Store;
let app: Hono<AppEnv>;
let id: string;

before(async () => {
  store = await openSqliteStore(':memory:');
  const f = '03-vpn-zero-day-exploited.txt';
  id = (await ingest(store, { bytes: fs.readFileSync(path.join(EXAMPLES, f)), origin: f, example: true }, testContext())).item.id;
  app = createApp({ store });
});
after(async () => store.close());

const get = async (headers: Record<string, string>) => {
  const res = await app.request(`/items/${id}`, { headers });
  assert.equal(res.status, 200);
  assert.match(res.headers.get('content-security-policy') ?? '', /default-src 'none'/);
  assert.match(res.headers.get('content-type') ?? '', /^text\/html; charset=utf-8/i);
  return res.text();
};
const tokens = (html: string) => new Set([...html.matchAll(/name="_csrf" value="([^"]*)"/g)].map((m) => m[1]));

test('two analysts share the rendered page, each with their own token and name', async () => {
  const ann = await signIn(store, 'analyst', 'ann');
  const bob = await signIn(store, 'analyst', 'bob');
  const a = await get({ cookie: ann.cookie });
  const b = await get({ cookie: bob.cookie });
  assert.deepEqual(tokens(a), new Set([ann.csrfToken]));
  assert.deepEqual(tokens(b), new Set([bob.csrfToken]));
  assert.ok((a.match(/name="_csrf"/g) ?? []).length > 5, 'every form of the page carries the token');
  assert.match(a, /<span>ann <span class="muted">\(analyst\)<\/span><\/span>/);
  assert.match(b, /<span>bob <span class="muted">\(analyst\)<\/span><\/span>/);
  assert.equal(a.replaceAll(ann.csrfToken, 'T').replace('>ann <', '>X <'), b.replaceAll(bob.csrfToken, 'T').replace('>bob <', '>X <'));
  assert.ok(a.startsWith('<!doctype html><html lang="en">') && a.endsWith('</html>'));
});

test('a viewer gets the page without forms even after an analyst filled the cache', async () => {
  const ann = await signIn(store, 'analyst', 'ann');
  await get({ cookie: ann.cookie });
  const vic = await signIn(store, 'viewer', 'vic');
  const v = await get({ cookie: vic.cookie });
  assert.equal(tokens(v).size, 1, 'only the sign-out form');
  assert.ok(v.includes('Not done yet. Unassigned.'));
  assert.doesNotMatch(v, /class="step-form/);
});

test('a change of the team\'s work or of the item shows at once', async () => {
  const ann = await signIn(store, 'analyst', 'ann');
  const before = await get({ cookie: ann.cookie });
  const item = (await store.getItem(id))!;
  const step = item.checklist[0].key;
  await store.updateStep(id, step, { done: true, assignee: 'ann', note: 'isolated the gateway' }, { actor: 'ann', at: '2026-12-02T09:00:00Z' });
  const worked = await get({ cookie: ann.cookie });
  assert.ok(!before.includes('isolated the gateway'));
  assert.ok(worked.includes('isolated the gateway'));
  await store.saveItem({ ...item, title: `${item.title} <updated>` }, [], '2026-12-02T10:00:00.000Z');
  const renamed = await get({ cookie: ann.cookie });
  assert.ok(renamed.includes('&lt;updated&gt;'), 'the new title, escaped');
  assert.ok(!renamed.includes('<updated>'));
});

test('the cache stays under its byte bound and fills tokens escaped', async () => {
  const cache = new ItemPageCache(3000);
  // Kept pages are counted deflated: random bytes in base64 make each about 1.2 KB.
  const noise = randomBytes(1200).toString('base64');
  const render = (n: number) => async (csrf: string) => ({ title: `t${n}`, html: `<p>${noise}</p><input value="${csrf}">${n}` });
  let renders = 0;
  const counted = (n: number) => async (csrf: string) => (renders++, render(n)(csrf));
  for (const n of [1, 2, 1, 3, 4]) await cache.page(`k${n}`, counted(n));
  assert.equal(renders, 4, 'the second k1 was a hit');
  await cache.page('k1', counted(1));
  assert.equal(renders, 5, 'k1 was pushed out by k3 and k4');
  const page = (await cache.page('k4', counted(4)))!;
  assert.equal(renders, 5);
  assert.equal(Buffer.from(fill("<a>", page, "\"><script>", "</a>")).toString(), `<a><p>${noise}</p><input value="&#34;&#62;&#60;script&#62;">4</a>`);
});
