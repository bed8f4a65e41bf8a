// The list's facet counts kept by the item writes (migration 0009_term_counts), on both engines: always what counting every
// item's terms gives, through saves that change an item's values, merges that remove an item, and bulk imports.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { SEVERITIES } from '../../src/domain/index.js';
import { ingest } from '../../src/pipeline.js';
import { openStore, type Store } from '../../src/store/index.js';
import { EXAMPLES, exampleFiles, testContext } from '../helpers.js';
import { postgresBin, storeEngines } from '../pg-cluster.js';

const engines = storeEngines();

for (const [engine, location] of Object.entries(engines)) {
  describe(`facet counts on ${engine}`, { skip: engine === 'postgres' && !postgresBin() ? 'PostgreSQL is not installed here (.ci/run installs it)' : false }, () => {
    let store: Store;
    const ids: string[] = [];
    before(async () => {
      store = await openStore(await location());
      for (const f of exampleFiles()) ids.push((await ingest(store, { bytes: fs.readFileSync(path.join(EXAMPLES, f)), origin: f, example: true }, testContext())).item.id);
    });
    after(async () => store?.close());

    // Every item has a severity: filtered by all of them, countTerms counts item_terms itself.
    const counted = () => store.countTerms(undefined, { filters: { severity: [...SEVERITIES] } });
    const kept = () => store.countTerms();

    test('the kept counts are the counted ones after ingest', async () => {
      const k = await kept();
      assert.ok(k.length > 20, `${k.length} facet values`);
      assert.deepEqual(k, await counted());
      assert.equal((await store.countTerms(['severity'])).reduce((n, f) => n + f.count, 0), ids.length);
    });

    test('a save that changes an item\'s values moves its counts; a merge takes the merged item\'s away; an import adds', async () => {
      const item = (await store.getItem(ids[0]))!;
      const other = SEVERITIES.find((s) => s !== item.severity.level)!;
      const severity = async () => Object.fromEntries((await store.countTerms(['severity'])).map((f) => [f.value, f.count]));
      const before = await severity();
      await store.saveItem({ ...item, severity: { ...item.severity, level: other } }, [], '2026-12-02T10:00:00.000Z');
      const after = await severity();
      assert.equal(after[other] ?? 0, (before[other] ?? 0) + 1);
      assert.equal(after[item.severity.level] ?? 0, (before[item.severity.level] ?? 0) - 1);
      assert.deepEqual(await kept(), await counted());
      await store.mergeItems(ids[1], ids[2]);
      assert.deepEqual(await kept(), await counted());
      assert.equal((await store.countTerms(['severity'])).reduce((n, f) => n + f.count, 0), ids.length - 1);
      await store.importItems([{ ...item, id: 'itm_imported_copy', facts: { ...item.facts, organisations: [{ name: 'Zzyzx Imports', role: 'victim', evidence: { text: 'Zzyzx Imports', rule: 'test' } }] } }], '2026-12-02T11:00:00.000Z');
      assert.deepEqual(await kept(), await counted());
      assert.ok(!(await kept()).some((f) => f.count <= 0), 'a value no item has any more is gone');
    });
  });
}
