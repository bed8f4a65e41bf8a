// Each regulatory clock's dates, counted from disclosure, across weekends, US federal holidays and month ends.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { addMonths, deadlines } from '../../src/enrich/deadlines.js';
import { regimesFor } from '../../src/enrich/regimes.js';
import { testKb } from '../helpers.js';
import { affected, context, facts, label, profile, subject } from './facts-fixture.js';

const kb = testKb();
const clocks = (opts: { data?: string[]; count?: number; jurisdictions?: string[]; regimes?: string[]; archetype?: string; disclosed: string; asOf?: string }) => {
  const f = facts({ dataTypes: (opts.data ?? []).map((d) => label(d)), affectedCount: opts.count === undefined ? null : affected(opts.count) });
  const p = profile({ jurisdictions: opts.jurisdictions ?? [], regimes: opts.regimes ?? [] });
  return deadlines(kb, subject(f, { profile: p, archetype: opts.archetype ?? 'general-incident' }), context({ disclosed: opts.disclosed, asOf: opts.asOf ?? opts.disclosed }));
};
const due = (list: ReturnType<typeof clocks>, citation: string) => {
  const d = list.find((x) => x.citation.includes(citation));
  assert.ok(d, `a clock cites ${citation}; got ${list.map((x) => x.citation).join(' | ')}`);
  return d.due;
};

test('HIPAA: 60 calendar days, HHS and media notice at 500 or more, the annual log below 500', () => {
  const large = clocks({ data: ['phi'], count: 12_000, disclosed: '2026-03-02' });
  assert.equal(due(large, '164.404'), '2026-05-01');
  assert.equal(due(large, '164.406'), '2026-05-01');
  assert.match(large.find((d) => d.citation.includes('164.406'))?.note ?? '', /12,000 affected, 500 or more/);
  assert.ok(!large.some((d) => d.citation.includes('164.408(c)')), 'no annual log for a large breach');
  const small = clocks({ data: ['phi'], count: 120, disclosed: '2026-03-02' });
  assert.ok(!small.some((d) => d.citation.includes('164.406')), 'no HHS/media notice under 500');
  const log = small.find((d) => d.citation.includes('164.408(c)'));
  assert.equal(log?.startDate, '2026-12-31');
  assert.equal(log?.due, '2027-03-01', '60 days after the end of the calendar year of discovery');
  const unknown = clocks({ data: ['phi'], disclosed: '2026-03-02' });
  assert.match(unknown.find((d) => d.citation.includes('164.406'))?.note ?? '', /Applies only when 500 or more individuals are affected; the reporting states no count/);
});

test('SEC Item 1.05: four business days, skipping weekends and federal holidays', () => {
  assert.equal(due(clocks({ regimes: ['sec'], disclosed: '2026-11-20' }), 'Item 1.05'), '2026-11-27', 'Friday: the weekend and Thanksgiving are skipped');
  assert.equal(due(clocks({ regimes: ['sec'], disclosed: '2026-07-01' }), 'Item 1.05'), '2026-07-08', 'Independence Day observed on Friday 3 July');
  assert.equal(due(clocks({ regimes: ['sec'], disclosed: '2027-12-22' }), 'Item 1.05'), '2027-12-29', 'Christmas 2027 observed on Friday 24 December');
  assert.equal(clocks({ disclosed: '2026-11-20' }).some((d) => d.citation.includes('Item 1.05')), false, 'only for a team that declares it');
});

test('GDPR and NYDFS: 72 hours, counted from the first instant of the disclosure day', () => {
  assert.equal(due(clocks({ data: ['pii'], jurisdictions: ['eu'], disclosed: '2026-03-02' }), 'Art. 33'), '2026-03-05T00:00:00Z');
  const ny = clocks({ jurisdictions: ['us-ny'], regimes: ['nydfs'], disclosed: '2026-12-30' });
  assert.equal(due(ny, '500.17(a)'), '2027-01-02T00:00:00Z', 'hours run through weekends and holidays');
  assert.ok(!ny.some((d) => d.citation.includes('500.17(c)')), 'the extortion-payment clock needs ransomware');
  const ransom = clocks({ jurisdictions: ['us-ny'], regimes: ['nydfs'], archetype: 'ransomware', disclosed: '2026-12-30' });
  assert.equal(due(ransom, '500.17(c)'), '2026-12-31T00:00:00Z');
});

test('NIS2: early warning 24 h, notification 72 h, final report one month after the notification', () => {
  const n = clocks({ jurisdictions: ['eu'], regimes: ['nis2'], disclosed: '2026-01-28' });
  assert.equal(due(n, '23(4)(a)'), '2026-01-29T00:00:00Z');
  assert.equal(due(n, '23(4)(b)'), '2026-01-31T00:00:00Z');
  assert.equal(due(n, '23(4)(d)'), '2026-02-28T00:00:00Z', 'one month from 31 January ends on the last day of February');
  assert.match(n.find((d) => d.citation.includes('23(4)(d)'))?.trigger ?? '', /Counted here from 2026-01-31T00:00:00Z \(the latest date the Directive \(EU\) 2022\/2555 Art\. 23\(4\)\(b\) step is due\)/);
});

test('DORA: initial 24 h, intermediate 72 h after it, final a month after that', () => {
  const d = clocks({ jurisdictions: ['eu'], regimes: ['dora'], disclosed: '2026-06-10' });
  assert.equal(due(d, '19(4)(a)'), '2026-06-11T00:00:00Z');
  assert.equal(due(d, '19(4)(b)'), '2026-06-14T00:00:00Z');
  assert.equal(due(d, '19(4)(c)'), '2026-07-14T00:00:00Z');
  assert.equal(clocks({ jurisdictions: ['us'], regimes: ['dora'], disclosed: '2026-06-10' }).length, 0, 'DORA is an EU regime');
});

test('CIRCIA: 72 hours, and 24 hours after a ransom payment', () => {
  const c = clocks({ regimes: ['circia'], archetype: 'ransomware', disclosed: '2026-02-27' });
  assert.equal(due(c, '681b (Cyber'), '2026-03-02T00:00:00Z');
  assert.equal(due(c, '681b(a)(2)'), '2026-02-28T00:00:00Z');
});

test('PCI DSS and state breach laws', () => {
  assert.equal(due(clocks({ data: ['payment'], disclosed: '2026-05-29' }), 'Requirement 12.10.1'), '2026-05-30');
  const states = clocks({ data: ['pii'], jurisdictions: ['us-ca', 'us-tx', 'us-fl', 'us-ny', 'us-oh'], disclosed: '2026-03-02' });
  assert.equal(due(states, '1798.82'), '2026-04-01');
  assert.equal(due(states, '521.053'), '2026-05-01');
  assert.equal(due(states, '501.171'), '2026-04-01');
  assert.equal(due(states, '899-aa'), '2026-04-01');
  assert.equal(due(states, '1349.19'), '2026-04-16');
});

test('a deadline behind the analysis date is marked past due', () => {
  const late = clocks({ data: ['pii'], jurisdictions: ['eu'], disclosed: '2026-03-02', asOf: '2026-04-01' });
  assert.match(late[0].note, /Past due as of 2026-04-01/);
});

test('calendar months clamp to the month end, and keep the time of day', () => {
  assert.equal(addMonths('2024-01-31', 1), '2024-02-29');
  assert.equal(addMonths('2026-12-15', 1), '2027-01-15');
  assert.equal(addMonths('2026-03-31T06:00:00Z', 1), '2026-04-30T06:00:00Z');
});

test('data types and sector bring regimes in, and the profile says which are in scope', () => {
  const f = facts({ dataTypes: [label('phi'), label('payment')] });
  const ids = (p: Parameters<typeof regimesFor>[3], sector: string | null = 'healthcare') => regimesFor(kb.regimes, f, sector, p).map((r) => `${r.id}:${r.inScope}`);
  assert.deepEqual(ids(null), ['hipaa:null', 'pci-dss:null', 'gdpr:null', 'us-state-breach-laws:null', 'nis2:null', 'circia:null']);
  assert.deepEqual(ids(profile({ jurisdictions: ['us-ny'], regimes: ['hipaa'] })), ['hipaa:true', 'pci-dss:true', 'gdpr:false', 'us-state-breach-laws:true', 'nis2:false', 'circia:false']);
  assert.ok(regimesFor(kb.regimes, facts(), 'retail', profile({ regimes: ['sec'] })).some((r) => r.id === 'sec' && r.why === 'declared in the team profile'));
});
