// Kept item pages in the store, on both engines: a page is given out only for the revision it was rendered from, never saved
// over a newer revision, counted as due until every variant is kept, and gone with its item; any work on the item is reported.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { ingest } from '../../src/pipeline.js';
import { openStore, type Store } from '../../src/store/index.js';
import { EXAMPLES, testContext } from '../helpers.js';
import { postgresBin, storeEngines } from '../pg-cluster.js';

const engines = storeEngines();
const bytes = (s: string) => new Uint8Array(Buffer.from(s));

for (const [engine, location] of Object.entries(engines)) {
  describe(`item pages on ${engine}`, { skip: engine === 'postgres' && !postgresBin() ? 'PostgreSQL is not installed here (.ci/run installs it)' : false }, () => {
    let store: Store;
    const ids: string[] = [];
    before(async () => {
      store = await openStore(await location());
      for (const f of ['03-vpn-zero-day-exploited.txt', '05-npm-supply-chain.txt']) {
        ids.push((await ingest(store, { bytes: fs.readFileSync(path.join(EXAMPLES, f)), origin: f, example: true }, testContext())).item.id);
      }
      ids.sort();
    });
    after(async () => store?.close());

    test('a page is kept and given out for its revision only', async () => {
      const [a] = ids;
      assert.equal(await store.itemPageState('itm_none', 'read'), null);
      const first = (await store.itemPageState(a, 'read'))!;
      assert.deepEqual({ ...first, revision: typeof first.revision }, { revision: 'string', hasWork: false, page: null });
      assert.deepEqual((await store.itemsWithoutPage(['read', 'edit'], null, 10)).due.map((r) => r.id), ids);
      await store.saveItemPage(a, 'read', first.revision, bytes('read page'));
      assert.equal(Buffer.from((await store.itemPageState(a, 'read'))!.page!).toString(), 'read page');
      assert.equal((await store.itemPageState(a, 'edit'))!.page, null, 'another variant is another page');
      assert.deepEqual((await store.itemsWithoutPage(['read', 'edit'], null, 10)).due.map((r) => r.id), ids, 'due until both variants are kept');
      await store.saveItemPage(a, 'edit', first.revision, bytes('edit page'));
      assert.deepEqual((await store.itemsWithoutPage(['read', 'edit'], null, 10)).due.map((r) => r.id), [ids[1]]);
      assert.deepEqual(await store.itemsWithoutPage(['read', 'edit'], ids[1], 10), { due: [], last: null }, 'after the last id, nothing');
      assert.deepEqual(await store.itemsWithoutPage(['read', 'edit'], null, 1), { due: [], last: a }, 'a slice of one: the first item, kept');
      await store.saveItemPage(a, 'read', 'not-its-revision', bytes('stale'));
      assert.equal(Buffer.from((await store.itemPageState(a, 'read'))!.page!).toString(), 'read page', 'a page of another revision is not saved');

      const item = (await store.getItem(a))!;
      await store.saveItem({ ...item, title: `${item.title} (revised)` }, [], '2026-12-02T10:00:00.000Z');
      const revised = (await store.itemPageState(a, 'read'))!;
      assert.notEqual(revised.revision, first.revision);
      assert.equal(revised.page, null, 'the old revision\'s page is not given out');
      assert.ok((await store.itemsWithoutPage(['read', 'edit'], null, 10)).due.some((r) => r.id === a && r.revision === revised.revision));
      await store.saveItemPage(a, 'read', first.revision, bytes('late render of the old revision'));
      assert.equal((await store.itemPageState(a, 'read'))!.page, null, 'a render of the old revision finishing late is not kept');
      await store.saveItemPage(a, 'read', revised.revision, bytes('revised page'));
      assert.equal(Buffer.from((await store.itemPageState(a, 'read'))!.page!).toString(), 'revised page');
    });

    test('any work on the item is reported, whatever its kind', async () => {
      const [, b] = ids;
      const item = (await store.getItem(b))!;
      assert.equal((await store.itemPageState(b, 'read'))!.hasWork, false);
      await store.setTechniqueVerdict(b, item.attack[0]?.id ?? 'T1190', 'confirmed', null, { actor: 'ann', at: '2026-12-02T10:00:00.000Z' });
      assert.equal((await store.itemPageState(b, 'read'))!.hasWork, true);
      await store.setTechniqueVerdict(b, item.attack[0]?.id ?? 'T1190', null, null, { actor: 'ann', at: '2026-12-02T10:01:00.000Z' });
      assert.equal((await store.itemPageState(b, 'read'))!.hasWork, false, 'a cleared verdict is no work');
      await store.addEvidence(b, { fileName: 'a.pcap', sha256: 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855', storedAt: 'share', note: null }, { actor: 'ann', at: '2026-12-02T10:02:00.000Z' });
      assert.equal((await store.itemPageState(b, 'read'))!.hasWork, true);
    });

    test('pages of other variants are dropped a batch at a time; the ones to keep stay', async () => {
      const [a] = ids;
      const revision = (await store.itemPageState(a, 'read'))!.revision;
      for (const v of ['read@old', 'edit@old', 'read@new']) await store.saveItemPage(a, v, revision, bytes(v));
      const before = (await store.itemPageState(a, 'read'))!.page;
      assert.equal(await store.dropItemPages(['read@new', 'read', 'edit'], 1), 1);
      assert.equal(await store.dropItemPages(['read@new', 'read', 'edit'], 10), 1);
      assert.equal(await store.dropItemPages(['read@new', 'read', 'edit'], 10), 0);
      assert.equal((await store.itemPageState(a, 'read@old'))!.page, null);
      assert.equal(Buffer.from((await store.itemPageState(a, 'read@new'))!.page!).toString(), 'read@new');
      assert.deepEqual((await store.itemPageState(a, 'read'))!.page, before);
    });

    test('an item merged away takes its kept pages with it', async () => {
      const [a, b] = ids;
      await store.saveItemPage(b, 'read', (await store.itemPageState(b, 'read'))!.revision, bytes('b page'));
      await store.mergeItems(b, a);
      assert.equal(await store.itemPageState(b, 'read'), null);
      assert.ok(!(await store.itemsWithoutPage(['read'], null, 10)).due.some((r) => r.id === b));
    });
  });
}
