// The executive summary and technical analysis: told in each incident type's order, built only from the item's facts.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { checkRewrite } from '../../src/enrich/rewrite-check.js';
import { executiveSummary } from '../../src/enrich/narrative.js';
import { testKb, useExampleItems } from '../helpers.js';
import { context, facts } from './facts-fixture.js';

const { item, items } = useExampleItems();
const kb = testKb();

test('each incident type tells its summary in its own order', () => {
  const ransomware = item('02-ransomware-manufacturer.html');
  assert.match(ransomware.summary[0], /^This is a ransomware attack on Halvorsen Precision Components/);
  assert.match(ransomware.summary[1], /^Confirmed impact: .*operations disrupted for 5 days/, 'a ransomware brief leads with the disruption');
  const exploited = item('03-vpn-zero-day-exploited.txt');
  assert.match(exploited.summary[1], /exploiting it in the wild/, 'an exploited flaw leads with the exploitation');
  assert.match(exploited.summary[2], /^Affected: SecureEdge OS 7\.2\.0.*\(CVE-2026-21847\); CVSS 3\.1 base score 9\.8, CRITICAL\.$/);
  const advisory = item('06-low-xss-advisory.txt');
  assert.match(advisory.summary[1], /^Affected: Kestrel Storage Manager .*CVSS 3\.1 base score 2\.6, LOW\.$/);
  assert.match(advisory.summary[2], /^No exploitation is reported as of 2026-12-01\.$/);
  assert.match(advisory.summary[3], /^A fix is available/);
  const saas = item('01-saas-vendor-breach.txt');
  assert.match(saas.summary[3], /^Downstream organisations named as affected: Bluestem Family Medicine and Northwind Health Partners/);
  const firstSecond = new Set([...items().values()].filter((i) => i.checklist.length > 0).map((i) => i.summary[1].split(' ').slice(0, 2).join(' ')));
  assert.ok(firstSecond.size >= 4, `second sentences vary across types: ${[...firstSecond].join(' | ')}`);
});

test('every summary has three to six sentences and states nothing the item does not hold', () => {
  for (const [name, i] of items()) {
    if (i.checklist.length === 0) continue;
    assert.ok(i.summary.length >= 3 && i.summary.length <= 6, `${name}: ${i.summary.length}`);
    assert.deepEqual(checkRewrite(i.summary, i), { ok: true }, `${name}: the composed text passes the rewrite's own fact check`);
  }
});

test('KEV, EPSS and an unknown fix are said with their dates', () => {
  const f = facts({ cves: [{ id: 'CVE-2026-10001', evidence: { text: 'CVE-2026-10001', rule: 'test' } }], products: [{ name: 'Acme Gateway', vendor: 'Acme', versions: ['3.1'], evidence: { text: 'Acme Gateway 3.1', rule: 'test' } }] });
  const ctx = context({ cves: ['CVE-2026-10001'], disclosed: '2026-11-20' });
  const kev = { dateAdded: '2026-11-24', dueDate: '2026-12-15', knownRansomwareUse: true, requiredAction: 'Apply updates.' };
  const vuln = { cve: 'CVE-2026-10001', cvss: null, vectors: [], ssvc: null, epss: { probability: 0.42, percentile: 0.97, date: '2026-11-30' }, kev: null, note: '' };
  const playbook = kb.archetypes.find((a) => a.id === 'vulnerability-advisory');
  const input = {
    facts: f, ctx, values: { product: 'Acme Gateway', vendor: 'Acme', cves: 'CVE-2026-10001', asOf: '2026-12-01' } as never, playbook,
    archetype: { id: 'vulnerability-advisory', label: 'Vulnerability advisory', score: 1, evidence: [] }, severity: { level: 'HIGH' as const, basis: 'estimate' as const, reason: 'r' },
    cvss: { kind: 'estimate' as const, baseScore: 7.9, severity: 'HIGH' as const, reason: 'Estimated.' }, attack: [], kb,
  };
  const epss = executiveSummary({ ...input, vulnerabilities: [vuln] });
  assert.ok(epss.includes('No exploitation is reported as of 2026-12-01; EPSS puts the chance of exploitation activity in the next 30 days at 42.0% for CVE-2026-10001.'), epss.join('\n'));
  assert.ok(epss.includes('No patch or workaround is reported as of 2026-12-01.'));
  assert.ok(epss.includes('Affected: Acme Gateway 3.1 (CVE-2026-10001); no CVSS vector is published, so the HIGH rating is an estimate.'));
  const listed = executiveSummary({ ...input, vulnerabilities: [{ ...vuln, kev }] });
  assert.ok(listed.includes('CISA added CVE-2026-10001 to its Known Exploited Vulnerabilities catalog on 2026-11-24, with a federal remediation due date of 2026-12-15, and it is known to be used in ransomware campaigns.'), listed.join('\n'));
});

test('the technical analysis names the regimes the data brings in, and SSVC when a CVE is scored', () => {
  const saas = item('01-saas-vendor-breach.txt');
  const regimes = saas.analysis.find((a) => a.topic === 'Regulatory regimes');
  assert.match(regimes?.statement ?? '', /HIPAA Privacy, Security and Breach Notification Rules \(phi exposed\)/);
  const exploited = item('03-vpn-zero-day-exploited.txt');
  const scoring = exploited.analysis.find((a) => a.topic === 'Scoring data and severity')?.statement ?? '';
  assert.match(scoring, /CVE-2026-21847 SSVC (Act|Attend) \(derived points: exploitation active, automatable (yes|no), technical impact (total|partial), mission and well-being medium\)/);
});
