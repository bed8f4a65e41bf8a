// The playbook library: which step each phase gets for which facts, how the team's profile picks the standard or the
// compensating control and its stacks, that no template placeholder survives, and that every id the steps cite exists.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, test } from 'node:test';
import YAML from 'yaml';
import type { Facts, Item, TechniqueRow } from '../../src/domain/index.js';
import { PHASES } from '../../src/domain/index.js';
import { parseProfile, type Profile } from '../../src/config/profile.js';
import { checklist, chooseStep } from '../../src/enrich/checklist.js';
import { type ConditionSubject, holds } from '../../src/enrich/conditions.js';
import { eventContext, templateValues } from '../../src/enrich/context.js';
import { detection } from '../../src/enrich/detection.js';
import { type Catalogs, NO_CATALOGS } from '../../src/knowledge/catalogs.js';
import { KbError } from '../../src/knowledge/kb-error.js';
import { stepRefId } from '../../src/knowledge/kb-schema.js';
import { DEFAULT_KB_DIR, loadKb } from '../../src/knowledge/load-kb.js';
import { PLACEHOLDERS } from '../../src/knowledge/template.js';
import { ingest } from '../../src/pipeline.js';
import { openSqliteStore } from '../../src/store/index.js';
import { bytes, ROOT, SHARED, testContext, testKb } from '../helpers.js';

const kb = testKb();
const read = (rel: string) => JSON.parse(fs.readFileSync(path.join(SHARED, rel), 'utf8'));
const nist = read('nist-800-53/nist-800-53r5-controls.json').controls as Record<string, { title: string; withdrawn?: boolean }>;
const csf = read('nist-csf/csf-2.0.json') as { categories: Record<string, { title: string }>; subcategories: Record<string, { statement: string; active: boolean }> };
const attack = read('attack/attack-index-18.1.json').domains.enterprise.techniques as Record<string, { name: string; revoked: boolean; deprecated: boolean }>;
const cisTitles = read('cis/cis-controls-v8.1-control-titles.json').controls as Record<string, string>;

const EMPTY_FACTS: Facts = {
  organisations: [], products: [], cves: [], cwes: [], cvssVectors: [], attackIds: [], advisories: [], techniques: [], weaknesses: [],
  iocs: [], dataTypes: [], statuses: [], sectors: [], signals: [], actors: [], dates: [],
} as unknown as Facts;
const ev = { text: 'test', rule: 'test' };

type SubjectOver = Omit<Partial<ConditionSubject>, 'facts'> & { facts?: Partial<Facts> };
function subject(over: SubjectOver = {}): ConditionSubject {
  const { facts, ...rest } = over;
  return { facts: { ...EMPTY_FACTS, ...facts } as Facts, archetype: 'general-incident', sector: null, profile: null, iocCount: 0, hasVendor: false, ...rest };
}
const archetype = (id: string) => {
  const a = kb.archetypes.find((x) => x.id === id);
  assert.ok(a, `archetype ${id}`);
  return a;
};
const chosen = (id: string, phase: (typeof PHASES)[number], s: ConditionSubject) => chooseStep(kb, archetype(id).steps[phase], s).id;
const profile = (p: Partial<Profile>) => parseProfile(p);

describe('the library and its references', () => {
  test('the ten archetypes of issue 7 and the fallback exist, each with a candidate step in every phase', () => {
    const ids = kb.archetypes.map((a) => a.id);
    for (const id of [
      'third-party-saas-breach', 'ransomware', 'exploited-internet-facing-vulnerability', 'credential-phishing-bec', 'software-supply-chain',
      'cloud-misconfiguration-exposure', 'credential-stuffing-account-takeover', 'insider-data-theft', 'ddos', 'malware-infostealer', 'general-incident',
    ]) assert.ok(ids.includes(id), id);
    for (const a of kb.archetypes) for (const phase of PHASES) assert.ok(a.steps[phase].length > 0, `${a.id} ${phase}`);
  });

  test('steps are shared across playbooks rather than copied: some steps serve several archetypes', () => {
    const users = new Map<string, Set<string>>();
    for (const a of kb.archetypes) for (const phase of PHASES) for (const ref of a.steps[phase]) users.set(stepRefId(ref), (users.get(stepRefId(ref)) ?? new Set()).add(a.id));
    const shared = [...users.entries()].filter(([, by]) => by.size >= 3).map(([id]) => id);
    assert.ok(shared.includes('post-pii-notification-decision') && shared.includes('post-phi-breach-risk-assessment'), shared.join(','));
    for (const id of kb.steps.keys()) assert.ok(users.has(id), `step ${id} is used by an archetype`);
  });

  test('every step cites existing SP 800-53r5 controls, CSF 2.0 ids and category, CIS v8 safeguards, techniques and compensating controls', () => {
    const problems: string[] = [];
    for (const s of kb.steps.values()) {
      for (const c of s.controls) if (!nist[c.id] || nist[c.id].withdrawn || nist[c.id].title !== c.title) problems.push(`${s.id}: 800-53 ${c.id} "${c.title}"`);
      for (const c of s.csf) {
        const title = csf.subcategories[c.id]?.active ? csf.subcategories[c.id].statement : csf.categories[c.id]?.title;
        if (title !== c.title) problems.push(`${s.id}: CSF ${c.id}`);
      }
      for (const c of s.cis) if (kb.cisSafeguards.get(c.id) !== c.title) problems.push(`${s.id}: CIS ${c.id}`);
      for (const ref of s.stacks) if (!kb.compensating.has(ref)) problems.push(`${s.id}: compensating ${ref}`);
      for (const t of s.when?.techniques ?? []) if (!attack[t] || attack[t].revoked || attack[t].deprecated) problems.push(`${s.id}: technique ${t}`);
      const category = /\(([A-Z]{2}\.[A-Z]{2})\)/.exec(s.sp80061r3)?.[1];
      if (!category || !csf.categories[category]) problems.push(`${s.id}: sp80061r3 "${s.sp80061r3}" names no CSF 2.0 category`);
    }
    assert.deepEqual(problems, []);
  });

  test('the CIS table is the 153 safeguards of CIS Controls v8 under the 18 controls, and cites its source', () => {
    const table = YAML.parse(fs.readFileSync(path.join(ROOT, 'kb/cis-safeguards.yaml'), 'utf8'));
    assert.match(table.source, /CIS Critical Security Controls Version 8/);
    assert.equal(kb.cisSafeguards.size, 153);
    for (const id of kb.cisSafeguards.keys()) assert.ok(cisTitles[id.split('.')[0]], `control of ${id}`);
    assert.equal(kb.cisSafeguards.get('17.4'), 'Establish and Maintain an Incident Response Process');
  });

  test('compensating controls cover every stack of issue 7, each with commands or a query', () => {
    const stacks = new Set([...kb.compensating.values()].map((c) => c.stack));
    for (const s of ['okta', 'entra-id', 'google-workspace', 'm365', 'active-directory', 'windows', 'linux', 'web-server', 'aws']) assert.ok(stacks.has(s as never), s);
    const bodies = [...kb.compensating.values()].map((c) => (c.control.commands ?? [c.control.query]).join('\n')).join('\n');
    for (const needle of ['/api/v1/logs', 'SigninLogs', 'gam report', 'Search-UnifiedAuditLog', 'Get-ADUser', 'Id=4624', '7045', '4720', '1102', '4688', 'ausearch', 'awk', 'lookup-events', 'FROM <event-data-store-id>']) {
      assert.ok(bodies.includes(needle), needle);
    }
  });

  test('a step naming an enterprise tool has a standard control for teams that have it', () => {
    const withTool = [...kb.steps.values()].filter((s) => s.tool);
    assert.ok(withTool.length >= 10);
    for (const s of withTool) assert.ok(s.standard && s.standard.length > 40, s.id);
  });
});

describe('conditions', () => {
  test('a technique condition holds for the technique, its sub-techniques, and not for its parent or others', () => {
    const when = { techniques: ['T1539', 'T1555'] };
    assert.equal(holds(when, subject({ techniques: ['T1539'] })), true);
    assert.equal(holds(when, subject({ techniques: ['T1555.003'] })), true);
    assert.equal(holds({ techniques: ['T1555.003'] }, subject({ techniques: ['T1555'] })), false);
    assert.equal(holds(when, subject({ techniques: ['T1190'] })), false);
    assert.equal(holds(when, subject()), false);
  });

  test('IOC types, named vendors or products, KEV, actors and tools', () => {
    assert.equal(holds({ iocTypes: ['sha256'] }, subject({ iocTypes: ['domain', 'sha256'] })), true);
    assert.equal(holds({ iocTypes: ['sha256'] }, subject({ iocTypes: ['domain'] })), false);
    assert.equal(holds({ named: ['ivanti|fortinet'] }, subject({ names: ['Fortinet', 'FortiOS'] })), true);
    assert.equal(holds({ named: ['ivanti'] }, subject({ names: ['Citrix'] })), false);
    assert.equal(holds({ kev: true }, subject({ kev: true })), true);
    assert.equal(holds({ kev: true }, subject({ kev: false })), false);
    assert.equal(holds({ kev: true }, subject({ facts: { statuses: [{ id: 'kev-listed', label: 'KEV', evidence: ev }] } })), true, 'the reporting saying KEV counts without the catalog');
    assert.equal(holds({ hasActor: true }, subject({ facts: { actors: [{ id: 'lumma', label: 'Lumma', evidence: ev }] } })), true);
    assert.equal(holds({ hasTool: ['edr'] }, subject({ profile: profile({ tools: ['edr'] }) })), true);
    assert.equal(holds({ hasTool: ['edr'] }, subject({ profile: profile({ tools: ['siem'] }) })), false);
    assert.equal(holds({ techniques: ['T1539'], kev: true }, subject({ techniques: ['T1539'], kev: false })), false, 'all listed conditions must hold');
  });
});

describe('each playbook picks its step by the facts', () => {
  const T = (...ids: string[]) => ({ techniques: ids });
  const cases: [archetype: string, phase: (typeof PHASES)[number], facts: SubjectOver, step: string][] = [
    ['vulnerability-advisory', 'containment', { kev: true }, 'contain-kev-exposure'],
    ['vulnerability-advisory', 'containment', { kev: false, facts: { statuses: [{ id: 'fix-pending', label: 'x', evidence: ev }] } }, 'contain-advisory-interim-mitigation'],
    ['vulnerability-advisory', 'containment', { kev: false }, 'contain-advisory-limit-exposure'],
    ['exploited-internet-facing-vulnerability', 'detection-analysis', T('T1505.003'), 'detect-webshell-sweep'],
    ['exploited-internet-facing-vulnerability', 'detection-analysis', T('T1190'), 'detect-edge-compromise-check'],
    ['exploited-internet-facing-vulnerability', 'eradication', { facts: { cves: [{ id: 'CVE-2024-3400', evidence: ev }] } }, 'eradicate-patch-exploited-cve'],
    ['exploited-internet-facing-vulnerability', 'eradication', {}, 'eradicate-edge-rebuild'],
    ['general-incident', 'containment', T('T1539'), 'contain-revoke-stolen-sessions'],
    ['general-incident', 'containment', { iocCount: 3 }, 'contain-block-published-iocs'],
    ['general-incident', 'containment', {}, 'contain-general-limit-access'],
    ['malware-infostealer', 'detection-analysis', { iocCount: 2, iocTypes: ['sha256'] }, 'detect-ioc-sweep'],
    ['malware-infostealer', 'detection-analysis', { iocCount: 2, iocTypes: ['email'] }, 'detect-malware-host-triage'],
    ['malware-infostealer', 'detection-analysis', {}, 'detect-malware-host-triage'],
    ['ransomware', 'containment', { sector: 'technology' }, 'contain-ransomware-sever-provider-links'],
    ['ransomware', 'containment', { sector: 'healthcare' }, 'contain-ransomware-isolate-hosts'],
    ['cloud-misconfiguration-exposure', 'detection-analysis', { facts: { dataTypes: [{ id: 'phi', label: 'PHI', evidence: ev }] } }, 'detect-phi-record-scope'],
    ['cloud-misconfiguration-exposure', 'detection-analysis', {}, 'detect-cloud-exposure-access-review'],
    ['cloud-misconfiguration-exposure', 'post-incident', { facts: { dataTypes: [{ id: 'payment', label: 'cards', evidence: ev }] } }, 'post-payment-card-notice'],
    ['cloud-misconfiguration-exposure', 'post-incident', {}, 'post-cloud-guardrails'],
    ['credential-stuffing-account-takeover', 'post-incident', { facts: { dataTypes: [{ id: 'pii', label: 'PII', evidence: ev }] } }, 'post-pii-notification-decision'],
    ['credential-stuffing-account-takeover', 'post-incident', {}, 'post-ato-hardening'],
    ['insider-data-theft', 'post-incident', { profile: profile({ regimes: ['sec'] }) }, 'post-sec-materiality'],
    ['insider-data-theft', 'post-incident', {}, 'post-insider-program-review'],
    ['ddos', 'containment', {}, 'contain-ddos-engage-upstream'],
    ['third-party-saas-breach', 'containment', { names: ['Okta'] }, 'contain-idp-vendor-breach'],
    ['third-party-saas-breach', 'containment', { names: ['Snowflake'] }, 'contain-saas-revoke-integrations'],
  ];
  for (const [a, phase, facts, step] of cases) {
    test(`${a} ${phase}: ${step} for ${JSON.stringify(facts).slice(0, 90)}`, () => {
      assert.equal(chosen(a, phase, subject({ archetype: a, ...facts })), step);
    });
  }

  test('forensic artifacts attach by condition too: hash sweeps when hashes are published, web shells when described', () => {
    const shown = (id: string, s: ConditionSubject) => archetype(id).artifacts.filter((x) => holds(x.when, s)).map((x) => x.artifact);
    assert.ok(shown('general-incident', subject({ iocCount: 1, iocTypes: ['sha256'] })).includes('Files matching the published hashes'));
    assert.ok(!shown('general-incident', subject({ iocCount: 1, iocTypes: ['domain'] })).includes('Files matching the published hashes'));
    assert.ok(shown('exploited-internet-facing-vulnerability', subject({ techniques: ['T1505.003'] })).includes('Web shell and post-exploitation traces'));
    assert.ok(!shown('exploited-internet-facing-vulnerability', subject()).includes('Web shell and post-exploitation traces'));
  });

  test('the phase of an archetype with a condition of its own: the archetype adds the condition to the library step', () => {
    const refs = archetype('malware-infostealer').steps['detection-analysis'];
    const added = refs.find((r) => typeof r !== 'string');
    assert.ok(added && typeof added !== 'string' && added.step === 'detect-ioc-sweep' && added.when.iocTypes?.includes('sha256'));
    // The library step alone (hasIocs) would hold for any indicator; the archetype narrows it to indicators a host sweep can use.
    assert.equal(holds(kb.steps.get('detect-ioc-sweep')?.when, subject({ iocCount: 1, iocTypes: ['email'] })), true);
  });
});

describe('the profile decides which controls appear', () => {
  const values = templateValues(eventContext(EMPTY_FACTS, [], '2026-12-01', 0), null);
  const malware = archetype('malware-infostealer');
  const steps = (p: Profile | null) => checklist(kb, malware, subject({ archetype: malware.id, profile: p }), values);

  test('a team without the tool gets the compensating control with per-stack commands; with it, the standard control', () => {
    const small = steps(profile({ tools: [] }))[0];
    assert.equal(small.tool, 'edr');
    assert.equal(small.shown, 'compensating');
    assert.equal(small.standard, null);
    assert.ok(small.compensating.length > 0 && small.compensatingControls.length >= 3);
    const big = steps(profile({ tools: ['edr'] }))[0];
    assert.equal(big.shown, 'standard');
    assert.match(big.standard ?? '', /EDR console/);
    assert.deepEqual([big.compensating, big.compensatingControls], ['', []]);
    assert.equal(steps(null)[0].shown, 'compensating', 'no profile: a small team without the tools');
  });

  test("the team's vendors choose the stacks; platform stacks stay; an unknown vendor keeps every stack", () => {
    const stacks = (p: Profile | null) => new Set(steps(p)[0].compensatingControls.map((c) => c.stack));
    const all = stacks(null);
    assert.ok(all.has('okta') && all.has('entra-id') && all.has('windows'));
    const okta = stacks(profile({ vendors: ['Okta'] }));
    assert.ok(okta.has('okta') && okta.has('windows') && okta.has('linux'));
    assert.ok(!okta.has('entra-id'));
    const ms = stacks(profile({ vendors: ['Microsoft 365'] }));
    assert.ok(ms.has('entra-id') && !ms.has('okta'));
    assert.deepEqual([...stacks(profile({ vendors: ['Acme Payroll'] }))].sort(), [...all].sort());
  });

  test("the tenant in the profile reaches the commands", () => {
    const atoSteps = checklist(kb, archetype('credential-stuffing-account-takeover'), subject({ profile: profile({ tenant: 'acme.okta.com' }) }), templateValues(eventContext(EMPTY_FACTS, [], '2026-12-01', 0), profile({ tenant: 'acme.okta.com' })));
    const okta = atoSteps[0].compensatingControls.find((c) => c.stack === 'okta');
    assert.ok(okta && okta.body.includes('https://acme.okta.com/api/v1/'), okta?.body);
  });
});

describe('templates are always filled', () => {
  const placeholder = /\{[A-Za-z]+\}/;
  const full = templateValues({
    victims: ['Acme Health'], vendor: 'Snowflake', product: 'Snowflake Data Cloud', products: ['Snowflake Data Cloud'], actor: 'UNC5537',
    cves: ['CVE-2024-3400'], windowStart: '2026-04-01', windowEnd: '2026-04-20', discovered: '2026-04-22', disclosed: '2026-05-01',
    asOf: '2026-12-01', dataTypes: ['PHI'], iocCount: 4,
  }, profile({ tenant: 'acme.okta.com' }));
  const bare = templateValues(eventContext(EMPTY_FACTS, [], '2026-12-01', 0), null);
  for (const [name, values] of [['with every fact', full], ['with no fact and no profile', bare]] as const) {
    test(`every step of every playbook, ${name}`, () => {
      for (const a of kb.archetypes) {
        for (const phase of PHASES) {
          for (const ref of a.steps[phase]) {
            const step = kb.steps.get(stepRefId(ref));
            assert.ok(step);
            // Force this candidate: one archetype whose only step in each phase is this one.
            const only = { ...a, steps: { ...a.steps, [phase]: [stepRefId(ref)] } };
            for (const tools of [[], ['siem', 'edr', 'pam', 'dlp', 'grc', 'vendor-risk']]) {
              const s = checklist(kb, only, subject({ profile: profile({ tools }) }), values).find((x) => x.phase === phase);
              assert.ok(s);
              const text = [s.action, s.standard ?? '', s.compensating, ...s.compensatingControls.map((c) => c.body), ...s.preserveEvidence].join('\n');
              assert.doesNotMatch(text, placeholder, `${a.id} ${step.id}`);
              // A literal brace is written {{ in the kb; none may reach the page doubled (closing }} is legitimate PowerShell nesting).
              assert.doesNotMatch(text, /\{\{/, `${a.id} ${step.id}: doubled braces unescaped`);
            }
          }
        }
        for (const t of [...a.recovery, ...a.artifacts.flatMap((x) => [x.window, x.indicates]), ...a.escalation.map((e) => e.condition), a.summaryLead]) {
          assert.doesNotMatch(t.replace(/\{([A-Za-z]+)\}/g, (m, n) => ((PLACEHOLDERS as readonly string[]).includes(n) ? '' : m)), placeholder, a.id);
        }
      }
    });
  }
});

describe('reporting of each new kind classifies and gets a full page', () => {
  const docs: Record<string, string> = {
    'cloud-misconfiguration-exposure': `Title: Misconfigured cloud storage exposed 1.2 million patient files at Northwind Clinics\nSource: example\nPublished: 2026-11-20\n\nA security researcher discovered an unsecured Amazon S3 bucket belonging to Northwind Clinics that was publicly accessible without a password. The misconfigured bucket held scanned medical records and insurance cards. The records were left exposed from 2026-09-01 to 2026-11-10, when the company restricted access.`,
    'credential-stuffing-account-takeover': `Title: Credential stuffing attack hits 40,000 Fabrikam Rewards accounts\nSource: example\nPublished: 2026-11-18\n\nFabrikam said attackers used credentials stolen from other breaches to log in to customer accounts in a credential stuffing campaign. About 40,000 accounts were taken over and loyalty points were redeemed. The company forced a password reset for all affected customers and added multi-factor authentication.`,
    'insider-data-theft': `Title: Former employee stole Contoso trade secrets before joining rival\nSource: example\nPublished: 2026-11-15\n\nContoso sued a former engineer who downloaded proprietary source code and design files to a personal Google Drive account in the weeks before he resigned. The lawsuit says the former employee copied 14,000 files to a USB drive on his last day.`,
    ddos: `Title: DDoS attack knocks Tailspin Airlines website offline\nSource: example\nPublished: 2026-11-12\n\nA distributed denial-of-service attack took the Tailspin Airlines booking site offline for six hours. The pro-Russian group NoName057(16) claimed the DDoS on Telegram. The flood peaked at 1.2 Tbps, the company's CDN provider said.`,
    'malware-infostealer': `Title: Lumma infostealer campaign spreads through fake CAPTCHA pages\nSource: example\nPublished: 2026-11-10\n\nResearchers found a malware campaign that delivers the Lumma infostealer through fake CAPTCHA pages. The stealer harvests browser passwords, cookies and crypto wallets and sends them to command-and-control servers. Victims are told to paste a PowerShell command that downloads the payload.`,
  };
  for (const [want, text] of Object.entries(docs)) {
    test(want, async () => {
      const store = await openSqliteStore(':memory:');
      const p = profile({ tenant: 'acme.okta.com', vendors: ['Okta', 'AWS'], tools: ['siem'] });
      const item: Item = (await ingest(store, { bytes: bytes(text), origin: `${want}.txt` }, testContext({ profile: p, profileName: 'p.yaml' }))).item;
      await store.close();
      assert.equal(item.archetype.id, want);
      assert.deepEqual(item.checklist.map((s) => s.phase), [...PHASES]);
      for (const s of item.checklist) {
        assert.ok(s.csf.length > 0 && s.controls.length > 0 && s.cis.length > 0 && s.preserveEvidence.length > 0, s.key);
        assert.equal(s.shown, s.tool === 'siem' ? 'standard' : 'compensating', s.key);
        // A step with commands for the team's own stacks shows no other vendor's; one without any keeps all its stacks.
        const vendorStacks = s.compensatingControls.filter((c) => !['windows', 'linux'].includes(c.stack)).map((c) => c.stack);
        if (vendorStacks.some((x) => x === 'okta' || x === 'aws')) assert.ok(vendorStacks.every((x) => x === 'okta' || x === 'aws'), `${s.key}: only the team's stacks`);
      }
      assert.doesNotMatch(JSON.stringify([item.checklist, item.recovery, item.artifacts, item.triage, item.summary]), /\{[A-Za-z]+\}/);
      assert.ok(item.artifacts.length >= 5);
    });
  }
});

describe('per-technique detection guidance', () => {
  const row = (id: string, name: string): TechniqueRow => ({ id, name, tactics: [], basis: 'observed', confidence: 'medium', evidence: [ev] });
  const catalogs: Catalogs = {
    ...NO_CATALOGS,
    technique: (id) => (id === 'T1110.004' || id === 'T1529'
      ? {
        name: id, tactics: [], revoked: false, deprecated: false,
        detection: {
          strategies: [{ id: 'DET0001', name: `Detection of ${id}` }],
          dataComponents: [{ id: 'DC0002', name: 'User Account Authentication' }],
          logSources: [{ name: 'WinEventLog:Security', channel: 'EventCode=4625' }],
        },
      }
      : null),
  };

  test("curated guidance is joined with ATT&CK's detection strategies, data components and log sources when the catalog has them", () => {
    const d = detection(kb, [row('T1110.004', 'Credential Stuffing')], [], '2026-12-01', '2026-11-01', catalogs);
    const f = d.focus.find((x) => x.technique?.startsWith('T1110.004'));
    assert.ok(f);
    assert.equal(f.text, kb.techniques.get('T1110.004')?.focus);
    assert.deepEqual(f.strategies, [{ id: 'DET0001', title: 'Detection of T1110.004' }]);
    assert.deepEqual(f.dataComponents, [{ id: 'DC0002', title: 'User Account Authentication' }]);
    assert.ok(f.logSources.includes('WinEventLog:Security (EventCode=4625)'));
    assert.ok(f.artifacts.length > 0, 'curated forensic artifacts');
  });

  test('a technique only the catalog describes still gets its focus; without detection data nothing is invented', () => {
    const d = detection(kb, [row('T1529', 'System Shutdown/Reboot')], [], '2026-12-01', '2026-11-01', catalogs);
    assert.match(d.focus[0]?.text ?? '', /Detection of T1529/);
    assert.deepEqual(detection(kb, [row('T1529', 'System Shutdown/Reboot')], [], '2026-12-01', '2026-11-01').focus, []);
  });
});

describe('the loader refuses a broken library with the file and the reason', () => {
  const brokenKb = (file: string, edit: (text: string) => string): string => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vigil-kb-'));
    fs.cpSync(DEFAULT_KB_DIR, dir, { recursive: true });
    fs.writeFileSync(path.join(dir, file), edit(fs.readFileSync(path.join(dir, file), 'utf8')));
    return dir;
  };
  test('a step citing an unknown compensating control', () => {
    const dir = brokenKb('steps/containment.yaml', (t) => t.replace('stacks: [entra-id/app-grants', 'stacks: [entra-id/no-such-control'));
    assert.throws(() => loadKb(dir), (e: unknown) => e instanceof KbError && e.file === 'steps/containment.yaml' && /unknown compensating control "entra-id\/no-such-control"/.test(e.message));
  });
  test('a CIS safeguard whose title differs from the table', () => {
    const dir = brokenKb('steps/containment.yaml', (t) => t.replace("{ id: '6.2', title: Establish an Access Revoking Process }", "{ id: '6.2', title: Revoke Access }"));
    assert.throws(() => loadKb(dir), (e: unknown) => e instanceof KbError && /CIS safeguard 6.2 is titled "Establish an Access Revoking Process"/.test(e.message));
  });
  test('a compensating control with both commands and a query, or an unknown placeholder in a command', () => {
    const both = brokenKb('compensating/aws.yaml', (t) => t.replace('    language: sql\n    query:', '    language: sql\n    commands: [x]\n    query:'));
    assert.throws(() => loadKb(both), (e: unknown) => e instanceof KbError && e.file === 'compensating/aws.yaml' && /either commands or a query/.test(e.message));
    const unknown = brokenKb('compensating/okta.yaml', (t) => t.replace('since={windowStart}', 'since={startOfTime}'));
    assert.throws(() => loadKb(unknown), (e: unknown) => e instanceof KbError && /unknown placeholder \{startOfTime\}/.test(e.message));
  });
});
