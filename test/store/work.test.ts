// The team's work on items in the store, on both engines: step state, evidence, verdicts, the false-positive list, the audit log.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { openStore, type Store } from '../../src/store/index.js';
import { postgresBin, storeEngines } from '../pg-cluster.js';

const engines = storeEngines();
const ann = { actor: 'ann', at: '2026-12-01T10:00:00.000Z' };
const bob = { actor: 'bob', at: '2026-12-01T11:00:00.000Z' };
const HASH = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';

for (const [engine, location] of Object.entries(engines)) {
  describe(`work on ${engine}`, { skip: engine === 'postgres' && !postgresBin() ? 'PostgreSQL is not installed here (.ci/run installs it)' : false }, () => {
    let store: Store;
    before(async () => {
      store = await openStore(await location());
    });
    after(async () => store?.close());

    test('a step is ticked, assigned and annotated; each field changed is one audit row with before and after', async () => {
      const ticked = await store.updateStep('itm_a', 'containment:revoke-sessions', { done: true }, ann);
      assert.deepEqual(ticked, {
        itemId: 'itm_a', stepKey: 'containment:revoke-sessions', done: true, doneBy: 'ann', doneAt: ann.at, assignee: null, note: null,
        updatedBy: 'ann', updatedAt: ann.at,
      });
      const noted = await store.updateStep('itm_a', 'containment:revoke-sessions', { done: true, assignee: 'bob', note: 'tenant admin <b>only</b>' }, bob);
      assert.equal(noted?.doneBy, 'ann', 'ticking again keeps who ticked it first');
      assert.equal(noted?.assignee, 'bob');
      assert.equal(noted?.updatedBy, 'bob');
      assert.equal(await store.updateStep('itm_a', 'containment:revoke-sessions', { note: 'tenant admin <b>only</b>' }, bob).then((s) => s?.updatedAt), bob.at);
      const log = await store.auditLog({ itemId: 'itm_a', limit: 10, offset: 0 });
      assert.deepEqual(log.map((e) => [e.actor, e.action]), [['bob', 'step.note'], ['bob', 'step.assign'], ['ann', 'step.done']]);
      assert.deepEqual(log[0].before, { note: null });
      assert.deepEqual(log[0].after, { note: 'tenant admin <b>only</b>' });
      assert.deepEqual(log[2].after, { done: true, doneBy: 'ann', doneAt: ann.at });
      const untick = await store.updateStep('itm_a', 'containment:revoke-sessions', { done: false }, bob);
      assert.equal(untick?.done, false);
      assert.equal(untick?.doneBy, null);
      assert.equal((await store.auditLog({ itemId: 'itm_a', limit: 1, offset: 0 }))[0].action, 'step.undone');
      assert.equal(await store.updateStep('itm_b', 'recovery:restore', { note: null }, ann), null, 'nothing to change writes nothing');
      assert.equal((await store.itemWork('itm_b')).steps.length, 0);
      assert.deepEqual((await store.itemWork('itm_a')).steps.map((s) => s.stepKey), ['containment:revoke-sessions']);
    });

    test('the evidence register keeps who added each file and when, in order', async () => {
      const a = await store.addEvidence('itm_a', { fileName: 'okta-export.json', sha256: HASH, storedAt: 'case share /ir/2026-12', note: null }, ann);
      const b = await store.addEvidence('itm_a', { fileName: 'fw.pcap', sha256: HASH.replace(/^e3/, 'ff'), storedAt: 'S3 object lock', note: 'before the reboot' }, bob);
      assert.ok(b.id > a.id);
      const list = await store.listEvidence('itm_a');
      assert.deepEqual(list.map((e) => [e.fileName, e.addedBy, e.addedAt, e.note]), [['okta-export.json', 'ann', ann.at, null], ['fw.pcap', 'bob', bob.at, 'before the reboot']]);
      assert.deepEqual(await store.listEvidence('itm_b'), []);
      const log = await store.auditLog({ itemId: 'itm_a', limit: 1, offset: 0 });
      assert.equal(log[0].action, 'evidence.add');
      assert.match(log[0].target, /fw\.pcap/);
    });

    test('technique verdicts are per item, replaceable and clearable, all audited', async () => {
      await store.setTechniqueVerdict('itm_a', 'T1078', 'confirmed', null, ann);
      const r = await store.setTechniqueVerdict('itm_a', 'T1190', 'rejected', 'no exposed service', bob);
      assert.equal(r?.verdict, 'rejected');
      assert.deepEqual((await store.itemWork('itm_a')).techniques.map((t) => [t.techniqueId, t.verdict, t.by]), [['T1078', 'confirmed', 'ann'], ['T1190', 'rejected', 'bob']]);
      assert.deepEqual((await store.itemWork('itm_b')).techniques, []);
      assert.equal(await store.setTechniqueVerdict('itm_a', 'T1078', null, null, bob), null);
      assert.deepEqual((await store.itemWork('itm_a')).techniques.map((t) => t.techniqueId), ['T1190']);
      const log = await store.auditLog({ itemId: 'itm_a', limit: 3, offset: 0 });
      assert.deepEqual(log.map((e) => e.action), ['technique.clear', 'technique.reject', 'technique.confirm']);
      assert.equal((log[0].before as { verdict: string }).verdict, 'confirmed');
    });

    test('an IOC rejected as a false positive goes on the persistent list; confirming it takes it off', async () => {
      await store.setIocVerdict('itm_a', 'domain', 'cdn.vendor-updates.net', 'rejected', 'the vendor CDN', true, ann);
      await store.setIocVerdict('itm_a', 'ipv4', '203.0.113.9', 'rejected', 'scanner noise', false, ann);
      assert.deepEqual((await store.falsePositives()).map((f) => [f.type, f.value, f.reason, f.addedBy, f.itemId]), [['domain', 'cdn.vendor-updates.net', 'the vendor CDN', 'ann', 'itm_a']]);
      assert.deepEqual((await store.itemWork('itm_a')).iocs.map((i) => [i.value, i.verdict, i.falsePositive]), [['cdn.vendor-updates.net', 'rejected', true], ['203.0.113.9', 'rejected', false]]);
      await store.setIocVerdict('itm_b', 'domain', 'cdn.vendor-updates.net', 'confirmed', 'seen beaconing here', false, bob);
      assert.deepEqual(await store.falsePositives(), []);
      const log = await store.auditLog({ limit: 2, offset: 0 });
      assert.deepEqual(log.map((e) => [e.action, e.itemId]), [['false-positive.remove', 'itm_b'], ['ioc.confirm', 'itm_b']]);
      await store.setIocVerdict('itm_c', 'domain', 'cdn.vendor-updates.net', 'rejected', 'the vendor CDN after all', true, bob);
      assert.equal(await store.removeFalsePositive('domain', 'cdn.vendor-updates.net', ann), true);
      assert.equal(await store.removeFalsePositive('domain', 'cdn.vendor-updates.net', ann), false);
      const removed = (await store.auditLog({ limit: 1, offset: 0 }))[0];
      assert.equal(removed.action, 'false-positive.remove');
      assert.equal(removed.itemId, null);
      assert.equal((removed.before as { reason: string }).reason, 'the vendor CDN after all');
    });

    test('when stories merge, the work of the merged-away item moves to the kept item, which keeps its own where both have one', async () => {
      await store.updateStep('itm_m1', 'containment:a', { done: true }, ann);
      await store.updateStep('itm_m1', 'recovery:b', { note: 'from m1' }, ann);
      await store.updateStep('itm_m2', 'recovery:b', { note: 'from m2' }, bob);
      await store.addEvidence('itm_m1', { fileName: 'm1.log', sha256: HASH, storedAt: 'share', note: null }, ann);
      await store.setTechniqueVerdict('itm_m1', 'T1078', 'rejected', 'no', ann);
      await store.setIocVerdict('itm_m1', 'ipv4', '203.0.113.5', 'confirmed', null, false, ann);
      await store.mergeItems('itm_m1', 'itm_m2');
      const kept = await store.itemWork('itm_m2');
      assert.deepEqual(kept.steps.map((s) => [s.stepKey, s.done, s.note]), [['containment:a', true, null], ['recovery:b', false, 'from m2']]);
      assert.deepEqual(kept.evidence.map((e) => e.fileName), ['m1.log']);
      assert.deepEqual(kept.techniques.map((t) => t.techniqueId), ['T1078']);
      assert.deepEqual(kept.iocs.map((i) => i.value), ['203.0.113.5']);
      assert.deepEqual(await store.itemWork('itm_m1'), { steps: [], evidence: [], techniques: [], iocs: [] });
    });

    test('the audit log pages newest first, across items', async () => {
      const all = await store.auditLog({ limit: 1000, offset: 0 });
      assert.ok(all.length >= 15);
      assert.deepEqual(all.map((e) => e.id), [...all.map((e) => e.id)].sort((a, b) => b - a));
      const page = await store.auditLog({ limit: 3, offset: 3 });
      assert.deepEqual(page.map((e) => e.id), all.slice(3, 6).map((e) => e.id));
    });
  });
}
