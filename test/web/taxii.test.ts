// The TAXII 2.1 server: discovery, collections, objects with pagination, added_after and filters, behind tokens.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { before, test } from 'node:test';
import { ingest } from '../../src/pipeline.js';
import { openSqliteStore, type Store } from '../../src/store/index.js';
import { createApp } from '../../src/web/app.js';
import { createToken } from '../../src/web/auth/accounts.js';
import { EXAMPLES, signIn, testContext } from '../helpers.js';

let store: Store;
const TOKEN = 'test-token-0123456789';
const auth = { authorization: `Bearer ${TOKEN}`, accept: 'application/taxii+json;version=2.1' };

before(async () => {
  store = await openSqliteStore(':memory:');
  const files = ['03-vpn-zero-day-exploited.txt', '05-npm-supply-chain.txt', '02-ransomware-manufacturer.html'];
  for (const [i, f] of files.entries()) {
    const at = new Date(Date.UTC(2026, 11, 1, 10 + i));
    await ingest(store, { bytes: fs.readFileSync(path.join(EXAMPLES, f)), origin: f, example: true }, testContext({ now: () => at }));
  }
});

const app = () => createApp({ store, taxiiTokens: [TOKEN, 'another-token'] });
const get = async (url: string, headers: Record<string, string> = auth) => {
  const r = await app().request(url, { headers });
  return { status: r.status, headers: r.headers, body: await r.json() };
};

test('without a valid token nothing is served; VIGIL_TAXII_TOKENS and Vigil API tokens both let a client in', async () => {
  assert.equal((await get('/taxii2/', { accept: 'application/taxii+json;version=2.1' })).status, 401);
  assert.equal((await get('/taxii2/', { authorization: 'Bearer wrong', accept: '*/*' })).status, 401);
  const basic = `Basic ${Buffer.from(`reader:${TOKEN}`).toString('base64')}`;
  assert.equal((await get('/taxii2/', { authorization: basic })).status, 200);
  assert.equal((await get('/taxii2/', { ...auth, accept: 'text/html' })).status, 406);
  const none = await createApp({ store }).request('/taxii2/', { headers: auth });
  assert.equal(none.status, 401, 'a token that is neither configured nor an API token');
  assert.match((await none.json()).description, /vigil tokens create/);
  await signIn(store, 'viewer', 'taxii-reader');
  const { token } = await createToken(store, { user: 'taxii-reader', name: 'siem' }, new Date());
  const viaApiToken = await createApp({ store }).request('/taxii2/vigil/collections/', { headers: { authorization: `Bearer ${token}` } });
  assert.equal(viaApiToken.status, 200);
  assert.equal((await viaApiToken.json()).collections.length, 2);
});

test('discovery, API root and collections', async () => {
  const d = await get('/taxii2/');
  assert.match(d.headers.get('content-type')!, /application\/taxii\+json;version=2\.1/);
  assert.match(d.body.default, /\/taxii2\/vigil\/$/);
  const root = await get('/taxii2/vigil/');
  assert.deepEqual(root.body.versions, ['application/taxii+json;version=2.1']);
  const cols = (await get('/taxii2/vigil/collections/')).body.collections;
  assert.deepEqual(cols.map((c: any) => c.title), ['Vigil items', 'Vigil indicators']);
  assert.equal(cols[0].can_write, false);
  assert.equal((await get(`/taxii2/vigil/collections/${cols[0].id}/`)).body.id, cols[0].id);
  assert.equal((await get('/taxii2/vigil/collections/00000000-0000-0000-0000-000000000000/')).status, 404);
});

test('objects page by cursor with no gaps or repeats; added_after, match[type] and one object by id', async () => {
  const [all, indicators] = (await get('/taxii2/vigil/collections/')).body.collections.map((c: any) => c.id);
  const everything = (await get(`/taxii2/vigil/collections/${all}/objects/?limit=1000`)).body;
  assert.equal(everything.more, false);
  const ids = everything.objects.map((o: any) => o.id);
  assert.equal(new Set(ids).size, ids.length);
  assert.equal(everything.objects.filter((o: any) => o.type === 'report').length, 3);
  const paged: string[] = [];
  let next: string | undefined;
  let pages = 0;
  do {
    const r = await get(`/taxii2/vigil/collections/${all}/objects/?limit=7${next ? `&next=${next}` : ''}`);
    assert.ok(r.body.objects.length <= 7);
    assert.ok(r.headers.get('x-taxii-date-added-first'));
    paged.push(...r.body.objects.map((o: any) => o.id));
    next = r.body.next;
    pages++;
  } while (next && pages < 100);
  assert.deepEqual(paged, ids);
  const later = (await get(`/taxii2/vigil/collections/${all}/objects/?added_after=2026-12-01T10:30:00Z&limit=1000`)).body.objects;
  assert.equal(later.filter((o: any) => o.type === 'report').length, 2, 'the first item was written at 10:00');
  const onlyIndicators = (await get(`/taxii2/vigil/collections/${all}/objects/?match[type]=indicator`)).body.objects;
  assert.ok(onlyIndicators.length > 0 && onlyIndicators.every((o: any) => o.type === 'indicator'));
  const col2 = (await get(`/taxii2/vigil/collections/${indicators}/objects/`)).body.objects;
  assert.ok(col2.every((o: any) => ['indicator', 'identity', 'marking-definition'].includes(o.type)));
  const one = await get(`/taxii2/vigil/collections/${all}/objects/${onlyIndicators[0].id}/`);
  assert.deepEqual(one.body.objects, [onlyIndicators[0]]);
  const manifest = (await get(`/taxii2/vigil/collections/${all}/manifest/?limit=3`)).body;
  assert.equal(manifest.objects.length, 3);
  assert.ok(manifest.more);
  assert.equal(manifest.objects[0].media_type, 'application/stix+json;version=2.1');
  assert.equal((await get(`/taxii2/vigil/collections/${all}/objects/?added_after=yesterday`)).status, 400);
  assert.equal((await get(`/taxii2/vigil/collections/${all}/objects/?next=garbage`)).status, 400);
});
