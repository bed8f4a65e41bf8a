// The model's techniques in the item's ATT&CK table: observed rows with their sentences and score, written ids kept high.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Facts } from '../../src/domain/index.js';
import { attackTable } from '../../src/enrich/attack.js';
import { NO_CATALOGS } from '../../src/knowledge/catalogs.js';
import type { InferredTechnique } from '../../src/techniques/infer.js';
import { testKb } from '../helpers.js';

const NO_FACTS: Facts = {
  organisations: [], products: [], cves: [], cwes: [], cvssVectors: [], attackIds: [], advisories: [], techniques: [], weaknesses: [],
  iocs: [], dataTypes: [], statuses: [], sectors: [], signals: [], actors: [], dates: [], disruption: null, affectedCount: null,
};
const HOLLOWING = 'Cobalt Strike used process hollowing to launch under the context of the Dllhost.exe process.';
const inferred: InferredTechnique[] = [
  { id: 'T1055.012', name: 'Process Hollowing', tactics: ['defense-evasion', 'privilege-escalation'], score: 0.93, via: 'name',
    sentences: [{ text: HOLLOWING, start: 40, end: 40 + HOLLOWING.length, score: 0.93 }] },
  { id: 'T1082', name: 'System Information Discovery', tactics: ['discovery'], score: 0.71, via: 'model',
    sentences: [{ text: 'It sent the computer name and OS version.', start: 200, end: 241, score: 0.71 }] },
];

test('inferred techniques become observed rows with their supporting sentences and score', () => {
  const rows = attackTable(NO_FACTS, undefined, testKb(), NO_CATALOGS, inferred);
  const hollowing = rows.find((r) => r.id === 'T1055.012');
  assert.ok(hollowing);
  assert.equal(hollowing.basis, 'observed');
  assert.equal(hollowing.confidence, 'medium');
  assert.equal(hollowing.score, 0.93);
  assert.deepEqual(hollowing.evidence, [{ text: HOLLOWING, start: 40, end: 40 + HOLLOWING.length, rule: 'model:attack-techniques:name', score: 0.93 }]);
  assert.deepEqual(hollowing.tactics.map((t) => t.id), ['defense-evasion', 'privilege-escalation']);
  assert.equal(rows.find((r) => r.id === 'T1082')?.confidence, 'low');
});

test('a written id stays high confidence and gains the model\'s sentences, not a second row', () => {
  const facts: Facts = { ...NO_FACTS, attackIds: [{ id: 'T1082', evidence: { text: 'ATT&CK T1082.', start: 10, end: 23, rule: 'identifier:attack' } }] };
  const rows = attackTable(facts, undefined, testKb(), NO_CATALOGS, inferred);
  const row = rows.filter((r) => r.id === 'T1082');
  assert.equal(row.length, 1);
  assert.equal(row[0].confidence, 'high');
  assert.equal(row[0].score, 1);
  assert.deepEqual(row[0].evidence.map((e) => e.rule), ['identifier:attack', 'model:attack-techniques:model']);
});

test('in an advisory nobody has exploited, the model\'s reading is what an attacker could do: consistent, not observed', () => {
  const advisory = testKb().archetypes.find((a) => a.id === 'vulnerability-advisory');
  assert.ok(advisory);
  const rows = attackTable(NO_FACTS, advisory, testKb(), NO_CATALOGS, inferred);
  const row = rows.find((r) => r.id === 'T1055.012');
  assert.equal(row?.basis, 'consistent');
  assert.equal(row?.confidence, 'low');
});
