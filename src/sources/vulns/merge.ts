/** Folding per-source patches into one CveData per CVE, and telling which changes matter enough to re-score items. */
import type { CveData, CveDataPatch } from '../../domain/cve-data.js';
import { cveId, cvssKey, cweId, dedupe, httpUrls, uniqueCvss } from './normalise.js';

export { VulnDataError, type VulnDataErrorCode } from './errors.js';

export function emptyCveData(cve: string): CveData {
  const id = cveId(cve);
  if (id === null) throw new RangeError(`cve-data: ${JSON.stringify(cve)} is not a CVE id`);
  return { cve: id, kev: null, epss: null, cvss: [], cwes: [], ssvc: null, description: null, published: null, lastModified: null, vulnStatus: null, references: [] };
}

// Sources date the same CVE differently (NVD publishes hours after the CVE record): the CVE was published when the
// first said so and last changed when the last said so, whichever order the sources are read in; a source that does
// not know a date leaves it as it was. ISO UTC strings compare as dates.
const earliest = (a: string, b: string | null) => (b !== null && b < a ? b : a);
const latest = (a: string, b: string | null) => (b !== null && b > a ? b : a);

const isRejected = (status: string | null | undefined) => typeof status === 'string' && status.toLowerCase() === 'rejected';

/**
 * Fields the patch carries replace the existing ones, except that null leaves description, status and dates as they
 * were and dates combine (published keeps the earliest, lastModified the latest); cvss is merged per source and version (NVD's, the CNA's and CISA-ADP's vectors coexist, a newer one from the
 * same source replaces its predecessor), cwes and references are unions. A rejected CVE keeps only its KEV and EPSS
 * entries, which their own catalogs own and withdraw.
 */
export function mergeCveData(existing: CveData | null, patch: CveDataPatch): CveData {
  const base = existing ?? emptyCveData(patch.cve);
  const cve = cveId(patch.cve);
  if (cve !== base.cve) throw new RangeError(`cve-data: patch for ${JSON.stringify(patch.cve)} applied to ${base.cve}`);
  const kev = patch.kev !== undefined ? patch.kev : base.kev;
  const epss = patch.epss !== undefined ? patch.epss : base.epss;
  if (isRejected(patch.vulnStatus)) return { ...emptyCveData(cve), kev, epss, vulnStatus: patch.vulnStatus ?? null };
  return {
    cve,
    kev,
    epss,
    cvss: patch.cvss ? uniqueCvss([...base.cvss, ...patch.cvss]) : base.cvss,
    cwes: patch.cwes ? dedupe([...base.cwes, ...patch.cwes].map(cweId).filter((c): c is string => c !== null)) : base.cwes,
    ssvc: patch.ssvc !== undefined ? patch.ssvc : base.ssvc,
    // A source without an English text or a status does not make them unknown; SSVC has one source, so its null counts.
    description: patch.description ?? base.description,
    published: patch.published ? earliest(patch.published, base.published) : base.published,
    lastModified: patch.lastModified ? latest(patch.lastModified, base.lastModified) : base.lastModified,
    vulnStatus: patch.vulnStatus ?? base.vulnStatus,
    // The patch's first: under the cap of 50 the newer source's links are the ones kept.
    references: patch.references ? httpUrls([...patch.references, ...base.references]) : base.references,
  };
}

/** An EPSS probability move smaller than this is daily noise, not news. */
export const EPSS_PROBABILITY_STEP = 0.01;
/** Percentile thresholds; crossing one changes how a CVE ranks against the rest. */
export const EPSS_PERCENTILE_BUCKETS: readonly number[] = [0.5, 0.75, 0.9, 0.95, 0.99];

const bucket = (p: number) => EPSS_PERCENTILE_BUCKETS.filter((t) => p >= t).length;
const sameSet = (x: readonly string[], y: readonly string[]) => {
  const a = new Set(x);
  const b = new Set(y);
  return a.size === b.size && [...a].every((v) => b.has(v));
};
const squash = (s: string | null) => (s === null ? null : s.replace(/\s+/g, ' ').trim());

/**
 * Names of the fields of `b` whose meaning differs from `a` (every filled field when `a` is null). Bookkeeping is
 * ignored so that routine syncs do not re-score everything: lastModified, SSVC timestamps, KEV wording, which label
 * the CNA's vector carries (NVD names CNAs by e-mail, CVE records by short name), and the exact vulnStatus wording,
 * of which only being rejected or not counts (NVD says "Analyzed" where the CVE record says "PUBLISHED").
 */
export function cveDataChanged(a: CveData | null, b: CveData): string[] {
  const changed: string[] = [];
  const prev = a ?? emptyCveData(b.cve);

  const k1 = prev.kev;
  const k2 = b.kev;
  if ((k1 === null) !== (k2 === null) || (k1 && k2 && (k1.dateAdded !== k2.dateAdded || k1.dueDate !== k2.dueDate || k1.knownRansomwareUse !== k2.knownRansomwareUse))) {
    changed.push('kev');
  }
  const e1 = prev.epss;
  const e2 = b.epss;
  if ((e1 === null) !== (e2 === null) || (e1 && e2 && (Math.abs(e1.probability - e2.probability) >= EPSS_PROBABILITY_STEP - 1e-12 || bucket(e1.percentile) !== bucket(e2.percentile)))) {
    changed.push('epss');
  }
  const vectors = (d: CveData) => d.cvss.map((c) => `${cvssKey(c)}|${c.vector}`);
  if (!sameSet(vectors(prev), vectors(b))) changed.push('cvss');
  if (!sameSet(prev.cwes, b.cwes)) changed.push('cwes');
  const s1 = prev.ssvc;
  const s2 = b.ssvc;
  if ((s1 === null) !== (s2 === null) || (s1 && s2 && (s1.exploitation !== s2.exploitation || s1.automatable !== s2.automatable || s1.technicalImpact !== s2.technicalImpact))) {
    changed.push('ssvc');
  }
  if (squash(prev.description) !== squash(b.description)) changed.push('description');
  if (prev.published !== b.published) changed.push('published');
  if (a === null ? b.vulnStatus !== null : isRejected(prev.vulnStatus) !== isRejected(b.vulnStatus)) changed.push('vulnStatus');
  if (!sameSet(prev.references, b.references)) changed.push('references');
  return changed;
}
