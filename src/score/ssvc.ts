/** CISA's SSVC decision per CVE: Vulnrichment's decision points (else points derived from KEV, the reporting and CVSS) and the profile's Mission and Well-being, read through kb/ssvc.yaml. */
import type { CvssVectorScore, MissionWellbeing, SsvcAssessment } from '../domain/index.js';
import type { CveSsvc } from '../domain/cve-data.js';
import type { Profile } from '../config/profile.js';
import type { SsvcRules } from '../knowledge/kb-schema.js';
import { parseCvss } from './cvss.js';

export interface SsvcPoints {
  readonly exploitation: 'none' | 'poc' | 'active';
  readonly automatable: 'yes' | 'no';
  readonly technicalImpact: 'partial' | 'total';
  readonly missionWellbeing: MissionWellbeing;
}

/** The tree's decision for four points; the kb holds every combination (checked at load). */
export function ssvcDecision(points: SsvcPoints, rules: SsvcRules): SsvcAssessment['decision'] {
  const row = rules.tree.find((r) => r.exploitation === points.exploitation && r.automatable === points.automatable
    && r.technicalImpact === points.technicalImpact && r.missionWellbeing === points.missionWellbeing);
  if (!row) throw new Error(`ssvc: kb/ssvc.yaml has no row for ${JSON.stringify(points)}`);
  return row.decision;
}

/** The team's Mission and Well-being: set directly, else from Mission Prevalence and Public Well-being, else the kb default. */
export function missionWellbeing(profile: Profile | null, rules: SsvcRules): { level: MissionWellbeing; reason: string } {
  if (profile?.missionWellbeing) return { level: profile.missionWellbeing, reason: `Mission and Well-being ${profile.missionWellbeing}, set in the team profile` };
  if (profile?.missionPrevalence && profile.publicWellbeing) {
    const row = rules.missionWellbeing.find((m) => m.missionPrevalence === profile.missionPrevalence && m.publicWellbeing === profile.publicWellbeing);
    if (row) return { level: row.level, reason: `Mission and Well-being ${row.level}, from the profile's Mission Prevalence ${row.missionPrevalence} and Public Well-being Impact ${row.publicWellbeing}` };
  }
  const why = profile ? 'the team profile sets no Mission and Well-being' : 'no team profile is configured';
  return { level: rules.defaultMissionWellbeing, reason: `Mission and Well-being ${rules.defaultMissionWellbeing} by default (${why})` };
}

export interface SsvcEvidence {
  readonly vulnrichment: CveSsvc | null;
  readonly inKev: boolean;
  /** The reporting says the item's vulnerability is exploited in the wild. */
  readonly reportedExploited: boolean;
  /** The CVE's valid vectors, newest version first. */
  readonly vectors: readonly CvssVectorScore[];
}

const highBoth = (m: Record<string, string>, version: string) =>
  version === '2.0' ? m.C === 'C' && m.I === 'C' : version === '4.0' ? m.VC === 'H' && m.VI === 'H' : m.C === 'H' && m.I === 'H';

function fromVector(v: CvssVectorScore): { automatable: 'yes' | 'no'; technicalImpact: 'partial' | 'total' } {
  const m = parseCvss(v.vector).metrics;
  const scriptable = v.version === '2.0'
    ? m.AV === 'N' && m.AC === 'L' && m.Au === 'N'
    : m.AV === 'N' && m.AC === 'L' && m.PR === 'N' && m.UI === 'N' && (v.version !== '4.0' || m.AT === 'N');
  return { automatable: scriptable ? 'yes' : 'no', technicalImpact: highBoth(m, v.version) ? 'total' : 'partial' };
}

/**
 * Vulnrichment's points when CISA scored the CVE, with KEV overriding a stale "none"/"poc" (a later listing is newer
 * evidence); otherwise points derived as kb/ssvc.yaml documents, which needs a vector. null when neither exists.
 */
export function assessSsvc(e: SsvcEvidence, mwb: { level: MissionWellbeing; reason: string }, rules: SsvcRules): SsvcAssessment | null {
  const reasons: string[] = [];
  let points: SsvcPoints;
  let basis: SsvcAssessment['basis'];
  if (e.vulnrichment) {
    const v = e.vulnrichment;
    const when = v.timestamp ? ` on ${v.timestamp.slice(0, 10)}` : '';
    const exploitation = v.exploitation !== 'active' && e.inKev ? 'active' : v.exploitation;
    reasons.push(exploitation !== v.exploitation
      ? `Exploitation active: the CVE is in CISA KEV, newer evidence than ${v.source}'s "${v.exploitation}"${when}`
      : `Exploitation ${exploitation}, from ${v.source}${when}`);
    reasons.push(`Automatable ${v.automatable}, from ${v.source}`, `Technical Impact ${v.technicalImpact}, from ${v.source}`);
    points = { exploitation, automatable: v.automatable, technicalImpact: v.technicalImpact, missionWellbeing: mwb.level };
    basis = 'vulnrichment';
  } else {
    const vector = e.vectors[0];
    if (!vector) return null;
    const exploitation = e.inKev || e.reportedExploited ? 'active' : 'none';
    reasons.push(e.inKev ? 'Exploitation active (derived): the CVE is in CISA KEV'
      : e.reportedExploited ? 'Exploitation active (derived): the reporting says it is exploited in the wild'
      : 'Exploitation none (derived): no KEV listing or reported exploitation; a private proof of concept cannot be seen');
    const d = fromVector(vector);
    reasons.push(`Automatable ${d.automatable} (derived from ${vector.vector}, published by ${vector.source})`,
      `Technical Impact ${d.technicalImpact} (derived from the confidentiality and integrity impact of ${vector.vector})`);
    points = { exploitation, ...d, missionWellbeing: mwb.level };
    basis = 'derived';
  }
  reasons.push(mwb.reason);
  const decision = ssvcDecision(points, rules);
  return { decision, ...points, basis, reasons, meaning: rules.decisions[decision] };
}
