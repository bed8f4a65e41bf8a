/** CVE JSON 5.x records (cvelistV5, CISA vulnrichment) into a per-CVE patch: the CNA's data plus the ADPs' CVSS, CWE and SSVC. */
import type { CveCvss, CveDataPatch, CveSsvc } from '../../domain/cve-data.js';
import { isObject, parseJson, VulnDataError } from './errors.js';
import { cveId, cvssEntry, cweId, dedupe, englishText, httpUrls, isoTimestamp, uniqueCvss } from './normalise.js';

type Json = Record<string, unknown>;

export interface Cve5ParseResult {
  readonly records: CveDataPatch[];
  /** dataVersion, e.g. "5.1". */
  readonly version: string;
  readonly warnings: string[];
}

const METRIC_KEYS: readonly (readonly [string, string])[] = [
  ['cvssV4_0', '4.0'],
  ['cvssV3_1', '3.1'],
  ['cvssV3_0', '3.0'],
  ['cvssV2_0', '2.0'],
];

const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

function shortName(container: Json, fallback: string): string {
  const meta = isObject(container.providerMetadata) ? container.providerMetadata : {};
  return typeof meta.shortName === 'string' && meta.shortName.trim() !== '' ? meta.shortName.trim() : fallback;
}

function containerCvss(container: Json, source: string, type: CveCvss['type'], where: string, warnings: string[]): CveCvss[] {
  const out: CveCvss[] = [];
  for (const m of list(container.metrics)) {
    if (!isObject(m)) continue;
    for (const [key, version] of METRIC_KEYS) {
      const c = m[key];
      if (!isObject(c)) continue;
      const entry = cvssEntry({ vector: c.vectorString, published: c.baseScore, declaredVersion: version }, source, type, where, warnings);
      if (entry) out.push(entry);
    }
  }
  return out;
}

/**
 * CWE ids from problemTypes. The schema asks for `cweId` with type "CWE", but CNAs also write type "cwe", leave the
 * type out (CVE-2024-27198) or only put "CWE-79 …" in the description; any of these counts, free text does not.
 */
function containerCwes(container: Json): string[] {
  const out: string[] = [];
  for (const p of list(container.problemTypes)) {
    if (!isObject(p)) continue;
    for (const d of list(p.descriptions)) {
      if (!isObject(d)) continue;
      const id = cweId(d.cweId) ?? (typeof d.description === 'string' ? cweId(d.description.split(/[\s:]/, 1)[0]) : null);
      if (id) out.push(id);
    }
  }
  return out;
}

const EXPLOITATION: Readonly<Record<string, CveSsvc['exploitation']>> = { none: 'none', poc: 'poc', 'public poc': 'poc', active: 'active' };

/**
 * CISA's SSVC decision points from an ADP `other` metric. Values come in either case ("active", "Active") across
 * vulnrichment's history, so they are compared lower-cased.
 */
function containerSsvc(container: Json, source: string, where: string, warnings: string[]): CveSsvc | null {
  let best: CveSsvc | null = null;
  for (const m of list(container.metrics)) {
    if (!isObject(m) || !isObject(m.other) || m.other.type !== 'ssvc' || !isObject(m.other.content)) continue;
    const content = m.other.content;
    const options: Record<string, string> = {};
    for (const o of list(content.options)) {
      if (!isObject(o)) continue;
      for (const [k, v] of Object.entries(o)) if (typeof v === 'string') options[k.toLowerCase()] = v.trim().toLowerCase();
    }
    const exploitation = EXPLOITATION[options.exploitation];
    const automatable = options.automatable;
    const technicalImpact = options['technical impact'];
    if (!exploitation || (automatable !== 'yes' && automatable !== 'no') || (technicalImpact !== 'partial' && technicalImpact !== 'total')) {
      warnings.push(`${where}: ${source} SSVC options not understood (${JSON.stringify(content.options)?.slice(0, 200)}), ignored`);
      continue;
    }
    const ssvc: CveSsvc = { exploitation, automatable, technicalImpact, timestamp: isoTimestamp(content.timestamp), source };
    // Should an ADP ever carry two decisions, the later one is the current one.
    if (best === null || (ssvc.timestamp ?? '') >= (best.timestamp ?? '')) best = ssvc;
  }
  return best;
}

function containerUrls(container: Json): unknown[] {
  return list(container.references).map((r) => (isObject(r) ? r.url : null));
}

/** One CVE JSON 5.x record, as text or already parsed. */
export function parseCve5(input: string | object, where = 'CVE record'): Cve5ParseResult {
  const j = typeof input === 'string' ? parseJson(input, where) : input;
  if (!isObject(j)) throw new VulnDataError('wrong-format', where, 'is not a JSON object');
  if (j.dataType !== undefined && j.dataType !== 'CVE_RECORD') {
    throw new VulnDataError('wrong-format', where, `dataType is ${JSON.stringify(j.dataType)}, not "CVE_RECORD"`);
  }
  const version = typeof j.dataVersion === 'string' ? j.dataVersion : '';
  if (!/^5\.\d+/.test(version)) {
    throw new VulnDataError('wrong-format', where, `dataVersion is ${JSON.stringify(j.dataVersion)}, not 5.x (is this a CVE JSON 5 record?)`);
  }
  const meta = j.cveMetadata;
  if (!isObject(meta)) throw new VulnDataError('wrong-format', where, 'has no "cveMetadata"');
  const cve = cveId(meta.cveId);
  if (cve === null) throw new VulnDataError('wrong-format', where, `has no valid cveMetadata.cveId (${JSON.stringify(meta.cveId)?.slice(0, 60)})`);
  const at = `${where} ${cve}`;
  const state = typeof meta.state === 'string' ? meta.state.trim().toUpperCase() : '';
  if (state === 'REJECTED') return { records: [{ cve, vulnStatus: 'REJECTED' }], version, warnings: [] };
  if (state !== 'PUBLISHED') throw new VulnDataError('wrong-format', where, `${cve} has state ${JSON.stringify(meta.state)}, expected PUBLISHED or REJECTED`);

  const containers = isObject(j.containers) ? j.containers : {};
  const cna = containers.cna;
  if (!isObject(cna)) throw new VulnDataError('wrong-format', where, `${cve} is PUBLISHED but has no containers.cna`);
  const warnings: string[] = [];
  const cnaName = shortName(cna, typeof meta.assignerShortName === 'string' ? meta.assignerShortName : 'unknown');

  const cvss = containerCvss(cna, `cna:${cnaName}`, 'primary', at, warnings);
  const cwes = containerCwes(cna);
  const urls = containerUrls(cna);
  let ssvc: CveSsvc | null = null;
  for (const adp of list(containers.adp)) {
    if (!isObject(adp)) continue;
    const source = `adp:${shortName(adp, 'unknown')}`;
    cvss.push(...containerCvss(adp, source, 'secondary', at, warnings));
    cwes.push(...containerCwes(adp));
    urls.push(...containerUrls(adp));
    ssvc = containerSsvc(adp, source, at, warnings) ?? ssvc;
  }

  const patch: CveDataPatch = {
    cve,
    cvss: uniqueCvss(cvss),
    cwes: dedupe(cwes),
    ssvc,
    description: englishText(cna.descriptions),
    published: isoTimestamp(meta.datePublished),
    lastModified: isoTimestamp(meta.dateUpdated),
    vulnStatus: state,
    references: httpUrls(urls),
  };
  // CISA-ADP's "kev" metric has dateAdded only, no due date or ransomware use: the KEV catalog owns `kev`.
  return { records: [patch], version, warnings };
}
