/** Priority in [0,1]: a weighted sum of documented factors (weights in kb/priority.yaml), each with its reason; deterministic. */
import type { Facts, Priority, PriorityFactor, Severity, SeverityAssessment, TriageLevel, Vulnerability } from '../domain/index.js';
import type { Profile } from '../config/profile.js';
import type { Kb } from '../knowledge/load-kb.js';

export interface PriorityInput {
  readonly facts: Facts;
  readonly severity: SeverityAssessment;
  readonly vulnerabilities: readonly Vulnerability[];
  readonly sourceCount: number;
  readonly lastUpdated: string | null;
  readonly asOf: string;
  readonly profile: Profile | null;
  readonly sector: string | null;
  readonly eventIsIncident: boolean;
  /** The documents' text, lower-cased: a profile's vendor may be named without being recognised as an organisation. */
  readonly text: string;
}

// The mapping kb/priority.yaml documents for the severity factor.
const SEVERITY_VALUE: Record<Severity, number> = { CRITICAL: 1, HIGH: 0.8, MEDIUM: 0.55, LOW: 0.3, INFORMATIONAL: 0 };
const round3 = (n: number) => Math.round(n * 1000) / 1000;
const has = (facts: Facts, id: string) => facts.statuses.some((s) => s.id === id);

type Measure = (input: PriorityInput, kb: Kb) => { value: number; reason: string };

const MEASURES: Record<string, Measure> = {
  severity: ({ severity }) => ({ value: SEVERITY_VALUE[severity.level], reason: `severity ${severity.level}` }),
  exploitation: ({ facts, vulnerabilities, eventIsIncident }) => {
    const kev = vulnerabilities.find((v) => v.kev);
    if (kev) return { value: 1, reason: `${kev.cve} is in CISA KEV (added ${kev.kev?.dateAdded})` };
    if (has(facts, 'actively-exploited')) return { value: 1, reason: 'the reporting says it is actively exploited' };
    if (eventIsIncident) return { value: 0.8, reason: 'an actual intrusion is reported, not only a weakness' };
    const epss = Math.max(0, ...vulnerabilities.map((v) => v.epss?.probability ?? 0));
    if (epss > 0) return { value: Math.min(1, epss * 2), reason: `highest EPSS probability ${epss.toFixed(3)}` };
    if (has(facts, 'no-known-exploitation')) return { value: 0.1, reason: 'no known exploitation is stated' };
    return { value: 0.2, reason: 'no exploitation evidence in the reporting' };
  },
  'data-sensitivity': ({ facts }, kb) => {
    const rated = facts.dataTypes.map((d) => ({ label: d.label, s: kb.dataTypes.find((r) => r.id === d.id)?.sensitivity ?? 0.5 }));
    const top = rated.sort((a, b) => b.s - a.s)[0];
    return top ? { value: top.s, reason: `${top.label} exposed` } : { value: 0, reason: 'no exposed data type stated' };
  },
  relevance: ({ facts, profile, sector, text }) => {
    if (!profile) return { value: 0.3, reason: 'no team profile configured (neutral relevance)' };
    const lower = (s: string) => s.toLowerCase();
    const names = [...facts.organisations.map((o) => o.name), ...facts.products.map((p) => p.name)].map(lower);
    const used = [...profile.vendors, ...profile.products].find((v) => names.some((n) => n.includes(lower(v)) || lower(v).includes(n)) || text.includes(lower(v)));
    if (used) return { value: 1, reason: `the profile lists ${used}` };
    if (sector && profile.sectors.includes(sector)) return { value: 0.6, reason: `same sector as the profile (${sector})` };
    return { value: 0.1, reason: 'no vendor, product or sector of the profile is involved' };
  },
  corroboration: ({ sourceCount }) => ({
    value: Math.min(1, sourceCount / 3),
    reason: `${sourceCount} source${sourceCount === 1 ? '' : 's'} reporting`,
  }),
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
    return { id: f.id, label: f.label, weight: f.weight, value: round3(value), contribution: round3(f.weight * value), reason };
  });
  const total = factors.reduce((sum, f) => sum + f.weight * f.value, 0);
  return { value: round3(Math.max(0, Math.min(1, total))), factors };
}

export function triageFromPriority(priority: number, kb: Kb): TriageLevel {
  const sorted = [...kb.priority.triage].sort((a, b) => b.minPriority - a.minPriority);
  return sorted.find((t) => priority >= t.minPriority)?.level ?? 'ROUTINE';
}
