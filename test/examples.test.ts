// Each example document through the whole pipeline: its facts against the hand labels, and the severity, triage, techniques, controls and deadlines it must get.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { before, test } from 'node:test';
import { Value } from '@sinclair/typebox/value';
import { type Item, ItemSchema } from '../src/domain/index.js';
import { ingest } from '../src/pipeline.js';
import { openSqliteStore } from '../src/store/index.js';
import { EXAMPLES, exampleFiles, exampleItems, testContext } from './helpers.js';

interface Outcome {
  severity: string;
  triage: string;
  cvss: number | null;
  techniques: string[];
  controls: string[];
  deadlines: [string, string][];
}

/** What an analyst would demand of each example, beyond the facts in examples/expected. */
const OUTCOMES: Record<string, Outcome> = {
  '01-saas-vendor-breach.txt': {
    severity: 'HIGH', triage: 'URGENT', cvss: null, techniques: ['T1199', 'T1213'], controls: ['IR-4', 'SA-9'],
    deadlines: [['45 CFR 164.404', '2026-05-29'], ['45 CFR 164.410', '2026-05-17']],
  },
  '02-ransomware-manufacturer.html': {
    severity: 'HIGH', triage: 'URGENT', cvss: null, techniques: ['T1486', 'T1490', 'T1021.001', 'T1133'], controls: ['IR-4', 'CP-9'],
    deadlines: [],
  },
  '03-vpn-zero-day-exploited.txt': {
    severity: 'CRITICAL', triage: 'IMMEDIATE', cvss: 9.8, techniques: ['T1190'], controls: ['SI-2'], deadlines: [],
  },
  '04-aitm-phishing-bec.md': {
    severity: 'HIGH', triage: 'ELEVATED', cvss: null, techniques: ['T1566.002', 'T1557', 'T1539'], controls: ['IA-2(1)'], deadlines: [],
  },
  '05-npm-supply-chain.txt': {
    severity: 'HIGH', triage: 'URGENT', cvss: null, techniques: ['T1195.002'], controls: ['SR-4', 'SI-7'], deadlines: [],
  },
  '06-low-xss-advisory.txt': {
    severity: 'LOW', triage: 'ROUTINE', cvss: 2.6, techniques: [], controls: ['SI-2'], deadlines: [],
  },
  '07-product-launch-informational.txt': {
    severity: 'INFORMATIONAL', triage: 'ROUTINE', cvss: null, techniques: [], controls: [], deadlines: [],
  },
};

let items = new Map<string, Item>();
before(async () => {
  items = await exampleItems();
});

test('every example has an outcome to check', () => {
  assert.deepEqual(Object.keys(OUTCOMES).sort(), exampleFiles());
});

for (const [file, want] of Object.entries(OUTCOMES)) {
  test(`example ${file}`, () => {
    const item = items.get(file);
    assert.ok(item);
    const expected = JSON.parse(fs.readFileSync(path.join(EXAMPLES, 'expected', file.replace(/\.[a-z]+$/, '.json')), 'utf8'));
    assert.ok(Value.Check(ItemSchema, item), `item matches the JSON Schema: ${[...Value.Errors(ItemSchema, item)].slice(0, 2).map((e) => `${e.path} ${e.message}`).join('; ')}`);
    assert.equal(item.example, true);
    assert.equal(item.archetype.id === 'no-security-event' ? 'informational' : item.archetype.id, expected.archetype);
    assert.deepEqual(item.facts.cves.map((c) => c.id), expected.cves);
    assert.deepEqual(item.facts.cvssVectors.map((v) => v.vector), expected.cvssVectors);
    assert.deepEqual(item.facts.attackIds.map((a) => a.id).sort(), [...expected.attackIds].sort());
    for (const cwe of expected.cwes) assert.ok(item.mappings.find((m) => m.framework === 'CWE')?.entries.some((e) => e.id === cwe), cwe);
    for (const v of expected.vendors.filter((x: string) => item.facts.organisations.some((o) => o.name === x))) {
      assert.ok(item.facts.organisations.some((o) => o.name === v && o.role === 'vendor'), `${v} is a vendor`);
    }
    assert.ok(expected.victims.length === 0 || item.facts.organisations.some((o) => o.role === 'victim' && expected.victims.includes(o.name)), 'a labelled victim is found');
    for (const d of item.facts.dataTypes) assert.ok(expected.dataTypes.includes(d.id), `data type ${d.id} is labelled`);
    for (const s of item.facts.statuses) assert.ok(expected.statuses.includes(s.id), `status ${s.id} is labelled`);
    const active = new Set(item.iocs.filter((i) => !i.benign).map((i) => `${i.type}:${i.value}`));
    for (const ioc of expected.iocs.filter((i: { type: string }) => ['ipv4', 'sha256', 'md5', 'sha1', 'url'].includes(i.type))) {
      assert.ok(active.has(`${ioc.type}:${ioc.value}`), `IOC ${ioc.type} ${ioc.value}`);
    }
    for (const b of expected.benignIocs) assert.ok(!active.has(`ipv4:${b}`) && !active.has(`domain:${b}`), `benign ${b} never active`);

    assert.equal(item.severity.level, want.severity);
    assert.equal(item.triage.level, want.triage);
    if (want.cvss === null) assert.equal(item.cvss.kind, item.severity.level === 'INFORMATIONAL' ? 'estimate' : 'estimate');
    else assert.deepEqual([item.cvss.kind, item.cvss.baseScore], ['computed', want.cvss]);
    const techniques = item.attack.map((t) => t.id);
    for (const t of want.techniques) assert.ok(techniques.includes(t), `technique ${t} in ${techniques.join(',')}`);
    const controls = item.checklist.flatMap((s) => s.controls.map((c) => c.id));
    for (const c of want.controls) assert.ok(controls.includes(c), `control ${c} in ${controls.join(',')}`);
    const deadlines = item.triage.deadlines.map((d) => [d.citation, d.due]);
    for (const d of want.deadlines) assert.ok(deadlines.some(([c, due]) => c === d[0] && due === d[1]), `deadline ${d.join(' ')} in ${JSON.stringify(deadlines)}`);
    if (want.deadlines.length === 0) assert.deepEqual(deadlines, []);

    if (item.archetype.id === 'no-security-event') {
      assert.equal(item.checklist.length, 0);
      assert.match(item.summary[0], /does not describe a security event/);
    } else {
      assert.deepEqual(item.checklist.map((s) => s.phase), ['containment', 'detection-analysis', 'eradication', 'recovery', 'post-incident']);
      for (const s of item.checklist) {
        assert.doesNotMatch(`${s.action} ${s.compensating}`, /\{[a-zA-Z]+\}/, 'every placeholder is filled');
        assert.ok(s.controls.length > 0 && s.cis.length > 0 && s.csf.length > 0 && s.preserveEvidence.length > 0);
      }
      assert.ok(item.summary.length >= 3 && item.summary.length <= 6, `summary has ${item.summary.length} sentences`);
      assert.ok(item.artifacts.length > 0 && item.recovery.length > 0);
    }
    const sum = item.priority.factors.reduce((a, f) => a + f.weight * f.value, 0);
    assert.ok(Math.abs(sum - item.priority.value) < 0.002, 'priority is the sum of its factors');
  });
}

test('the same inputs always give the same item', async () => {
  const store = await openSqliteStore(':memory:');
  const file = path.join(EXAMPLES, '01-saas-vendor-breach.txt');
  const again = (await ingest(store, { bytes: fs.readFileSync(file), origin: file, example: true }, testContext())).item;
  assert.deepEqual(again, items.get('01-saas-vendor-breach.txt'));
  await store.close();
});

test('the profile changes relevance, priority and the regulatory clocks', async () => {
  const store = await openSqliteStore(':memory:');
  const file = path.join(EXAMPLES, '02-ransomware-manufacturer.html');
  const profile = { sectors: ['manufacturing'], jurisdictions: ['us', 'eu'], regimes: [], vendors: [], products: [], tools: [] };
  const item = (await ingest(store, { bytes: fs.readFileSync(file), origin: file }, testContext({ profile, profileName: 'p.yaml' }))).item;
  const base = items.get('02-ransomware-manufacturer.html');
  assert.ok(base);
  const relevance = (i: Item) => i.priority.factors.find((f) => f.id === 'relevance')?.value;
  assert.ok((relevance(item) ?? 0) > (relevance(base) ?? 0));
  assert.ok(item.priority.value > base.priority.value);
  assert.ok(item.triage.deadlines.some((d) => /GDPR/.test(d.regime)), 'EU jurisdiction brings the GDPR clock for exposed personal data');
  await store.close();
});
