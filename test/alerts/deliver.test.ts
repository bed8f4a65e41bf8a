// Alerts end to end on 127.0.0.1: items stored by the pipeline queue alerts, the worker sends them, and the receivers check what arrives.
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, test } from 'node:test';
import { AlertWorker, deliverDue, enqueueAlerts, runDigests, sendMessage } from '../../src/alerts/index.js';
import { slackPayload, teamsPayload } from '../../src/alerts/payloads.js';
import { validateWatchlist } from '../../src/domain/watchlist.js';
import { ingest, reenrich } from '../../src/pipeline.js';
import { openStore } from '../../src/store/index.js';
import { EXAMPLES, testContext } from '../helpers.js';
import { type Receiver, SAAS, SITE, testClock, testDeps, VPN, webhookReceiver, XSS } from './receivers.js';

const SECRET = 'a-long-shared-secret-0123456789';
const open: { close(): Promise<void> }[] = [];
afterEach(async () => {
  for (const o of open.splice(0)) await o.close();
});

async function setup(files: readonly string[], channels: unknown[], extra: Record<string, unknown> = {}) {
  const clock = testClock();
  const store = await openStore(':memory:');
  open.push(store);
  // The watchlist is saved first: the pipeline queues alerts as it stores items.
  await store.saveWatchlist(validateWatchlist({ name: 'critical', rules: { minSeverity: 'HIGH' }, channels, ...extra }), clock.now().toISOString());
  const ids: string[] = [];
  for (const f of files) {
    ids.push((await ingest(store, { bytes: fs.readFileSync(path.join(EXAMPLES, f)), origin: f, example: false }, testContext({ now: clock.now }))).item.id);
  }
  return { store, ids, clock };
}

async function receiver(answer?: (n: number) => number): Promise<Receiver> {
  const r = await webhookReceiver(answer);
  open.push(r);
  return r;
}

describe('generic webhook', () => {
  test('an ingested item arrives once, signed over timestamp and raw body, with its link and reasons', async () => {
    const hook = await receiver();
    const { store, ids, clock } = await setup([VPN, XSS], [{ kind: 'webhook', url: hook.url, secret: SECRET }]);
    const queued = await store.listDeliveries({});
    assert.deepEqual(queued.map((d) => [d.itemId, d.status, d.severity]), [[ids[0], 'pending', 'CRITICAL']], 'the LOW advisory does not match');
    assert.doesNotMatch(queued[0].channel, /secret-path/, 'the log names the channel without its URL');

    const reports = await deliverDue(store, testDeps(clock.now));
    assert.deepEqual(reports.map((r) => [r.status, r.attempts]), [['sent', 1]]);
    assert.equal(hook.received.length, 1);
    const [got] = hook.received;
    assert.equal(got.method, 'POST');
    assert.equal(got.path, '/hook/secret-path');
    assert.equal(got.headers['content-type'], 'application/json; charset=utf-8');
    const timestamp = got.headers['x-vigil-timestamp'] as string;
    assert.equal(timestamp, String(Date.parse('2026-12-01T12:00:00Z') / 1000));
    const expected = `sha256=${crypto.createHmac('sha256', SECRET).update(`${timestamp}.${got.body}`).digest('hex')}`;
    assert.equal(got.headers['x-vigil-signature'], expected);
    const forged = `sha256=${crypto.createHmac('sha256', SECRET).update(`${Number(timestamp) + 600}.${got.body}`).digest('hex')}`;
    assert.notEqual(forged, expected, 'the timestamp is part of what is signed');
    const body = JSON.parse(got.body);
    assert.equal(body.type, 'vigil.alert/1');
    assert.equal(body.watchlist, 'critical');
    assert.equal(body.items.length, 1);
    assert.equal(body.items[0].id, ids[0]);
    assert.equal(body.items[0].link, `${SITE}/items/${ids[0]}`);
    assert.equal(body.items[0].severity, 'CRITICAL');
    assert.equal(body.items[0].triage, (await store.getItem(ids[0]))!.triage.level);
    assert.deepEqual(body.items[0].reasons, ['severity CRITICAL (at least HIGH)']);

    const [sent] = await store.listDeliveries({ status: 'sent' });
    assert.equal(sent.sentAt, '2026-12-01T12:00:00.000Z');
    assert.deepEqual(await deliverDue(store, testDeps(clock.now)), [], 'nothing is sent twice');
  });

  test('an updated item alerts again only when its severity rises', async () => {
    const hook = await receiver();
    const { store, ids, clock } = await setup([VPN], [{ kind: 'webhook', url: hook.url }]);
    await deliverDue(store, testDeps(clock.now));
    const ctx = testContext({ now: clock.now });
    await reenrich(store, { ...ctx, kb: { ...ctx.kb, version: `${ctx.kb.version}-next` } });
    assert.equal((await store.listDeliveries({})).length, 1);
    assert.deepEqual(await deliverDue(store, testDeps(clock.now)), [], 're-enriched at the same severity: no second alert');

    const item = (await store.getItem(ids[0]))!;
    const lower = { ...item, severity: { ...item.severity, level: 'HIGH' as const } };
    assert.equal(await enqueueAlerts(store, lower, { now: clock.now }), 0);
    const base = { watchlist: 'critical', itemId: ids[0], channel: (await store.listDeliveries({}))[0].channel, schedule: 'immediate' as const, payload: {}, nextAttemptAt: clock.now().toISOString() };
    assert.equal(await store.enqueueDelivery({ ...base, severity: 'HIGH' }, clock.now().toISOString()), 'unchanged');
    assert.equal(await store.enqueueDelivery({ ...base, severity: 'CRITICAL' }, clock.now().toISOString()), 'unchanged');
    // From HIGH to CRITICAL on a watchlist that had alerted at HIGH: one more alert.
    const { store: other, clock: c2 } = await setup([SAAS], [{ kind: 'webhook', url: hook.url }]);
    await deliverDue(other, testDeps(c2.now));
    const saas = (await other.getItem((await other.listDeliveries({}))[0].itemId))!;
    assert.equal(await enqueueAlerts(other, { ...saas, severity: { ...saas.severity, level: 'CRITICAL' } }, { now: c2.now }), 1);
    const [again] = await other.listDeliveries({});
    assert.deepEqual([again.status, again.severity, again.attempts], ['pending', 'CRITICAL', 0]);
    await deliverDue(other, testDeps(c2.now));
    assert.deepEqual(hook.received.map((r) => JSON.parse(r.body).items[0].severity), ['CRITICAL', 'HIGH', 'CRITICAL']);
  });

  test('a receiver failing twice with 500 gets it on the third attempt, at backoff times, with no real wait', async () => {
    const hook = await receiver((n) => (n <= 2 ? 500 : 204));
    const { store, clock } = await setup([VPN], [{ kind: 'webhook', url: hook.url }]);
    const deps = testDeps(clock.now, { retry: { maxAttempts: 5, baseMs: 60_000, maxMs: 3_600_000 } });
    const first = await deliverDue(store, deps);
    assert.deepEqual(first.map((r) => [r.status, r.attempts]), [['failed', 1]]);
    assert.match(first[0].error!, /^http-status: .*HTTP 500/);
    const [failed] = await store.listDeliveries({});
    // Equal jitter with random 0.5: three quarters of the 60 s step.
    assert.equal(failed.nextAttemptAt, '2026-12-01T12:00:45.000Z');
    assert.deepEqual(await deliverDue(store, deps), [], 'not due before its backoff');
    clock.set('2026-12-01T12:00:45Z');
    assert.deepEqual((await deliverDue(store, deps)).map((r) => [r.status, r.attempts]), [['failed', 2]]);
    assert.equal((await store.listDeliveries({}))[0].nextAttemptAt, '2026-12-01T12:02:15.000Z', 'the step doubles');
    clock.set('2026-12-01T12:02:15Z');
    assert.deepEqual((await deliverDue(store, deps)).map((r) => [r.status, r.attempts]), [['sent', 3]]);
    assert.equal(hook.received.length, 3);
    assert.equal(new Set(hook.received.map((r) => r.headers['x-vigil-delivery'])).size, 1, 'every retry names the same delivery');
    const [sent] = await store.listDeliveries({});
    assert.deepEqual([sent.status, sent.attempts, sent.lastError, sent.sentAt], ['sent', 3, null, '2026-12-01T12:02:15.000Z']);
  });

  test('a receiver that always fails ends dead after the last attempt and stays in the log', async () => {
    const hook = await receiver(() => 503);
    const { store, clock } = await setup([VPN], [{ kind: 'webhook', url: hook.url }]);
    const deps = testDeps(clock.now, { retry: { maxAttempts: 3 } });
    const seen = [];
    for (let i = 0; i < 6; i++) {
      seen.push(...(await deliverDue(store, deps)).map((r) => r.status));
      clock.advance(24 * 3_600_000);
    }
    assert.deepEqual(seen, ['failed', 'failed', 'dead']);
    assert.equal(hook.received.length, 3);
    const dead = await store.listDeliveries({ status: 'dead' });
    assert.equal(dead.length, 1);
    assert.deepEqual([dead[0].attempts, dead[0].nextAttemptAt], [3, null]);
    assert.match(dead[0].lastError!, /HTTP 503/);
    assert.doesNotMatch(dead[0].lastError!, /secret-path/, 'the error names the origin, not the secret path');
    assert.deepEqual(await store.listDeliveries({ status: 'sent' }), []);
  });

  test('a webhook to 10.0.0.1 is refused by the SSRF guard as blocked-address and never retried', async () => {
    const { store, clock } = await setup([VPN], [{ kind: 'webhook', url: 'http://10.0.0.1:8080/hook' }]);
    const reports = await deliverDue(store, testDeps(clock.now));
    assert.deepEqual(reports.map((r) => [r.status, r.attempts]), [['dead', 1]]);
    assert.match(reports[0].error!, /^blocked-address: .*private network/);
    // Loopback is let through only by name in allowHosts; without it the guard refuses it too.
    const hook = await receiver();
    await assert.rejects(
      sendMessage({ kind: 'webhook', url: hook.url }, { watchlist: 'w', schedule: 'immediate', entries: [] }, testDeps(clock.now, { guard: { allowPrivateNetworks: false, allowHosts: [] } }), 'k'),
      (e: Error & { code?: string }) => e.code === 'blocked-address',
    );
    await assert.rejects(
      sendMessage({ kind: 'webhook', url: 'http://localhost.:1/' }, { watchlist: 'w', schedule: 'immediate', entries: [] }, testDeps(clock.now, { guard: { allowPrivateNetworks: false, allowHosts: [] } }), 'k'),
      (e: Error & { code?: string }) => e.code === 'blocked-address', 'a name resolving to loopback is refused after resolution',
    );
    assert.equal(hook.received.length, 0);
  });

  test('a removed watchlist dead-letters its queued deliveries; the worker runs a tick', async () => {
    const hook = await receiver();
    const { store, clock } = await setup([VPN], [{ kind: 'webhook', url: hook.url }]);
    await store.removeWatchlist('critical');
    const worker = new AlertWorker(store, testDeps(clock.now));
    const reports = await worker.tick();
    assert.deepEqual(reports.map((r) => [r.status, r.error]), [['dead', 'the watchlist was removed']]);
    assert.equal(hook.received.length, 0);
  });
});

const HOSTILE = '<script>alert(1)</script> & <!channel> <https://evil.example|click> [x](https://evil.example) *bold*';
const entry = { itemId: 'itm_1', title: HOSTILE, severity: 'CRITICAL', priority: 0.742, triage: 'IMMEDIATE', reasons: ['vendor <!here> & Co'], summary: null };

describe('Slack and Teams payloads', () => {
  test('Slack: {text, blocks} with &, < and > escaped, so no mention, link or tag comes from a title', async () => {
    const hook = await receiver();
    const { store, ids, clock } = await setup([VPN], [{ kind: 'slack', url: hook.url }]);
    await deliverDue(store, testDeps(clock.now));
    const arrived = JSON.parse(hook.received[0].body);
    assert.deepEqual(Object.keys(arrived).sort(), ['blocks', 'text']);
    assert.equal(hook.received[0].headers['x-vigil-signature'], undefined, 'Slack webhooks are not signed by us');
    assert.match(arrived.blocks[1].text.text, new RegExp(`^\\*<${SITE}/items/${ids[0]}\\|`));

    const p = slackPayload({ watchlist: 'critical', schedule: 'immediate', entries: [entry] }, SITE);
    const all = JSON.stringify(p);
    for (const bad of ['<script>', '<!channel>', '<!here>', '<https://evil.example']) assert.ok(!all.includes(bad), `${bad} is escaped`);
    assert.equal(p.text, '[CRITICAL] &lt;script&gt;alert(1)&lt;/script&gt; &amp; &lt;!channel&gt; &lt;https://evil.example|click&gt; [x](https://evil.example) *bold* (watchlist critical)');
    const section = (p.blocks[1] as { text: { type: string; text: string } }).text;
    assert.equal(section.type, 'mrkdwn');
    assert.equal(section.text.split('\n')[0], `*<${SITE}/items/itm_1|&lt;script&gt;alert(1)&lt;/script&gt; &amp; &lt;!channel&gt; &lt;https://evil.example¦click&gt; [x](https://evil.example) *bold*>*`);
    assert.equal(section.text.split('\n')[1], 'Severity: CRITICAL · Priority: 0.742 · Triage: IMMEDIATE');
    assert.deepEqual(p.blocks[2], { type: 'context', elements: [{ type: 'mrkdwn', text: 'Matched: vendor &lt;!here&gt; &amp; Co' }] });
    assert.ok(!all.includes('\\n<'), 'no line starts with markup');
  });

  test('Teams: an Adaptive Card message whose text is Markdown-escaped, with an action opening the item', async () => {
    const hook = await receiver();
    const { store, ids, clock } = await setup([VPN], [{ kind: 'teams', url: hook.url }]);
    await deliverDue(store, testDeps(clock.now));
    const arrived = JSON.parse(hook.received[0].body);
    assert.equal(arrived.type, 'message');
    assert.equal(arrived.attachments[0].contentType, 'application/vnd.microsoft.card.adaptive');
    assert.equal(arrived.attachments[0].content.type, 'AdaptiveCard');
    assert.deepEqual(arrived.attachments[0].content.actions, [{ type: 'Action.OpenUrl', title: 'Open in Vigil', url: `${SITE}/items/${ids[0]}` }]);

    const card = (teamsPayload({ watchlist: 'critical', schedule: 'immediate', entries: [{ ...entry, title: `${HOSTILE}\r\nline two` }] }, SITE) as {
      attachments: { content: { body: { type: string; text?: string; facts?: { title: string; value: string }[] }[] } }[];
    }).attachments[0].content;
    const title = card.body[1].text!;
    assert.equal(title, '\\<script\\>alert\\(1\\)\\</script\\> \\& \\<\\!channel\\> \\<https\\://evil\\.example\\|click\\> \\[x\\]\\(https\\://evil\\.example\\) \\*bold\\* line two');
    assert.ok(!/(^|[^\\])[<[*]/.test(title), 'every < [ and * is escaped');
    const facts = card.body[2].facts!;
    assert.deepEqual(facts.map((f) => f.title), ['Severity', 'Priority', 'Triage', 'Matched']);
    assert.equal(facts[3].value, 'vendor \\<\\!here\\> \\& Co');
  });
});

describe('digests', () => {
  test('a daily watchlist collects the day\'s matches and sends them as one message at 00:00 UTC', async () => {
    const hook = await receiver();
    const { store, ids, clock } = await setup([VPN, SAAS, XSS], [{ kind: 'webhook', url: hook.url, secret: SECRET }, { kind: 'slack', url: hook.url }], { schedule: 'daily' });
    const queued = await store.listDeliveries({});
    assert.equal(queued.length, 4, 'two items on two channels');
    assert.ok(queued.every((d) => d.nextAttemptAt === '2026-12-02T00:00:00.000Z'));
    const deps = testDeps(clock.now);
    assert.deepEqual(await deliverDue(store, deps), [], 'digest entries are not sent one by one');
    assert.deepEqual(await runDigests(store, deps), [], 'not before the end of the day');
    clock.set('2026-12-02T00:00:30Z');
    const reports = await runDigests(store, deps);
    assert.deepEqual(reports.map((r) => r.status), ['sent', 'sent', 'sent', 'sent']);
    assert.equal(hook.received.length, 2, 'one message per channel');
    const webhook = JSON.parse(hook.received.find((r) => r.headers['x-vigil-signature'])!.body);
    assert.equal(webhook.schedule, 'daily');
    assert.deepEqual(webhook.items.map((i: { id: string }) => i.id).sort(), [ids[0], ids[1]].sort());
    const slack = JSON.parse(hook.received.find((r) => !r.headers['x-vigil-signature'])!.body);
    assert.equal(slack.text, 'Vigil daily digest (watchlist critical): 2 items');
    assert.deepEqual(await runDigests(store, deps), [], 'each digest is sent once');
  });

  test('a weekly digest waits for Monday 00:00 UTC', async () => {
    const hook = await receiver();
    const { store } = await setup([VPN], [{ kind: 'webhook', url: hook.url }], { schedule: 'weekly' });
    // 2026-12-01 is a Tuesday.
    assert.equal((await store.listDeliveries({}))[0].nextAttemptAt, '2026-12-07T00:00:00.000Z');
  });
});
