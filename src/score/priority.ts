/** Priority in [0,1]: a weighted sum of documented factors (every weight and value in kb/priority.yaml), each with its reason; deterministic. */
import type { Facts, Priority, PriorityFactor, SeverityAssessment, TriageLevel, Vulnerability } from '../domain/index.js';
import type { Profile } from '../config/profile.js';
import type { PriorityWeights } from '../knowledge/kb-schema.js';
import type { Kb } from '../knowledge/load-kb.js';
import { relevanceTo } from './relevance.js';

export interface PrioritySource {
  readonly outlet: string;
  readonly url: string | null;
}

export interface PriorityInput {
  readonly facts: Facts;
  readonly severity: SeverityAssessment;
  readonly vulnerabilities: readonly Vulnerability[];
  /** The reports of the item: distinct outlets corroborate, and the best-reputed one vouches. */
  readonly sources: readonly PrioritySource[];
  readonly lastUpdated: string | null;
  readonly asOf: string;
  readonly profile: Profile | null;
  readonly sector: string | null;
  readonly eventIsIncident: boolean;
  /** The documents' text, lower-cased: a profile's vendor may be named without being recognised as an organisation. */
  readonly text: string;
}

const round3 = (n: number) => Math.round(n * 1000) / 1000;
const has = (facts: Facts, id: string) => facts.statuses.some((s) => s.id === id);

function hostOf(url: string | null): string | null {
  if (!url) return null;
  try {
    return new URL(url).hostname.toLowerCase();
  } catch {
    return null;
  }
}

/** The first reputation rule whose host suffix matches the source's URL, or whose words appear in its outlet name. */
export function reputationOf(source: PrioritySource, weights: PriorityWeights): { score: number; rule: string | null } {
  const host = hostOf(source.url);
  const outlet = source.outlet.toLowerCase();
  const rule = weights.reputation.find((r) => (host !== null && (host === r.match || host.endsWith(`.${r.match}`))) || outlet === r.match || outlet.replace(/\s+/g, '') === r.match.split('.')[0]);
  return rule ? { score: rule.score, rule: `${rule.match} (${rule.kind})` } : { score: weights.values.corroboration.defaultReputation, rule: null };
}

type Measure = (input: PriorityInput, kb: Kb) => { value: number; reason: string };

const MEASURES: Record<string, Measure> = {
  severity: ({ severity }, kb) => ({ value: kb.priority.values.severity[severity.level], reason: `severity ${severity.level}` }),
  exploitation: ({ facts, vulnerabilities, eventIsIncident }, kb) => {
    const x = kb.priority.values.exploitation;
    const kev = vulnerabilities.find((v) => v.kev);
    if (kev) return { value: x.kev, reason: `${kev.cve} is in CISA KEV (added ${kev.kev?.dateAdded}${kev.kev?.knownRansomwareUse ? ', known ransomware use' : ''})` };
    if (has(facts, 'actively-exploited')) return { value: x.reported, reason: 'the reporting says it is actively exploited' };
    if (eventIsIncident) return { value: x.intrusion, reason: 'an actual intrusion is reported, not only a weakness' };
    const top = [...vulnerabilities].filter((v) => v.epss).sort((a, b) => (b.epss?.probability ?? 0) - (a.epss?.probability ?? 0) || a.cve.localeCompare(b.cve))[0];
    if (top?.epss && top.epss.probability > 0) {
      return { value: Math.min(1, top.epss.probability * x.epssFactor), reason: `highest EPSS probability ${top.epss.probability.toFixed(3)} (${top.cve}, percentile ${top.epss.percentile.toFixed(3)})` };
    }
    if (has(facts, 'no-known-exploitation')) return { value: x.noneKnown, reason: 'no known exploitation is stated' };
    return { value: x.noEvidence, reason: 'no exploitation evidence in the reporting' };
  },
  automatable: ({ vulnerabilities }, kb) => {
    const a = kb.priority.values.automatable;
    const scored = vulnerabilities.filter((v) => v.ssvc);
    const yes = scored.find((v) => v.ssvc?.automatable === 'yes');
    if (yes) return { value: a.yes, reason: `${yes.cve} is automatable (${yes.ssvc?.basis === 'vulnrichment' ? 'CISA Vulnrichment' : 'derived from its CVSS vector'})` };
    if (scored.length > 0) return { value: a.no, reason: `not automatable (${scored.map((v) => v.cve).join(', ')})` };
    return { value: a.unknown, reason: vulnerabilities.length > 0 ? 'no SSVC Automatable point for its CVEs' : 'no CVE, so Automatable is unknown' };
  },
  'data-sensitivity': ({ facts }, kb) => {
    const rated = facts.dataTypes.map((d) => ({ label: d.label, s: kb.dataTypes.find((r) => r.id === d.id)?.sensitivity ?? 0.5 }));
    const top = rated.sort((a, b) => b.s - a.s || a.label.localeCompare(b.label))[0];
    return top ? { value: top.s, reason: `${top.label} exposed` } : { value: 0, reason: 'no exposed data type stated' };
  },
  relevance: (input, kb) => {
    const r = relevanceTo(input, kb.priority);
    return { value: r.value, reason: r.reason };
  },
  corroboration: ({ sources }, kb) => {
    const c = kb.priority.values.corroboration;
    const outlets = new Set(sources.map((s) => s.outlet)).size;
    const best = sources.map((s) => ({ s, r: reputationOf(s, kb.priority) })).sort((a, b) => b.r.score - a.r.score || a.s.outlet.localeCompare(b.s.outlet))[0];
    const reputation = best?.r.score ?? c.defaultReputation;
    const value = c.countShare * Math.min(1, outlets / c.fullAt) + (1 - c.countShare) * reputation;
    const who = best ? `${best.s.outlet}, reputation ${reputation}${best.r.rule ? ` from ${best.r.rule}` : ' (not rated)'}` : 'no source';
    return { value, reason: `${outlets} outlet${outlets === 1 ? '' : 's'} reporting; best source ${who}` };
  },
  recency: ({ lastUpdated, asOf }, kb) => {
    if (!lastUpdated) return { value: 0.5, reason: 'publication date unknown' };
    const days = Math.max(0, (Date.parse(`${asOf}T23:59:59Z`) - Date.parse(lastUpdated)) / 86_400_000);
    const value = 0.5 ** (days / kb.priority.recencyHalfLifeDays);
    return { value, reason: `last reported ${Math.floor(days)} days before ${asOf} (half-life ${kb.priority.recencyHalfLifeDays} days)` };
  },
};

export function prioritise(input: PriorityInput, kb: Kb): Priority {
  const factors: PriorityFactor[] = kb.priority.factors.map((f) => {
    const measure = MEASURES[f.id];
    const { value, reason } = measure ? measure(input, kb) : { value: 0, reason: 'no measure is defined for this factor' };
    const v = round3(value);
    return { id: f.id, label: f.label, weight: f.weight, value: v, contribution: round3(f.weight * v), reason };
  });
  // Summed from the rounded values, so the breakdown shown adds up to the number shown.
  const total = factors.reduce((sum, f) => sum + f.weight * f.value, 0);
  return { value: round3(Math.max(0, Math.min(1, total))), factors };
}

export function triageFromPriority(priority: number, kb: Kb): TriageLevel {
  const sorted = [...kb.priority.triage].sort((a, b) => b.minPriority - a.minPriority);
  return sorted.find((t) => priority >= t.minPriority)?.level ?? 'ROUTINE';
}
