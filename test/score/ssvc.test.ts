// SSVC decisions on CISA's tree, Mission and Well-being from the profile, and points from Vulnrichment, KEV and CVSS.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { CvssVectorScore } from '../../src/domain/index.js';
import { assessSsvc, missionWellbeing, scoreCvss, ssvcDecision } from '../../src/score/index.js';
import { testKb } from '../helpers.js';

const rules = testKb().ssvc;

// CISA's SSVC guide (November 2022), read left to right: Exploitation, Automatable, Technical Impact, then the
// decision for Mission and Well-being low / medium / high.
const CISA_TREE: [string, string, string, [string, string, string]][] = [
  ['none', 'no', 'partial', ['Track', 'Track', 'Track']],
  ['none', 'no', 'total', ['Track', 'Track', 'Track*']],
  ['none', 'yes', 'partial', ['Track', 'Track', 'Attend']],
  ['none', 'yes', 'total', ['Track', 'Track', 'Attend']],
  ['poc', 'no', 'partial', ['Track', 'Track', 'Track*']],
  ['poc', 'no', 'total', ['Track', 'Track*', 'Attend']],
  ['poc', 'yes', 'partial', ['Track', 'Track', 'Attend']],
  ['poc', 'yes', 'total', ['Track', 'Track*', 'Attend']],
  ['active', 'no', 'partial', ['Track', 'Track', 'Attend']],
  ['active', 'no', 'total', ['Track', 'Attend', 'Act']],
  ['active', 'yes', 'partial', ['Attend', 'Attend', 'Act']],
  ['active', 'yes', 'total', ['Attend', 'Act', 'Act']],
];

test('every path of the CISA tree gives CISA\'s decision', () => {
  let n = 0;
  for (const [exploitation, automatable, technicalImpact, decisions] of CISA_TREE) {
    for (const [i, missionWellbeing] of (['low', 'medium', 'high'] as const).entries()) {
      const points = { exploitation, automatable, technicalImpact, missionWellbeing } as Parameters<typeof ssvcDecision>[0];
      assert.equal(ssvcDecision(points, rules), decisions[i], JSON.stringify(points));
      n++;
    }
  }
  assert.equal(n, 36);
});

test('Mission and Well-being: set directly, read from prevalence and well-being, or the labelled default', () => {
  const base = { sectors: [], jurisdictions: [], regimes: [], vendors: [], products: [], tools: [] };
  assert.equal(missionWellbeing({ ...base, missionWellbeing: 'high' }, rules).level, 'high');
  assert.equal(missionWellbeing({ ...base, missionPrevalence: 'minimal', publicWellbeing: 'minimal' }, rules).level, 'low');
  assert.equal(missionWellbeing({ ...base, missionPrevalence: 'support', publicWellbeing: 'material' }, rules).level, 'medium');
  assert.equal(missionWellbeing({ ...base, missionPrevalence: 'minimal', publicWellbeing: 'irreversible' }, rules).level, 'high');
  assert.equal(missionWellbeing({ ...base, missionPrevalence: 'essential', publicWellbeing: 'minimal' }, rules).level, 'high');
  const none = missionWellbeing(null, rules);
  assert.equal(none.level, 'medium');
  assert.match(none.reason, /by default \(no team profile/);
});

const vector = (v: string, source = 'nvd'): CvssVectorScore => {
  const s = scoreCvss(v);
  return { version: s.version, vector: s.vector, baseScore: s.baseScore, severity: s.severity, source };
};
const medium = { level: 'medium' as const, reason: 'Mission and Well-being medium, set in the team profile' };

test("Vulnrichment's points decide, and a KEV listing overrides its stale exploitation", () => {
  const vulnrichment = { exploitation: 'poc' as const, automatable: 'yes' as const, technicalImpact: 'total' as const, timestamp: '2026-10-02T00:00:00Z', source: 'adp:CISA-ADP' };
  const a = assessSsvc({ vulnrichment, inKev: false, reportedExploited: false, vectors: [] }, medium, rules);
  assert.equal(a?.decision, 'Track*');
  assert.equal(a?.basis, 'vulnrichment');
  assert.match(a?.reasons[0] ?? '', /Exploitation poc, from adp:CISA-ADP on 2026-10-02/);
  const listed = assessSsvc({ vulnrichment, inKev: true, reportedExploited: false, vectors: [] }, medium, rules);
  assert.equal(listed?.decision, 'Act');
  assert.match(listed?.reasons[0] ?? '', /in CISA KEV, newer evidence/);
  assert.match(listed?.meaning ?? '', /leadership/);
});

test('without Vulnrichment the points are derived from KEV, the reporting and the vector, and labelled', () => {
  const rce = vector('CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H');
  const derived = assessSsvc({ vulnrichment: null, inKev: true, reportedExploited: false, vectors: [rce] }, medium, rules);
  assert.deepEqual([derived?.exploitation, derived?.automatable, derived?.technicalImpact, derived?.decision, derived?.basis], ['active', 'yes', 'total', 'Act', 'derived']);
  const local = vector('CVSS:3.1/AV:L/AC:L/PR:L/UI:N/S:U/C:H/I:N/A:N');
  const quiet = assessSsvc({ vulnrichment: null, inKev: false, reportedExploited: false, vectors: [local] }, medium, rules);
  assert.deepEqual([quiet?.exploitation, quiet?.automatable, quiet?.technicalImpact, quiet?.decision], ['none', 'no', 'partial', 'Track']);
  const v4 = vector('CVSS:4.0/AV:N/AC:L/AT:P/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N');
  assert.equal(assessSsvc({ vulnrichment: null, inKev: false, reportedExploited: true, vectors: [v4] }, medium, rules)?.automatable, 'no', 'attack requirements present');
  assert.equal(assessSsvc({ vulnrichment: null, inKev: false, reportedExploited: false, vectors: [] }, medium, rules), null, 'nothing to derive from');
});
