// Read marks of opened items: kept a moment and written together, one statement per user, in the order they were made.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ReadMarks } from '../../src/store/read-marks.js';

function recording() {
  const writes: [string, string[], string][] = [];
  let delay = Promise.resolve();
  const store = async (user: string, ids: readonly string[], at: string) => {
    await delay;
    writes.push([user, [...ids], at]);
  };
  return { store, writes, slow: (p: Promise<void>) => (delay = p) };
}

test('marks wait, then one write per user names every item opened and the last time', async () => {
  const { store, writes } = recording();
  const marks = new ReadMarks(store);
  marks.mark('ann', 'itm_a', 't1');
  marks.mark('bob', 'itm_a', 't2');
  marks.mark('ann', 'itm_b', 't3');
  marks.mark('ann', 'itm_a', 't4');
  assert.deepEqual(writes, [], 'nothing written while the marks wait');
  await marks.flush();
  assert.deepEqual(writes, [['ann', ['itm_a', 'itm_b'], 't4'], ['bob', ['itm_a'], 't2']]);
  await marks.flush();
  assert.equal(writes.length, 2, 'a flush with nothing waiting writes nothing');
});

test('without a flush the marks are written after a short wait', async () => {
  const { store, writes } = recording();
  const marks = new ReadMarks(store);
  marks.mark('ann', 'itm_a', 't1');
  await new Promise((r) => setTimeout(r, 100));
  assert.deepEqual(writes, [['ann', ['itm_a'], 't1']]);
});

test('a flush resolves after the writes under way: a later mark never lands before an earlier one', async () => {
  const { store, writes, slow } = recording();
  const marks = new ReadMarks(store);
  let release!: () => void;
  slow(new Promise((r) => (release = r)));
  marks.mark('ann', 'itm_a', 't1');
  const first = marks.flush();
  marks.mark('ann', 'itm_a', 't2');
  const second = marks.flush();
  release();
  await second;
  await first;
  assert.deepEqual(writes.map((w) => w[2]), ['t1', 't2']);
});
