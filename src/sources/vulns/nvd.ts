/** NVD CVE API 2.0 data (one `cve` object, an API page, or a feed file) into per-CVE patches. */
import type { CveCvss, CveDataPatch } from '../../domain/cve-data.js';
import { isObject, parseJson, readText, VulnDataError } from './errors.js';
import { cveId, cvssEntry, cweId, dedupe, englishText, httpUrls, isoTimestamp, uniqueCvss } from './normalise.js';

export interface NvdParseResult {
  readonly records: CveDataPatch[];
  readonly warnings: string[];
}

export interface NvdPage extends NvdParseResult {
  readonly totalResults: number;
  readonly startIndex: number;
  readonly resultsPerPage: number;
  /** Entries in this page's `vulnerabilities`, including any skipped: what the next startIndex advances by. */
  readonly entries: number;
  /** When NVD produced the response (ISO 8601), or null. */
  readonly timestamp: string | null;
}

export interface NvdFileResult extends NvdParseResult {
  readonly version?: string;
  readonly timestamp: string | null;
}

// Newest first, so a record's list reads in the order a reader would prefer.
const METRIC_KEYS = ['cvssMetricV40', 'cvssMetricV31', 'cvssMetricV30', 'cvssMetricV2'] as const;

const NVD_SOURCE = 'nvd@nist.gov';
// NVD names metric sources by the identifier the organisation registered, not by short name; CISA's ADP appears by
// its CVE Program org id (the same orgId as the "CISA-ADP" container of CVE records).
const KNOWN_SOURCES: Readonly<Record<string, string>> = {
  '134c704f-9b21-4f2e-91b3-4a467353bcc0': 'adp:CISA-ADP',
};

function metricSource(raw: unknown, cnaIdentifier: string | null): string {
  const id = typeof raw === 'string' ? raw.trim() : '';
  if (id === NVD_SOURCE) return 'nvd';
  if (KNOWN_SOURCES[id]) return KNOWN_SOURCES[id];
  // Besides NVD's own, NVD only republishes the CNA's and ADPs' metrics; CNAs have several registered identifiers,
  // so an unknown one is taken for the CNA's rather than invented as a new kind of source.
  return `cna:${id || cnaIdentifier || 'unknown'}`;
}

function isRejected(status: string | null): boolean {
  return status !== null && status.toLowerCase() === 'rejected';
}

/** One NVD API 2.0 `cve` object (what `vulnerabilities[].cve` holds, and what fkie-cad's per-CVE files hold). */
export function parseNvdCve(obj: unknown, where = 'NVD record'): NvdParseResult {
  if (!isObject(obj)) throw new VulnDataError('wrong-format', where, 'is not an NVD cve object');
  const cve = cveId(obj.id);
  if (cve === null) throw new VulnDataError('wrong-format', where, `has no valid CVE "id" (${JSON.stringify(obj.id)?.slice(0, 60)})`);
  const at = `${where} ${cve}`;
  const warnings: string[] = [];
  const vulnStatus = typeof obj.vulnStatus === 'string' && obj.vulnStatus.trim() !== '' ? obj.vulnStatus.trim() : null;
  // A rejected CVE's remaining fields are NVD's "** REJECT **" boilerplate; the merge clears what other sources said.
  if (isRejected(vulnStatus)) return { records: [{ cve, vulnStatus }], warnings };

  const cnaIdentifier = typeof obj.sourceIdentifier === 'string' ? obj.sourceIdentifier : null;
  const cvss: CveCvss[] = [];
  const metrics = isObject(obj.metrics) ? obj.metrics : {};
  for (const key of METRIC_KEYS) {
    const list = metrics[key];
    if (list === undefined) continue;
    if (!Array.isArray(list)) {
      warnings.push(`${at}: metrics.${key} is not a list, ignored`);
      continue;
    }
    for (const m of list) {
      if (!isObject(m) || !isObject(m.cvssData)) {
        warnings.push(`${at}: metrics.${key} entry without cvssData, ignored`);
        continue;
      }
      const source = metricSource(m.source, cnaIdentifier);
      const type = m.type === 'Primary' ? 'primary' : 'secondary';
      const { vectorString, baseScore, version } = m.cvssData;
      const entry = cvssEntry({ vector: vectorString, published: baseScore, declaredVersion: typeof version === 'string' ? version : null }, source, type, at, warnings);
      if (entry) cvss.push(entry);
    }
  }

  const cwes: string[] = [];
  if (Array.isArray(obj.weaknesses)) {
    for (const w of obj.weaknesses) {
      if (!isObject(w) || !Array.isArray(w.description)) continue;
      for (const d of w.description) {
        const id = isObject(d) ? cweId(d.value) : null;
        if (id) cwes.push(id);
      }
    }
  }

  const references = Array.isArray(obj.references) ? httpUrls(obj.references.map((r) => (isObject(r) ? r.url : null))) : [];
  const patch: CveDataPatch = {
    cve,
    cvss: uniqueCvss(cvss),
    cwes: dedupe(cwes),
    description: englishText(obj.descriptions),
    published: isoTimestamp(obj.published),
    lastModified: isoTimestamp(obj.lastModified),
    vulnStatus,
    references,
  };
  // NVD repeats KEV's dates (cisaExploitAdd…) but not its vendor, product or ransomware use: the KEV catalog owns `kev`.
  return { records: [patch], warnings };
}

function count(value: unknown, name: string, where: string): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) {
    throw new VulnDataError('wrong-format', where, `"${name}" is not a non-negative integer`);
  }
  return value;
}

/** `wrapped`: API pages and NVD feeds hold { cve } per entry, fkie-cad releases the bare cve objects. */
function parseVulnerabilities(list: unknown[], where: string, wrapped: boolean): NvdParseResult {
  const records: CveDataPatch[] = [];
  const warnings: string[] = [];
  list.forEach((v, i) => {
    // One odd entry must not stop a 2,000-entry page; it is reported and the rest is kept.
    try {
      const r = parseNvdCve(wrapped && isObject(v) ? v.cve : v, `${where} ${wrapped ? 'vulnerabilities' : 'cve_items'}[${i}]`);
      records.push(...r.records);
      warnings.push(...r.warnings);
    } catch (e) {
      if (!(e instanceof VulnDataError)) throw e;
      warnings.push(`skipped: ${e.message}`);
    }
  });
  return { records, warnings };
}

function checkFormat(j: Record<string, unknown>, where: string): void {
  if (j.format !== undefined && j.format !== 'NVD_CVE') {
    throw new VulnDataError('wrong-format', where, `format is ${JSON.stringify(j.format)}, not "NVD_CVE" (only the CVE API is read)`);
  }
  if (j.version !== undefined && j.version !== '2.0') {
    throw new VulnDataError('wrong-format', where, `version is ${JSON.stringify(j.version)}, not "2.0"`);
  }
}

/** One response of https://services.nvd.nist.gov/rest/json/cves/2.0. */
export function parseNvdApiPage(text: string, where = 'NVD API page'): NvdPage {
  const j = parseJson(text, where);
  if (!isObject(j) || !Array.isArray(j.vulnerabilities)) {
    throw new VulnDataError('wrong-format', where, 'has no "vulnerabilities" list (is this an NVD CVE API 2.0 response?)');
  }
  checkFormat(j, where);
  const totalResults = count(j.totalResults, 'totalResults', where);
  const startIndex = count(j.startIndex, 'startIndex', where);
  const resultsPerPage = count(j.resultsPerPage, 'resultsPerPage', where);
  const { records, warnings } = parseVulnerabilities(j.vulnerabilities, where, true);
  return { records, warnings, totalResults, startIndex, resultsPerPage, entries: j.vulnerabilities.length, timestamp: isoTimestamp(j.timestamp) };
}

/**
 * An NVD JSON file, whichever of the current shapes it has: NVD's 2.0 feeds (nvdcve-2.0-*.json[.gz], shaped like an API
 * response), fkie-cad/nvd-json-data-feeds releases ({ cve_items: [cve…] }) or its per-CVE files (one bare cve object).
 */
export function parseNvdJsonFile(data: string | Uint8Array, where = 'NVD JSON file', maxOutputLength?: number): NvdFileResult {
  const j = parseJson(readText(data, where, maxOutputLength), where);
  if (!isObject(j)) throw new VulnDataError('wrong-format', where, 'is not a JSON object');
  if (Array.isArray(j.vulnerabilities)) {
    checkFormat(j, where);
    return { ...parseVulnerabilities(j.vulnerabilities, where, true), version: '2.0', timestamp: isoTimestamp(j.timestamp) };
  }
  if (Array.isArray(j.cve_items)) {
    return { ...parseVulnerabilities(j.cve_items, where, false), timestamp: isoTimestamp(j.timestamp) };
  }
  if (Array.isArray(j.CVE_Items)) {
    throw new VulnDataError('wrong-format', where, 'is an NVD 1.1 feed, retired by NVD in December 2023; use the 2.0 feeds or the API');
  }
  if (typeof j.id === 'string' && ('descriptions' in j || 'metrics' in j || 'vulnStatus' in j)) {
    return { ...parseNvdCve(j, where), timestamp: null };
  }
  if (isObject(j.cveMetadata)) throw new VulnDataError('wrong-format', where, 'is a CVE JSON 5 record, not NVD data (read it with parseCve5)');
  throw new VulnDataError('wrong-format', where, 'is neither an NVD 2.0 feed, an fkie-cad feed nor an NVD cve object');
}
