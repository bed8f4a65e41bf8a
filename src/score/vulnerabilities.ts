/** Per-CVE scoring data: every valid CVSS vector (the reporting's, NVD's, the CNA's, Vulnrichment's), EPSS, KEV and the SSVC decision. */
import type { CvssVectorScore, Facts, MissionWellbeing, Vulnerability } from '../domain/index.js';
import type { Catalogs } from '../knowledge/catalogs.js';
import type { SsvcRules } from '../knowledge/kb-schema.js';
import { CvssError, scoreCvss } from './cvss.js';
import type { ComputedVector } from './severity.js';
import { assessSsvc } from './ssvc.js';

export interface SsvcContext {
  readonly rules: SsvcRules;
  readonly missionWellbeing: { level: MissionWellbeing; reason: string };
}

const rankSource = (s: string) => (s === 'reporting' ? 0 : s === 'nvd' ? 1 : s.startsWith('cna:') ? 2 : 3);

/** Valid vectors only, scored here (never the publisher's figure), newest version first, then the reporting, NVD, the CNA, ADPs. */
function vectorsOf(id: string, own: readonly ComputedVector[], catalogs: Catalogs): CvssVectorScore[] {
  const out = new Map<string, CvssVectorScore>();
  for (const c of own) out.set(`${c.cvss.source} ${c.cvss.vector}`, { version: c.cvss.version, vector: c.cvss.vector, baseScore: c.cvss.baseScore, severity: c.cvss.severity, source: c.cvss.source });
  for (const p of catalogs.cveData(id)?.cvss ?? []) {
    try {
      const s = scoreCvss(p.vector);
      out.set(`${p.source} ${s.vector}`, { version: s.version, vector: s.vector, baseScore: s.baseScore, severity: s.severity, source: p.source });
    } catch (e) {
      if (!(e instanceof CvssError)) throw e;
    }
  }
  return [...out.values()].sort((a, b) => Number(b.version) - Number(a.version) || rankSource(a.source) - rankSource(b.source) || a.vector.localeCompare(b.vector));
}

export function vulnerabilities(facts: Facts, computed: readonly ComputedVector[], catalogs: Catalogs, asOf: string, ssvc: SsvcContext | null = null): Vulnerability[] {
  const reportedExploited = facts.statuses.some((s) => s.id === 'actively-exploited');
  return facts.cves.map(({ id }) => {
    // A lone vector in a single-CVE article belongs to that CVE even when written in another sentence.
    const vector = computed.find((c) => c.cve === id) ?? (facts.cves.length === 1 && computed.length === 1 ? computed[0] : undefined);
    const own = computed.filter((c) => c.cve === id || c === vector);
    const vectors = vectorsOf(id, own, catalogs);
    const kev = catalogs.kev(id);
    const epss = catalogs.epss(id);
    const known: string[] = [];
    if (!vector) known.push('no CVSS vector was published with it in the reporting');
    const kevInText = facts.statuses.some((s) => s.id === 'kev-listed');
    if (!catalogs.versions.kev) {
      known.push(kevInText
        ? 'the reporting says it is in the CISA KEV catalog; import the catalog (vigil kb import) for its date added and due date'
        : 'the KEV catalog is not imported, so KEV status is unknown');
    }
    else if (!kev) known.push(`not in the CISA KEV catalog (version ${catalogs.versions.kev})`);
    if (!catalogs.versions.epss) known.push('EPSS scores are not imported');
    else if (!epss) known.push('no EPSS score in the imported data');
    const assessment = ssvc
      ? assessSsvc({ vulnrichment: catalogs.cveData(id)?.ssvc ?? null, inKev: !!kev, reportedExploited: reportedExploited && facts.cves.length === 1, vectors }, ssvc.missionWellbeing, ssvc.rules)
      : null;
    if (ssvc && !assessment) known.push('no SSVC decision: CISA Vulnrichment has not scored it and no CVSS vector is known to derive one from');
    return {
      cve: id,
      cvss: vector?.cvss ?? null,
      vectors,
      ssvc: assessment,
      epss: epss ? { probability: epss.probability, percentile: epss.percentile, date: epss.date } : null,
      kev: kev ? { dateAdded: kev.dateAdded, dueDate: kev.dueDate, knownRansomwareUse: kev.knownRansomwareUse, requiredAction: kev.requiredAction } : null,
      note: known.length > 0 ? `As of ${asOf}: ${known.join('; ')}.` : `As of ${asOf}: CVSS, KEV and EPSS data are all available.`,
    };
  });
}
