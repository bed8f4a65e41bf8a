// The store through the pipeline: idempotent ingest, reenrich, edits, catalog import.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { importCatalogs } from '../../src/knowledge/import-catalogs.js';
import { loadCatalogs } from '../../src/knowledge/store-catalogs.js';
import { ingest, reenrich } from '../../src/pipeline.js';
import { openSqliteStore } from '../../src/store/index.js';
import { EXAMPLES, SHARED, testContext } from '../helpers.js';

const file = path.join(EXAMPLES, '03-vpn-zero-day-exploited.txt');
const input = () => ({ bytes: fs.readFileSync(file), origin: file });

test('ingesting the same document twice changes nothing', async () => {
  const store = await openSqliteStore(':memory:');
  const ctx = testContext();
  const first = await ingest(store, input(), ctx);
  assert.equal(first.document_, 'inserted');
  assert.equal(first.item_, 'inserted');
  const second = await ingest(store, input(), { ...ctx, now: () => new Date('2026-12-02T00:00:00Z') });
  assert.equal(second.document_, 'unchanged');
  assert.equal(second.item_, 'unchanged');
  assert.equal(await store.countItems(), 1);
  assert.equal(await store.enrichmentCount(first.item.id), 1);
  assert.deepEqual(await store.getItem(first.item.id), first.item);
  await store.close();
});

test('reenrich after a knowledge change writes a new enrichment with the new knowledge version', async () => {
  const store = await openSqliteStore(':memory:');
  const ctx = testContext();
  const { item } = await ingest(store, input(), ctx);
  assert.deepEqual(await reenrich(store, ctx), { items: 1, updated: 0 }, 'same knowledge, same item');
  const changed = { ...ctx, kb: { ...ctx.kb, version: `${ctx.kb.version}-next` } };
  assert.deepEqual(await reenrich(store, changed), { items: 1, updated: 1 });
  assert.equal((await store.getItem(item.id))?.enrichment.knowledgeVersion, `${ctx.kb.version}-next`);
  assert.equal(await store.enrichmentCount(item.id), 2);
  await store.close();
});

test('an edited document updates its item in place', async () => {
  const store = await openSqliteStore(':memory:');
  const text = 'Title: Acme patches flaw\nURL: https://news.example/acme\n\nAcme released a patch for CVE-2026-11111.';
  const a = await ingest(store, { bytes: Buffer.from(text), origin: 'a.txt' }, testContext());
  const b = await ingest(store, { bytes: Buffer.from(`${text} It is exploited in the wild.`), origin: 'a.txt' }, testContext());
  assert.equal(b.document_, 'updated');
  assert.equal(a.item.id, b.item.id);
  assert.equal(await store.countItems(), 1);
  await store.close();
});

test('catalog import feeds KEV, EPSS and ATT&CK names into items', { skip: !fs.existsSync(SHARED) && 'shared data absent' }, async () => {
  const store = await openSqliteStore(':memory:');
  const reports = await importCatalogs(store, SHARED, '2026-12-01T00:00:00Z');
  assert.deepEqual(reports.map((r) => r.name).sort(), ['attack', 'csf-800-53', 'ctid-800-53', 'ctid-kev', 'cwe', 'epss', 'kev', 'misp-warninglists', 'nist-800-53', 'nist-csf']);
  assert.equal(reports.find((r) => r.name === 'attack')?.version, '18.1');
  const catalogs = await loadCatalogs(store);
  assert.equal(catalogs.technique('T1190')?.name, 'Exploit Public-Facing Application');
  // KEV and EPSS land in the per-CVE store, where the scheduled sources keep them current.
  assert.equal((await store.getCveData(['CVE-2024-3400'])).get('CVE-2024-3400')?.kev?.dateAdded, '2024-04-12');
  assert.equal((await store.getCveData(['CVE-2022-20699'])).get('CVE-2022-20699')?.epss?.probability, 0.72458);
  const text = 'Title: PAN-OS flaw exploited\nPublished: 2024-04-15\n\nAttackers are actively exploiting CVE-2024-3400 in Palo Alto Networks PAN-OS GlobalProtect gateways.';
  const { item } = await ingest(store, { bytes: Buffer.from(text), origin: 'p.txt' }, testContext({ catalogs }));
  const v = item.vulnerabilities.find((x) => x.cve === 'CVE-2024-3400');
  assert.equal(v?.kev?.dateAdded, '2024-04-12');
  assert.equal(item.enrichment.catalogs.kev, '2025.08.25');
  await store.close();
});
