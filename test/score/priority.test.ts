// Priority: the same inputs give the same number, every factor is explained, and the numbers come from kb/priority.yaml.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Vulnerability } from '../../src/domain/index.js';
import { loadKb } from '../../src/knowledge/load-kb.js';
import { type PriorityInput, prioritise, reputationOf } from '../../src/score/index.js';
import { testKb } from '../helpers.js';
import { facts, label } from '../enrich/facts-fixture.js';

const kb = testKb();
const vuln = (over: Partial<Vulnerability>): Vulnerability => ({ cve: 'CVE-2026-10001', cvss: null, vectors: [], ssvc: null, epss: null, kev: null, note: '', ...over });
const input: PriorityInput = {
  facts: facts({ dataTypes: [label('pii')], statuses: [label('patch-available')] }),
  severity: { level: 'HIGH', basis: 'cvss', reason: 'test' },
  vulnerabilities: [vuln({ epss: { probability: 0.2, percentile: 0.95, date: '2026-11-30' } })],
  sources: [{ outlet: 'BleepingComputer', url: 'https://www.bleepingcomputer.com/news/x' }, { outlet: 'CISA', url: 'https://www.cisa.gov/news-events/alerts/x' }],
  lastUpdated: '2026-11-17T00:00:00Z', asOf: '2026-12-01', profile: null, sector: null, eventIsIncident: false, text: 'acme portal',
};

test('the same inputs always give the same number and the same explanation', () => {
  const a = prioritise(input, kb);
  for (let i = 0; i < 5; i++) assert.deepEqual(prioritise(structuredClone(input), kb), a);
  // A reloaded kb (same files) gives the same number too: nothing depends on load order or the clock.
  assert.deepEqual(prioritise(input, loadKb()), a);
});

test('each factor shows its weight, value, contribution and reason, and they add up to the priority', () => {
  const p = prioritise(input, kb);
  assert.deepEqual(p.factors.map((f) => f.id), ['severity', 'exploitation', 'automatable', 'data-sensitivity', 'relevance', 'corroboration', 'recency']);
  const by = Object.fromEntries(p.factors.map((f) => [f.id, f]));
  assert.deepEqual([by.severity.value, by.severity.weight, by.severity.contribution], [0.8, 0.3, 0.24]);
  assert.equal(by.exploitation.value, 0.4);
  assert.match(by.exploitation.reason, /highest EPSS probability 0\.200 \(CVE-2026-10001, percentile 0\.950\)/);
  assert.equal(by.automatable.value, kb.priority.values.automatable.unknown);
  assert.equal(by['data-sensitivity'].value, 0.7);
  assert.equal(by.relevance.value, 0.3);
  assert.match(by.corroboration.reason, /2 outlets reporting; best source CISA, reputation 1 from cisa\.gov \(government\)/);
  assert.equal(by.corroboration.value, 0.8, '0.6 x 2/3 + 0.4 x 1');
  assert.equal(by.recency.value, 0.476, 'to the end of the analysis day: fifteen days, a little over one half-life');
  const sum = p.factors.reduce((s, f) => s + f.contribution, 0);
  assert.ok(Math.abs(sum - p.value) < 0.002, `${sum} vs ${p.value}`);
  assert.equal(p.value, 0.558, '0.24 + 0.1 + 0.015 + 0.07 + 0.045 + 0.04 + 0.0476');
});

test('KEV with ransomware use, automatable SSVC and a reported intrusion move the factors as documented', () => {
  const ssvc = { decision: 'Act' as const, exploitation: 'active' as const, automatable: 'yes' as const, technicalImpact: 'total' as const, missionWellbeing: 'medium' as const, basis: 'vulnrichment' as const, reasons: [], meaning: '' };
  const p = prioritise({ ...input, vulnerabilities: [vuln({ kev: { dateAdded: '2026-11-20', dueDate: '2026-12-11', knownRansomwareUse: true, requiredAction: 'Apply updates.' }, ssvc })] }, kb);
  const by = Object.fromEntries(p.factors.map((f) => [f.id, f]));
  assert.equal(by.exploitation.value, 1);
  assert.match(by.exploitation.reason, /in CISA KEV \(added 2026-11-20, known ransomware use\)/);
  assert.equal(by.automatable.value, 1);
  assert.match(by.automatable.reason, /CISA Vulnrichment/);
  const intrusion = prioritise({ ...input, vulnerabilities: [], eventIsIncident: true }, kb);
  assert.equal(intrusion.factors.find((f) => f.id === 'exploitation')?.value, kb.priority.values.exploitation.intrusion);
});

test('source reputation reads host suffixes, then outlet names, else the default', () => {
  assert.equal(reputationOf({ outlet: 'x', url: 'https://isc.sans.edu/diary/1' }, kb.priority).score, 0.85);
  assert.equal(reputationOf({ outlet: 'Krebs on Security', url: null }, kb.priority).score, 0.75, 'the outlet name spelt as the host name');
  assert.equal(reputationOf({ outlet: 'SecurityWeek', url: null }, kb.priority).score, 0.7);
  assert.equal(reputationOf({ outlet: 'local file', url: null }, kb.priority).score, kb.priority.values.corroboration.defaultReputation);
  assert.equal(reputationOf({ outlet: 'x', url: 'https://notcisa.gov.example/' }, kb.priority).score, 0.5, 'suffix match is on whole labels');
});

test('the kb refuses weights that do not add up to 1', async () => {
  const fs = await import('node:fs');
  const os = await import('node:os');
  const path = await import('node:path');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vigil-kb-'));
  fs.cpSync(kb.dir, dir, { recursive: true });
  const file = path.join(dir, 'priority.yaml');
  fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace('weight: 0.30', 'weight: 0.40'));
  assert.throws(() => loadKb(dir), /priority\.yaml.*add up to 1\.1000, not 1/);
  fs.rmSync(dir, { recursive: true, force: true });
});
