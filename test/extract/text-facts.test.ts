// Extraction of sentences, dates, identifiers, impact, organisations and products from text.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { findDates } from '../../src/extract/dates.js';
import { findAttackIds, findCves, findCwes } from '../../src/extract/identifiers.js';
import { findAffectedCount, findDisruption } from '../../src/extract/impact.js';
import { findOrganisations, findProducts } from '../../src/extract/organisations.js';
import { splitSentences } from '../../src/extract/sentences.js';

const s = (t: string) => splitSentences(t);

test('sentences: split on sentence ends, not inside versions, defanged IOCs or abbreviations', () => {
  const out = s('Acme Inc. fixed v15.2 today. The C2 was 1.2.3[.]4 and evil[.]com. Dr. Smith agreed!\n\nNew paragraph.');
  assert.deepEqual(out.map((x) => x.text), ['Acme Inc. fixed v15.2 today.', 'The C2 was 1.2.3[.]4 and evil[.]com.', 'Dr. Smith agreed!', 'New paragraph.']);
  assert.equal(out[3].paragraph, 1);
  const text = 'One. Two.';
  for (const x of s(text)) assert.equal(text.slice(x.start, x.end), x.text);
});

test('dates: windows, single dates with inferred year, approximate dates, and their kinds', () => {
  const dates = findDates(s('The intruder queried databases between March 1 and March 16, 2026. Cadence detected it on March 18. The company disclosed the breach on March 30. Attacks have run since late June.'), '2026-07-14T00:00:00Z');
  const byKind = (k: string) => dates.filter((d) => d.kind === k);
  // "Since late June" runs to the publication date.
  assert.deepEqual(byKind('event-window').map((d) => [d.date, d.end]), [['2026-03-01', '2026-03-16'], ['2026-06-21', '2026-07-14']]);
  assert.equal(byKind('discovered')[0].date, '2026-03-18');
  assert.equal(byKind('disclosed')[0].date, '2026-03-30');
  assert.equal(dates.find((d) => d.approximate)?.evidence.rule, 'date:approximate');
});

test('identifiers: CVE upper-cased and validated, CWE normalised, ATT&CK ids only in ATT&CK context', () => {
  const sentences = s('The flaw cve-2026-21847 is CWE-078. Techniques used: T1486 and T1490. A model T1000 printer.');
  assert.deepEqual(findCves(sentences).map((c) => c.id), ['CVE-2026-21847']);
  assert.deepEqual(findCwes(sentences).map((c) => c.id), ['CWE-78']);
  assert.deepEqual(findAttackIds(sentences).map((c) => c.id), ['T1486', 'T1490']);
  assert.deepEqual(findCves(s('CVE-1988-1234 and CVE-2026-12 are not ids.')), []);
});

test('impact: disruption duration in words and digits, largest affected count', () => {
  assert.equal(findDisruption(s('Production was halted for five days after the attack.'))?.days, 5);
  assert.equal(findDisruption(s('A 2-week outage followed.'))?.days, 14);
  assert.equal(findDisruption(s('Scheduling was not interrupted.')), null);
  assert.equal(findAffectedCount(s('About 61,000 of its patients and 1,200 employees were affected in 2026.'))?.value, 61000);
});

test('organisations and roles: victim, vendor, responder, regulator, outlet as reporter', () => {
  const orgs = findOrganisations(s('Ironvale Networks has released firmware updates for SecureEdge OS 7.2.5. Attack on Halvorsen Precision Components disrupted output. The company engaged the forensic firm Halden Forensics. CISA added the flaw.'), 'Perimeter Brief');
  const role = (name: string) => orgs.filter((o) => o.name === name).map((o) => o.role);
  assert.deepEqual(role('Ironvale Networks'), ['vendor']);
  assert.deepEqual(role('Halvorsen Precision Components'), ['victim']);
  assert.deepEqual(role('Halden Forensics'), ['responder']);
  assert.deepEqual(role('CISA'), ['regulator']);
  assert.deepEqual(role('Perimeter Brief'), ['reporter']);
});

test('products with their versions', () => {
  const products = findProducts(s('SecureEdge OS 7.2.0 through 7.2.4 are affected. The package @quarrystone/log-courier 2.8.3 was hijacked.'), ['Ironvale Networks']);
  const os = products.find((p) => p.name === 'SecureEdge OS');
  assert.deepEqual(os?.versions, ['7.2.0', '7.2.4']);
  assert.ok(products.some((p) => p.name === '@quarrystone/log-courier' && p.versions.includes('2.8.3')));
});
