// Severity, the CVSS estimate and the priority, on small documents.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Facts } from '../../src/domain/index.js';
import { extract } from '../../src/extract/index.js';
import { classifyArchetype } from '../../src/extract/classify.js';
import { parseDocument } from '../../src/ingest/index.js';
import { NO_CATALOGS } from '../../src/knowledge/catalogs.js';
import { assessSeverity, headlineCvss, prioritise, scoreVectors, triageFromPriority } from '../../src/score/index.js';
import { bytes, testKb } from '../helpers.js';

const kb = testKb();
const factsOf = (text: string): Facts => extract(parseDocument({ bytes: bytes(text), origin: 'x.txt' }), kb, NO_CATALOGS);

test('a valid vector decides an advisory, computed by the library', () => {
  const facts = factsOf('Title: Acme advisory\n\nAcme released a security advisory for CVE-2026-10001 in Acme Portal 2.1, rated CVSS:3.1/AV:N/AC:L/PR:L/UI:N/S:U/C:L/I:L/A:N. Update to version 2.2. No known exploitation.');
  const { computed, rejected } = scoreVectors(facts);
  assert.deepEqual(rejected, []);
  assert.equal(computed[0].cvss.baseScore, 5.4);
  const severity = assessSeverity(facts, classifyArchetype(facts, kb), kb, computed);
  assert.deepEqual([severity.level, severity.basis], ['MEDIUM', 'cvss']);
});

test('an invalid vector is refused by name and the score is a labelled estimate', () => {
  const facts = factsOf('Title: Acme flaw\n\nAcme released a security advisory for CVE-2026-10002, rated CVSS:3.1/AV:N/AC:L/PR:X/UI:N/S:U/C:H/I:H/A:H. Update to version 3.1 now.');
  const { computed, rejected } = scoreVectors(facts);
  assert.equal(computed.length, 0);
  assert.match(rejected[0].reason, /PR/);
  const severity = assessSeverity(facts, classifyArchetype(facts, kb), kb, computed);
  const cvss = headlineCvss(severity, computed, rejected, kb);
  assert.equal(cvss.kind, 'estimate');
  assert.match(cvss.kind === 'estimate' ? cvss.reason : '', /refused.*PR/);
});

test('exploitation raises an advisory one level', () => {
  const facts = factsOf('Title: Acme flaw exploited\n\nAcme released patches for CVE-2026-10003, CVSS:3.1/AV:N/AC:L/PR:L/UI:N/S:U/C:L/I:L/A:N. Attackers are actively exploiting the flaw in the wild. Update to version 3.1 now.');
  const { computed } = scoreVectors(facts);
  const severity = assessSeverity(facts, classifyArchetype(facts, kb), kb, computed);
  assert.equal(severity.level, 'HIGH');
  assert.match(severity.reason, /raised one level/);
});

test('priority is deterministic, explained factor by factor, and drives triage', () => {
  const facts = factsOf('Title: Ransomware hits Acme Hospital\n\nAcme Hospital said ransomware encrypted its servers. Patient records including diagnoses were stolen. The ransom note demanded payment.');
  const archetype = classifyArchetype(facts, kb);
  const severity = assessSeverity(facts, archetype, kb, []);
  const input = { facts, severity, vulnerabilities: [], sources: [{ outlet: 'Example News', url: null }], lastUpdated: '2026-11-30T00:00:00Z', asOf: '2026-12-01', profile: null, sector: 'healthcare', eventIsIncident: true, text: 'ransomware hits acme hospital' };
  const a = prioritise(input, kb);
  assert.deepEqual(prioritise(input, kb), a);
  assert.deepEqual(a.factors.map((f) => f.id), kb.priority.factors.map((f) => f.id));
  for (const f of a.factors) assert.ok(f.reason.length > 0 && Math.abs(f.contribution - f.weight * f.value) < 0.001);
  assert.ok(a.value > 0.5, `priority ${a.value}`);
  const later = prioritise({ ...input, asOf: '2027-01-30' }, kb);
  assert.ok(later.value < a.value, 'recency decays');
  assert.equal(triageFromPriority(0.9, kb), 'IMMEDIATE');
  assert.equal(triageFromPriority(0.1, kb), 'ROUTINE');
  const profiled = prioritise({ ...input, profile: { sectors: ['healthcare'], jurisdictions: [], regimes: [], vendors: [], products: [], tools: [] } }, kb);
  assert.ok(profiled.value > a.value, 'same sector as the team raises relevance');
});
