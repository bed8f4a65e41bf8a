// Every export format through the API and the CLI: media types, refusals, and content that names the item's facts.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { before, test } from 'node:test';
import { FORMATS } from '../../src/export/formats.js';
import { ingest } from '../../src/pipeline.js';
import { openSqliteStore, type Store } from '../../src/store/index.js';
import { createApp } from '../../src/web/app.js';
import { EXAMPLES, ROOT, testContext } from '../helpers.js';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'vigil-export-'));
const db = path.join(tmp, 'x.db');
let store: Store;
let vpn: string;

before(async () => {
  store = await openSqliteStore(db);
  for (const f of ['03-vpn-zero-day-exploited.txt', '01-saas-vendor-breach.txt']) {
    const r = await ingest(store, { bytes: fs.readFileSync(path.join(EXAMPLES, f)), origin: f, example: true }, testContext());
    if (f.startsWith('03')) vpn = r.item.id;
  }
});

test('each format answers with its media type and content of the item', async () => {
  const app = createApp({ store, auth: { anonymousRead: true } });
  const item = (await store.getItem(vpn))!;
  const cve = item.vulnerabilities[0].cve;
  const ioc = item.iocs.find((i) => !i.benign)!;
  const get = async (url: string) => {
    const r = await app.request(url);
    return { status: r.status, type: r.headers.get('content-type') ?? '', body: await r.text() };
  };
  const stix = await get(`/api/items/${vpn}/export/stix?tlp=amber`);
  assert.match(stix.type, /application\/stix\+json/);
  const bundle = JSON.parse(stix.body);
  assert.equal(bundle.type, 'bundle');
  assert.ok(bundle.objects.some((o: any) => o.type === 'vulnerability' && o.name === cve));
  assert.ok(bundle.objects.some((o: any) => o.type === 'indicator' && o.pattern.includes(ioc.value)));
  const misp = JSON.parse((await get(`/api/items/${vpn}/export/misp`)).body);
  assert.ok(misp.Event.info.startsWith(item.title), misp.Event.info);
  const csv = await get(`/api/items/${vpn}/export/csv`);
  assert.match(csv.type, /text\/csv/);
  assert.match(csv.body, /^"item_id",/);
  assert.ok(csv.body.includes(ioc.value));
  const noType = await get(`/api/items/${vpn}/export/blocklist`);
  assert.equal(noType.status, 400);
  assert.match(JSON.parse(noType.body).error.message, /needs an IOC type/);
  const list = await get(`/api/items/${vpn}/export/blocklist?type=${ioc.type}`);
  assert.ok(list.body.split('\n').includes(ioc.value), list.body);
  assert.match((await get(`/api/items/${vpn}/export/markdown`)).body, /## Executive summary/);
  assert.match((await get(`/api/items/${vpn}/export/sigma`)).body, /^title: /m);
  assert.match((await get(`/api/items/${vpn}/export/queries`)).body, /KQL/);
  assert.equal((await get(`/api/items/${vpn}/export/pdf`)).status, 404);
  assert.equal((await get(`/api/items/${vpn}/export/stix?tlp=purple`)).status, 400);
  const rss = await get('/feeds/items.rss');
  assert.match(rss.type, /application\/rss\+xml/);
  assert.ok(rss.body.includes(`/items/${vpn}`));
  const jsonFeed = JSON.parse((await get('/feeds/items.json')).body);
  assert.equal(jsonFeed.version, 'https://jsonfeed.org/version/1.1');
  assert.equal(jsonFeed.items.length, 2);
  const all = JSON.parse((await get('/api/export/stix')).body);
  assert.ok(all.objects.filter((o: any) => o.type === 'report').length === 2);
  assert.equal(FORMATS.length, 10);
});

test('vigil export writes the chosen format for named items or for all', async () => {
  const run = (args: string[]) => spawnSync(process.execPath, ['--import', import.meta.resolve('tsx'), path.join(ROOT, 'src/cli/main.ts'), 'export', '--db', db, ...args], { encoding: 'utf8', env: { ...process.env, VIGIL_DB: '' } });
  const csv = run(['--format', 'csv']);
  assert.equal(csv.status, 0, csv.stderr);
  assert.match(csv.stdout, /^"item_id",/);
  const stix = run([vpn, '--format', 'stix', '--tlp', 'red']);
  assert.equal(JSON.parse(stix.stdout).type, 'bundle');
  const bad = run(['--format', 'docx']);
  assert.equal(bad.status, 2);
  assert.match(bad.stderr, /unknown export format "docx"/);
  const missing = run(['itm_nope', '--format', 'csv']);
  assert.match(missing.stderr, /no item itm_nope/);
});

test('a STIX bundle or MISP event file is ingested as a document; other JSON is refused by name', async () => {
  const run = (args: string[]) => spawnSync(process.execPath, ['--import', import.meta.resolve('tsx'), path.join(ROOT, 'src/cli/main.ts'), ...args], { encoding: 'utf8', env: { ...process.env, VIGIL_DB: '' } });
  const item = (await store.getItem(vpn))!;
  const wanted = item.iocs.filter((i) => !i.benign && i.confidence !== 'low').map((i) => `${i.type}:${i.value}`).sort();
  for (const format of ['stix', 'misp']) {
    const file = path.join(tmp, `${format}.json`);
    fs.writeFileSync(file, run(['export', '--db', db, vpn, '--format', format]).stdout);
    const analyzed = run(['analyze', '--as-of', '2026-12-01', file]);
    assert.equal(analyzed.status, 0, analyzed.stderr);
    const back = JSON.parse(analyzed.stdout);
    const got = new Set(back.iocs.filter((i: any) => !i.benign).map((i: any) => `${i.type}:${i.value}`));
    for (const w of wanted) assert.ok(got.has(w), `${format}: ${w} came back`);
    assert.ok(back.vulnerabilities.some((v: any) => v.cve === item.vulnerabilities[0].cve));
  }
  const other = path.join(tmp, 'other.json');
  fs.writeFileSync(other, '{"hello": "world"}');
  const refused = run(['analyze', other]);
  assert.equal(refused.status, 1);
  assert.match(refused.stderr, /neither a STIX 2.1 bundle nor a MISP event/);
});

test('a feed or export URL with a filter is a saved filter; bad filter values are refused by name', async () => {
  const app = createApp({ store, auth: { anonymousRead: true } });
  const item = (await store.getItem(vpn))!;
  const feed = async (q: string) => {
    const r = await app.request(`/feeds/items.json${q}`);
    return { status: r.status, body: await r.json() };
  };
  const ids = (body: any) => body.items.map((i: any) => String(i.url).split('/items/')[1]);
  assert.ok(ids((await feed(`?severity=${item.severity.level}`)).body).includes(vpn));
  assert.deepEqual(ids((await feed(`?cve=${item.vulnerabilities[0].cve}`)).body), [vpn]);
  assert.deepEqual((await feed('?q=no-such-words-anywhere')).body.items, []);
  const bad = await feed('?severity=URGENTISH');
  assert.equal(bad.status, 400);
  assert.match(bad.body.error.message, /severity must be one of/);
  const stix = await app.request(`/api/export/stix?archetype=${item.archetype.id}`);
  assert.equal(JSON.parse(await stix.text()).objects.filter((o: any) => o.type === 'report').length, 1);
});
