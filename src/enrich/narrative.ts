/** The executive summary and technical analysis, composed only from the item's facts and dates; unknowns said as unknown as of the analysis date. */
import type { AnalysisPoint, Classification, Cvss, Facts, SeverityAssessment, TechniqueRow, Vulnerability } from '../domain/index.js';
import type { Archetype } from '../knowledge/kb-schema.js';
import type { Kb } from '../knowledge/load-kb.js';
import { fillTemplate, type TemplateValues } from '../knowledge/template.js';
import type { EventContext } from './context.js';

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

export function executiveSummary(input: NarrativeInput): string[] {
  const { facts, ctx, playbook, values } = input;
  if (!playbook) {
    return [`This document does not describe a security event: no CVE, indicator, technique, weakness, threat actor or incident language was found in it as of ${ctx.asOf}.`, 'It is kept as INFORMATIONAL and needs no action.'];
  }
  const lines = [
    fillTemplate(playbook.summaryLead, values),
    timeline(ctx),
    impact(facts, ctx),
    undetermined(facts, ctx, input.archetype.id),
    filings(facts),
    downstream(input),
  ].filter((s): s is string => !!s).map(sentence);
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
  add('Scoring data and severity', `${scored} ${epss.length > 0 ? `${join(epss)}. ` : 'No EPSS score is available. '}Severity ${input.severity.level}: ${input.severity.reason}`, input.cvss.kind === 'computed' ? 'computed' : 'estimated', false);
  return points;
}
