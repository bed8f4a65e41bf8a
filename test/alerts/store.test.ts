// The alert tables on both engines: watchlists round-trip, one delivery per watchlist, item and channel, due rows claimed, the log filtered.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { validateWatchlist } from '../../src/domain/watchlist.js';
import { openStore, type Store } from '../../src/store/index.js';
import { postgresBin, storeEngines } from '../pg-cluster.js';

const engines = storeEngines();

const T0 = '2026-12-01T12:00:00.000Z';
const delivery = (over: Record<string, unknown> = {}) => ({
  watchlist: 'crit', itemId: 'itm_1', channel: 'webhook:h.example#00000000', schedule: 'immediate' as const, severity: 'HIGH',
  payload: { itemId: 'itm_1', title: 'A' }, nextAttemptAt: T0, ...over,
});

for (const [engine, location] of Object.entries(engines)) {
  describe(`alert store on ${engine}`, { skip: engine === 'postgres' && !postgresBin() ? 'PostgreSQL is not installed here (.ci/run installs it)' : false }, () => {
    let store: Store;
    before(async () => {
      store = await openStore(await location());
    });
    after(async () => store?.close());

    test('watchlists save, update, list and remove', async () => {
      const w = validateWatchlist({ name: 'crit', rules: { minSeverity: 'HIGH', vendors: ['Ironvale'] }, channels: [{ kind: 'webhook', url: 'https://h.example/x', secret: '0123456789abcdef' }] });
      assert.equal(await store.saveWatchlist(w, T0), 'inserted');
      assert.equal(await store.saveWatchlist(w, T0), 'unchanged');
      assert.equal(await store.saveWatchlist({ ...w, schedule: 'daily' }, T0), 'updated');
      assert.deepEqual(await store.listWatchlists(), [{ ...w, schedule: 'daily' }]);
      assert.equal(await store.removeWatchlist('crit'), true);
      assert.equal(await store.removeWatchlist('crit'), false);
      assert.deepEqual(await store.listWatchlists(), []);
    });

    test('one delivery per watchlist, item and channel; again only when the severity rises', async () => {
      assert.equal(await store.enqueueDelivery(delivery(), T0), 'inserted');
      assert.equal(await store.enqueueDelivery(delivery({ severity: 'HIGH' }), T0), 'unchanged');
      assert.equal(await store.enqueueDelivery(delivery({ severity: 'LOW' }), T0), 'unchanged');
      assert.equal(await store.enqueueDelivery(delivery({ channel: 'slack:hooks.slack.com#11111111' }), T0), 'inserted');
      const [row] = await store.listDeliveries({ limit: 1 });
      await store.markDelivery((await store.listDeliveries({})).find((d) => d.channel.startsWith('webhook'))!.id,
        { status: 'sent', attempts: 1, nextAttemptAt: null, lastError: null, sentAt: T0 });
      assert.equal(await store.enqueueDelivery(delivery({ severity: 'CRITICAL', payload: { v: 2 } }), T0), 'updated');
      const again = (await store.listDeliveries({})).find((d) => d.channel.startsWith('webhook'))!;
      assert.deepEqual([again.status, again.attempts, again.severity, again.sentAt, again.payload], ['pending', 0, 'CRITICAL', null, { v: 2 }]);
      assert.equal(typeof row.id, 'number');
    });

    test('due rows are claimed with a lease, digests apart; the log filters by status', async () => {
      await store.enqueueDelivery(delivery({ itemId: 'itm_2', schedule: 'daily', nextAttemptAt: '2026-12-02T00:00:00.000Z' }), T0);
      const due = await store.dueDeliveries(T0, 10, { leaseUntil: '2026-12-01T12:05:00.000Z' });
      assert.deepEqual(due.map((d) => [d.itemId, d.channel.split(':')[0]]).sort(), [['itm_1', 'slack'], ['itm_1', 'webhook']]);
      assert.deepEqual(await store.dueDeliveries(T0, 10, { leaseUntil: '2026-12-01T12:05:00.000Z' }), [], 'claimed rows are not handed out twice');
      assert.equal((await store.dueDeliveries('2026-12-01T12:05:00.000Z', 10)).length, 2, 'an expired lease frees them');
      assert.deepEqual(await store.dueDeliveries(T0, 10, { digest: true }), []);
      assert.deepEqual((await store.dueDeliveries('2026-12-02T00:00:00.000Z', 10, { digest: true })).map((d) => d.itemId), ['itm_2']);
      await store.markDelivery(due[0].id, { status: 'dead', attempts: 6, nextAttemptAt: null, lastError: 'http-status: HTTP 500', sentAt: null });
      const dead = await store.listDeliveries({ status: 'dead' });
      assert.deepEqual(dead.map((d) => [d.id, d.lastError]), [[due[0].id, 'http-status: HTTP 500']]);
      assert.equal((await store.listDeliveries({ watchlist: 'other' })).length, 0);
      assert.equal((await store.listDeliveries({})).length, 3);
    });
  });
}
