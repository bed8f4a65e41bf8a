// One store suite, run on both engines: the same queries must give the same items on SQLite and PostgreSQL.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { ingest, reenrich } from '../../src/pipeline.js';
import { openStore, type Store } from '../../src/store/index.js';
import { EXAMPLES, exampleFiles, testContext } from '../helpers.js';
import { postgresBin, storeEngines } from '../pg-cluster.js';

const engines = storeEngines();

const input = (f: string) => ({ bytes: fs.readFileSync(path.join(EXAMPLES, f)), origin: f, example: true });
const reference: Record<string, unknown> = {};

for (const [engine, location] of Object.entries(engines)) {
  describe(`store on ${engine}`, { skip: engine === 'postgres' && !postgresBin() ? 'PostgreSQL is not installed here (.ci/run installs it)' : false }, () => {
    let store: Store;
    before(async () => {
      store = await openStore(await location());
    });
    after(async () => store?.close());

    test('ingests every example, lists by priority, and serves the same items', async () => {
      for (const f of exampleFiles()) {
        const r = await ingest(store, input(f), testContext());
        assert.equal(r.item_, 'inserted');
        const stored = await store.getItem(r.item.id);
        assert.deepEqual(stored, r.item);
        if (engine === 'sqlite') reference[f] = stored;
        else assert.deepEqual(stored, reference[f], `${f} is the same item on both engines`);
      }
      assert.equal(await store.countItems(), exampleFiles().length);
      const list = await store.listItems({ limit: 100, offset: 0 });
      assert.deepEqual(list.map((i) => i.priority), [...list.map((i) => i.priority)].sort((a, b) => b - a));
      assert.equal(typeof list[0].priority, 'number');
      const page = await store.listItems({ limit: 2, offset: 2 });
      assert.deepEqual(page.map((i) => i.id), list.slice(2, 4).map((i) => i.id));
    });

    test('the same document again writes nothing; reenrich with new knowledge writes one enrichment', async () => {
      const f = exampleFiles()[0];
      const again = await ingest(store, input(f), testContext());
      assert.deepEqual([again.document_, again.item_], ['unchanged', 'unchanged']);
      assert.equal(await store.enrichmentCount(again.item.id), 1);
      const ctx = testContext();
      const r = await reenrich(store, { ...ctx, kb: { ...ctx.kb, version: `${ctx.kb.version}-next` } });
      assert.deepEqual(r, { items: exampleFiles().length, updated: exampleFiles().length });
      assert.equal(await store.enrichmentCount(again.item.id), 2);
      assert.equal((await store.itemDocuments(again.item.id))[0].id, again.document.id);
    });

    test('sources, health, leases and entries round-trip', async () => {
      const d = { name: 'feed-a', kind: 'feed' as const, location: 'https://news.example/feed', title: 'A', intervalMinutes: 30, enabled: true, fetchArticles: true };
      assert.equal(await store.saveSource(d, '2026-12-01T00:00:00Z'), 'inserted');
      assert.equal(await store.saveSource(d, '2026-12-01T00:00:00Z'), 'unchanged');
      assert.equal(await store.saveSource({ ...d, intervalMinutes: 60 }, '2026-12-01T00:00:00Z'), 'updated');
      const s = (await store.getSource('feed-a'))!;
      assert.equal(s.intervalMinutes, 60);
      assert.equal(s.health.failures, 0);
      await store.saveSourceHealth('feed-a', { ...s.health, failures: 2, lastErrorCode: 'timeout-body', nextRunAt: '2026-12-01T02:00:00Z' });
      assert.equal((await store.listSources())[0].health.lastErrorCode, 'timeout-body');
      assert.equal(await store.claimSource('feed-a', '2026-12-01T00:00:00Z', '2026-12-01T00:30:00Z'), true);
      assert.equal(await store.claimSource('feed-a', '2026-12-01T00:10:00Z', '2026-12-01T00:40:00Z'), false);
      assert.equal(await store.claimSource('feed-a', '2026-12-01T00:31:00Z', '2026-12-01T01:01:00Z'), true, 'an expired lease is taken over');
      await store.releaseSource('feed-a');
      await store.saveSourceEntry('feed-a', 'guid:1', { entryHash: 'h1', documentId: 'doc_1' }, '2026-12-01T00:00:00Z');
      await store.saveSourceEntry('feed-a', 'guid:1', { entryHash: 'h2', documentId: 'doc_1' }, '2026-12-01T01:00:00Z');
      assert.deepEqual(await store.getSourceEntry('feed-a', 'guid:1'), { entryHash: 'h2', documentId: 'doc_1' });
      assert.equal(await store.removeSource('feed-a'), true);
      assert.equal(await store.getSourceEntry('feed-a', 'guid:1'), null);
    });

    test('per-CVE data upserts in batches and finds the items citing a CVE', async () => {
      const base = { kev: null, epss: null, cvss: [], cwes: [], ssvc: null, description: null, published: null, lastModified: null, vulnStatus: null, references: [] };
      const many = Array.from({ length: 1200 }, (_, i) => ({ ...base, cve: `CVE-2026-${String(10000 + i)}` }));
      await store.saveCveData(many, '2026-12-01T00:00:00Z');
      await store.saveCveData([{ ...many[0], cwes: ['CWE-79'] }], '2026-12-02T00:00:00Z');
      const got = await store.getCveData(many.map((m) => m.cve));
      assert.equal(got.size, 1200);
      assert.deepEqual(got.get('CVE-2026-10000')!.cwes, ['CWE-79']);
      const cited = (await store.listItems({ limit: 100, offset: 0 })).map((i) => i.id);
      const withCve = [];
      for (const id of cited) if ((await store.getItem(id))!.facts.cves.length > 0) withCve.push(id);
      const cve = (await store.getItem(withCve[0]))!.facts.cves[0].id;
      assert.ok((await store.itemsCiting([cve, 'CVE-1999-0001'])).includes(withCve[0]));
    });

    test('an edited document keeps its previous text as a revision', async () => {
      const doc = (await store.itemDocuments((await store.itemIds())[0]))[0];
      assert.equal(await store.saveDocument({ ...doc, text: `${doc.text}\nUpdate: more detail.`, contentHash: 'changed' }, '2026-12-03T00:00:00Z'), 'updated');
      const revs = await store.documentRevisions(doc.id);
      assert.equal(revs.length, 1);
      assert.equal(revs[0].text, doc.text);
      assert.equal(revs[0].replacedAt, '2026-12-03T00:00:00Z');
    });

    test('catalogs round-trip', async () => {
      await store.saveCatalog('kev', '2025.08.25', { 'CVE-2024-3400': { dateAdded: '2024-04-12' } }, '2026-12-01T00:00:00Z');
      await store.saveCatalog('kev', '2025.08.26', { 'CVE-2024-3400': { dateAdded: '2024-04-12' } }, '2026-12-02T00:00:00Z');
      const rows = await store.loadCatalogs();
      assert.deepEqual(rows.map((r) => [r.name, r.version]), [['kev', '2025.08.26']]);
    });
  });
}
