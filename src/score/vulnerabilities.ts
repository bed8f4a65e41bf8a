/** Per-CVE scoring data: the CVSS written next to it, and EPSS and KEV from the imported catalogs. */
import type { Facts, Vulnerability } from '../domain/index.js';
import type { Catalogs } from '../knowledge/catalogs.js';
import type { ComputedVector } from './severity.js';

export function vulnerabilities(facts: Facts, computed: readonly ComputedVector[], catalogs: Catalogs, asOf: string): Vulnerability[] {
  return facts.cves.map(({ id }) => {
    // A lone vector in a single-CVE article belongs to that CVE even when written in another sentence.
    const vector = computed.find((c) => c.cve === id) ?? (facts.cves.length === 1 && computed.length === 1 ? computed[0] : undefined);
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
    return {
      cve: id,
      cvss: vector?.cvss ?? null,
      epss: epss ? { probability: epss.probability, percentile: epss.percentile, date: epss.date } : null,
      kev: kev ? { dateAdded: kev.dateAdded, dueDate: kev.dueDate, knownRansomwareUse: kev.knownRansomwareUse, requiredAction: kev.requiredAction } : null,
      note: known.length > 0 ? `As of ${asOf}: ${known.join('; ')}.` : `As of ${asOf}: CVSS, KEV and EPSS data are all available.`,
    };
  });
}
