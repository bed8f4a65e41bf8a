/** The executive summary and technical analysis, composed only from the item's facts and dates; unknowns said as unknown as of the analysis date. */
import type { Profile } from '../config/profile.js';
import type { AnalysisPoint, Classification, Cvss, Facts, SeverityAssessment, TechniqueRow, Vulnerability } from '../domain/index.js';
import type { Archetype, SummaryPart } from '../knowledge/kb-schema.js';
import type { Kb } from '../knowledge/load-kb.js';
import { fillTemplate, type TemplateValues } from '../knowledge/template.js';
import type { EventContext } from './context.js';
import { regimesFor } from './regimes.js';

export interface NarrativeInput {
  readonly facts: Facts;
  readonly ctx: EventContext;
  readonly values: TemplateValues;
  readonly archetype: Classification;
  readonly playbook: Archetype | undefined;
  readonly severity: SeverityAssessment;
  readonly cvss: Cvss;
  readonly vulnerabilities: readonly Vulnerability[];
  readonly attack: readonly TechniqueRow[];
  readonly kb: Kb;
  readonly sector?: string | null;
  readonly profile?: Profile | null;
}

const has = (facts: Facts, id: string) => facts.statuses.find((s) => s.id === id);
const join = (xs: readonly string[]) => (xs.length <= 1 ? (xs[0] ?? '') : `${xs.slice(0, -1).join(', ')} and ${xs[xs.length - 1]}`);
const sentence = (s: string) => `${s.charAt(0).toUpperCase()}${s.slice(1)}${/[.!?]$/.test(s) ? '' : '.'}`;

function timeline(ctx: EventContext): string | null {
  const parts: string[] = [];
  if (ctx.windowStart) parts.push(ctx.windowEnd ? `the activity ran from ${ctx.windowStart} to ${ctx.windowEnd}` : `the activity began around ${ctx.windowStart}`);
  if (ctx.discovered) parts.push(`it was discovered on ${ctx.discovered}`);
  if (ctx.disclosed) parts.push(`it was made public on ${ctx.disclosed}`);
  return parts.length > 0 ? sentence(join(parts)) : null;
}

function impact(facts: Facts, ctx: EventContext): string {
  const parts: string[] = [];
  if (facts.dataTypes.length > 0) parts.push(`${join(facts.dataTypes.map((d) => d.label.toLowerCase()))} exposed`);
  if (facts.affectedCount) parts.push(`at least ${facts.affectedCount.value.toLocaleString('en-US')} people or records affected (the largest count stated: "${facts.affectedCount.evidence.text.slice(0, 120)}")`);
  if (facts.disruption) parts.push(facts.disruption.days ? `operations disrupted for ${facts.disruption.days} days` : 'operations disrupted, for a duration not stated');
  return parts.length > 0
    ? `Confirmed impact: ${join(parts)}.`
    : `No data exposure or operational disruption has been confirmed as of ${ctx.asOf}.`;
}

function undetermined(facts: Facts, ctx: EventContext, archetypeId: string): string | null {
  const open: string[] = [];
  // Attribution is an open question for an attack, not for an advisory nobody has exploited.
  if (archetypeId !== 'vulnerability-advisory' && (has(facts, 'no-claim') || (!ctx.actor && !has(facts, 'claimed-by-group')))) {
    open.push(has(facts, 'no-claim') ? 'who is behind it (no group has claimed it)' : 'who is behind it (no actor is named)');
  }
  if (has(facts, 'access-vector-undisclosed')) open.push('how the attacker got in');
  if (has(facts, 'fix-pending')) open.push('when fixes will cover every affected version');
  if (facts.dataTypes.length > 0 && !facts.affectedCount) open.push('how many people are affected');
  if (archetypeId !== 'vulnerability-advisory' && ctx.cves.length === 0 && /vulnerab/.test(archetypeId)) open.push('the CVE identifier');
  return open.length > 0 ? `Still undetermined as of ${ctx.asOf}: ${join(open)}.` : null;
}

function filings(facts: Facts): string | null {
  const out: string[] = [];
  if (has(facts, 'sec-filing')) out.push('a Form 8-K filing with the SEC');
  if (has(facts, 'kev-listed')) out.push("CISA's addition to the Known Exploited Vulnerabilities catalog");
  if (has(facts, 'law-enforcement-notified')) out.push('notification of law enforcement');
  if (has(facts, 'notification-sent')) out.push('notices to affected parties');
  return out.length > 0 ? `Filings and notices reported: ${join(out)}.` : null;
}

function downstream(input: NarrativeInput): string | null {
  const { ctx, archetype } = input;
  const others = ctx.victims.filter((v) => v !== ctx.vendor);
  if (others.length > 0 && ctx.vendor) return `Downstream organisations named as affected: ${join(others.slice(0, 5))}; other customers of ${ctx.vendor} should assume exposure until told otherwise.`;
  if (ctx.products.length > 0 && /vulnerab|supply/.test(archetype.id)) return `Every organisation running ${join(ctx.products.slice(0, 3))} is potentially affected.`;
  return null;
}

/** What is exposed, for an advisory or a supply-chain event: products and versions, CVEs and the computed score. */
function exposure(input: NarrativeInput): string | null {
  const { facts, ctx, cvss } = input;
  const products = facts.products.slice(0, 3).map((p) => (p.versions.length > 0 ? `${p.name} ${p.versions.slice(0, 4).join(', ')}` : p.name));
  if (products.length === 0 && ctx.cves.length === 0) return null;
  const what = products.length > 0 ? `Affected: ${join(products)}` : 'No affected version is named';
  const ids = ctx.cves.length > 0 ? ` (${join(ctx.cves.slice(0, 4))})` : ', and no CVE is assigned yet';
  const score = cvss.kind === 'computed' ? `; CVSS ${cvss.version} base score ${cvss.baseScore.toFixed(1)}, ${cvss.severity}` : `; no CVSS vector is published, so the ${cvss.severity} rating is an estimate`;
  return `${what}${ids}${score}.`;
}

/** The strongest exploitation evidence, with its date: KEV first, then the reporting, then EPSS; silence is stated. */
function exploitation(input: NarrativeInput): string {
  const { facts, ctx, vulnerabilities } = input;
  const kev = vulnerabilities.find((v) => v.kev);
  if (kev?.kev) {
    const due = kev.kev.dueDate ? `, with a federal remediation due date of ${kev.kev.dueDate}` : '';
    return `CISA added ${kev.cve} to its Known Exploited Vulnerabilities catalog on ${kev.kev.dateAdded}${due}${kev.kev.knownRansomwareUse ? ', and it is known to be used in ransomware campaigns' : ''}.`;
  }
  if (has(facts, 'actively-exploited')) return 'The reporting says attackers are already exploiting it in the wild.';
  const epss = [...vulnerabilities].filter((v) => v.epss).sort((a, b) => (b.epss?.probability ?? 0) - (a.epss?.probability ?? 0))[0];
  if (epss?.epss) return `No exploitation is reported as of ${ctx.asOf}; EPSS puts the chance of exploitation activity in the next 30 days at ${(epss.epss.probability * 100).toFixed(1)}% for ${epss.cve}.`;
  return `No exploitation is reported as of ${ctx.asOf}.`;
}

function fix(facts: Facts, ctx: EventContext): string {
  const patch = has(facts, 'patch-available');
  const pending = has(facts, 'fix-pending');
  if (patch && pending) return 'Fixes are out for some versions while others still wait for one, so mitigations matter until every version is covered.';
  if (patch) return 'A fix is available, so the work is finding every affected instance and updating it.';
  if (pending) return 'No fix is available yet: mitigation and exposure reduction are the only options for now.';
  return `No patch or workaround is reported as of ${ctx.asOf}.`;
}

export function executiveSummary(input: NarrativeInput): string[] {
  const { facts, ctx, playbook, values, kb } = input;
  if (!playbook) {
    return [`This document does not describe a security event: no CVE, indicator, technique, weakness, threat actor or incident language was found in it as of ${ctx.asOf}.`, 'It is kept as INFORMATIONAL and needs no action.'];
  }
  const parts: Record<SummaryPart, () => string | null> = {
    lead: () => fillTemplate(playbook.summaryLead, values),
    exposure: () => exposure(input),
    exploitation: () => exploitation(input),
    fix: () => fix(facts, ctx),
    timeline: () => timeline(ctx),
    impact: () => impact(facts, ctx),
    undetermined: () => undetermined(facts, ctx, input.archetype.id),
    filings: () => filings(facts),
    downstream: () => downstream(input),
  };
  const order = kb.narrative.archetypes[input.archetype.id] ?? kb.narrative.default;
  const lines = order.map((p) => parts[p]()).filter((s): s is string => !!s).map(sentence);
  // Three sentences at least: when an archetype's own parts are thin, the general ones fill in.
  for (const p of kb.narrative.default) {
    if (lines.length >= 3) break;
    const extra = order.includes(p) ? null : parts[p]();
    if (extra) lines.push(sentence(extra));
  }
  return lines.slice(0, 6);
}

export function technicalAnalysis(input: NarrativeInput): AnalysisPoint[] {
  const { facts, ctx, kb } = input;
  const asOf = ctx.asOf;
  const points: AnalysisPoint[] = [];
  const add = (topic: string, statement: string, status: string, dated = true) => points.push({ topic, statement, status, asOf: dated ? asOf : null });
  const products = facts.products.map((p) => (p.versions.length > 0 ? `${p.name} (${p.versions.join(', ')})` : p.name));
  add('Affected environment', products.length > 0 ? `Affected: ${join(products)}${ctx.vendor ? `, from ${ctx.vendor}` : ''}.` : ctx.vendor ? `The affected service is operated by ${ctx.vendor}; no product version is named.` : 'No affected product or version is named in the reporting.', products.length > 0 ? 'reported' : 'not disclosed');
  add('Vulnerability identifiers', ctx.cves.length > 0 ? `${join([...ctx.cves])}.` : `No CVE has been assigned or cited as of ${asOf}.`, ctx.cves.length > 0 ? 'confirmed' : 'none assigned');
  const claimed = has(facts, 'claimed-by-group');
  add('Attribution', ctx.actor ? `Attributed in the reporting to ${ctx.actor}${claimed ? ', which claimed it' : ''}.` : `No actor has been named or has claimed responsibility as of ${asOf}.`, ctx.actor ? 'reported' : 'unknown');
  const access = [...facts.techniques, ...facts.attackIds].find((t) => ['T1190', 'T1133', 'T1078', 'T1566', 'T1195', 'T1199'].some((id) => t.id.startsWith(id)));
  const accessName = access ? (kb.techniques.get(access.id)?.name ?? input.attack.find((a) => a.id === access.id)?.name ?? access.id) : null;
  add('Initial access vector', has(facts, 'access-vector-undisclosed')
    ? `Not disclosed as of ${asOf}${accessName ? `; the reporting points at ${accessName} ("${access?.evidence.text.slice(0, 160)}")` : ''}.`
    : accessName ? `${accessName}, per the reporting: "${access?.evidence.text.slice(0, 200)}"` : `Not stated in the reporting as of ${asOf}.`,
  has(facts, 'access-vector-undisclosed') ? 'not disclosed' : accessName ? 'reported' : 'unknown');
  const cwes = [...new Map([...facts.cwes, ...facts.weaknesses].map((c) => [c.id, c])).values()];
  add('Weakness classes', cwes.length > 0
    ? cwes.map((c) => `${c.id} ${kb.weaknesses.find((w) => w.id === c.id)?.name ?? ''}: ${c.evidence.rule.startsWith('identifier') ? 'named in the reporting' : 'the reporting describes it'} ("${c.evidence.text.slice(0, 140)}")`).join('; ')
    : 'No weakness class (CWE) is named or described.', cwes.length > 0 ? 'reported' : 'unknown');
  const observed = input.attack.filter((a) => a.basis === 'observed');
  add('ATT&CK techniques', observed.length > 0
    ? `Observed in the reporting: ${observed.map((t) => `${t.id} ${t.name}`).join('; ')}. Techniques marked "consistent" in the ATT&CK table are expectations of the incident type, not observations.`
    : 'No technique is described explicitly; the ATT&CK table lists techniques consistent with the incident type.', observed.length > 0 ? 'reported' : 'inferred');
  const contained = has(facts, 'contained');
  const lateral = input.attack.find((a) => a.basis === 'observed' && a.tactics.some((t) => t.id === 'lateral-movement'));
  const movement = lateral ? `Lateral movement reported (${lateral.id} ${lateral.name}): "${lateral.evidence[0]?.text.slice(0, 160)}"` : 'No lateral movement is reported.';
  add('Containment and lateral movement', contained
    ? `Containment reported: "${contained.evidence.text.slice(0, 200)}" ${movement}`
    : `No containment status is reported as of ${asOf}. ${movement}`, contained || lateral ? 'reported' : 'unknown');
  const responders = [...new Set(facts.organisations.filter((o) => o.role === 'responder').map((o) => o.name))];
  const authorities = [...new Set(facts.organisations.filter((o) => o.role === 'regulator').map((o) => o.name))];
  const le = has(facts, 'law-enforcement-notified');
  const forensics = has(facts, 'forensics-engaged');
  const parties = [
    responders.length > 0 ? `responders engaged: ${join(responders)}` : forensics ? 'a forensic firm is engaged (not named)' : null,
    authorities.length > 0 ? `authorities named: ${join(authorities)}` : null,
    le ? 'law enforcement notified' : null,
  ].filter(Boolean);
  add('Response parties', parties.length > 0 ? `${sentence(parties.join('; '))}` : `No response firm or authority is named as of ${asOf}.`, parties.length > 0 ? 'reported' : 'unknown');
  const patch = has(facts, 'patch-available');
  const pending = has(facts, 'fix-pending');
  add('Patch or remediation', patch && pending ? 'Fixes are available for some versions; others are still waiting for one.' : patch ? `A fix is available: "${patch.evidence.text.slice(0, 200)}"` : pending ? 'No fix is available yet.' : `No patch or remediation status is stated as of ${asOf}.`, patch ? 'available' : pending ? 'pending' : 'unknown');
  const scored = input.cvss.kind === 'computed'
    ? `CVSS ${input.cvss.version} vector ${input.cvss.vector} computes to ${input.cvss.baseScore.toFixed(1)}.`
    : `${input.cvss.reason}`;
  const epss = input.vulnerabilities.filter((v) => v.epss).map((v) => `${v.cve} EPSS ${v.epss?.probability.toFixed(3)} (percentile ${v.epss?.percentile.toFixed(3)})`);
  const kev = input.vulnerabilities.filter((v) => v.kev).map((v) => `${v.cve} in CISA KEV since ${v.kev?.dateAdded}${v.kev?.dueDate ? ` (due ${v.kev.dueDate})` : ''}${v.kev?.knownRansomwareUse ? ', known ransomware use' : ''}`);
  const ssvc = input.vulnerabilities.filter((v) => v.ssvc).map((v) => `${v.cve} SSVC ${v.ssvc?.decision} (${v.ssvc?.basis === 'vulnrichment' ? 'CISA Vulnrichment points' : 'derived points'}: exploitation ${v.ssvc?.exploitation}, automatable ${v.ssvc?.automatable}, technical impact ${v.ssvc?.technicalImpact}, mission and well-being ${v.ssvc?.missionWellbeing})`);
  const others = input.vulnerabilities.flatMap((v) => v.vectors.filter((x) => x.vector !== (v.cvss?.kind === 'computed' ? v.cvss.vector : '')).slice(0, 2).map((x) => `${v.cve} CVSS ${x.version} ${x.baseScore.toFixed(1)} from ${x.source}`));
  add('Scoring data and severity', [
    scored,
    epss.length > 0 ? `${join(epss)}.` : 'No EPSS score is available.',
    kev.length > 0 ? `${sentence(join(kev))}` : null,
    ssvc.length > 0 ? `${sentence(join(ssvc))}` : null,
    others.length > 0 ? `Other published vectors: ${join(others)}.` : null,
    `Severity ${input.severity.level}: ${input.severity.reason}`,
  ].filter(Boolean).join(' '), input.cvss.kind === 'computed' ? 'computed' : 'estimated', false);
  const regimes = regimesFor(kb.regimes, facts, input.sector ?? null, input.profile ?? null);
  add('Regulatory regimes', regimes.length > 0
    ? `${regimes.map((r) => `${r.name} (${r.why}${r.inScope === true ? '; in scope for the team profile' : r.inScope === false ? '; the team profile does not declare it' : ''})`).join('; ')}.`
    : 'No data type or sector in the reporting brings in a breach-notification regime.', regimes.length > 0 ? 'inferred' : 'none identified');
  return points;
}
