/** Severity and the item's CVSS: computed from a valid vector when one is published, else an estimate with its reason. */
import type { Classification, Cvss, Facts, Severity, SeverityAssessment } from '../domain/index.js';
import { SEVERITIES } from '../domain/index.js';
import type { Catalogs } from '../knowledge/catalogs.js';
import type { Kb } from '../knowledge/load-kb.js';
import { NO_EVENT_ID } from '../extract/classify.js';
import { CvssError, scoreCvss } from './cvss.js';

export interface ComputedVector {
  readonly cve: string | null;
  readonly cvss: Extract<Cvss, { kind: 'computed' }>;
}

export interface RejectedVector {
  readonly vector: string;
  readonly reason: string;
}

/** Scores each vector found in the text; invalid ones are kept with the reason they were refused. */
export function scoreVectors(facts: Facts): { computed: ComputedVector[]; rejected: RejectedVector[] } {
  const computed: ComputedVector[] = [];
  const rejected: RejectedVector[] = [];
  for (const v of facts.cvssVectors) {
    try {
      const s = scoreCvss(v.vector);
      computed.push({ cve: v.cve, cvss: { kind: 'computed', version: s.version, vector: s.vector, baseScore: s.baseScore, severity: s.severity, cve: v.cve, source: 'reporting' } });
    } catch (e) {
      if (!(e instanceof CvssError)) throw e;
      rejected.push({ vector: v.vector, reason: e.message });
    }
  }
  return { computed, rejected };
}

const publisher = (v: ComputedVector) => (v.cvss.source === 'reporting' ? '' : `, published by ${v.cvss.source}`);

/**
 * Vectors the CVE data publishes (NVD, the CNA, CISA's ADP) for cited CVEs the reporting gives none for: per CVE, the
 * newest CVSS version, NVD's primary first, then the CNA's, then an ADP's.
 */
export function publishedVectors(facts: Facts, fromText: readonly ComputedVector[], catalogs: Catalogs): ComputedVector[] {
  const out: ComputedVector[] = [];
  const rankSource = (s: string) => (s === 'nvd' ? 0 : s.startsWith('cna:') ? 1 : 2);
  for (const { id } of facts.cves) {
    if (fromText.some((c) => c.cve === id)) continue;
    const best = [...(catalogs.cveData(id)?.cvss ?? [])]
      .sort((a, b) => Number(b.version) - Number(a.version) || rankSource(a.source) - rankSource(b.source) || (a.type === 'primary' ? -1 : 1))[0];
    if (!best) continue;
    try {
      const s = scoreCvss(best.vector);
      out.push({ cve: id, cvss: { kind: 'computed', version: s.version, vector: s.vector, baseScore: s.baseScore, severity: s.severity, cve: id, source: best.source } });
    } catch (e) {
      if (!(e instanceof CvssError)) throw e;
    }
  }
  return out;
}

const rank = (s: Severity) => SEVERITIES.indexOf(s);
export const higher = (a: Severity, b: Severity): Severity => (rank(a) <= rank(b) ? a : b);
const raise = (s: Severity): Severity => SEVERITIES[Math.max(0, rank(s) - 1)];

const EXPLOITED = ['actively-exploited', 'kev-listed'];
const VULNERABILITY_ARCHETYPES = ['vulnerability-advisory', 'exploited-internet-facing-vulnerability'];

/**
 * The documented rule: a valid CVSS vector decides the severity of a vulnerability; an incident's
 * severity is its archetype's base severity, or the vector's when that is higher. Evidence of active
 * exploitation raises an advisory by one level, and exposed sensitive data (sensitivity >= 0.8)
 * makes an incident at least HIGH. A document with no security event is INFORMATIONAL.
 */
export function assessSeverity(facts: Facts, archetype: Classification, kb: Kb, computed: readonly ComputedVector[]): SeverityAssessment {
  if (archetype.id === NO_EVENT_ID) {
    return { level: 'INFORMATIONAL', basis: 'no-event', reason: 'No security event was found in the text, so there is nothing to rate.' };
  }
  const base = kb.archetypes.find((a) => a.id === archetype.id)?.baseSeverity ?? 'MEDIUM';
  const top = [...computed].sort((a, b) => b.cvss.baseScore - a.cvss.baseScore)[0];
  const exploited = facts.statuses.some((s) => EXPLOITED.includes(s.id));
  const sensitive = facts.dataTypes.some((d) => (kb.dataTypes.find((r) => r.id === d.id)?.sensitivity ?? 0) >= 0.8);
  const isVulnerability = VULNERABILITY_ARCHETYPES.includes(archetype.id);
  let level: Severity;
  const reasons: string[] = [];
  if (top && isVulnerability) {
    level = top.cvss.severity;
    reasons.push(`CVSS ${top.cvss.version} base score ${top.cvss.baseScore.toFixed(1)} (${top.cvss.vector}${publisher(top)}) rates it ${level}`);
  } else {
    level = base;
    reasons.push(`${archetype.label} events are rated ${base} by default`);
    if (top && rank(top.cvss.severity) < rank(level)) {
      level = top.cvss.severity;
      reasons.push(`the published CVSS ${top.cvss.version} score ${top.cvss.baseScore.toFixed(1)} is higher`);
    }
  }
  if (exploited && isVulnerability && level !== 'CRITICAL') {
    level = raise(level);
    reasons.push(`raised one level to ${level} because exploitation is reported`);
  }
  if (sensitive && !isVulnerability && rank(level) > rank('HIGH')) {
    level = 'HIGH';
    reasons.push('raised to HIGH because sensitive data was exposed');
  }
  return { level, basis: top && isVulnerability ? 'cvss' : 'estimate', reason: `${reasons.join('; ')}.` };
}

/** The item's headline CVSS: the highest computed score, else an estimate from the severity, labelled as one. */
export function headlineCvss(severity: SeverityAssessment, computed: readonly ComputedVector[], rejected: readonly RejectedVector[], kb: Kb): Cvss {
  const top = [...computed].sort((a, b) => b.cvss.baseScore - a.cvss.baseScore)[0];
  if (top) return top.cvss;
  const why = rejected.length > 0
    ? `the only vector in the reporting was refused (${rejected[0].reason})`
    : 'no CVSS vector was published in the reporting';
  return {
    kind: 'estimate',
    baseScore: kb.meta.estimatedScores[severity.level],
    severity: severity.level,
    reason: `Estimated: ${why}, so the score is the midpoint Vigil uses for ${severity.level} severity (kb/meta.yaml).`,
  };
}
