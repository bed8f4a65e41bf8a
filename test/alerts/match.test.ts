// The watchlist rules as data: validation that names the wrong field, and the pure matcher with its reasons.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { matches } from '../../src/alerts/match.js';
import type { Item } from '../../src/domain/index.js';
import { validateWatchlist, type Watchlist } from '../../src/domain/watchlist.js';
import type { Store } from '../../src/store/index.js';
import { SAAS, storeWith, testClock, VPN, XSS } from './receivers.js';

const hook = [{ kind: 'webhook', url: 'https://hooks.example/x' }];
const wl = (rules: Watchlist['rules']): Watchlist => validateWatchlist({ name: 'w', rules, channels: hook });

describe('watchlist validation', () => {
  test('defaults the schedule and enabled; keeps rules and channels', () => {
    const w = validateWatchlist({ name: 'crit', rules: { minSeverity: 'HIGH' }, channels: hook });
    assert.deepEqual(w, { name: 'crit', rules: { minSeverity: 'HIGH' }, channels: hook, schedule: 'immediate', enabled: true });
  });
  const refused: [string, unknown, RegExp][] = [
    ['no rules', { name: 'a', rules: {}, channels: hook }, /no rules/],
    ['no channels', { name: 'a', rules: { minSeverity: 'HIGH' }, channels: [] }, /channels/],
    ['a bad name', { name: 'A B', rules: { minSeverity: 'HIGH' }, channels: hook }, /name/],
    ['an unknown severity', { name: 'a', rules: { minSeverity: 'SEVERE' }, channels: hook }, /minSeverity/],
    ['an unknown rule', { name: 'a', rules: { vendor: ['x'] }, channels: hook }, /rules/],
    ['a slack channel without url', { name: 'a', rules: { minSeverity: 'HIGH' }, channels: [{ kind: 'slack' }] }, /needs an http\(s\) url/],
    ['a non-http url', { name: 'a', rules: { minSeverity: 'HIGH' }, channels: [{ kind: 'webhook', url: 'file:///etc/passwd' }] }, /url/],
    ['credentials in a url', { name: 'a', rules: { minSeverity: 'HIGH' }, channels: [{ kind: 'webhook', url: 'https://u:p@h.example/' }] }, /credentials/],
    ['a secret on slack', { name: 'a', rules: { minSeverity: 'HIGH' }, channels: [{ kind: 'slack', url: 'https://h.example/', secret: '0123456789abcdef' }] }, /only a generic webhook/],
    ['a short secret', { name: 'a', rules: { minSeverity: 'HIGH' }, channels: [{ kind: 'webhook', url: 'https://h.example/', secret: 'short' }] }, /secret/],
    ['an address with a CRLF', { name: 'a', rules: { minSeverity: 'HIGH' }, channels: [{ kind: 'email', to: ['a@b.example\r\nBcc: c@d.example'] }] }, /to/],
    ['an email channel without recipients', { name: 'a', rules: { minSeverity: 'HIGH' }, channels: [{ kind: 'email' }] }, /recipients/],
    ['an unknown schedule', { name: 'a', rules: { minSeverity: 'HIGH' }, channels: hook, schedule: 'hourly' }, /schedule/],
  ];
  for (const [what, raw, message] of refused) test(`refuses ${what}`, () => assert.throws(() => validateWatchlist(raw), message));
});

describe('matches', () => {
  let store: Store;
  const items: Record<string, Item> = {};
  before(async () => {
    const s = await storeWith([VPN, SAAS, XSS], testClock().now);
    store = s.store;
    for (const [name, id] of [[VPN, s.ids[0]], [SAAS, s.ids[1]], [XSS, s.ids[2]]]) items[name] = (await store.getItem(id))!;
  });
  after(() => store?.close());

  test('vendor, product and CVE, case-insensitive, on whole words', () => {
    assert.deepEqual(matches(wl({ vendors: ['ironvale networks'] }), items[VPN]), { matched: true, reasons: ['vendor Ironvale Networks'] });
    assert.equal(matches(wl({ vendors: ['IRONVALE'] }), items[VPN]).matched, true);
    assert.equal(matches(wl({ vendors: ['Ironval'] }), items[VPN]).matched, false, 'a part of a word is not a name');
    assert.deepEqual(matches(wl({ products: ['secureedge os'] }), items[VPN]).reasons, ['product SecureEdge OS']);
    assert.deepEqual(matches(wl({ cves: ['cve-2026-21847'] }), items[VPN]).reasons, ['cites CVE-2026-21847']);
    assert.equal(matches(wl({ cves: ['CVE-2026-21847'] }), items[XSS]).matched, false);
  });

  test('sector and incident type by id or label', () => {
    assert.deepEqual(matches(wl({ sectors: ['HEALTHCARE'] }), items[SAAS]).reasons, ['sector Healthcare']);
    assert.equal(matches(wl({ sectors: ['Healthcare'] }), items[VPN]).matched, false);
    assert.deepEqual(matches(wl({ archetypes: ['exploited-internet-facing-vulnerability'] }), items[VPN]).reasons, [`incident type ${items[VPN].archetype.label}`]);
    assert.equal(matches(wl({ archetypes: [items[SAAS].archetype.label.toLowerCase()] }), items[SAAS]).matched, true);
  });

  test('severity follows SEVERITIES order; priority is a floor', () => {
    assert.deepEqual(matches(wl({ minSeverity: 'HIGH' }), items[VPN]).reasons, ['severity CRITICAL (at least HIGH)']);
    assert.equal(matches(wl({ minSeverity: 'HIGH' }), items[SAAS]).matched, true);
    assert.equal(matches(wl({ minSeverity: 'HIGH' }), items[XSS]).matched, false, 'LOW is below HIGH');
    assert.equal(matches(wl({ minSeverity: 'INFORMATIONAL' }), items[XSS]).matched, true);
    assert.equal(matches(wl({ minPriority: 0.7 }), items[VPN]).matched, true);
    assert.equal(matches(wl({ minPriority: 0.7 }), items[SAAS]).matched, false);
  });

  test('every rule given must hold, and each gives its reason', () => {
    assert.deepEqual(matches(wl({ vendors: ['Ironvale Networks'], minSeverity: 'CRITICAL' }), items[VPN]).reasons,
      ['vendor Ironvale Networks', 'severity CRITICAL (at least CRITICAL)']);
    assert.deepEqual(matches(wl({ vendors: ['Ironvale Networks'], sectors: ['healthcare'] }), items[VPN]), { matched: false, reasons: [] });
  });

  test('affects us needs a profile that names what is involved; the neutral no-profile relevance is not enough', () => {
    assert.equal(matches(wl({ affectsUs: true }), items[VPN]).matched, false);
    assert.equal(matches(wl({ affectsUs: false }), items[VPN]).matched, true);
    const relevance = { id: 'relevance', label: 'Relevance', weight: 0.2, value: 1, contribution: 0.2, reason: 'the profile lists SecureEdge OS' };
    const ours: Item = {
      ...items[VPN], enrichment: { ...items[VPN].enrichment, profile: 'team.yaml' },
      priority: { ...items[VPN].priority, factors: [...items[VPN].priority.factors.filter((f) => f.id !== 'relevance'), relevance] },
    };
    assert.deepEqual(matches(wl({ affectsUs: true }), ours).reasons, ['affects us: the profile lists SecureEdge OS']);
  });
});
